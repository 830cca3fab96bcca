"""The run folder (private, named by the masked ID) and its log (no secret, ID or mobile in it)."""

from __future__ import annotations

import logging
import stat
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from stdnum.cn import ric

from autofill.masking import mask_id, mask_mobile
from autofill.runs import RunDir, close_log, open_log

ID_NUMBER = "53010219900512123" + ric.calc_check_digit("53010219900512123" + "0")
MOBILE = "13912345678"
PASSWORD = "Kunming#2024a"
NOW = datetime(2025, 3, 1, 9, 5, 7)


@pytest.fixture
def closing() -> Iterator[None]:
    yield
    close_log()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_named_by_the_masked_id_and_the_time(tmp_path: Path) -> None:
    run = RunDir.create(tmp_path / "runs", ID_NUMBER, NOW)
    assert run.path.name == f"{mask_id(ID_NUMBER)}-20250301-090507"
    assert run.path.name.startswith("530*****")
    assert ID_NUMBER not in str(run.path)
    assert mode(run.path) == 0o700
    assert run.log_path.parent == run.trace_path.parent == run.path
    assert run.trace_path.name == "trace.zip"


def test_a_second_run_in_the_same_second_gets_its_own_folder(tmp_path: Path) -> None:
    first = RunDir.create(tmp_path, ID_NUMBER, NOW)
    second = RunDir.create(tmp_path, ID_NUMBER, NOW)
    assert first.path != second.path
    assert second.path.name == first.path.name + "-2"
    assert mode(second.path) == 0o700


def test_screenshot_names_are_safe(tmp_path: Path) -> None:
    run = RunDir.create(tmp_path, ID_NUMBER, NOW)
    assert run.screenshot(3, "基本信息").name == "step-03-基本信息.png"
    odd = run.screenshot(12, f"a/b: {ID_NUMBER}")
    assert odd.parent == run.path
    assert odd.name.startswith("step-12-")
    assert "/" not in odd.name[len("step-12-") :]
    assert ID_NUMBER not in odd.name


def test_log_redacts_password_id_and_mobile(tmp_path: Path, closing: None) -> None:
    run = RunDir.create(tmp_path, ID_NUMBER, NOW)
    log = open_log(run, [PASSWORD, ID_NUMBER, MOBILE])
    log.info("login as %s with %s, mobile %s", ID_NUMBER, PASSWORD, MOBILE)
    logging.getLogger("autofill.driver").warning(f"typed {PASSWORD} into 密码")  # a child module's logger
    try:
        raise ValueError(f"page said {ID_NUMBER} / {PASSWORD}")
    except ValueError:
        log.exception("step failed for %s", MOBILE)
    close_log()
    text = run.log_path.read_text(encoding="utf-8")
    for secret in (PASSWORD, ID_NUMBER, MOBILE):
        assert secret not in text
    assert mask_id(ID_NUMBER) in text
    assert mask_mobile(MOBILE) in text
    assert "ValueError" in text  # the traceback is kept, redacted
    assert "typed ****** into 密码" in text
    assert mode(run.log_path) == 0o600


def test_a_new_run_log_replaces_the_previous_one(tmp_path: Path, closing: None) -> None:
    first = RunDir.create(tmp_path, ID_NUMBER, NOW)
    second = RunDir.create(tmp_path, ID_NUMBER, datetime(2025, 3, 1, 10, 0, 0))
    open_log(first, []).info("one")
    log = open_log(second, [])
    log.info("two")
    close_log()
    log.info("three (after close)")
    assert "two" not in first.log_path.read_text(encoding="utf-8")
    second_text = second.log_path.read_text(encoding="utf-8")
    assert "two" in second_text
    assert "one" not in second_text
    assert "three" not in second_text


def test_an_id_run_together_or_in_lower_case_is_still_masked(tmp_path: Path, closing: None) -> None:
    number = "11010519491231002" + ric.calc_check_digit("11010519491231002" + "0")
    assert number.endswith("X")
    run = RunDir.create(tmp_path, number, NOW)
    log = open_log(run, [number])
    log.info("user=id%sok", number.lower())  # letters on both sides: only the secret list catches it
    close_log()
    text = run.log_path.read_text(encoding="utf-8")
    assert "11010519491231002" not in text
    assert f"user=id{mask_id(number)}ok" in text


def test_clients_in_threads_each_log_only_their_own_lines(tmp_path: Path, closing: None) -> None:
    """A batch runs clients in threads at once: a client's run.log holds its lines, redacted with its
    secrets, and never another client's (whose ID number it could not mask)."""
    import threading

    numbers = [f"53010219900512{n:03d}" for n in (121, 232)]
    numbers = [body + ric.calc_check_digit(body + "0") for body in numbers]
    runs = [RunDir.create(tmp_path / f"c{n}", number, NOW) for n, number in enumerate(numbers)]
    both_open = threading.Barrier(2)
    first_logged = threading.Event()

    def client(n: int) -> None:
        log = open_log(runs[n], [numbers[n]])
        both_open.wait()
        if n == 1:
            first_logged.wait(5)
        logging.getLogger("autofill.driver").info("filling for %s", numbers[n])
        if n == 0:
            first_logged.set()
        log.info("done %d", n)
        close_log()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    for n, run in enumerate(runs):
        text = run.log_path.read_text(encoding="utf-8")
        assert f"filling for {mask_id(numbers[n])}" in text and f"done {n}" in text
        other = 1 - n
        assert numbers[other] not in text and f"done {other}" not in text
    assert not [h for h in logging.getLogger("autofill").handlers if isinstance(h, logging.FileHandler)]


def test_screenshots_are_private_whatever_the_umask(tmp_path: Path) -> None:
    import os

    run = RunDir.create(tmp_path, ID_NUMBER, NOW)
    old = os.umask(0o022)
    try:
        shots = [run.screenshot(1, "基本信息"), run.failure_screenshot()]
        for shot in shots:
            with shot.open("wb") as fh:  # how Playwright writes a screenshot: the mode is kept
                fh.write(b"\x89PNG")
    finally:
        os.umask(old)
    assert [mode(s) for s in shots] == [0o600, 0o600]
    assert shots[1].name == "failure.png"


def test_last_created_is_the_run_folder_this_thread_made(tmp_path: Path) -> None:
    import threading

    from autofill.runs import last_created

    mine = RunDir.create(tmp_path, ID_NUMBER, NOW)
    seen: list[RunDir | None] = []
    thread = threading.Thread(target=lambda: seen.append(last_created()))
    thread.start()
    thread.join()
    assert last_created() == mine and seen == [None]  # another thread (another client) made none
