"""The web pages in a real browser (SPEC section 8): Debian's Chromium, headless, driven by
chromedriver through Selenium, one browser for the module. Signs in, authorizes apps with a
callback (a small server on loopback) and with a PIN, cancels, meets a wrong password and the
throttle, posts a form stripped of its CSRF token, tries to frame a page, revokes an app, and
uploads a corpus image and a non-image from the profile page.

A screenshot of each page is saved under the test run's temporary directory (its path is printed
at the end of the module); docs/images/authorize.png is a copy of the authorize page's."""

import json
import shutil
import tempfile
import time
from pathlib import Path

import pytest
import requests
from selenium import webdriver
from selenium.common.exceptions import (NoSuchElementException, StaleElementReferenceException,
                                        WebDriverException)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import harness
import signin_helpers as sh
from harness import ERR_89, assert_error

server = sh.signin_server("web-pages")

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WAIT_S = 15
DESKTOP = (1280, 900)
PHONE = (390, 844)


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory):
    directory = tmp_path_factory.mktemp("web-page-screenshots")
    yield directory
    print(f"\nweb page screenshots: {directory}")


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium for the module, with a fresh profile (the flags keep it from
    reaching for a network the test machine does not have)."""
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.fail("chromium and chromium-driver are needed (scripts/install-deps)")
    profile = tempfile.mkdtemp(prefix="portrait-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                 "--ignore-certificate-errors", f"--user-data-dir={profile}",
                 f"--window-size={DESKTOP[0]},{DESKTOP[1]}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(WAIT_S)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def browser(chromium, server):
    """The module's browser with no cookies of the server's host, at the desktop size."""
    chromium.get(server.url("/login"))
    chromium.delete_all_cookies()
    chromium.set_window_size(*DESKTOP)
    chromium.get_log("performance")  # drop what earlier tests left
    return chromium


@pytest.fixture
def person(server):
    return sh.create_person(server)


def shot(driver, screenshots, scheme, name):
    driver.save_screenshot(str(screenshots / f"{scheme}-{name}.png"))


# A page that is being replaced (a form posted, a meta refresh) loses its elements under the
# test's feet; waits look again.
TRANSIENT = (NoSuchElementException, StaleElementReferenceException)


def wait_for(driver, css):
    return WebDriverWait(driver, WAIT_S, ignored_exceptions=TRANSIENT).until(
        lambda d: d.find_element(By.CSS_SELECTOR, css))


def page_text(driver):
    """The current document's text, read in one script call: an element handle taken before a
    navigation finishes belongs to the old document, and Chromium then fails the read with an
    inspector error rather than a stale-element one."""
    try:
        return driver.execute_script("return document.body ? document.body.innerText : ''") or ""
    except WebDriverException:
        return ""


def wait_for_text(driver, text, timeout=WAIT_S):
    WebDriverWait(driver, timeout, ignored_exceptions=TRANSIENT).until(
        lambda d: text in page_text(d))


def sign_in_fields(driver, person, password=None):
    field = wait_for(driver, "#screen_name")
    field.clear()
    field.send_keys(person.screen_name)
    driver.find_element(By.ID, "password").send_keys(password or person.password)


def sign_in(driver, server, person, password=None):
    driver.get(server.url("/login"))
    sign_in_fields(driver, person, password)
    driver.find_element(By.ID, "sign-in").click()


def response_headers(driver, url_suffix):
    """The headers of the last response the browser received for a URL ending so, from
    Chromium's own network log."""
    found = None
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") != "Network.responseReceived":
            continue
        response = message["params"]["response"]
        if response["url"].split("?")[0].endswith(url_suffix):
            found = {k.lower(): v for k, v in response["headers"].items()}
    assert found is not None, f"no response for {url_suffix} in the browser's log"
    return found


# --- signing in ----------------------------------------------------------------------------


def test_a_person_signs_in_and_sees_her_profile(browser, server, person, screenshots, scheme):
    browser.get(server.url("/login"))
    wait_for(browser, "#sign-in")
    shot(browser, screenshots, scheme, "sign-in")
    sign_in_fields(browser, person)
    browser.find_element(By.ID, "sign-in").click()
    wait_for_text(browser, f"@{person.screen_name}")
    assert browser.current_url == server.url("/settings/profile")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#variants img")) == len(harness.VARIANTS)
    shot(browser, screenshots, scheme, "profile-default-image")
    cookie = browser.get_cookie("portrait_session")
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Lax"
    assert cookie["secure"] is (scheme == "https")


def test_a_wrong_password_is_refused_with_a_message(browser, server, person, screenshots, scheme):
    sign_in(browser, server, person, password="not the password")
    wait_for_text(browser, "did not match our records")
    assert browser.get_cookie("portrait_session") is None
    assert wait_for(browser, "#screen_name").get_attribute("value") == person.screen_name
    shot(browser, screenshots, scheme, "sign-in-wrong-password")


def test_repeated_failures_lock_the_account(browser, server, person, screenshots, scheme):
    for _ in range(5):
        sign_in(browser, server, person, password="still not the password")
        wait_for_text(browser, "did not match our records")
    sign_in(browser, server, person)
    wait_for_text(browser, "Too many sign-in attempts")
    assert browser.get_cookie("portrait_session") is None
    shot(browser, screenshots, scheme, "sign-in-throttled")


def test_sign_out_ends_the_session(browser, server, person, screenshots, scheme):
    sign_in(browser, server, person)
    wait_for_text(browser, f"@{person.screen_name}")
    browser.get(server.url("/logout"))
    wait_for(browser, "#confirm-sign-out")
    shot(browser, screenshots, scheme, "sign-out")
    browser.find_element(By.ID, "sign-out").click()  # the header's button does the same
    wait_for_text(browser, "You are signed out")
    shot(browser, screenshots, scheme, "signed-out")
    browser.get(server.url("/settings/profile"))
    wait_for(browser, "#sign-in")
    assert "/login" in browser.current_url


# --- authorizing apps ----------------------------------------------------------------------


def test_authorize_with_a_callback_returns_to_the_app(browser, server, person, screenshots,
                                                      scheme):
    with sh.CallbackServer() as callback:
        app = sh.create_app(server, name="Portrait Companion", callback_urls=[callback.url],
                            description="Posts your new profile image to your team's wall.",
                            website="https://companion.example/")
        token = sh.request_token(server, app, callback.url + "?state=42")
        browser.get(server.url(f"/oauth/authorize?oauth_token={token['oauth_token']}"))
        wait_for(browser, "#allow")
        assert browser.find_element(By.ID, "app-name").text == "Portrait Companion"
        assert "Update your profile" in browser.find_element(By.ID, "access").text
        shot(browser, screenshots, scheme, "authorize")
        browser.set_window_size(*PHONE)
        shot(browser, screenshots, scheme, "authorize-phone")
        browser.set_window_size(*DESKTOP)
        sign_in_fields(browser, person)
        browser.find_element(By.ID, "allow").click()
        wait_for(browser, "#back")
        query = callback.wait_for_query()
    assert query["state"] == "42" and query["oauth_token"] == token["oauth_token"]
    granted = sh.access_token(server, app, token, query["oauth_verifier"])
    assert granted["user_id"] == str(person.user_id)


def test_authorize_out_of_band_shows_a_pin(browser, server, person, screenshots, scheme):
    app = sh.create_app(server, name="Desktop Client")
    token = sh.request_token(server, app, "oob")
    sign_in(browser, server, person)
    wait_for_text(browser, f"@{person.screen_name}")
    browser.get(server.url(f"/oauth/authorize?oauth_token={token['oauth_token']}"))
    wait_for(browser, "#signed-in-as")
    assert not browser.find_elements(By.ID, "password"), "signed in: no password asked"
    browser.find_element(By.ID, "allow").click()
    pin = wait_for(browser, "#pin").text
    assert sh.pin_of(browser.page_source) == pin
    shot(browser, screenshots, scheme, "pin")
    assert sh.access_token(server, app, token, pin)["screen_name"] == person.screen_name


def test_cancel_returns_denied_to_the_app_or_says_so(browser, server, person, screenshots,
                                                     scheme):
    with sh.CallbackServer() as callback:
        app = sh.create_app(server, callback_urls=[callback.url])
        token = sh.request_token(server, app, callback.url)
        browser.get(server.url(f"/oauth/authorize?oauth_token={token['oauth_token']}"))
        wait_for(browser, "#cancel").click()  # no credentials needed to refuse
        wait_for(browser, "#back")
        assert callback.wait_for_query() == {"denied": token["oauth_token"]}
    oob = sh.request_token(server, app, "oob")
    browser.get(server.url(f"/oauth/authorize?oauth_token={oob['oauth_token']}"))
    wait_for(browser, "#cancel").click()
    wait_for_text(browser, "Authorization cancelled")
    shot(browser, screenshots, scheme, "denied")


def test_a_form_stripped_of_its_csrf_token_is_refused(browser, server, person, screenshots,
                                                      scheme):
    app = sh.create_app(server)
    token = sh.request_token(server, app)
    sign_in(browser, server, person)
    wait_for_text(browser, f"@{person.screen_name}")
    browser.get(server.url(f"/oauth/authorize?oauth_token={token['oauth_token']}"))
    wait_for(browser, "#allow")
    browser.execute_script("document.querySelector("
                           "'form[action=\"/oauth/authorize\"] input[name=csrf_token]').remove()")
    browser.find_element(By.ID, "allow").click()
    wait_for_text(browser, "This form has expired")
    shot(browser, screenshots, scheme, "csrf-refused")
    # Nothing was authorized: the token is still pending.
    browser.get(server.url(f"/oauth/authorize?oauth_token={token['oauth_token']}"))
    wait_for(browser, "#allow")


def test_pages_carry_csp_and_x_frame_options_and_refuse_to_be_framed(browser, server):
    browser.get(server.url("/login"))
    wait_for(browser, "#sign-in")
    headers = response_headers(browser, "/login")
    assert headers["x-frame-options"] == "DENY"
    assert headers["content-security-policy"].startswith("default-src 'self'")
    # A page of another origin frames the sign-in page: the browser must refuse to show it.
    browser.get("data:text/html,<iframe id=f src='" + server.url("/login") + "'></iframe>")
    frame = wait_for(browser, "#f")
    time.sleep(1)
    browser.switch_to.frame(frame)
    try:
        assert not browser.find_elements(By.ID, "sign-in")
        assert "Sign in to Portrait" not in browser.page_source
    finally:
        browser.switch_to.default_content()


# --- connected apps and the profile page ---------------------------------------------------


def test_revoking_from_connected_apps_makes_the_token_401(browser, server, person, screenshots,
                                                          scheme):
    app = sh.create_app(server, name="Soon Revoked", website="https://revoked.example/")
    creds = sh.as_credentials(app, person, sh.pin_flow(server, app, person))
    sign_in(browser, server, person)
    wait_for_text(browser, f"@{person.screen_name}")
    browser.get(server.url("/settings/applications"))
    wait_for(browser, "#apps")
    shot(browser, screenshots, scheme, "connected-apps")
    browser.find_element(By.ID, f"revoke-{app.id}").click()
    wait_for_text(browser, "Access revoked.")
    assert "Soon Revoked" not in browser.find_element(By.TAG_NAME, "main").text
    assert_error(requests.get(server.api("account/verify_credentials.json"), auth=creds.oauth(),
                              timeout=10), *ERR_89)


def test_an_upload_from_the_profile_page_goes_live(browser, server, person, corpus_dir,
                                                   screenshots, scheme):
    sign_in(browser, server, person)
    wait_for(browser, "#image").send_keys(str(corpus_dir / "FreshFlower.jpg"))
    browser.find_element(By.ID, "upload").click()
    # The page reloads itself (meta refresh, no JavaScript) until the image is live.
    wait_for_text(browser, "Your new image is live.", timeout=harness.PROCESSING_TIMEOUT_S + 10)
    images = browser.find_elements(By.CSS_SELECTOR, "#variants img")
    assert len(images) == len(harness.VARIANTS)
    for image in images:
        assert "/profile_images/" in image.get_attribute("src")
        WebDriverWait(browser, WAIT_S).until(
            lambda d, img=image: d.execute_script("return arguments[0].complete && "
                                                  "arguments[0].naturalWidth > 0", img))
    normal = browser.find_element(By.CSS_SELECTOR, "img[data-variant=normal]")
    assert browser.execute_script("return arguments[0].naturalWidth", normal) == 48
    shot(browser, screenshots, scheme, "profile-uploaded")


def test_a_non_image_upload_shows_the_apis_error(browser, server, person, tmp_path, screenshots,
                                                 scheme):
    not_an_image = tmp_path / "notes.png"
    not_an_image.write_text("these are notes, not a picture\n")
    sign_in(browser, server, person)
    wait_for(browser, "#image").send_keys(str(not_an_image))
    browser.find_element(By.ID, "upload").click()
    wait_for_text(browser, "media type unrecognized.")
    assert "/sticky/default_profile_images/" in \
        browser.find_element(By.CSS_SELECTOR, "img[data-variant=normal]").get_attribute("src")
    shot(browser, screenshots, scheme, "profile-upload-refused")
