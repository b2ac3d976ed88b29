"""Writes pixel-flood PNGs into DIR: small files that decode to huge images.
accepted_flood.png is 6300x6300 (39.7 MP, just inside the 40 MP limit, about 120 MB decoded);
refused_flood.png declares 30000x30000 and must be refused from its header."""
import os
import struct
import sys
import zlib


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width, height, rows):
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) +
            chunk(b"IEND", b""))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    side = 6300
    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\x40" * (side * 3)
    rows = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    open(os.path.join(out, "accepted_flood.png"), "wb").write(png(side, side, rows))
    tiny = zlib.compress(b"\x00" + b"\x00" * 30)
    open(os.path.join(out, "refused_flood.png"), "wb").write(png(30000, 30000, tiny))


if __name__ == "__main__":
    main()
