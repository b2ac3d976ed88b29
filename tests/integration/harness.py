"""Runs a real `portrait serve` process and talks to it the way clients do.

Nothing here mocks Portrait: every helper starts the real binary, runs the real CLI against the
real SQLite file, and sends real HTTP. The fixtures in conftest.py wire these together.

A server has a scheme ("http" or "https", set by conftest's `scheme` fixture): its addresses
(`api`, `url`, `base`, `port`) and every helper that talks to it (`get_user`,
`upload_multipart`, `wait_for_image_change` here, the raw connections of raw_http.py) use that
listener unless told otherwise. Over https, `requests` trusts the suite's self-signed
certificate through REQUESTS_CA_BUNDLE (set by conftest's `tls_cert`).
"""

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import time
import urllib.parse
from email.utils import parsedate_to_datetime
from pathlib import Path

import requests
from requests_oauthlib import OAuth1

REPO_ROOT = Path(__file__).resolve().parents[2]
API_CONTENT_TYPE = "application/json;charset=utf-8"
LISTEN_TIMEOUT_S = 20
STOP_TIMEOUT_S = 15
PROCESSING_TIMEOUT_S = 10
CORPUS_MANIFEST = REPO_ROOT / "tests" / "corpus" / "MANIFEST"
DEFAULT_IMAGE_PATH = "/sticky/default_profile_images/default_profile_normal.png"
# SPEC section 5 errors as (status, code, message), for assert_error(resp, *ERR_N).
ERR_215 = (400, 215, "Bad authentication data.")
ERR_32 = (401, 32, "Could not authenticate you.")
ERR_89 = (401, 89, "Invalid or expired token.")
ERR_135 = (401, 135, "Timestamp out of bounds.")
ERR_220 = (403, 220, "Your credentials do not allow access to this resource.")
ERR_34 = (404, 34, "Sorry, that page does not exist.")
# Not HTTP/1.1 as RFC 9112 frames it: no endpoint reached, so code 0 (docs/API.md); then close.
ERR_BAD_REQUEST = (400, 0, "Bad request.")
IMAGE_URL_RE = re.compile(
    r"^/profile_images/(?P<image_id>[^/]+)/(?P<key>[^/]+)_normal\.(?P<ext>jpeg|png|gif)$")

# Every variant a client may derive from the `_normal` URL, with its square size (None: the
# original, at most 500 px wide).
VARIANTS = {
    "": None,
    "_400x400": 400,
    "_200x200": 200,
    "_reasonably_small": 128,
    "_bigger": 73,
    "_normal": 48,
    "_mini": 24,
}


def portrait_binary():
    return Path(os.environ.get("PORTRAIT_BIN", REPO_ROOT / "build" / "portrait")).resolve()


def run_cli(*args, check=True, timeout=30):
    """Runs `portrait ARGS...` and returns the CompletedProcess (text mode)."""
    proc = subprocess.run([str(portrait_binary()), *map(str, args)], capture_output=True,
                          text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"portrait {' '.join(map(str, args))} exited {proc.returncode}\n"
                             f"stdout: {proc.stdout}\nstderr: {proc.stderr}")
    return proc


def unique_screen_name(prefix="u"):
    """A fresh Twitter-shaped screen name (at most 15 characters of [A-Za-z0-9_])."""
    return f"{prefix[:8]}_{secrets.token_hex(3)}"


class Credentials:
    """What `portrait credentials create` printed, plus ways to sign with it."""

    def __init__(self, fields):
        self.fields = fields
        self.user_id = int(fields["user_id"])
        self.screen_name = fields["screen_name"]
        self.consumer_key = fields["consumer_key"]
        self.consumer_secret = fields["consumer_secret"]
        self.access_token = fields["access_token"]
        self.access_token_secret = fields["access_token_secret"]

    def oauth(self, **overrides):
        """A requests auth object that signs like requests-oauthlib (header form).

        Overrides: consumer_key, consumer_secret, access_token, access_token_secret, and any
        oauthlib Client keyword (timestamp, nonce, signature_method, ...)."""
        keys = dict(client_key=overrides.pop("consumer_key", self.consumer_key),
                    client_secret=overrides.pop("consumer_secret", self.consumer_secret),
                    resource_owner_key=overrides.pop("access_token", self.access_token),
                    resource_owner_secret=overrides.pop("access_token_secret",
                                                        self.access_token_secret))
        return OAuth1(signature_type="auth_header", **keys, **overrides)


class PortraitServer:
    """One `portrait serve` process on ephemeral ports with its own data directory."""

    def __init__(self, data_dir, tls=None, rate_limits=False, workers=None, extra_args=(),
                 scheme="http"):
        assert scheme in ("http", "https"), scheme
        assert tls or scheme == "http", "an https server needs a certificate"
        self.data_dir = Path(data_dir)
        self.tls = tls  # (cert_path, key_path) or None
        self.scheme = scheme  # the listener that addresses and helpers use by default
        self.rate_limits = rate_limits
        self.workers = workers
        self.extra_args = list(extra_args)
        self.proc = None
        self.http_port = None
        self.https_port = None
        self.log_path = self.data_dir.parent / f"{self.data_dir.name}.stderr.log"
        self.starts = 0

    # --- process lifecycle -------------------------------------------------------------

    def _command(self, http_port, https_port):
        cmd = [str(portrait_binary()), "serve", "--data-dir", str(self.data_dir),
               "--listen", f"127.0.0.1:{http_port}"]
        if self.tls:
            cmd += ["--listen-tls", f"127.0.0.1:{https_port}", "--tls-cert", str(self.tls[0]),
                    "--tls-key", str(self.tls[1])]
        if not self.rate_limits:
            cmd += ["--rate-limits", "off"]
        if self.workers is not None:
            cmd += ["--workers", str(self.workers)]
        return cmd + self.extra_args

    def start(self):
        assert self.proc is None, "server already running"
        # PORTRAIT_TEST_PICK_PORTS=1 chooses free ports here instead of binding port 0; the
        # server is then ready when the listening line appears or /healthz answers.
        pick = os.environ.get("PORTRAIT_TEST_PICK_PORTS") == "1"
        http_port = free_port() if pick else 0
        https_port = free_port() if pick else 0
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")
        log.write(f"\n===== start #{self.starts + 1} =====\n".encode())
        log.flush()
        offset = log.tell()
        self.proc = subprocess.Popen(self._command(http_port, https_port), stdin=subprocess.DEVNULL,
                                     stdout=log, stderr=log, start_new_session=True)
        log.close()
        self.starts += 1
        ports = self._wait_until_listening(offset, pick and http_port, pick and https_port)
        self.http_port, self.https_port = ports
        return self

    def _wait_until_listening(self, offset, picked_http, picked_https):
        deadline = time.monotonic() + LISTEN_TIMEOUT_S
        http_port = https_port = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"portrait serve exited {self.proc.returncode} before "
                                     f"listening:\n{self.log_tail()}")
            with open(self.log_path, "rb") as f:
                f.seek(offset)
                for raw in f.read().splitlines():
                    event = parse_json_line(raw)
                    if event and event.get("event") == "listening":
                        http_port = event.get("http_port", http_port)
                        https_port = event.get("https_port", https_port)
            if http_port and (https_port or not self.tls):
                return int(http_port), (int(https_port) if https_port else None)
            if picked_http and port_answers_healthz(picked_http):
                return picked_http, (picked_https if self.tls else None)
            time.sleep(0.05)
        self.kill9()
        raise AssertionError(f"portrait serve printed no listening line within "
                             f"{LISTEN_TIMEOUT_S} s:\n{self.log_tail()}")

    def stop(self):
        """SIGTERM, then waits; returns the exit code (None if it had to be killed)."""
        if self.proc is None:
            return 0
        proc, self.proc = self.proc, None
        proc.send_signal(signal.SIGTERM)
        try:
            return proc.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            return None

    def kill9(self):
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        proc.kill()
        proc.wait()

    def restart(self):
        code = self.stop()
        assert code == 0, f"portrait serve exited {code} on SIGTERM:\n{self.log_tail()}"
        return self.start()

    def log_tail(self, lines=120):
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    # --- addresses ---------------------------------------------------------------------

    @property
    def http_base(self):
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def https_base(self):
        assert self.https_port, "server has no HTTPS listener"
        return f"https://127.0.0.1:{self.https_port}"

    @property
    def base(self):
        """Scheme, host and port of the listener this server's scheme names."""
        return self.https_base if self.scheme == "https" else self.http_base

    @property
    def port(self):
        return self.https_port if self.scheme == "https" else self.http_port

    def api(self, path, https=None):
        """URL of an API path such as 'users/show.json' (https=True/False: that listener
        rather than the server's scheme)."""
        return f"{self._base(https)}/1.1/{path}"

    def url(self, path, https=None):
        return f"{self._base(https)}{path}"

    def _base(self, https):
        if https is None:
            return self.base
        return self.https_base if https else self.http_base

    # --- CLI against the same data directory -------------------------------------------

    def credentials(self, screen_name=None):
        screen_name = screen_name or unique_screen_name()
        out = run_cli("credentials", "create", "--data-dir", self.data_dir,
                      "--screen-name", screen_name).stdout
        fields = json.loads(out)
        for key in ("user_id", "screen_name", "consumer_key", "consumer_secret", "access_token",
                    "access_token_secret"):
            assert key in fields, f"credentials create printed no {key}: {out}"
        return Credentials(fields)

    def update_user(self, screen_name, **fields):
        args = ["users", "update", "--data-dir", self.data_dir, "--screen-name", screen_name]
        for name, value in fields.items():
            args += [f"--{name}", value]
        return run_cli(*args, "--json")

    def revoke_token(self, token):
        return run_cli("tokens", "revoke", "--data-dir", self.data_dir, "--token", token)

    def jobs(self, state=None):
        args = ["jobs", "list", "--data-dir", self.data_dir, "--json"]
        if state:
            args += ["--state", state]
        jobs = json.loads(run_cli(*args).stdout)
        assert isinstance(jobs, list), jobs
        return jobs


def parse_json_line(raw):
    try:
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_answers_healthz(port):
    try:
        return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
    except requests.RequestException:
        return False


def make_tls_cert(directory):
    """A self-signed certificate for 127.0.0.1/localhost; returns (cert, key) paths."""
    directory = Path(directory)
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", cert, "-subj", "/CN=127.0.0.1", "-addext",
                    "subjectAltName=IP:127.0.0.1,DNS:localhost", "-days", "2"],
                   check=True, capture_output=True)
    return cert, key


# --- response checks ---------------------------------------------------------------------


def assert_api_headers(resp):
    """What every API response carries: the JSON content type clients insist on, and Date."""
    assert resp.headers.get("Content-Type") == API_CONTENT_TYPE, \
        f"Content-Type {resp.headers.get('Content-Type')!r} on {resp.status_code} {resp.url}"
    assert_date_header(resp)


def assert_date_header(resp):
    date = resp.headers.get("Date")
    assert date, f"no Date header on {resp.status_code} {resp.url}"
    parsed = parsedate_to_datetime(date)
    assert abs(parsed.timestamp() - time.time()) < 120, f"Date header far off: {date}"


def assert_error(resp, status, code, message):
    """The Twitter error envelope, exactly."""
    assert resp.status_code == status, \
        f"expected {status}/{code}, got {resp.status_code}: {resp.text[:500]}"
    assert_api_headers(resp)
    assert resp.json() == {"errors": [{"code": code, "message": message}]}, resp.text[:500]


def assert_ok_json(resp):
    assert resp.status_code == 200, f"{resp.status_code} {resp.url}: {resp.text[:500]}"
    assert_api_headers(resp)
    return resp.json()


def image_url_parts(url):
    """(image_id, key, ext) of a processed `_normal` URL; AssertionError for anything else."""
    path = urllib.parse.urlsplit(url).path
    match = IMAGE_URL_RE.match(path)
    assert match, f"not a processed profile image URL: {url}"
    return match.group("image_id"), match.group("key"), match.group("ext")


def variant_url(normal_url, suffix):
    assert "_normal." in normal_url, normal_url
    head, ext = normal_url.rsplit("_normal.", 1)
    return f"{head}{suffix}.{ext}"


def is_default_image_url(url):
    return urllib.parse.urlsplit(url).path == DEFAULT_IMAGE_PATH


def get_user(server, creds, https=None, **params):
    params.setdefault("screen_name", creds.screen_name)
    resp = requests.get(server.api("users/show.json", https), params=params, auth=creds.oauth(),
                        timeout=10)
    return assert_ok_json(resp)


def send_prepared(session, prepared, timeout=10):
    """Sends a prepared request exactly as prepared (its nonce and signature too). Unlike
    Session.request, Session.send reads no environment: it is handed the CA bundle that
    REQUESTS_CA_BUNDLE names here."""
    settings = session.merge_environment_settings(prepared.url, {}, None, None, None)
    return session.send(prepared, timeout=timeout, **settings)


def wait_for_image_change(server, creds, previous_url=None, timeout=PROCESSING_TIMEOUT_S,
                          predicate=None):
    """Polls users/show until the image URL is neither the default nor `previous_url` (and
    satisfies `predicate`, when given); returns that user object."""
    deadline = time.monotonic() + timeout
    user = None
    while time.monotonic() < deadline:
        user = get_user(server, creds)
        url = user["profile_image_url"]
        if (not is_default_image_url(url) and url != previous_url
                and (predicate is None or predicate(user))):
            return user
        time.sleep(0.1)
    raise AssertionError(f"profile image of {creds.screen_name} did not change within {timeout} s; "
                         f"last seen {user and user['profile_image_url']}; jobs: "
                         f"{[j for j in server.jobs() if j.get('user_id') in (creds.user_id, str(creds.user_id))]}")


def wait_for_jobs_settled(server, user_id=None, timeout=PROCESSING_TIMEOUT_S):
    """Waits until no job (of `user_id`, when given) is queued or processing; returns the jobs."""
    deadline = time.monotonic() + timeout
    while True:
        jobs = [j for j in server.jobs()
                if user_id is None or str(j.get("user_id")) == str(user_id)]
        if all(j["state"] in ("done", "failed") for j in jobs):
            return jobs
        if time.monotonic() > deadline:
            raise AssertionError(f"jobs still pending after {timeout} s: {jobs}")
        time.sleep(0.1)


def upload_multipart(server, creds, data, filename="image", content_type=None, params=None,
                     https=None):
    part = (filename, data) if content_type is None else (filename, data, content_type)
    return requests.post(server.api("account/update_profile_image.json", https), params=params,
                         files={"image": part}, auth=creds.oauth(), timeout=30)


# --- a hand-rolled OAuth 1.0a signer, for what requests-oauthlib cannot send ---------------


def percent_encode(value):
    return urllib.parse.quote(str(value), safe="-._~")


def oauth1_signature(method, url, params, consumer_secret, token_secret, algorithm="HMAC-SHA1"):
    """RFC 5849 signature of `params` (a list of (name, value), oauth_* included)."""
    parts = urllib.parse.urlsplit(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    default_port = {"http": 80, "https": 443}[scheme]
    netloc = host if parts.port in (None, default_port) else f"{host}:{parts.port}"
    base_url = f"{scheme}://{netloc}{parts.path}"
    all_params = list(params) + urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    normalized = "&".join(f"{k}={v}" for k, v in sorted(
        (percent_encode(k), percent_encode(v)) for k, v in all_params))
    base = "&".join([method.upper(), percent_encode(base_url), percent_encode(normalized)])
    key = f"{percent_encode(consumer_secret)}&{percent_encode(token_secret)}"
    digest = {"HMAC-SHA1": hashlib.sha1, "HMAC-SHA256": hashlib.sha256}[algorithm]
    return base64.b64encode(hmac.new(key.encode(), base.encode(), digest).digest()).decode()


def oauth1_header(method, url, creds, body_params=(), extra_oauth=None, algorithm="HMAC-SHA1",
                  nonce=None, timestamp=None, spaces=True):
    """An `Authorization: OAuth ...` value signed by hand (body_params: urlencoded pairs)."""
    oauth = {
        "oauth_consumer_key": creds.consumer_key,
        "oauth_nonce": nonce or secrets.token_hex(16),
        "oauth_signature_method": algorithm,
        "oauth_timestamp": str(timestamp if timestamp is not None else int(time.time())),
        "oauth_token": creds.access_token,
        "oauth_version": "1.0",
    }
    oauth.update(extra_oauth or {})
    oauth["oauth_signature"] = oauth1_signature(method, url, list(oauth.items()) + list(body_params),
                                                creds.consumer_secret, creds.access_token_secret,
                                                algorithm)
    sep = ", " if spaces else ","
    return "OAuth " + sep.join(f'{k}="{percent_encode(v)}"' for k, v in oauth.items())


def ensure_corpus():
    """The corpus directory (PORTRAIT_CORPUS_DIR, default <repo>/.corpus), fetched if absent."""
    corpus = Path(os.environ.get("PORTRAIT_CORPUS_DIR", REPO_ROOT / ".corpus"))
    names = corpus_names(CORPUS_MANIFEST)
    if not corpus.is_dir() or any(not (corpus / n).is_file() for n in names):
        subprocess.run(["bash", str(REPO_ROOT / "scripts" / "fetch-corpus"), str(corpus)],
                       check=True, capture_output=True, timeout=600)
    return corpus


def corpus_names(manifest):
    names = []
    if manifest.is_file():
        for line in manifest.read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                names.append(os.path.basename(line.split("\t")[1]))
    return names
