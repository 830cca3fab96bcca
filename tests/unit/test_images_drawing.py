"""Synthetic pictures for the picture tests, drawn with Pillow at run time (no binary fixtures).

Helpers only (no tests here); imported by tests/unit/test_images*.py and test_cli_image.py.
Nothing here is a real person or document: shapes, strands and noise.
"""

from __future__ import annotations

import io
import random
import struct
import zlib
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from autofill.pack import FileLimits, load_pack

WHITE = (255, 255, 255)
ID_BLUE = (67, 142, 219)  # the common blue ID-photo background


def limits(kind: str) -> FileLimits:
    """The pack's limits for `photo` or `attachment`."""
    return load_pack().files["photo" if kind == "photo" else "attachment"]


def portrait(
    size: tuple[int, int] = (600, 840), *, background: tuple[int, int, int] = WHITE, seed: int = 1
) -> Image.Image:
    """A head-and-shoulders figure with fine detail (hair strands, cloth texture, skin grain)."""
    w, h = size
    rng = random.Random(seed)
    im = Image.new("RGB", size, background)
    d = ImageDraw.Draw(im)
    d.ellipse((-w * 0.1, h * 0.72, w * 1.1, h * 1.45), fill=(30, 40, 90))  # shoulders
    for _ in range(w // 2):  # cloth weave
        x, y = rng.uniform(0, w), rng.uniform(h * 0.78, h)
        d.line((x, y, x + rng.uniform(-12, 12), y + rng.uniform(-12, 12)), fill=(rng.randrange(70), 50, 130))
    d.ellipse((w * 0.27, h * 0.16, w * 0.73, h * 0.68), fill=(230, 190, 160))  # face
    for _ in range(w * 2):  # skin grain
        x, y = rng.uniform(w * 0.33, w * 0.67), rng.uniform(h * 0.25, h * 0.62)
        d.point((x, y), fill=(rng.randrange(205, 245), rng.randrange(165, 200), rng.randrange(135, 170)))
    for cx in (0.4, 0.6):  # eyes
        d.ellipse((w * (cx - 0.05), h * 0.36, w * (cx + 0.05), h * 0.4), fill=(40, 30, 20))
    d.arc((w * 0.4, h * 0.5, w * 0.6, h * 0.6), 0, 180, fill=(150, 50, 50), width=max(1, w // 150))
    for _ in range(w):  # hair strands
        x, y = rng.uniform(w * 0.27, w * 0.73), rng.uniform(h * 0.12, h * 0.26)
        d.line((x, y, x + rng.uniform(-15, 15), y + rng.uniform(5, 30)), fill=(rng.randrange(50),) * 3)
    return im


def document(
    size: tuple[int, int] = (800, 600),
    *,
    seed: int = 2,
    paper: tuple[int, int, int] = (250, 248, 240),
    grain: float = 0.04,
) -> Image.Image:
    """A page of 'text' lines with a red stamp and paper grain: compresses like a photographed proof."""
    w, h = size
    rng = random.Random(seed)
    im = Image.new("RGB", size, paper)
    d = ImageDraw.Draw(im)
    d.rectangle((10, 10, w - 10, h - 10), outline=(170, 40, 40), width=4)
    for row in range(40, h - 40, 28):
        x = 40
        while x < w - 80:
            word = rng.randrange(20, 70)
            for cx in range(x, x + word, 7):
                d.line((cx, row, cx + rng.randrange(2, 6), row + rng.randrange(8, 16)), fill=(30, 30, 30), width=2)
            x += word + rng.randrange(10, 20)
    d.ellipse((w - 320, h - 300, w - 80, h - 60), outline=(200, 30, 30), width=6)
    if not grain:
        return im
    texture = Image.merge("RGB", [Image.effect_noise(size, 6) for _ in range(3)])
    return Image.blend(im, texture, grain)


def noise(size: tuple[int, int], sigma: float = 60) -> Image.Image:
    """Colour noise: the least compressible picture there is."""
    return Image.merge("RGB", [Image.effect_noise(size, sigma) for _ in range(3)])


def enlarged(im: Image.Image, factor: int = 2) -> Image.Image:
    """The picture shrunk by `factor` and enlarged back to its size (what the guide forbids)."""
    w, h = im.size
    small = im.resize((w // factor, h // factor), Image.Resampling.LANCZOS)
    return small.resize((w, h), Image.Resampling.BICUBIC)


def save(im: Image.Image, path: Path, fmt: str = "JPEG", **options: Any) -> Path:
    """Save `im` as `fmt` (regardless of the name's extension) and return the path."""
    if fmt == "JPEG" and "quality" not in options:
        options["quality"] = 92
    im.save(path, fmt, **options)
    return path


def exif_bytes(*, orientation: int | None = None, gps: bool = False) -> bytes:
    """An EXIF block with an orientation tag and/or a GPS position."""
    exif = Image.Exif()
    exif[0x010F] = "SyntheticCam"
    if orientation is not None:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 50.0)}
    return exif.tobytes()


def padded_jpeg(path: Path, n_bytes: int, size: tuple[int, int] = (400, 560)) -> Path:
    """A valid JPEG of exactly `n_bytes` (bytes after the end marker are ignored by decoders)."""
    buf = io.BytesIO()
    im = Image.new("RGB", size, WHITE)
    ImageDraw.Draw(im).ellipse((size[0] // 4, size[1] // 4, size[0] * 3 // 4, size[1] * 3 // 4), fill=(200, 160, 140))
    im.save(buf, "JPEG", quality=30)
    data = buf.getvalue()
    assert len(data) <= n_bytes, f"base JPEG is {len(data)} bytes, more than {n_bytes}"
    path.write_bytes(data + b"\0" * (n_bytes - len(data)))
    return path


def png_bomb(path: Path, width: int = 100_000, height: int = 100_000) -> Path:
    """A tiny PNG whose header claims width×height pixels (a decompression bomb)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    body = zlib.compress(b"\0" * 1024)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b""))
    return path


def heic_like(path: Path) -> Path:
    """The opening of an iPhone HEIC file (ISO-BMFF `ftyp` box, brand heic) and some payload."""
    ftyp = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"
    path.write_bytes(ftyp + bytes(range(256)) * 40)
    return path


def animated_gif(path: Path, frames: int = 3) -> Path:
    """A small animated GIF."""
    pictures = [Image.new("RGB", (320, 440), (i * 80 % 256, 50, 200)) for i in range(frames)]
    pictures[0].save(path, "GIF", save_all=True, append_images=pictures[1:], duration=100, loop=0)
    return path
