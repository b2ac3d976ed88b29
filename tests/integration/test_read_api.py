"""The read side: users/show, verify_credentials, oauth2/token, OAuth errors, rate limits."""

import re
import secrets
import time
import urllib.parse

import pytest
import requests

import harness
from harness import ERR_32, ERR_34, ERR_89, ERR_135, ERR_215, assert_error, assert_ok_json

USER_FIELD_TYPES = {
    "id": int, "id_str": str, "name": str, "screen_name": str,
    "location": (str, type(None)), "description": (str, type(None)), "url": (str, type(None)),
    "protected": bool, "followers_count": int, "friends_count": int, "listed_count": int,
    "created_at": str, "favourites_count": int, "utc_offset": (int, type(None)),
    "time_zone": (str, type(None)), "geo_enabled": bool, "verified": bool,
    "statuses_count": int, "lang": (str, type(None)), "contributors_enabled": bool,
    "is_translator": bool, "profile_background_color": str,
    "profile_background_image_url": (str, type(None)),
    "profile_background_image_url_https": (str, type(None)),
    "profile_background_tile": bool, "profile_link_color": str,
    "profile_sidebar_border_color": str, "profile_sidebar_fill_color": str,
    "profile_text_color": str, "profile_use_background_image": bool,
    "profile_image_url": str, "profile_image_url_https": str, "default_profile": bool,
    "default_profile_image": bool, "following": bool, "follow_request_sent": bool,
    "notifications": bool, "show_all_inline_media": bool,
}
CREATED_AT_RE = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d\d \d\d:\d\d:\d\d \+0000 \d{4}$")


def _type_ok(value, expected):
    # bool is an int subclass in Python; JSON true must not pass for a count, nor 1 for a flag.
    kinds = expected if isinstance(expected, tuple) else (expected,)
    return any(type(value) is kind for kind in kinds)


def assert_user_object(user, creds):
    missing = [k for k in USER_FIELD_TYPES if k not in user]
    assert not missing, f"user object lacks {missing}"
    wrong = {k: user[k] for k, t in USER_FIELD_TYPES.items() if not _type_ok(user[k], t)}
    assert not wrong, f"fields with the wrong JSON type: {wrong}"
    keys = list(user)
    assert keys == sorted(keys), f"fields not in the seed's (alphabetical) order: {keys}"
    assert user["id"] == creds.user_id and user["id_str"] == str(creds.user_id)
    assert user["screen_name"] == creds.screen_name
    assert CREATED_AT_RE.match(user["created_at"]), user["created_at"]
    created = time.mktime(time.strptime(user["created_at"], "%a %b %d %H:%M:%S +0000 %Y"))
    assert abs(created - time.timezone - time.time()) < 3600 * 24, user["created_at"]


def get(server, path, creds, **params):
    return requests.get(server.api(path), params=params, auth=creds.oauth(), timeout=10)


def test_users_show_by_screen_name_returns_the_full_user_object_in_seed_order(server, creds):
    user = assert_ok_json(get(server, "users/show.json", creds, screen_name=creds.screen_name))
    assert_user_object(user, creds)
    assert "entities" in user and "email" not in user


def test_users_show_by_user_id_returns_the_same_user(server, creds):
    by_name = assert_ok_json(get(server, "users/show.json", creds, screen_name=creds.screen_name))
    by_id = assert_ok_json(get(server, "users/show.json", creds, user_id=creds.user_id))
    assert_user_object(by_id, creds)
    assert by_id == by_name


def test_users_show_finds_screen_names_case_insensitively_like_twitter(server, creds):
    user = assert_ok_json(get(server, "users/show.json", creds,
                              screen_name=creds.screen_name.upper()))
    assert user["id"] == creds.user_id


def test_json_suffix_is_optional(server, creds):
    with_suffix = assert_ok_json(get(server, "users/show.json", creds, user_id=creds.user_id))
    without = assert_ok_json(get(server, "users/show", creds, user_id=creds.user_id))
    assert without == with_suffix
    me = assert_ok_json(get(server, "account/verify_credentials", creds))
    assert me["id"] == creds.user_id


def test_a_user_who_never_uploaded_has_the_default_image_on_the_host_the_client_used(server, creds):
    """Over http, profile_image_url is on the http listener and profile_image_url_https on the
    https one; over https both are on the https listener (docs/DECISIONS.md, Image URLs)."""
    user = assert_ok_json(get(server, "users/show.json", creds, user_id=creds.user_id))
    assert user["default_profile_image"] is True
    assert user["profile_image_url"] == f"{server.base}{harness.DEFAULT_IMAGE_PATH}"
    assert user["profile_image_url_https"] == f"{server.https_base}{harness.DEFAULT_IMAGE_PATH}"
    for url in (user["profile_image_url"], user["profile_image_url_https"]):
        resp = requests.get(url, timeout=10)
        assert resp.status_code == 200 and resp.headers["Content-Type"] == "image/png", url


def test_include_entities_false_omits_entities(server, creds):
    for value in ("false", "f", "0"):
        user = assert_ok_json(get(server, "users/show.json", creds, user_id=creds.user_id,
                                  include_entities=value))
        assert "entities" not in user, value
    kept = assert_ok_json(get(server, "users/show.json", creds, user_id=creds.user_id,
                              include_entities="true"))
    assert "entities" in kept


def test_profile_url_becomes_a_url_entity_spanning_the_whole_url(server, creds):
    server.update_user(creds.screen_name, url="https://example.com/portrait")
    user = assert_ok_json(get(server, "users/show.json", creds, user_id=creds.user_id))
    assert user["url"]
    urls = user["entities"]["url"]["urls"]
    assert len(urls) == 1
    entity = urls[0]
    assert set(entity) >= {"url", "expanded_url", "display_url", "indices"}
    assert entity["expanded_url"] == "https://example.com/portrait"
    assert entity["display_url"] == "example.com/portrait"
    assert entity["indices"] == [0, len(user["url"])]
    assert entity["url"] == user["url"]


def test_description_url_entity_indices_count_code_points_after_non_ascii_text(server, creds):
    link = "https://example.org/caf%C3%A9"
    description = f"Café ☕ 😀 naïve — see {link} ok"
    server.update_user(creds.screen_name, description=description)
    user = assert_ok_json(get(server, "users/show.json", creds, user_id=creds.user_id))
    assert user["description"] == description
    urls = user["entities"]["description"]["urls"]
    assert len(urls) == 1, urls
    start = description.index(link)  # Python indexes strings by code point
    assert urls[0]["indices"] == [start, start + len(link)]
    assert urls[0]["expanded_url"] == link
    # What the indices span must be the URL the entity names.
    assert user["description"][start:start + len(link)] == urls[0]["url"]


def test_profile_fields_set_by_the_cli_appear_in_the_user_object(server, creds):
    server.update_user(creds.screen_name, name="Sean Test", location="San Francisco, CA")
    user = assert_ok_json(get(server, "users/show.json", creds, user_id=creds.user_id))
    assert user["name"] == "Sean Test" and user["location"] == "San Francisco, CA"


def test_verify_credentials_returns_the_authenticating_user_without_email_by_default(server, creds):
    server.update_user(creds.screen_name, email="sean@example.com")
    user = assert_ok_json(get(server, "account/verify_credentials.json", creds))
    assert_user_object(user, creds)
    assert "email" not in user


def test_verify_credentials_with_include_email_adds_the_email_in_order(server, creds):
    server.update_user(creds.screen_name, email="sean@example.com")
    user = assert_ok_json(get(server, "account/verify_credentials.json", creds,
                              include_email="true"))
    assert user["email"] == "sean@example.com"
    assert list(user) == sorted(user)
    shown = assert_ok_json(get(server, "users/show.json", creds, user_id=creds.user_id,
                               include_email="true"))
    assert "email" not in shown


def test_hmac_sha256_signatures_are_accepted(server, creds):
    resp = requests.get(server.api("account/verify_credentials.json"), timeout=10,
                        auth=creds.oauth(signature_method="HMAC-SHA256"))
    assert assert_ok_json(resp)["id"] == creds.user_id


def test_header_without_spaces_and_signed_negative_numeric_nonce_are_accepted(server, creds):
    url = server.api("account/verify_credentials.json")
    header = harness.oauth1_header("GET", url, creds, spaces=False,
                                   nonce=f"-{secrets.randbelow(10**18)}")
    resp = requests.get(url, headers={"Authorization": header}, timeout=10)
    assert assert_ok_json(resp)["id"] == creds.user_id


def test_oauth_parameters_in_the_query_string_are_accepted(server, creds):
    url = server.api("account/verify_credentials.json")
    header = harness.oauth1_header("GET", url, creds)
    params = dict((k, urllib.parse.unquote(v.strip('"')))
                  for k, v in (p.split("=", 1) for p in header[len("OAuth "):].split(", ")))
    resp = requests.get(url, params=params, timeout=10)
    assert assert_ok_json(resp)["id"] == creds.user_id


# --- app-only bearer tokens ----------------------------------------------------------------


def bearer_token(server, creds):
    resp = requests.post(server.url("/oauth2/token"), timeout=10,
                         auth=(creds.consumer_key, creds.consumer_secret),
                         headers={"Content-Type":
                                  "application/x-www-form-urlencoded;charset=UTF-8"},
                         data="grant_type=client_credentials")
    body = assert_ok_json(resp)
    assert body["token_type"] == "bearer" and isinstance(body["access_token"], str)
    assert len(body["access_token"]) >= 20
    return body["access_token"]


def test_oauth2_token_issues_a_bearer_that_can_read_users_show(server, creds):
    token = bearer_token(server, creds)
    resp = requests.get(server.api("users/show.json"), params={"screen_name": creds.screen_name},
                        headers={"Authorization": f"Bearer {token}"}, timeout=10)
    user = assert_ok_json(resp)
    assert user["id"] == creds.user_id
    assert "email" not in user


def test_oauth2_token_refuses_a_wrong_consumer_secret(server, creds):
    resp = requests.post(server.url("/oauth2/token"), timeout=10,
                         auth=(creds.consumer_key, "not-the-secret"),
                         data={"grant_type": "client_credentials"})
    assert 400 <= resp.status_code < 500
    harness.assert_api_headers(resp)
    assert "access_token" not in resp.json()


def test_bearer_token_on_verify_credentials_is_forbidden_with_220(server, creds):
    token = bearer_token(server, creds)
    resp = requests.get(server.api("account/verify_credentials.json"), timeout=10,
                        headers={"Authorization": f"Bearer {token}"})
    assert_error(resp, 403, 220, "Your credentials do not allow access to this resource.")


def test_bearer_token_on_update_profile_image_is_forbidden_with_220(server, creds):
    token = bearer_token(server, creds)
    resp = requests.post(server.api("account/update_profile_image.json"), timeout=10,
                         headers={"Authorization": f"Bearer {token}"},
                         files={"image": ("a.png", b"\x89PNG")})
    assert_error(resp, 403, 220, "Your credentials do not allow access to this resource.")


# --- authentication errors -----------------------------------------------------------------


@pytest.mark.parametrize("path", ["users/show.json", "account/verify_credentials.json"])
def test_request_without_credentials_is_refused_with_215(server, creds, path):
    resp = requests.get(server.api(path), params={"screen_name": creds.screen_name}, timeout=10)
    assert_error(resp, *ERR_215)


def test_malformed_authorization_header_is_refused_with_215(server):
    resp = requests.get(server.api("account/verify_credentials.json"), timeout=10,
                        headers={"Authorization": "OAuth this is not oauth"})
    assert_error(resp, *ERR_215)


def test_upload_without_credentials_is_refused_with_215(server):
    resp = requests.post(server.api("account/update_profile_image.json"), timeout=10,
                         files={"image": ("a.png", b"\x89PNG\r\n\x1a\n")})
    assert_error(resp, *ERR_215)


def test_bad_signature_is_refused_with_32(server, creds):
    resp = requests.get(server.api("account/verify_credentials.json"), timeout=10,
                        auth=creds.oauth(consumer_secret="wrong" + creds.consumer_secret))
    assert_error(resp, *ERR_32)


def test_signature_over_different_parameters_is_refused_with_32(server, creds):
    url = server.api("users/show.json")
    header = harness.oauth1_header("GET", url + "?screen_name=someone_else", creds)
    resp = requests.get(url, params={"screen_name": creds.screen_name},
                        headers={"Authorization": header}, timeout=10)
    assert_error(resp, *ERR_32)


def test_unknown_consumer_key_is_refused_with_32(server, creds):
    resp = requests.get(server.api("account/verify_credentials.json"), timeout=10,
                        auth=creds.oauth(consumer_key="unknownconsumer" + secrets.token_hex(4)))
    assert_error(resp, *ERR_32)


def test_unknown_access_token_is_refused_with_89(server, creds):
    resp = requests.get(server.api("account/verify_credentials.json"), timeout=10,
                        auth=creds.oauth(access_token=f"{creds.user_id}-{secrets.token_hex(16)}"))
    assert_error(resp, *ERR_89)


def test_revoked_access_token_is_refused_with_89(server):
    creds = server.credentials()
    assert_ok_json(get(server, "account/verify_credentials.json", creds))
    server.revoke_token(creds.access_token)
    assert_error(get(server, "account/verify_credentials.json", creds), *ERR_89)


@pytest.mark.parametrize("skew_s", [-3600, 3600])
def test_timestamp_outside_the_window_is_refused_with_135(server, creds, skew_s):
    resp = requests.get(server.api("account/verify_credentials.json"), timeout=10,
                        auth=creds.oauth(timestamp=str(int(time.time()) + skew_s)))
    assert_error(resp, *ERR_135)


def test_timestamp_a_few_minutes_off_is_accepted(server, creds):
    resp = requests.get(server.api("account/verify_credentials.json"), timeout=10,
                        auth=creds.oauth(timestamp=str(int(time.time()) - 300)))
    assert_ok_json(resp)


def test_replaying_the_exact_same_signed_request_is_refused_with_32(server, creds):
    prepared = requests.Request("GET", server.api("account/verify_credentials.json"),
                                auth=creds.oauth()).prepare()
    with requests.Session() as session:
        assert_ok_json(harness.send_prepared(session, prepared))
        assert_error(harness.send_prepared(session, prepared), *ERR_32)


# --- request errors ------------------------------------------------------------------------


def test_users_show_without_user_id_or_screen_name_is_400_38(server, creds):
    resp = get(server, "users/show.json", creds)
    assert_error(resp, 400, 38, "user_id or screen_name parameter is missing.")


def test_unknown_user_is_404_50(server, creds):
    assert_error(get(server, "users/show.json", creds, screen_name="nobody_" + secrets.token_hex(3)),
                 404, 50, "User not found.")
    assert_error(get(server, "users/show.json", creds, user_id=987654321987), 404, 50,
                 "User not found.")


@pytest.mark.parametrize("path", ["/1.1/statuses/update.json", "/1.1/users/nothing.json",
                                  "/nothing", "/1.1/"])
def test_unknown_path_is_404_34(server, path):
    assert_error(requests.get(server.url(path), timeout=10), *ERR_34)


@pytest.mark.parametrize("method,path", [("GET", "account/update_profile_image.json"),
                                         ("POST", "account/verify_credentials.json"),
                                         ("DELETE", "users/show.json")])
def test_wrong_method_is_404_34(server, creds, method, path):
    resp = requests.request(method, server.api(path), timeout=10, auth=creds.oauth(),
                            params={"screen_name": creds.screen_name})
    assert_error(resp, *ERR_34)


def test_every_response_carries_a_date_header(server, creds):
    for resp in (requests.get(server.url("/healthz"), timeout=10),
                 requests.get(server.url(harness.DEFAULT_IMAGE_PATH), timeout=10),
                 requests.get(server.url("/profile_images/1/nope_normal.png"), timeout=10),
                 get(server, "users/show.json", creds, user_id=creds.user_id)):
        harness.assert_date_header(resp)


def test_healthz_answers_200(server):
    assert requests.get(server.url("/healthz"), timeout=10).status_code == 200


def test_metrics_are_prometheus_text(server):
    resp = requests.get(server.url("/metrics"), timeout=10)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("text/plain")
    assert re.search(r"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? [-+0-9.eEnaNInf]+$", resp.text,
                     re.MULTILINE), resp.text[:500]


# --- rate limits ---------------------------------------------------------------------------


def assert_rate_headers(resp, limit):
    assert resp.headers.get("x-rate-limit-limit") == str(limit), dict(resp.headers)
    remaining = int(resp.headers["x-rate-limit-remaining"])
    reset = int(resp.headers["x-rate-limit-reset"])
    assert 0 <= remaining <= limit
    assert time.time() - 5 <= reset <= time.time() + 15 * 60 + 5, reset
    return remaining


def test_verify_credentials_allows_75_calls_per_window_then_429_88(server_factory):
    limited = server_factory(rate_limits=True)
    creds = limited.credentials()
    url = limited.api("account/verify_credentials.json")
    with requests.Session() as session:
        remaining_seen = []
        for _ in range(75):
            resp = session.get(url, auth=creds.oauth(), timeout=10)
            assert_ok_json(resp)
            remaining_seen.append(assert_rate_headers(resp, 75))
        assert remaining_seen == list(range(74, -1, -1))
        resp = session.get(url, auth=creds.oauth(), timeout=10)
        assert_error(resp, 429, 88, "Rate limit exceeded.")
        assert assert_rate_headers(resp, 75) == 0
        # Other endpoints keep their own budget.
        shown = session.get(limited.api("users/show.json"), auth=creds.oauth(), timeout=10,
                            params={"user_id": creds.user_id})
        assert_ok_json(shown)
        assert assert_rate_headers(shown, 900) == 899
        # And other users theirs.
        other = limited.credentials()
        assert_ok_json(session.get(url, auth=other.oauth(), timeout=10))


def test_rate_limit_headers_are_on_errors_and_uploads_too(server_factory):
    limited = server_factory(rate_limits=True)
    creds = limited.credentials()
    missing = requests.get(limited.api("users/show.json"), auth=creds.oauth(), timeout=10)
    assert_error(missing, 400, 38, "user_id or screen_name parameter is missing.")
    assert_rate_headers(missing, 900)
    upload = requests.post(limited.api("account/update_profile_image.json"), auth=creds.oauth(),
                           files={"image": ("x", b"not an image")}, timeout=10)
    assert_error(upload, 400, 44, "media type unrecognized.")
    assert_rate_headers(upload, 30)
