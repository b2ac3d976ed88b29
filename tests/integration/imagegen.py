"""Builds the image files the upload tests need: edge cases PIL can write, and hand-crafted
headers (pixel floods, Adam7 PNG) that it cannot. test_imagegen.py checks these bytes."""

import io
import random
import struct
import zlib

from PIL import Image

RED, BLUE, GREEN = (255, 0, 0), (0, 0, 255), (0, 160, 0)


def to_bytes(img, fmt, **save_args):
    buf = io.BytesIO()
    img.save(buf, fmt, **save_args)
    return buf.getvalue()


def two_colour_image(width, height, left=RED, right=BLUE, mode="RGB"):
    """Left half one colour, right half another: orientation and crops stay visible."""
    img = Image.new(mode, (width, height), right)
    img.paste(Image.new(mode, (width // 2, height), left), (0, 0))
    return img


def small_png(width=32, height=24):
    return to_bytes(two_colour_image(width, height), "PNG")


def small_jpeg(width=64, height=48, **save_args):
    return to_bytes(two_colour_image(width, height), "JPEG", quality=90, **save_args)


def small_gif(width=40, height=30):
    return to_bytes(two_colour_image(width, height).convert("P"), "GIF")


def grey_noise_jpeg(width=500, height=10_000, quality=3, seed=7):
    """Grey noise at a very low JPEG quality: under 700 KB as uploaded (about 660 KB at the
    defaults), far larger once the server re-encodes it (its original about 1.6 MB)."""
    pixels = random.Random(seed).randbytes(width * height)
    return to_bytes(Image.frombytes("L", (width, height), pixels), "JPEG", quality=quality)


def jpeg_with_orientation(orientation=6, width=300, height=200):
    """Stored pixels: left half red, right half blue; EXIF says how to turn them upright."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PortraitTestCam"  # Make: a tag that must not survive processing
    return to_bytes(two_colour_image(width, height), "JPEG", quality=95, exif=exif.tobytes())


def cmyk_jpeg(width=120, height=80):
    return to_bytes(Image.new("RGB", (width, height), RED).convert("CMYK"), "JPEG", quality=95)


def progressive_jpeg(width=640, height=480):
    return to_bytes(two_colour_image(width, height), "JPEG", quality=85, progressive=True)


def png_16bit(width=96, height=64):
    img = Image.new("I;16", (width, height))
    img.putdata([(x * 65535) // (width - 1) for _y in range(height) for x in range(width)])
    return to_bytes(img, "PNG")


def palette_png_with_transparency(width=64, height=64):
    """Palette image; left half is palette index 0, which is transparent."""
    img = Image.new("P", (width, height), 1)
    img.putpalette([0, 0, 0, 255, 0, 0] + [0, 0, 0] * 254)
    img.paste(0, (0, 0, width // 2, height))
    return to_bytes(img, "PNG", transparency=0)


def gif_with_transparency(width=64, height=64):
    img = Image.new("P", (width, height), 1)
    img.putpalette([0, 0, 0, 0, 0, 255] + [0, 0, 0] * 254)
    img.paste(0, (0, 0, width // 2, height))
    return to_bytes(img, "GIF", transparency=0)


def webp_image(width=32, height=32):
    try:
        return to_bytes(two_colour_image(width, height), "WEBP")
    except (KeyError, OSError):
        # No WebP encoder: a RIFF/WEBP/VP8 header is all a sniffer looks at.
        payload = b"VP8 " + struct.pack("<I", 10) + b"\x00" * 10
        return b"RIFF" + struct.pack("<I", 4 + len(payload)) + b"WEBP" + payload


SVG = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
       b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">'
       b'<rect width="64" height="64" fill="red"/></svg>\n')

NOT_AN_IMAGE = b"This is a plain text file, not a picture.\n" * 20


def padded_jpeg(total_size):
    """A valid JPEG followed by zero bytes after its EOI marker, `total_size` bytes in all."""
    data = small_jpeg(64, 64)
    assert data.endswith(b"\xff\xd9") and len(data) <= total_size
    return data + b"\x00" * (total_size - len(data))


# --- hand-crafted headers -----------------------------------------------------------------


def png_chunk(kind, payload):
    return (struct.pack(">I", len(payload)) + kind + payload
            + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF))


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_flood(width=100_000, height=100_000):
    """A PNG whose IHDR (valid CRC) declares width x height RGB, with a tiny IDAT."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return (PNG_SIGNATURE + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat)
            + png_chunk(b"IEND", b""))


def jpeg_flood(width=65_000, height=65_000):
    """A real baseline JPEG with its SOF0 frame header patched to declare width x height."""
    data = bytearray(small_jpeg(16, 16))
    sof = data.find(b"\xff\xc0")
    assert sof > 0, "PIL wrote no SOF0"
    # FFC0, length(2), precision(1), height(2), width(2)
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


def gif_flood(width=65_000, height=65_000):
    """GIF89a whose logical screen and only frame are both width x height."""
    header = b"GIF89a" + struct.pack("<HHBBB", width, height, 0x80, 0, 0)  # 2-colour table
    palette = b"\x00\x00\x00\xff\xff\xff"
    frame = b"\x2c" + struct.pack("<HHHHB", 0, 0, width, height, 0)
    lzw = b"\x02" + b"\x02\x4c\x01" + b"\x00"  # min code size 2, one tiny sub-block, end
    return header + palette + frame + lzw + b"\x3b"


def adam7_png(width=33, height=21):
    """An interlaced (Adam7) 8-bit RGB PNG of a gradient; returns (bytes, pixel list)."""
    def pixel(x, y):
        return (x * 255 // max(1, width - 1), y * 255 // max(1, height - 1), (x * y) % 256)

    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2),
              (0, 1, 1, 2)]
    raw = bytearray()
    for x0, y0, dx, dy in passes:
        xs = range(x0, width, dx)
        if not xs:
            continue
        for y in range(y0, height, dy):
            raw.append(0)  # filter type None
            for x in xs:
                raw.extend(pixel(x, y))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 1)  # interlace method 1
    data = (PNG_SIGNATURE + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib.compress(bytes(raw)))
            + png_chunk(b"IEND", b""))
    return data, [pixel(x, y) for y in range(height) for x in range(width)]
