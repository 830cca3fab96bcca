"""JPEG encoding that lands inside a size window, and writing a file atomically.

The quality is searched (each candidate is encoded and measured), not guessed. A picture that will not
fit at a readable quality is downscaled step by step, never below the size the caller allows.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from autofill.errors import ImageError
from autofill.images.read import format_kb

if TYPE_CHECKING:
    from PIL import Image

    from autofill.pack import FileLimits

# Tool policy. 95 is visually lossless for photos and documents; below 70 text and faces blur.
QUALITY_TOP = 95
QUALITY_FLOOR = 70
QUALITY_MAX = 100  # tried only when even QUALITY_TOP is too small for the lower limit
_SHRINK_MAX = 0.9  # each downscale step removes at least 10% of each side …
_SHRINK_MIN = 0.5  # … and at most half


@dataclass(frozen=True)
class Window:
    """The byte sizes an upload slot accepts."""

    low: int = 0
    low_inclusive: bool = True
    high: int | None = None

    @classmethod
    def of(cls, limits: FileLimits) -> Window:
        return cls(limits.min_bytes, limits.min_bytes_inclusive, limits.max_bytes)

    def too_small(self, n: int) -> bool:
        return n < self.low if self.low_inclusive else n <= self.low

    def too_big(self, n: int) -> bool:
        return self.high is not None and n > self.high

    def holds(self, n: int) -> bool:
        return not self.too_small(n) and not self.too_big(n)

    def describe(self) -> str:
        low = f"{'≥' if self.low_inclusive else '>'} {format_kb(self.low)}"
        return low if self.high is None else f"{low}, ≤ {format_kb(self.high)}"


@dataclass
class Encoded:
    """The bytes to write and how they were reached."""

    data: bytes
    quality: int
    size: tuple[int, int]
    shrinks: list[tuple[int, int]] = field(default_factory=list)  # the pixel size after each downscale


def encode_jpeg(im: Image.Image, quality: int, *, optimize: bool = True) -> bytes:
    """Baseline JPEG with no metadata at all: no EXIF, GPS, XMP, ICC profile or comment."""
    clean = im
    if clean.info:
        clean = im.copy()
        clean.info = {}
    buf = io.BytesIO()
    subsampling = 0 if quality >= QUALITY_MAX else -1  # 4:4:4 at the very top, libjpeg's default below
    clean.save(buf, "JPEG", quality=quality, optimize=optimize, subsampling=subsampling)
    return buf.getvalue()


def fit(im: Image.Image, window: Window, *, smallest: tuple[int, int], path: Path) -> Encoded:
    """Encode `im` as JPEG inside `window`: the highest quality that fits, downscaling if it must.

    Too big even at QUALITY_FLOOR: downscale (10–50% a step, aimed from the measured size, always
    resampled from the original) and search again, never below `smallest` pixels. Too small even at
    QUALITY_MAX: refuse, since more bytes cannot be made without inventing detail. The search encodes
    without Huffman optimisation (2–3× faster); the chosen quality is encoded once more optimised.
    """
    from PIL import Image

    if im.info:  # drop metadata once, so encode_jpeg need not copy the picture on every try
        im = im.copy()
        im.info = {}
    original = im
    top = encode_jpeg(im, QUALITY_TOP, optimize=False)
    if window.too_small(len(top)):
        best = encode_jpeg(im, QUALITY_MAX)
        if window.holds(len(best)):
            return Encoded(best, QUALITY_MAX, im.size)
        raise ImageError(
            f"即使以最高质量保存也只有 {format_kb(len(best))}，达不到 {window.describe()} 的要求："
            "图片内容太少或太小，请使用更大、更清晰的原图"
            f" (even at the highest quality the file is only {format_kb(len(best))}, outside "
            f"{window.describe()}: the picture has too little content; use a larger, sharper original)",
            file=path,
        )
    if window.holds(len(top)):
        return _final(im, QUALITY_TOP, top, window, [])
    shrinks: list[tuple[int, int]] = []
    scale = 1.0
    while True:
        floor = encode_jpeg(im, QUALITY_FLOOR, optimize=False)
        if not window.too_big(len(floor)):
            # TOP is known to be too big only at the original size.
            q, data = _search(im, window, floor, QUALITY_TOP if not shrinks else QUALITY_TOP + 1)
            if not window.holds(len(data)):
                raise ImageError(
                    f"找不到能让文件落在 {window.describe()} 之间的质量（质量 {q} 时为 {format_kb(len(data))}）"
                    f" (no quality lands the file inside {window.describe()}: quality {q} gives "
                    f"{format_kb(len(data))})",
                    file=path,
                )
            return _final(im, q, data, window, shrinks)
        assert window.high is not None
        scale *= min(_SHRINK_MAX, max(_SHRINK_MIN, math.sqrt(window.high / len(floor)) * 0.9))
        new_size = (max(1, round(original.width * scale)), max(1, round(original.height * scale)))
        if new_size[0] < smallest[0] or new_size[1] < smallest[1]:
            raise ImageError(
                f"即使缩小到 {im.width}×{im.height}、质量 {QUALITY_FLOOR}，文件仍有 {format_kb(len(floor))}，"
                f"超过 {window.describe()}，再缩小就看不清了：请拍摄内容更简单、更清晰的照片"
                f" (even at {im.width}×{im.height} and quality {QUALITY_FLOOR} the file is "
                f"{format_kb(len(floor))}, outside {window.describe()}, and smaller would not be readable: "
                "take a cleaner, sharper picture)",
                file=path,
            )
        im = original.resize(new_size, Image.Resampling.BICUBIC, reducing_gap=3.0)
        shrinks.append(new_size)


def _search(im: Image.Image, window: Window, floor: bytes, bad_q: int) -> tuple[int, bytes]:
    """Binary search for the highest quality in [FLOOR, bad_q) whose file is not too big."""
    good_q, good = QUALITY_FLOOR, floor
    while bad_q - good_q > 1:
        q = (good_q + bad_q) // 2
        data = encode_jpeg(im, q, optimize=False)
        if window.too_big(len(data)):
            bad_q = q
        else:
            good_q, good = q, data
    return good_q, good


def _final(im: Image.Image, quality: int, plain: bytes, window: Window, shrinks: list[tuple[int, int]]) -> Encoded:
    """The chosen quality, Huffman-optimised (a few % smaller) unless that leaves the window."""
    optimised = encode_jpeg(im, quality)
    data = optimised if window.holds(len(optimised)) else plain
    return Encoded(data, quality, im.size, shrinks)


def output_problem(dst: Path, limits: FileLimits) -> str | None:
    """What is wrong with `dst` as an output (in Chinese and English), or None: it must be a JPEG name
    the slot accepts, not a folder, in an existing folder. The command line shows it as a bad `-o`
    (exit 2); `check_output_name` raises it for library callers."""
    from PIL import Image

    Image.preinit()
    jpeg_names = [e for e in limits.extensions if Image.EXTENSION.get(e) == "JPEG"]
    if dst.suffix.lower() not in jpeg_names:
        return (
            f"输出文件名须以 {'、'.join(jpeg_names)} 结尾（输出总是 JPEG）"
            f" (the output name must end in {', '.join(jpeg_names)}: the output is always JPEG, got `{dst.name}`)"
        )
    if dst.is_dir():
        return f"输出路径是一个文件夹 (the output path is a folder: {dst})"
    if not dst.parent.is_dir():
        return f"输出文件夹不存在 (the output folder does not exist: {dst.parent})"
    return None


def check_output_name(dst: Path, limits: FileLimits) -> None:
    """Raise ImageError (`output_problem`) unless `dst` is an output name the slot accepts."""
    problem = output_problem(dst, limits)
    if problem is not None:
        raise ImageError(problem, file=dst)


def write_atomic(dst: Path, data: bytes, verify: Callable[[Path], None] | None = None) -> None:
    """Write `data` to `dst` through a temporary file in the same folder, then rename it into place.

    `verify(tmp)` runs on the complete temporary file before the rename; if it raises, nothing is left
    behind and `dst` is untouched. A reader never sees a half-written file.
    """
    tmp = dst.with_name(f".{dst.stem}.{secrets.token_hex(4)}.tmp{dst.suffix}")
    mode = 0o666
    with contextlib.suppress(OSError):
        mode = dst.stat().st_mode & 0o777  # replacing a file keeps its permissions
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except OSError as exc:
        raise ImageError(
            f"无法在输出文件夹写入：{exc.strerror} (cannot write in the output folder: {exc.strerror})",
            file=dst,
        ) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if verify is not None:
            verify(tmp)
        tmp.replace(dst)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ImageError(
            f"写入输出文件失败：{exc.strerror} (writing the output failed: {exc.strerror})", file=dst
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
