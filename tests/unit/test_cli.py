"""Every exit path of the CLI: 0 good, 1 invalid, 2 usage, 130 interrupted — never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from autofill.cli import app
from tests.unit.conftest import EXAMPLES, Examples, Mutator

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


@pytest.mark.parametrize(
    ("args", "usage", "words"),
    [
        (
            ["batch", "--workers", "x", "profiles"],
            "batch [OPTIONS] {PROFILES}...",
            "错误 (error): 选项 --workers 的值无效 (invalid value for '--workers'): ",
        ),
        (["init", "--scope", "9"], "init [OPTIONS]", "选项 --scope 的值无效 (invalid value for '--scope'): "),
        (["status"], "status [OPTIONS] {PROFILE}", "错误 (error): 缺少参数 PROFILE (missing argument 'PROFILE')"),
        (
            ["image", "fix", "a.jpg", "-o", "b.jpg"],
            "image fix [OPTIONS] {IN}",
            "缺少选项 --kind (missing option '--kind'): Choose from: photo, attachment",
        ),
        (
            ["status", "--bogus", "x.yaml"],
            "status [OPTIONS] {PROFILE}",
            "没有这个选项 --bogus (no such option: --bogus)",
        ),
        (["--bogus"], "[OPTIONS] COMMAND [ARGS]...", "没有这个选项 --bogus (no such option: --bogus)"),
        (
            ["batch", "x", "--wrkers", "2"],
            "batch [OPTIONS]",
            "没有这个选项 --wrkers (no such option: --wrkers)，是否要写 --workers",
        ),
        (
            ["batch", "x", "--workers"],
            "batch [OPTIONS]",
            "选项 --workers 后面缺少值 (option '--workers' requires an argument)",
        ),
        (
            ["check", "--json=yes", "x.yaml"],
            "check [OPTIONS]",
            "选项 --json 不接受值 (option '--json' does not take a value)",
        ),
        (["nonsense"], "[OPTIONS] COMMAND [ARGS]...", "没有这个命令 nonsense (no such command 'nonsense')"),
        (["image", "nonsense"], "image [OPTIONS] COMMAND", "没有这个命令 nonsense (no such command 'nonsense')"),
        (
            ["status", "a.yaml", "b.yaml"],
            "status [OPTIONS] {PROFILE}",
            "多余的参数 b.yaml (got unexpected extra argument(s) (b.yaml))",
        ),
    ],
    ids=[
        "bad-int",
        "out-of-range",
        "missing-argument",
        "missing-option",
        "unknown-option",
        "unknown-top-option",
        "unknown-option-close",
        "option-without-value",
        "flag-with-value",
        "unknown-command",
        "unknown-subcommand",
        "extra-argument",
    ],
)
def test_a_bad_command_line_is_said_in_chinese_naming_the_option_with_usage_and_exit_2(
    args: list[str], usage: str, words: str
) -> None:
    result = runner.invoke(app, args)

    assert result.exit_code == 2, result.output
    assert words in result.output, result.output
    assert usage in result.output.splitlines()[0], result.output  # click's usage line of that command …
    assert "--help' for help." in result.output  # … and its hint
    assert "Error:" not in result.output and "Traceback" not in result.output


def test_a_file_option_click_refuses_is_a_chinese_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["image", "fix", "in.jpg", "--kind", "photo", "-o", str(tmp_path)])

    assert result.exit_code == 2, result.output
    assert "选项 -o / --output 的值无效 (invalid value for '-o' / '--output'): " in result.output
    assert str(tmp_path) in result.output and "Error:" not in result.output


PROFILE_COMMANDS = ["run", "status", "register", "checklist", "certificate"]


@pytest.mark.parametrize("command", [*PROFILE_COMMANDS, "check", "batch"])
def test_help_names_the_profile_argument_in_capitals(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])

    assert result.exit_code == 0, result.output
    name = "PROFILE" if command in PROFILE_COMMANDS else "PROFILES"
    usage = result.output.splitlines()[0]
    assert usage.endswith(f"{command} [OPTIONS] {{{name}}}" + ("..." if name == "PROFILES" else "")), usage
    assert f"\n  {name} <" in result.output  # the Arguments list
    assert "{profile" not in result.output and "profile <path>" not in result.output


@pytest.mark.parametrize("command", ["check", "batch"])
def test_an_empty_folder_is_a_usage_error_for_check_and_batch(tmp_path: Path, command: str) -> None:
    (tmp_path / "photo.jpg").write_bytes(b"not a profile")

    result = runner.invoke(app, [command, str(tmp_path)])  # batch: refused before any option is used

    assert result.exit_code == 2, result.output
    assert f"没有找到档案文件（*.yaml / *.yml）(no profile files found in {tmp_path})" in result.output
    assert "参数 PROFILES" in result.output and "Traceback" not in result.output


def test_check_no_longer_refuses_in_the_core_module(tmp_path: Path) -> None:
    """The refusal is the CLI's: `check_files` of nothing is no finding, and the core imports no typer."""
    from autofill.check import check_files

    assert check_files([tmp_path]) == []
    probe = "import sys, autofill.check, autofill.profile.load; print('typer' in sys.modules)"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "False"


def _broken_elsewhere(data: dict[str, Any]) -> None:
    data["education"][0]["end"] = "2008-02-30"  # the model refuses it: no valid Profile at all
    data["basic"]["postcode"] = "1"


def _rule_broken_elsewhere(data: dict[str, Any]) -> None:
    data["basic"]["postcode"] = "1"  # a valid Profile that breaks a rule outside the account


def _no_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("autofill.secrets.get_password", lambda id_number, interactive: "Ce5hi-Mima#2024")


@pytest.mark.parametrize(
    ("change", "named"), [(_broken_elsewhere, "education[0].end"), (_rule_broken_elsewhere, "basic.postcode")]
)
def test_register_needs_only_the_account(
    examples: Examples, monkeypatch: pytest.MonkeyPatch, change: Mutator, named: str
) -> None:
    profile = examples.variant("scope2", change)
    seen: list[Any] = []
    monkeypatch.setattr("autofill.register.register", lambda plan, pack, password, opts: seen.append(plan))
    _no_password(monkeypatch)

    result = runner.invoke(app, ["register", str(profile), "--url", "http://127.0.0.1:9"])

    assert result.exit_code == 0, result.output
    assert "注册成功 (registered)" in result.output
    assert f"{profile}: 注意 (note): 档案其他部分有错误（{named}）" in result.output
    assert seen[0].profile.account.id_number == examples.data("scope2")["account"]["id_number"]
    assert seen[0].base_dir == profile.parent


def test_status_needs_only_the_account_and_the_realname_pictures(
    examples: Examples, monkeypatch: pytest.MonkeyPatch
) -> None:
    from autofill.steps.review import ReviewStatus

    profile = examples.variant("scope1", _broken_elsewhere)
    seen: list[Any] = []

    def read_review(plan: Any, pack: Any, password: str, opts: Any) -> ReviewStatus:
        seen.append(plan)
        return ReviewStatus("待审核")

    monkeypatch.setattr("autofill.driver.read_review", read_review)
    _no_password(monkeypatch)

    result = runner.invoke(app, ["status", str(profile), "--url", "http://127.0.0.1:9"])

    assert result.exit_code == 0, result.output
    assert "审核状态 (status): 待审核" in result.output
    assert "education[0].end" in result.output and "basic.postcode" not in result.output  # not judged at all
    assert seen[0].profile.account.mobile == examples.data("scope1")["account"]["mobile"]
    assert (seen[0].profile.realname is not None) == ("realname" in examples.data("scope1"))


@pytest.mark.parametrize("command", ["register", "status"])
@pytest.mark.parametrize(
    ("change", "path", "line"),
    [
        (lambda d: d["account"].update(mobile="123"), "account.mobile", 6),  # a rule
        (lambda d: d["account"].update(mobil="13912345678"), "account.mobil", 7),  # the model
        (lambda d: d["account"].update(id_number="110108199203151012"), "account.id_number", 4),  # check digit
    ],
    ids=["mobile", "unknown-key", "id-check-digit"],
)
def test_a_broken_account_still_stops_register_and_status(
    examples: Examples, monkeypatch: pytest.MonkeyPatch, command: str, change: Any, path: str, line: int
) -> None:
    def both(data: dict[str, Any]) -> None:
        change(data)
        _broken_elsewhere(data)

    profile = examples.variant("scope2", both)
    _no_password(monkeypatch)
    monkeypatch.setattr("autofill.register.register", lambda *_: pytest.fail("got past the profile"))
    monkeypatch.setattr("autofill.driver.read_review", lambda *_: pytest.fail("got past the profile"))

    result = runner.invoke(app, [command, str(profile), "--url", "http://127.0.0.1:9"])

    assert result.exit_code == 1, result.output
    assert f"{profile}:{line} {path}: " in result.output
    assert "档案的 account" in result.output and "education[0].end" in result.output
    assert "Traceback" not in result.output
