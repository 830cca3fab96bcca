"""`check_image`: every upload rule of section 6 and every kind of bad file, as findings.

Pictures are drawn at run time (tests/unit/test_images_drawing.py). Limits come from the pack.
"""

from __future__ import annotations

import os
import pathlib
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from autofill.findings import Finding, Severity
from autofill.images import check_image, inspect
from tests.unit.test_images_drawing import (
    animated_gif,
    document,
    exif_bytes,
    heic_like,
    limits,
    padded_jpeg,
    png_bomb,
    portrait,
    save,
)

PHOTO = limits("photo")
ATTACHMENT = limits("attachment")


def codes(found: list[Finding], severity: Severity | None = None) -> list[str]:
    return [f.code for f in found if severity is None or f.severity is severity]


def test_a_good_photo_and_a_good_attachment_check_clean(tmp_path: Path) -> None:
    photo = save(portrait((600, 840)), tmp_path / "photo.jpg")
    proof = save(document(), tmp_path / "proof.png", "PNG")
    assert check_image(photo, "photo", PHOTO) == []
    assert check_image(proof, "attachment", ATTACHMENT) == []


def test_findings_are_bilingual_and_unplaced(tmp_path: Path) -> None:
    small = save(portrait((200, 280)), tmp_path / "small.jpg")
    [finding] = check_image(small, "photo", PHOTO)
    assert finding.code == "image.pixels" and finding.is_error
    assert "200×280" in finding.message_zh and "200×280" in finding.message_en
    assert f"{PHOTO.min_width}×{PHOTO.min_height}" in finding.message_en
    assert "放大" in finding.message_zh  # the guide forbids enlarging: the message says so
    assert (finding.path, finding.file, finding.line) == ("", None, None)


def test_the_format_is_read_from_the_content_not_the_name(tmp_path: Path) -> None:
    png_named_jpg = save(portrait((600, 840)), tmp_path / "photo.jpg", "PNG")
    found = check_image(png_named_jpg, "photo", PHOTO)
    assert codes(found, Severity.ERROR) == ["image.format"]
    assert "PNG" in found[0].message_en and "JPEG" in found[0].message_en
    # PNG is accepted for attachments, but a .jpg name on PNG content is flagged.
    proof = save(document(), tmp_path / "proof.jpg", "PNG")
    assert codes(check_image(proof, "attachment", ATTACHMENT)) == ["image.extension_mismatch"]


def test_an_extension_the_site_does_not_accept_is_an_error(tmp_path: Path) -> None:
    jfif = save(portrait((600, 840)), tmp_path / "photo.jfif")
    assert codes(check_image(jfif, "photo", PHOTO)) == ["image.extension"]
    no_suffix = save(document(), tmp_path / "proof")
    assert codes(check_image(no_suffix, "attachment", ATTACHMENT)) == ["image.extension"]


def test_webp_and_gif_are_refused_for_the_photo(tmp_path: Path) -> None:
    webp = save(portrait((600, 840)), tmp_path / "photo.jpg", "WEBP", quality=90)
    found = check_image(webp, "photo", PHOTO)
    assert codes(found, Severity.ERROR) == ["image.format"]
    assert "WEBP" in found[0].message_en and "autofill image fix" in found[0].message_en
    gif = save(portrait((600, 840)).convert("P"), tmp_path / "proof.gif", "GIF")
    assert set(codes(check_image(gif, "attachment", ATTACHMENT), Severity.ERROR)) == {
        "image.format",
        "image.extension",
    }


def test_photo_byte_minimum_is_inclusive(tmp_path: Path) -> None:
    at_minimum = padded_jpeg(tmp_path / "at.jpg", PHOTO.min_bytes)
    below = padded_jpeg(tmp_path / "below.jpg", PHOTO.min_bytes - 1)
    assert "image.bytes_small" not in codes(check_image(at_minimum, "photo", PHOTO))
    found = check_image(below, "photo", PHOTO)
    assert "image.bytes_small" in codes(found, Severity.ERROR)


def test_attachment_byte_window_is_exclusive_below_and_inclusive_above(tmp_path: Path) -> None:
    assert ATTACHMENT.max_bytes is not None and not ATTACHMENT.min_bytes_inclusive
    cases = {
        ATTACHMENT.min_bytes: ["image.bytes_small"],
        ATTACHMENT.min_bytes + 1: [],
        ATTACHMENT.max_bytes: [],
        ATTACHMENT.max_bytes + 1: ["image.bytes_large"],
    }
    for n, expected in cases.items():
        path = padded_jpeg(tmp_path / f"proof-{n}.jpg", n)
        found = check_image(path, "attachment", ATTACHMENT)
        assert codes(found, Severity.ERROR) == expected, n
    found = check_image(padded_jpeg(tmp_path / "big.jpg", ATTACHMENT.max_bytes + 1), "attachment", ATTACHMENT)
    assert "500 KB" in found[0].message_zh


def test_photo_pixels_are_checked_upright_and_aspect_is_a_warning(tmp_path: Path) -> None:
    # Stored 840×600 but shown 600×840 by its EXIF orientation: the upright size is what counts.
    rotated = portrait((600, 840)).transpose(Image.Transpose.ROTATE_90)
    path = save(rotated, tmp_path / "rotated.jpg", exif=exif_bytes(orientation=6))
    result = inspect(path, "photo", PHOTO)
    assert result.summary is not None and (result.summary.width, result.summary.height) == (600, 840)
    assert codes(result.findings) == ["image.orientation"]
    landscape = save(portrait((840, 600)), tmp_path / "wide.jpg")
    assert "image.aspect" in codes(check_image(landscape, "photo", PHOTO), Severity.WARNING)
    too_narrow = save(portrait((PHOTO.min_width - 1, PHOTO.min_height + 100)), tmp_path / "narrow.jpg")
    assert "image.pixels" in codes(check_image(too_narrow, "photo", PHOTO), Severity.ERROR)


def test_gps_location_is_an_error_and_says_fix_removes_it(tmp_path: Path) -> None:
    path = save(document(), tmp_path / "proof.jpg", exif=exif_bytes(gps=True))
    found = check_image(path, "attachment", ATTACHMENT)
    assert codes(found) == ["image.gps"]
    assert "GPS" in found[0].message_zh and "autofill image fix" in found[0].message_en


def test_colour_problems_are_warnings(tmp_path: Path) -> None:
    cmyk = save(document().convert("CMYK"), tmp_path / "cmyk.jpg", quality=75)
    assert codes(check_image(cmyk, "attachment", ATTACHMENT)) == ["image.cmyk"]
    rgba = document().convert("RGBA")
    rgba.putalpha(Image.new("L", rgba.size, 128))
    clear = save(rgba, tmp_path / "clear.png", "PNG")
    assert codes(check_image(clear, "attachment", ATTACHMENT)) == ["image.transparency"]
    grey = save(document().convert("L"), tmp_path / "grey.jpg")
    assert codes(check_image(grey, "attachment", ATTACHMENT)) == ["image.greyscale"]
    opaque = save(document().convert("RGBA"), tmp_path / "opaque.png", "PNG")
    assert check_image(opaque, "attachment", ATTACHMENT) == []


def test_a_black_and_white_scan_stored_as_rgb_is_greyscale_for_an_attachment(tmp_path: Path) -> None:
    """The greyscale test looks at the pixels, not at the colour mode: an RGB JPEG or PNG without colour
    (a black-and-white scan, or the output of `image fix`) warns as an L-mode one does."""
    scan = document().convert("L").convert("RGB")
    for path in (save(scan, tmp_path / "scan.jpg"), save(scan, tmp_path / "scan.png", "PNG")):
        assert codes(check_image(path, "attachment", ATTACHMENT), Severity.WARNING) == ["image.greyscale"], path
    colour = save(document(), tmp_path / "colour.jpg")
    assert check_image(colour, "attachment", ATTACHMENT) == []


def test_attachments_are_checked_for_completeness_without_decoding(tmp_path: Path) -> None:
    # An end marker inside a segment before the image data (a comment, an EXIF thumbnail) does not count.
    whole = save(document(), tmp_path / "whole.jpg", exif=exif_bytes(orientation=1), comment=b"\xff\xd9 in a comment")
    data = whole.read_bytes()
    assert data.find(b"\xff\xd9") < len(data) // 10
    # Cut inside the image data, and cut just before the end marker: both are incomplete files.
    for name, cut in (("half.jpg", data[: len(data) // 2]), ("no-end.jpg", data[:-2])):
        (tmp_path / name).write_bytes(cut)
        assert codes(check_image(tmp_path / name, "attachment", ATTACHMENT)) == ["image.damaged"], name
    # Bytes after the end marker (some phones append data) are not damage.
    (tmp_path / "tail.jpg").write_bytes(data + b"trailing data")
    assert check_image(tmp_path / "tail.jpg", "attachment", ATTACHMENT) == []
    png = save(document(), tmp_path / "proof.png", "PNG").read_bytes()
    broken = bytearray(png)
    broken[len(png) // 2] ^= 0xFF  # one flipped byte: the chunk checksum fails
    (tmp_path / "flipped.png").write_bytes(bytes(broken))
    assert codes(check_image(tmp_path / "flipped.png", "attachment", ATTACHMENT)) == ["image.damaged"]
    (tmp_path / "cut.png").write_bytes(png[:-12])  # no end chunk
    assert codes(check_image(tmp_path / "cut.png", "attachment", ATTACHMENT)) == ["image.damaged"]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = save(portrait((200, 280), background=(67, 142, 219)), tmp_path / "bad.webp", "WEBP", quality=20)
    found = codes(check_image(path, "photo", PHOTO))
    assert {"image.format", "image.extension", "image.bytes_small", "image.pixels"} <= set(found)


# --- bad files: each is one clear error finding, never an exception -------------------------------


def _truncated(tmp: Path) -> Path:
    whole = save(portrait((600, 840)), tmp / "whole.jpg")
    data = whole.read_bytes()
    (tmp / "cut.jpg").write_bytes(data[: len(data) * 2 // 3])
    return tmp / "cut.jpg"


def _empty(tmp: Path) -> Path:
    (tmp / "empty.jpg").write_bytes(b"")
    return tmp / "empty.jpg"


def _text(tmp: Path) -> Path:
    (tmp / "notes.jpg").write_text("这不是图片 — not a picture\n", encoding="utf-8")
    return tmp / "notes.jpg"


def _pdf(tmp: Path) -> Path:
    (tmp / "report.jpg").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    return tmp / "report.jpg"


def _folder(tmp: Path) -> Path:
    (tmp / "photos.jpg").mkdir()
    return tmp / "photos.jpg"


BAD_FILES: dict[str, tuple[Callable[[Path], Path], str, str]] = {
    "truncated JPEG": (_truncated, "image.damaged", "truncated"),
    "zero-byte file": (_empty, "image.empty", "empty"),
    "text named .jpg": (_text, "image.text", "text, not a picture"),
    "PDF named .jpg": (_pdf, "image.pdf", "PDF"),
    "animated GIF": (lambda t: animated_gif(t / "moving.gif"), "image.animated", "3 frames"),
    "HEIC": (lambda t: heic_like(t / "IMG_0001.jpg"), "image.heic", "Most Compatible"),
    "decompression bomb": (lambda t: png_bomb(t / "bomb.png"), "image.bomb", "decompression bomb"),
    "directory": (_folder, "image.directory", "folder"),
    "missing path": (lambda t: t / "nowhere.jpg", "image.missing", "not found"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
@pytest.mark.parametrize("kind", ["photo", "attachment"])
def test_bad_files_are_one_clear_error(tmp_path: Path, case: str, kind: str) -> None:
    make, code, words = BAD_FILES[case]
    path = make(tmp_path)
    result = inspect(path, "photo" if kind == "photo" else "attachment", PHOTO if kind == "photo" else ATTACHMENT)
    assert result.summary is None
    [finding] = result.findings
    assert finding.is_error and finding.code == code
    assert words in finding.message_en
    assert finding.message_zh and not finding.message_zh.isascii()


def test_pillow_bomb_limit_between_one_and_two_times_is_refused_too(tmp_path: Path) -> None:
    # Pillow only warns between 1× and 2× its limit; that picture must still not be decoded.
    limit = Image.MAX_IMAGE_PIXELS
    assert limit is not None
    side = int((limit * 1.5) ** 0.5)
    [finding] = check_image(png_bomb(tmp_path / "warn.png", side, side), "attachment", ATTACHMENT)
    assert finding.code == "image.bomb"


def test_unreadable_file_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = save(portrait((600, 840)), tmp_path / "locked.jpg")
    path.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make the read itself fail as it would for a user
        real = pathlib.Path.read_bytes

        def denied(self: Path) -> bytes:
            if self == path:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(pathlib.Path, "read_bytes", denied)
    [finding] = check_image(path, "photo", PHOTO)
    assert finding.code == "image.permission"
    assert "permission" in finding.message_en


def test_a_multi_picture_jpeg_counts_as_jpeg(tmp_path: Path) -> None:
    # Many phones save MPO: a JPEG with a second picture appended. Browsers and the site see a JPEG.
    first, second = portrait((600, 840)), portrait((600, 840), seed=5)
    path = tmp_path / "phone.jpg"
    first.save(path, "MPO", save_all=True, append_images=[second], quality=92)
    with Image.open(path) as im:
        assert im.format == "MPO"
    assert check_image(path, "photo", PHOTO) == []


def test_an_unchanged_file_is_answered_from_memory_and_a_changed_one_is_checked_again(tmp_path: Path) -> None:
    path = save(portrait((600, 840)), tmp_path / "photo.jpg")
    first = check_image(path, "photo", PHOTO)
    assert first == [] and check_image(path, "photo", PHOTO) == []
    first.append(Finding(Severity.ERROR, "x", "x"))  # the caller's list is its own
    assert check_image(path, "photo", PHOTO) == []
    save(portrait((600, 840), background=(67, 142, 219)), path)  # replaced in place, another size
    assert codes(check_image(path, "photo", PHOTO)) == ["image.background"]
    assert codes(check_image(path, "attachment", ATTACHMENT)) == []  # the kind is part of the key
