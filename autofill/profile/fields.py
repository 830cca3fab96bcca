"""Walk a validated profile field by field, with each field's location and marks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from autofill.profile.load import Loc


@dataclass(frozen=True)
class FieldValue:
    loc: Loc
    value: Any
    title: str
    options: str | None  # the pack's option list, for select fields
    file_kind: str | None  # photo | attachment, for picture fields


def iter_fields(model: BaseModel, loc: Loc = ()) -> Iterator[FieldValue]:
    """Every set leaf field of `model` (lists of scalars count as one field), depth first."""
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        here = (*loc, name)
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if isinstance(value, BaseModel):
            yield from iter_fields(value, here)
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            for index, item in enumerate(value):
                yield from iter_fields(item, (*here, index))
        elif value is not None:
            options = extra.get("x-options")
            kind = extra.get("x-file")
            yield FieldValue(
                here,
                value,
                info.title or name,
                options if isinstance(options, str) else None,
                kind if isinstance(kind, str) else None,
            )
