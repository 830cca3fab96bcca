"""One process at a time per person: two runs filling the same record at once would both add its rows.

A batch refuses two profiles of one person itself; this lock covers separate processes (two batches on
one folder, a second terminal, a cron job overlapping a manual `autofill run`). The lock is an OS file
lock (`fcntl.flock`, `msvcrt.locking` on Windows) on `<home>/state/<hash>.lock`, beside the saved login
state and named the same way (no ID number in any file name). The system releases it when the process
ends however it ends (SIGKILL included), so a killed run never leaves a person locked; the empty lock
file itself stays (removing it would let two processes lock two different files).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from autofill.errors import AutofillError
from autofill.login_state import state_path
from autofill.masking import mask_id


class PersonBusy(AutofillError):
    """Another process is filling this person's record right now."""


def lock_path(id_number: str, site_url: str) -> Path:
    """`<home>/state/<sha256(site, id)[:16]>.lock`: the login state's name with `.lock`."""
    return state_path(id_number, site_url).with_suffix(".lock")


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":  # pragma: no cover - Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    with contextlib.suppress(OSError):
        if sys.platform == "win32":  # pragma: no cover - Windows
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_UN)


@contextlib.contextmanager
def person_lock(id_number: str, site_url: str) -> Iterator[None]:
    """Hold the person's lock for the block; PersonBusy at once when another process holds it."""
    path = lock_path(id_number, site_url)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise AutofillError(f"无法创建锁文件 (cannot create the lock file: {exc.strerror})", file=path) from None
    try:
        if not _try_lock(fd):
            masked = mask_id(id_number)
            raise PersonBusy(
                f"{masked} 正由另一个进程填报，请等它结束后再运行 "
                f"({masked} is being filled by another process: run again when it has finished)"
            )
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)
