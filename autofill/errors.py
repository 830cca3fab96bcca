"""The error family. Every message carries the file, field or step it is about.

Messages are bilingual: Chinese first (the site's words), English in brackets.
"""

from __future__ import annotations

from pathlib import Path


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (Playwright's carry a call log below), or its type's name."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class AutofillError(Exception):
    """Base of every error the CLI turns into a clean message and exit code 1."""

    def __init__(self, message: str, *, file: Path | str | None = None, field: str | None = None) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.field = field
        super().__init__(self.render())

    def render(self) -> str:
        where = ":".join(p for p in (self.file, self.field) if p)
        return f"{where}: {self.message}" if where else self.message


class ProfileError(AutofillError):
    """A profile that cannot be read at all (the checker reports everything else as findings)."""


class PackError(AutofillError):
    """A broken selector pack (selectors/*.yaml)."""


class ImageError(AutofillError):
    """A picture that cannot be read, checked or fixed."""


class BrowserError(AutofillError):
    """No usable browser, or it failed to start."""


class StepError(AutofillError):
    """A wizard step failed: names the step, the field and the page's own words.

    `transient` marks a failure that may go away when the whole run is tried again (the site stayed
    busy, the page did not answer); a refused value is never transient.
    """

    def __init__(self, message: str, *, step: str, field: str | None = None, transient: bool = False) -> None:
        self.step = step
        self.transient = transient
        super().__init__(message, file=step, field=field)
