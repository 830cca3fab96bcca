"""`autofill password set|forget` (the system keyring, here an in-memory one) and where a batch finds
each client's password: keyring first, then AUTOFILL_PASSWORD; none is a failure of that client only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from typer.testing import CliRunner

from autofill import secrets
from autofill.batch import prepare_clients
from autofill.cli import app
from autofill.masking import mask_id
from tests.batch import people
from tests.keyrings import MemoryKeyring

KEPT = "Yaoshi-Mima#31"  # a synthetic password


@pytest.fixture
def memory(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    monkeypatch.delenv(secrets.ENV_VAR, raising=False)
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


def test_password_set_keeps_it_in_the_keyring_and_never_shows_it(memory: MemoryKeyring) -> None:
    who = people.identity(70)
    typed = f"{KEPT}\n{KEPT}\n"

    result = CliRunner().invoke(app, ["password", "set", who.id_number.lower()], input=typed)

    assert result.exit_code == 0, result.output
    assert memory.items == {(secrets.SERVICE, who.id_number.upper()): KEPT}
    assert mask_id(who.id_number) in result.output
    assert KEPT not in result.output and who.id_number not in result.output


def test_password_set_refuses_two_different_entries(memory: MemoryKeyring) -> None:
    who = people.identity(71)

    result = CliRunner().invoke(app, ["password", "set", who.id_number], input=f"{KEPT}\nOther-Mima#32\n")

    assert result.exit_code == 1
    assert "两次输入的密码不一致" in result.output and "the two entries differ" in result.output
    assert "Traceback" not in result.output
    assert memory.items == {}


def test_password_forget_removes_it_and_says_when_there_was_none(memory: MemoryKeyring) -> None:
    who = people.identity(72)
    memory.set_password(secrets.SERVICE, who.id_number, KEPT)

    first = CliRunner().invoke(app, ["password", "forget", who.id_number])
    again = CliRunner().invoke(app, ["password", "forget", who.id_number])

    assert first.exit_code == 0 and "已删除" in first.output and "removed" in first.output
    assert memory.items == {}
    assert again.exit_code == 0 and "没有保存过" in again.output and "none kept" in again.output
    assert who.id_number not in first.output + again.output


def test_a_batch_takes_the_keyring_first_and_a_client_without_password_fails_alone(
    memory: MemoryKeyring, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    kept = people.clone("scope1", tmp_path, 73)
    other = people.clone("scope2", tmp_path, 74)
    memory.set_password(secrets.SERVICE, people.identity(73).id_number, KEPT)

    monkeypatch.setenv(secrets.ENV_VAR, "Huanjing-Mima#1")
    with_env = prepare_clients([kept, other], {}, interactive=False)
    assert [c.password for c in with_env] == [KEPT, "Huanjing-Mima#1"]
    assert [c.error for c in with_env] == [None, None]

    monkeypatch.delenv(secrets.ENV_VAR)
    without = prepare_clients([kept, other], {}, interactive=False)
    assert without[0].password == KEPT and without[0].error is None
    error = without[1].error or ""
    assert mask_id(people.identity(74).id_number) in error and "autofill password" in error, error
    assert people.identity(74).id_number not in error
