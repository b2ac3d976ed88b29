"""Fixtures: a TLS certificate, real `portrait serve` processes, credentials, the corpus.

`server` is one server per test module and scheme (rate limits off, HTTP + HTTPS);
`server_factory` starts extra servers with other settings for a single test. Every server is
stopped with SIGTERM at teardown and must exit 0 within 15 s; when a test fails, the stderr of
the servers it used is attached to its report.

Every test that uses a server runs once per scheme, with ids [http] and [https]: `scheme` is
parametrised, both server fixtures give their servers that scheme, and the helpers in
harness.py follow it. A test inherently about one scheme says so with
`@pytest.mark.schemes("https", reason=...)`, and its other runs are deselected. A test that
also takes `tls_version` runs as [http], [https-tls1.2] and [https-tls1.3].
PORTRAIT_TEST_SCHEMES=http (or https) narrows the tests that run over both to that one, for a
quicker run about something other than transport; single-scheme tests keep their scheme.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

import harness
import raw_http

NODE_DIR = Path(__file__).resolve().parent / "node"
MAX_UPLOAD_BYTES = 716_799

_live_servers = []  # every PortraitServer started and not yet torn down


SCHEMES = ("http", "https")
TRANSPORTS = {"http": ("http", None),
              "https-tls1.2": ("https", raw_http.TLS_VERSIONS["tls1.2"]),
              "https-tls1.3": ("https", raw_http.TLS_VERSIONS["tls1.3"])}


def pytest_configure(config):
    config.addinivalue_line("markers",
                            "slow: long-running (durability, whole corpus); runs by default")
    config.addinivalue_line("markers",
                            "schemes(*names, reason): runs only over these schemes, for the reason "
                            "given (the test is about one scheme, or not about transport at all)")
    config.addinivalue_line("filterwarnings", "ignore:'imghdr' is deprecated:DeprecationWarning")


def pytest_generate_tests(metafunc):
    """Parametrises tests that use a server over the schemes (module scope: a module's
    server is shared by its tests of one scheme), and tests over corpus files by what the
    spec says must happen to them."""
    if "tls_version" in metafunc.fixturenames:
        metafunc.parametrize(("scheme", "tls_version"), list(TRANSPORTS.values()),
                             ids=list(TRANSPORTS), indirect=["scheme"], scope="module")
    elif "scheme" in metafunc.fixturenames:
        metafunc.parametrize("scheme", SCHEMES, indirect=True, scope="module")
    wanted = {"corpus_image_within_limit", "corpus_image_over_limit"} & set(metafunc.fixturenames)
    if not wanted:
        return
    corpus = harness.ensure_corpus()
    files = sorted(p for p in corpus.iterdir() if p.is_file() and p.name != "truncated.jpg")
    for name in wanted:
        if name == "corpus_image_within_limit":
            chosen = [p for p in files if p.stat().st_size <= MAX_UPLOAD_BYTES]
        else:
            chosen = [p for p in files if p.stat().st_size > MAX_UPLOAD_BYTES]
        metafunc.parametrize(name, chosen, ids=[p.name for p in chosen])


def pytest_collection_modifyitems(config, items):
    """Deselects the runs of single-scheme tests over the other scheme, and the runs over a
    scheme that PORTRAIT_TEST_SCHEMES leaves out."""
    narrowed = os.environ.get("PORTRAIT_TEST_SCHEMES", ",".join(SCHEMES)).split(",")
    assert set(narrowed) <= set(SCHEMES), f"PORTRAIT_TEST_SCHEMES={narrowed}: http and/or https"
    kept, dropped = [], []
    for item in items:
        marker = item.get_closest_marker("schemes")
        scheme = item.callspec.params.get("scheme") if hasattr(item, "callspec") else None
        if marker is not None:
            assert marker.kwargs.get("reason"), f"{item.nodeid}: schemes(...) needs a reason"
            assert set(marker.args) <= set(SCHEMES), f"{item.nodeid}: unknown scheme"
        wanted = marker.args if marker is not None else narrowed
        (kept if scheme is None or scheme in wanted else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for server in _live_servers:
            report.sections.append((f"portrait serve stderr ({server.data_dir.name})",
                                    server.log_tail()))


@pytest.fixture(scope="session")
def portrait_bin():
    binary = harness.portrait_binary()
    if not binary.is_file():
        pytest.fail(f"no Portrait binary at {binary} (build it, or set PORTRAIT_BIN)")
    return binary


@pytest.fixture(scope="session")
def tls_cert(tmp_path_factory):
    """(cert_path, key_path) of a self-signed certificate for 127.0.0.1 and localhost, which
    `requests` trusts (REQUESTS_CA_BUNDLE) while it exists: no test passes verify=False."""
    cert = harness.make_tls_cert(tmp_path_factory.mktemp("tls"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REQUESTS_CA_BUNDLE", str(cert[0]))
        yield cert


@pytest.fixture(scope="module")
def scheme(request):
    """The listener a test's servers are reached on, "http" or "https" (pytest_generate_tests
    parametrises it)."""
    return request.param


@pytest.fixture(scope="session")
def corpus_dir():
    return harness.ensure_corpus()


class _ServerPool:
    def __init__(self, base_dir, tls, scheme):
        self.base_dir = base_dir
        self.tls = tls
        self.scheme = scheme
        self.servers = []

    def start(self, rate_limits=False, workers=None, extra_args=(), tls=True):
        """tls=False leaves out the HTTPS listener (for tests that run over http only)."""
        data_dir = self.base_dir / f"data{len(self.servers)}"
        server = harness.PortraitServer(data_dir, tls=self.tls if tls else None,
                                        rate_limits=rate_limits, workers=workers,
                                        extra_args=extra_args, scheme=self.scheme)
        self.servers.append(server)
        _live_servers.append(server)
        server.start()
        return server

    def stop_all(self):
        problems = []
        for server in self.servers:
            try:
                if server.proc is not None:
                    code = server.stop()
                    if code != 0:
                        problems.append(f"{server.data_dir}: exit code {code} after SIGTERM "
                                        f"(None = still running after {harness.STOP_TIMEOUT_S} s)"
                                        f"\n{server.log_tail()}")
            finally:
                if server in _live_servers:
                    _live_servers.remove(server)
        return problems


def _server_pool(tmp_path_factory, tls_cert, name, scheme):
    return _ServerPool(tmp_path_factory.mktemp(f"{name}-{scheme}"), tls_cert, scheme)


@pytest.fixture
def server_factory(portrait_bin, tls_cert, tmp_path_factory, scheme):
    """Starts servers for one test: server_factory(rate_limits=True, workers=2, ...)."""
    pool = _server_pool(tmp_path_factory, tls_cert, "serve", scheme)
    yield pool.start
    problems = pool.stop_all()
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def server(portrait_bin, tls_cert, tmp_path_factory, scheme):
    """One server shared by a test module's tests of one scheme: HTTP + HTTPS, rate limits
    off."""
    pool = _server_pool(tmp_path_factory, tls_cert, "shared", scheme)
    yield pool.start()
    problems = pool.stop_all()
    assert not problems, "\n".join(problems)


@pytest.fixture
def creds(server):
    """A fresh user with an app and an access token on the shared server."""
    return server.credentials()


@pytest.fixture(scope="session")
def node_client():
    """The twitter-api-v2 driver script, its dependencies installed by `npm ci`."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("node and npm are needed for the twitter-api-v2 test")
    proc = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                          cwd=NODE_DIR, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"npm ci failed:\n{proc.stdout}\n{proc.stderr}"
    return node, NODE_DIR / "upload.mjs"
