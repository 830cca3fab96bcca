"""Bad YAML of every kind is a finding with the file and line, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from autofill.cli import app
from autofill.profile.load import load_profile
from tests.unit.conftest import EXAMPLES

runner = CliRunner()
GOOD = (EXAMPLES / "scope1.yaml").read_text(encoding="utf-8")


def _write(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "p.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


CASES = [
    # (id, content, expected line, words)
    ("syntax", "scope: 1\naccount: [unclosed\n", 3, "YAML 语法错误"),
    ("tabs", "scope: 1\naccount:\n\tname: x\n", 3, "制表符"),
    ("empty", "", None, "文件是空的"),
    ("comments-only", "# nothing\n", None, "文件是空的"),
    ("list-at-top", "- scope: 1\n", 1, "顶层应为映射"),
    ("list-where-mapping", "scope: 1\naccount:\n  - 测试甲\n", 2, "应为映射"),
    ("wrong-type", GOOD.replace("scope: 1", "scope: [1]"), 3, "取值只能是"),
    ("text-expected", GOOD.replace("name: 测试甲", "name: [测试甲]"), 7, "应为文字"),
    ("mapping-where-list", GOOD.replace("  other: []", "  other: {}"), 54, "应为列表"),
    ("duplicate-key", GOOD.replace("  name: 测试甲\n", "  name: 测试甲\n  name: 测试乙\n"), 8, "重复的键"),
    ("non-utf8", "scope: 1\nname: 测试\n".encode("gbk"), 2, "UTF-8"),
]


@pytest.mark.parametrize(("content", "line", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_yaml_is_reported_with_its_line(tmp_path: Path, content: str | bytes, line: int | None, words: str) -> None:
    path = _write(tmp_path, content)
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert words in result.output
    where = re.compile(rf"^{re.escape(str(path))}:{line}[: ]" if line else rf"^{re.escape(str(path))}: ")
    assert any(where.match(row) for row in result.output.splitlines()), result.output


def test_missing_file_and_directory_are_findings(tmp_path: Path) -> None:
    missing = load_profile(tmp_path / "none.yaml")
    assert missing.profile is None
    assert "文件不存在" in missing.findings[0].render()
    folder = tmp_path / "dir.yaml"
    folder.mkdir()
    assert "目录" in load_profile(folder).findings[0].render()


def test_dates_written_as_days_and_months_and_present(tmp_path: Path) -> None:
    text = GOOD.replace("start: 2008-09", "start: 2008-09-01").replace("end: 至今", "end: present")
    loaded = load_profile(_write(tmp_path, text))
    assert loaded.profile is not None, [f.render() for f in loaded.findings]
    assert str(loaded.profile.education[0].start) == "2008-09-01"
    assert loaded.profile.work[0].end.present


def test_present_is_refused_where_a_start_belongs(tmp_path: Path) -> None:
    loaded = load_profile(_write(tmp_path, GOOD.replace("start: 2008-09", "start: 至今")))
    assert loaded.profile is None
    assert any(f.path == "education[0].start" and "至今" in f.message_zh for f in loaded.findings)
