"""What every widget adapter shares: finding an `el-form-item` by its label, the page's own
rejections (el-message, el-form-item__error), and the act → read back → verify cycle.

Element UI labels are not linked to their inputs, so a field is found as the `.el-form-item` whose
`.el-form-item__label` text equals the label (whitespace folded; the required `*` is CSS, not text).
Adapters know widgets, never profiles: they get a value and a form item.
"""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from autofill.errors import StepError

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

    from autofill.pack import FieldSpec

log = logging.getLogger("autofill.widgets")
SEEN = "data-autofill-seen"
# Marks every message and field error on the page as seen, so the next check only reports new ones.
MARK_SEEN_JS = f"""() => {{
  for (const el of document.querySelectorAll('.el-message, .el-form-item__error, .el-message-box__wrapper'))
    el.setAttribute('{SEEN}', '1');
}}"""
NEW_ERROR = f".el-message--error:not([{SEEN}])"
# Switches off Element UI's CSS transitions and animations: Vue's <transition> then ends at once.
NO_ANIMATIONS_JS = """() => {
  const style = document.createElement('style');
  style.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }';
  (document.head || document.documentElement).appendChild(style);
}"""
NO_ANIMATIONS_INIT = f"document.addEventListener('DOMContentLoaded', {NO_ANIMATIONS_JS});"


def fold(text: str) -> str:
    """Compare texts as a person reads them: NFKC, whitespace folded and trimmed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def _either_width(ch: str) -> str:
    """A regex for one character in its ASCII or full-width spelling (`(` or `（`)."""
    if "!" <= ch <= "~":
        return "[" + re.escape(ch) + re.escape(chr(ord(ch) + 0xFEE0)) + "]"
    return re.escape(ch)


def exact(text: str) -> re.Pattern[str]:
    """A pattern matching `text` exactly, as `fold` compares: whitespace- and width-insensitive."""
    words = ["".join(_either_width(c) for c in word) for word in fold(text).split(" ")]
    return re.compile(r"^\s*" + r"\s*".join(words) + r"\s*$")


@dataclass
class Where:
    """What a failure names: the step, the profile field and the site's label."""

    step: str
    path: str
    label: str

    def fail(self, zh: str, en: str, *, transient: bool = False) -> StepError:
        return StepError(f"{self.label}：{zh} ({en})", step=self.step, field=self.path, transient=transient)


# Element UI's v-loading mask over a part still loading its data (e.g. the wizard before its record)
LOADED_JS = "() => ![...document.querySelectorAll('.el-loading-mask')].some(m => m.offsetParent !== null)"
RETRIES = 4  # a transient refusal (系统繁忙) is tried again this many times, waiting longer each time
BACKOFF_S = 0.25


class Ui:
    """Page-level helpers the adapters share (one per Playwright page)."""

    def __init__(
        self, page: Page, timeout_ms: float = 15_000, transient: tuple[str, ...] = (), expired: tuple[str, ...] = ()
    ) -> None:
        self.page = page
        self.timeout_ms = timeout_ms
        self.transient = tuple(fold(t) for t in transient)
        self.expired = tuple(fold(t) for t in expired)

    def is_expired(self, message: str | None) -> bool:
        """The page says the session ended (it goes back to 登录)."""
        return bool(message) and any(t in fold(message or "") for t in self.expired)

    def is_transient(self, message: str | None) -> bool:
        """The page's refusal is one that goes away when tried again (the site was busy)."""
        return bool(message) and any(t in fold(message or "") for t in self.transient)

    def backoff(self, attempt: int) -> None:
        """Wait before trying again: 0.25 s, 0.5 s, 1 s, 2 s (bounded by RETRIES)."""
        log.info("the site was busy: trying again (%d/%d)", attempt, RETRIES)
        time.sleep(BACKOFF_S * 2 ** (attempt - 1))

    def wait_loaded(self) -> None:
        """Until no part of the page shows Element UI's loading mask."""
        self.page.wait_for_function(LOADED_JS, timeout=self.timeout_ms * 2)

    def mark_seen(self) -> None:
        self.page.evaluate(MARK_SEEN_JS)

    def new_error(self) -> str | None:
        """The text of an error message the page showed since the last `mark_seen`, if any."""
        errors = self.page.locator(NEW_ERROR)
        if errors.count():
            return fold(errors.last.inner_text())
        return None

    def wait_message(self) -> tuple[str, str]:
        """Wait for the page's next message (since `mark_seen`): (type, text), type error/success/…"""
        self.page.locator(f".el-message:not([{SEEN}])").first.wait_for(state="visible", timeout=self.timeout_ms)
        message = self.page.locator(f".el-message:not([{SEEN}])").first
        kind = next(
            (
                k
                for k in ("error", "success", "warning", "info")
                if f"el-message--{k}" in (message.get_attribute("class") or "")
            ),
            "info",
        )
        return kind, fold(message.inner_text())

    def field_error(self, scope: Locator) -> tuple[str, str] | None:
        """(label, message) of the first visible `el-form-item__error` inside `scope`."""
        errors = scope.locator(".el-form-item__error >> visible=true")
        if not errors.count():
            return None
        item = errors.first.locator("xpath=ancestor::div[contains(@class,'el-form-item')][1]")
        label = item.locator(".el-form-item__label")
        name = fold(label.first.inner_text()) if label.count() else ""
        return name, fold(errors.first.inner_text())


def form_item(scope: Locator, label: str) -> Locator:
    """The visible `.el-form-item` labelled `label` inside `scope`."""
    labels = scope.locator(".el-form-item__label >> visible=true").filter(has_text=exact(label))
    return labels.first.locator("xpath=..")


class SessionExpired(Exception):
    """The site sent the page back to 登录 in the middle of a step."""


class Locked(Exception):
    """The field differs from the profile but the page does not let it be changed (under review)."""

    def __init__(self, shown: Any) -> None:
        self.shown = shown
        super().__init__("locked")


def is_locked(item: Locator) -> bool:
    """Every control in the form item is disabled (the record is with the reviewers)."""
    controls = "input:not([type=file]), textarea, button"
    enabled = "input:not([type=file]):enabled, textarea:enabled, button:enabled"
    return item.locator(controls).count() > 0 and item.locator(enabled).count() == 0


class Adapter:
    """One widget kind: read the value shown, write a value, compare the two."""

    kind: ClassVar[str]

    def __init__(self, ui: Ui, spec: FieldSpec, where: Where, base_dir: Path) -> None:
        self.ui = ui
        self.page = ui.page
        self.spec = spec
        self.where = where
        self.base_dir = base_dir

    def read(self, item: Locator) -> Any:
        raise NotImplementedError

    def write(self, item: Locator, value: Any) -> None:
        raise NotImplementedError

    def same(self, wanted: Any, shown: Any) -> bool:
        return bool(fold(str(wanted or "")) == fold(str(shown or "")))

    def show(self, value: Any) -> str:
        """A value as the report prints it."""
        return "" if value is None else str(value)

    def apply(self, item: Locator, wanted: Any) -> tuple[bool, Any]:
        """Make the field show `wanted`. Returns (changed, value shown after). Fails if it did not stick."""
        shown = self.read(item)
        if self.same(wanted, shown):
            return False, shown
        if is_locked(item):
            raise Locked(shown)
        for attempt in range(1, RETRIES + 2):
            self.ui.mark_seen()
            self.write(item, wanted)
            rejected = self.ui.new_error()
            if self.ui.is_expired(rejected):
                raise SessionExpired
            if not (self.ui.is_transient(rejected) and attempt <= RETRIES):
                break
            self.ui.backoff(attempt)
        if rejected:
            busy = self.ui.is_transient(rejected)
            raise self.where.fail(f"网站拒绝：{rejected}", f"the site refused it: {rejected}", transient=busy)
        after = self.read(item)
        if not self.same(wanted, after):
            raise self.where.fail(
                f"填写后读回的值不符：应为“{self.show(wanted)}”，页面显示“{self.show(after)}”",
                f"the value did not stick: wanted {self.show(wanted)!r}, the page shows {self.show(after)!r}",
            )
        return True, after
