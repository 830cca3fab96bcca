"""el-select (plain or filterable) and the cascade of selects (会计管理部门)."""

from __future__ import annotations

from typing import Any

from autofill.widgets.base import Adapter, Item, Where, fold
from autofill.widgets.inpage import PICK_JS


def pick(item: Item, index: int, wanted: str, where: Where, timeout_ms: float) -> None:
    """Choose the option whose text is `wanted` in the item's `index`-th el-select (one call into the page:
    `inpage.PICK_JS`).

    Options are compared width- and space-insensitively; a missing option names what the page offers.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    answer = item.call(PICK_JS, [index, fold(wanted), timeout_ms])
    if "offered" in answer:
        texts = answer["offered"]
        offered = "、".join(texts[:12]) + ("…" if len(texts) > 12 else "")
        raise where.fail(
            f"页面没有选项“{wanted}”（页面提供：{offered}）",
            f"the page has no option {wanted!r}; it offers: {offered}",
        )
    if "timeout" in answer:
        raise PlaywrightTimeout(f"el-select: waiting for {answer['timeout']} timed out after {timeout_ms} ms")


class Select(Adapter):
    kind = "select"

    def write(self, item: Item, value: Any) -> None:
        if value in (None, ""):
            select = item.locator(".el-select").first
            clear = select.locator(".el-select__caret.el-icon-circle-close")
            select.hover()
            if clear.count():
                clear.first.click()
            return
        pick(item, 0, str(value), self.where, self.ui.timeout_ms)


class Cascade(Adapter):
    """Several el-selects in one form item, each level loaded after the one before is chosen."""

    kind = "cascade"

    def parse(self, raw: Any) -> list[str]:
        values = [v.strip() for v in raw]
        while values and not values[-1]:
            values.pop()
        return values

    def same(self, wanted: Any, shown: Any) -> bool:
        return [fold(v) for v in wanted or []] == [fold(v) for v in shown or []]

    def show(self, value: Any) -> str:
        return " / ".join(value or [])

    def write(self, item: Item, value: Any) -> None:
        for level, name in enumerate(value):
            shown = self.read(item)
            if level >= len(shown) or fold(shown[level]) != fold(name):
                pick(item, level, name, self.where, self.ui.timeout_ms)  # waits until the level is enabled
