"""Draw static/share.png, the picture link previews show (1200 x 630, Open Graph's size).

Run once, commit the PNG: ``python scripts/make_share_image.py``.  Most
link previewers refuse SVG, and a PNG of flat shapes needs no imaging
library: rows of pixels, zlib and the PNG chunk layout from the standard
library.  The picture is a bench (a *panchina*) on a pitch.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

WIDTH, HEIGHT = 1200, 630
PITCH, LINE, BENCH = (31, 77, 58), (236, 242, 238), (247, 201, 72)
# Rectangles drawn in order over the pitch: (left, top, right, bottom, colour).
SHAPES = [
    (0, 470, WIDTH, 478, LINE),  # the touchline
    (300, 300, 900, 330, BENCH),  # the seat
    (300, 200, 900, 225, BENCH),  # the backrest
    (320, 225, 340, 300, BENCH), (860, 225, 880, 300, BENCH),  # backrest posts
    (330, 330, 355, 470, BENCH), (845, 330, 870, 470, BENCH),  # legs
]


def pixel_rows() -> list[bytes]:
    rows = []
    for y in range(HEIGHT):
        row = bytearray(bytes(PITCH) * WIDTH)
        for left, top, right, bottom, colour in SHAPES:
            if top <= y < bottom:
                row[left * 3:right * 3] = bytes(colour) * (right - left)
        rows.append(b"\x00" + bytes(row))  # filter type 0 for each row
    return rows


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png() -> bytes:
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(pixel_rows()), 9)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "static" / "share.png"
    target.write_bytes(png())
    print(f"wrote {target} ({target.stat().st_size} bytes)")
