"""tweepy 4.12, unmodified, over HTTPS with the suite's self-signed certificate."""

import io

import pytest
import requests
import tweepy
from PIL import Image

import harness

pytestmark = pytest.mark.schemes("https", reason="tweepy only speaks https")


@pytest.fixture
def tweepy_api(server, creds):
    auth = tweepy.OAuth1UserHandler(creds.consumer_key, creds.consumer_secret,
                                    creds.access_token, creds.access_token_secret)
    # tweepy always builds https://{host}/1.1/{endpoint}.json
    return tweepy.API(auth, host=f"127.0.0.1:{server.https_port}")


def test_tweepy_verify_credentials_returns_the_authenticating_user(tweepy_api, creds):
    me = tweepy_api.verify_credentials()
    assert me.id == creds.user_id and me.screen_name == creds.screen_name
    assert me.default_profile_image is True


def test_tweepy_get_user_by_screen_name_returns_that_user(tweepy_api, server, creds):
    other = server.credentials()
    user = tweepy_api.get_user(screen_name=other.screen_name)
    assert user.id == other.user_id and user.screen_name == other.screen_name
    assert user.profile_image_url_https.startswith(f"https://127.0.0.1:{server.https_port}/")


def test_tweepy_errors_surface_as_tweepy_exceptions_with_twitter_codes(tweepy_api):
    with pytest.raises(tweepy.NotFound) as raised:
        tweepy_api.get_user(screen_name="nobody_at_all_x")
    assert raised.value.api_codes == [50]


def test_tweepy_update_profile_image_with_a_corpus_jpeg_publishes_a_new_normal_jpeg(
        tweepy_api, server, creds, corpus_dir):
    before = tweepy_api.get_user(screen_name=creds.screen_name).profile_image_url_https
    returned = tweepy_api.update_profile_image(str(corpus_dir / "FreshFlower.jpg"))
    assert returned.id == creds.user_id

    harness.wait_for_image_change(server, creds, previous_url=None)
    after = tweepy_api.get_user(screen_name=creds.screen_name).profile_image_url_https
    assert after != before
    assert after.startswith(f"https://127.0.0.1:{server.https_port}/profile_images/")
    assert after.endswith("_normal.jpeg")

    resp = requests.get(after, timeout=10)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "image/jpeg"
    img = Image.open(io.BytesIO(resp.content))
    assert img.format == "JPEG" and img.size == (48, 48)
