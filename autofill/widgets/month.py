"""el-date-picker type="month", with the open-end checkbox (至今) some fields carry."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from autofill.widgets.base import Adapter, Item, exact

if TYPE_CHECKING:
    from playwright.sync_api import Locator

PRESENT = "至今"


class Month(Adapter):
    kind = "month"

    def _box(self, item: Item) -> Locator | None:
        if not self.spec.present:
            return None
        return item.locator("label.el-checkbox").filter(has_text=exact(self.spec.present))

    def parse(self, raw: Any) -> str:
        return PRESENT if raw["present"] else str(raw["value"])

    def write(self, item: Item, value: Any) -> None:
        box = self._box(item)
        present = value == PRESENT
        if box is not None and box.count():
            checked = "is-checked" in (box.first.get_attribute("class") or "")
            if checked != present:
                box.first.click()
        if present:
            if box is None:
                raise self.where.fail("这里不能选至今", "this field has no 至今 box")
            return
        field = item.locator(".el-date-editor input").first
        field.fill(str(value or ""))  # focusing opens the picker; Enter takes the typed month
        field.press("Enter")
        self.page.locator(".el-picker-panel >> visible=true").first.wait_for(state="hidden", timeout=self.ui.timeout_ms)
