"""Text inputs (el-input) and read-only fields."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from autofill.widgets.base import Adapter, fold

if TYPE_CHECKING:
    from playwright.sync_api import Locator


def _input(item: Locator) -> Locator:
    return item.locator("input.el-input__inner, textarea.el-textarea__inner").first


class Text(Adapter):
    kind = "text"

    def read(self, item: Locator) -> str:
        return _input(item).input_value()

    def write(self, item: Locator, value: Any) -> None:
        box = _input(item)
        box.fill("" if value is None else str(value))
        box.dispatch_event("blur")  # el-form rules with trigger "blur" run now, as when a person tabs on


class Readonly(Adapter):
    """A value the page shows but the person cannot change (from registration)."""

    kind = "readonly"

    def read(self, item: Locator) -> str:
        box = item.locator("input, textarea")
        if box.count():
            return box.first.input_value()
        return fold(item.locator(".el-form-item__content").inner_text())

    def write(self, item: Locator, value: Any) -> None:
        raise self.where.fail(
            f"这是只读字段，页面显示“{self.read(item)}”，档案为“{value}”",
            "a read-only field disagrees with the profile: fix the registration or the profile",
        )
