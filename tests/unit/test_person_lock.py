"""The per-person lock across processes: a second run of the same person is refused at once, and a
process that dies (SIGKILL) leaves nobody locked."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from autofill.login_state import state_path
from autofill.person_lock import PersonBusy, lock_path, person_lock
from tests.batch import people

URL = "http://127.0.0.1:9"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AUTOFILL_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_the_lock_sits_beside_the_login_state_with_no_id_in_its_name(home: Path) -> None:
    who = people.identity(90)
    with person_lock(who.id_number, URL):
        path = lock_path(who.id_number, URL)
        assert path.parent == state_path(who.id_number, URL).parent and path.suffix == ".lock"
        assert who.id_number not in str(path)
        assert path.stat().st_mode & 0o777 == 0o600
    with person_lock(who.id_number.lower(), URL + "/"):  # released: taken again (same person, same site)
        pass


def test_a_second_holder_is_refused_at_once_and_another_person_is_not(home: Path) -> None:
    who, other = people.identity(91), people.identity(92)
    with person_lock(who.id_number, URL):
        with pytest.raises(PersonBusy) as caught, person_lock(who.id_number, URL):
            pass
        with person_lock(other.id_number, URL):
            pass
    message = caught.value.render()
    assert "正由另一个进程填报" in message and "being filled by another process" in message
    assert who.id_number not in message


def test_a_killed_process_leaves_nobody_locked(home: Path) -> None:
    who = people.identity(93)
    code = (
        "import sys, time\n"
        "from autofill.person_lock import person_lock\n"
        f"with person_lock({who.id_number!r}, {URL!r}):\n"
        "    print('locked', flush=True)\n"
        "    time.sleep(120)\n"
    )
    env = {**os.environ, "AUTOFILL_HOME": str(home)}
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "locked"
        with pytest.raises(PersonBusy), person_lock(who.id_number, URL):
            pass
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()
    with person_lock(who.id_number, URL):  # the system let go of it with the process
        pass


def test_drive_refuses_a_person_being_filled_elsewhere(home: Path, tmp_path: Path) -> None:
    from autofill import driver
    from autofill.pack import load_pack
    from autofill.runner import checked_plan

    profile = people.clone("scope1", tmp_path / "p", 94)
    pack = load_pack()
    plan = checked_plan(profile, pack)
    opts = driver.Options(url=URL, out=tmp_path / "runs")

    with person_lock(people.identity(94).id_number, URL), pytest.raises(PersonBusy):
        driver.drive(plan, pack, "not-used", opts, profile_name=profile.name)

    assert not (tmp_path / "runs").exists()  # refused before any run folder (nothing to resume from)


def test_run_refuses_a_person_being_filled_elsewhere_with_exit_1(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from autofill.cli import app

    profile = people.clone("scope1", tmp_path / "p", 95)
    monkeypatch.setenv("AUTOFILL_PASSWORD", "Ce5hi-Mima#2024")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

    with person_lock(people.identity(95).id_number, URL):
        result = CliRunner().invoke(app, ["run", str(profile), "--url", URL, "--out", str(tmp_path / "runs")])

    assert result.exit_code == 1, result.output
    assert "正由另一个进程填报" in result.output and "being filled by another process" in result.output
    assert people.identity(95).id_number not in result.output and "Traceback" not in result.output
