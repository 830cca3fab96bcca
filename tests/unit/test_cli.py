"""Every exit path of the CLI: 0 good, 1 invalid, 2 usage, 130 interrupted — never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from autofill.cli import app
from tests.unit.conftest import EXAMPLES, Examples

runner = CliRunner()
ROOT = EXAMPLES.parents[1]


def test_check_json_is_machine_readable(examples: Examples) -> None:
    bad = examples.variant("scope1", lambda d: d["account"].update(mobile="123"))
    result = runner.invoke(app, ["check", "--json", str(bad)])
    assert result.exit_code == 1
    found = json.loads(result.output)
    assert [f["path"] for f in found] == ["account.mobile"]
    assert found[0]["severity"] == "error"
    assert found[0]["line"] == 6
    assert found[0]["file"] == str(bad)


def test_check_a_directory_checks_every_profile_in_it() -> None:
    result = runner.invoke(app, ["check", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    assert "6 file(s)" in result.output


def test_check_several_files_reports_each(examples: Examples) -> None:
    bad = examples.variant("scope2", lambda d: d["basic"].update(postcode="1"))
    result = runner.invoke(app, ["check", str(examples.path("scope1")), str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:" in result.output
    assert str(examples.path("scope1")) + ":" not in result.output


@pytest.mark.parametrize(
    "args",
    [["check"], ["check", "--bogus", "x.yaml"], ["init"], ["init", "--scope", "9"], ["nonsense"]],
    ids=[
        "check-without-file",
        "unknown-option",
        "init-without-scope",
        "scope-out-of-range",
        "unknown-command",
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output


def test_ctrl_c_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("autofill.check.check_files", interrupted)
    result = runner.invoke(app, ["check", str(EXAMPLES / "scope1.yaml")])
    assert result.exit_code == 130
    assert "interrupted" in result.output


def test_an_unexpected_error_is_one_line_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("autofill.check.check_files", broken)
    result = runner.invoke(app, ["check", str(EXAMPLES / "scope1.yaml")])
    assert result.exit_code == 1
    assert "内部错误 (internal error): RuntimeError: boom" in result.output
    assert "Traceback" not in result.output


def test_a_broken_pack_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pack = tmp_path / "ausm.yaml"
    pack.write_text("site: {name: x}\n", encoding="utf-8")
    monkeypatch.setenv("AUTOFILL_PACK", str(pack))
    result = runner.invoke(app, ["check", str(EXAMPLES / "scope1.yaml")])
    assert result.exit_code == 1
    assert "选择器包有误" in result.output
    assert str(pack) in result.output


def test_schema_is_valid_matches_the_committed_file_and_accepts_the_examples() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert result.output == (ROOT / "profiles" / "profile.schema.json").read_text(encoding="utf-8"), (
        "profiles/profile.schema.json is stale: run `autofill schema > profiles/profile.schema.json`"
    )
    assert schema["properties"]["account"]["title"] == "注册信息"
    for example in EXAMPLES.glob("*.yaml"):
        jsonschema.validate(yaml.safe_load(example.read_text(encoding="utf-8")), schema)
    with pytest.raises(jsonschema.ValidationError):
        bad = yaml.safe_load((EXAMPLES / "scope1.yaml").read_text(encoding="utf-8"))
        bad["basic"]["ethnicity"] = "汉"
        jsonschema.validate(bad, schema)


@pytest.mark.parametrize("student", [False, True])
@pytest.mark.parametrize("scope", [1, 2, 3, 4, 5])
def test_init_prints_a_template_that_check_walks_through(tmp_path: Path, scope: int, student: bool) -> None:
    args = ["init", "--scope", str(scope)] + (["--student"] if student else [])
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    data = yaml.safe_load(result.output)
    assert data["scope"] == scope
    assert "# 采集范围" in result.output or "采集范围" in result.output
    profile = tmp_path / "new.yaml"
    profile.write_text(result.output, encoding="utf-8")
    checked = runner.invoke(app, ["check", str(profile)])
    assert checked.exit_code == 1  # the blanks are still to fill
    assert "account.id_number" in checked.output
    assert "Traceback" not in checked.output


def test_checklist_marks_what_the_profile_names(examples: Examples) -> None:
    result = runner.invoke(app, ["checklist", str(examples.path("scope1"))])
    assert result.exit_code == 0
    assert "✓ basic.photo: files/photo.jpg" in result.output
    assert "会计工作经历证明材料" in result.output
    (examples.root / "files" / "licence.jpg").unlink()
    result = runner.invoke(app, ["checklist", str(examples.path("scope1"))])
    assert "✗ work[0].uscc_proof: files/licence.jpg 文件不存在" in result.output


def test_checklist_of_an_unreadable_profile_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("scope: [\n", encoding="utf-8")
    result = runner.invoke(app, ["checklist", str(bad)])
    assert result.exit_code == 1
    assert "autofill check" in result.output


def test_python_dash_m_and_lazy_imports() -> None:
    """`python -m autofill` works, and the CLI starts without importing the heavy libraries."""
    out = subprocess.run(
        [sys.executable, "-m", "autofill", "--help"], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert "check" in out
    heavy = "{'playwright', 'PIL', 'fastapi', 'uvicorn', 'keyring', 'rich'}"
    probe = f"import sys, autofill.cli; print(sorted({{m.split('.')[0] for m in sys.modules}} & {heavy}))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
