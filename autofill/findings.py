"""A finding: one problem with one field of one file, error or warning."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One problem. `path` is the profile field (`work[0].accounting.start`), empty when none."""

    severity: Severity
    message_zh: str
    message_en: str
    path: str = ""
    file: str | None = None
    line: int | None = None
    code: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def at(self, *, path: str | None = None, file: str | None = None, line: int | None = None) -> Finding:
        """The same finding, placed at a field/file/line."""
        return replace(
            self,
            path=self.path if path is None else path,
            file=self.file if file is None else file,
            line=self.line if line is None else line,
        )

    def render(self) -> str:
        """`FILE:LINE path: 中文说明 (English)`, with `warning:` in front of warnings."""
        where = self.file or ""
        if where and self.line is not None:
            where = f"{where}:{self.line}"
        head = " ".join(p for p in (where, self.path) if p)
        tag = "warning: " if self.severity is Severity.WARNING else ""
        body = f"{tag}{self.message_zh} ({self.message_en})"
        return f"{head}: {body}" if head else body


def error(zh: str, en: str, path: str = "", code: str = "") -> Finding:
    return Finding(Severity.ERROR, zh, en, path=path, code=code)


def warning(zh: str, en: str, path: str = "", code: str = "") -> Finding:
    return Finding(Severity.WARNING, zh, en, path=path, code=code)


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.is_error for f in findings)


def to_json(findings: Iterable[Finding]) -> str:
    return json.dumps([asdict(f) for f in findings], ensure_ascii=False, indent=2)
