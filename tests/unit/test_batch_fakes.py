"""`autofill.batch` with a fake browser and a fake `drive`: human steps with nobody at the terminal, what
the screen shows, rows on the site that the profile lacks, and how an interrupted client is summarised.

No browser starts: `_Browser` and `driver.drive` are replaced, so these run in a second or two.
"""

from __future__ import annotations

import builtins
import json
import queue
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from autofill import batch, driver
from autofill.blocking import Interrupt
from autofill.errors import AutofillError
from autofill.runs import RunDir
from tests.batch import people

PASSWORD = "Ce5hi-Mima#2024"  # synthetic


class FakeBrowser:
    """What run_batch needs of `_Browser`, with no browser."""

    def __init__(self, headless: bool) -> None:
        self.stopping = Interrupt()

    def get(self, check: bool = False) -> None:
        return None

    def interrupt(self) -> None:
        self.stopping.set()

    def close(self) -> None:
        pass


def outcome(run_dir: RunDir, *, error: AutofillError | None = None, extra_rows: tuple[str, ...] = ()) -> Any:
    run_dir.report_html.write_text("<html></html>", encoding="utf-8")
    report = SimpleNamespace(outcome="failed" if error else "stopped_for_review", extra_rows=list(extra_rows))
    return SimpleNamespace(report=report, run_dir=run_dir, status=None, error=error)


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    monkeypatch.setenv("AUTOFILL_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("AUTOFILL_PASSWORD", PASSWORD)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setattr(batch, "_Browser", FakeBrowser)
    yield tmp_path


def options(tmp_path: Path, workers: int = 2, solver: str = "person") -> batch.BatchOptions:
    return batch.BatchOptions(
        url="http://127.0.0.1:9", workers=workers, headless=True, submit=False, out=tmp_path / "runs", solver=solver
    )


def in_time(call: Callable[[], Any], seconds: float = 30.0) -> Any:
    """`call()` in a thread; fails (instead of hanging the suite) when it takes longer than `seconds`."""
    done: queue.Queue[tuple[bool, Any]] = queue.Queue()

    def run() -> None:
        try:
            done.put((True, call()))
        except BaseException as exc:
            done.put((False, exc))

    threading.Thread(target=run, daemon=True).start()
    try:
        ok, value = done.get(timeout=seconds)
    except queue.Empty:
        pytest.fail(f"still waiting after {seconds} s")
    if not ok:
        raise value
    return value


# ----------------------------------------------------------------------------- no terminal


def test_with_no_terminal_human_steps_fail_at_once_and_the_batch_ends(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    asked: list[str] = []

    def closed_input(prompt: str = "") -> str:
        asked.append(prompt)
        raise EOFError  # stdin is /dev/null, a closed pipe, cron …

    def drive(plan: Any, pack: Any, password: str, opts: Any, *, profile_name: str) -> Any:
        run_dir = RunDir.create(opts.out, plan.profile.account.id_number, datetime.now())
        try:
            opts.humans.captcha.solve(b"\x89PNG", None)
        except AutofillError as exc:
            return outcome(run_dir, error=exc)
        return outcome(run_dir)

    monkeypatch.setattr(builtins, "input", closed_input)
    monkeypatch.setattr(driver, "drive", drive)
    profiles = [people.clone("scope1", env / "p", n) for n in (80, 81, 82)]
    clients = batch.prepare_clients(profiles, {}, interactive=False)
    folder = batch.batch_folder(env / "runs", datetime.now())

    results = in_time(lambda: batch.run_batch(clients, options(env), folder))

    assert [r.outcome for r in results] == ["failed"] * 3
    for r in results:
        assert r.attempts == 1, r  # not transient: not tried again
        assert r.error and "没有终端可以询问" in r.error and "no terminal to ask" in r.error, r.error
    assert len(asked) == 1  # asked once; after EOF nobody is asked again
    assert "Traceback" not in capsys.readouterr().err


def test_a_helper_that_is_gone_never_leaves_a_client_waiting() -> None:
    gone = threading.Event()
    gone.set()
    humans = batch._QueuedHumans(0, "测* 530*****0001", queue.Queue(), queue.Queue(), Interrupt(), gone)

    started = time.monotonic()
    with pytest.raises(AutofillError) as caught:
        in_time(lambda: humans.code("13788000001"), seconds=10)

    assert time.monotonic() - started < 5
    assert "no terminal to ask" in caught.value.render() and "the prompt helper stopped" in caught.value.render()


def test_a_helper_that_fails_on_one_step_answers_with_an_error_and_goes_on(tmp_path: Path) -> None:
    requests: queue.Queue[tuple[int, str, str, Any]] = queue.Queue()
    answers: list[queue.Queue[Any]] = [queue.Queue(), queue.Queue()]
    stop, gone = threading.Event(), threading.Event()
    screen = batch._Screen([])
    alive = [SimpleNamespace(is_alive=lambda: True)] * 2
    requests.put((0, "captcha", "a", ("not bytes", None)))  # writing the picture fails: a bug in this step only
    helper = threading.Thread(
        target=batch._serve_humans, args=(requests, answers, screen, tmp_path, stop, alive, gone), daemon=True
    )
    helper.start()
    try:
        first = answers[0].get(timeout=10)
        assert isinstance(first, AutofillError) and "内部错误" in first.render()
        assert helper.is_alive() and not gone.is_set()
    finally:
        stop.set()
        helper.join(timeout=10)
    assert gone.is_set()


# ----------------------------------------------------------------------------- the screen


def test_the_screen_never_shows_a_full_id_number(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    who = people.identity(83)
    named = people.clone("scope1", env / "p", 83, stem=who.id_number)  # agencies name files by ID number
    broken = people.clone(
        "scope1", env / "p", 84, change=lambda d: d["basic"].update(email="bad"), stem=people.identity(84).id_number
    )
    clients = batch.prepare_clients([named, broken], {}, interactive=False)
    secrets = batch.batch_secrets(clients, {people.identity(85).id_number: "Other-Mima#1"})
    screen = batch._Screen(clients, secrets)
    with screen:
        screen.update(1, step=f"看看 {people.identity(84).id_number}", result="✗ 失败")
    table = json.dumps(screen.rows, ensure_ascii=False)
    failed = [batch.Result(c.index, c.label, c.profile.name, "failed", error=c.error or "x") for c in clients]
    lines = "\n".join(batch.result_line(r, secrets) for r in failed) + batch.not_done_line(failed, secrets)
    printed = capsys.readouterr().out + table + lines

    for n in (83, 84, 85):
        assert people.identity(n).id_number not in printed, printed
    assert clients[1].error and people.identity(84).id_number in clients[1].error  # it was there to mask
    assert "530*****" in lines and "(530*****" in lines  # each line names its (masked) profile file


def test_id_like_numbers_are_masked_even_when_not_valid() -> None:
    from autofill.masking import id_like

    text = "a/530102198803093087.yaml b 12345678901234567890"  # wrong check digit; 20 digits: no ID
    assert batch.shown(text, []) == "a/530*****3087.yaml b 12345678901234567890"
    assert id_like(text) == ["530102198803093087"]


# ----------------------------------------------------------------------------- extra rows, Ctrl-C


def test_rows_on_the_site_that_the_profile_lacks_are_said(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def drive(plan: Any, pack: Any, password: str, opts: Any, *, profile_name: str) -> Any:
        run_dir = RunDir.create(opts.out, plan.profile.account.id_number, datetime.now())
        return outcome(run_dir, extra_rows=("教育经历：某大学", "教育经历：某大学"))

    monkeypatch.setattr(driver, "drive", drive)
    clients = batch.prepare_clients([people.clone("scope1", env / "p", 86)], {}, interactive=False)
    folder = batch.batch_folder(env / "runs", datetime.now())

    [result] = in_time(lambda: batch.run_batch(clients, options(env, solver="replica"), folder))
    batch.write_summary([result], folder, [])

    assert result.extra_rows == 2 and "2 row(s) on the site are not in the profile" in result.note
    line = batch.result_line(result, [])
    assert line.startswith("⚠") and "not in the profile" in line, line
    row = json.loads((folder / "summary.json").read_text(encoding="utf-8"))["clients"][0]
    assert row["extra_rows"] == 2 and "not in the profile" in row["note"]
    assert "not in the profile" in (folder / "summary.html").read_text(encoding="utf-8")
    assert "✓" not in capsys.readouterr().out


def test_an_interrupted_client_keeps_its_profile_report_attempts_and_time(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    running = threading.Event()

    def drive(plan: Any, pack: Any, password: str, opts: Any, *, profile_name: str) -> Any:
        run_dir = RunDir.create(opts.out, plan.profile.account.id_number, datetime.now())
        running.set()
        stopping = opts.humans.stopping
        stopping.wait(30)
        run_dir.report_html.write_text("<html>interrupted</html>", encoding="utf-8")  # drive writes it, then
        raise KeyboardInterrupt

    real_collect = batch._collect

    def collect(*args: Any) -> None:
        running.wait(30)
        time.sleep(0.2)
        raise KeyboardInterrupt  # Ctrl-C while the client runs

    monkeypatch.setattr(driver, "drive", drive)
    monkeypatch.setattr(batch, "_collect", collect)
    profile = people.clone("scope1", env / "p", 87)
    clients = batch.prepare_clients([profile], {}, interactive=False)
    folder = batch.batch_folder(env / "runs", datetime.now())

    with pytest.raises(batch.BatchInterrupted) as caught:
        in_time(lambda: batch.run_batch(clients, options(env), folder))

    [result] = caught.value.results
    assert real_collect is not collect
    assert result.outcome == "interrupted" and result.profile == profile.name
    assert result.attempts == 1 and result.seconds > 0
    assert result.report and Path(result.report).read_text(encoding="utf-8") == "<html>interrupted</html>"
    batch.write_summary([result], folder, [])
    row = json.loads((folder / "summary.json").read_text(encoding="utf-8"))["clients"][0]
    assert row["profile"] == profile.name and row["report"] and row["report"].endswith("report.html")


def test_a_client_another_process_is_filling_fails_at_once(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from autofill.person_lock import person_lock

    filled: list[str] = []

    def inner(plan: Any, pack: Any, password: str, opts: Any, *, profile_name: str) -> Any:
        filled.append(profile_name)
        return outcome(RunDir.create(opts.out, plan.profile.account.id_number, datetime.now()))

    monkeypatch.setattr(driver, "_drive", inner)  # the real `drive`, with its lock, around a fake run
    busy, free = (people.clone("scope1", env / "p", n) for n in (88, 89))
    clients = batch.prepare_clients([busy, free], {}, interactive=False)
    folder = batch.batch_folder(env / "runs", datetime.now())

    with person_lock(people.identity(88).id_number, "http://127.0.0.1:9"):  # as another process would
        results = in_time(lambda: batch.run_batch(clients, options(env, solver="replica"), folder))

    assert [r.ok for r in results] == [False, True]
    assert results[0].error and "正由另一个进程填报" in results[0].error, results[0].error
    assert "being filled by another process" in results[0].error
    assert people.identity(88).id_number not in results[0].error
    assert filled == [free.name]
