"""Dates as profiles and the site write them: `YYYY-MM`, `YYYY-MM-DD`, and `至今` for an open end."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema

PRESENT_WORDS = ("至今", "present")
_DATE = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")


@dataclass(frozen=True)
class SiteDate:
    """A month (day optional), or the open end `至今`. Compared at the coarsest common precision."""

    year: int
    month: int
    day: int | None = None
    present: bool = False

    def _key(self, other: SiteDate) -> tuple[tuple[int, ...], tuple[int, ...]]:
        if self.present or other.present:
            return ((1,) if self.present else (0,)), ((1,) if other.present else (0,))
        if self.day is not None and other.day is not None:
            return (0, self.year, self.month, self.day), (0, other.year, other.month, other.day)
        return (0, self.year, self.month), (0, other.year, other.month)

    def before(self, other: SiteDate) -> bool:
        """Strictly earlier (a month is not before itself, nor before a day inside it)."""
        a, b = self._key(other)
        return a < b

    def after(self, other: SiteDate) -> bool:
        return other.before(self)

    @property
    def month_text(self) -> str:
        """`YYYY-MM` (what a month picker holds); `至今` for the open end."""
        return "至今" if self.present else f"{self.year:04d}-{self.month:02d}"

    def __str__(self) -> str:
        if self.present:
            return "至今"
        if self.day is None:
            return self.month_text
        return f"{self.month_text}-{self.day:02d}"


PRESENT = SiteDate(9999, 12, present=True)


def parse_date(value: Any, *, allow_present: bool = False) -> SiteDate:
    """Read a profile date. Raises ValueError with a bilingual message."""
    if isinstance(value, SiteDate):
        if value.present and not allow_present:
            raise ValueError("这里不能填至今 (an open end `至今` is not allowed here)")
        return value
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return SiteDate(value.year, value.month, value.day)
    if not isinstance(value, str):
        raise ValueError(f"日期应写成 YYYY-MM 或 YYYY-MM-DD (a date must be text like 2012-07, got {value!r})")
    text = value.strip()
    if text.lower() in PRESENT_WORDS:
        if not allow_present:
            raise ValueError("这里不能填至今 (an open end `至今` is not allowed here)")
        return PRESENT
    match = _DATE.match(text)
    if not match:
        raise ValueError(f"日期应写成 YYYY-MM 或 YYYY-MM-DD (a date must look like 2012-07, got {text!r})")
    year, month = int(match[1]), int(match[2])
    day = int(match[3]) if match[3] else None
    try:
        dt.date(year, month, 1 if day is None else day)
    except ValueError:
        raise ValueError(f"不存在的日期 (no such date: {text})") from None
    if not 1900 <= year <= 2100:
        raise ValueError(f"年份不合理 (year out of range: {text})")
    return SiteDate(year, month, day)


_PATTERN = r"^\d{4}-\d{1,2}(-\d{1,2})?$"

Date = Annotated[
    SiteDate,
    PlainValidator(parse_date),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": _PATTERN, "examples": ["2012-07", "2012-07-01"]}),
]
"""A start date: `YYYY-MM` or `YYYY-MM-DD`."""

EndDate = Annotated[
    SiteDate,
    PlainValidator(lambda v: parse_date(v, allow_present=True)),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": _PATTERN},
                {"type": "string", "enum": list(PRESENT_WORDS)},
            ],
            "examples": ["2012-07", "至今"],
        }
    ),
]
"""An end date, or `至今` (also `present`) while it goes on."""
