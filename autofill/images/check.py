"""The upload rules of one picture slot (from the pack's `files:`), checked before a browser opens.

`check_image` is what `autofill check` calls for every picture a profile names; `inspect` also
returns what the file is (format, pixels, size) for `autofill image check` to print. Rules give
errors; the photo heuristics give warnings only.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from autofill import findings
from autofill.findings import Finding
from autofill.images import heuristics
from autofill.images.read import GREY_MODES, Picture, Summary, Unreadable, format_kb, read_picture

if TYPE_CHECKING:
    from PIL import Image

    from autofill.pack import FileLimits

Kind = Literal["photo", "attachment"]

# Tool judgement: how far a photo's width:height may stray from the pack's aspect before a warning.
_ASPECT_TOLERANCE = 0.02
# Heuristics are measured on a picture decoded at no less than this multiple of the minimum pixel
# size: enough to see an enlargement from below the minimum, and fast on a 12-megapixel photo.
_ANALYSIS_MARGIN = 2
_ANALYSIS_FALLBACK = 1024  # when the slot has no pixel minimum

# check_image remembers its answers for unchanged files (same inode, size and mtime): a batch of
# profiles often names the same picture many times.
_CACHE_SIZE = 512
_cache: OrderedDict[tuple[object, ...], tuple[FileLimits, list[Finding]]] = OrderedDict()


@dataclass(frozen=True)
class Inspection:
    """One file's check: what it is (None when unreadable) and every problem found."""

    path: Path
    summary: Summary | None
    findings: list[Finding]

    @property
    def ok(self) -> bool:
        return not findings.has_errors(self.findings)


def check_image(path: Path, kind: Kind, limits: FileLimits) -> list[Finding]:
    """Every problem with the picture at `path` for an upload slot of `kind` with `limits`.

    Errors for what the site or its reviewers reject (format, bytes, pixels, an unreadable file, GPS
    data); warnings for the heuristics (background not white, enlarged or blurred photo). Findings
    carry no path/file/line: the caller places them at the profile field. Never raises for a bad
    file: an unreadable file is an error finding.
    """
    try:
        st = path.stat()
    except (OSError, ValueError):
        return inspect(path, kind, limits).findings
    key = (str(path.resolve()), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_mode, kind, id(limits))
    hit = _cache.get(key)
    if hit is not None and hit[0] is limits:
        _cache.move_to_end(key)
        return list(hit[1])
    found = inspect(path, kind, limits).findings
    _cache[key] = (limits, list(found))
    if len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return found


def inspect(path: Path, kind: Kind, limits: FileLimits) -> Inspection:
    """`check_image`, plus a summary of the file for printing."""
    try:
        # Attachments need no full pixels (their file structure shows a truncated file; the greyscale
        # test decodes a JPEG at 1/8 scale); photos are decoded for the heuristics, reduced when large.
        pic = read_picture(path, draft=_analysis_size(kind, limits), pixels=kind == "photo")
    except Unreadable as problem:
        return Inspection(path, None, [problem.finding()])
    found = [
        *_format_rules(path, pic, kind, limits),
        *_byte_rules(pic, kind, limits),
        *_pixel_rules(pic, kind, limits),
        *_metadata_rules(pic),
        *_colour_rules(pic),
    ]
    if kind == "photo":
        found.extend(_photo_heuristics(pic))
    return Inspection(path, pic.summary(), found)


def _analysis_size(kind: Kind, limits: FileLimits) -> tuple[int, int]:
    if kind == "attachment":
        return (1, 1)  # when an attachment is decoded at all (a PNG with alpha …): at 1/8 scale
    side = max(limits.min_width, limits.min_height) * _ANALYSIS_MARGIN or _ANALYSIS_FALLBACK
    return (side, side)


def _fix_hint(kind: Kind) -> tuple[str, str]:
    command = f"autofill image fix FILE -o OUT.jpg --kind {kind}"
    return f"可运行 {command} 修正", f"`{command}` fixes it"


def _format_rules(path: Path, pic: Picture, kind: Kind, limits: FileLimits) -> list[Finding]:
    from PIL import Image

    found: list[Finding] = []
    accepted = "、".join(limits.formats)
    if pic.format not in limits.formats:
        fix_zh, fix_en = _fix_hint(kind)
        found.append(
            findings.error(
                f"图片实际格式是 {pic.format}（按内容判断，与文件名无关），此处只接受 {accepted}：{fix_zh}（转换格式）",
                f"the picture is {pic.format} (read from its content, whatever its name says); "
                f"this upload takes {', '.join(limits.formats)}: {fix_en} (converts it)",
                code="image.format",
            )
        )
    suffix = path.suffix.lower()
    names = ", ".join(limits.extensions)
    if suffix not in limits.extensions:
        found.append(
            findings.error(
                f"文件扩展名“{suffix or '（无）'}”网站不接受，应为 {'、'.join(limits.extensions)}",
                f"the name ends in '{suffix or '(nothing)'}'; the site accepts {names}",
                code="image.extension",
            )
        )
    else:
        Image.preinit()
        named = Image.EXTENSION.get(suffix)
        if named is not None and named != pic.format and pic.format in limits.formats:
            found.append(
                findings.warning(
                    f"扩展名 {suffix} 与实际格式 {pic.format} 不符，部分系统会拒收：请改名或重新保存",
                    f"the name ends in {suffix} but the content is {pic.format}; some systems reject "
                    "that: rename it or save it again",
                    code="image.extension_mismatch",
                )
            )
    return found


def _byte_rules(pic: Picture, kind: Kind, limits: FileLimits) -> list[Finding]:
    found: list[Finding] = []
    n = pic.file_bytes
    size = format_kb(n)
    fix_zh, fix_en = _fix_hint(kind)
    if limits.min_bytes:
        low = format_kb(limits.min_bytes)
        if limits.min_bytes_inclusive and n < limits.min_bytes:
            found.append(
                findings.error(
                    f"文件只有 {size}，须不小于 {low}：请使用更清晰的原图，或{fix_zh}",
                    f"the file is {size}; it must be at least {low}: use a sharper original, or {fix_en}",
                    code="image.bytes_small",
                )
            )
        elif not limits.min_bytes_inclusive and n <= limits.min_bytes:
            found.append(
                findings.error(
                    f"文件只有 {size}，须大于 {low}：请使用更清晰的原图，或{fix_zh}",
                    f"the file is {size}; it must be more than {low}: use a sharper original, or {fix_en}",
                    code="image.bytes_small",
                )
            )
    if limits.max_bytes is not None and n > limits.max_bytes:
        high = format_kb(limits.max_bytes)
        found.append(
            findings.error(
                f"文件有 {size}，不能超过 {high}：{fix_zh}（压缩）",
                f"the file is {size}; it must be at most {high}: {fix_en} (compresses it)",
                code="image.bytes_large",
            )
        )
    return found


def _pixel_rules(pic: Picture, kind: Kind, limits: FileLimits) -> list[Finding]:
    found: list[Finding] = []
    w, h = pic.size
    if w < limits.min_width or h < limits.min_height:
        found.append(
            findings.error(
                f"像素只有 {w}×{h}，须不小于 {limits.min_width}×{limits.min_height}（宽×高）；"
                "指南禁止把像素不足的照片放大后使用：请重新拍摄或找原图",
                f"the picture is {w}×{h} pixels; it must be at least {limits.min_width}×{limits.min_height} "
                "(width×height), and the guide forbids enlarging a smaller photo: take a new one or find "
                "the original",
                code="image.pixels",
            )
        )
    elif kind == "photo" and limits.aspect is not None:
        a, b = limits.aspect
        if abs((w * b) / (h * a) - 1) > _ASPECT_TOLERANCE:
            fix_zh, fix_en = _fix_hint(kind)
            found.append(
                findings.warning(
                    f"宽高比 {w}:{h} 不是标准证件照的 {a}:{b}：{fix_zh}（居中裁剪，或用 --crop 指定区域）",
                    f"the aspect {w}:{h} is not the standard photo's {a}:{b}: {fix_en} (crops it, centred "
                    "or where --crop says)",
                    code="image.aspect",
                )
            )
    return found


def _metadata_rules(pic: Picture) -> list[Finding]:
    found: list[Finding] = []
    if pic.has_gps:
        found.append(
            findings.error(
                "图片带有 GPS 位置信息（EXIF），不能上传到网站：autofill image fix 会清除所有元数据",
                "the picture carries GPS location data (EXIF), which must not reach the site: "
                "`autofill image fix` removes all metadata",
                code="image.gps",
            )
        )
    if pic.orientation != 1:
        found.append(
            findings.warning(
                "图片靠 EXIF 方向标记旋转显示，部分系统会显示为横倒：autofill image fix 会把像素转正",
                "the picture relies on an EXIF orientation tag to be shown upright; some systems show it on "
                "its side: `autofill image fix` turns the pixels upright",
                code="image.orientation",
            )
        )
    return found


def _colour_rules(pic: Picture) -> list[Finding]:
    found: list[Finding] = []
    im = pic.image
    if pic.mode == "CMYK":
        found.append(
            findings.warning(
                "图片是 CMYK 印刷色彩，部分浏览器和审核系统显示失真：autofill image fix 会转为 RGB",
                "the picture is in CMYK (print) colour, which some browsers and review systems show wrongly: "
                "`autofill image fix` converts it to RGB",
                code="image.cmyk",
            )
        )
    if _has_transparency(im):
        found.append(
            findings.warning(
                "图片有透明区域，部分系统会显示成黑色：autofill image fix 会铺上白色背景",
                "the picture has transparent areas, which some systems show as black: "
                "`autofill image fix` flattens it on white",
                code="image.transparency",
            )
        )
    if is_greyscale(pic):
        found.append(greyscale_warning())
    return found


def is_greyscale(pic: Picture) -> bool:
    """Whether the picture has no colour: the one test behind the greyscale warning of `image check`,
    `autofill check` and `image fix`/`merge` (whose warnings are the re-check of the written file).

    A grey mode needs no pixels. A picture the check did not decode (an opaque JPEG or PNG attachment)
    is decoded here, a JPEG at 1/8 scale (a grey RGB JPEG, such as a black-and-white scan, is RGB by its
    mode only): about 2 ms for a 200 KB JPEG. A file that then fails to decode is left to `image fix`,
    which decodes it in full and reports why.
    """
    if pic.mode in GREY_MODES:
        return True
    im = pic.image
    if not pic.decoded:
        try:
            if pic.format == "JPEG":
                im.draft("RGB", (1, 1))  # the smallest scale libjpeg offers: 1/8
            im.load()
        except Exception:  # Pillow raises OSError, SyntaxError, ValueError … for bad data
            return False
    return heuristics.is_greyscale(im)


def greyscale_warning() -> Finding:
    """The warning for a picture without colour (the guide asks for 彩色照片)."""
    return findings.warning(
        "图片是黑白的，指南要求彩色照片",
        "the picture is greyscale; the guide asks for colour pictures",
        code="image.greyscale",
    )


def _has_transparency(im: Image.Image) -> bool:
    """Whether any pixel is not fully opaque (the picture must be decoded if it has alpha)."""
    if im.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        return bool(im.getchannel("A").getextrema()[0] != 255)
    if "transparency" in im.info:
        return bool(im.convert("RGBA").getchannel("A").getextrema()[0] != 255)
    return False


def _photo_heuristics(pic: Picture) -> list[Finding]:
    found: list[Finding] = []
    im = pic.upright()
    if _has_transparency(im):
        from PIL import Image

        flat = Image.new("RGB", im.size, (255, 255, 255))
        flat.paste(im.convert("RGBA"), mask=im.convert("RGBA").getchannel("A"))
        im = flat
    bg = heuristics.background(im)
    if not bg.is_white:
        r, g, b = bg.mean_rgb
        found.append(
            findings.warning(
                f"照片背景看起来不是白色（边缘平均颜色 RGB({r},{g},{b})，白色占 {bg.white_fraction:.0%}），"
                "指南要求白底证件照",
                f"the background does not look white (border average RGB({r}, {g}, {b}), "
                f"{bg.white_fraction:.0%} near-white); the guide asks for a white background",
                code="image.background",
            )
        )
    detail = heuristics.detail_score(im)
    if detail.blank:
        found.append(
            findings.warning(
                "照片几乎没有内容（接近纯色）",
                "the photo has almost no content (nearly a flat colour)",
                code="image.blank",
            )
        )
    elif detail.looks_upscaled:
        found.append(
            findings.warning(
                f"照片细节很少，像是从更小的图片放大而来或比较模糊（细节分 {detail.score:.2f}，正常照片高于 "
                f"{heuristics.UPSCALED_SCORE}）；指南禁止放大像素不足的照片：请使用原图",
                f"the photo carries little detail for its pixel count: it looks enlarged from a smaller "
                f"picture, or blurred (detail score {detail.score:.2f}; ordinary photos score above "
                f"{heuristics.UPSCALED_SCORE}); the guide forbids enlarging: use the original",
                code="image.upscaled",
            )
        )
    return found
