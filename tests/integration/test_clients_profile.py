"""The profile endpoints (SPEC §9) through unmodified tweepy 4.12 and twitter-api-v2."""

import json
import subprocess

import pytest
import tweepy

import harness


@pytest.fixture
def tweepy_api(server, creds, monkeypatch):
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    auth = tweepy.OAuth1UserHandler(creds.consumer_key, creds.consumer_secret,
                                    creds.access_token, creds.access_token_secret)
    api = tweepy.API(auth, host=f"127.0.0.1:{server.https_port}")  # tweepy speaks https only
    api.session.verify = str(server.tls[0])
    return api


def node_call(node_client, server, creds, method, **arguments):
    node, upload_script = node_client
    script = upload_script.parent / "profile.mjs"
    proc = subprocess.run([node, str(script), server.http_base, json.dumps(creds.fields), method,
                           json.dumps(arguments)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, f"node failed:\n{proc.stdout}\n{proc.stderr}"
    return json.loads(proc.stdout)


def test_tweepy_lookup_users_by_ids_and_screen_names(tweepy_api, server, creds):
    other = server.credentials()
    users = tweepy_api.lookup_users(user_id=[creds.user_id], screen_name=[other.screen_name])
    assert [u.id for u in users] == [creds.user_id, other.user_id]
    with pytest.raises(tweepy.NotFound) as none:
        tweepy_api.lookup_users(screen_name=["nobody_here_x"])
    assert none.value.api_codes == [17]


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
