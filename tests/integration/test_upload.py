"""POST account/update_profile_image: encodings, validation, processing, and image serving."""

import base64
import hashlib
import io
import json
import os
import secrets
import time
import urllib.parse

import pytest
import requests
from PIL import Image

import harness
import imagegen
import raw_http
from harness import assert_error, assert_ok_json, upload_multipart

UPLOAD = "account/update_profile_image.json"
MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif"}
EXT = {"JPEG": "jpeg", "PNG": "png", "GIF": "gif"}
TOO_BIG = (422, 44, "Image file size must be less than 700 KB.")
TOO_LARGE_DIMENSIONS = (422, 44, "Image dimensions are too large.")
UNRECOGNIZED = (400, 44, "media type unrecognized.")
CORRUPT = (400, 44, "Image data could not be processed.")
MISSING = (400, 38, "image parameter is missing.")
INVALID_B64 = (400, 44, "image parameter is invalid.")
IMMUTABLE = "public, max-age=31536000, immutable"


def open_image(data):
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def upright_size(img):
    orientation = img.getexif().get(0x0112, 1)
    return img.size[::-1] if orientation in (5, 6, 7, 8) else img.size


def has_transparency(img):
    if img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info:
        return img.convert("RGBA").getchannel("A").getextrema()[0] < 255
    return False


def assert_metadata_free(img, url):
    assert not img.getexif(), f"EXIF left in {url}: {dict(img.getexif())}"
    for key in ("exif", "xmp", "XML:com.adobe.xmp", "comment"):
        assert key not in img.info, f"{key} left in {url}"


def fetch_image(url):
    resp = requests.get(url, timeout=10)
    assert resp.status_code == 200, f"{resp.status_code} for {url}"
    return resp


def assert_variants(normal_url, fmt, source_size, transparent=False):
    """All seven variants are served, in `fmt`, one frame, no metadata, at the right sizes."""
    images = {}
    for suffix, square in harness.VARIANTS.items():
        url = harness.variant_url(normal_url, suffix)
        resp = fetch_image(url)
        assert resp.headers["Content-Type"] == MIME[fmt], url
        img = open_image(resp.content)
        assert img.format == fmt, url
        assert getattr(img, "n_frames", 1) == 1, f"{url} has {img.n_frames} frames"
        assert_metadata_free(img, url)
        if square:
            assert img.size == (square, square), f"{url} is {img.size}"
        else:
            width, height = source_size
            expected_width = min(500, width)
            assert img.width == expected_width, f"{url} is {img.size}, source {source_size}"
            assert abs(img.height - height * expected_width / width) <= 1, \
                f"{url} is {img.size}, source {source_size}: aspect not kept"
        images[suffix] = img
    if transparent:
        assert has_transparency(images[""]), f"transparency lost in {normal_url}"
    return images


def upload_ok(server, creds, data, **kw):
    resp = upload_multipart(server, creds, data, **kw)
    user = assert_ok_json(resp)
    assert user["id"] == creds.user_id and user["screen_name"] == creds.screen_name
    return user


def new_image_after(server, creds, data, **kw):
    """Uploads `data` and returns (user, normal URL) once its new image is live."""
    before = harness.get_user(server, creds)["profile_image_url"]
    upload_ok(server, creds, data, **kw)
    user = harness.wait_for_image_change(server, creds, previous_url=before)
    assert user["default_profile_image"] is False
    return user, user["profile_image_url"]


# --- the real-image corpus -----------------------------------------------------------------


@pytest.mark.slow
def test_corpus_image_under_700_kb_is_rendered_into_all_seven_variants(
        server, creds, corpus_image_within_limit):
    data = corpus_image_within_limit.read_bytes()
    source = open_image(data)
    fmt = source.format
    user, url = new_image_after(server, creds, data, filename=corpus_image_within_limit.name)
    assert harness.image_url_parts(url)[2] == EXT[fmt]
    assert urllib.parse.urlsplit(user["profile_image_url_https"]).path == \
        urllib.parse.urlsplit(url).path
    source.seek(0)
    assert_variants(url, fmt, upright_size(source), transparent=has_transparency(source))


def test_corpus_image_of_700_kb_or_more_is_refused_with_422(server, creds,
                                                            corpus_image_over_limit):
    resp = upload_multipart(server, creds, corpus_image_over_limit.read_bytes(),
                            filename=corpus_image_over_limit.name)
    assert_error(resp, *TOO_BIG)


def test_truncated_jpeg_from_the_corpus_is_refused_before_the_response(server, creds, corpus_dir):
    resp = upload_multipart(server, creds, (corpus_dir / "truncated.jpg").read_bytes())
    assert_error(resp, *CORRUPT)
    user = harness.get_user(server, creds)
    assert user["default_profile_image"] is True
    assert not [j for j in server.jobs() if str(j["user_id"]) == str(creds.user_id)]


def test_animated_gif_becomes_a_static_single_frame_gif_keeping_transparency(server, creds,
                                                                             corpus_dir):
    data = (corpus_dir / "aq.gif").read_bytes()
    assert open_image(data).n_frames > 1
    _, url = new_image_after(server, creds, data)
    assert url.endswith("_normal.gif")
    assert_variants(url, "GIF", open_image(data).size, transparent=True)


# --- generated edge cases ------------------------------------------------------------------


def test_exif_orientation_6_is_applied_so_the_original_is_upright(server, creds):
    _, url = new_image_after(server, creds, imagegen.jpeg_with_orientation(6, 300, 200))
    images = assert_variants(url, "JPEG", (200, 300))
    original = images[""].convert("RGB")
    assert original.size == (200, 300)
    assert _near(original.getpixel((100, 30)), imagegen.RED), original.getpixel((100, 30))
    assert _near(original.getpixel((100, 270)), imagegen.BLUE), original.getpixel((100, 270))


def test_cmyk_jpeg_comes_out_as_rgb(server, creds):
    _, url = new_image_after(server, creds, imagegen.cmyk_jpeg())
    images = assert_variants(url, "JPEG", (120, 80))
    for img in images.values():
        assert img.mode == "RGB", img.mode
    r, g, b = images["_normal"].getpixel((24, 24))
    assert r > 150 and g < 110 and b < 110, (r, g, b)


def test_progressive_jpeg_is_accepted_and_rendered(server, creds):
    _, url = new_image_after(server, creds, imagegen.progressive_jpeg(640, 480))
    assert_variants(url, "JPEG", (640, 480))


def test_16_bit_png_is_accepted_and_rendered_as_png(server, creds):
    _, url = new_image_after(server, creds, imagegen.png_16bit(96, 64))
    assert_variants(url, "PNG", (96, 64))


def test_interlaced_png_is_accepted_and_rendered(server, creds):
    data, _ = imagegen.adam7_png(33, 21)
    _, url = new_image_after(server, creds, data)
    images = assert_variants(url, "PNG", (33, 21))
    # A gradient from black (left) to red (right) must survive de-interlacing.
    original = images[""].convert("RGB")
    assert original.getpixel((0, 10))[0] < 40 and original.getpixel((32, 10))[0] > 215


def test_palette_png_with_transparency_keeps_it(server, creds):
    _, url = new_image_after(server, creds, imagegen.palette_png_with_transparency(64, 64))
    images = assert_variants(url, "PNG", (64, 64), transparent=True)
    normal = images["_normal"].convert("RGBA")
    assert normal.getpixel((2, 24))[3] == 0 and normal.getpixel((45, 24))[3] == 255


def test_gif_with_transparency_keeps_it(server, creds):
    _, url = new_image_after(server, creds, imagegen.gif_with_transparency(64, 64))
    images = assert_variants(url, "GIF", (64, 64), transparent=True)
    normal = images["_normal"].convert("RGBA")
    assert normal.getpixel((2, 24))[3] == 0 and normal.getpixel((45, 24))[3] == 255


def test_wide_image_is_scaled_to_500_wide_and_squares_are_centre_crops(server, creds):
    # 1000x400: left 500 px red, right 500 px blue; the centre crop straddles both.
    _, url = new_image_after(server, creds, imagegen.to_bytes(
        imagegen.two_colour_image(1000, 400), "PNG"))
    images = assert_variants(url, "PNG", (1000, 400))
    assert images[""].size == (500, 200)
    square = images["_400x400"].convert("RGB")
    assert _near(square.getpixel((20, 200)), imagegen.RED)
    assert _near(square.getpixel((380, 200)), imagegen.BLUE)


def test_small_image_is_not_scaled_up_for_the_original(server, creds):
    _, url = new_image_after(server, creds, imagegen.small_gif(40, 30))
    images = assert_variants(url, "GIF", (40, 30))
    assert images[""].size == (40, 30)


def test_exif_and_gps_metadata_are_stripped(server, creds):
    exif = Image.Exif()
    exif[0x010F] = "PortraitTestCam"
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 30.0)}  # GPS IFD
    data = imagegen.to_bytes(imagegen.two_colour_image(80, 60), "JPEG", exif=exif.tobytes(),
                             comment=b"secret comment")
    assert open_image(data).getexif()
    _, url = new_image_after(server, creds, data)
    for suffix in harness.VARIANTS:
        body = fetch_image(harness.variant_url(url, suffix)).content
        assert b"PortraitTestCam" not in body and b"secret comment" not in body


# --- refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [
    pytest.param(imagegen.png_flood, id="png-100000x100000"),
    pytest.param(imagegen.jpeg_flood, id="jpeg-65000x65000"),
    pytest.param(imagegen.gif_flood, id="gif-65000x65000"),
    pytest.param(lambda: imagegen.png_flood(10_001, 1), id="png-10001-wide"),
    pytest.param(lambda: imagegen.png_flood(1, 10_001), id="png-10001-high"),
    pytest.param(lambda: imagegen.png_flood(8_000, 8_000), id="png-64-megapixels"),
])
def test_pixel_flood_is_refused_with_422(server, creds, make):
    assert_error(upload_multipart(server, creds, make()), *TOO_LARGE_DIMENSIONS)


@pytest.mark.parametrize("data", [
    pytest.param(imagegen.NOT_AN_IMAGE, id="text"),
    pytest.param(imagegen.SVG, id="svg"),
    pytest.param(imagegen.webp_image(), id="webp"),
    pytest.param(b"BM" + b"\x00" * 200, id="bmp-ish"),
])
def test_non_gif_jpeg_png_is_refused_as_unrecognized(server, creds, data):
    resp = upload_multipart(server, creds, data, filename="photo.png", content_type="image/png")
    assert_error(resp, *UNRECOGNIZED)


def test_png_cut_in_half_is_refused_as_unprocessable(server, creds):
    data = imagegen.to_bytes(imagegen.two_colour_image(200, 200), "PNG", compress_level=0)
    assert_error(upload_multipart(server, creds, data[:len(data) // 2]), *CORRUPT)


def test_image_of_exactly_716799_bytes_is_accepted(server, creds):
    data = imagegen.padded_jpeg(716_799)
    _, url = new_image_after(server, creds, data)
    assert url.endswith("_normal.jpeg")


def test_image_of_716800_bytes_is_refused_with_422(server, creds):
    assert_error(upload_multipart(server, creds, imagegen.padded_jpeg(716_800)), *TOO_BIG)


def test_request_without_image_is_400_38(server, creds):
    resp = requests.post(server.api(UPLOAD), auth=creds.oauth(), timeout=10)
    assert_error(resp, *MISSING)
    resp = requests.post(server.api(UPLOAD), auth=creds.oauth(), timeout=10,
                         files={"skip_status": (None, "true")})
    assert_error(resp, *MISSING)


def test_empty_image_is_400_38(server, creds):
    assert_error(upload_multipart(server, creds, b""), *MISSING)
    resp = requests.post(server.api(UPLOAD), data={"image": ""}, auth=creds.oauth(), timeout=10)
    assert_error(resp, *MISSING)


def test_invalid_base64_in_a_urlencoded_body_is_400_44(server, creds):
    resp = requests.post(server.api(UPLOAD), data={"image": "!!!*** not base64 ***!!!"},
                         auth=creds.oauth(), timeout=10)
    assert_error(resp, *INVALID_B64)


def test_body_far_over_the_limit_is_refused_before_it_is_read(server, creds):
    url = server.api(UPLOAD)
    prepared = requests.Request("POST", url, auth=creds.oauth(), headers={
        "Content-Type": "multipart/form-data; boundary=xyzzy"}).prepare()
    head = (f"POST /1.1/{UPLOAD} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
            f"Authorization: {prepared.headers['Authorization']}\r\n"
            f"Content-Type: multipart/form-data; boundary=xyzzy\r\n"
            f"Content-Length: {50 * 1024 * 1024}\r\n\r\n").encode()
    started = time.monotonic()
    status, headers, body = raw_http.raw_http_exchange(server, head, b"--xyzzy\r\n")
    assert time.monotonic() - started < 10
    assert status == 413, (status, body[:300])
    assert headers.get("content-type") == harness.API_CONTENT_TYPE
    assert headers.get("date")
    assert json.loads(body) == {"errors": [{"code": 44, "message": "Request entity too large."}]}


# --- encodings real clients send ----------------------------------------------------------


def noisy_png(size=24):
    img = Image.frombytes("RGB", (size, size), os.urandom(size * size * 3))
    return imagegen.to_bytes(img, "PNG")


def test_urlencoded_base64_body_signed_by_oauth_is_accepted(server, creds):
    data = imagegen.small_png()
    before = harness.get_user(server, creds)["profile_image_url"]
    resp = requests.post(server.api(UPLOAD), data={"image": base64.b64encode(data).decode(),
                                                   "tweet_mode": "compat"},
                         auth=creds.oauth(), timeout=10)
    assert assert_ok_json(resp)["id"] == creds.user_id
    user = harness.wait_for_image_change(server, creds, previous_url=before)
    assert user["profile_image_url"].endswith("_normal.png")


def test_urlencoded_body_signed_without_its_parameters_is_refused_with_32(server, creds):
    body = "image=" + requests.utils.quote(base64.b64encode(imagegen.small_png()).decode(), safe="")
    header = harness.oauth1_header("POST", server.api(UPLOAD), creds)  # body not signed
    resp = requests.post(server.api(UPLOAD), data=body, timeout=10, headers={
        "Authorization": header, "Content-Type": "application/x-www-form-urlencoded"})
    assert_error(resp, 401, 32, "Could not authenticate you.")


def test_base64_in_the_query_string_is_accepted(server, creds):
    data = imagegen.small_gif(20, 20)
    before = harness.get_user(server, creds)["profile_image_url"]
    resp = requests.post(server.api(UPLOAD), params={"image": base64.b64encode(data).decode()},
                         auth=creds.oauth(), timeout=10)
    assert_ok_json(resp)
    user = harness.wait_for_image_change(server, creds, previous_url=before)
    assert user["profile_image_url"].endswith("_normal.gif")


def _b64_variants(data):
    std = base64.b64encode(data).decode()
    return {
        "standard": std,
        "url-safe-unpadded": base64.urlsafe_b64encode(data).decode().rstrip("="),
        "line-breaks": base64.encodebytes(data).decode(),
        "crlf-line-breaks": base64.encodebytes(data).decode().replace("\n", "\r\n"),
        "data-uri": "data:image/png;base64," + std,
    }


@pytest.mark.parametrize("variant", list(_b64_variants(b"x")))
def test_base64_variants_are_accepted(server, creds, variant):
    data = noisy_png()
    std = base64.b64encode(data).decode()
    assert "+" in std or "/" in std  # so the URL-safe form really differs
    encoded = _b64_variants(data)[variant]
    before = harness.get_user(server, creds)["profile_image_url"]
    resp = requests.post(server.api(UPLOAD), data={"image": encoded}, auth=creds.oauth(),
                         timeout=10)
    assert_ok_json(resp)
    user = harness.wait_for_image_change(server, creds, previous_url=before)
    assert user["profile_image_url"].endswith("_normal.png")


def twurl_multipart(part_bytes, boundary, transfer_encoding=None):
    head = (f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="image"; filename="avatar.png"\r\n'
            f"Content-Type: application/octet-stream\r\n")
    if transfer_encoding:
        head += f"Content-Transfer-Encoding: {transfer_encoding}\r\n"
    return head.encode() + b"\r\n" + part_bytes + f"\r\n--{boundary}--\r\n".encode()


def test_twurl_style_base64_multipart_with_body_hash_is_accepted(server, creds):
    boundary = "00Twurl" + secrets.token_hex(8) + "lruwT99"
    b64 = base64.encodebytes(imagegen.small_png()).replace(b"\n", b"\r\n")
    body = twurl_multipart(b64, boundary, "base64")
    body_hash = base64.b64encode(hashlib.sha1(body).digest()).decode()
    url = server.api(UPLOAD)
    header = harness.oauth1_header("POST", url, creds, extra_oauth={"oauth_body_hash": body_hash})
    before = harness.get_user(server, creds)["profile_image_url"]
    resp = requests.post(url, data=body, timeout=10, headers={
        "Authorization": header, "Content-Type": f'multipart/form-data, boundary="{boundary}"'})
    assert_ok_json(resp)
    user = harness.wait_for_image_change(server, creds, previous_url=before)
    assert user["profile_image_url"].endswith("_normal.png")


def test_body_hash_that_does_not_match_the_body_is_refused_with_32(server, creds):
    boundary = "00Twurl" + secrets.token_hex(8) + "lruwT99"
    body = twurl_multipart(imagegen.small_png(), boundary)
    wrong_hash = base64.b64encode(hashlib.sha1(body + b"x").digest()).decode()
    url = server.api(UPLOAD)
    header = harness.oauth1_header("POST", url, creds, extra_oauth={"oauth_body_hash": wrong_hash})
    resp = requests.post(url, data=body, timeout=10, headers={
        "Authorization": header, "Content-Type": f'multipart/form-data, boundary="{boundary}"'})
    assert_error(resp, 401, 32, "Could not authenticate you.")


def test_multipart_with_twitter4j_text_parts_is_accepted(server, creds):
    before = harness.get_user(server, creds)["profile_image_url"]
    resp = requests.post(server.api(UPLOAD), auth=creds.oauth(), timeout=10, files=[
        ("include_entities", (None, "true", "text/plain; charset=UTF-8")),
        ("include_ext_alt_text", (None, "true", "text/plain; charset=UTF-8")),
        ("tweet_mode", (None, "extended", "text/plain; charset=UTF-8")),
        ("image", ("avatar.jpg", imagegen.small_jpeg(), "image/jpeg")),
    ])
    assert_ok_json(resp)
    assert harness.wait_for_image_change(server, creds, previous_url=before)[
        "profile_image_url"].endswith("_normal.jpeg")


def test_format_is_judged_by_bytes_not_by_filename_or_declared_type(server, creds):
    _, url = new_image_after(server, creds, imagegen.small_jpeg(), filename="avatar.gif",
                             content_type="image/gif")
    assert url.endswith("_normal.jpeg")
    assert_variants(url, "JPEG", (64, 48))


def test_upload_response_honours_include_entities_and_skip_status(server, creds):
    resp = upload_multipart(server, creds, imagegen.small_png(),
                            params={"include_entities": "false", "skip_status": "true"})
    user = assert_ok_json(resp)
    assert "entities" not in user and "status" not in user
    assert list(user) == sorted(user)


def test_upload_path_without_json_suffix_is_accepted(server, creds):
    resp = requests.post(server.api("account/update_profile_image"), auth=creds.oauth(),
                         files={"image": ("a.png", imagegen.small_png())}, timeout=10)
    assert assert_ok_json(resp)["id"] == creds.user_id


# --- ordering and immutability -------------------------------------------------------------


def test_last_upload_wins_even_when_an_earlier_one_takes_longer(server_factory, corpus_dir):
    busy = server_factory(workers=4)
    creds = busy.credentials()
    slow_png = (corpus_dir / "Spring.png").read_bytes()  # 1600x1200 RGBA: the slower job
    quick_jpeg = imagegen.small_jpeg(64, 48)
    for _ in range(3):
        upload_ok(busy, creds, slow_png)
        upload_ok(busy, creds, quick_jpeg)
    harness.wait_for_jobs_settled(busy, creds.user_id, timeout=30)
    user = harness.get_user(busy, creds)
    assert user["profile_image_url"].endswith("_normal.jpeg"), user["profile_image_url"]
    time.sleep(0.5)
    assert harness.get_user(busy, creds)["profile_image_url"] == user["profile_image_url"]


def test_every_upload_gets_a_new_image_id_and_key_and_old_urls_stay_served(server, creds):
    data = imagegen.small_png()
    _, first = new_image_after(server, creds, data)
    _, second = new_image_after(server, creds, data)
    first_id, first_key, _ = harness.image_url_parts(first)
    second_id, second_key, _ = harness.image_url_parts(second)
    assert first_id != second_id and first_key != second_key
    assert len(second_key) >= 10  # random and unguessable
    for url in (first, second):
        assert open_image(fetch_image(url).content).size == (48, 48)


# --- serving images ------------------------------------------------------------------------


def test_processed_images_are_served_immutable_with_etag_head_and_304(server, creds):
    _, url = new_image_after(server, creds, imagegen.small_jpeg())
    resp = fetch_image(url)
    harness.assert_date_header(resp)
    assert resp.headers["Cache-Control"] == IMMUTABLE
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    etag = resp.headers.get("ETag")
    assert etag
    head = requests.head(url, timeout=10)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["ETag"] == etag
    assert head.headers["Content-Type"] == "image/jpeg"
    assert int(head.headers["Content-Length"]) == len(resp.content)
    cached = requests.get(url, headers={"If-None-Match": etag}, timeout=10)
    assert cached.status_code == 304 and cached.content == b""
    assert cached.headers.get("ETag") == etag
    other = requests.get(url, headers={"If-None-Match": '"something-else"'}, timeout=10)
    assert other.status_code == 200 and other.content == resp.content


def test_unknown_image_is_404(server, creds):
    _, url = new_image_after(server, creds, imagegen.small_png())
    image_id, key, ext = harness.image_url_parts(url)
    other_last = "y" if key.endswith("x") else "x"  # a key that differs in its last character
    for path in (f"/profile_images/{image_id}/{key[:-1]}{other_last}_normal.{ext}",
                 f"/profile_images/9{image_id}/{key}_normal.{ext}",
                 f"/profile_images/{image_id}/{key}_huge.{ext}",
                 "/profile_images/1/nothing_normal.png"):
        resp = requests.get(server.url(path), timeout=10)
        assert resp.status_code == 404, path
        harness.assert_date_header(resp)


@pytest.mark.parametrize("suffix", list(harness.VARIANTS),
                         ids=lambda s: s.lstrip("_") or "original")
def test_default_image_is_served_as_png_in_every_variant(server, suffix):
    url = server.url(f"/sticky/default_profile_images/default_profile{suffix}.png")
    resp = fetch_image(url)
    assert resp.headers["Content-Type"] == "image/png"
    harness.assert_date_header(resp)
    img = open_image(resp.content)
    assert img.format == "PNG"
    square = harness.VARIANTS[suffix]
    if square:
        assert img.size == (square, square)
    else:
        assert 0 < img.width <= 500
    head = requests.head(url, timeout=10)
    assert head.status_code == 200 and head.content == b""


def _near(pixel, expected, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected))
