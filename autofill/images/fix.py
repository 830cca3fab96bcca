"""`fix` and `merge`: make pictures the site and its reviewers accept, or refuse with the reason.

fix: read (by content) → EXIF orientation applied → plain 8-bit sRGB (alpha on white) → photo: crop to
the pack's aspect (centred or `--crop`), refuse below the minimum pixels (never enlarge), downscale
large ones → search the JPEG quality that lands inside the byte window (attachments downscale step by
step when they must) → re-check the written file → rename it into place. No metadata is written.
merge: the same for several proofs stacked vertically on white, at one common width.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from autofill.errors import ImageError
from autofill.findings import Finding
from autofill.images.check import Kind, inspect
from autofill.images.encode import Encoded, Window, check_output_name, fit, write_atomic
from autofill.images.normalize import (
    Note,
    aspect_box,
    crop_box_note,
    orientation_note,
    to_srgb,
    user_box,
)
from autofill.images.read import Summary, Unreadable, read_picture

if TYPE_CHECKING:
    from PIL import Image

    from autofill.pack import FileLimits

# Tool policy. A photo larger than this multiple of the minimum pixels gains nothing on the printed
# certificate: it is downscaled to exactly this multiple (590×826 for a 295×413 minimum).
PHOTO_SCALE_CAP = 2
# An attachment is never downscaled below this many pixels on its longer side (text stays readable).
READABLE_SIDE = 800
# Merge: the common width is capped here, and the stacked canvas at this many pixels, before the
# byte window is fitted (a 500 KB file never holds more than a few megapixels of detail).
MERGE_MAX_WIDTH = 2000
MERGE_MAX_PIXELS = 12_000_000
MERGE_GAP_FRACTION = 50  # the white gap is 1/50 of the width …
MERGE_GAP_MIN = 12  # … and at least this many pixels


@dataclass(frozen=True)
class FixReport:
    """What a fix or merge read, wrote and did."""

    before: tuple[Summary, ...]
    after: Summary
    quality: int
    steps: tuple[Note, ...]
    warnings: tuple[Finding, ...]


def fix_image(
    src: Path,
    dst: Path,
    kind: Kind,
    limits: FileLimits,
    *,
    crop: tuple[int, int, int, int] | None = None,
) -> FixReport:
    """Fix the picture at `src` for a slot of `kind` and write it to `dst` (atomically).

    `crop` is X, Y, W, H in the upright picture's pixels. Raises ImageError, leaving no output file,
    when the picture cannot be read or cannot be made acceptable (a photo below the minimum pixels is
    refused, never enlarged).
    """
    check_output_name(dst, limits)
    im, before, steps = _load(src)
    if crop is not None:
        box = user_box(im.size, crop, src)
        im = im.crop(box)
        steps.append(crop_box_note(box))
    if kind == "photo":
        im = _photo_pixels(im, src, limits, steps, cropped=crop is not None)
        smallest = (limits.min_width, limits.min_height)
    else:
        smallest = _readable_floor(im.size)
    encoded = fit(im, Window.of(limits), smallest=smallest, path=src)
    return _write(dst, encoded, kind=kind, limits=limits, before=(before,), steps=steps)


def merge_images(sources: Sequence[Path], dst: Path, limits: FileLimits) -> FixReport:
    """Stack several proofs into one attachment at `dst`: vertical, white gaps, one common width.

    Each picture is read and turned upright like `fix_image`; pictures wider than the common width
    (the widest, capped at MERGE_MAX_WIDTH) are shrunk to it, narrower ones are centred, never
    enlarged. The result is fitted into the attachment byte window.
    """
    from PIL import Image

    if not sources:
        raise ImageError("至少需要一张图片 (give at least one picture to merge)")
    check_output_name(dst, limits)
    parts: list[Image.Image] = []
    before: list[Summary] = []
    steps: list[Note] = []
    for src in sources:
        im, summary, notes = _load(src)
        if im.width > MERGE_MAX_WIDTH:
            im = _scaled(im, MERGE_MAX_WIDTH / im.width)
        parts.append(im)
        before.append(summary)
        steps.extend(Note(f"{src.name}：{n.zh}", f"{src.name}: {n.en}") for n in notes)
    width = max(p.width for p in parts)
    gap = max(MERGE_GAP_MIN, width // MERGE_GAP_FRACTION)
    height = sum(p.height for p in parts) + gap * (len(parts) - 1)
    if width * height > MERGE_MAX_PIXELS:
        factor = math.sqrt(MERGE_MAX_PIXELS / (width * height))
        parts = [_scaled(p, factor) for p in parts]
        width = max(p.width for p in parts)
        gap = max(MERGE_GAP_MIN, width // MERGE_GAP_FRACTION)
        height = sum(p.height for p in parts) + gap * (len(parts) - 1)
    canvas = Image.new("RGB", (width, height), (255, 255, 255))
    y = 0
    for part in parts:
        canvas.paste(part, ((width - part.width) // 2, y))
        y += part.height + gap
    steps.append(
        Note(
            f"竖向拼接 {len(parts)} 张图片：宽 {width} 像素，白色间隔 {gap} 像素",
            f"stacked {len(parts)} pictures vertically: {width} px wide, {gap} px white gaps",
        )
    )
    encoded = fit(canvas, Window.of(limits), smallest=_readable_floor(canvas.size), path=dst)
    return _write(dst, encoded, kind="attachment", limits=limits, before=tuple(before), steps=steps)


def _load(src: Path) -> tuple[Image.Image, Summary, list[Note]]:
    """Read at full size, upright, as plain sRGB."""
    try:
        pic = read_picture(src)
    except Unreadable as problem:
        raise problem.error(src) from None
    steps: list[Note] = []
    note = orientation_note(pic.orientation)
    if note:
        steps.append(note)
    im = pic.upright()
    im, colour = to_srgb(im, src)
    steps.extend(colour)
    return im, pic.summary(), steps


def _photo_pixels(im: Image.Image, src: Path, limits: FileLimits, steps: list[Note], *, cropped: bool) -> Image.Image:
    """Crop to the aspect, refuse when too small (never enlarge), downscale when large."""
    min_w, min_h = limits.min_width, limits.min_height
    w, h = im.size
    if w < min_w or h < min_h:
        where = "裁剪区域" if cropped else "照片"
        where_en = "the crop" if cropped else "the photo"
        raise ImageError(
            f"{where}只有 {w}×{h} 像素，少于要求的 {min_w}×{min_h}；指南禁止把像素不足的照片放大后使用，"
            f"不会放大：请重新拍摄或找原图 ({where_en} has only {w}×{h} pixels, fewer than the "
            f"{min_w}×{min_h} required; the guide forbids enlarging a smaller photo, so it is not "
            "enlarged: take a new photo or find the original)",
            file=src,
        )
    if limits.aspect is not None:
        box = aspect_box(im.size, limits.aspect)
        if box != (0, 0, w, h):
            im = im.crop(box)
            a, b = limits.aspect
            note = crop_box_note(box)
            steps.append(Note(f"按 {a}:{b} 比例{note.zh}", f"{note.en} for the {a}:{b} aspect"))
        w, h = im.size
        if w < min_w or h < min_h:
            raise ImageError(
                f"按 {a}:{b} 比例裁剪后只剩 {w}×{h} 像素，少于要求的 {min_w}×{min_h}，不会放大：请用更大的"
                f"原图或换一个裁剪区域 (cropped to the {a}:{b} aspect the photo is only {w}×{h} "
                f"pixels, fewer than the {min_w}×{min_h} required, and it is not enlarged: use a larger "
                "original or another crop)",
                file=src,
            )
    cap_w, cap_h = min_w * PHOTO_SCALE_CAP, min_h * PHOTO_SCALE_CAP
    if cap_w and cap_h and (w > cap_w or h > cap_h):
        factor = min(cap_w / w, cap_h / h)
        im = _scaled(im, factor)
        steps.append(Note(f"缩小到 {im.width}×{im.height}", f"downscaled to {im.width}×{im.height}"))
    return im


def _scaled(im: Image.Image, factor: float) -> Image.Image:
    from PIL import Image

    size = (max(1, round(im.width * factor)), max(1, round(im.height * factor)))
    return im.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _readable_floor(size: tuple[int, int]) -> tuple[int, int]:
    """The smallest pixel size an attachment may be downscaled to: longer side READABLE_SIDE."""
    w, h = size
    factor = min(1.0, READABLE_SIDE / max(w, h))
    return (math.floor(w * factor), math.floor(h * factor))


def _write(
    dst: Path,
    encoded: Encoded,
    *,
    kind: Kind,
    limits: FileLimits,
    before: tuple[Summary, ...],
    steps: list[Note],
) -> FixReport:
    """Write through the re-check; the report's warnings are exactly the re-check's, so `image check`
    of the written file says the same (greyscale included)."""
    for w, h in encoded.shrinks:
        steps.append(Note(f"为满足文件大小缩小到 {w}×{h}", f"downscaled to {w}×{h} to fit the file size limit"))
    steps.append(
        Note(
            f"保存为 JPEG（质量 {encoded.quality}），去除全部元数据（EXIF、GPS、XMP、色彩配置、注释）",
            f"saved as JPEG (quality {encoded.quality}) with all metadata removed (EXIF, GPS, XMP, "
            "colour profile, comments)",
        )
    )
    warnings: list[Finding] = []

    def verify(tmp: Path) -> None:
        result = inspect(tmp, kind, limits)
        errors = [f for f in result.findings if f.is_error]
        if errors:
            raise ImageError(
                "修正后的图片仍不合格，未写入 (the fixed picture still fails the check, so nothing was "
                "written): " + "; ".join(f.render() for f in errors),
                file=dst,
            )
        warnings.extend(result.findings)

    write_atomic(dst, encoded.data, verify)
    w, h = encoded.size
    after = Summary(dst, "JPEG", w, h, "RGB", len(encoded.data))
    return FixReport(before, after, encoded.quality, tuple(steps), tuple(warnings))
