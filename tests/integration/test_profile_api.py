"""The profile around the image (SPEC §9): users/lookup, account/update_profile, profile
banners and application/rate_limit_status."""

import base64
import io
import os
import time
import urllib.parse

import pytest
import requests
from PIL import Image

import harness
import imagegen
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
    for family, resource, limit in (("account", "/account/update_profile", 60),
                                    ("account", "/account/update_profile_banner", 30),
                                    ("account", "/account/remove_profile_banner", 30),
                                    ("users", "/users/profile_banner", 180)):
        assert_window(resources[family][resource], limit, limit)


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


# --- profile banners -----------------------------------------------------------------------

BANNER_SIZES = {"web": (520, 260), "web_retina": (1040, 520), "ipad": (626, 313),
                "ipad_retina": (1252, 626), "mobile": (320, 160), "mobile_retina": (640, 320),
                "300x100": (300, 100), "600x200": (600, 200), "1500x500": (1500, 500),
                "1080x360": (1080, 360)}


def post_banner(server, creds, data=None, files=None, **params):
    return requests.post(server.api("account/update_profile_banner.json"), data=data or params,
                         files=files, auth=creds.oauth(), timeout=60)


def profile_banner(server, creds, **params):
    params.setdefault("screen_name", creds.screen_name)
    return requests.get(server.api("users/profile_banner.json"), params=params,
                        auth=creds.oauth(), timeout=10)


def wait_for_banner(server, creds, previous=None, timeout=harness.PROCESSING_TIMEOUT_S):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        url = harness.get_user(server, creds).get("profile_banner_url")
        if url and url != previous:
            return url
        time.sleep(0.1)
    raise AssertionError(f"no new banner for {creds.screen_name}; jobs: {server.jobs()[:3]}")


def white_region_png(width, height, region):
    """A black image with a white rectangle at region (w, h, left, top)."""
    image = Image.new("RGB", (width, height), (0, 0, 0))
    w, h, left, top = region
    image.paste((255, 255, 255), (left, top, left + w, top + h))
    return imagegen.to_bytes(image, "PNG")


def test_a_banner_is_accepted_201_processed_into_ten_sizes_and_served(server, creds, corpus_dir):
    resp = post_banner(server, creds, files={"banner": ("b.jpg",
                                                        (corpus_dir / "Wood.jpg").read_bytes())})
    assert resp.status_code == 201, resp.text
    assert resp.content == b""
    base = wait_for_banner(server, creds)
    assert base.endswith(f"/profile_banners/{creds.user_id}/" + base.rsplit("/", 1)[1])
    sizes = assert_ok_json(profile_banner(server, creds))["sizes"]
    assert set(sizes) == set(BANNER_SIZES)
    for name, (width, height) in BANNER_SIZES.items():
        assert (sizes[name]["w"], sizes[name]["h"]) == (width, height)
        assert sizes[name]["url"] == f"{base}/{name}"
        served = requests.get(sizes[name]["url"], timeout=10)
        assert served.status_code == 200, name
        assert served.headers["Content-Type"] == "image/jpeg"
        assert "immutable" in served.headers["Cache-Control"]
        image = Image.open(io.BytesIO(served.content))
        assert (image.format, image.size) == ("JPEG", (width, height)), name
        assert "exif" not in image.info and "icc_profile" not in image.info, name


def test_a_base64_banner_with_a_region_is_cut_from_that_region(server, creds):
    region = (900, 300, 400, 250)
    png = white_region_png(2000, 1000, region)
    resp = post_banner(server, creds, banner=base64.b64encode(png).decode(),
                       width=region[0], height=region[1], offset_left=region[2],
                       offset_top=region[3])
    assert resp.status_code == 201, resp.text
    base = wait_for_banner(server, creds)
    for name in ("1500x500", "mobile", "300x100"):
        image = Image.open(io.BytesIO(requests.get(f"{base}/{name}", timeout=10).content))
        assert sum(image.convert("L").getdata()) / (image.width * image.height) > 245, name


@pytest.mark.parametrize("params", [{"width": "100"}, {"width": "10", "height": "10",
                                                        "offset_left": "0"},
                                    {"width": "x", "height": "1", "offset_left": "0",
                                     "offset_top": "0"},
                                    {"width": "0", "height": "1", "offset_left": "0",
                                     "offset_top": "0"}])
def test_a_partial_or_malformed_region_is_400(server, creds, params):
    resp = post_banner(server, creds, files={"banner": ("b.png", imagegen.small_png(600, 200))},
                       data=params)
    assert resp.status_code == 400, resp.text
    assert resp.json()["errors"][0]["code"] == 44


def test_banner_refusals_answer_before_processing(server, creds):
    assert_error(post_banner(server, creds, files={"banner": ("t.txt", b"not an image")}),
                 400, 44, "media type unrecognized.")
    assert_error(post_banner(server, creds, files={"image": ("b.png", imagegen.small_png())}),
                 400, 38, "banner parameter is missing.")
    assert_error(post_banner(server, creds, files={"banner": ("b.jpg",
                                                              imagegen.padded_jpeg(5 * 1024 * 1024))}),
                 422, 44, "Image file size must be less than 5 MB.")
    truncated = imagegen.small_jpeg(800, 400)[:-300]
    assert_error(post_banner(server, creds, files={"banner": ("b.jpg", truncated)}),
                 400, 44, "Image data could not be processed.")
    assert not [j for j in server.jobs() if str(j.get("user_id")) == str(creds.user_id)]


def test_a_banner_of_almost_5_mb_as_base64_in_a_form_is_accepted(server, creds):
    jpeg = imagegen.padded_jpeg(5 * 1024 * 1024 - 1)
    body = "banner=" + urllib.parse.quote(base64.b64encode(jpeg).decode(), safe="")
    assert len(body) > 6_900_000  # over the 4 MiB that other endpoints take
    resp = requests.post(server.api("account/update_profile_banner.json"), data=body,
                         headers={"Content-Type": "application/x-www-form-urlencoded"},
                         auth=creds.oauth(), timeout=60)
    assert resp.status_code == 201, resp.text
    wait_for_banner(server, creds)


def test_removing_the_banner_answers_200_and_leaves_it_served_for_the_grace_period(server, creds):
    post_banner(server, creds, files={"banner": ("b.png", imagegen.small_png(1500, 500))})
    base = wait_for_banner(server, creds)
    resp = requests.post(server.api("account/remove_profile_banner.json"), auth=creds.oauth(),
                         timeout=10)
    assert resp.status_code == 200 and resp.content == b""
    assert "profile_banner_url" not in harness.get_user(server, creds)
    assert_error(profile_banner(server, creds), *harness.ERR_34)
    assert requests.get(f"{base}/web", timeout=10).status_code == 200, "cached copies keep working"


def test_the_last_banner_upload_wins(server, creds):
    for colour in ((255, 0, 0), (0, 0, 255)):
        image = Image.new("RGB", (1500, 500), colour)
        assert post_banner(server, creds, files={"banner": ("b.png",
                                                            imagegen.to_bytes(image, "PNG"))}
                           ).status_code == 201
    harness.wait_for_jobs_settled(server, creds.user_id)
    base = harness.get_user(server, creds)["profile_banner_url"]
    red, green, blue = Image.open(io.BytesIO(requests.get(f"{base}/web", timeout=10).content)
                                  ).convert("RGB").getpixel((10, 10))
    assert blue > 200 and red < 50


def test_profile_banner_reads_with_a_bearer_token_but_uploads_need_a_user(server, creds):
    post_banner(server, creds, files={"banner": ("b.png", imagegen.small_png(600, 200))})
    wait_for_banner(server, creds)
    token = bearer_token(server, creds)
    bearer = {"Authorization": f"Bearer {token}"}
    sizes = assert_ok_json(requests.get(server.api("users/profile_banner.json"), headers=bearer,
                                        params={"user_id": creds.user_id}, timeout=10))["sizes"]
    assert len(sizes) == 10
    assert_error(requests.post(server.api("account/update_profile_banner.json"), headers=bearer,
                               files={"banner": ("b.png", imagegen.small_png())}, timeout=10),
                 *harness.ERR_220)
    assert_error(requests.get(server.api("users/profile_banner.json"), headers=bearer,
                              params={"user_id": 999_999_999}, timeout=10),
                 404, 50, "User not found.")


def test_the_corpus_becomes_banners_of_every_size(server, creds, corpus_dir):
    for name in ("chelsea.png", "astronaut.png", "hubble_deep_field.jpg", "aq.gif"):
        previous = harness.get_user(server, creds).get("profile_banner_url")
        resp = post_banner(server, creds, files={"banner": (name, (corpus_dir / name).read_bytes())})
        assert resp.status_code == 201, (name, resp.text)
        base = wait_for_banner(server, creds, previous)
        for size, expected in BANNER_SIZES.items():
            image = Image.open(io.BytesIO(requests.get(f"{base}/{size}", timeout=10).content))
            assert image.size == expected and getattr(image, "n_frames", 1) == 1, (name, size)


def peak_rss_mb(server):
    with open(f"/proc/{server.proc.pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


@pytest.mark.schemes("http", reason="about memory, not transport")
def test_a_40_megapixel_banner_is_processed_without_holding_its_frame(server_factory):
    fresh = server_factory(workers=1)
    creds = fresh.credentials()
    # 8000 x 5000 pixels, a smooth gradient: a few MB as JPEG, 120 MB as decoded RGB.
    gradient = Image.linear_gradient("L").resize((8000, 5000)).convert("RGB")
    jpeg = imagegen.to_bytes(gradient, "JPEG", quality=90)
    assert len(jpeg) < 5 * 1024 * 1024
    harness.get_user(fresh, creds)
    before = peak_rss_mb(fresh)
    assert post_banner(fresh, creds, files={"banner": ("big.jpg", jpeg)}).status_code == 201
    wait_for_banner(fresh, creds, timeout=60)
    grown = peak_rss_mb(fresh) - before
    frame_mb = 8000 * 5000 * 3 / 1e6
    bound = frame_mb * (2 if os.environ.get("PORTRAIT_SANITIZED") == "1" else 1)
    assert grown < bound, f"peak RSS grew {grown:.0f} MB for a {frame_mb:.0f} MB frame"
