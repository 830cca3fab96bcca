"""`autofill batch` refusals that come before any browser opens."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from autofill.cli import app
from tests.unit.conftest import EXAMPLES


def test_an_out_that_is_a_file_is_refused_before_any_password_is_asked(tmp_path: Path) -> None:
    taken = tmp_path / "a-file"
    taken.write_text("keep me", encoding="utf-8")

    result = CliRunner().invoke(
        app, ["batch", str(EXAMPLES / "scope1.yaml"), "--out", str(taken), "--url", "http://127.0.0.1:9"]
    )

    assert result.exit_code == 1, result.output
    assert "无法创建批处理目录 (cannot create the batch folder" in result.output and "a-file" in result.output
    assert "Traceback" not in result.output and "内部错误" not in result.output
    assert "密码" not in result.output  # no password was asked for
    assert taken.read_text(encoding="utf-8") == "keep me"
