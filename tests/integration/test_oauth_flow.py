"""Twitter's three-legged OAuth flow and xAuth over HTTP (SPEC section 8), with hand-made
requests: request_token, authorize and authenticate, verifier and PIN, access_token, read-only
tokens, both invalidate_token endpoints, and the hostile cases (replayed, expired and foreign
tokens and verifiers, unregistered callbacks, open redirects). twurl is not installed; what SPEC
says of it is checked with requests shaped as twurl sends them."""

import secrets
import time
import urllib.parse

import pytest
import requests

import harness
import imagegen
import signin_helpers as sh
from harness import ERR_32, ERR_89, ERR_215, assert_error, assert_ok_json

server = sh.signin_server("oauth-flow")

VERIFY = "account/verify_credentials.json"


@pytest.fixture
def person(server):
    return sh.create_person(server)


@pytest.fixture
def app(server):
    return sh.create_app(server)


# --- request_token ------------------------------------------------------------------------


def test_request_token_answers_a_urlencoded_token_of_unreserved_characters(server, app):
    resp = sh.post_request_token(server, app, "oob")
    assert resp.status_code == 200, resp.text
    fields = sh.form_fields(resp)
    assert set(fields) == {"oauth_token", "oauth_token_secret", "oauth_callback_confirmed"}
    assert fields["oauth_callback_confirmed"] == "true"
    for value in (fields["oauth_token"], fields["oauth_token_secret"]):
        assert sh.UNRESERVED.match(value), value
    assert fields["oauth_token"] != sh.request_token(server, app)["oauth_token"]


def test_request_token_needs_an_oauth_callback(server, app):
    assert_error(sh.post_request_token(server, app, callback=None), *ERR_215)


def test_request_token_refuses_a_bad_signature_and_an_unknown_consumer(server, app):
    forged = sh.App({"id": app.id, "name": app.name, "consumer_key": app.key,
                     "consumer_secret": "not-the-secret"})
    assert_error(sh.post_request_token(server, forged), *ERR_32)
    unknown = sh.App({"id": 0, "name": "x", "consumer_key": "nobody" + secrets.token_hex(4),
                      "consumer_secret": "s"})
    assert_error(sh.post_request_token(server, unknown), *ERR_32)


def test_request_token_refuses_a_callback_outside_the_registered_ones(server):
    app = sh.create_app(server, callback_urls=["https://app.example/cb"])
    assert sh.request_token(server, app, "https://app.example/cb?state=1")
    assert sh.request_token(server, app, "https://app.example/cb/done")
    assert sh.request_token(server, app, "oob")
    for callback in ("https://evil.example/cb", "https://app.example/cbx",
                     "http://app.example/cb", "https://app.example:8443/cb",
                     "https://app.example.evil.example/cb"):
        assert_error(sh.post_request_token(server, app, callback), *sh.ERR_415)


@pytest.mark.parametrize("callback", [
    "https://app.example@evil.example/cb",  # user information: read either way by browsers
    "//evil.example/cb", "javascript:alert(document.domain)", "data:text/html,hi",
    "https://app.example/cb#fragment", "/relative/cb", "https://evil.example%2F@app.example/cb",
])
def test_request_token_refuses_open_redirect_shapes_even_for_apps_without_callbacks(
        server, app, callback):
    assert_error(sh.post_request_token(server, app, callback), *sh.ERR_415)


def test_request_token_refuses_an_unknown_access_type(server, app):
    assert_error(sh.post_request_token(server, app, "oob", access_type="admin"),
                 400, 44, "x_auth_access_type parameter is invalid.")


def test_request_token_is_signed_by_the_consumer_alone(server, app, person):
    granted = sh.pin_flow(server, app, person)
    resp = sh.signed_post(server.url("/oauth/request_token"), app, granted["oauth_token"],
                          granted["oauth_token_secret"], {"oauth_callback": "oob"})
    assert_error(resp, *ERR_89)  # an access token is no request token


# --- authorize and authenticate ------------------------------------------------------------


def test_the_pin_flow_grants_a_token_that_reads_and_writes(server, app, person):
    token = sh.request_token(server, app)
    browser = sh.Browserless(server)
    page = sh.assert_page(browser.authorize_page(token["oauth_token"]))
    assert app.name in page and "An app the tests made." in page
    assert 'href="https://app.example/"' in page
    assert "Update your profile and your profile image." in page
    assert 'name="password"' in page, "nobody is signed in: the page asks who"

    resp = browser.decide(token["oauth_token"], person=person, page=page)
    pin = sh.pin_of(sh.assert_page(resp))
    assert browser.session_cookie(), "authorizing signed the browser in"

    granted = sh.access_token(server, app, token, pin)
    assert set(granted) == {"oauth_token", "oauth_token_secret", "user_id", "screen_name"}
    assert granted["user_id"] == str(person.user_id)
    assert granted["screen_name"] == person.screen_name
    assert sh.UNRESERVED.match(granted["oauth_token"])
    creds = sh.as_credentials(app, person, granted)
    me = assert_ok_json(requests.get(server.api(VERIFY), auth=creds.oauth(), timeout=10))
    assert me["id"] == person.user_id
    resp = harness.upload_multipart(server, creds, imagegen.small_png())
    assert resp.status_code == 200, resp.text


def test_a_callback_flow_redirects_with_the_token_and_verifier(server, person):
    app = sh.create_app(server, callback_urls=["http://127.0.0.1/app"])
    token = sh.request_token(server, app, "http://127.0.0.1/app/back?state=xyz")
    location, query = sh.redirect_query(sh.Browserless(server).decide(token["oauth_token"],
                                                                      person=person))
    assert location.startswith("http://127.0.0.1/app/back?")
    assert query["state"] == "xyz" and query["oauth_token"] == token["oauth_token"]
    granted = sh.access_token(server, app, token, query["oauth_verifier"])
    assert granted["user_id"] == str(person.user_id)


def test_cancel_redirects_with_denied_and_the_token_cannot_be_exchanged(server, person):
    app = sh.create_app(server)
    token = sh.request_token(server, app, "https://app.example/cb")
    location, query = sh.redirect_query(sh.Browserless(server).decide(token["oauth_token"],
                                                                      allow=False))
    assert query == {"denied": token["oauth_token"]}
    assert_error(sh.post_access_token(server, app, token["oauth_token"],
                                      token["oauth_token_secret"], "anything"), *ERR_89)


def test_cancel_of_an_oob_token_says_so_on_a_page(server, app):
    token = sh.request_token(server, app)
    page = sh.assert_page(sh.Browserless(server).decide(token["oauth_token"], allow=False))
    assert "Authorization cancelled" in page and app.name in page


def test_authorize_and_authenticate_ignore_every_other_query_parameter(server, app, person):
    # twurl's authorize URL carries every oauth_* value of the signed request_token call.
    token = sh.request_token(server, app)
    noise = {"oauth_consumer_key": app.key, "oauth_nonce": "n", "oauth_signature": "s=",
             "oauth_signature_method": "HMAC-SHA1", "oauth_timestamp": "1", "oauth_version": "1.0",
             "oauth_callback": "oob", "anything": "else"}
    for path in ("/oauth/authorize", "/oauth/authenticate"):
        page = sh.assert_page(sh.Browserless(server).authorize_page(token["oauth_token"], path,
                                                                    **noise))
        assert f'value="{token["oauth_token"]}"' in page


def test_authenticate_skips_the_question_once_the_person_authorized_the_app(server, person):
    app = sh.create_app(server)
    browser = sh.Browserless(server)
    first = sh.request_token(server, app, "https://app.example/cb")
    # Until an access token exists, authenticate still asks.
    _, query = sh.redirect_query(browser.decide(first["oauth_token"], person=person))
    second = sh.request_token(server, app, "https://app.example/cb")
    sh.assert_page(browser.authorize_page(second["oauth_token"], "/oauth/authenticate"))
    sh.access_token(server, app, first, query["oauth_verifier"])

    second = sh.request_token(server, app, "https://app.example/cb")
    _, query = sh.redirect_query(browser.authorize_page(second["oauth_token"],
                                                        "/oauth/authenticate"))
    assert query["oauth_token"] == second["oauth_token"]
    assert sh.access_token(server, app, second, query["oauth_verifier"])["user_id"] == \
        str(person.user_id)

    # authorize always asks; force_login asks for the password again; screen_name pre-fills.
    third = sh.request_token(server, app, "https://app.example/cb")
    page = sh.assert_page(browser.authorize_page(third["oauth_token"]))
    assert 'name="password"' not in page and f"@{person.screen_name}" in page
    page = sh.assert_page(browser.authorize_page(third["oauth_token"], "/oauth/authenticate",
                                                 force_login="true", screen_name="@somebody"))
    assert 'name="password"' in page and 'value="somebody"' in page


def test_authorize_page_of_an_unknown_or_used_token_says_it_is_no_longer_valid(server, app,
                                                                               person):
    browser = sh.Browserless(server)
    page = sh.assert_page(browser.authorize_page("no-such-token"), 400)
    assert "no longer valid" in page
    token = sh.request_token(server, app)
    sh.pin_of(sh.assert_page(browser.decide(token["oauth_token"], person=person)))
    page = sh.assert_page(browser.authorize_page(token["oauth_token"]), 400)
    assert "no longer valid" in page
    resp = browser.decide(token["oauth_token"], page=sh.assert_page(browser.get("/login")))
    assert "no longer valid" in sh.assert_page(resp, 400)


def test_a_wrong_password_on_the_authorize_page_shows_the_form_again(server, app, person):
    token = sh.request_token(server, app)
    wrong = sh.Person(person.user_id, person.screen_name, "not the password")
    page = sh.assert_page(sh.Browserless(server).decide(token["oauth_token"], person=wrong), 403)
    assert "did not match our records" in page and 'name="password"' in page
    assert sh.pin_of(sh.assert_page(sh.Browserless(server).decide(token["oauth_token"],
                                                                  person=person)))


# --- access_token --------------------------------------------------------------------------


def test_access_token_signed_by_the_consumer_alone_is_401(server, app):
    # twurl's first attempt: no token, no verifier, no x_auth_* parameters.
    resp = sh.signed_post(server.url("/oauth/access_token"), app)
    assert_error(resp, *ERR_32)


def test_a_verifier_works_once(server, app, person):
    token = sh.request_token(server, app)
    pin = sh.pin_of(sh.assert_page(sh.Browserless(server).decide(token["oauth_token"],
                                                                 person=person)))
    assert sh.access_token(server, app, token, pin)
    assert_error(sh.post_access_token(server, app, token["oauth_token"],
                                      token["oauth_token_secret"], pin), *ERR_89)


def test_a_wrong_verifier_burns_the_request_token(server, app, person):
    token = sh.request_token(server, app)
    pin = sh.pin_of(sh.assert_page(sh.Browserless(server).decide(token["oauth_token"],
                                                                 person=person)))
    wrong = f"{(int(pin) + 1) % 10_000_000:07d}"
    assert_error(sh.post_access_token(server, app, token["oauth_token"],
                                      token["oauth_token_secret"], wrong), *ERR_89)
    assert_error(sh.post_access_token(server, app, token["oauth_token"],
                                      token["oauth_token_secret"], pin), *ERR_89)


def test_a_pending_token_has_no_verifier_to_exchange(server, app):
    token = sh.request_token(server, app)
    for verifier in ("0000000", "", None):
        assert_error(sh.post_access_token(server, app, token["oauth_token"],
                                          token["oauth_token_secret"], verifier), *ERR_89)


def test_a_verifier_with_another_apps_consumer_is_refused_and_leaves_the_token(server, person):
    app, other = sh.create_app(server), sh.create_app(server)
    token = sh.request_token(server, app)
    pin = sh.pin_of(sh.assert_page(sh.Browserless(server).decide(token["oauth_token"],
                                                                 person=person)))
    # The other app even knows the request token's secret: still not its token.
    assert_error(sh.post_access_token(server, other, token["oauth_token"],
                                      token["oauth_token_secret"], pin), *ERR_89)
    assert sh.access_token(server, app, token, pin)["user_id"] == str(person.user_id)


def test_a_replayed_access_token_request_is_refused(server, app, person):
    token = sh.request_token(server, app)
    pin = sh.pin_of(sh.assert_page(sh.Browserless(server).decide(token["oauth_token"],
                                                                 person=person)))
    url = server.url("/oauth/access_token")
    header = sh.oauth_header("POST", url, app, token["oauth_token"], token["oauth_token_secret"],
                             {"oauth_verifier": pin})
    first = requests.post(url, headers={"Authorization": header}, timeout=10)
    assert first.status_code == 200, first.text
    assert_error(requests.post(url, headers={"Authorization": header}, timeout=10), *ERR_32)


def test_request_tokens_and_verifiers_expire(server_factory, tmp_path):
    server = server_factory(extra_args=[*sh.SIGNIN_SERVER_ARGS, "--request-token-seconds", "2"])
    app, person = sh.create_app(server), sh.create_person(server)
    unused = sh.request_token(server, app)
    authorized = sh.request_token(server, app)
    pin = sh.pin_of(sh.assert_page(sh.Browserless(server).decide(authorized["oauth_token"],
                                                                 person=person)))
    time.sleep(3.1)
    assert "no longer valid" in sh.assert_page(
        sh.Browserless(server).authorize_page(unused["oauth_token"]), 400)
    assert_error(sh.post_access_token(server, app, authorized["oauth_token"],
                                      authorized["oauth_token_secret"], pin), *ERR_89)


# --- xAuth ---------------------------------------------------------------------------------


def xauth(server, app, screen_name, password, access_type=None):
    body = [("x_auth_mode", "client_auth"), ("x_auth_password", password),
            ("x_auth_username", screen_name)]
    if access_type:
        body.append(("x_auth_access_type", access_type))
    return sh.signed_post(server.url("/oauth/access_token"), app, body=body)


def test_xauth_trades_a_password_for_a_token_only_for_apps_allowed_it(server, person):
    allowed = sh.create_app(server, allow_xauth=True)
    resp = xauth(server, allowed, person.screen_name, person.password)
    assert resp.status_code == 200, resp.text
    granted = sh.form_fields(resp)
    assert granted["user_id"] == str(person.user_id)
    creds = sh.as_credentials(allowed, person, granted)
    assert assert_ok_json(requests.get(server.api(VERIFY), auth=creds.oauth(),
                                       timeout=10))["id"] == person.user_id

    not_allowed = sh.create_app(server)
    assert_error(xauth(server, not_allowed, person.screen_name, person.password), *ERR_32)
    assert_error(xauth(server, allowed, person.screen_name, "wrong password"), *ERR_32)
    assert_error(xauth(server, allowed, "nobody_" + secrets.token_hex(3), "x" * 12), *ERR_32)


# --- access levels -------------------------------------------------------------------------


def test_a_read_only_token_reads_but_gets_261_on_writes(server, app, person):
    granted = sh.pin_flow(server, app, person, access_type="read")
    creds = sh.as_credentials(app, person, granted)
    assert_ok_json(requests.get(server.api(VERIFY), auth=creds.oauth(), timeout=10))
    assert_ok_json(requests.post(server.api("users/lookup.json"), auth=creds.oauth(),
                                 data={"user_id": person.user_id}, timeout=10))
    assert_error(harness.upload_multipart(server, creds, imagegen.small_png()), *sh.ERR_261)
    assert_error(requests.post(server.api("account/update_profile.json"), auth=creds.oauth(),
                               data={"name": "Changed"}, timeout=10), *sh.ERR_261)
    assert harness.get_user(server, creds)["name"] != "Changed"


def test_an_app_registered_read_only_never_grants_write(server, person):
    app = sh.create_app(server, access_level="read")
    granted = sh.pin_flow(server, app, person, access_type="write")
    creds = sh.as_credentials(app, person, granted)
    assert_error(harness.upload_multipart(server, creds, imagegen.small_png()), *sh.ERR_261)


def test_the_authorize_page_says_what_access_is_asked(server, app):
    read = sh.request_token(server, app, access_type="read")
    page = sh.assert_page(sh.Browserless(server).authorize_page(read["oauth_token"]))
    assert "Update your profile or your profile image." in page  # in the "cannot" list
    assert "Update your profile and your profile image." not in page


# --- invalidate_token ----------------------------------------------------------------------


def test_invalidate_token_revokes_the_token_that_signed_it_even_a_read_only_one(server, app,
                                                                                 person):
    for access_type in ("read", "write"):
        creds = sh.as_credentials(app, person, sh.pin_flow(server, app, person, access_type))
        resp = requests.post(server.api("oauth/invalidate_token.json"), auth=creds.oauth(),
                             timeout=10)
        assert assert_ok_json(resp) == {"access_token": creds.access_token}
        assert_error(requests.get(server.api(VERIFY), auth=creds.oauth(), timeout=10), *ERR_89)


def test_oauth2_invalidate_token_revokes_a_bearer_token_of_that_app_only(server, app):
    other = sh.create_app(server)
    basic = (app.key, app.secret)
    bearer = requests.post(server.url("/oauth2/token"), auth=basic,
                           data={"grant_type": "client_credentials"}, timeout=10).json()
    token = bearer["access_token"]
    show = server.api("users/show.json")
    headers = {"Authorization": f"Bearer {token}"}
    someone = sh.create_person(server)
    assert requests.get(show, params={"user_id": someone.user_id}, headers=headers,
                        timeout=10).status_code == 200

    assert_error(requests.post(server.url("/oauth2/invalidate_token"), auth=(other.key, other.secret),
                               data={"access_token": token}, timeout=10), *ERR_89)
    assert_error(requests.post(server.url("/oauth2/invalidate_token"), auth=(app.key, "wrong"),
                               data={"access_token": token}, timeout=10),
                 403, 99, "Unable to verify your credentials")
    resp = requests.post(server.url("/oauth2/invalidate_token"), auth=basic,
                         data={"access_token": token}, timeout=10)
    assert assert_ok_json(resp) == {"access_token": token}
    assert_error(requests.get(show, params={"user_id": someone.user_id}, headers=headers,
                              timeout=10), *ERR_89)
    assert_error(requests.post(server.url("/oauth2/invalidate_token"), auth=basic,
                               data={"access_token": token}, timeout=10), *ERR_89)


# --- any node finishes a flow another began --------------------------------------------------


def test_a_flow_begun_before_a_restart_finishes_after_it(server_factory):
    server = server_factory(extra_args=sh.SIGNIN_SERVER_ARGS)
    app, person = sh.create_app(server), sh.create_person(server)
    token = sh.request_token(server, app)
    browser = sh.Browserless(server)
    page = sh.assert_page(browser.authorize_page(token["oauth_token"]))
    server.restart()
    pin = sh.pin_of(sh.assert_page(browser.decide(token["oauth_token"], person=person, page=page)))
    server.restart()
    assert sh.access_token(server, app, token, pin)["user_id"] == str(person.user_id)
    assert sh.assert_page(browser.get("/settings/profile"))  # the session survived too
