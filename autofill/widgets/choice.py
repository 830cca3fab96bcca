"""el-radio groups (是/否) and el-checkbox groups (会计工作类型)."""

from __future__ import annotations

from typing import Any

from autofill.widgets.base import Adapter, Item, fold


class Radio(Adapter):
    kind = "radio"

    def parse(self, raw: Any) -> str:
        return fold(raw)

    def write(self, item: Item, value: Any) -> None:
        radios = item.locator("label.el-radio")
        texts = [fold(t) for t in radios.all_inner_texts()]
        if fold(str(value)) not in texts:
            raise self.where.fail(f"页面没有选项“{value}”", f"the page has no choice {value!r}")
        radios.nth(texts.index(fold(str(value)))).click()


class CheckboxGroup(Adapter):
    kind = "checkbox_group"

    def parse(self, raw: Any) -> list[str]:
        return [fold(t) for t in raw]

    def same(self, wanted: Any, shown: Any) -> bool:
        return {fold(v) for v in wanted or []} == {fold(v) for v in shown or []}

    def show(self, value: Any) -> str:
        return "、".join(value or [])

    def write(self, item: Item, value: Any) -> None:
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
