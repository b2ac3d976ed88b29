"""The profile around the image (SPEC §9): users/lookup and application/rate_limit_status."""

import time

import pytest
import requests

import harness
from harness import assert_error, assert_ok_json

ERR_17 = (404, 17, "No user matches for specified terms.")
ERR_18 = (400, 18, "Too many terms specified in query.")


def bearer_token(server, creds):
    resp = requests.post(server.url("/oauth2/token"), timeout=10,
                         auth=(creds.consumer_key, creds.consumer_secret),
                         headers={"Content-Type": "application/x-www-form-urlencoded"},
                         data="grant_type=client_credentials")
    return assert_ok_json(resp)["access_token"]


def lookup(server, auth=None, method="GET", headers=None, **params):
    url = server.api("users/lookup.json")
    if method == "GET":
        return requests.get(url, params=params, auth=auth, headers=headers, timeout=10)
    return requests.post(url, data=params, auth=auth, headers=headers, timeout=10)


@pytest.fixture
def three_users(server):
    return [server.credentials() for _ in range(3)]


# --- users/lookup ----------------------------------------------------------------------------


def test_lookup_by_ids_and_screen_names_returns_each_user_once_in_the_order_asked(server,
                                                                                 three_users):
    a, b, c = three_users
    users = assert_ok_json(lookup(server, a.oauth(), user_id=f"{b.user_id},{a.user_id},{b.user_id}",
                                  screen_name=f"{c.screen_name.upper()},@{a.screen_name}"))
    assert [u["id"] for u in users] == [b.user_id, a.user_id, c.user_id]
    assert all(u["profile_image_url"] for u in users)
    assert users[2]["screen_name"] == c.screen_name


def test_lookup_by_post_form_matches_get(server, three_users):
    a, b, _ = three_users
    params = {"user_id": f"{a.user_id}, {b.user_id}"}
    got = assert_ok_json(lookup(server, a.oauth(), **params))
    posted = assert_ok_json(lookup(server, a.oauth(), method="POST", **params))
    assert [u["id"] for u in posted] == [u["id"] for u in got] == [a.user_id, b.user_id]


def test_lookup_leaves_unknown_users_out_and_404_17_when_none_is_found(server, three_users):
    a = three_users[0]
    users = assert_ok_json(lookup(server, a.oauth(), user_id=f"999999999,{a.user_id},abc",
                                  screen_name="nobody_here_x"))
    assert [u["id"] for u in users] == [a.user_id]
    assert_error(lookup(server, a.oauth(), user_id="999999999", screen_name="nobody_here_x"),
                 *ERR_17)
    assert_error(lookup(server, a.oauth()), *ERR_17)
    assert_error(lookup(server, a.oauth(), screen_name=" , ,"), *ERR_17)


def test_lookup_of_100_terms_is_answered_and_101_is_400_18(server, three_users):
    a = three_users[0]
    ids = [str(a.user_id)] + [str(10_000_000 + i) for i in range(99)]
    assert len(assert_ok_json(lookup(server, a.oauth(), user_id=",".join(ids)))) == 1
    assert_error(lookup(server, a.oauth(), user_id=",".join(ids),
                        screen_name=a.screen_name), *ERR_18)


def test_lookup_honours_include_entities(server, three_users):
    a = three_users[0]
    kept = assert_ok_json(lookup(server, a.oauth(), user_id=a.user_id))
    dropped = assert_ok_json(lookup(server, a.oauth(), user_id=a.user_id, include_entities="false"))
    assert "entities" in kept[0] and "entities" not in dropped[0]


def test_lookup_with_a_bearer_token_works_and_without_credentials_is_400_215(server, three_users):
    a, b, _ = three_users
    token = bearer_token(server, a)
    users = assert_ok_json(lookup(server, headers={"Authorization": f"Bearer {token}"},
                                  screen_name=b.screen_name))
    assert users[0]["id"] == b.user_id
    assert_error(lookup(server, user_id=a.user_id), *harness.ERR_215)


def test_lookup_screen_names_are_data_not_sql_or_patterns(server, three_users):
    a = three_users[0]
    for hostile in ("%", "_", "' OR 1=1 --", '"]', "\\", "\u00e9"):
        assert_error(lookup(server, a.oauth(), screen_name=hostile), *ERR_17)


# --- application/rate_limit_status ---------------------------------------------------------


def rate_status(server, auth=None, headers=None, **params):
    return requests.get(server.api("application/rate_limit_status.json"), params=params,
                        auth=auth, headers=headers, timeout=10)


def assert_window(window, limit, remaining):
    assert window["limit"] == limit, window
    assert window["remaining"] == remaining, window
    assert time.time() - 5 <= window["reset"] <= time.time() + 15 * 60 + 5, window


def test_rate_limit_status_reports_the_windows_the_headers_come_from(server_factory):
    limited = server_factory(rate_limits=True)
    creds = limited.credentials()
    with requests.Session() as session:
        for _ in range(3):
            resp = session.get(limited.api("account/verify_credentials.json"), auth=creds.oauth(),
                               timeout=10)
            assert_ok_json(resp)
        header_reset = int(resp.headers["x-rate-limit-reset"])
        assert_ok_json(session.get(limited.api("users/lookup.json"), auth=creds.oauth(),
                                   params={"user_id": creds.user_id}, timeout=10))
        assert_ok_json(session.post(limited.api("users/lookup.json"), auth=creds.oauth(),
                                    data={"user_id": creds.user_id}, timeout=10))
    status = assert_ok_json(rate_status(limited, creds.oauth()))
    assert status["rate_limit_context"] == {"access_token": creds.access_token}
    resources = status["resources"]
    assert {"users", "account", "application"} <= set(resources)
    verify = resources["account"]["/account/verify_credentials"]
    assert_window(verify, 75, 72)
    assert verify["reset"] == header_reset
    assert_window(resources["users"]["/users/lookup"], 900, 898)  # GET and POST share it
    assert_window(resources["users"]["/users/show/:id"], 900, 900)
    assert_window(resources["account"]["/account/update_profile_image"], 30, 30)
    assert_window(resources["application"]["/application/rate_limit_status"], 180, 179)


def test_rate_limit_status_filters_families_and_serves_app_only_callers(server_factory):
    limited = server_factory(rate_limits=True)
    creds = limited.credentials()
    only = assert_ok_json(rate_status(limited, creds.oauth(), resources="users,application"))
    assert set(only["resources"]) == {"users", "application"}
    token = bearer_token(limited, creds)
    app = assert_ok_json(rate_status(limited, headers={"Authorization": f"Bearer {token}"}))
    assert app["rate_limit_context"] == {"application": creds.consumer_key}
    assert_window(app["resources"]["users"]["/users/lookup"], 300, 300)
    assert_error(rate_status(limited), *harness.ERR_215)


# --- account/update_profile ----------------------------------------------------------------


def update_profile(server, creds, **params):
    return requests.post(server.api("account/update_profile.json"), data=params,
                         auth=creds.oauth(), timeout=10)


def assert_update_failed(resp, field, maximum):
    assert_error(resp, 403, 120, f"Account update failed: {field} is too long "
                                 f"(maximum is {maximum} characters).")


def test_update_profile_changes_only_the_fields_given_and_answers_the_user(server, creds):
    user = assert_ok_json(update_profile(server, creds, name="Ada Lovelace", location="London",
                                         description="Analyst of engines, see https://ada.example",
                                         url="https://ada.example/about", tweet_mode="extended"))
    assert (user["name"], user["location"]) == ("Ada Lovelace", "London")
    assert user["url"] == "https://ada.example/about"
    assert user["entities"]["url"]["urls"][0]["expanded_url"] == "https://ada.example/about"
    described = user["entities"]["description"]["urls"][0]
    assert described["url"] == "https://ada.example"
    assert described["indices"] == [len("Analyst of engines, see "),
                                     len("Analyst of engines, see https://ada.example")]
    again = assert_ok_json(update_profile(server, creds, location=""))
    assert again["location"] is None and again["name"] == "Ada Lovelace"
    assert again["description"].startswith("Analyst")
    shown = harness.get_user(server, creds)
    assert (shown["name"], shown["location"], shown["url"]) == (
        "Ada Lovelace", None, "https://ada.example/about")


def test_update_profile_counts_code_points_at_twitters_limits(server, creds):
    limits = {"name": 50, "location": 30, "description": 160, "url": 100}
    for field, maximum in limits.items():
        prefix = "https://x.example/" if field == "url" else ""
        at_limit = prefix + "é" * (maximum - len(prefix))
        assert_ok_json(update_profile(server, creds, **{field: at_limit}))
        assert_update_failed(update_profile(server, creds, **{field: at_limit + "é"}), field,
                             maximum)
    user = harness.get_user(server, creds)
    assert user["name"] == "é" * 50, "a refused update changes nothing"


def test_update_profile_sets_the_link_colour_and_refuses_a_bad_one(server, creds):
    assert assert_ok_json(update_profile(server, creds, profile_link_color="#1da1f2"))[
        "profile_link_color"] == "1DA1F2"
    assert assert_ok_json(update_profile(server, creds, profile_link_color="f0a"))[
        "profile_link_color"] == "FF00AA"
    assert_error(update_profile(server, creds, profile_link_color="blue"), 403, 120,
                 "Account update failed: profile_link_color must be a hex colour "
                 "(3 or 6 hex digits).")
    assert harness.get_user(server, creds)["profile_link_color"] == "FF00AA"


def test_update_profile_gives_a_website_without_scheme_http_and_honours_include_entities(
        server, creds):
    user = assert_ok_json(update_profile(server, creds, url="example.com/me",
                                         include_entities="false"))
    assert user["url"] == "http://example.com/me"
    assert "entities" not in user


def test_update_profile_needs_a_user_token(server, creds):
    assert_error(requests.post(server.api("account/update_profile.json"), data={"name": "x"},
                               timeout=10), *harness.ERR_215)
    token = bearer_token(server, creds)
    assert_error(requests.post(server.api("account/update_profile.json"), data={"name": "x"},
                               headers={"Authorization": f"Bearer {token}"}, timeout=10),
                 *harness.ERR_220)
