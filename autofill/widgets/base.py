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
from autofill.widgets.inpage import (
    AFTER_JS,
    FIND,
    GONE,
    ITEM,
    MARK_SEEN_JS,
    NEW_ERROR_JS,
    READ_JS,
    STATE_JS,
    TIMED_OUT,
    UNSETTLED,
    on_item,
    waiting,
)

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

    from autofill.pack import FieldSpec

log = logging.getLogger("autofill.widgets")
SEEN = "data-autofill-seen"
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

    def unfillable(self) -> StepError:
        return self.fail(
            "页面上的字段无法填写（可能已提交审核，或页面未响应）",
            "the field could not be filled: the record may be under review, or the page did not answer",
        )


# Element UI's v-loading mask over a part still loading its data (e.g. the wizard before its record)
LOADED_JS = "() => ![...document.querySelectorAll('.el-loading-mask')].some(m => m.offsetParent !== null)"
# what Playwright says when the page navigated while a script ran in it
NAVIGATED = ("Execution context was destroyed", "Cannot find context with specified id")
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

    def wait_for(self, predicate: str, arg: Any = None, timeout_ms: float | None = None) -> Any:
        """Wait in the page until `predicate(arg)` (JS, may use `inpage`'s helpers) answers something truthy,
        and return that: checked on each change of the DOM, not on every frame (`inpage.waiting`). A
        navigation meanwhile: checked again in the new document. Playwright's TimeoutError at the end."""
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        timeout = self.timeout_ms if timeout_ms is None else timeout_ms
        end = time.monotonic() + timeout / 1000
        while True:
            left = max(0.0, end - time.monotonic()) * 1000
            try:
                answer = self.page.evaluate(waiting(predicate), [arg, left])
            except PlaywrightError as exc:
                if not any(m in exc.message for m in NAVIGATED) or left <= 0:
                    raise
                continue
            if isinstance(answer, dict) and answer.get(TIMED_OUT):
                raise PlaywrightTimeout(f"waiting for the page timed out after {timeout:.0f} ms")
            return answer

    def wait_loaded(self) -> None:
        """Until no part of the page shows Element UI's loading mask."""
        self.wait_for(LOADED_JS, timeout_ms=self.timeout_ms * 2)

    def mark_seen(self) -> None:
        self.page.evaluate(MARK_SEEN_JS, SEEN)

    def find(self, label: str, dialog: str | None = None, timeout_ms: float | None = None) -> Item | None:
        """The visible form item labelled `label` (as `form_item` matches) in the dialog titled `dialog`, or
        anywhere; waits for it up to `timeout_ms` (the run's timeout; 0: only looks now, for a field the page
        shows only in some cases), None when it does not show. One call; the item is tagged."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            token = self.wait_for(FIND, [dialog, label], timeout_ms)
        except PlaywrightTimeout:
            return None
        return Item(self.page, f'[{ITEM}="{token}"]')

    def need(self, where: Where, dialog: str | None = None) -> Item:
        """`find`, failing with the field's name when the page does not show it."""
        item = self.find(where.label, dialog)
        if item is None:
            raise where.fail("页面上找不到这个字段", "the page has no field with this label")
        return item

    def new_error(self) -> str | None:
        """The text of an error message the page showed since the last `mark_seen`, if any."""
        error = self.page.evaluate(NEW_ERROR_JS, SEEN)
        return fold(error) if error else None

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


@dataclass(frozen=True)
class Item:
    """A form item found and tagged by `Ui.find`: Playwright reaches into it by `locator`, a script from
    `inpage` runs on it by `call` (one round trip; a handle would take three)."""

    page: Page
    selector: str

    def locator(self, selector: str) -> Locator:
        return self.page.locator(self.selector).locator(selector)

    def call(self, script: str, arg: Any = None) -> Any:
        """Run `script` (`(item, arg) => …`, may be async) on the item. It is gone (the page changed under
        it): Playwright's TimeoutError, as an action waiting for it would end."""
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            answer = self.page.evaluate(on_item(script), [self.selector, arg])
        except PlaywrightError as exc:
            if not any(m in exc.message for m in NAVIGATED):
                raise
            answer = {GONE: True}
        if isinstance(answer, dict) and answer.get(GONE):
            raise PlaywrightTimeout(f"the form item {self.selector} is no longer on the page")
        return answer


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


class Adapter:
    """One widget kind: read the value shown, write a value, compare the two."""

    kind: ClassVar[str]

    def __init__(self, ui: Ui, spec: FieldSpec, where: Where, base_dir: Path) -> None:
        self.ui = ui
        self.page = ui.page
        self.spec = spec
        self.where = where
        self.base_dir = base_dir

    def _args(self) -> list[Any]:
        return [self.kind, self.spec.present, self.spec.sample]

    def read(self, item: Item) -> Any:
        """What the field shows once it has settled (one call into the page: `inpage.READ_JS`)."""
        answer = item.call(READ_JS, [*self._args(), self.ui.timeout_ms])
        if answer.get(UNSETTLED):
            raise self.unsettled()
        return self.parse(answer["value"])

    def unsettled(self) -> StepError:
        """The field was still loading (its options, a file) when the time was up: worth another try."""
        return self.where.fail(
            "页面上的字段一直没有加载完（选项或文件仍在加载）",
            "the field never finished loading (its options or files were still loading)",
            transient=True,
        )

    def parse(self, raw: Any) -> Any:
        """The page's raw reading (`inpage` `read`) as this adapter compares it."""
        return raw

    def write(self, item: Item, value: Any) -> None:
        raise NotImplementedError

    def same(self, wanted: Any, shown: Any) -> bool:
        return bool(fold(str(wanted or "")) == fold(str(shown or "")))

    def show(self, value: Any) -> str:
        """A value as the report prints it."""
        return "" if value is None else str(value)

    def apply(self, item: Item, wanted: Any) -> tuple[bool, Any]:
        """Make the field show `wanted`. Returns (changed, value shown after). Fails if it did not stick.

        Two calls into the page besides the write: the state before (value, locked; messages marked seen)
        and the answer after (a new error message, the value shown). Both are read once the field has settled
        (`inpage.settled`): a value still loading (a cascade's lower level waiting for its list) is not taken
        for the value shown."""
        state = item.call(STATE_JS, [*self._args(), SEEN, self.ui.timeout_ms])
        if state.get(UNSETTLED):
            raise self.unsettled()
        shown = self.parse(state["value"])
        if self.same(wanted, shown):
            return False, shown
        if state["locked"]:
            raise Locked(shown)
        for attempt in range(1, RETRIES + 2):
            if attempt > 1:
                self.ui.mark_seen()
            self.write(item, wanted)
            answer = item.call(AFTER_JS, [*self._args(), SEEN, self.ui.timeout_ms])
            rejected = fold(answer["error"]) if answer["error"] else None
            if self.ui.is_expired(rejected):
                raise SessionExpired
            if not (self.ui.is_transient(rejected) and attempt <= RETRIES):
                break
            self.ui.backoff(attempt)
        if rejected:
            busy = self.ui.is_transient(rejected)
            raise self.where.fail(f"网站拒绝：{rejected}", f"the site refused it: {rejected}", transient=busy)
        after = self.parse(answer["value"])
        if not self.same(wanted, after):
            raise self.where.fail(
                f"填写后读回的值不符：应为“{self.show(wanted)}”，页面显示“{self.show(after)}”",
                f"the value did not stick: wanted {self.show(wanted)!r}, the page shows {self.show(after)!r}",
            )
        return True, after
