"""Hostile upload bodies for test_hostile.py: pixel floods, decompression bombs in metadata,
absurd GIFs, polyglots and broken multipart bodies. Small images and the basic floods come
from imagegen; this module only builds what it lacks."""

import base64
import os
import struct
import zlib

import imagegen
from imagegen import PNG_SIGNATURE, png_chunk

GIF_PALETTE_2 = b"\x00\x00\x00\xff\xff\xff"
# One 1x1 frame's LZW data: min code size 2, clear(4), index 0, end(5), packed LSB-first.
GIF_1PX_LZW = b"\x02\x02\x44\x01\x00"


def gif_screen(width, height, frames, loop=False):
    """GIF89a with a `width` x `height` logical screen, a 2-colour global table and `frames`."""
    out = b"GIF89a" + struct.pack("<HHBBB", width, height, 0x80, 0, 0) + GIF_PALETTE_2
    if loop:
        out += b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    return out + b"".join(frames) + b"\x3b"


def gif_frame(x=0, y=0, width=1, height=1, delay=None):
    """An image descriptor with a 1-pixel LZW stream (a bigger frame is then short of data,
    which GIF decoders fill with the background)."""
    gce = b""
    if delay is not None:
        gce = b"\x21\xf9\x04\x00" + struct.pack("<H", delay) + b"\x00\x00"
    return gce + b"\x2c" + struct.pack("<HHHHB", x, y, width, height, 0) + GIF_1PX_LZW


def gif_huge_screen_tiny_frame():
    """65,535 x 65,535 logical screen around one 1x1 frame."""
    return gif_screen(65535, 65535, [gif_frame()])


def gif_tiny_screen_huge_frame():
    """16 x 16 logical screen whose first frame declares 60,000 x 60,000."""
    return gif_screen(16, 16, [gif_frame(width=60000, height=60000)])


def gif_many_frames(count=10_000, size=8):
    """An animated `size` x `size` GIF of `count` 1-pixel frames (each with a delay)."""
    return gif_screen(size, size, [gif_frame(delay=1) for _ in range(count)], loop=True)


def gif_js_polyglot(payload=b"alert(document.domain)"):
    """A file that is both a valid GIF and valid JavaScript: `GIF89a/*...*/=PAYLOAD;`.
    The logical screen width is '/*' (10,799 px), which libnsgif ignores around a 1x1 frame."""
    # GIF89a, width bytes '/*', height 1 (bytes \x01\x00), flags 0x80, bg 0, aspect 0.
    head = b"GIF89a" + b"/*" + b"\x01\x00" + b"\x80\x00\x00" + GIF_PALETTE_2
    return head + gif_frame() + b"\x3b" + b"*/=" + payload + b";"


HTML_PAGE = (b"<!DOCTYPE html><html><head><title>x</title></head><body>"
             b"<script>alert(document.cookie)</script></body></html>\n")


def html_behind_gif_magic():
    """'GIF89a' then an HTML page: sniffed as a GIF, but no GIF decoder can read it."""
    return b"GIF89a" + HTML_PAGE


def png_from_raw(width, height, raw, color_type=2, bit_depth=8, extra_chunks=(), level=9):
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    return (PNG_SIGNATURE + png_chunk(b"IHDR", ihdr) + b"".join(extra_chunks)
            + png_chunk(b"IDAT", zlib.compress(raw, level)) + png_chunk(b"IEND", b""))


def png_zero_bomb(width, height, color_type=6, bit_depth=8):
    """A PNG within the pixel limits whose IDAT is all zeros: tiny file, big decode."""
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color_type]
    row = b"\x00" * (1 + width * channels * bit_depth // 8)
    comp = zlib.compressobj(9)
    idat = b"".join(comp.compress(row) for _ in range(height)) + comp.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    return (PNG_SIGNATURE + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat)
            + png_chunk(b"IEND", b""))


def _zeros_deflated(total):
    comp = zlib.compressobj(9)
    block = b"\x00" * (1 << 20)
    out = []
    left = total
    while left > 0:
        n = min(left, len(block))
        out.append(comp.compress(block[:n]))
        left -= n
    out.append(comp.flush())
    return b"".join(out)


def png_with_metadata_bomb(kind, inflated_bytes=500 * 1024 * 1024):
    """A small valid PNG carrying one compressed metadata chunk (iCCP, zTXt or iTXt) that
    inflates to `inflated_bytes` (about 1,000:1 from zeros)."""
    bomb = _zeros_deflated(inflated_bytes)
    if kind == b"iCCP":
        payload = b"icc\x00\x00" + bomb
    elif kind == b"zTXt":
        payload = b"Comment\x00\x00" + bomb
    elif kind == b"iTXt":
        payload = b"XML:com.adobe.xmp\x00\x01\x00\x00\x00" + bomb
    else:
        raise ValueError(kind)
    base = imagegen.small_png(32, 24)
    # Metadata goes before IDAT: right after IHDR (8 signature + 25 IHDR bytes).
    return base[:33] + png_chunk(kind, payload) + base[33:]


def png_many_text_chunks(count=20_000):
    base = imagegen.small_png(16, 16)
    chunks = b"".join(png_chunk(b"tEXt", b"k\x00v") for _ in range(count))
    return base[:33] + chunks + base[33:]


def jpeg_with_app_segments(count=10, marker=0xE1):
    """A small JPEG with `count` maximal (65,535-byte length) APPn segments after SOI."""
    base = imagegen.small_jpeg(64, 48)
    seg = bytes([0xFF, marker]) + struct.pack(">H", 0xFFFF) + b"\xAA" * (0xFFFF - 2)
    return base[:2] + seg * count + base[2:]


def jpeg_with_lying_app_length():
    """An APP1 segment claiming 65,535 bytes at the very end of a 100-byte file."""
    return b"\xFF\xD8\xFF\xE1\xFF\xFF" + b"Exif\x00\x00" + b"\x00" * 90


def png_width_over_spec():
    """IHDR width 2^31 + 1: beyond what the PNG format allows at all."""
    return imagegen.png_flood(0x80000001, 1)


def base64_garbage(size=700 * 1024):
    """`size` bytes of text outside every base64 alphabet (yet printable, so urlencodable)."""
    return (b"!@#$*(){}[]<>" * (size // 13 + 1))[:size]


def base64_of_random(decoded_bytes):
    return base64.b64encode(os.urandom(decoded_bytes))


# --- multipart bodies -----------------------------------------------------------------------


def multipart(parts, boundary="hostileBoundary", close=True):
    """parts: list of (headers-bytes, body-bytes). Returns (content_type, body)."""
    b = boundary.encode()
    body = b"".join(b"--" + b + b"\r\n" + h + b"\r\n\r\n" + data + b"\r\n" for h, data in parts)
    if close:
        body += b"--" + b + b"--\r\n"
    return f"multipart/form-data; boundary={boundary}", body


def image_part(data, name=b"image"):
    return (b'Content-Disposition: form-data; name="' + name + b'"; filename="a.png"\r\n'
            b"Content-Type: application/octet-stream", data)


def text_part(name, value=b"x"):
    return (b'Content-Disposition: form-data; name="' + name + b'"', value)
