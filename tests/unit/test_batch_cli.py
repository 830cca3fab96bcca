"""`autofill batch` refusals that come before any browser opens."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
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


def test_a_profile_that_trips_the_checker_fails_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import autofill.runner
    from autofill.batch import prepare_clients

    real = autofill.runner.checked_plan

    def checked_plan(path: Path, pack: Any) -> Any:
        if path.name == "scope2.yaml":
            raise ValueError("day is out of range for month")  # a bug in reading one profile
        return real(path, pack)

    monkeypatch.setattr(autofill.runner, "checked_plan", checked_plan)
    monkeypatch.setenv("AUTOFILL_PASSWORD", "Ce5hi-Mima#2024")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

    clients = prepare_clients([EXAMPLES / "scope2.yaml", EXAMPLES / "scope1.yaml"], {}, interactive=False)

    assert [c.error is None for c in clients] == [False, True]
    assert clients[0].error == f"{EXAMPLES / 'scope2.yaml'}: 内部错误 (internal error): ValueError"
    assert clients[1].password == "Ce5hi-Mima#2024"


def _private(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: p.mkdir(mode=0o700), "must be a regular file"),
        (lambda p: os.mkfifo(p, 0o600), "must be a regular file"),  # reading it would wait forever
        (lambda p: _private(p, "110108199203151013: true\n"), "expected `ID: password` lines"),
        (lambda p: _private(p, "110108199203151013: [a, b]\n"), "expected `ID: password` lines"),
        (lambda p: _private(p, "ok: x\nbad: [b\n"), "第 3 行 (line 3)"),
        (lambda p: _private(p, "a: " + "[" * 5000 + "]" * 5000 + "\n"), "not valid YAML"),
    ],
    ids=["folder", "fifo", "true", "list", "bad-yaml", "nested"],
)
def test_a_secrets_file_that_is_no_id_password_mapping_is_refused_clearly(
    tmp_path: Path, make: Callable[[Path], object], words: str
) -> None:
    from autofill.batch import read_secrets
    from autofill.errors import AutofillError

    path = tmp_path / "secrets.yaml"
    make(path)

    with pytest.raises(AutofillError) as caught:
        read_secrets(path)

    assert words in caught.value.render() and "secrets.yaml" in caught.value.render()


@pytest.mark.parametrize(
    ("id_number", "words"),
    [
        ("", "3–40"),
        ("   ", "3–40"),
        ("x" * 41, "3–40"),
        ("110 108", "no spaces"),
        ("110108199203151012", "check digit"),  # the right one is …1013
    ],
)
@pytest.mark.parametrize("command", ["set", "forget"])
def test_password_commands_refuse_an_id_number_no_profile_could_have(command: str, id_number: str, words: str) -> None:
    result = CliRunner().invoke(app, ["password", command, id_number], input="Ce5hi-Mima#2024\nCe5hi-Mima#2024\n")

    assert result.exit_code == 2, result.output
    assert words in result.output and "id_number" in result.output.lower()
    assert "已保存" not in result.output and "已删除" not in result.output


# ----------------------------------------------------------------------------- what the batch prints


def _clients_folder(tmp_path: Path) -> tuple[Path, list[str]]:
    """A folder an agency might keep: profiles named by ID number (one with an error), and secrets.yaml."""
    from tests.batch import people

    folder = tmp_path / "clients"
    ids = [people.identity(n).id_number for n in (96, 97, 98)]
    people.clone("scope1", folder, 96, change=lambda d: d["basic"].update(email="bad"), stem=ids[0])
    people.clone("scope1", folder, 97, change=lambda d: d["basic"].update(email="bad"), stem=ids[1])
    _private(folder / "secrets.yaml", f"{ids[0]}: Ce5hi-Mima#1\n{ids[2]}: Ce5hi-Mima#3\n")
    return folder, ids


def test_a_batch_prints_no_full_id_and_takes_its_secrets_file_for_no_client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, ids = _clients_folder(tmp_path)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("AUTOFILL_HOME", str(tmp_path / "home"))

    result = CliRunner().invoke(
        app,
        ["batch", str(folder), "--secrets", str(folder / "secrets.yaml"), "--out", str(tmp_path / "runs"),
         "--url", "http://127.0.0.1:9"],
    )  # fmt: skip

    assert result.exit_code == 1, result.output
    printed = result.output
    assert "2 位客户未完成" in printed, printed  # the two broken profiles; secrets.yaml is no client
    assert "secrets.yaml" not in printed and "未知字段" not in printed
    for number in ids:
        assert number not in printed, printed
    assert f"{ids[0][:3]}*****{ids[0][-4:]}.yaml" in printed  # the file named, masked
    assert "Traceback" not in printed


def test_submit_asks_for_the_clients_that_will_be_filled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import autofill.batch
    from tests.batch import people

    folder, _ = _clients_folder(tmp_path)
    good = people.clone("scope1", folder, 99)
    people.clone("scope1", folder, 99, stem="same-person")  # the same person again: filled by `good` only
    monkeypatch.setenv("AUTOFILL_PASSWORD", "Ce5hi-Mima#2024")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("AUTOFILL_HOME", str(tmp_path / "home"))
    submitted: list[bool] = []

    def run_batch(clients: list[Any], opts: Any, folder: Path, secrets: Any = None) -> list[Any]:
        submitted.append(opts.submit)
        outcomes = ["stopped_for_review" if c.error is None else "failed" for c in clients]
        return [
            autofill.batch.Result(c.index, c.label, c.profile.name, o, error=c.error)
            for c, o in zip(clients, outcomes, strict=True)
        ]

    monkeypatch.setattr(autofill.batch, "run_batch", run_batch)

    result = CliRunner().invoke(
        app,
        ["batch", str(folder), "--secrets", str(folder / "secrets.yaml"), "--submit", "--out", str(tmp_path / "runs"),
         "--url", "http://127.0.0.1:9"],
        input="n\n",
    )  # fmt: skip

    assert "为 1 位客户提交审核（另有 3 个档案有问题，不填报）？" in result.output, result.output
    assert submitted == [False]
    assert f"({good.name})" in result.output  # each final line names its profile file
    assert result.exit_code == 1
