"""A run's folder and its log.

Every run writes `runs/<masked id>-<YYYYmmdd-HHMMSS>/` (mode 0700): `run.log`, `report.json`,
`report.html`, a screenshot per step and `trace.zip` when traced. The log passes every line through
`masking.redact`, so the password, full ID number and mobile never reach the file. Screenshots are
0600 like the other files: their paths (`screenshot`, `failure_screenshot`) are created private before
the browser writes into them (writing keeps a file's mode).
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from autofill.errors import AutofillError
from autofill.masking import mask_id, redact

LOGGER = "autofill"  # run.log collects this logger and its children (autofill.driver, autofill.steps…)
LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
_LOCK = threading.Lock()  # the run handlers of the `autofill` logger (one per thread running a client)
_CREATED = threading.local()  # the run folder last created in this thread (a batch: one client per thread)

_UNSAFE = re.compile(r'[\\/:?"<>|\s\x00-\x1f]+')  # `*` stays: it is the mask (`530*****1235`)


def _file_safe(text: str) -> str:
    """`text` usable in a file name on every system (stars of a mask become `x` on Windows)."""
    if os.name == "nt":
        text = text.replace("*", "x")
    return _UNSAFE.sub("-", text).strip("-.")


@dataclass(frozen=True)
class RunDir:
    """The folder of one run."""

    path: Path

    @classmethod
    def create(cls, base: Path, id_number: str, now: datetime) -> RunDir:
        """Make `base/<masked id>-<YYYYmmdd-HHMMSS>/` (0700); `-2`, `-3` … when it exists already."""
        stem = _file_safe(f"{mask_id(id_number)}-{now:%Y%m%d-%H%M%S}")
        try:
            base.mkdir(parents=True, exist_ok=True)
            for n in range(1, 1000):
                path = base / (stem if n == 1 else f"{stem}-{n}")
                try:
                    path.mkdir(mode=0o700)
                except FileExistsError:
                    continue
                path.chmod(0o700)  # whatever the umask
                made = cls(path)
                _CREATED.run_dir = made
                return made
        except OSError as exc:
            raise AutofillError(f"无法创建运行目录 (cannot create the run folder: {exc.strerror})", file=base) from None
        raise AutofillError("运行目录重名过多 (too many run folders with the same name)", file=base / stem)

    @property
    def log_path(self) -> Path:
        """`run.log`."""
        return self.path / "run.log"

    @property
    def trace_path(self) -> Path:
        """`trace.zip` (Playwright tracing, on failure or with `--trace`)."""
        return self.path / "trace.zip"

    @property
    def report_json(self) -> Path:
        """`report.json`."""
        return self.path / "report.json"

    @property
    def report_html(self) -> Path:
        """`report.html`."""
        return self.path / "report.html"

    def screenshot(self, step_no: int, step_name: str) -> Path:
        """`step-NN-<step name>.png` for the step's screenshot (made 0600 before it is written)."""
        name = _file_safe(redact(step_name)) or "step"
        return _private_file(self.path / f"step-{step_no:02d}-{name}.png")

    def failure_screenshot(self) -> Path:
        """`failure.png`, what the page showed when the run failed (made 0600 before it is written)."""
        return _private_file(self.path / "failure.png")


def last_created() -> RunDir | None:
    """The run folder last made in this thread, if any: how far a run stopped by Ctrl-C got."""
    found = getattr(_CREATED, "run_dir", None)
    return found if isinstance(found, RunDir) else None


def _private_file(path: Path) -> Path:
    """`path`, created empty with mode 0600 if it is not there (a file written later keeps its mode)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        path.chmod(0o600)
    except OSError:
        pass  # the folder went away: whoever writes the file says so
    return path


class RedactFilter(logging.Filter):
    """Rewrites each record so that no secret, full ID number or mobile number is left in it."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]
        self._formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the message, its arguments, the exception text and the stack (always keeps the record)."""
        record.msg = redact(record.getMessage(), self.secrets)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        return True


class _RunLogHandler(logging.FileHandler):
    """The file handler of one run. It takes only the records of the thread that opened it: a batch
    runs several clients at once, one per thread, and a client's log never holds another's lines."""

    previous_level = logging.NOTSET

    def __init__(self, path: Path) -> None:
        super().__init__(path, encoding="utf-8")
        self.thread = threading.get_ident()
        self.addFilter(lambda record: record.thread == self.thread)


def open_log(run_dir: RunDir, secrets: list[str]) -> logging.Logger:
    """Start `run.log` (0600) for the `autofill` logger tree, redacting `secrets`; returns the run's logger.

    A previous run's log in the same thread is closed first. Call `close_log` at the end.
    """
    root = logging.getLogger(LOGGER)
    close_log()
    fd = os.open(run_dir.log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.close(fd)
    handler = _RunLogHandler(run_dir.log_path)
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(RedactFilter(secrets))
    with _LOCK:
        others = [h for h in root.handlers if isinstance(h, _RunLogHandler)]
        handler.previous_level = others[0].previous_level if others else root.level
        root.addHandler(handler)
        root.setLevel(logging.DEBUG)
    return logging.getLogger(f"{LOGGER}.run")


def close_log() -> None:
    """Flush and detach this thread's run log (safe to call twice); the last one closed restores the level."""
    root = logging.getLogger(LOGGER)
    with _LOCK:
        for handler in list(root.handlers):
            if isinstance(handler, _RunLogHandler) and handler.thread == threading.get_ident():
                root.removeHandler(handler)
                handler.close()
                if not any(isinstance(h, _RunLogHandler) for h in root.handlers):
                    root.setLevel(handler.previous_level)
