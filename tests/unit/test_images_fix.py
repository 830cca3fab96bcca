"""`fix_image` and `merge_images`: every fix path, every refusal; each output re-checks clean."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from autofill.errors import ImageError
from autofill.images import Kind, check_image, fix_image, merge_images
from tests.unit.test_images_drawing import (
    animated_gif,
    document,
    exif_bytes,
    heic_like,
    limits,
    noise,
    png_bomb,
    portrait,
    save,
)

PHOTO = limits("photo")
ATTACHMENT = limits("attachment")
CAP = (PHOTO.min_width * 2, PHOTO.min_height * 2)  # fix downscales large photos to 2× the minimum


def reopen(path: Path) -> Image.Image:
    im = Image.open(path)
    im.load()
    return im


def assert_clean_jpeg(path: Path, kind: str) -> Image.Image:
    """The output re-checks with no finding at all, is a plain RGB JPEG and carries no metadata."""
    assert (
        check_image(path, "photo" if kind == "photo" else "attachment", PHOTO if kind == "photo" else ATTACHMENT) == []
    )
    im = reopen(path)
    assert (im.format, im.mode) == ("JPEG", "RGB")
    assert not im.getexif() and "exif" not in im.info
    assert not {"icc_profile", "xmp", "comment"} & set(im.info)
    return im


def rgb(im: Image.Image, xy: tuple[int, int]) -> tuple[int, int, int]:
    pixel = im.getpixel(xy)
    assert isinstance(pixel, tuple)
    return (int(pixel[0]), int(pixel[1]), int(pixel[2]))


def no_leftovers(folder: Path, *expected: str) -> None:
    assert sorted(p.name for p in folder.iterdir()) == sorted(expected)


def test_png_photo_becomes_a_jpeg_at_the_same_pixels(tmp_path: Path) -> None:
    src = save(portrait((PHOTO.min_width * 2 - 10, (PHOTO.min_width * 2 - 10) * 7 // 5)), tmp_path / "in.png", "PNG")
    report = fix_image(src, tmp_path / "out.jpg", "photo", PHOTO)
    im = assert_clean_jpeg(tmp_path / "out.jpg", "photo")
    assert im.size == src_size(src)
    assert report.before[0].format == "PNG" and report.after.format == "JPEG"
    assert report.after.file_bytes == (tmp_path / "out.jpg").stat().st_size
    assert report.warnings == ()
    assert src.exists()  # the input is untouched


def src_size(path: Path) -> tuple[int, int]:
    with Image.open(path) as im:
        return im.size


def test_large_landscape_photo_is_centre_cropped_then_downscaled(tmp_path: Path) -> None:
    picture = Image.new("RGB", (3000, 2000), (255, 255, 255))
    picture.paste(portrait((1400, 1960)), (800, 20))  # the person stands in the middle
    src = save(picture, tmp_path / "wide.jpg")
    report = fix_image(src, tmp_path / "out.jpg", "photo", PHOTO)
    im = assert_clean_jpeg(tmp_path / "out.jpg", "photo")
    assert im.size == CAP
    crop = next(s for s in report.steps if "cropped" in s.en)
    assert "1428×2000" in crop.en and "(786, 0)" in crop.en  # centred: (3000 - 1428) / 2


def test_crop_option_picks_the_box(tmp_path: Path) -> None:
    picture = Image.new("RGB", (2000, 1400), (40, 40, 40))
    picture.paste(portrait((500, 700)), (100, 300))  # off centre, on a dark room
    src = save(picture, tmp_path / "room.jpg")
    fix_image(src, tmp_path / "out.jpg", "photo", PHOTO, crop=(100, 300, 500, 700))
    im = assert_clean_jpeg(tmp_path / "out.jpg", "photo")
    assert im.size == (500, 700)
    with pytest.raises(ImageError, match="2000×1400"):
        fix_image(src, tmp_path / "bad.jpg", "photo", PHOTO, crop=(1800, 0, 500, 700))
    no_leftovers(tmp_path, "room.jpg", "out.jpg")


def test_exif_rotated_photo_is_turned_upright_and_gps_is_removed(tmp_path: Path) -> None:
    upright = portrait((500, 700))
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # a camera held sideways stores it like this
    src = save(stored, tmp_path / "IMG.jpg", exif=exif_bytes(orientation=6, gps=True))
    assert {f.code for f in check_image(src, "photo", PHOTO)} == {"image.gps", "image.orientation"}
    report = fix_image(src, tmp_path / "out.jpg", "photo", PHOTO)
    im = assert_clean_jpeg(tmp_path / "out.jpg", "photo")
    assert im.size == (500, 700)
    # The pixels are the upright picture: white background at the top, the shoulders at the bottom.
    assert min(rgb(im, (250, 8))) > 240
    r, g, b = rgb(im, (250, 690))
    assert b > r + 30 and r + g + b < 250  # the dark blue jacket
    assert b"SyntheticCam" not in (tmp_path / "out.jpg").read_bytes()
    assert any("EXIF orientation" in s.en for s in report.steps)


def test_comments_and_xmp_are_not_carried_over(tmp_path: Path) -> None:
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>39,54N</exif:GPSLatitude></x:xmpmeta>'
    src = save(document(), tmp_path / "scan.jpg", comment=b"private note", xmp=xmp)
    assert [f.code for f in check_image(src, "attachment", ATTACHMENT)] == ["image.gps"]  # GPS in XMP
    fix_image(src, tmp_path / "out.jpg", "attachment", ATTACHMENT)
    assert_clean_jpeg(tmp_path / "out.jpg", "attachment")
    data = (tmp_path / "out.jpg").read_bytes()
    assert b"private note" not in data and b"xmpmeta" not in data


def test_rgba_attachment_is_flattened_on_white(tmp_path: Path) -> None:
    rgba = document().convert("RGBA")
    alpha = Image.new("L", rgba.size, 255)
    alpha.paste(0, (0, 0, 200, 200))  # a fully transparent corner
    rgba.putalpha(alpha)
    src = save(rgba, tmp_path / "scan.png", "PNG")
    report = fix_image(src, tmp_path / "out.jpg", "attachment", ATTACHMENT)
    im = assert_clean_jpeg(tmp_path / "out.jpg", "attachment")
    assert min(rgb(im, (50, 50))) >= 250
    assert any("transparency" in s.en for s in report.steps)


def test_palette_png_with_transparency_is_flattened(tmp_path: Path) -> None:
    pal = document().quantize(64)
    pal.info["transparency"] = pal.getpixel((0, 0))
    src = save(pal, tmp_path / "pal.png", "PNG", transparency=pal.getpixel((0, 0)))
    fix_image(src, tmp_path / "out.jpg", "attachment", ATTACHMENT)
    assert_clean_jpeg(tmp_path / "out.jpg", "attachment")


def test_cmyk_jpeg_is_converted_to_rgb(tmp_path: Path) -> None:
    src = save(document().convert("CMYK"), tmp_path / "cmyk.jpg", quality=75)
    report = fix_image(src, tmp_path / "out.jpg", "attachment", ATTACHMENT)
    im = assert_clean_jpeg(tmp_path / "out.jpg", "attachment")
    r, g, b = rgb(im, (im.width - 200, im.height - 180))
    assert report.before[0].mode == "CMYK"
    assert (r > 150 and g < 120 and b < 120) or min(r, g, b) > 200  # stamp red or paper, never inverted


def test_an_embedded_srgb_profile_is_dropped_and_the_colours_kept(tmp_path: Path) -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    original = document()
    src = save(original, tmp_path / "srgb.jpg", icc_profile=srgb)
    assert "icc_profile" in reopen(src).info
    fix_image(src, tmp_path / "out.jpg", "attachment", ATTACHMENT)
    out = assert_clean_jpeg(tmp_path / "out.jpg", "attachment")
    stamp = (original.width - 320, original.height - 180)  # on the red stamp's ring
    for got, want in zip(rgb(out, stamp), rgb(original, stamp), strict=True):
        assert abs(got - want) <= 40


def test_16_bit_greyscale_keeps_its_tones(tmp_path: Path) -> None:
    grey = document().convert("L")
    deep = grey.convert("I").point(lambda v: v * 257)  # the same tones in 16 bits
    src = save(deep.convert("I;16"), tmp_path / "deep.png", "PNG")
    assert reopen(src).mode.startswith("I")
    report = fix_image(src, tmp_path / "out.jpg", "attachment", ATTACHMENT)
    out = reopen(tmp_path / "out.jpg")
    # Dark and mid tones survive (a plain 16→8-bit conversion clips everything to white).
    border, paper = (12, 300), (400, 20)
    assert grey.getpixel(border) < 120 < grey.getpixel(paper)  # type: ignore[operator]
    for xy in (border, paper):
        assert abs(rgb(out, xy)[0] - rgb(grey.convert("RGB"), xy)[0]) <= 12
    # fix does not invent colour: the report warns that the picture is greyscale.
    assert [w.code for w in report.warnings] == ["image.greyscale"]


def test_webp_is_converted(tmp_path: Path) -> None:
    src = save(portrait((600, 840)), tmp_path / "photo.webp", "WEBP", quality=95)
    fix_image(src, tmp_path / "out.jpg", "photo", PHOTO)
    assert_clean_jpeg(tmp_path / "out.jpg", "photo")


def test_oversize_attachment_is_compressed_into_the_window(tmp_path: Path) -> None:
    src = save(noise((1600, 1200)), tmp_path / "noisy.jpg", quality=98)
    assert ATTACHMENT.max_bytes is not None and src.stat().st_size > ATTACHMENT.max_bytes * 4
    report = fix_image(src, tmp_path / "out.jpg", "attachment", ATTACHMENT)
    assert_clean_jpeg(tmp_path / "out.jpg", "attachment")
    assert ATTACHMENT.min_bytes < report.after.file_bytes <= ATTACHMENT.max_bytes
    assert any("downscaled" in s.en for s in report.steps)  # noise this heavy needs fewer pixels too
    assert max(report.after.width, report.after.height) >= 800


def test_moderate_attachment_keeps_its_pixels_and_lowers_the_quality(tmp_path: Path) -> None:
    src = save(document((1200, 900)), tmp_path / "big.jpg", quality=98)
    assert ATTACHMENT.max_bytes is not None and src.stat().st_size > ATTACHMENT.max_bytes
    report = fix_image(src, tmp_path / "out.jpg", "attachment", ATTACHMENT)
    assert_clean_jpeg(tmp_path / "out.jpg", "attachment")
    assert (report.after.width, report.after.height) == (1200, 900)
    assert 70 <= report.quality < 95


def test_undersize_photo_is_refused_never_enlarged(tmp_path: Path) -> None:
    src = save(portrait((PHOTO.min_width - 1, PHOTO.min_height)), tmp_path / "small.jpg")
    with pytest.raises(ImageError) as caught:
        fix_image(src, tmp_path / "out.jpg", "photo", PHOTO)
    message = caught.value.render()
    assert f"{PHOTO.min_width - 1}×{PHOTO.min_height}" in message and "not enlarged" in message
    assert "禁止" in message and message.startswith(str(src))
    no_leftovers(tmp_path, "small.jpg")


def test_a_narrow_photo_is_centre_cropped_to_the_aspect_without_enlarging(tmp_path: Path) -> None:
    wide = Image.new("RGB", (1200, PHOTO.min_height + 10), (255, 255, 255))
    wide.paste(portrait((PHOTO.min_width + 5, PHOTO.min_height + 10)), (450, 0))
    src = save(wide, tmp_path / "wide.jpg")
    report = fix_image(src, tmp_path / "ok.jpg", "photo", PHOTO)  # centre crop → 302×423: enough
    assert_clean_jpeg(tmp_path / "ok.jpg", "photo")
    assert (report.after.width, report.after.height) == (302, 423)


def test_the_aspect_and_minimum_come_from_the_pack(tmp_path: Path) -> None:
    # With a square aspect (a different pack), a 295×613 photo crops to 295×295: below the minimum.
    square = PHOTO.model_copy(update={"aspect": (1, 1)})
    src = save(portrait((PHOTO.min_width, PHOTO.min_height + 200)), tmp_path / "tall.jpg")
    with pytest.raises(ImageError, match="cropped to the 1:1 aspect"):
        fix_image(src, tmp_path / "no.jpg", "photo", square)
    bigger = PHOTO.model_copy(update={"min_width": 400, "min_height": 560, "aspect": (5, 7)})
    with pytest.raises(ImageError, match="400×560"):
        fix_image(save(portrait((390, 546)), tmp_path / "small.jpg"), tmp_path / "no.jpg", "photo", bigger)
    no_leftovers(tmp_path, "tall.jpg", "small.jpg")


def test_a_picture_too_plain_to_reach_the_minimum_is_refused(tmp_path: Path) -> None:
    src = save(Image.new("RGB", (300, 200), (250, 250, 250)), tmp_path / "plain.png", "PNG")
    with pytest.raises(ImageError, match="too little content"):
        fix_image(src, tmp_path / "out.jpg", "attachment", ATTACHMENT)
    no_leftovers(tmp_path, "plain.png")


def test_the_input_is_replaced_only_when_o_names_it(tmp_path: Path) -> None:
    src = save(portrait((600, 840)), tmp_path / "photo.jpg", exif=exif_bytes(gps=True))
    before = src.read_bytes()
    fix_image(src, tmp_path / "fixed.jpg", "photo", PHOTO)
    assert src.read_bytes() == before
    fix_image(src, src, "photo", PHOTO)
    assert src.read_bytes() != before
    assert_clean_jpeg(src, "photo")
    no_leftovers(tmp_path, "photo.jpg", "fixed.jpg")


def test_a_refused_fix_leaves_an_existing_output_untouched(tmp_path: Path) -> None:
    out = save(portrait((600, 840)), tmp_path / "out.jpg")
    before = out.read_bytes()
    src = save(portrait((100, 140)), tmp_path / "tiny.jpg")
    with pytest.raises(ImageError):
        fix_image(src, out, "photo", PHOTO)
    assert out.read_bytes() == before
    no_leftovers(tmp_path, "out.jpg", "tiny.jpg")


@pytest.mark.parametrize(
    ("name", "message"),
    [("out.png", "must end in .jpg, .jpeg"), ("missing/out.jpg", "folder does not exist"), ("adir.jpg", "is a folder")],
)
def test_bad_output_names_are_refused_before_any_work(tmp_path: Path, name: str, message: str) -> None:
    (tmp_path / "adir.jpg").mkdir()
    src = save(portrait((600, 840)), tmp_path / "in.jpg")
    with pytest.raises(ImageError, match=message):
        fix_image(src, tmp_path / name, "photo", PHOTO)


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda t: t / "none.jpg", "not found"),
        (lambda t: animated_gif(t / "anim.gif"), "animated"),
        (lambda t: heic_like(t / "IMG.heic"), "HEIC"),
        (lambda t: png_bomb(t / "bomb.png"), "decompression bomb"),
    ],
)
def test_bad_inputs_raise_image_error_and_write_nothing(tmp_path: Path, make: object, words: str) -> None:
    assert callable(make)
    src = make(tmp_path)
    with pytest.raises(ImageError, match=words) as caught:
        fix_image(src, tmp_path / "out.jpg", "attachment", ATTACHMENT)
    assert caught.value.file == str(src)
    assert not (tmp_path / "out.jpg").exists()


def test_merge_stacks_proofs_at_a_common_width_with_white_gaps(tmp_path: Path) -> None:
    a = save(document((1200, 900), seed=1), tmp_path / "a.jpg")
    b = save(document((800, 600), seed=2), tmp_path / "b.png", "PNG")
    c = save(document((1600, 1000), seed=3), tmp_path / "c.jpg", exif=exif_bytes(gps=True))
    report = merge_images([a, b, c], tmp_path / "merged.jpg", ATTACHMENT)
    im = assert_clean_jpeg(tmp_path / "merged.jpg", "attachment")
    assert len(report.before) == 3
    assert ATTACHMENT.max_bytes is not None and report.after.file_bytes <= ATTACHMENT.max_bytes
    # Common width = the widest (1600); narrower pictures are centred on white, never enlarged.
    scale = im.width / 1600
    assert abs(im.height - scale * (900 + 600 + 1000 + 2 * 32)) <= 4
    gap_row = round(scale * (900 + 16))
    assert all(min(rgb(im, (x, gap_row))) >= 245 for x in range(0, im.width, 37))
    # Left of the centred 1200- and 800-wide pictures: a white margin, not stretched pages.
    for band_y in (450, 900 + 32 + 300):
        assert min(rgb(im, (round(scale * 100), round(scale * band_y)))) >= 245


def test_merge_of_one_unreadable_picture_names_it(tmp_path: Path) -> None:
    good = save(document(), tmp_path / "good.jpg")
    (tmp_path / "bad.jpg").write_text("not a picture", encoding="utf-8")
    with pytest.raises(ImageError, match="text") as caught:
        merge_images([good, tmp_path / "bad.jpg"], tmp_path / "m.jpg", ATTACHMENT)
    assert caught.value.file == str(tmp_path / "bad.jpg")
    assert not (tmp_path / "m.jpg").exists()


@pytest.mark.parametrize(
    ("kind", "picture", "grey"),
    [
        ("attachment", lambda: document().convert("L").convert("RGB"), True),  # a black-and-white scan, RGB
        ("attachment", lambda: document().convert("L"), True),
        ("attachment", document, False),
        ("photo", lambda: portrait((600, 840)).convert("L").convert("RGB"), True),
        ("photo", lambda: portrait((600, 840)), False),
    ],
)
def test_fix_warns_exactly_what_a_check_of_its_output_finds(
    tmp_path: Path, kind: Kind, picture: Callable[[], Image.Image], grey: bool
) -> None:
    """`image fix` and `image check` of the written file give the same answer (the greyscale warning
    included): the fix report's warnings are the re-check's."""
    slot = ATTACHMENT if kind == "attachment" else PHOTO
    src = save(picture(), tmp_path / "in.jpg")
    report = fix_image(src, tmp_path / "out.jpg", kind, slot)
    found = check_image(tmp_path / "out.jpg", kind, slot)
    assert list(report.warnings) == found
    assert ("image.greyscale" in [w.code for w in found]) is grey


def test_merge_warns_exactly_what_a_check_of_its_output_finds(tmp_path: Path) -> None:
    scans = [save(document(seed=s).convert("L").convert("RGB"), tmp_path / f"{s}.jpg") for s in (1, 2)]
    report = merge_images(scans, tmp_path / "grey.jpg", ATTACHMENT)
    assert [w.code for w in report.warnings] == ["image.greyscale"]
    assert list(report.warnings) == check_image(tmp_path / "grey.jpg", "attachment", ATTACHMENT)
    mixed = [*scans, save(document(seed=3), tmp_path / "3.jpg")]
    report = merge_images(mixed, tmp_path / "mixed.jpg", ATTACHMENT)
    assert list(report.warnings) == check_image(tmp_path / "mixed.jpg", "attachment", ATTACHMENT) == []
