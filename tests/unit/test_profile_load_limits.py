"""Hostile or odd profile files are findings with the file and line, never a crash, a hang or a memory blow-up."""

from __future__ import annotations

import errno
import os
import re
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from autofill.cli import app
from autofill.findings import Finding
from autofill.profile import load
from autofill.profile.load import MAX_BYTES, load_profile
from tests.unit.conftest import EXAMPLES

runner = CliRunner()
GOOD = (EXAMPLES / "scope1.yaml").read_text(encoding="utf-8")
START = "start: 2008-09            # 入学时间"  # education[0].start, line 25
TITLE_DATE = "title_date: 2018-06     # 聘任时间"  # work[0].accounting.title_date, line 46


def _write(tmp_path: Path, content: str) -> Path:
    path = tmp_path / "p.yaml"
    path.write_text(content, encoding="utf-8")
    return path


def _only(path: Path) -> Finding:
    """The one finding of reading `path` (asserts there is exactly one)."""
    findings = load_profile(path).findings
    assert len(findings) == 1, [f.render() for f in findings]
    assert findings[0].file == str(path)
    return findings[0]


def _check_reports(path: Path, line: int | None, words: str) -> None:
    """`autofill check` exits 1 with `words` on a line placed at `path:line`, and no internal error."""
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "内部错误" not in result.output
    where = rf"^{re.escape(str(path))}:{line}[: ]" if line else rf"^{re.escape(str(path))}: "
    assert any(re.match(where, row) and words in row for row in result.output.splitlines()), result.output


DATES = [
    # (id, old, new, line, field, words)
    ("feb30", START, "start: 2008-02-30", 25, "education[0].start", "不存在的日期"),
    ("day0", START, "start: 2008-09-00", 25, "education[0].start", "不存在的日期"),
    ("jun31", TITLE_DATE, "title_date: 2018-06-31", 46, "work[0].accounting.title_date", "不存在的日期"),
    ("hour25", START, "start: 2008-09-01 25:00:00", 25, "education[0].start", "日期应写成"),
    ("year1", START, "start: 0001-01-01", 25, "education[0].start", "年份不合理"),
    ("year1850", START, "start: 1850-01-01", 25, "education[0].start", "年份不合理"),
]


@pytest.mark.parametrize("quoted", [False, True], ids=["unquoted", "quoted"])
@pytest.mark.parametrize(("old", "new", "line", "field", "words"), [d[1:] for d in DATES], ids=[d[0] for d in DATES])
def test_bad_dates_read_the_same_with_or_without_quotes(
    tmp_path: Path, quoted: bool, old: str, new: str, line: int, field: str, words: str
) -> None:
    key, _, value = new.partition(": ")
    path = _write(tmp_path, GOOD.replace(old, f'{key}: "{value}"' if quoted else new))
    finding = _only(path)
    assert (finding.path, finding.line) == (field, line)
    assert words in finding.message_zh
    _check_reports(path, line, words)


def test_unquoted_valid_dates_still_read(tmp_path: Path) -> None:
    loaded = load_profile(
        _write(tmp_path, GOOD.replace(START, "start: 2008-09-01").replace(TITLE_DATE, "title_date: 2018-06"))
    )
    assert loaded.profile is not None, [f.render() for f in loaded.findings]
    assert str(loaded.profile.education[0].start) == "2008-09-01"
    assert loaded.profile.work[0].accounting is not None
    assert str(loaded.profile.work[0].accounting.title_date) == "2018-06"


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ("a: " + "[" * 5000 + "]" * 5000 + "\n", 1),
        ("a: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n", 1),
        ("a: &x " + "[" * 30 + "]" * 30 + "\nb: " + "[" * 30 + "*x" + "]" * 30 + "\n", 2),  # deep through an alias
    ],
    ids=["lists", "mappings", "alias"],
)
def test_deep_nesting_is_refused(tmp_path: Path, content: str, line: int) -> None:
    path = _write(tmp_path, content)
    finding = _only(path)
    assert "嵌套层数太多" in finding.message_zh
    assert finding.line == line
    _check_reports(path, line, "嵌套层数太多")


def test_a_huge_integer_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("scope: 1", "scope: " + "9" * 5000))
    finding = _only(path)
    assert "数字太长" in finding.message_zh
    _check_reports(path, 3, "数字太长")


def test_a_value_yaml_cannot_build_is_a_finding(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("scope: 1", "scope: !!int abc"))
    assert "无法读取这个值" in _only(path).message_zh
    _check_reports(path, 3, "无法读取这个值")


def test_alias_bombs_are_refused(tmp_path: Path) -> None:
    levels = "".join(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 6))
    path = _write(tmp_path, "a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + levels)  # 9**6 values from 260 bytes
    finding = _only(path)
    assert "内容太多" in finding.message_zh
    assert "aliases" in finding.message_en
    _check_reports(path, 5, "内容太多")


def test_an_alias_inside_its_own_anchor_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("  name: 测试甲", "  name: &n [x, *n]"))
    finding = _only(path)
    assert "别名 *n" in finding.message_zh
    assert finding.line == 7


def test_a_device_is_not_read(tmp_path: Path) -> None:
    device = Path(os.devnull)
    if not device.exists() or device.is_file():
        pytest.skip("no device file here")
    assert "不是普通文件" in _only(device).message_zh


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_not_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    # Should the pipe be opened anyway, this writer lets the open return (and the test fail) instead of hang.
    threading.Thread(target=lambda: os.close(os.open(fifo, os.O_WRONLY)), daemon=True).start()
    assert "不是普通文件" in _only(fifo).message_zh


def test_a_file_over_the_size_cap_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD + "#" * MAX_BYTES + "\n")
    finding = _only(path)
    assert "文件太大" in finding.message_zh
    assert "1 MB" in finding.message_en


def test_a_file_name_too_long_is_a_finding(tmp_path: Path) -> None:
    finding = _only(tmp_path / ("a" * 300 + ".yaml"))
    assert finding.message_zh == "无法读取文件：文件名太长"


def test_an_unreadable_file_is_a_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, GOOD)

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    finding = _only(path)
    assert finding.message_zh == "无法读取文件：没有读取权限"
    assert "Permission denied" in finding.message_en


def test_a_nul_byte_is_placed_at_its_line_in_both_languages(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("name: 测试甲", "name: 测试\x00甲"))
    finding = _only(path)
    assert finding.line == 7
    assert "控制字符" in finding.message_zh
    assert "unacceptable" not in finding.message_zh
    assert "#x0000" in finding.message_en
    _check_reports(path, 7, "控制字符")


def test_syntax_errors_keep_english_out_of_the_chinese_half(tmp_path: Path) -> None:
    finding = _only(_write(tmp_path, "scope: 1\naccount: [unclosed\n"))
    assert not re.search(r"[a-z]", finding.message_zh.replace("YAML", ""))
    assert finding.message_en.startswith("YAML syntax error: ")


@pytest.mark.parametrize("key", ["123", "~", "yes"])
def test_a_key_that_is_not_text_is_placed_at_its_own_line(tmp_path: Path, key: str) -> None:
    path = _write(tmp_path, GOOD.replace("  name: 测试甲\n", f"  name: 测试甲\n  {key}: x\n"))
    finding = _only(path)
    assert (finding.path, finding.line) == (f"account.{key}", 8)
    assert "键必须是文字" in finding.message_zh
    _check_reports(path, 8, "键必须是文字")


def test_limits_are_generous_for_real_profiles() -> None:
    for example in sorted(EXAMPLES.glob("*.yaml")):
        loaded = load.load_profile(example)
        assert loaded.profile is not None, [f.render() for f in loaded.findings]
