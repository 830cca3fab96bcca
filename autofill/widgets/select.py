"""el-select (plain or filterable) and the cascade of selects (会计管理部门)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from autofill.widgets.base import Adapter, Where, fold

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page


def pick(page: Page, select: Locator, wanted: str, where: Where, timeout_ms: float) -> None:
    """Open `select`, click the option whose text is `wanted`, wait for the dropdown to close.

    Closed dropdowns stay in the DOM (appended to body), so the visible one is the one just opened.
    Options are compared width- and space-insensitively; a missing option names what the page offers.
    """
    select.locator(".el-input__inner").click()
    dropdown = page.locator(".el-select-dropdown >> visible=true")
    items = dropdown.locator("li.el-select-dropdown__item")
    items.first.wait_for(state="attached", timeout=timeout_ms)  # options may still be loading
    texts = [fold(t) for t in items.all_inner_texts()]
    if fold(wanted) not in texts:
        page.keyboard.press("Escape")
        offered = "、".join(texts[:12]) + ("…" if len(texts) > 12 else "")
        raise where.fail(
            f"页面没有选项“{wanted}”（页面提供：{offered}）",
            f"the page has no option {wanted!r}; it offers: {offered}",
        )
    items.nth(texts.index(fold(wanted))).click()
    dropdown.first.wait_for(state="hidden", timeout=timeout_ms)


class Select(Adapter):
    kind = "select"

    def read(self, item: Locator) -> str:
        return item.locator(".el-select .el-input__inner").first.input_value()

    def write(self, item: Locator, value: Any) -> None:
        select = item.locator(".el-select").first
        if value in (None, ""):
            clear = select.locator(".el-select__caret.el-icon-circle-close")
            select.hover()
            if clear.count():
                clear.first.click()
            return
        pick(self.page, select, str(value), self.where, self.ui.timeout_ms)


class Cascade(Adapter):
    """Several el-selects in one form item, each level loaded after the one before is chosen."""

    kind = "cascade"

    def read(self, item: Locator) -> list[str]:
        values = [
            v.strip() for v in item.locator(".el-select .el-input__inner").evaluate_all("els => els.map(e => e.value)")
        ]
        while values and not values[-1]:
            values.pop()
        return values

    def same(self, wanted: Any, shown: Any) -> bool:
        return [fold(v) for v in wanted or []] == [fold(v) for v in shown or []]

    def show(self, value: Any) -> str:
        return " / ".join(value or [])

    def write(self, item: Locator, value: Any) -> None:
        from playwright.sync_api import expect

        selects = item.locator(".el-select")
        for level, name in enumerate(value):
            select = selects.nth(level)
            expect(select.locator(".el-input.is-disabled")).to_have_count(0, timeout=self.ui.timeout_ms)
            if fold(select.locator(".el-input__inner").input_value()) != fold(name):
                pick(self.page, select, name, self.where, self.ui.timeout_ms)
