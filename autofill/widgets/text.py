"""Text inputs (el-input) and read-only fields."""

from __future__ import annotations

from typing import Any

from autofill.widgets.base import Adapter, Item
from autofill.widgets.inpage import TYPE_JS


class Text(Adapter):
    kind = "text"

    def parse(self, raw: Any) -> str:
        return "" if raw is None else str(raw)

    def write(self, item: Item, value: Any) -> None:
        # input (v-model), change, then blur: el-form rules with trigger "blur" run, as when a person tabs on
        if not item.call(TYPE_JS, "" if value is None else str(value)):
            raise self.where.unfillable()


class Readonly(Adapter):
    """A value the page shows but the person cannot change (from registration)."""

    kind = "readonly"

    def write(self, item: Item, value: Any) -> None:
        raise self.where.fail(
            f"这是只读字段，页面显示“{self.read(item)}”，档案为“{value}”",
            "a read-only field disagrees with the profile: fix the registration or the profile",
        )
