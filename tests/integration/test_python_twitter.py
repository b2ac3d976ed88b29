"""python-twitter 3.3 (Debian python3-twitter), unmodified, with sleep_on_rate_limit=True.

With sleep_on_rate_limit the client reads application/rate_limit_status before its first call
and consults it before every call, so none of them works unless that endpoint does.
"""

import pytest
import twitter

import harness


def make_api(server, creds):
    # Over the server's scheme; for https, requests trusts the suite's CA (REQUESTS_CA_BUNDLE).
    return twitter.Api(consumer_key=creds.consumer_key, consumer_secret=creds.consumer_secret,
                       access_token_key=creds.access_token,
                       access_token_secret=creds.access_token_secret,
                       base_url=f"{server.base}/1.1", sleep_on_rate_limit=True, timeout=30)


@pytest.fixture
def limited_server(server_factory):
    return server_factory(rate_limits=True)


def test_python_twitter_reads_the_rate_limits_then_verifies_credentials(limited_server):
    creds = limited_server.credentials()
    api = make_api(limited_server, creds)
    me = api.VerifyCredentials()
    assert me.id == creds.user_id and me.screen_name == creds.screen_name
    limits = api.rate_limit.resources
    assert limits["account"]["/account/verify_credentials"]["limit"] == 75
    assert limits["users"]["/users/lookup"]["limit"] == 900
    # The client keeps its copy current from the x-rate-limit-* headers of each response.
    api.VerifyCredentials()
    assert api.rate_limit.get_limit("/account/verify_credentials").remaining == 73


def test_python_twitter_update_image_sends_base64_and_the_new_image_goes_live(
        limited_server, corpus_dir):
    creds = limited_server.credentials()
    api = make_api(limited_server, creds)
    assert api.UpdateImage(str(corpus_dir / "chelsea.png")) is True
    user = harness.wait_for_image_change(limited_server, creds)
    assert user["profile_image_url"].endswith("_normal.png")
    with pytest.raises(twitter.TwitterError) as refused:
        api.UpdateImage(str(corpus_dir / "truncated.jpg"))
    assert "could not be processed" in str(refused.value)


def test_python_twitter_users_lookup_returns_the_users_asked_for(limited_server):
    creds = limited_server.credentials()
    others = [limited_server.credentials() for _ in range(2)]
    api = make_api(limited_server, creds)
    users = api.UsersLookup(user_id=[others[0].user_id, creds.user_id],
                            screen_name=[others[1].screen_name])
    assert [u.id for u in users] == [others[0].user_id, creds.user_id, others[1].user_id]
    with pytest.raises(twitter.TwitterError) as none:
        api.UsersLookup(screen_name=["nobody_here_x"])
    assert none.value.message[0]["code"] == 17


def test_python_twitter_update_profile_changes_the_profile(limited_server):
    creds = limited_server.credentials()
    api = make_api(limited_server, creds)
    user = api.UpdateProfile(name="Grace Hopper", profileURL="example.com/grace",
                             location="Arlington", description="COBOL", profile_link_color="FF00FF")
    assert (user.name, user.location, user.description) == ("Grace Hopper", "Arlington", "COBOL")
    assert user.url == "http://example.com/grace"
    assert user.profile_link_color == "FF00FF"
    with pytest.raises(twitter.TwitterError) as refused:
        api.UpdateProfile(location="x" * 31)
    assert refused.value.message[0]["code"] == 120
