"""`autofill image check|fix|merge` through the real command line (in-process), every exit path."""

from __future__ import annotations

import json
import os
import pathlib
import re
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from autofill.cli import app
from autofill.images.read import format_kb
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

runner = CliRunner()
PHOTO = limits("photo")


def run(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


def test_check_clean_files_exits_0_and_prints_what_each_file_is(tmp_path: Path) -> None:
    a = save(portrait((600, 840)), tmp_path / "a.jpg")
    code, out = run("image", "check", a, "--kind", "photo")
    assert code == 0
    assert f"{a}: JPEG 600×840 RGB" in out and "合格 (ok)" in out
    assert "1 file(s), 0 error(s), 0 warning(s)" in out


def test_check_reports_every_problem_of_every_file_and_exits_1(tmp_path: Path) -> None:
    good = save(document(), tmp_path / "good.jpg")
    png = save(portrait((200, 280)), tmp_path / "small.jpg", "PNG")
    code, out = run("image", "check", good, png, tmp_path / "gone.jpg", "--kind", "photo")
    assert code == 1
    assert f"{png}: 图片实际格式是 PNG" in out
    assert f"{png}: 像素只有 200×280" in out
    assert f"{tmp_path / 'gone.jpg'}: 文件不存在 (file not found)" in out
    assert "3 file(s), " in out


def test_check_with_only_warnings_exits_0(tmp_path: Path) -> None:
    blue = save(portrait((600, 840), background=(67, 142, 219)), tmp_path / "blue.jpg")
    code, out = run("image", "check", blue, "--kind", "photo")
    assert code == 0
    assert f"{blue}: warning: 照片背景看起来不是白色" in out


def test_check_json_lists_each_file_with_its_findings(tmp_path: Path) -> None:
    good = save(portrait((600, 840)), tmp_path / "good.jpg")
    gps = save(document(), tmp_path / "gps.jpg", exif=exif_bytes(gps=True))
    code, out = run("image", "check", good, gps, "--kind", "attachment", "--json")
    assert code == 1
    data = json.loads(out)
    assert [d["file"] for d in data] == [str(good), str(gps)]
    assert data[0]["ok"] is True and data[0]["findings"] == []
    assert (data[0]["format"], data[0]["width"], data[0]["height"]) == ("JPEG", 600, 840)
    assert data[1]["ok"] is False
    [finding] = data[1]["findings"]
    assert finding["code"] == "image.gps" and finding["severity"] == "error" and finding["file"] == str(gps)


def test_fix_prints_before_and_after_and_the_output_checks_clean(tmp_path: Path) -> None:
    src = save(portrait((1200, 1680)).convert("RGBA"), tmp_path / "in.png", "PNG")
    out_path = tmp_path / "out.jpg"
    code, out = run("image", "fix", src, "-o", out_path, "--kind", "photo")
    assert code == 0, out
    assert f"修改前 (before): {src}: PNG 1200×1680 RGBA" in out
    assert f"修改后 (after):  {out_path}: JPEG {PHOTO.min_width * 2}×{PHOTO.min_height * 2} RGB" in out
    assert "KB" in out and "quality 95" in out
    code, out = run("image", "check", out_path, "--kind", "photo")
    assert code == 0 and "0 error(s), 0 warning(s)" in out


def test_a_photo_over_the_upload_limit_fails_and_fix_brings_it_under(tmp_path: Path) -> None:
    """A 5 MB photo of 1475×2065 px: the site's upload refuses it (`上传内容过大`), so `image check`
    does too; `image fix` writes one under the limit that checks clean."""
    assert PHOTO.max_bytes is not None
    size = (1475, 2065)
    src = tmp_path / "big.jpg"
    Image.blend(portrait(size), noise(size), 0.08).save(src, "JPEG", quality=100, subsampling=0)
    assert src.stat().st_size > PHOTO.max_bytes
    code, out = run("image", "check", src, "--kind", "photo")
    assert code == 1, out
    assert "不合格 (fails)" in out and f"不能超过 {format_kb(PHOTO.max_bytes)}" in out
    fixed = tmp_path / "fixed.jpg"
    code, out = run("image", "fix", src, "-o", fixed, "--kind", "photo")
    assert code == 0, out
    assert fixed.stat().st_size <= PHOTO.max_bytes
    code, out = run("image", "check", fixed, "--kind", "photo")
    assert code == 0 and "0 error(s)" in out, out


def test_fix_crop_option(tmp_path: Path) -> None:
    src = save(portrait((1000, 1400)), tmp_path / "in.jpg")
    code, out = run("image", "fix", src, "-o", tmp_path / "out.jpg", "--kind", "photo", "--crop", "100,100,500,700")
    assert code == 0 and "500×700" in out
    code, out = run("image", "fix", src, "-o", tmp_path / "bad.jpg", "--kind", "photo", "--crop", "1,2,three,4")
    assert code == 2 and "X,Y,W,H" in out
    code, out = run("image", "fix", src, "-o", tmp_path / "bad.jpg", "--kind", "photo", "--crop", "900,0,500,700")
    assert code == 1 and "错误 (error)" in out and "1000×1400" in out
    assert not (tmp_path / "bad.jpg").exists()


def test_fix_refuses_an_undersize_photo_with_exit_1(tmp_path: Path) -> None:
    src = save(portrait((200, 280)), tmp_path / "small.jpg")
    code, out = run("image", "fix", src, "-o", tmp_path / "out.jpg", "--kind", "photo")
    assert code == 1
    assert f"错误 (error): {src}: " in out and "not enlarged" in out
    assert not (tmp_path / "out.jpg").exists()


def _truncated(tmp: Path) -> Path:
    data = save(portrait((600, 840)), tmp / "whole.jpg").read_bytes()
    (tmp / "cut.jpg").write_bytes(data[: len(data) // 2])
    return tmp / "cut.jpg"


def _write(tmp: Path, name: str, data: bytes) -> Path:
    (tmp / name).write_bytes(data)
    return tmp / name


def _folder(tmp: Path) -> Path:
    (tmp / "dir.jpg").mkdir()
    return tmp / "dir.jpg"


BAD = {
    "truncated": (_truncated, "truncated"),
    "zero bytes": (lambda t: _write(t, "empty.jpg", b""), "empty"),
    "text": (lambda t: _write(t, "text.jpg", b"hello, I am text\n"), "text"),
    "animated": (lambda t: animated_gif(t / "anim.gif"), "animated"),
    "heic": (lambda t: heic_like(t / "IMG_1.HEIC"), "HEIC"),
    "bomb": (lambda t: png_bomb(t / "bomb.png"), "decompression bomb"),
    "directory": (_folder, "folder"),
    "missing": (lambda t: t / "missing.jpg", "not found"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_is_exit_1_with_a_message_and_no_output(tmp_path: Path, case: str) -> None:
    make, words = BAD[case]
    src = make(tmp_path)
    code, out = run("image", "check", src, "--kind", "attachment")
    assert code == 1 and words in out
    code, out = run("image", "fix", src, "-o", tmp_path / "out.jpg", "--kind", "attachment")
    assert code == 1 and out.startswith("错误 (error): ") and words in out
    code, out = run("image", "merge", src, "-o", tmp_path / "out.jpg")
    assert code == 1 and words in out
    assert not (tmp_path / "out.jpg").exists()


def test_merge_prints_every_input_and_the_result(tmp_path: Path) -> None:
    a = save(document((1000, 750), seed=1), tmp_path / "a.jpg")
    b = save(document((800, 600), seed=2), tmp_path / "b.png", "PNG")
    out_path = tmp_path / "proof.jpg"
    code, out = run("image", "merge", a, b, "-o", out_path)
    assert code == 0, out
    assert f"修改前 (before): {a}: JPEG 1000×750" in out and f"修改前 (before): {b}: PNG 800×600" in out
    assert f"{out_path}: JPEG 1000×" in out and "stacked 2 pictures" in out
    code, out = run("image", "check", out_path, "--kind", "attachment")
    assert code == 0 and "0 error(s), 0 warning(s)" in out


def test_a_kind_is_required_and_checked(tmp_path: Path) -> None:
    src = save(portrait((600, 840)), tmp_path / "a.jpg")
    code, out = run("image", "check", src)
    assert code == 2 and "--kind" in out
    code, out = run("image", "check", src, "--kind", "selfie")
    assert code == 2 and "photo" in out and "attachment" in out


def test_a_file_without_read_permission_is_exit_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = save(portrait((600, 840)), tmp_path / "locked.jpg")
    src.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make the read fail as it would for a user
        real = pathlib.Path.read_bytes

        def denied(self: Path) -> bytes:
            if self == src:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(pathlib.Path, "read_bytes", denied)
    commands: list[list[str | Path]] = [
        ["check", src, "--kind", "photo"],
        ["fix", src, "-o", tmp_path / "out.jpg", "--kind", "photo"],
    ]
    for args in commands:
        code, out = run("image", *args)
        assert code == 1 and "no permission to read the file" in out
    assert not (tmp_path / "out.jpg").exists()


def _usage_error(out: str, command: str) -> None:
    """A bad -o: the command's usage line, then the option named in Chinese and English."""
    assert re.match(rf"Usage: \S+ image {command} \[OPTIONS\]", out), out  # the runner's program name
    assert "错误 (error): 选项 -o / --output 的值无效 (invalid value for '-o' / '--output'): " in out


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("x.png", "输出文件名须以 .jpg、.jpeg 结尾"),
        ("x.txt", "the output name must end in .jpg, .jpeg"),
        ("missing/x.jpg", "the output folder does not exist"),
    ],
)
def test_a_bad_output_name_is_a_bad_command_line(tmp_path: Path, name: str, words: str) -> None:
    src = save(portrait((600, 840)), tmp_path / "in.jpg")
    code, out = run("image", "fix", src, "-o", tmp_path / name, "--kind", "photo")
    assert code == 2 and words in out
    _usage_error(out, "fix")
    code, out = run("image", "merge", src, src, "-o", tmp_path / name)
    assert code == 2 and words in out
    _usage_error(out, "merge")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jpg"]


def test_fix_refuses_to_overwrite_its_input_unless_told(tmp_path: Path) -> None:
    """`-o` naming the input (as typed, through another path or a symbolic link) would crop the original
    in place: a bad command line unless --overwrite says so."""
    src = save(portrait((700, 840)), tmp_path / "me.jpg")
    (tmp_path / "link.jpg").symlink_to(src)
    before = src.read_bytes()
    for same in (src, tmp_path / "." / "me.jpg", tmp_path / "link.jpg"):
        code, out = run("image", "fix", src, "-o", same, "--kind", "photo")
        assert code == 2 and "输出文件就是输入文件" in out and "add --overwrite" in out
        _usage_error(out, "fix")
        assert src.read_bytes() == before
    code, out = run("image", "fix", src, "-o", tmp_path / "other.jpg", "--kind", "photo")
    assert code == 0, out
    code, out = run("image", "fix", src, "-o", src, "--kind", "photo", "--overwrite")
    assert code == 0, out
    assert src.read_bytes() != before
    assert PHOTO.aspect is not None
    a, b = PHOTO.aspect
    with Image.open(src) as fixed:
        assert fixed.size[0] * b == fixed.size[1] * a  # cropped in place to the photo's aspect


def test_merge_refuses_to_overwrite_one_of_its_inputs_unless_told(tmp_path: Path) -> None:
    a = save(document((1000, 750), seed=1), tmp_path / "a.jpg")
    b = save(document((800, 600), seed=2), tmp_path / "b.jpg")
    before = b.read_bytes()
    code, out = run("image", "merge", a, b, "-o", b)
    assert code == 2 and f"输出文件就是输入文件 {b}" in out
    _usage_error(out, "merge")
    assert b.read_bytes() == before
    code, out = run("image", "merge", a, b, "-o", b, "--overwrite")
    assert code == 0, out
    assert b.read_bytes() != before


def test_fix_and_check_agree_on_a_greyscale_output(tmp_path: Path) -> None:
    """A black-and-white scan: `image fix` warns that the output is greyscale, and `image check` of that
    output says the same."""
    src = save(document((1600, 1200)).convert("L"), tmp_path / "scan.jpg")
    fixed = tmp_path / "fixed.jpg"
    code, out = run("image", "fix", src, "-o", fixed, "--kind", "attachment")
    assert code == 0 and f"{fixed}: warning: 图片是黑白的" in out, out
    code, out = run("image", "check", fixed, "--kind", "attachment")
    assert code == 0 and f"{fixed}: warning: 图片是黑白的" in out and "0 error(s), 1 warning(s)" in out, out
