"""The photo heuristics: white background and enlarged (or blurred) photos. Warnings, never errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image, ImageFilter

from autofill.findings import Severity
from autofill.images import check_image
from tests.unit.test_images_drawing import ID_BLUE, enlarged, limits, portrait, save

PHOTO = limits("photo")


@pytest.mark.parametrize("size", [(PHOTO.min_width, PHOTO.min_height), (600, 840), (1200, 1680)])
def test_a_natively_drawn_photo_is_not_flagged_but_the_same_enlarged_2x_is(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    native = portrait(size)
    assert check_image(save(native, tmp_path / "native.jpg"), "photo", PHOTO) == []
    found = check_image(save(enlarged(native), tmp_path / "enlarged.jpg"), "photo", PHOTO)
    assert [f.code for f in found] == ["image.upscaled"]
    assert found[0].severity is Severity.WARNING
    assert "enlarged" in found[0].message_en and "放大" in found[0].message_zh


def test_an_enlargement_by_3_and_a_blurred_photo_are_flagged_too(tmp_path: Path) -> None:
    native = portrait((600, 840))
    by_three = save(enlarged(native, 3), tmp_path / "x3.jpg")
    blurred = save(native.filter(ImageFilter.GaussianBlur(2)), tmp_path / "blurred.jpg")
    assert [f.code for f in check_image(by_three, "photo", PHOTO)] == ["image.upscaled"]
    assert [f.code for f in check_image(blurred, "photo", PHOTO)] == ["image.upscaled"]


def test_a_big_photo_is_judged_at_a_reduced_decode_without_losing_the_enlargement(tmp_path: Path) -> None:
    # 2400×3360 from a 600×840 original: the check decodes at 1/2 scale and still sees it.
    small = portrait((600, 840))
    blown_up = small.resize((2400, 3360), Image.Resampling.BICUBIC)
    found = check_image(save(blown_up, tmp_path / "blown.jpg"), "photo", PHOTO)
    assert [f.code for f in found] == ["image.upscaled"]
    assert check_image(save(portrait((2400, 3360)), tmp_path / "sharp.jpg"), "photo", PHOTO) == []


def test_a_blue_background_is_a_warning_naming_the_colour(tmp_path: Path) -> None:
    found = check_image(save(portrait((600, 840), background=ID_BLUE), tmp_path / "blue.jpg"), "photo", PHOTO)
    assert [f.code for f in found] == ["image.background"]
    assert found[0].severity is Severity.WARNING
    match = re.search(r"RGB\((\d+), (\d+), (\d+)\)", found[0].message_en)
    assert match is not None
    assert all(abs(int(got) - want) <= 3 for got, want in zip(match.groups(), ID_BLUE, strict=True))
    off_white = save(portrait((600, 840), background=(238, 238, 232)), tmp_path / "off-white.jpg")
    assert check_image(off_white, "photo", PHOTO) == []


def test_a_blank_photo_is_a_warning(tmp_path: Path) -> None:
    blank = Image.new("RGB", (600, 840), (255, 255, 255))
    blank.putpixel((300, 400), (0, 0, 0))
    found = check_image(save(blank, tmp_path / "blank.jpg", quality=100, subsampling=0), "photo", PHOTO)
    assert "image.blank" in [f.code for f in found]
    assert all(f.severity is Severity.WARNING for f in found if f.code == "image.blank")


def test_attachments_get_no_photo_heuristics(tmp_path: Path) -> None:
    proof = save(enlarged(portrait((800, 1120), background=ID_BLUE)), tmp_path / "proof.jpg")
    assert check_image(proof, "attachment", limits("attachment")) == []


def test_a_palette_picture_is_greyscale_by_the_entries_it_uses() -> None:
    """Palette pictures are judged on the palette entries in use, as their RGB pixels would be."""
    from autofill.images.heuristics import is_greyscale

    grey = portrait((300, 420)).convert("L").convert("RGB").quantize(64)
    colour = portrait((300, 420)).quantize(64)
    assert is_greyscale(grey) and is_greyscale(grey.convert("RGB"))
    assert not is_greyscale(colour) and not is_greyscale(colour.convert("RGB"))
    # a grey picture under a palette that also holds (unused) colours is still grey
    web = Image.new("P", (40, 40), 0)
    web.putpalette([0, 0, 0, 255, 0, 0, 128, 128, 128] + [0] * (3 * 253))
    web.paste(2, (0, 0, 20, 40))
    assert is_greyscale(web)
    web.putpixel((30, 30), 1)
    assert not is_greyscale(web)
