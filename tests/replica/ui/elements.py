"""How a QA engineer works Element UI widgets with Playwright (see examples/style.md, "Element UI
facts"). Every helper waits on a condition the page shows, never on time."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

# Element UI's CSS transitions only slow an automated page down; with them off Vue's <transition>
# finishes at once and the widgets behave the same.
NO_TRANSITIONS = """
document.addEventListener('DOMContentLoaded', () => {
  const style = document.createElement('style');
  style.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }';
  document.head.appendChild(style);
});
"""


def exact(text: str) -> re.Pattern[str]:
    """A pattern matching the whole (trimmed) text."""
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


def dialog(page: Page, title: str) -> Locator:
    """The open el-dialog with this title."""
    box = page.locator(".el-dialog__wrapper:visible .el-dialog").filter(
        has=page.locator(".el-dialog__title", has_text=exact(title))
    )
    expect(box).to_be_visible()
    return box


def _page(scope: Locator | Page) -> Page:
    return scope if isinstance(scope, Page) else scope.page


def item(scope: Locator | Page, label: str) -> Locator:
    """The el-form-item whose own label reads `label` (the `*` of a required one is CSS, not text)."""
    own_label = _page(scope).locator("xpath=./label[contains(concat(' ', @class, ' '), ' el-form-item__label ')]")
    return scope.locator(".el-form-item").filter(has=own_label.filter(has_text=exact(label))).first


def is_required(scope: Locator | Page, label: str) -> bool:
    """Whether Element marks the item required (its own `*`)."""
    classes = item(scope, label).get_attribute("class") or ""
    return "is-required" in classes.split()


def fill(scope: Locator | Page, label: str, value: str) -> None:
    """Type into the text input of an item."""
    box = item(scope, label).locator("input:not([type=file]), textarea").first
    box.fill(value)
    expect(box).to_have_value(value)


def pick(page: Page, scope: Locator | Page, label: str, option: str, *, nth: int = 0) -> None:
    """Choose `option` in the item's (nth) el-select; for a filterable select type to narrow first."""
    select = item(scope, label).locator(".el-select").nth(nth)
    select_option(page, select, option)


def select_option(page: Page, select: Locator, option: str) -> None:
    """Open an el-select, click the exact option in the visible dropdown, read the value back."""
    select.locator("input").first.click()
    dropdown = page.locator(".el-select-dropdown:visible")
    expect(dropdown).to_have_count(1)
    choice = dropdown.locator(".el-select-dropdown__item").filter(has_text=exact(option))
    choice.first.click()
    expect(page.locator(".el-select-dropdown:visible")).to_have_count(0)
    expect(select.locator("input").first).to_have_value(option)


def month(scope: Locator | Page, label: str, value: str) -> None:
    """Type YYYY-MM into the item's el-date-picker (type month) and confirm with Enter."""
    box = item(scope, label).locator(".el-date-editor input").first
    box.click()
    box.fill(value)
    box.press("Enter")
    expect(box).to_have_value(value)


def check(scope: Locator | Page, text: str) -> None:
    """Tick the el-checkbox whose label reads `text`."""
    box = scope.locator("label.el-checkbox").filter(has_text=exact(text)).first
    box.click()
    expect(box).to_have_class(re.compile(r"\bis-checked\b"))


def radio(scope: Locator | Page, label: str, choice: str) -> None:
    """Choose in the item's el-radio-group."""
    option = item(scope, label).locator("label.el-radio").filter(has_text=exact(choice)).first
    option.click()
    expect(option).to_have_class(re.compile(r"\bis-checked\b"))


def upload(scope: Locator | Page, label: str, path: Path) -> None:
    """Give the item's hidden file input a picture and wait until el-upload lists it as uploaded."""
    target = item(scope, label)
    target.locator("input[type=file]").set_input_files(str(path))
    expect(target.locator(".el-upload-list__item.is-success").filter(has_text=path.name)).to_have_count(1)


def button(scope: Locator | Page, text: str) -> Locator:
    """The el-button reading `text`."""
    return scope.locator("button.el-button").filter(has_text=exact(text))


def message(page: Page, kind: str, text: str | re.Pattern[str]) -> Locator:
    """The latest el-message of this type (error, warning, success, info) showing `text`."""
    return page.locator(f".el-message.el-message--{kind}").filter(has_text=text).last


def dismiss_messages(page: Page) -> None:
    """Close every el-message on the page, so the next one to appear is unambiguous."""
    page.evaluate("() => window.ELEMENT.Message.closeAll()")
    expect(page.locator(".el-message:visible")).to_have_count(0)


def active_step(page: Page) -> Locator:
    """The step bar's title of the step in progress."""
    return page.locator(".el-steps .el-step__title.is-process")


def table_rows(scope: Locator | Page) -> Locator:
    """The body rows of an el-table (no fixed columns here, so each row once)."""
    return scope.locator(".el-table__body-wrapper tbody tr.el-table__row")


def table_headers(scope: Locator | Page) -> list[str]:
    """The header texts of an el-table, left to right."""
    cells = scope.locator(".el-table__header-wrapper th .cell")
    return [t.strip() for t in cells.all_inner_texts()]
