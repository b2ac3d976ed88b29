"""Unmodified client libraries through the three-legged flow (SPEC section 8): tweepy's
OAuth1UserHandler with a callback and with a PIN, then verify_credentials and an upload with the
token it got; requests-oauthlib's OAuth1Session. A person made by the CLI signs in on the
authorize page (driven here without a browser; test_web_pages.py does it in Chromium)."""

import pytest
import requests
import tweepy
from requests_oauthlib import OAuth1Session

import harness
import signin_helpers as sh

server = sh.signin_server("signin-clients")


def tweepy_handler(server, app, callback):
    """tweepy's handler, unmodified but for the host of its OAuth URLs: tweepy writes
    https://api.twitter.com/oauth/ into _get_oauth_url as tweepy.API writes api.twitter.com
    into its host default, which the other tests replace with host=."""

    class PortraitOAuth1UserHandler(tweepy.OAuth1UserHandler):
        def _get_oauth_url(self, endpoint):
            return f"https://127.0.0.1:{server.https_port}/oauth/{endpoint}"

    return PortraitOAuth1UserHandler(app.key, app.secret, callback=callback)


def tweepy_api(server, handler):
    return tweepy.API(handler, host=f"127.0.0.1:{server.https_port}")


@pytest.mark.schemes("https", reason="tweepy only speaks https")
@pytest.mark.parametrize("signin_with_twitter", [False, True], ids=["authorize", "authenticate"])
def test_tweepy_signs_a_person_in_with_a_callback_and_uploads_with_the_token(
        server, corpus_dir, signin_with_twitter):
    person = sh.create_person(server)
    with sh.CallbackServer() as callback:
        app = sh.create_app(server, callback_urls=[callback.url])
        handler = tweepy_handler(server, app, callback.url)
        url = handler.get_authorization_url(signin_with_twitter=signin_with_twitter)
        path = "/oauth/authenticate" if signin_with_twitter else "/oauth/authorize"
        assert url.startswith(f"https://127.0.0.1:{server.https_port}{path}?oauth_token=")

        browser = sh.Browserless(server)
        page = sh.assert_page(browser.http.get(url, timeout=10))
        resp = browser.decide(handler.request_token["oauth_token"], person=person, page=page)
        location, _ = sh.redirect_query(resp)
        assert requests.get(location, timeout=10).status_code == 200  # the browser lands there
        query = callback.wait_for_query()
    assert query["oauth_token"] == handler.request_token["oauth_token"]

    key, secret = handler.get_access_token(query["oauth_verifier"])
    assert key.startswith(f"{person.user_id}-")
    api = tweepy_api(server, handler)
    me = api.verify_credentials()
    assert me.id == person.user_id and me.screen_name == person.screen_name
    assert api.update_profile_image(str(corpus_dir / "FreshFlower.jpg")).id == person.user_id
    creds = sh.as_credentials(app, person, {"oauth_token": key, "oauth_token_secret": secret})
    after = harness.wait_for_image_change(server, creds)
    assert after["profile_image_url_https"].endswith("_normal.jpeg")


@pytest.mark.schemes("https", reason="tweepy only speaks https")
def test_tweepy_signs_a_person_in_with_a_pin_and_uploads_with_the_token(server, corpus_dir):
    person = sh.create_person(server)
    app = sh.create_app(server)
    handler = tweepy_handler(server, app, "oob")
    url = handler.get_authorization_url()
    browser = sh.Browserless(server)
    page = sh.assert_page(browser.http.get(url, timeout=10))
    pin = sh.pin_of(sh.assert_page(browser.decide(handler.request_token["oauth_token"],
                                                  person=person, page=page)))
    key, secret = handler.get_access_token(pin)
    api = tweepy_api(server, handler)
    assert api.verify_credentials().screen_name == person.screen_name
    assert api.update_profile_image(str(corpus_dir / "Aqua.jpg")).id == person.user_id
    creds = sh.as_credentials(app, person, {"oauth_token": key, "oauth_token_secret": secret})
    assert harness.wait_for_image_change(server, creds)["profile_image_url"].endswith(".jpeg")
    # A second exchange of the same verifier fails the way tweepy reports it.
    with pytest.raises(tweepy.TweepyException):
        handler.get_access_token(pin)


@pytest.mark.schemes("https", reason="tweepy only speaks https")
def test_tweepy_read_only_access_type_gets_a_token_that_cannot_write(server):
    person = sh.create_person(server)
    app = sh.create_app(server)
    handler = tweepy_handler(server, app, "oob")
    url = handler.get_authorization_url(access_type="read")
    browser = sh.Browserless(server)
    page = sh.assert_page(browser.http.get(url, timeout=10))
    assert "Update your profile or your profile image." in page
    handler.get_access_token(sh.pin_of(sh.assert_page(
        browser.decide(handler.request_token["oauth_token"], person=person, page=page))))
    api = tweepy_api(server, handler)
    assert api.verify_credentials().id == person.user_id
    with pytest.raises(tweepy.Forbidden) as raised:
        api.update_profile(name="Nope")
    assert raised.value.api_codes == [261]


def test_requests_oauthlib_oauth1session_runs_the_callback_flow(server):
    person = sh.create_person(server)
    app = sh.create_app(server, callback_urls=["https://client.example/done"])
    session = OAuth1Session(app.key, client_secret=app.secret,
                            callback_uri="https://client.example/done?from=portrait")
    fetched = session.fetch_request_token(server.url("/oauth/request_token"))
    assert fetched["oauth_callback_confirmed"] == "true"
    url = session.authorization_url(server.url("/oauth/authorize"))

    browser = sh.Browserless(server)
    page = sh.assert_page(browser.http.get(url, timeout=10))
    location, query = sh.redirect_query(browser.decide(fetched["oauth_token"], person=person,
                                                       page=page))
    assert location.startswith("https://client.example/done?from=portrait&")
    verified = session.parse_authorization_response(location)
    assert verified["oauth_verifier"] == query["oauth_verifier"]
    granted = session.fetch_access_token(server.url("/oauth/access_token"))
    assert granted["screen_name"] == person.screen_name
    me = harness.assert_ok_json(session.get(server.api("account/verify_credentials.json"),
                                            timeout=10))
    assert me["id"] == person.user_id


def test_requests_oauthlib_reports_a_refused_exchange(server):
    app = sh.create_app(server)
    session = OAuth1Session(app.key, client_secret=app.secret, callback_uri="oob")
    fetched = session.fetch_request_token(server.url("/oauth/request_token"))
    stale = OAuth1Session(app.key, client_secret=app.secret,
                          resource_owner_key=fetched["oauth_token"],
                          resource_owner_secret=fetched["oauth_token_secret"], verifier="1234567")
    with pytest.raises(Exception) as raised:
        stale.fetch_access_token(server.url("/oauth/access_token"))
    assert "401" in str(raised.value)
