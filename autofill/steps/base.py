"""What every step handler shares: filling a form from the plan, buttons, dialogs, and waiting
for the page's answer to a save (the next step, a dialog closing, or the page's own refusal)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from autofill.errors import StepError
from autofill.report import FieldLine
from autofill.widgets import ADAPTERS, Ui, Where
from autofill.widgets.base import RETRIES, SEEN, Locked, SessionExpired, exact, fold

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

    from autofill.pack import Buttons, SitePack
    from autofill.plan import Plan, Planned

log = logging.getLogger("autofill.steps")
Outcome = Literal["moved", "closed"]


# Holds once the page answered a save (for `Ui.wait_for`): the step bar moved, a dialog closed, an error appeared,
# or the login form came back (expired session).
_ANSWER_JS = """([seen, before, dialogTitle, loginLabel, arrived]) => {
  const visible = (el) => !!el && el.offsetParent !== null;
  const text = (el) => el.textContent.replace(/\\s+/g, ' ').trim();
  const error = [...document.querySelectorAll('.el-message--error, .el-message--warning')]
    .find(e => !e.hasAttribute(seen));
  if (error) return {kind: 'error', message: text(error)};
  const titles = [...document.querySelectorAll('.el-dialog__title')].filter(t => visible(t) && text(t) === dialogTitle);
  const scope = titles.length ? titles[0].closest('.el-dialog') : document;
  const fieldError = [...scope.querySelectorAll('.el-form-item__error')].find(visible);
  if (fieldError) {
    const label = fieldError.closest('.el-form-item')?.querySelector('.el-form-item__label');
    return {kind: 'field', label: label ? text(label) : '', message: text(fieldError)};
  }
  const labels = [...document.querySelectorAll('.el-form-item__label')];
  if (labels.some(l => visible(l) && text(l) === loginLabel) && !document.querySelector('.el-steps')) {
    return {kind: 'login'};
  }
  if (dialogTitle !== null) return titles.length ? false : {kind: 'closed'};
  if (arrived !== null && document.body.innerText.includes(arrived)) return {kind: 'moved'};
  const now = document.querySelector('.el-step__title.is-process');
  return (now ? text(now) : '') !== before ? {kind: 'moved'} : false;
}"""


@dataclass
class StepRun:
    """One step being filled: the page, the pack, the plan, and what was done (for the report)."""

    page: Page
    ui: Ui
    pack: SitePack
    plan: Plan
    title: str
    prune: bool = False
    lines: list[FieldLine] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    extra_rows: list[str] = field(default_factory=list)
    saved: int = 0  # the lines before this one were saved (or needed no save): the rest wait for a save

    @property
    def base_dir(self) -> Path:
        return self.plan.base_dir

    @property
    def buttons(self) -> Buttons:
        return self.pack.wizard.buttons

    def fill(self, planned: list[Planned], dialog: str | None = None) -> bool:
        """Make every planned field (in the dialog titled `dialog`, or on the page) show its value; True when
        anything changed."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        changed_any = False
        for p in planned:
            where = Where(self.title, p.path, p.spec.label)
            adapter = ADAPTERS[p.spec.widget](self.ui, p.spec, where, self.base_dir)
            if p.optional:  # an upload the profile names none for: compared only where the page shows it
                item = self.ui.find(p.spec.label, dialog, timeout_ms=0)
                if item is None:
                    continue
                shown = adapter.read(item)
                if adapter.same(p.value, shown):
                    continue  # nothing there either: no line
                if not self.prune:  # the site holds a file the profile does not name: said, left alone
                    self.lines.append(self._line(p, "", adapter.show(shown), "mismatch"))
                    continue
            else:
                item = self.ui.find(p.spec.label, dialog)
            if item is None:
                self.check_still_in_wizard()
                raise where.fail("页面上找不到这个字段", "the page has no field with this label")
            if p.spec.widget == "readonly":
                shown = adapter.read(item)
                ok = adapter.same(p.value, shown)
                self.lines.append(
                    self._line(p, adapter.show(p.value), adapter.show(shown), "unchanged" if ok else "mismatch")
                )
                continue
            try:
                changed, shown = adapter.apply(item, p.value)
            except Locked as locked:
                self.lines.append(self._line(p, adapter.show(p.value), adapter.show(locked.shown), "mismatch"))
                continue
            except PlaywrightTimeout:
                self.check_still_in_wizard()
                raise where.unfillable() from None
            changed_any |= changed
            log.debug("%s %s: %s", self.title, p.path, "changed" if changed else "unchanged")
            action = ("uploaded" if p.spec.widget == "upload" else "filled") if changed else "unchanged"
            if changed and p.optional:
                action = "deleted"  # --prune: the file the profile no longer names was removed
            self.lines.append(self._line(p, adapter.show(p.value), adapter.show(shown), action))
        return changed_any

    def not_saved(self) -> None:
        """The page refused the save: the values typed in since the last save were not stored, so their
        lines say so (the input's content is not what the site holds)."""
        for line in self.lines[self.saved :]:
            if line.action in ("filled", "uploaded", "edited", "added", "deleted"):
                line.action, line.page_value = "refused", None
        self.saved = len(self.lines)

    def check_still_in_wizard(self) -> None:
        """After a field timed out: if the page has left the wizard (a request found the session over and
        the site went back to 登录), that is an expired session, not a field the page lacks."""
        if not self.page.locator(".el-steps").count():
            raise SessionExpired

    def _line(self, p: Planned, value: str, shown: str, action: str) -> FieldLine:
        return FieldLine(step=self.title, path=p.path, label=p.spec.label, value=value, page_value=shown, action=action)

    def button(self, text: str, scope: Locator | None = None) -> Locator:
        root = scope if scope is not None else self.page.locator("body")
        return root.locator("button >> visible=true").filter(has_text=exact(text))

    def has_button(self, text: str, scope: Locator | None = None) -> bool:
        return self.button(text, scope).count() > 0

    @property
    def mismatches(self) -> list[FieldLine]:
        return [line for line in self.lines if line.action == "mismatch"]

    def dialog(self, title: str) -> Locator:
        return self.page.locator(".el-dialog >> visible=true").filter(
            has=self.page.locator(".el-dialog__title").filter(has_text=exact(title))
        )

    def active_step(self) -> str:
        now = self.page.locator(".el-step__title.is-process")
        return now.first.inner_text().strip() if now.count() else ""

    def press(
        self,
        text: str,
        *,
        scope: Locator | None = None,
        dialog: str | None = None,
        what: str = "",
        arrived: str | None = None,
        prepare: Callable[[], None] | None = None,
    ) -> Outcome:
        """Click a button and wait for the page's answer: the step bar moves, the `dialog` closes, or the
        page shows `arrived`. A busy site is tried again; a refusal is a StepError with the page's words."""
        before = self.active_step()
        self.ui.mark_seen()
        button = self.button(text, scope)
        if not button.count():
            raise StepError(
                f"页面上没有“{text}”按钮 (no {text!r} button on the page)", step=self.title, field=what or None
            )
        args = [SEEN, before, dialog, self.pack.pages.login.captcha, arrived]
        answer: dict[str, str] = {}
        for attempt in range(1, RETRIES + 2):
            if prepare is not None:
                prepare()  # e.g. tick 承诺 again: the page clears it after a failed 提交
            button.first.click()
            answer = self.ui.wait_for(_ANSWER_JS, args, self.ui.timeout_ms * 2)
            if answer["kind"] == "login" or self.ui.is_expired(answer.get("message")):
                raise SessionExpired
            if answer["kind"] in ("moved", "closed"):
                self.saved = len(self.lines)
                return answer["kind"]  # type: ignore[return-value]
            if not (answer["kind"] == "error" and self.ui.is_transient(answer["message"]) and attempt <= RETRIES):
                break
            self.ui.backoff(attempt)
            self.ui.mark_seen()
        self.not_saved()
        if answer["kind"] == "field":
            label, text = answer["label"], answer["message"]
            path = next((line.path for line in reversed(self.lines) if fold(line.label) == fold(label)), what or label)
            raise StepError(f"{label}：{text} (the page says: {text})", step=self.title, field=path)
        message = answer.get("message", "")
        raise StepError(
            f"网站拒绝：{message} (the site refused: {message})",
            step=self.title,
            field=what or None,
            transient=self.ui.is_transient(message),
        )
