"""Reading a picture file. Every way a file can fail to be a usable picture becomes one clear problem.

The real format is read from the content (a PNG named `.jpg` is a PNG). Pillow is imported inside the
functions: `autofill check` imports this module at start-up.
"""

from __future__ import annotations

import io
import re
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from autofill import findings
from autofill.errors import ImageError
from autofill.findings import Finding

if TYPE_CHECKING:
    from PIL import Image

# Tool policy, not a site rule: no picture meant for a 500 KB upload slot is this big. Refusing before
# reading keeps a mistaken path (a video, a disk image) from being read into memory.
MAX_FILE_BYTES = 200 * 1024 * 1024

# EXIF tags.
_ORIENTATION = 0x0112
_GPS_IFD = 0x8825

ALPHA_MODES = ("RGBA", "LA", "PA", "RGBa", "La")  # Pillow modes with an alpha channel
GREY_MODES = ("1", "L", "LA", "La", "I", "I;16", "I;16B", "I;16L", "I;16N", "F")  # modes without colour

# ISO-BMFF brands of HEIF pictures (iPhone photos), which this Pillow cannot decode.
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}


class Unreadable(Exception):
    """A file that is not a usable picture: a short code and the reason in Chinese and English."""

    def __init__(self, code: str, zh: str, en: str) -> None:
        self.code = code
        self.zh = zh
        self.en = en
        super().__init__(f"{zh} ({en})")

    def finding(self) -> Finding:
        """The problem as an error finding (for `check`)."""
        return findings.error(self.zh, self.en, code=f"image.{self.code}")

    def error(self, path: Path) -> ImageError:
        """The problem as an ImageError naming the file (for `fix` and `merge`)."""
        return ImageError(f"{self.zh} ({self.en})", file=path)


@dataclass(frozen=True)
class Picture:
    """A decoded picture and what its file says about itself."""

    path: Path
    file_bytes: int
    format: str  # from the content, as Pillow names it; an MPO (multi-picture JPEG) counts as JPEG
    stored_size: tuple[int, int]  # pixels as stored, before EXIF orientation (and before any draft)
    mode: str  # as stored: RGB, CMYK, P, RGBA, I;16 …
    orientation: int  # EXIF orientation, 1 when none
    has_gps: bool
    image: Image.Image  # decoded (possibly reduced by a JPEG draft), or only opened: see `decoded`
    decoded: bool = True

    @property
    def size(self) -> tuple[int, int]:
        """Pixels as shown: width and height after EXIF orientation."""
        w, h = self.stored_size
        return (h, w) if self.orientation in (5, 6, 7, 8) else (w, h)

    def summary(self) -> Summary:
        """The file as stored: format, shown pixel size, colour mode, bytes."""
        return Summary(self.path, self.format, *self.size, self.mode, self.file_bytes)

    def upright(self) -> Image.Image:
        """The decoded picture turned the way the EXIF orientation says it is shown."""
        return upright(self.image, self.orientation)


def upright(im: Image.Image, orientation: int) -> Image.Image:
    """Apply an EXIF orientation (1–8) to the pixels, as a viewer shows them."""
    from PIL import Image

    method = {
        2: Image.Transpose.FLIP_LEFT_RIGHT,
        3: Image.Transpose.ROTATE_180,
        4: Image.Transpose.FLIP_TOP_BOTTOM,
        5: Image.Transpose.TRANSPOSE,
        6: Image.Transpose.ROTATE_270,
        7: Image.Transpose.TRANSVERSE,
        8: Image.Transpose.ROTATE_90,
    }.get(orientation)
    return im.transpose(method) if method is not None else im


@dataclass(frozen=True)
class Summary:
    """What `check` and `fix` print about a file: format, pixels, colour mode, size."""

    path: Path
    format: str
    width: int
    height: int
    mode: str
    file_bytes: int

    def describe(self) -> str:
        """`JPEG 590×826 RGB, 85.2 KB`."""
        return f"{self.format} {self.width}×{self.height} {self.mode}, {format_kb(self.file_bytes)}"


def format_kb(n: int) -> str:
    """Bytes as the site counts them: `10 KB`, `19.8 KB` (1 KB = 1024 bytes)."""
    value = n / 1024
    return f"{value:.0f} KB" if n % 1024 == 0 else f"{value:.1f} KB"


def read_picture(path: Path, *, draft: tuple[int, int] | None = None, pixels: bool = True) -> Picture:
    """Open and decode `path`, or raise Unreadable with the reason.

    `draft` lets a JPEG decode at a reduced scale (1/2 … 1/8) that still covers that many pixels:
    the whole file is still decoded (a truncated file is still caught) but much faster. The
    picture's real pixel size is `stored_size`/`size`, whatever the draft.

    `pixels=False` skips decoding a JPEG or an opaque PNG and checks that the file is complete from
    its structure instead (a JPEG's end marker after its image data; a PNG's chunk checksums and end
    chunk): about ten times faster, for checks that need no pixels. `Picture.decoded` says which.
    """
    data = _read_bytes(path)
    from PIL import Image, UnidentifiedImageError

    with warnings.catch_warnings():
        # Above Pillow's pixel limit a picture is a suspected decompression bomb: refuse it before
        # any pixel is decoded (Pillow only warns between 1× and 2× the limit).
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            im = Image.open(io.BytesIO(data))
            stored_size = im.size
            fmt = "JPEG" if im.format == "MPO" else str(im.format)
            frames = getattr(im, "n_frames", 1)
            if frames > 1 and im.format != "MPO":
                raise _animated(fmt, frames)
            mode = im.mode
            decoded = pixels or not _structure_is_enough(im, fmt)
            if decoded:
                if draft is not None and fmt == "JPEG":
                    im.draft(None, draft)
                im.load()
                exif = im.getexif()
            else:
                _check_structure(fmt, data)
                # A PNG's EXIF after its image data would need a decode; phones do not write that.
                exif = im.getexif() if fmt == "JPEG" or "exif" in im.info else Image.Exif()
        except Unreadable:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _bomb(exc) from None
        except UnidentifiedImageError:
            raise _not_a_picture(data) from None
        except MemoryError:
            raise Unreadable(
                "memory", "图片太大，内存不足以解码", "the picture is too large to decode in the memory available"
            ) from None
        except Exception as exc:  # Pillow raises OSError, SyntaxError, ValueError, EOFError … for bad data
            raise _damaged(exc) from None
    orientation = exif.get(_ORIENTATION, 1)
    return Picture(
        path=path,
        file_bytes=len(data),
        format=fmt,
        stored_size=stored_size,
        mode=mode,
        orientation=orientation if isinstance(orientation, int) and 1 <= orientation <= 8 else 1,
        has_gps=_has_gps(exif, im.info),
        image=im,
        decoded=decoded,
    )


def _structure_is_enough(im: Image.Image, fmt: str) -> bool:
    """Whether the file's completeness can be checked without decoding: JPEG, and PNG without alpha."""
    if fmt == "JPEG":
        return True
    return fmt == "PNG" and im.mode not in ALPHA_MODES and "transparency" not in im.info


def _check_structure(fmt: str, data: bytes) -> None:
    """Raise when a JPEG or PNG file is incomplete or its checksums fail."""
    if fmt == "JPEG":
        if not _jpeg_complete(data):
            raise OSError("image file is truncated: no end-of-image marker after the image data")
        return
    from PIL import Image

    with Image.open(io.BytesIO(data)) as probe:
        probe.verify()  # every chunk's CRC, up to IEND


def _jpeg_complete(data: bytes) -> bool:
    """True when an end-of-image marker follows the first scan (entropy-coded data never holds FFD9)."""
    i, n = 2, len(data)
    while i + 4 <= n:
        if data[i] != 0xFF:
            return False
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
        elif marker == 0xDA:  # start of scan: the image data follows
            return data.find(b"\xff\xd9", i) != -1
        elif 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            i += 2
        else:  # a segment (APPn, DQT, SOFn …): skip it, thumbnails in EXIF included
            i += 2 + int.from_bytes(data[i + 2 : i + 4], "big")
    return False


def _read_bytes(path: Path) -> bytes:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise Unreadable("missing", "文件不存在", "file not found") from None
    except PermissionError:
        raise _no_permission() from None
    except OSError as exc:
        raise _os_error(exc) from None
    if stat.S_ISDIR(st.st_mode):
        raise Unreadable("directory", "这是一个文件夹，不是图片文件", "this is a folder, not a picture file")
    if not stat.S_ISREG(st.st_mode):
        raise Unreadable("not_file", "这不是普通文件", "this is not a regular file")
    if st.st_size == 0:
        raise _empty()
    if st.st_size > MAX_FILE_BYTES:
        mb = st.st_size / 1024 / 1024
        raise Unreadable(
            "huge_file",
            f"文件有 {mb:.0f} MB，远超任何上传图片的大小，不像是图片",
            f"the file is {mb:.0f} MB, far beyond any picture meant for upload",
        )
    try:
        data = path.read_bytes()
    except PermissionError:
        raise _no_permission() from None
    except OSError as exc:
        raise _os_error(exc) from None
    if not data:
        raise _empty()
    return data


def _no_permission() -> Unreadable:
    return Unreadable(
        "permission",
        "没有读取该文件的权限：请检查文件权限",
        "no permission to read the file: check its permissions",
    )


def _os_error(exc: OSError) -> Unreadable:
    reason = exc.strerror or type(exc).__name__
    return Unreadable("unreadable", f"无法读取文件：{reason}", f"cannot read the file: {reason}")


def _empty() -> Unreadable:
    return Unreadable("empty", "文件是空的（0 字节）", "the file is empty (0 bytes)")


def _animated(fmt: str, frames: int) -> Unreadable:
    return Unreadable(
        "animated",
        f"这是有 {frames} 帧的 {fmt} 动图或多页图片，网站只接受单张静态图片：请把需要的那一帧另存为 JPG",
        f"an animated or multi-page {fmt} with {frames} frames; the site takes one still picture: "
        "save the frame you need as JPG",
    )


def _bomb(exc: Exception) -> Unreadable:
    from PIL import Image

    limit = Image.MAX_IMAGE_PIXELS or 0
    claimed = re.search(r"\((\d+) pixels\)", str(exc))  # Pillow: "Image size (N pixels) exceeds …"
    zh_count = f" {claimed[1]} 像素" if claimed else "过多像素"
    en_count = f"{claimed[1]} pixels" if claimed else "more pixels"
    return Unreadable(
        "bomb",
        f"图片声明有{zh_count}，超过安全上限 {limit} 像素，可能是“解压炸弹”，已拒绝解码：请先用看图软件缩小",
        f"the picture claims {en_count}, above the safety limit of {limit} (a possible decompression "
        "bomb), so it was not decoded: shrink it in an image editor first",
    )


def _damaged(exc: Exception) -> Unreadable:
    detail = str(exc).strip() or type(exc).__name__
    return Unreadable(
        "damaged",
        "图片已损坏或不完整（可能没有下载或复制完），无法解码：请重新导出或重新拍摄",
        f"the picture is damaged or truncated (perhaps not fully downloaded or copied) and cannot be "
        f"decoded: export or take it again ({detail})",
    )


def _not_a_picture(data: bytes) -> Unreadable:
    head = data[:32]
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return Unreadable(
            "heic",
            "这是 HEIC/HEIF 格式（苹果手机默认的照片格式），本工具无法转换：请在手机上导出为 JPG"
            "（iPhone：设置 > 相机 > 格式 > 兼容性最佳，或发送到电脑时选择 JPEG），再运行 autofill image fix",
            "the content is HEIC/HEIF (the iPhone's default), which cannot be converted here: export it as "
            "JPG (iPhone: Settings > Camera > Formats > Most Compatible, or share it as JPEG), then run "
            "`autofill image fix`",
        )
    if head[4:8] == b"ftyp" and head[8:12] in _AVIF_BRANDS:
        return Unreadable(
            "avif",
            "这是 AVIF 格式，本工具无法读取：请用看图软件另存为 JPG",
            "the content is AVIF, which cannot be read here: save it as JPG in an image viewer",
        )
    if head.startswith(b"%PDF"):
        return Unreadable(
            "pdf",
            "这是 PDF 文件，不是图片：请把需要的页面截图或导出为 JPG/PNG",
            "this is a PDF, not a picture: take a screenshot of the page or export it as JPG/PNG",
        )
    if _looks_like_text(data):
        return Unreadable(
            "text",
            "文件内容是文本，不是图片（只是文件名像图片）",
            "the content is text, not a picture (only the name looks like one)",
        )
    return Unreadable(
        "not_image",
        "文件内容不是可识别的图片格式（文件名不能决定格式）：请用看图软件另存为 JPG",
        "the content is not a picture format that can be read (the name does not make it one): "
        "save it as JPG in an image viewer",
    )


def _looks_like_text(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        return exc.start >= len(sample) - 3
    return True


def _has_gps(exif: Image.Exif, info: dict[str | tuple[int, int], object]) -> bool:
    if _GPS_IFD in exif:
        try:
            if exif.get_ifd(_GPS_IFD):
                return True
        except Exception:  # a malformed GPS block still means location data is there
            return True
    xmp = info.get("xmp") or info.get("XML:com.adobe.xmp")
    if isinstance(xmp, str):
        xmp = xmp.encode("utf-8", "replace")
    return isinstance(xmp, bytes) and b"GPSLatitude" in xmp
