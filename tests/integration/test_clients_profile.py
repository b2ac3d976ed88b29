"""The profile endpoints (SPEC §9) through unmodified tweepy 4.12, python-twitter 3.3 and
twitter-api-v2."""

import json
import subprocess
import time

import pytest
import tweepy
import twitter

import harness


@pytest.fixture
def tweepy_api(server, creds):
    auth = tweepy.OAuth1UserHandler(creds.consumer_key, creds.consumer_secret,
                                    creds.access_token, creds.access_token_secret)
    return tweepy.API(auth, host=f"127.0.0.1:{server.https_port}")  # tweepy speaks https only


TWEEPY = pytest.mark.schemes("https", reason="tweepy only speaks https")
NODE = pytest.mark.schemes("http", reason="the profile.mjs driver speaks plain http; "
                                          "test_twitter_api_v2 covers twitter-api-v2 over https")


def node_call(node_client, server, creds, method, **arguments):
    node, upload_script = node_client
    script = upload_script.parent / "profile.mjs"
    proc = subprocess.run([node, str(script), server.http_base, json.dumps(creds.fields), method,
                           json.dumps(arguments)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, f"node failed:\n{proc.stdout}\n{proc.stderr}"
    return json.loads(proc.stdout)


@TWEEPY
def test_tweepy_lookup_users_by_ids_and_screen_names(tweepy_api, server, creds):
    other = server.credentials()
    users = tweepy_api.lookup_users(user_id=[creds.user_id], screen_name=[other.screen_name])
    assert [u.id for u in users] == [creds.user_id, other.user_id]
    with pytest.raises(tweepy.NotFound) as none:
        tweepy_api.lookup_users(screen_name=["nobody_here_x"])
    assert none.value.api_codes == [17]


@TWEEPY
def test_tweepy_update_profile_changes_the_profile_and_refuses_too_long(tweepy_api, server,
                                                                        creds):
    user = tweepy_api.update_profile(name="Katherine Johnson", location="Hampton",
                                     description="Orbits", url="https://nasa.example")
    assert (user.name, user.location, user.url) == ("Katherine Johnson", "Hampton",
                                                     "https://nasa.example")
    assert harness.get_user(server, creds)["description"] == "Orbits"
    with pytest.raises(tweepy.Forbidden) as refused:
        tweepy_api.update_profile(name="n" * 51)
    assert refused.value.api_codes == [120]


@NODE
def test_twitter_api_v2_users_and_update_account_profile(server, creds, node_client):
    other = server.credentials()
    looked_up = node_call(node_client, server, creds, "users",
                          user_id=f"{other.user_id},{creds.user_id}")
    assert [u["id"] for u in looked_up["result"]] == [other.user_id, creds.user_id]
    updated = node_call(node_client, server, creds, "updateAccountProfile", name="Mary Jackson",
                        location="Hampton, VA")
    assert updated["result"]["name"] == "Mary Jackson"
    assert harness.get_user(server, creds)["location"] == "Hampton, VA"
    refused = node_call(node_client, server, creds, "updateAccountProfile", description="d" * 161)
    assert refused["error"]["code"] == 403
    assert refused["error"]["data"]["errors"][0]["code"] == 120


def wait_for_banner(server, creds, previous=None):
    deadline = time.monotonic() + harness.PROCESSING_TIMEOUT_S
    while time.monotonic() < deadline:
        url = harness.get_user(server, creds).get("profile_banner_url")
        if url and url != previous:
            return url
        time.sleep(0.1)
    raise AssertionError("no banner appeared")


@TWEEPY
def test_tweepy_update_get_and_remove_profile_banner(tweepy_api, server, creds, corpus_dir):
    tweepy_api.update_profile_banner(str(corpus_dir / "coffee.png"), width=300, height=200,
                                     offset_left=10, offset_top=20)
    base = wait_for_banner(server, creds)
    banner = tweepy_api.get_profile_banner(screen_name=creds.screen_name)
    sizes = banner["sizes"] if isinstance(banner, dict) else banner.json()["sizes"]
    assert sizes["1500x500"] == {"h": 500, "w": 1500, "url": f"{base}/1500x500"}
    assert tweepy_api.get_user(user_id=creds.user_id).profile_banner_url == base
    tweepy_api.remove_profile_banner()
    with pytest.raises(tweepy.NotFound):
        tweepy_api.get_profile_banner(screen_name=creds.screen_name)


def test_python_twitter_update_banner_sends_base64_in_a_form(server, creds, corpus_dir):
    api = twitter.Api(consumer_key=creds.consumer_key, consumer_secret=creds.consumer_secret,
                      access_token_key=creds.access_token,
                      access_token_secret=creds.access_token_secret,
                      base_url=f"{server.base}/1.1", sleep_on_rate_limit=True, timeout=30)
    assert api.UpdateBanner(str(corpus_dir / "rocket.jpg")) is True
    # profile_banner_url is the https form wherever https is served, as Twitter's was.
    assert wait_for_banner(server, creds).startswith(
        f"https://127.0.0.1:{server.https_port}/profile_banners/{creds.user_id}/")


@NODE
def test_twitter_api_v2_update_sizes_and_remove_banner(server, creds, node_client, corpus_dir):
    uploaded = node_call(node_client, server, creds, "updateAccountProfileBanner",
                         file=str(corpus_dir / "astronaut.png"))
    assert "error" not in uploaded, uploaded
    base = wait_for_banner(server, creds)
    sizes = node_call(node_client, server, creds, "userProfileBannerSizes", user_id=creds.user_id)
    assert sizes["result"]["sizes"]["web_retina"]["url"] == f"{base}/web_retina"
    removed = node_call(node_client, server, creds, "removeAccountProfileBanner")
    assert "error" not in removed, removed
    gone = node_call(node_client, server, creds, "userProfileBannerSizes", user_id=creds.user_id)
    assert gone["error"]["code"] == 404
