"""el-radio groups (是/否) and el-checkbox groups (会计工作类型)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from autofill.widgets.base import Adapter, fold

if TYPE_CHECKING:
    from playwright.sync_api import Locator


class Radio(Adapter):
    kind = "radio"

    def read(self, item: Locator) -> str:
        chosen = item.locator("label.el-radio.is-checked")
        return fold(chosen.first.inner_text()) if chosen.count() else ""

    def write(self, item: Locator, value: Any) -> None:
        radios = item.locator("label.el-radio")
        texts = [fold(t) for t in radios.all_inner_texts()]
        if fold(str(value)) not in texts:
            raise self.where.fail(f"页面没有选项“{value}”", f"the page has no choice {value!r}")
        radios.nth(texts.index(fold(str(value)))).click()


class CheckboxGroup(Adapter):
    kind = "checkbox_group"

    def read(self, item: Locator) -> list[str]:
        return [fold(t) for t in item.locator("label.el-checkbox.is-checked").all_inner_texts()]

    def same(self, wanted: Any, shown: Any) -> bool:
        return {fold(v) for v in wanted or []} == {fold(v) for v in shown or []}

    def show(self, value: Any) -> str:
        return "、".join(value or [])

    def write(self, item: Locator, value: Any) -> None:
        boxes = item.locator("label.el-checkbox")
        states = boxes.evaluate_all("els => els.map(e => [e.innerText, e.classList.contains('is-checked')])")
        texts = [fold(text) for text, _ in states]
        wanted = {fold(v) for v in value or []}
        missing = wanted - set(texts)
        if missing:
            raise self.where.fail(f"页面没有选项“{'、'.join(sorted(missing))}”", f"the page lacks {sorted(missing)}")
        for index, (text, (_, checked)) in enumerate(zip(texts, states, strict=True)):
            if checked != (text in wanted):
                boxes.nth(index).click()
