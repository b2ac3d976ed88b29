"""OAuth 1.0a parameter rules (RFC 5849 sections 3.1-3.2) and the one decoding of a urlencoded
image, against a real server. docs/SECURITY.md ("Security tests") lists each case."""

import base64
import io
import os
import secrets
import urllib.parse

import requests
from PIL import Image

import harness
import imagegen
from harness import ERR_215, assert_error, assert_ok_json

UPLOAD = "account/update_profile_image.json"
VERIFY = "account/verify_credentials.json"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def jobs_of(server, creds):
    return [j for j in server.jobs() if str(j["user_id"]) == str(creds.user_id)]


def header_params(header):
    """The (name, value) pairs of an `OAuth k="v", ...` header, decoded."""
    return [(k, urllib.parse.unquote(v.strip('"')))
            for k, v in (p.split("=", 1) for p in header[len("OAuth "):].split(", "))]


def with_query(url, pairs):
    return url + "?" + urllib.parse.urlencode(pairs, quote_via=urllib.parse.quote)


def consumer_only(creds):
    """Signs with the app's consumer key and secret alone (no oauth_token), as oauthlib does."""
    return creds.oauth(access_token=None, access_token_secret=None)


# --- each oauth_* parameter once per request ----------------------------------------------


def test_a_nonce_in_the_header_and_another_in_the_query_is_215_either_way_round(server, creds):
    # Signed over both nonces, the base string is the same whichever one the header carries:
    # before the rule, the second request was a replay the server could not see.
    one, two = "one" + secrets.token_hex(8), "two" + secrets.token_hex(8)
    for header_nonce, query_nonce in ((one, two), (two, one)):
        url = with_query(server.api(VERIFY), [("oauth_nonce", query_nonce)])
        header = harness.oauth1_header("GET", url, creds, nonce=header_nonce)
        resp = requests.get(url, headers={"Authorization": header}, timeout=10)
        assert_error(resp, *ERR_215)

    url = with_query(server.api(UPLOAD), [("oauth_nonce", two)])
    resp = requests.post(url, timeout=10, files={"image": ("a.png", imagegen.small_png())},
                         headers={"Authorization": harness.oauth1_header("POST", url, creds,
                                                                         nonce=one)})
    assert_error(resp, *ERR_215)
    assert jobs_of(server, creds) == []


def test_a_protocol_parameter_twice_in_the_query_is_215(server, creds):
    url = server.api(VERIFY)
    signed = header_params(harness.oauth1_header("GET", url, creds))
    extra = ("oauth_nonce", "again" + secrets.token_hex(8))
    params = [p for p in signed if p[0] != "oauth_signature"] + [extra]
    signature = harness.oauth1_signature("GET", url, params, creds.consumer_secret,
                                         creds.access_token_secret)
    resp = requests.get(with_query(url, params + [("oauth_signature", signature)]), timeout=10)
    assert_error(resp, *ERR_215)


def test_a_protocol_parameter_twice_in_the_header_is_215(server, creds):
    url = server.api(VERIFY)
    header = harness.oauth1_header("GET", url, creds)
    twice = header + f', oauth_nonce="{secrets.token_hex(8)}"'
    assert_error(requests.get(url, headers={"Authorization": twice}, timeout=10), *ERR_215)


def test_a_protocol_parameter_in_the_header_and_in_a_form_body_is_215(server, creds):
    url = server.api(UPLOAD)
    body = [("image", base64.b64encode(imagegen.small_png()).decode()),
            ("oauth_token", creds.access_token)]
    header = harness.oauth1_header("POST", url, creds, body_params=body)
    resp = requests.post(url, data=urllib.parse.urlencode(body), timeout=10,
                         headers={"Authorization": header, **FORM})
    assert_error(resp, *ERR_215)
    assert jobs_of(server, creds) == []


def test_a_signature_in_the_header_and_another_in_the_query_is_215(server, creds):
    url = server.api(VERIFY)
    header = harness.oauth1_header("GET", url, creds)
    signature = dict(header_params(header))["oauth_signature"]
    resp = requests.get(with_query(url, [("oauth_signature", signature)]), timeout=10,
                        headers={"Authorization": header})
    assert_error(resp, *ERR_215)


# --- a signature without an access token ----------------------------------------------------


def test_a_correctly_signed_request_without_a_token_is_215_never_a_5xx(server, creds):
    calls = [requests.get(server.api(VERIFY), auth=consumer_only(creds), timeout=10),
             requests.get(server.api("users/show.json"), params={"user_id": creds.user_id},
                          auth=consumer_only(creds), timeout=10),
             requests.post(server.api(UPLOAD), auth=consumer_only(creds), timeout=10,
                           files={"image": ("a.png", imagegen.small_png())})]
    for resp in calls:
        assert b"oauth_token" not in resp.request.headers["Authorization"]
        assert_error(resp, *ERR_215)
    assert jobs_of(server, creds) == []
    assert "NOT NULL" not in server.log_tail(400)


# --- the urlencoded image is decoded once, as the signature decodes it ----------------------


def noisy_png_with_plus(size=24):
    """A PNG whose standard base64 holds '+' (random pixels: almost always, checked)."""
    while True:
        img = Image.frombytes("RGB", (size, size), os.urandom(size * size * 3))
        data = imagegen.to_bytes(img, "PNG")
        if "+" in base64.b64encode(data).decode():
            return data


def test_a_plus_sent_as_a_percent_encoded_space_in_a_urlencoded_image_is_accepted(server, creds):
    for plus_as in ("%20", "+", "%2B"):
        data = noisy_png_with_plus()
        encoded = base64.b64encode(data).decode()
        body = "image=" + urllib.parse.quote(encoded, safe="").replace("%2B", plus_as)
        before = harness.get_user(server, creds)["profile_image_url"]
        resp = requests.post(server.api(UPLOAD), data=body, auth=creds.oauth(), timeout=10,
                             headers=FORM)
        assert assert_ok_json(resp)["id"] == creds.user_id, plus_as
        user = harness.wait_for_image_change(server, creds, previous_url=before)
        original = requests.get(harness.variant_url(user["profile_image_url"], ""), timeout=10)
        assert original.status_code == 200
        assert Image.open(io.BytesIO(original.content)).size == (24, 24)
