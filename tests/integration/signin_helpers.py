"""What the sign-in tests share (SPEC section 8): people with passwords and apps made by the real
CLI, the pages driven without a browser (requests; each form's CSRF token read from its HTML),
the OAuth 1.0a requests of the three-legged flow signed by hand, a callback server on loopback,
and a module server for the sign-in suites.

Nothing here stands in for Portrait: every helper runs the real binary or sends real HTTP."""

import http.server
import json
import re
import secrets
import subprocess
import threading
import time
import urllib.parse

import pytest
import requests

import conftest
import harness

PASSWORD = "correct horse battery staple"
PAGE_CONTENT_TYPE = "text/html;charset=utf-8"
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
ERR_261 = (403, 261, "Application cannot perform write actions.")
ERR_415 = (403, 415, "Callback URL not approved for this client application. Approved callback "
                     "URLs can be adjusted in your application settings")
ERR_88 = (429, 88, "Rate limit exceeded.")
UNRESERVED = re.compile(r"^[A-Za-z0-9._~-]+$")
CSRF_RE = re.compile(r'name="csrf_token" value="([A-Za-z0-9]+)"')
PIN_RE = re.compile(r"(?<![0-9])([0-9]{7})(?![0-9])")
# Every module server of the sign-in suites: the address throttle is left wide (every test
# signs in from 127.0.0.1, and on PostgreSQL every server shares one throttle table); the tests
# of the address throttle start their own servers.
SIGNIN_SERVER_ARGS = ("--signin-address-attempts", "100000", "--workers", "2")


def signin_server(name, extra_args=()):
    """A module-scoped `server` fixture (one per scheme) started with SIGNIN_SERVER_ARGS."""

    @pytest.fixture(scope="module")
    def server(portrait_bin, tls_cert, tmp_path_factory, scheme):
        pool = conftest._server_pool(tmp_path_factory, tls_cert, name, scheme)
        yield pool.start(extra_args=[*SIGNIN_SERVER_ARGS, *extra_args])
        problems = pool.stop_all()
        assert not problems, "\n".join(problems)

    return server


# --- the CLI --------------------------------------------------------------------------------


def create_person(server, screen_name=None, password=PASSWORD):
    """`portrait users create --password-stdin`: the password only on standard input."""
    screen_name = screen_name or harness.unique_screen_name("p")
    proc = subprocess.run([str(harness.portrait_binary()), "users", "create", "--data-dir",
                           str(server.data_dir), "--screen-name", screen_name, "--password-stdin",
                           "--json"], input=password + "\n", capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert password not in proc.stdout + proc.stderr
    (user,) = json.loads(proc.stdout)
    return Person(int(user["id"]), user["screen_name"], password)


class Person:
    def __init__(self, user_id, screen_name, password):
        self.user_id, self.screen_name, self.password = user_id, screen_name, password


class App:
    def __init__(self, fields):
        self.id = int(fields["id"])
        self.name = fields["name"]
        self.key = fields["consumer_key"]
        self.secret = fields["consumer_secret"]


def create_app(server, name=None, callback_urls=(), allow_xauth=False, access_level=None,
               description="An app the tests made.", website="https://app.example/"):
    args = ["apps", "create", "--data-dir", server.data_dir, "--name",
            name or f"App {secrets.token_hex(3)}", "--description", description, "--json"]
    if website:
        args += ["--website", website]
    for url in callback_urls:
        args += ["--callback-url", url]
    if allow_xauth:
        args.append("--allow-xauth")
    if access_level:
        args += ["--access-level", access_level]
    (fields,) = json.loads(harness.run_cli(*args).stdout)
    return App(fields)


# --- OAuth 1.0a requests signed by hand -------------------------------------------------------


def oauth_header(method, url, app, token="", token_secret="", extra_oauth=None, body=()):
    oauth = {"oauth_consumer_key": app.key, "oauth_nonce": secrets.token_hex(16),
             "oauth_signature_method": "HMAC-SHA1", "oauth_timestamp": str(int(time.time())),
             "oauth_version": "1.0"}
    if token:
        oauth["oauth_token"] = token
    oauth.update(extra_oauth or {})
    oauth["oauth_signature"] = harness.oauth1_signature(method, url,
                                                        list(oauth.items()) + list(body),
                                                        app.secret, token_secret)
    return "OAuth " + ", ".join(f'{k}="{harness.percent_encode(v)}"' for k, v in oauth.items())


def signed_post(url, app, token="", token_secret="", extra_oauth=None, body=()):
    headers = {"Authorization": oauth_header("POST", url, app, token, token_secret, extra_oauth,
                                             body)}
    if body:
        headers["Content-Type"] = FORM_CONTENT_TYPE
    return requests.post(url, headers=headers, data=urllib.parse.urlencode(list(body)) or None,
                         timeout=30, allow_redirects=False)


def post_request_token(server, app, callback="oob", access_type=None):
    url = server.url("/oauth/request_token")
    if access_type is not None:
        url += "?" + urllib.parse.urlencode({"x_auth_access_type": access_type})
    extra = {} if callback is None else {"oauth_callback": callback}
    return signed_post(url, app, extra_oauth=extra)


def form_fields(resp):
    assert resp.headers.get("Content-Type") == FORM_CONTENT_TYPE, resp.headers
    return dict(urllib.parse.parse_qsl(resp.text, keep_blank_values=True, strict_parsing=True))


def request_token(server, app, callback="oob", access_type=None):
    resp = post_request_token(server, app, callback, access_type)
    assert resp.status_code == 200, resp.text
    fields = form_fields(resp)
    assert fields["oauth_callback_confirmed"] == "true"
    return fields


def post_access_token(server, app, token, token_secret, verifier):
    extra = {} if verifier is None else {"oauth_verifier": verifier}
    return signed_post(server.url("/oauth/access_token"), app, token, token_secret, extra)


def access_token(server, app, token, verifier):
    resp = post_access_token(server, app, token["oauth_token"], token["oauth_token_secret"],
                             verifier)
    assert resp.status_code == 200, resp.text
    return form_fields(resp)


def as_credentials(app, person, granted):
    """harness.Credentials for an access token the flow granted."""
    return harness.Credentials({"user_id": person.user_id, "screen_name": person.screen_name,
                                "consumer_key": app.key, "consumer_secret": app.secret,
                                "access_token": granted["oauth_token"],
                                "access_token_secret": granted["oauth_token_secret"]})


# --- the pages, without a browser -----------------------------------------------------------


def csrf_token(html):
    match = CSRF_RE.search(html)
    assert match, f"no csrf_token in the page:\n{html[:2000]}"
    return match.group(1)


def assert_page(resp, status=200):
    assert resp.status_code == status, f"{resp.status_code} {resp.url}: {resp.text[:1500]}"
    assert resp.headers.get("Content-Type") == PAGE_CONTENT_TYPE, resp.headers
    assert resp.headers.get("X-Frame-Options") == "DENY"
    assert resp.headers.get("Content-Security-Policy", "").startswith("default-src 'self'")
    return resp.text


class Browserless:
    """A requests session driving the pages as a browser would: cookies kept, each form posted
    with the token its page carried, redirects not followed (tests look at them)."""

    def __init__(self, server):
        self.server = server
        self.http = requests.Session()

    def get(self, path, **kwargs):
        return self.http.get(self.server.url(path), allow_redirects=False, timeout=30, **kwargs)

    def post(self, path, fields, **kwargs):
        return self.http.post(self.server.url(path), data=fields, allow_redirects=False,
                              timeout=30, **kwargs)

    def post_form(self, page_path, action, fields):
        """Loads page_path, then posts fields to action with that page's csrf_token."""
        token = csrf_token(assert_page(self.get(page_path)))
        return self.post(action, {"csrf_token": token, **fields})

    def sign_in(self, person, password=None):
        resp = self.post_form("/login", "/login", {"screen_name": person.screen_name,
                                                   "password": password or person.password})
        assert resp.status_code == 303, resp.text[:1500]
        return resp

    def authorize_page(self, oauth_token, path="/oauth/authorize", **params):
        return self.get(path, params={"oauth_token": oauth_token, **params})

    def decide(self, oauth_token, allow=True, person=None, page=None, **extra):
        """Submits the authorize form: Authorize (signing in as person when given) or Cancel."""
        page = page if page is not None else assert_page(self.authorize_page(oauth_token))
        fields = {"csrf_token": csrf_token(page), "oauth_token": oauth_token, **extra}
        fields["allow" if allow else "cancel"] = "1"
        if person is not None:
            fields.update(screen_name=person.screen_name, password=person.password)
        return self.post("/oauth/authorize", fields)

    def session_cookie(self):
        return self.http.cookies.get("portrait_session")


def pin_of(html):
    pins = PIN_RE.findall(re.sub(r"<[^>]+>", " ", html))
    assert len(pins) == 1, f"expected exactly one 7-digit number, found {pins}"
    return pins[0]


def redirect_query(resp):
    assert resp.status_code == 303, f"{resp.status_code}: {resp.text[:1000]}"
    location = resp.headers["Location"]
    return location, dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))


def pin_flow(server, app, person, access_type=None):
    """The whole oob flow without a browser; returns the access token's fields."""
    token = request_token(server, app, "oob", access_type)
    browser = Browserless(server)
    resp = browser.decide(token["oauth_token"], person=person)
    return access_token(server, app, token, pin_of(assert_page(resp)))


# --- a callback server on loopback ----------------------------------------------------------


class CallbackServer:
    """An app's callback endpoint on 127.0.0.1: records each query it receives and answers a
    small page, so a browser sent there lands somewhere."""

    def __init__(self):
        self.queries = []
        received = self.queries

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                parts = urllib.parse.urlsplit(self.path)
                if parts.path.startswith("/callback"):  # not /favicon.ico
                    received.append(dict(urllib.parse.parse_qsl(parts.query)))
                body = b"<!DOCTYPE html><title>Back at the app</title><p id=back>Back at the app</p>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/callback"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def wait_for_query(self, timeout=10):
        deadline = time.monotonic() + timeout
        while not self.queries:
            assert time.monotonic() < deadline, "the callback was never called"
            time.sleep(0.05)
        return self.queries[-1]
