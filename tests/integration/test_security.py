"""Security tests against a real server: who may change which profile, every way a signed
request can be wrong, hostile names on the image routes, reflection of input, and metadata in
served images. docs/SECURITY.md ("Security tests") lists each case with its test."""

import base64
import io
import secrets
import struct
import time
import urllib.parse
import zlib

import pytest
import requests
from PIL import Image, ImageCms, PngImagePlugin

import harness
import imagegen
import raw_http
from harness import ERR_32, ERR_89, ERR_135, ERR_220, assert_error, assert_ok_json, upload_multipart

UPLOAD = "account/update_profile_image.json"
SCRIPT = "<script>alert(1)</script>"
SECRET = "PortraitSecret"  # in every piece of metadata the uploads carry


def upload_url(server):
    return server.api(UPLOAD)


def jobs_of(server, creds):
    return [j for j in server.jobs() if str(j["user_id"]) == str(creds.user_id)]


def assert_nothing_changed(server, creds, image_url_before):
    """No job was queued for the user and their image is what it was."""
    assert jobs_of(server, creds) == []
    assert harness.get_user(server, creds)["profile_image_url"] == image_url_before


def sign_upload(creds, url, **oauth):
    """A multipart upload signed by hand (so the signed URL may differ from the one used)."""
    header = harness.oauth1_header("POST", url, creds, **oauth)
    return {"Authorization": header}


def post_image(url, headers, data=None):
    return requests.post(url, headers=headers, timeout=10,
                         files={"image": ("a.png", data or imagegen.small_png())})


# --- one user cannot touch another's profile ------------------------------------------------


def test_a_token_changes_only_its_owners_image_whatever_user_it_names(server):
    alice, bob = server.credentials(), server.credentials()
    bob_url = harness.get_user(server, bob)["profile_image_url"]
    naming_bob = {"user_id": str(bob.user_id), "screen_name": bob.screen_name}

    # In the signed query string, as multipart text parts, and in a signed urlencoded body.
    resp = requests.post(upload_url(server), params=naming_bob, auth=alice.oauth(), timeout=10,
                         files={"image": ("a.png", imagegen.small_png(31, 17))})
    assert assert_ok_json(resp)["id"] == alice.user_id
    first = harness.wait_for_image_change(server, alice)["profile_image_url"]
    resp = requests.post(upload_url(server), auth=alice.oauth(), timeout=10,
                         files={"image": ("a.png", imagegen.small_png(33, 19)),
                                "user_id": (None, str(bob.user_id)),
                                "screen_name": (None, bob.screen_name)})
    assert assert_ok_json(resp)["id"] == alice.user_id
    second = harness.wait_for_image_change(server, alice, previous_url=first)["profile_image_url"]
    form = dict(naming_bob, image=base64.b64encode(imagegen.small_gif()).decode())
    resp = requests.post(upload_url(server), data=form, auth=alice.oauth(), timeout=10)
    assert assert_ok_json(resp)["id"] == alice.user_id
    harness.wait_for_image_change(server, alice, previous_url=second)

    assert len(jobs_of(server, alice)) == 3
    assert jobs_of(server, bob) == []
    assert harness.get_user(server, bob)["profile_image_url"] == bob_url
    assert harness.is_default_image_url(bob_url)


def test_another_users_oauth_token_in_the_query_or_body_never_acts_for_that_user(server):
    alice, bob = server.credentials(), server.credentials()
    attempts = [
        # Signed along with alice's header, which has its own: a second oauth_token (400/215).
        requests.post(upload_url(server), params={"oauth_token": bob.access_token},
                      auth=alice.oauth(), timeout=10,
                      files={"image": ("a.png", imagegen.small_png())}),
        requests.post(upload_url(server), auth=alice.oauth(), timeout=10,
                      data={"image": base64.b64encode(imagegen.small_png()).decode(),
                            "oauth_token": bob.access_token}),
        # Added to the query after signing: a second oauth_token too, refused before the signature.
        requests.post(upload_url(server) + "?oauth_token=" + bob.access_token, timeout=10,
                      headers={"Authorization": harness.oauth1_header("POST", upload_url(server),
                                                                      alice)},
                      files={"image": ("a.png", imagegen.small_png())}),
    ]
    header = harness.oauth1_header("POST", upload_url(server), alice)
    attempts.append(requests.post(  # two oauth_token parameters in one header
        upload_url(server), timeout=10, files={"image": ("a.png", imagegen.small_png())},
        headers={"Authorization": header.replace(
            "oauth_token=", f'oauth_token="{bob.access_token}", oauth_token=', 1)}))
    assert_error(attempts[0], 400, 215, "Bad authentication data.")
    assert_error(attempts[1], 400, 215, "Bad authentication data.")
    assert_error(attempts[2], 400, 215, "Bad authentication data.")
    assert_error(attempts[3], 400, 215, "Bad authentication data.")
    harness.wait_for_jobs_settled(server)
    assert jobs_of(server, bob) == []
    assert harness.is_default_image_url(harness.get_user(server, bob)["profile_image_url"])


def test_a_token_used_with_another_apps_consumer_key_is_refused_with_89(server):
    alice, bob = server.credentials(), server.credentials()
    before = harness.get_user(server, alice)["profile_image_url"]
    mixed = alice.oauth(consumer_key=bob.consumer_key, consumer_secret=bob.consumer_secret)
    resp = requests.post(upload_url(server), auth=mixed, timeout=10,
                         files={"image": ("a.png", imagegen.small_png())})
    assert_error(resp, *ERR_89)
    assert_nothing_changed(server, alice, before)


# --- refused credentials on the write endpoint ----------------------------------------------


def test_replayed_nonce_on_an_upload_is_refused_with_32(server, creds):
    prepared = requests.Request("POST", upload_url(server), auth=creds.oauth(),
                                files={"image": ("a.png", imagegen.small_png())}).prepare()
    with requests.Session() as session:
        assert_ok_json(harness.send_prepared(session, prepared))
        first = harness.wait_for_image_change(server, creds)["profile_image_url"]
        assert_error(harness.send_prepared(session, prepared), *ERR_32)
    assert len(jobs_of(server, creds)) == 1
    assert harness.get_user(server, creds)["profile_image_url"] == first


def test_a_nonce_used_on_another_endpoint_is_refused_on_the_upload_with_32(server, creds):
    nonce = "securitytest" + secrets.token_hex(8)
    resp = requests.get(server.api("account/verify_credentials.json"), timeout=10,
                        auth=creds.oauth(nonce=nonce))
    assert_ok_json(resp)
    before = harness.get_user(server, creds)["profile_image_url"]
    resp = post_image(upload_url(server), sign_upload(creds, upload_url(server), nonce=nonce))
    assert_error(resp, *ERR_32)
    assert_nothing_changed(server, creds, before)


@pytest.mark.parametrize("skew_s", [-601 - 60, 601 + 60, -86400 * 365])
def test_stale_or_future_timestamp_on_an_upload_is_refused_with_135(server, creds, skew_s):
    before = harness.get_user(server, creds)["profile_image_url"]
    headers = sign_upload(creds, upload_url(server), timestamp=int(time.time()) + skew_s)
    assert_error(post_image(upload_url(server), headers), *ERR_135)
    assert_nothing_changed(server, creds, before)


@pytest.mark.parametrize("which", ["consumer_secret", "access_token_secret"])
def test_wrong_secret_on_an_upload_is_refused_with_32(server, creds, which):
    before = harness.get_user(server, creds)["profile_image_url"]
    secret = getattr(creds, which)
    # The last character changed, never to itself (a secret may already end in "x").
    auth = creds.oauth(**{which: secret[:-1] + ("y" if secret.endswith("x") else "x")})
    resp = requests.post(upload_url(server), auth=auth, timeout=10,
                         files={"image": ("a.png", imagegen.small_png())})
    assert_error(resp, *ERR_32)
    assert_nothing_changed(server, creds, before)


def test_revoked_token_cannot_upload_89(server):
    creds = server.credentials()
    server.revoke_token(creds.access_token)
    resp = upload_multipart(server, creds, imagegen.small_png())
    assert_error(resp, *ERR_89)
    assert jobs_of(server, creds) == []


def test_revoked_app_cannot_upload_or_read_32(server):
    creds = server.credentials()
    assert_ok_json(upload_multipart(server, creds, imagegen.small_png()))
    url = harness.wait_for_image_change(server, creds)["profile_image_url"]
    harness.run_cli("apps", "revoke", "--data-dir", server.data_dir,
                    "--consumer-key", creds.consumer_key)
    assert_error(upload_multipart(server, creds, imagegen.small_jpeg()), *ERR_32)
    resp = requests.get(server.api("account/verify_credentials.json"), auth=creds.oauth(),
                        timeout=10)
    assert_error(resp, *ERR_32)
    other = server.credentials()
    assert harness.get_user(server, other, screen_name=creds.screen_name)["profile_image_url"] == url
    assert len(jobs_of(server, creds)) == 1


def with_other_scheme(url):
    """The same host, port and path under the scheme the client did not use."""
    scheme, rest = url.split("://", 1)
    return {"http": "https", "https": "http"}[scheme] + "://" + rest


@pytest.mark.parametrize("signed_for", [
    pytest.param(lambda s: s.api(UPLOAD).replace("127.0.0.1", "evil.example"), id="other-host"),
    pytest.param(lambda s: s.api(UPLOAD).replace("127.0.0.1", "localhost"), id="other-host-name"),
    pytest.param(lambda s: s.api(UPLOAD).replace(f":{s.port}/", f":{s.port + 1}/"),
                 id="other-port"),
    pytest.param(lambda s: with_other_scheme(s.api(UPLOAD)), id="other-scheme"),
    pytest.param(lambda s: s.api("account/verify_credentials.json"), id="other-path"),
    pytest.param(lambda s: s.api("account/update_profile_image"), id="path-without-json"),
    pytest.param(lambda s: s.api(UPLOAD) + "?user_id=1", id="other-query"),
])
def test_signature_over_another_url_is_refused_with_32(server, creds, signed_for):
    before = harness.get_user(server, creds)["profile_image_url"]
    headers = sign_upload(creds, signed_for(server))
    assert_error(post_image(upload_url(server), headers), *ERR_32)
    assert_nothing_changed(server, creds, before)


def test_signature_for_users_show_is_not_accepted_as_a_get_of_verify_credentials(server, creds):
    header = harness.oauth1_header("GET", server.api("users/show.json"), creds)
    resp = requests.get(server.api("account/verify_credentials.json"), timeout=10,
                        headers={"Authorization": header})
    assert_error(resp, *ERR_32)


def test_bearer_token_cannot_upload_and_nothing_is_queued(server, creds):
    resp = requests.post(server.url("/oauth2/token"), auth=(creds.consumer_key,
                                                            creds.consumer_secret),
                         data={"grant_type": "client_credentials"}, timeout=10)
    token = assert_ok_json(resp)["access_token"]
    before = harness.get_user(server, creds)["profile_image_url"]
    resp = post_image(upload_url(server), {"Authorization": f"Bearer {token}"},
                      imagegen.small_png())
    assert_error(resp, *ERR_220)
    assert_nothing_changed(server, creds, before)


# --- hostile names on the image routes ------------------------------------------------------


def raw_get(server, target, extra=b""):
    """GET target sent byte for byte (no client normalises it); (status, headers, body)."""
    head = (b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + extra
            + b"\r\n")
    return raw_http.raw_http_exchange(server, head)


def png_with_marker(marker):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", marker)
    return imagegen.to_bytes(Image.new("RGB", (8, 8), (1, 2, 3)), "PNG", pnginfo=info)


@pytest.fixture(scope="module")
def planted(server):
    """Canary files beside and above the image files; a processed upload to aim at."""
    canaries = {}
    for place in [server.data_dir / "canary.png", server.data_dir / "blobs" / "canary.png",
                  server.data_dir / "blobs" / "profile_images" / "canary.png",
                  server.data_dir.parent / "canary.png"]:
        marker = f"CANARY{len(canaries)}{secrets.token_hex(4)}"
        place.parent.mkdir(parents=True, exist_ok=True)
        place.write_bytes(png_with_marker(marker))
        canaries[place] = marker.encode()
    creds = server.credentials()
    assert_ok_json(upload_multipart(server, creds, imagegen.small_png()))
    url = harness.wait_for_image_change(server, creds)["profile_image_url"]
    image_id, key, ext = harness.image_url_parts(url)
    return canaries, image_id, key, ext


def hostile_targets(image_id, key, ext):
    real = f"{image_id}/{key}_normal.{ext}"
    names = [
        "/profile_images/../canary.png",
        "/profile_images/../../canary.png",
        "/profile_images/%2e%2e/canary.png",
        "/profile_images/%2E%2E/%2E%2E/canary.png",
        "/profile_images/1/..%2fcanary.png",
        "/profile_images/1/..%2F..%2Fcanary.png",
        "/profile_images/1/%2e%2e%2f%2e%2e%2fcanary.png",
        "/profile_images/1/%252e%252e%252fcanary.png",
        "/profile_images/1/%c0%ae%c0%ae%c0%afcanary.png",
        "/profile_images/1/..\\canary.png",
        "/profile_images/1/..%5c..%5ccanary.png",
        "/profile_images/..\\..\\canary.png",
        "/profile_images//canary.png",
        "/profile_images/canary.png",
        "/profile_images/1//../canary.png",
        "/profile_images/./canary.png",
        f"/profile_images/{image_id}/../{real}",
        f"/profile_images/{image_id}/./{key}_normal.{ext}",
        f"/profile_images/{image_id}//{key}_normal.{ext}",
        f"/profile_images/{image_id}/{key}_normal.{ext}/",
        f"/profile_images/{image_id}/{key}_normal.{ext}%00.png",
        f"/profile_images/{image_id}/{key}_normal.{ext.upper()}",
        f"/profile_images/{image_id}/{key}_NORMAL.{ext}",
        f"/profile_images/{image_id}/{key}_normal.{ext}.png",
        f"/profile_images/{image_id}/{key}_normal",
        f"/profile_images/-{image_id}/{key}_normal.{ext}",
        f"/profile_images/0{image_id}/{key}_normal.{ext}",
        f"/profile_images/{image_id}%2f{key}_normal.{ext}",
        f"/profile_images/{'9' * 40}/{key}_normal.{ext}",
        f"/profile_images/{image_id}/{'a' * 5000}_normal.{ext}",
        f"/profile_images/{image_id}/{key}_normal.exe",
        "/profile_images/1/~canary.png",
        "/profile_images/1/canary.png~x",
        "/sticky/default_profile_images/../../canary.png",
        "/sticky/default_profile_images/..%2f..%2fcanary.png",
        "/sticky/default_profile_images/%2e%2e/%2e%2e/etc/passwd",
        "/sticky/default_profile_images/..\\..\\canary.png",
        "/sticky/default_profile_images/default_profile_normal.png/../../canary.png",
        "/sticky/default_profile_images/default_profile_normal.png%00.png",
        "/sticky/default_profile_images/default_profile_normal.PNG",
        "/sticky/default_profile_images/DEFAULT_PROFILE_normal.png",
        "/sticky/default_profile_images//default_profile_normal.png",
        "/sticky/default_profile_images/" + "a" * 5000 + ".png",
        "/sticky/../canary.png",
        "/sticky/default_profile_images/../../../../../../etc/passwd",
        "/profile_images/../../../../../../etc/passwd",
        "/profile_images/1/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    ]
    return names


def test_traversal_and_odd_names_on_image_routes_are_404_and_read_nothing(server, planted):
    canaries, image_id, key, ext = planted
    assert raw_get(server, f"/profile_images/{image_id}/{key}_normal.{ext}".encode())[0] == 200
    for target in hostile_targets(image_id, key, ext):
        status, headers, body = raw_get(server, target.encode())
        assert status == 404, f"{target}: {status}"
        assert headers.get("content-type") == harness.API_CONTENT_TYPE, target
        assert body == b'{"errors":[{"code":34,"message":"Sorry, that page does not exist."}]}', \
            (target, body[:200])


@pytest.mark.parametrize("target", [
    b"/profile_images/1/\x00canary.png",
    b"/profile_images/1/..\x00/canary.png",
    b"/sticky/default_profile_images/default_profile_normal.png\x00",
    b"/profile_images/1/a b.png",
    b"/profile_images/1/\xc0\xae\xc0\xae/canary.png",
    b"/profile_images/1/\xff\xfe.png",
    b"/profile_images/1/\r.png",
    b"http://127.0.0.1/../canary.png",
    b"*",
    b"canary.png",
    b"/" + b"A" * 20000,
])
def test_raw_control_bytes_and_odd_request_targets_are_refused_and_read_nothing(server, planted,
                                                                               target):
    canaries, _, _, _ = planted
    status, headers, body = raw_get(server, target)
    assert status in (400, 404, 414, 431), (target[:80], status)
    assert headers.get("content-type") == harness.API_CONTENT_TYPE, target[:80]
    for marker in canaries.values():
        assert marker not in body
    assert b"PNG" not in body[:8]


def test_no_image_route_response_ever_carries_a_canary(server, planted):
    canaries, image_id, key, ext = planted
    for target in hostile_targets(image_id, key, ext):
        for method in ("GET", "HEAD"):
            conn = raw_http.http_connection(server)
            try:
                conn.putrequest(method, target, skip_host=False, skip_accept_encoding=True)
                conn.endheaders()
                resp = conn.getresponse()
                body = resp.read()
            finally:
                conn.close()
            assert resp.status == 404, (method, target, resp.status)
            for marker in canaries.values():
                assert marker not in body, (method, target)


# --- nothing reflects input unescaped ---------------------------------------------------------


def assert_not_reflected(resp_or_body, content_type=None):
    body = resp_or_body if isinstance(resp_or_body, bytes) else resp_or_body.content
    lowered = body.lower()
    assert b"<script" not in lowered and b"alert(1)" not in lowered, body[:300]
    if not isinstance(resp_or_body, bytes):
        ctype = resp_or_body.headers.get("Content-Type", "")
        assert "html" not in ctype.lower(), ctype
        if body:
            assert ctype in (harness.API_CONTENT_TYPE, "image/png", "image/jpeg", "image/gif",
                             "text/plain; version=0.0.4; charset=utf-8"), ctype


def test_script_in_parameters_paths_and_headers_is_never_reflected(server, creds):
    quoted = urllib.parse.quote(SCRIPT)
    responses = [
        requests.get(server.api("users/show.json"), params={"screen_name": SCRIPT},
                     auth=creds.oauth(), timeout=10),
        requests.get(server.api("users/show.json"), params={"user_id": SCRIPT},
                     auth=creds.oauth(), timeout=10),
        requests.get(server.api("users/show.json"),
                     params={"screen_name": creds.screen_name, "include_entities": SCRIPT,
                             "callback": SCRIPT}, auth=creds.oauth(), timeout=10),
        requests.get(server.url(f"/1.1/{quoted}.json"), auth=creds.oauth(), timeout=10),
        requests.get(server.url(f"/profile_images/1/{quoted}.png"), timeout=10),
        requests.get(server.url(f"/sticky/default_profile_images/{quoted}.png"), timeout=10),
        requests.get(server.url(f"/{quoted}"), timeout=10),
        requests.post(upload_url(server), params={"include_entities": SCRIPT},
                      files={"image": (SCRIPT, SCRIPT.encode(), "text/html")},
                      auth=creds.oauth(), timeout=10),
        requests.post(upload_url(server), data={"image": SCRIPT}, auth=creds.oauth(), timeout=10),
        requests.get(server.api("account/verify_credentials.json"),
                     auth=creds.oauth(consumer_key=SCRIPT), timeout=10),
        requests.get(server.api("account/verify_credentials.json"),
                     auth=creds.oauth(access_token=SCRIPT), timeout=10),
        requests.get(server.api("account/verify_credentials.json"), timeout=10,
                     headers={"Authorization": f'OAuth oauth_consumer_key="{SCRIPT}"'}),
        requests.get(server.api("account/verify_credentials.json"), timeout=10,
                     headers={"Authorization": f"Bearer {SCRIPT}"}),
        requests.post(server.url("/oauth2/token"), auth=(SCRIPT, SCRIPT),
                      data={"grant_type": SCRIPT}, timeout=10),
        requests.get(server.api("users/show.json"), params={"screen_name": creds.screen_name},
                     auth=creds.oauth(), timeout=10,
                     headers={"X-Request-Id": SCRIPT, "Referer": SCRIPT, "User-Agent": SCRIPT}),
        requests.get(server.url("/healthz"), params={"x": SCRIPT}, timeout=10),
        requests.get(server.url("/readyz"), params={"x": SCRIPT}, timeout=10),
        requests.get(server.url("/metrics"), params={"x": SCRIPT}, timeout=10),
    ]
    for resp in responses:
        assert_not_reflected(resp)
    assert responses[0].status_code == 404 and responses[0].json()["errors"][0]["code"] == 50
    assert responses[3].status_code == 404 and responses[3].json()["errors"][0]["code"] == 34
    assert responses[7].status_code == 400 and responses[7].json()["errors"][0]["code"] == 44
    assert responses[9].status_code == 401


def test_a_script_in_a_raw_request_line_or_header_is_never_reflected(server):
    for target in [b"/1.1/<script>alert(1)</script>.json", b"/<script>alert(1)</script>",
                   b"/profile_images/1/<script>.png"]:
        status, headers, body = raw_get(server, target, b"X-Request-Id: <script>alert(1)\r\n")
        assert status in (400, 404)
        assert_not_reflected(body)
        assert "html" not in headers.get("content-type", "")
    status, headers, body = raw_get(server, b"/healthz", b"X-Evil: <script>alert(1)</script>\r\n")
    assert status == 200
    assert_not_reflected(body)


def test_a_profile_name_with_markup_comes_back_only_as_json(server):
    creds = server.credentials()
    server.update_user(creds.screen_name, name=SCRIPT, description=SCRIPT)
    resp = requests.get(server.api("users/show.json"), params={"screen_name": creds.screen_name},
                        auth=creds.oauth(), timeout=10)
    user = assert_ok_json(resp)
    assert user["name"] == SCRIPT and user["description"] == SCRIPT
    assert "html" not in resp.headers["Content-Type"]


# --- served images carry none of the uploader's metadata -------------------------------------


def icc_profile():
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def exif_bytes():
    exif = Image.Exif()
    exif[0x010F] = SECRET + "Make"                  # Make
    exif[0x0110] = SECRET + "Model"                 # Model
    exif[0x010E] = SECRET + "Description"           # ImageDescription
    exif[0x013B] = SECRET + "Artist"                # Artist
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 30.0), 3: "E", 4: (2.0, 17.0, 40.0)}  # GPS
    return exif.tobytes()


def xmp_packet():
    return (b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
            b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
            b'xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="' + SECRET.encode() +
            b'XMP"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>')


def jpeg_with_everything():
    img = imagegen.two_colour_image(120, 90)
    data = imagegen.to_bytes(img, "JPEG", quality=90, exif=exif_bytes(), icc_profile=icc_profile(),
                             comment=(SECRET + "Comment").encode())
    payload = b"http://ns.adobe.com/xap/1.0/\x00" + xmp_packet()
    app1_xmp = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    return data[:2] + app1_xmp + data[2:]


def png_chunk(kind, payload):
    return (struct.pack(">I", len(payload)) + kind + payload
            + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF))


def png_with_everything():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SECRET + "tEXt")
    info.add_text("Author", SECRET + "zTXt", zip=True)
    info.add_itxt("XML:com.adobe.xmp", xmp_packet().decode(), lang="en", tkey="xmp")
    info.add_itxt("Description", SECRET + "iTXt", zip=True)
    data = imagegen.to_bytes(imagegen.two_colour_image(120, 90), "PNG", pnginfo=info,
                             exif=exif_bytes(), icc_profile=icc_profile())
    # A tIME chunk and a private ancillary chunk just before IEND.
    extra = (png_chunk(b"tIME", struct.pack(">HBBBBB", 2020, 1, 2, 3, 4, 5))
             + png_chunk(b"prVt", (SECRET + "Private").encode()))
    return data[:-12] + extra + data[-12:]


def gif_with_everything():
    img = imagegen.two_colour_image(120, 90).convert("P")
    data = imagegen.to_bytes(img, "GIF", comment=(SECRET + "Comment").encode())
    # An XMP application extension before the trailer.
    xmp = xmp_packet()
    blocks = b"".join(bytes([len(xmp[i:i + 255])]) + xmp[i:i + 255] for i in range(0, len(xmp), 255))
    app = b"\x21\xff\x0bXMP DataXMP" + blocks + b"\x00"
    return data[:-1] + app + data[-1:]


def assert_no_metadata(fmt, body, where):
    assert SECRET.encode() not in body, where
    for marker in (b"Exif\x00\x00", b"http://ns.adobe.com/xap", b"xmpmeta", b"ICC_PROFILE",
                   b"acsp", b"XMP Data"):
        assert marker not in body, (where, marker)
    img = Image.open(io.BytesIO(body))
    img.load()
    for key in ("exif", "icc_profile", "comment", "xmp", "XML:com.adobe.xmp", "Comment",
                "Author", "Description"):
        assert key not in img.info, (where, key, str(img.info.get(key))[:80])
    if fmt == "png":
        chunks = set()
        pos = 8
        while pos < len(body):
            length, kind = struct.unpack(">I4s", body[pos:pos + 8])
            chunks.add(kind)
            pos += 12 + length
        assert not chunks & {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"iCCP", b"tIME", b"prVt"}, \
            (where, chunks)
    if fmt == "jpeg":
        # Walk the markers up to the scan: only JFIF/quantisation/Huffman/frame/scan remain.
        pos = 2
        while pos < len(body) and body[pos] == 0xFF:
            marker = body[pos + 1]
            if marker == 0xDA:
                break
            length = struct.unpack(">H", body[pos + 2:pos + 4])[0]
            assert marker not in (0xE1, 0xE2, 0xED, 0xFE) and not 0xE3 <= marker <= 0xEF, \
                (where, hex(marker))
            pos += 2 + length
    if fmt == "gif":
        labels, applications = gif_extensions(body)
        assert 0xFE not in labels, (where, "comment extension")
        assert applications <= {b"NETSCAPE2.0", b"ANIMEXTS1.0"}, (where, applications)


def gif_extensions(body):
    """The labels of a GIF's extension blocks and the identifiers of its application ones."""
    def skip_sub_blocks(pos):
        while body[pos]:
            pos += body[pos] + 1
        return pos + 1

    flags = body[10]
    pos = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    labels, applications = [], set()
    while pos < len(body) and body[pos] != 0x3B:
        if body[pos] == 0x21:
            labels.append(body[pos + 1])
            if body[pos + 1] == 0xFF:
                applications.add(body[pos + 3:pos + 3 + body[pos + 2]])
            pos = skip_sub_blocks(pos + 2)
        elif body[pos] == 0x2C:
            local = body[pos + 9]
            pos += 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0)
            pos = skip_sub_blocks(pos + 1)
        else:
            raise AssertionError(f"unexpected GIF block {body[pos]:#x} at {pos}")
    return labels, applications


@pytest.mark.parametrize("fmt, make", [
    ("jpeg", jpeg_with_everything), ("png", png_with_everything), ("gif", gif_with_everything)])
def test_served_images_carry_none_of_the_uploaders_metadata(server, creds, fmt, make):
    data = make()
    assert data.count(SECRET.encode()) >= 2  # the metadata is really in the upload
    assert_ok_json(upload_multipart(server, creds, data))
    url = harness.wait_for_image_change(server, creds)["profile_image_url"]
    assert harness.image_url_parts(url)[2] == fmt
    for suffix in harness.VARIANTS:
        variant = harness.variant_url(url, suffix)
        resp = requests.get(variant, timeout=10)
        assert resp.status_code == 200, variant
        assert_no_metadata(fmt, resp.content, variant)
