"""Where the password comes from (keyring → AUTOFILL_PASSWORD → prompt) and the site's password rule.

Never the real system keyring: an in-memory backend (or a failing one) is installed for each test.
"""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from stdnum.cn import ric

from autofill import secrets
from autofill.errors import AutofillError
from autofill.masking import mask_id
from tests.keyrings import MemoryKeyring

ID_NUMBER = "53010219900512123" + ric.calc_check_digit("53010219900512123" + "0")  # made up, valid
PASSWORD = "Kunming#2024a"


def failing() -> KeyringBackend:
    """The backend keyring uses when a system has none: every call raises NoKeyringError."""
    return fail.Keyring()  # type: ignore[no-untyped-call]


@pytest.fixture
def memory(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    monkeypatch.delenv(secrets.ENV_VAR, raising=False)
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(failing())


@pytest.fixture
def no_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(secrets.ENV_VAR, raising=False)
    keyring.set_keyring(failing())
    yield


def refuse_prompt(text: str) -> str:
    raise AssertionError(f"prompted although another source had the password: {text}")


def test_keyring_comes_first(memory: MemoryKeyring, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(secrets.ENV_VAR, "FromEnv#123")
    secrets.set_password(ID_NUMBER, PASSWORD)
    assert memory.items == {("ausm-autofill", ID_NUMBER): PASSWORD}
    assert secrets.get_password(ID_NUMBER, interactive=True, prompt=refuse_prompt) == PASSWORD


def test_lower_case_x_finds_the_same_entry(memory: MemoryKeyring) -> None:
    number = "11010519491231002" + ric.calc_check_digit("11010519491231002" + "0")
    assert number.endswith("X") and ric.is_valid(number)
    secrets.set_password(number, PASSWORD)
    assert secrets.get_password(f" {number.lower()} ", interactive=False) == PASSWORD


def test_environment_when_the_keyring_has_nothing(memory: MemoryKeyring, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(secrets.ENV_VAR, "FromEnv#123")
    assert secrets.get_password(ID_NUMBER, interactive=True, prompt=refuse_prompt) == "FromEnv#123"


def test_a_broken_keyring_falls_through_to_the_environment(no_keyring: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(secrets.ENV_VAR, "FromEnv#123")
    assert secrets.get_password(ID_NUMBER, interactive=False) == "FromEnv#123"


def test_prompt_last_and_it_masks_the_id(memory: MemoryKeyring) -> None:
    asked: list[str] = []

    def prompt(text: str) -> str:
        asked.append(text)
        return PASSWORD

    assert secrets.get_password(ID_NUMBER, interactive=True, prompt=prompt) == PASSWORD
    assert len(asked) == 1
    assert mask_id(ID_NUMBER) in asked[0]
    assert ID_NUMBER not in asked[0]


def test_not_interactive_names_the_three_ways(no_keyring: None) -> None:
    with pytest.raises(AutofillError) as caught:
        secrets.get_password(ID_NUMBER, interactive=False, prompt=refuse_prompt)
    message = caught.value.render()
    assert "autofill password" in message
    assert "AUTOFILL_PASSWORD" in message
    assert "interactive" in message
    assert ID_NUMBER not in message
    assert mask_id(ID_NUMBER) in message


def test_an_empty_answer_is_refused(no_keyring: None) -> None:
    with pytest.raises(AutofillError, match="no password"):
        secrets.get_password(ID_NUMBER, interactive=True, prompt=lambda _: "")


def test_forget(memory: MemoryKeyring) -> None:
    secrets.set_password(ID_NUMBER, PASSWORD)
    assert secrets.forget_password(ID_NUMBER) is True
    assert secrets.forget_password(ID_NUMBER) is False
    assert memory.items == {}


def test_storing_without_a_keyring_is_a_clear_error(no_keyring: None) -> None:
    with pytest.raises(AutofillError) as caught:
        secrets.set_password(ID_NUMBER, PASSWORD)
    assert "AUTOFILL_PASSWORD" in caught.value.render()
    assert PASSWORD not in caught.value.render()


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Abc12345!", []),
        ("Ab1!", ["8–16"]),
        ("Abcdefgh12345678!", ["8–16"]),
        ("abc12345!", ["大写字母"]),
        ("ABC12345!", ["小写字母"]),
        ("Abcdefgh!", ["数字"]),
        ("Abc123456", ["特殊符号"]),
        ("abcdefgh", ["大写字母", "数字", "特殊符号"]),
    ],
)
def test_password_rules(password: str, expected: list[str]) -> None:
    problems = secrets.check_password_rules(password)
    assert len(problems) == len(expected), problems
    for problem, word in zip(problems, expected, strict=True):
        assert word in problem
        assert "(" in problem  # English in brackets
        assert password not in problem


# ----------------------------------------------------------------------------- `autofill password`, a batch


def test_password_set_without_a_keyring_says_so_before_asking(no_keyring: None) -> None:
    from typer.testing import CliRunner

    from autofill.cli import app

    result = CliRunner().invoke(app, ["password", "set", ID_NUMBER], input=f"{PASSWORD}\n{PASSWORD}\n")

    assert result.exit_code == 1, result.output
    assert "没有可用的系统钥匙串" in result.output and "AUTOFILL_PASSWORD" in result.output
    assert "密码 (password)" not in result.output  # nothing was asked
    assert "keyrings.alt" not in result.output and ID_NUMBER not in result.output


def test_password_forget_without_a_keyring_is_one_short_line(no_keyring: None) -> None:
    from typer.testing import CliRunner

    from autofill.cli import app

    result = CliRunner().invoke(app, ["password", "forget", ID_NUMBER])

    assert result.exit_code == 1, result.output
    assert "没有可用的系统钥匙串" in result.output and "no system keyring" in result.output
    assert "keyrings.alt" not in result.output and "Install" not in result.output  # keyring's own advice
    assert len(result.output.strip().splitlines()) == 1, result.output


def test_password_set_with_closed_input_is_a_clear_error(memory: MemoryKeyring) -> None:
    from typer.testing import CliRunner

    from autofill.cli import app

    result = CliRunner().invoke(app, ["password", "set", ID_NUMBER], input="")

    assert result.exit_code == 1, result.output
    assert "输入已关闭" in result.output and "input is closed" in result.output
    assert "Aborted" not in result.output
    assert memory.items == {}


def test_in_a_batch_the_message_names_the_secrets_file(no_keyring: None) -> None:
    with pytest.raises(AutofillError) as caught:
        secrets.get_password(ID_NUMBER, interactive=False, batch=True, secrets_file=True)
    message = caught.value.render()
    assert "--secrets" in message and "it has none for this person" in message
    assert "autofill password" in message and "AUTOFILL_PASSWORD" in message
    assert ID_NUMBER not in message


def test_keyring_problem_is_none_with_a_working_keyring(memory: MemoryKeyring) -> None:
    assert secrets.keyring_problem() is None
