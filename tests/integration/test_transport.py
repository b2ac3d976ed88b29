"""The same bytes arrive whole over plain HTTP, TLS 1.2 and TLS 1.3, one request at a time on a
kept-alive connection and pipelined in one write: every variant of processed images (responses
of 0.5 KB to 1.6 MB), JSON and error envelopes, and request bodies of 1 KB to 3 MB.

Each test runs as [http], [https-tls1.2] and [https-tls1.3] (conftest.py): raw sockets carry
the requests, TLS pinned to one version, and h11 parses the responses in order. The reference
for an image is what a plain GET (requests, a fresh connection over plain HTTP) returned.
"""

import time

import pytest
import requests

import harness
import imagegen
import raw_http
from harness import ERR_32, ERR_34, ERR_215
from raw_http import TLS_VERSIONS
from test_upload import TOO_BIG, open_image

UPLOAD_PATH = "/1.1/account/update_profile_image.json"
NEGOTIATED = {TLS_VERSIONS["tls1.2"]: "TLSv1.2", TLS_VERSIONS["tls1.3"]: "TLSv1.3"}
# Uploaded in each run: variants from 0.5 KB to 21 KB, to 336 KB, and a 1.6 MB original.
CORPUS_UPLOADS = ("FreshFlower.jpg", "coffee.png")
LARGEST_RESPONSE_BYTES = 1_000_000  # the grey-noise original is at least this large
# Request bodies (multipart uploads): three valid, one over 700 KB but under --max-body-bytes.
UPLOAD_BODIES = {1_000: 200, 20_000: 200, 300_000: 200, 3_000_000: 422}


def connect(server, tls_version):
    """A raw connection over the transport under test; over https, pinned to tls_version."""
    sock = raw_http.open_connection(server, timeout=30, tls_version=tls_version)
    if tls_version is not None:
        assert sock.version() == NEGOTIATED[tls_version], sock.version()
    return sock


def signed_get(server, creds, path, close=False):
    auth = harness.oauth1_header("GET", server.url(path), creds)
    return raw_http.request_bytes(server, "GET", path, [("Authorization", auth)], close=close)


@pytest.fixture(scope="module")
def processed(server, corpus_dir):
    """{path: bytes} of every variant of three processed uploads, as a plain GET returned."""
    creds = server.credentials()
    uploads = [(corpus_dir / name).read_bytes() for name in CORPUS_UPLOADS]
    uploads.append(imagegen.grey_noise_jpeg())
    variants = {}
    for data in uploads:
        before = harness.get_user(server, creds)["profile_image_url"]
        harness.assert_ok_json(harness.upload_multipart(server, creds, data))
        url = harness.wait_for_image_change(server, creds, previous_url=before, timeout=30)[
            "profile_image_url"]
        for suffix, square in harness.VARIANTS.items():
            path = "/" + harness.variant_url(url, suffix).split("/", 3)[3]
            resp = requests.get(server.url(path, https=False), timeout=30)
            assert resp.status_code == 200, (path, resp.status_code)
            assert int(resp.headers["Content-Length"]) == len(resp.content), path
            img = open_image(resp.content)  # whole: a cut image does not decode
            assert img.size == (square, square) if square else img.width <= 500, (path, img.size)
            variants[path] = resp.content
    sizes = sorted(len(body) for body in variants.values())
    assert sizes[0] < 1_000 and sizes[-1] > LARGEST_RESPONSE_BYTES, sizes
    return variants


def assert_whole_image(resp, path, expected):
    assert resp is not None, f"no response for {path}"
    assert resp.status == 200, (path, resp)
    assert int(resp.headers["content-length"]) == len(resp.body) == len(expected), path
    assert resp.body == expected, f"{path}: the bytes differ from a plain GET's"
    assert resp.headers.get("connection") != "close", path


def test_every_variant_arrives_whole_on_one_kept_alive_connection(server, processed,
                                                                  tls_version):
    with connect(server, tls_version) as sock:
        reader = raw_http.ResponseReader(sock)
        for path, expected in processed.items():
            sock.sendall(raw_http.request_bytes(server, "GET", path))
            assert_whole_image(reader.next(), path, expected)


def test_every_variant_arrives_whole_and_in_order_when_pipelined(server, processed, tls_version):
    """Every variant, then a HEAD and a conditional GET of the largest, in one write."""
    largest = max(processed, key=lambda p: len(processed[p]))
    etag = requests.get(server.url(largest, https=False), timeout=30).headers["ETag"]
    batch = b"".join(raw_http.request_bytes(server, "GET", path) for path in processed)
    batch += raw_http.request_bytes(server, "HEAD", largest)
    batch += raw_http.request_bytes(server, "GET", largest, [("If-None-Match", etag)], close=True)
    with connect(server, tls_version) as sock:
        sock.sendall(batch)
        reader = raw_http.ResponseReader(sock)
        for path, expected in processed.items():
            assert_whole_image(reader.next(), path, expected)
        head = reader.next("HEAD")
        assert head.status == 200 and head.body == b"", head
        assert int(head.headers["content-length"]) == len(processed[largest])
        cached = reader.next()
        assert cached.status == 304 and cached.body == b"", cached
        assert cached.headers.get("etag") == etag
        assert reader.rest() == b"", "bytes after the last response"


def json_exchanges(server, creds):
    """(request bytes, expected (status, check)) for the read API's JSON and error answers."""
    wrong = harness.Credentials(dict(creds.fields, consumer_secret="x" + creds.consumer_secret))
    show = f"/1.1/users/show.json?screen_name={creds.screen_name}"
    verify = "/1.1/account/verify_credentials.json"
    nobody = "/1.1/users/show.json?screen_name=nobody_at_all_x"

    user = (200, lambda body: (body["id"], body["screen_name"]) == (creds.user_id,
                                                                    creds.screen_name))

    def error(status, code, message):
        return status, lambda body: body == {"errors": [{"code": code, "message": message}]}

    return [
        (signed_get(server, creds, show), user),
        (signed_get(server, creds, verify), user),
        (raw_http.request_bytes(server, "GET", verify), error(*ERR_215)),
        (signed_get(server, wrong, verify), error(*ERR_32)),
        (signed_get(server, creds, "/1.1/users/show.json"),
         error(400, 38, "user_id or screen_name parameter is missing.")),
        (signed_get(server, creds, nobody), error(404, 50, "User not found.")),
        (raw_http.request_bytes(server, "GET", "/1.1/statuses/update.json"), error(*ERR_34)),
    ]


def assert_json_answer(resp, expected):
    status, body_is_right = expected
    assert resp is not None and resp.status == status, (status, resp)
    assert resp.headers.get("content-type") == harness.API_CONTENT_TYPE, resp.headers
    assert resp.headers.get("date"), resp.headers
    assert int(resp.headers["content-length"]) == len(resp.body), resp
    assert body_is_right(resp.json()), resp


def test_json_and_error_envelopes_arrive_whole_kept_alive_and_pipelined(server, creds,
                                                                        tls_version):
    with connect(server, tls_version) as sock:
        reader = raw_http.ResponseReader(sock)
        for request, expected in json_exchanges(server, creds):
            sock.sendall(request)
            assert_json_answer(reader.next(), expected)
    exchanges = json_exchanges(server, creds)  # fresh nonces
    with connect(server, tls_version) as sock:
        sock.sendall(b"".join(request for request, _ in exchanges))
        reader = raw_http.ResponseReader(sock)
        for _, expected in exchanges:
            assert_json_answer(reader.next(), expected)


def upload_request(server, creds, size):
    prepared = requests.Request("POST", server.url(UPLOAD_PATH), auth=creds.oauth(), files={
        "image": ("avatar.jpg", imagegen.padded_jpeg(size), "image/jpeg")}).prepare()
    return raw_http.prepared_bytes(server, prepared)


def assert_upload_answer(resp, creds, size):
    assert resp is not None, f"no answer to the {size}-byte upload"
    if UPLOAD_BODIES[size] == 200:
        assert resp.status == 200, (size, resp)
        assert resp.json()["id"] == creds.user_id
    else:
        status, code, message = TOO_BIG
        assert (resp.status, resp.json()) == (
            status, {"errors": [{"code": code, "message": message}]}), (size, resp)
    assert resp.headers.get("connection") != "close", (size, resp.headers)


def test_request_bodies_from_1_kb_to_3_mb_are_read_whole_kept_alive_and_pipelined(
        server, creds, tls_version):
    """Valid uploads of 1 KB, 20 KB and 300 KB get 200; 3 MB (under --max-body-bytes, 4 MiB) is
    read and refused 422/44 as over 700 KB; the connection serves a users/show after each."""
    show = f"/1.1/users/show.json?screen_name={creds.screen_name}"
    with connect(server, tls_version) as sock:
        reader = raw_http.ResponseReader(sock)
        for size in UPLOAD_BODIES:
            sock.sendall(upload_request(server, creds, size))
            assert_upload_answer(reader.next("POST"), creds, size)
            sock.sendall(signed_get(server, creds, show))
            shown = reader.next()
            assert shown.json()["id"] == creds.user_id, (size, shown)
    batch = [upload_request(server, creds, size) for size in UPLOAD_BODIES]
    with connect(server, tls_version) as sock:
        sock.sendall(b"".join(batch) + signed_get(server, creds, show, close=True))
        reader = raw_http.ResponseReader(sock)
        for size in UPLOAD_BODIES:
            assert_upload_answer(reader.next("POST"), creds, size)
        assert reader.next().json()["id"] == creds.user_id
        assert reader.rest() == b""


@pytest.mark.parametrize("split_after", [
    pytest.param(len("GET /heal"), id="inside-the-request-line"),
    pytest.param(len("GET /healthz HTTP/1.1\r\n"), id="after-the-request-line"),
    pytest.param(len("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:"), id="inside-a-field"),
])
def test_a_request_header_sent_in_two_writes_is_answered(server, tls_version, split_after):
    request = raw_http.request_bytes(server, "GET", "/healthz", close=True)
    with connect(server, tls_version) as sock:
        sock.sendall(request[:split_after])
        time.sleep(0.2)  # the server reads the first part on its own
        sock.sendall(request[split_after:])
        reader = raw_http.ResponseReader(sock)
        resp = reader.next()
        assert resp is not None and resp.status == 200, resp


def test_a_12_kb_request_header_under_the_header_limit_is_answered(server, tls_version):
    """--max-header-bytes is 16 KiB: a 12 KB header is more than the server reads at once."""
    request = raw_http.request_bytes(server, "GET", "/healthz", [("X-Padding", "p" * 12_000)],
                                    close=True)
    with connect(server, tls_version) as sock:
        sock.sendall(request)
        resp = raw_http.ResponseReader(sock).next()
        assert resp is not None and resp.status == 200, resp
