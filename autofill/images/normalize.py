"""Turning any readable picture into plain upright 8-bit sRGB pixels, and cropping it.

Every step returns the new picture and, when it changed something, a bilingual note for the report.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from autofill.errors import ImageError
from autofill.images.read import ALPHA_MODES

if TYPE_CHECKING:
    from pathlib import Path

    from PIL import Image

_ROTATION = {
    2: ("左右翻转", "mirrored left-right"),
    3: ("旋转 180°", "rotated 180°"),
    4: ("上下翻转", "mirrored top-bottom"),
    5: ("转置", "transposed"),
    6: ("顺时针旋转 90°", "rotated 90° clockwise"),
    7: ("反转置", "transversed"),
    8: ("逆时针旋转 90°", "rotated 90° anticlockwise"),
}
_DEEP_MODES = ("I", "I;16", "I;16B", "I;16L", "I;16N", "F")


@dataclass(frozen=True)
class Note:
    """One thing a fix did, in Chinese and English."""

    zh: str
    en: str

    def render(self) -> str:
        return f"{self.zh} ({self.en})"


def orientation_note(orientation: int) -> Note | None:
    """What applying an EXIF orientation did, or None for 1 (already upright)."""
    turn = _ROTATION.get(orientation)
    if turn is None:
        return None
    return Note(f"按 EXIF 方向标记把像素转正（{turn[0]}）", f"applied the EXIF orientation: {turn[1]}")


def to_srgb(im: Image.Image, path: Path) -> tuple[Image.Image, list[Note]]:
    """Plain 8-bit RGB: colour profile applied, alpha flattened on white, CMYK/palette/16-bit handled."""
    from PIL import Image

    notes: list[Note] = []
    im, note = _apply_icc(im)
    if note:
        notes.append(note)
    if im.mode in _DEEP_MODES:
        im = _to_8bit(im)
        notes.append(Note("把高位深（16 位）灰度降为 8 位", "reduced 16-bit depth to 8 bits"))
    if im.mode in ALPHA_MODES or "transparency" in im.info:
        rgba = im.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        if rgba.getchannel("A").getextrema()[0] != 255:
            notes.append(Note("把透明区域铺成白色", "flattened transparency on white"))
        return flat, notes
    if im.mode != "RGB":
        before = im.mode
        try:
            im = im.convert("RGB")
        except (ValueError, OSError) as exc:
            raise ImageError(
                f"不支持的色彩模式 {before}：请用看图软件另存为 JPG ({before} colour cannot be converted: "
                f"save it as JPG in an image viewer; {exc})",
                file=path,
            ) from None
        notes.append(Note(f"色彩模式 {before} 转为 RGB", f"converted {before} colour to RGB"))
    return im, notes


def _apply_icc(im: Image.Image) -> tuple[Image.Image, Note | None]:
    """Convert through an embedded colour profile to sRGB, so colours survive dropping the profile."""
    icc = im.info.get("icc_profile")
    if not icc or im.mode not in ("RGB", "CMYK", "L"):
        return im, None
    from PIL import ImageCms

    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        description = (ImageCms.getProfileDescription(source) or "").strip()
        if im.mode == "RGB" and "srgb" in description.lower():
            return im, None  # already sRGB: nothing to convert
        out = ImageCms.profileToProfile(im, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return im, None  # a broken profile: fall back to Pillow's plain conversion
    if out is None:  # pragma: no cover - only with inPlace=True
        return im, None
    name = description or "ICC"
    return out, Note(
        f"按内嵌色彩配置（{name}）转为 sRGB", f"converted from the embedded colour profile ({name}) to sRGB"
    )


def _to_8bit(im: Image.Image) -> Image.Image:
    """16-bit or 32-bit greyscale to 8-bit L, scaling the value range instead of clipping it."""
    wide = im.convert("F")
    lo, hi = wide.getextrema()
    assert isinstance(lo, float) and isinstance(hi, float)
    if im.mode.startswith("I;16") or (im.mode == "I" and hi > 255 and hi <= 65535 and lo >= 0):
        scale, offset = 255 / 65535, 0.0
    elif lo >= 0 and hi <= 255:
        scale, offset = 1.0, 0.0
    else:
        span = (hi - lo) or 1.0
        scale, offset = 255 / span, -lo * 255 / span
    return wide.point(lambda v: v * scale + offset).convert("L")


def crop_box_note(box: tuple[int, int, int, int]) -> Note:
    """The note for a crop to `box` (left, top, right, bottom)."""
    left, top, right, bottom = box
    w, h = right - left, bottom - top
    return Note(f"裁剪为 {w}×{h}（左上角 {left},{top}）", f"cropped to {w}×{h} at ({left}, {top})")


def aspect_box(
    size: tuple[int, int], aspect: tuple[int, int], within: tuple[int, int, int, int] | None = None
) -> tuple[int, int, int, int]:
    """The largest box of the given aspect centred in `within` (the whole picture by default)."""
    left, top, right, bottom = within or (0, 0, *size)
    w, h = right - left, bottom - top
    a, b = aspect
    if w * b > h * a:  # too wide: trim the sides
        new_w = h * a // b
        left += (w - new_w) // 2
        return (left, top, left + new_w, bottom)
    new_h = w * b // a  # too tall: trim top and bottom equally
    top += (h - new_h) // 2
    return (left, top, right, top + new_h)


def user_box(size: tuple[int, int], crop: tuple[int, int, int, int], path: Path) -> tuple[int, int, int, int]:
    """`--crop X,Y,W,H` as a box, refused with the picture's size when it does not fit inside it."""
    x, y, w, h = crop
    width, height = size
    if w <= 0 or h <= 0 or x < 0 or y < 0 or x + w > width or y + h > height:
        raise ImageError(
            f"裁剪区域 {x},{y},{w},{h} 超出图片范围（转正后的图片是 {width}×{height}）"
            f" (the crop {x},{y},{w},{h} does not fit inside the picture, which is {width}×{height} "
            "once upright)",
            file=path,
        )
    return (x, y, x + w, y + h)
