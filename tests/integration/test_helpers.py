"""Checks the suite's own helpers (no server needed): the crafted files say what the upload
tests assume, and the hand-rolled OAuth signer reproduces Twitter's published example."""

import io
import struct

import pytest
from PIL import Image, ImageOps

import harness
import imagegen


@pytest.fixture
def unlimited_pil(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)


def test_oauth_signer_reproduces_twitters_published_example():
    creds = harness.Credentials({
        "user_id": 370773112, "screen_name": "x",
        "consumer_key": "xvz1evFS4wEEPTGEFPHBog",
        "consumer_secret": "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
        "access_token": "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
        "access_token_secret": "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"})
    header = harness.oauth1_header(
        "POST", "https://api.twitter.com/1.1/statuses/update.json?include_entities=true", creds,
        body_params=[("status", "Hello Ladies + Gentlemen, a signed OAuth request!")],
        nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", timestamp=1318622958)
    assert 'oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D"' in header


def test_png_flood_declares_100000_square_with_valid_crcs(unlimited_pil):
    data = imagegen.png_flood()
    img = Image.open(io.BytesIO(data))
    assert img.format == "PNG" and img.size == (100_000, 100_000)
    assert len(data) < 200
    img.verify()  # checks every chunk CRC


def test_jpeg_flood_declares_65000_square(unlimited_pil):
    img = Image.open(io.BytesIO(imagegen.jpeg_flood()))
    assert img.format == "JPEG" and img.size == (65_000, 65_000)


def test_gif_flood_declares_65000_square_screen_and_frame(unlimited_pil):
    data = imagegen.gif_flood()
    img = Image.open(io.BytesIO(data))
    assert img.format == "GIF" and img.size == (65_000, 65_000)
    assert struct.unpack("<HH", data[6:10]) == (65_000, 65_000)
    frame = data.index(b"\x2c", 13)
    assert struct.unpack("<HHHH", data[frame + 1:frame + 9]) == (0, 0, 65_000, 65_000)


def test_adam7_png_is_interlaced_and_decodes_to_the_intended_pixels():
    data, pixels = imagegen.adam7_png()
    img = Image.open(io.BytesIO(data))
    assert img.info.get("interlace") == 1
    assert list(img.convert("RGB").getdata()) == pixels


def test_orientation_6_jpeg_turns_upright_to_200x300_red_on_top():
    img = Image.open(io.BytesIO(imagegen.jpeg_with_orientation(6)))
    assert img.size == (300, 200) and img.getexif()[0x0112] == 6
    upright = ImageOps.exif_transpose(img).convert("RGB")
    assert upright.size == (200, 300)
    assert _near(upright.getpixel((100, 30)), imagegen.RED)
    assert _near(upright.getpixel((100, 270)), imagegen.BLUE)


def test_cmyk_jpeg_is_cmyk_and_reads_back_red():
    img = Image.open(io.BytesIO(imagegen.cmyk_jpeg()))
    assert img.mode == "CMYK"
    assert _near(img.convert("RGB").getpixel((5, 5)), imagegen.RED, 40)


def test_progressive_jpeg_is_progressive():
    img = Image.open(io.BytesIO(imagegen.progressive_jpeg()))
    assert img.info.get("progressive") or img.info.get("progression")


def test_16bit_png_is_16_bit():
    data = imagegen.png_16bit()
    assert data[24] == 16  # IHDR bit depth
    assert Image.open(io.BytesIO(data)).mode.startswith("I;16") or \
        Image.open(io.BytesIO(data)).mode == "I"


def test_palette_png_and_gif_have_transparent_left_halves():
    for data, fmt in ((imagegen.palette_png_with_transparency(), "PNG"),
                      (imagegen.gif_with_transparency(), "GIF")):
        img = Image.open(io.BytesIO(data))
        assert img.format == fmt and img.mode == "P" and "transparency" in img.info
        rgba = img.convert("RGBA")
        assert rgba.getpixel((2, 30))[3] == 0 and rgba.getpixel((60, 30))[3] == 255


def test_webp_sample_is_riff_webp():
    data = imagegen.webp_image()
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"


def test_grey_noise_jpeg_is_500_by_10000_and_an_accepted_upload_size():
    data = imagegen.grey_noise_jpeg()
    assert 600_000 < len(data) <= 716_799
    img = Image.open(io.BytesIO(data))
    assert img.format == "JPEG" and img.size == (500, 10_000)


def test_padded_jpeg_has_the_exact_size_and_still_decodes():
    data = imagegen.padded_jpeg(716_799)
    assert len(data) == 716_799
    Image.open(io.BytesIO(data)).load()


def _near(pixel, expected, tolerance=30):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected))
