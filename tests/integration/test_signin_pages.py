"""The sign-in pages without a browser (SPEC section 8): sessions and their cookies, CSRF tokens
and Origin on every form, the security headers, escaping of what apps registered, sign-in
throttling and brute force, open sign-up, and the profile page's upload through the API's own
intake, checks and errors. test_web_pages.py drives the same pages in Chromium."""

import re
import secrets
import subprocess

import pytest
import requests

import harness
import imagegen
import signin_helpers as sh
from harness import ERR_89, assert_error

server = sh.signin_server("signin-pages")


@pytest.fixture
def person(server):
    return sh.create_person(server)


def signed_in(server, person):
    browser = sh.Browserless(server)
    browser.sign_in(person)
    return browser


# --- sessions and cookies ------------------------------------------------------------------


def test_sign_in_sets_an_httponly_lax_session_cookie_secure_on_https(server, person, scheme):
    browser = sh.Browserless(server)
    page = sh.assert_page(browser.get("/login"))
    assert 'name="password"' in page
    resp = browser.post("/login", {"csrf_token": sh.csrf_token(page),
                                   "screen_name": person.screen_name,
                                   "password": person.password, "next": "/settings/applications"})
    assert resp.status_code == 303 and resp.headers["Location"] == "/settings/applications"
    cookie = resp.headers["Set-Cookie"]
    assert re.match(r"^portrait_session=[A-Za-z0-9]{43}; Path=/; HttpOnly; SameSite=Lax", cookie)
    assert ("; Secure" in cookie) == (scheme == "https")
    assert "Max-Age" not in cookie and "Expires" not in cookie
    assert person.password not in server.log_tail(400)


def test_signed_in_pages_send_a_browser_without_a_session_to_sign_in(server):
    resp = sh.Browserless(server).get("/settings/profile")
    assert resp.status_code == 303
    assert resp.headers["Location"] == "/login?next=%2Fsettings%2Fprofile"
    page = sh.assert_page(sh.Browserless(server).get("/login?next=%2Fsettings%2Fapplications"))
    assert 'name="next" value="/settings/applications"' in page


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x",
                                      "/\\evil.example", "javascript:alert(1)"])
def test_sign_in_never_redirects_off_the_server(server, person, next_url):
    browser = sh.Browserless(server)
    page = sh.assert_page(browser.get("/login", params={"next": next_url}))
    resp = browser.post("/login", {"csrf_token": sh.csrf_token(page), "next": next_url,
                                   "screen_name": person.screen_name, "password": person.password})
    assert resp.status_code == 303 and resp.headers["Location"] == "/settings/profile"


def test_a_session_cookie_from_before_sign_out_opens_nothing(server, person):
    browser = signed_in(server, person)
    old_cookie = browser.session_cookie()
    page = sh.assert_page(browser.get("/logout"))
    resp = browser.post("/logout", {"csrf_token": sh.csrf_token(page)})
    assert "You are signed out" in sh.assert_page(resp)
    assert "portrait_session=;" in resp.headers["Set-Cookie"]
    assert "Max-Age=0" in resp.headers["Set-Cookie"]

    replay = requests.get(server.url("/settings/profile"), cookies={"portrait_session": old_cookie},
                          allow_redirects=False, timeout=10)
    assert replay.status_code == 303 and replay.headers["Location"].startswith("/login")


def test_a_password_change_signs_every_browser_out(server, person):
    browser = signed_in(server, person)
    assert browser.get("/settings/profile").status_code == 200
    proc = subprocess.run([str(harness.portrait_binary()), "users", "set-password", "--data-dir",
                           str(server.data_dir), "--screen-name", person.screen_name,
                           "--password-stdin"], input="another long password\n",
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert browser.get("/settings/profile").status_code == 303


def test_signing_in_replaces_the_session_the_browser_held(server, person):
    browser = signed_in(server, person)
    first = browser.session_cookie()
    browser.sign_in(person)
    assert browser.session_cookie() != first
    stale = requests.get(server.url("/settings/profile"), cookies={"portrait_session": first},
                         allow_redirects=False, timeout=10)
    assert stale.status_code == 303


# --- CSRF and Origin -----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/login", "/logout", "/oauth/authorize",
                                  "/settings/applications/revoke"])
def test_a_form_posted_without_its_csrf_token_is_refused(server, person, path):
    browser = signed_in(server, person)
    resp = browser.post(path, {"screen_name": person.screen_name, "password": person.password,
                               "app_id": "1", "oauth_token": "x", "allow": "1"})
    page = sh.assert_page(resp, 403)
    assert "This form has expired" in page
    assert browser.get("/settings/profile").status_code == 200, "still signed in"


def test_a_form_with_another_browsers_token_or_origin_is_refused(server, person):
    mine, theirs = signed_in(server, person), signed_in(server, person)
    their_token = sh.csrf_token(sh.assert_page(theirs.get("/logout")))
    sh.assert_page(mine.post("/logout", {"csrf_token": their_token}), 403)
    my_token = sh.csrf_token(sh.assert_page(mine.get("/logout")))
    sh.assert_page(mine.post("/logout", {"csrf_token": my_token},
                             headers={"Origin": "https://evil.example"}), 403)
    assert mine.get("/settings/profile").status_code == 200
    resp = mine.post("/logout", {"csrf_token": my_token}, headers={"Origin": server.base})
    assert "You are signed out" in sh.assert_page(resp)


def test_a_sign_in_form_needs_the_browsers_own_pre_sign_in_token(server, person):
    # Login CSRF: a page elsewhere cannot sign a visitor in to an account of its choosing.
    fresh = requests.post(server.url("/login"), allow_redirects=False, timeout=10,
                          data={"csrf_token": "A" * 43, "screen_name": person.screen_name,
                                "password": person.password})
    sh.assert_page(fresh, 403)
    assert "portrait_session" not in fresh.headers.get("Set-Cookie", "")


# --- headers and escaping ------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/login", "/logout", "/oauth/authorize?oauth_token=x",
                                  "/signup", "/no-such-page-of-ours"])
def test_pages_carry_the_security_headers(server, path):
    resp = requests.get(server.url(path), allow_redirects=False, timeout=10)
    if path == "/no-such-page-of-ours":
        assert_error(resp, *harness.ERR_34)  # not a page row: the API's 404
        return
    sh.assert_page(resp, resp.status_code)
    assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "same-origin"
    assert resp.headers["Cache-Control"] == "no-store"
    assert "<script" not in resp.text.lower()


def test_the_stylesheet_is_served_by_portrait(server):
    resp = requests.get(server.url("/static/portrait.css"), timeout=10)
    assert resp.status_code == 200 and resp.headers["Content-Type"] == "text/css;charset=utf-8"
    assert "@media" in resp.text and "url(" not in resp.text


def test_script_in_an_apps_name_and_description_is_shown_escaped(server, person):
    app = sh.create_app(server, name="<script>alert(1)</script>",
                        description='"><img src=x onerror=alert(2)>',
                        website="https://app.example/?a=1&b=2")
    token = sh.request_token(server, app)
    browser = signed_in(server, person)
    page = sh.assert_page(browser.authorize_page(token["oauth_token"]))
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;" in page
    assert 'href="https://app.example/?a=1&amp;b=2"' in page
    sh.access_token(server, app, token, sh.pin_of(sh.assert_page(browser.decide(
        token["oauth_token"], page=page))))
    apps = sh.assert_page(browser.get("/settings/applications"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in apps and "<script>alert(1)" not in apps


# --- connected apps ------------------------------------------------------------------------


def test_revoking_an_app_ends_its_tokens_with_401_89(server, person):
    app, kept = sh.create_app(server), sh.create_app(server)
    creds = sh.as_credentials(app, person, sh.pin_flow(server, app, person))
    kept_creds = sh.as_credentials(kept, person, sh.pin_flow(server, kept, person))
    browser = signed_in(server, person)
    page = sh.assert_page(browser.get("/settings/applications"))
    assert app.name in page and kept.name in page
    resp = browser.post("/settings/applications/revoke",
                        {"csrf_token": sh.csrf_token(page), "app_id": str(app.id)})
    assert resp.status_code == 303
    page = sh.assert_page(browser.get(resp.headers["Location"]))
    assert "Access revoked." in page and app.name not in page and kept.name in page
    assert_error(requests.get(server.api("account/verify_credentials.json"), auth=creds.oauth(),
                              timeout=10), *ERR_89)
    assert harness.get_user(server, kept_creds)["id"] == person.user_id


# --- throttling ----------------------------------------------------------------------------


def test_sign_in_gives_one_answer_for_an_unknown_name_and_a_wrong_password(server, person):
    answers = []
    for name, password in ((person.screen_name, "wrong password!"),
                           ("nobody_" + secrets.token_hex(3), person.password)):
        browser = sh.Browserless(server)
        page = sh.assert_page(browser.get("/login"))
        resp = browser.post("/login", {"csrf_token": sh.csrf_token(page), "screen_name": name,
                                       "password": password})
        answers.append((resp.status_code, re.search(r'<p class="error"[^>]*>(.*?)</p>',
                                                     resp.text).group(1)))
    assert answers[0] == answers[1] and answers[0][0] == 403


def test_an_account_is_locked_after_repeated_failures_even_for_the_right_password(server,
                                                                                   person):
    browser = sh.Browserless(server)
    wrong = sh.Person(person.user_id, person.screen_name, "not the password")
    statuses = []
    for _ in range(6):
        page = sh.assert_page(browser.get("/login"), 200)
        resp = browser.post("/login", {"csrf_token": sh.csrf_token(page),
                                       "screen_name": wrong.screen_name, "password": wrong.password})
        statuses.append(resp.status_code)
    assert statuses == [403] * 5 + [429]
    page = sh.assert_page(browser.get("/login"))
    resp = browser.post("/login", {"csrf_token": sh.csrf_token(page),
                                   "screen_name": person.screen_name, "password": person.password})
    assert "Too many sign-in attempts" in sh.assert_page(resp, 429)
    # xAuth answers from the same throttle.
    app = sh.create_app(server, allow_xauth=True)
    xauth = sh.signed_post(server.url("/oauth/access_token"), app,
                           body=[("x_auth_mode", "client_auth"),
                                 ("x_auth_password", person.password),
                                 ("x_auth_username", person.screen_name)])
    assert_error(xauth, *sh.ERR_88)


def test_brute_force_from_one_address_is_locked_across_accounts(server_factory):
    # The forwarded address is the client's only behind a trusted proxy: each run of this test
    # gets an address of its own (a shared PostgreSQL keeps throttles between servers).
    server = server_factory(extra_args=["--trusted-proxy", "127.0.0.1",
                                        "--signin-address-attempts", "3",
                                        "--signin-account-attempts", "100"])
    attacker = f"203.0.113.{secrets.randbelow(250) + 1}, 198.51.{secrets.randbelow(250)}." \
               f"{secrets.randbelow(250) + 1}"
    victims = [sh.create_person(server) for _ in range(2)]

    def attempt(person, password, address):
        browser = sh.Browserless(server)
        page = sh.assert_page(browser.get("/login"))
        return browser.post("/login", {"csrf_token": sh.csrf_token(page),
                                       "screen_name": person.screen_name, "password": password},
                            headers={"X-Forwarded-For": address}).status_code

    statuses = [attempt(victims[i % 2], "guess number %d" % i, attacker) for i in range(4)]
    assert statuses == [403, 403, 403, 429]
    assert attempt(victims[0], victims[0].password, attacker) == 429
    # Someone else, at another address, still signs in.
    assert attempt(victims[1], victims[1].password, "192.0.2.%d" % (secrets.randbelow(250) + 1)) \
        == 303


# --- open sign-up --------------------------------------------------------------------------


def test_sign_up_is_closed_by_default(server):
    assert "Sign-up is closed" in sh.assert_page(sh.Browserless(server).get("/signup"), 404)
    assert 'href="/signup"' not in sh.assert_page(sh.Browserless(server).get("/login"))


def test_open_sign_up_makes_an_account_that_signs_in(server_factory):
    server = server_factory(extra_args=[*sh.SIGNIN_SERVER_ARGS, "--sign-up", "on"])
    browser = sh.Browserless(server)
    assert 'href="/signup"' in sh.assert_page(browser.get("/login"))
    name = harness.unique_screen_name("new")
    short = browser.post_form("/signup", "/signup", {"screen_name": name, "password": "short"})
    assert "at least 8 characters" in sh.assert_page(short, 400)
    resp = browser.post_form("/signup", "/signup", {"screen_name": name,
                                                    "password": sh.PASSWORD})
    assert resp.status_code == 303
    assert f"@{name}" in sh.assert_page(browser.get("/settings/profile"))
    taken = sh.Browserless(server).post_form("/signup", "/signup",
                                             {"screen_name": name.upper(),
                                              "password": sh.PASSWORD})
    assert "That screen name is taken." in sh.assert_page(taken, 400)


# --- the profile page ----------------------------------------------------------------------


def upload_from_page(browser, data, filename="image.png", content_type="image/png"):
    page = sh.assert_page(browser.get("/settings/profile"))
    return browser.http.post(browser.server.url("/settings/profile"),
                             data={"csrf_token": sh.csrf_token(page)},
                             files={"image": (filename, data, content_type)},
                             allow_redirects=False, timeout=30)


def test_the_profile_page_shows_every_variant_of_the_default_image(server, person):
    page = sh.assert_page(signed_in(server, person).get("/settings/profile"))
    for suffix in harness.VARIANTS:
        assert f'src="{server.base}/sticky/default_profile_images/default_profile{suffix}.png"' \
            in page, suffix


def test_an_upload_from_the_profile_page_goes_live_in_every_variant(server, person, corpus_dir):
    browser = signed_in(server, person)
    resp = upload_from_page(browser, (corpus_dir / "FreshFlower.jpg").read_bytes(),
                            "FreshFlower.jpg", "image/jpeg")
    assert resp.status_code == 303, resp.text[:1000]
    assert re.match(r"^/settings/profile\?job=\d+$", resp.headers["Location"])
    page = sh.assert_page(browser.get(resp.headers["Location"]))
    if "being processed" in page:
        assert 'http-equiv="refresh"' in page
    harness.wait_for_jobs_settled(server, person.user_id)
    page = sh.assert_page(browser.get(resp.headers["Location"]))
    assert "Your new image is live." in page and 'http-equiv="refresh"' not in page
    urls = re.findall(r'<img src="([^"]+)"', page)
    assert len(urls) == len(harness.VARIANTS)
    for url in urls:
        assert "/profile_images/" in url and url.endswith(".jpeg")
        assert requests.get(url, timeout=10).status_code == 200


@pytest.mark.parametrize("name,data,status,message", [
    ("notes.txt", b"this is not an image at all", 400, "media type unrecognized."),
    ("big.jpg", None, 422, "Image file size must be less than 700 KB."),
    ("cut.png", None, 400, "Image data could not be processed."),
])
def test_a_refused_upload_shows_the_apis_message_on_the_page(server, person, name, data, status,
                                                             message):
    if name == "big.jpg":
        data = imagegen.padded_jpeg(716_800)  # a valid JPEG of exactly 700 KB
    if name == "cut.png":
        data = imagegen.small_png()[:40]
    browser = signed_in(server, person)
    page = sh.assert_page(upload_from_page(browser, data, name), status)
    assert f'<p class="error" role="alert">{message}</p>' in page
    assert "Traceback" not in page and "Internal" not in page
    assert harness.wait_for_jobs_settled(server, person.user_id) == []
