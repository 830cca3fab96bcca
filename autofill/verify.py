"""`autofill selectors verify`: walk the site's pages and report where they differ from the pack.

The walk only reads. It checks the home, 注册 and 登录 pages, logs in, opens every wizard step the
step bar lets it open, opens each table's 新增 dialog and cancels it, opens a row's 查看详情 and 编辑
dialogs and closes them, and opens selects to read their options and closes them with Escape.
Nothing is saved for the person. (Hidden parts of a dialog are revealed the way a person would —
ticking 至今, answering 是 — and the dialog is then cancelled.)

What the pack says and what a page shows are compared by the small pure functions `diff_*`, which
use the driver's own matching (labels as `form_item` finds them, options as `pick` compares them),
so "no differences" means the driver will find what it looks for.

On the replica, with no profile, `Throwaway` makes a made-up person through the QA API and saves a
sample record for them through the replica's own API, so that every step can be opened.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import logging
import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote, urlparse

from autofill.errors import AutofillError, StepError, first_line
from autofill.pack import FieldSpec, SitePack
from autofill.widgets.base import exact, fold

if TYPE_CHECKING:
    from playwright.sync_api import APIRequestContext, Locator, Page

    from autofill.driver import Options, Session
    from autofill.plan import Plan

log = logging.getLogger("autofill.verify")

Kind = Literal[
    "step_unknown",
    "label_missing",
    "option_missing",
    "option_extra",
    "hint_changed",
    "dialog_missing",
    "column_missing",
    "column_extra",
    "button_missing",
]

KIND_WORDS: dict[str, str] = {
    "step_unknown": "选择器包不认识这个步骤 (step name unknown)",
    "label_missing": "页面上没有这个标签 (label missing)",
    "option_missing": "页面上没有这个选项 (option missing on the page)",
    "option_extra": "页面上有、选择器包没有的选项 (option on the page the pack lacks)",
    "hint_changed": "提示文字不同 (hint text changed)",
    "dialog_missing": "没有这个标题的对话框 (dialog title missing)",
    "column_missing": "表格没有这一列 (table column missing)",
    "column_extra": "页面上有、选择器包没有的列 (column on the page the pack lacks)",
    "button_missing": "页面上没有这个按钮 (button missing)",
}
ASSUMED_WORDS = "假定的列表不同 (assumed list differs)"
NOTHING = "（无）"
STEP_BAR = "步骤栏 (step bar)"
STATUS_WORDS = "审核状态文字 (status words)"
# Where things outside the wizard are (the tool's words for the pages, not the site's)
HOME, REGISTRATION, LOGIN = "首页 (home)", "注册页 (registration)", "登录页 (login)"
WIZARD = "信息采集向导 (wizard)"


@dataclass(frozen=True)
class Difference:
    """One place where the page and the pack disagree: `step / field: pack → page`."""

    step: str
    field: str
    kind: Kind
    pack: str
    page: str
    assumed: bool = False

    def render(self) -> str:
        """`step / field: what the pack says → what the page shows  [kind]`."""
        words = KIND_WORDS[self.kind] + (f"；{ASSUMED_WORDS}" if self.assumed else "")
        return f"{self.step} / {self.field}: {self.pack or NOTHING} → {self.page or NOTHING}  [{words}]"


@dataclass
class VerifyReport:
    """Everything a verification found: the differences, what could not be checked, where it went."""

    url: str
    differences: list[Difference] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)
    error: str | None = None

    def count(self, what: str, n: int = 1) -> None:
        """Count what was compared (labels, option lists, hints, tables, dialogs, buttons)."""
        self.checked[what] = self.checked.get(what, 0) + n

    def add(self, found: Iterable[Difference | None]) -> None:
        """Record differences (a hint that differs the same way in several places is kept once)."""
        for diff in found:
            if diff is None or diff in self.differences:
                continue
            if diff.kind == "hint_changed" and any(
                d.kind == "hint_changed" and (d.pack, d.page) == (diff.pack, diff.page) for d in self.differences
            ):
                continue
            self.differences.append(diff)

    def render(self) -> str:
        """The report as a person reads it."""
        lines = [f"核对的网址 (site): {self.url}"]
        if self.visited:
            lines.append("已核对 (checked): " + "、".join(self.visited))
        if self.checked:
            lines.append("比较了 (compared): " + ", ".join(f"{n} {what}" for what, n in self.checked.items()))
        if self.differences:
            lines.append(f"与选择器包不同之处 {len(self.differences)} 处 ({len(self.differences)} difference(s)):")
            lines += [f"  {d.render()}" for d in self.differences]
        else:
            lines.append("页面与选择器包一致 (no differences)")
        if self.unchecked:
            lines.append("未能核对 (not checked):")
            lines += [f"  {u}" for u in self.unchecked]
        if self.error:
            lines.append(f"核对中断 (verification stopped): {self.error}")
        return "\n".join(lines)

    def as_json(self) -> str:
        """The report for machines."""
        data = {
            "url": self.url,
            "differences": [{**asdict(d), "kind_text": KIND_WORDS[d.kind]} for d in self.differences],
            "unchecked": self.unchecked,
            "visited": self.visited,
            "checked": self.checked,
            "error": self.error,
        }
        return json.dumps(data, ensure_ascii=False, indent=2)


# --- comparisons (pure) ------------------------------------------------------------------------


def label_shown(label: str, shown: Iterable[str]) -> bool:
    """Whether a page label matches `label` the way the driver's `form_item` matches it."""
    pattern = exact(label)
    return any(pattern.match(text) for text in shown)


def closest(text: str, candidates: Iterable[str], cutoff: float = 0.0) -> str:
    """The candidate most like `text` ("" when none is close enough)."""
    folded = {fold(c): c for c in candidates if fold(c)}
    found = difflib.get_close_matches(fold(text), list(folded), n=1, cutoff=cutoff)
    return folded[found[0]] if found else ""


def diff_labels(
    step: str, expected: Sequence[str], shown: Sequence[str], *, kind: Kind = "label_missing"
) -> list[Difference]:
    """Labels the pack expects that the page does not show; the page side names the nearest label
    that no expected one matched (a renamed label shows its new text)."""
    unmatched = [s for s in shown if not any(exact(e).match(s) for e in expected)]
    return [
        Difference(step, label, kind, label, closest(label, unmatched, cutoff=0.4))
        for label in expected
        if not label_shown(label, shown)
    ]


def diff_options(
    step: str,
    label: str,
    pack_values: Sequence[str],
    page_values: Sequence[str],
    *,
    assumed: bool,
    extras: bool = True,
) -> list[Difference]:
    """Options missing on the page, and (with `extras`) options on the page the pack lacks.
    Compared as the driver picks them: width- and whitespace-insensitively."""
    on_page = {fold(v) for v in page_values}
    in_pack = {fold(v) for v in pack_values}
    out = [Difference(step, label, "option_missing", v, "", assumed) for v in pack_values if fold(v) not in on_page]
    if extras:
        out += [
            Difference(step, label, "option_extra", "", v, assumed)
            for v in dict.fromkeys(page_values)
            if fold(v) and fold(v) not in in_pack
        ]
    return out


def diff_columns(step: str, table: str, pack_columns: Sequence[str], page_columns: Sequence[str]) -> list[Difference]:
    """Columns the pack lists that the table lacks, and columns the table has that the pack lacks."""
    on_page = {fold(c) for c in page_columns}
    in_pack = {fold(c) for c in pack_columns}
    out = [Difference(step, table, "column_missing", c, "", False) for c in pack_columns if fold(c) not in on_page]
    out += [
        Difference(step, table, "column_extra", "", c, False)
        for c in page_columns
        if fold(c) and fold(c) not in in_pack
    ]
    return out


def diff_hint(step: str, label: str, hint: str, lines: Iterable[str]) -> Difference | None:
    """The pack's hint must appear in one of the lines the page shows by the field (a longer line
    that contains it counts); else the most similar line is what the page shows."""
    wanted = fold(hint)
    if not wanted:
        return None
    shown = [fold(line) for line in lines if fold(line)]
    if any(wanted in line for line in shown):
        return None
    return Difference(step, label, "hint_changed", hint, closest(hint, shown))


def step_title(text: str) -> str:
    """A step bar title without its number (`03 基本信息` → `基本信息`)."""
    return re.sub(r"^\s*\d+\s*", "", fold(text)).strip()


def diff_steps(pack: SitePack, titles: Sequence[str]) -> list[Difference]:
    """Step bar titles the pack has no handler for."""
    return [
        Difference(title, STEP_BAR, "step_unknown", "", title)
        for title in titles
        if pack.wizard.step_named(title) is None
    ]


def fields_of(pack: SitePack, handler: str) -> list[FieldSpec]:
    """The form fields a step shows: `forms.<handler>` and `forms.<handler>_*` (e.g. basic_readonly)."""
    return [
        spec
        for name, specs in pack.wizard.forms.items()
        if name == handler or name.startswith(handler + "_")
        for spec in specs
    ]


# --- the walk -------------------------------------------------------------------------------------


class Walker:
    """Reads the pages of one logged-in browser and records differences into a report."""

    def __init__(self, page: Page, pack: SitePack, report: VerifyReport, timeout_ms: float) -> None:
        self.page, self.pack, self.report, self.timeout_ms = page, pack, report, timeout_ms
        self.gate_seen = {"submit": False, "promise": False}
        self.review_text = ""

    # small reads

    @property
    def body(self) -> Locator:
        """The whole page."""
        return self.page.locator("body")

    def labels(self, scope: Locator) -> list[str]:
        """The visible form labels in `scope` (after waiting for the first one)."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        found = scope.locator(".el-form-item__label >> visible=true")
        try:
            found.first.wait_for(state="visible", timeout=self.timeout_ms)
        except PlaywrightTimeout:
            return []
        return [fold(t) for t in found.all_inner_texts()]

    def button(self, scope: Locator, text: str) -> Locator:
        """Visible buttons in `scope` whose text is `text` (as the driver finds them)."""
        return scope.locator("button >> visible=true").filter(has_text=exact(text))

    def has_button(self, scope: Locator, text: str) -> bool:
        """Whether `scope` shows a button `text`."""
        return self.button(scope, text).count() > 0

    def compare(self, what: str, found: Iterable[Difference | None], n: int = 1) -> None:
        """Record the differences of one comparison and count it."""
        self.report.count(what, n)
        self.report.add(found)

    def need_buttons(self, step: str, scope: Locator, texts: Sequence[str]) -> None:
        """Each of `texts` must be a visible button in `scope`."""
        self.report.count("buttons", len(texts))
        self.report.add(Difference(step, t, "button_missing", t, "") for t in texts if not self.has_button(scope, t))

    def visible_text(self, locator: Locator) -> bool:
        """Whether any element `locator` matches is visible."""
        return any(locator.nth(i).is_visible() for i in range(locator.count()))

    def read_select(self, select: Locator) -> list[str]:
        """Open an el-select, read its options, close it with Escape."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        select.locator(".el-input__inner").first.click()
        dropdown = self.page.locator(".el-select-dropdown >> visible=true").first
        dropdown.wait_for(state="visible", timeout=self.timeout_ms)
        items = dropdown.locator("li.el-select-dropdown__item")
        with contextlib.suppress(PlaywrightTimeout):  # options may still be loading; none is an answer too
            items.first.wait_for(state="attached", timeout=self.timeout_ms)
        texts = [fold(t) for t in items.all_inner_texts()]
        self.page.keyboard.press("Escape")
        dropdown.wait_for(state="hidden", timeout=self.timeout_ms)
        return texts

    # fields

    def check_fields(self, step: str, scope: Locator, fields: Sequence[FieldSpec], *, reveal: bool = False) -> None:
        """Every field's label; options of selects, checkbox groups and radios; upload hints."""
        from autofill.widgets import form_item

        shown = self.labels(scope)
        missing = [f for f in fields if not label_shown(f.label, shown)]
        if missing and reveal and self.reveal(scope, [f for f in fields if f not in missing]):
            shown = self.labels(scope)
            missing = [f for f in fields if not label_shown(f.label, shown)]
        self.compare("labels", diff_labels(step, [f.label for f in missing], shown), len(fields))
        for spec in fields:
            if spec not in missing:
                self.check_field(step, form_item(scope, spec.label), spec)

    def reveal(self, scope: Locator, fields: Sequence[FieldSpec]) -> bool:
        """Show a dialog's conditional parts as a person would: 是 on yes/no radios, 至今 on open ends.
        Only in dialogs that are then cancelled. True when anything was clicked."""
        from playwright.sync_api import expect

        from autofill.widgets import form_item

        clicked = False
        for spec in fields:
            if spec.widget == "radio" and spec.choices:
                target = form_item(scope, spec.label).locator("label.el-radio").filter(has_text=exact(spec.choices[0]))
            elif spec.widget == "month" and spec.present:
                target = form_item(scope, spec.label).locator("label.el-checkbox").filter(has_text=exact(spec.present))
            else:
                continue
            if target.count() and "is-checked" not in (target.first.get_attribute("class") or ""):
                target.first.click()
                expect(target.first).to_have_class(re.compile(r"\bis-checked\b"), timeout=self.timeout_ms)
                clicked = True
        return clicked

    def check_field(self, step: str, item: Locator, spec: FieldSpec) -> None:
        """What one shown field offers: its options, choices or upload hint."""
        pack = self.pack
        if spec.widget == "select" and spec.options:
            options = pack.option(spec.options)
            values = self.read_select(item.locator(".el-select").first)
            self.compare(
                "option lists", diff_options(step, spec.label, options.values, values, assumed=options.assumed)
            )
        elif spec.widget == "checkbox_group" and spec.options:
            options = pack.option(spec.options)
            values = [fold(t) for t in item.locator("label.el-checkbox").all_inner_texts()]
            self.compare(
                "option lists", diff_options(step, spec.label, options.values, values, assumed=options.assumed)
            )
        elif spec.widget == "radio" and spec.choices:
            values = [fold(t) for t in item.locator("label.el-radio").all_inner_texts()]
            self.compare(
                "option lists", diff_options(step, spec.label, list(spec.choices), values, assumed=spec.assumed)
            )
        elif spec.widget == "upload":
            limits = pack.files.get(spec.kind)
            if limits is not None:
                self.compare("hints", [diff_hint(step, spec.label, limits.hint, item.inner_text().splitlines())])
        elif spec.widget == "cascade":
            # The pack's tree is partial by design: only its names missing from the page count.
            values = self.read_select(item.locator(".el-select").first)
            names = [d.name for d in pack.departments.departments]
            self.compare(
                "option lists",
                diff_options(step, spec.label, names, values, assumed=pack.departments.assumed, extras=False),
            )

    # pages outside the wizard

    def check_home(self) -> None:
        """首页: the 注册, 会计人员登录 and 会计人员信息采集 entries."""
        home = self.pack.pages.home
        texts = (home.registration, home.login, home.collect)
        found = [
            Difference(HOME, text, "label_missing", text, "")
            for text in texts
            if not self.visible_text(self.page.get_by_text(text, exact=True))
        ]
        self.compare("labels", found, len(texts))
        self.report.visited.append(HOME)

    def check_registration(self, url: str) -> None:
        """Open 注册 from the home page, read its form, go back home. Nothing is sent."""
        reg = self.pack.pages.registration
        link = self.page.get_by_text(self.pack.pages.home.registration, exact=True)
        if not self.visible_text(link):
            self.report.unchecked.append(f"{REGISTRATION}: 首页没有“{self.pack.pages.home.registration}”链接 (no link)")
            return
        next(link.nth(i) for i in range(link.count()) if link.nth(i).is_visible()).click()
        labels = [reg.id_type, reg.id_number, reg.name, reg.password, reg.confirm, reg.mobile, reg.sms_code]
        shown = self.labels(self.body)
        self.compare("labels", diff_labels(REGISTRATION, labels, shown), len(labels))
        id_types = self.pack.options.get("id_type")
        if id_types is not None and label_shown(reg.id_type, shown):
            from autofill.widgets import form_item

            values = self.read_select(form_item(self.body, reg.id_type).locator(".el-select").first)
            self.compare(
                "option lists",
                diff_options(REGISTRATION, reg.id_type, id_types.values, values, assumed=id_types.assumed),
            )
        agree = self.page.locator("label.el-checkbox").filter(has_text=exact(reg.agree))
        self.compare(
            "labels",
            [None if self.visible_text(agree) else Difference(REGISTRATION, reg.agree, "label_missing", reg.agree, "")],
        )
        self.need_buttons(REGISTRATION, self.body, [reg.sms_button, reg.button])
        self.report.visited.append(REGISTRATION)
        self.page.goto(url)

    def check_login(self) -> bool:
        """The 登录 form; False when the driver could not log in through it."""
        lp = self.pack.pages.login
        found = diff_labels(LOGIN, [lp.account, lp.password, lp.captcha], self.labels(self.body))
        self.compare("labels", found, 3)
        self.need_buttons(LOGIN, self.body, [lp.button])
        self.report.visited.append(LOGIN)
        return not found and self.has_button(self.body, lp.button)

    def check_realname(self) -> None:
        """用户实名认证: the Alipay button and the 线上实名认证 form (opened, read, not sent)."""
        rp = self.pack.pages.realname
        where = rp.title
        dialog = self.page.locator(".el-dialog >> visible=true").filter(
            has=self.page.locator(".el-dialog__title").filter(has_text=exact(rp.title))
        )
        self.need_buttons(where, dialog, [rp.alipay_button])
        link = dialog.get_by_text(rp.online_link)
        if not self.visible_text(link):
            self.report.add([Difference(where, rp.online_link, "label_missing", rp.online_link, "")])
        else:
            link.first.click()
            shown = self.labels(dialog)
            labels = [rp.id_front, rp.id_back, rp.handheld, rp.location]
            self.compare("labels", diff_labels(where, labels, shown), len(labels))
            self.need_buttons(where, dialog, [rp.submit])
        self.report.visited.append(where)

    # the wizard

    def wait_for_step(self) -> None:
        """The step's content is shown (its buttons are: the record has loaded)."""
        b = self.pack.wizard.buttons
        anyone: Locator | None = None
        for text in (b.prev, b.next, b.save_next, b.submit):
            loc = self.button(self.body, text)
            anyone = loc if anyone is None else anyone.or_(loc)
        assert anyone is not None
        anyone.first.wait_for(state="visible", timeout=self.timeout_ms)

    def titles(self) -> list[str]:
        """The step bar's titles, without their numbers."""
        return [step_title(t) for t in self.page.locator(".el-step__title").all_inner_texts()]

    def active(self) -> int:
        """The index of the step in progress."""
        classes = self.page.locator(".el-step__title").evaluate_all("els => els.map(e => e.className)")
        return next((i for i, c in enumerate(classes) if "is-process" in str(c).split()), 0)

    def open_step(self, index: int) -> None:
        """Click the step bar title (steps already reached are links) and wait for it to be current."""
        if self.active() == index:
            return
        self.page.locator(".el-step__title").nth(index).click()
        self.page.wait_for_function(
            "i => document.querySelectorAll('.el-step__title')[i]?.classList.contains('is-process')",
            arg=index,
            timeout=self.timeout_ms,
        )
        self.wait_for_step()

    def walk_wizard(self) -> None:
        """Every step the step bar lets a person open, in order."""
        self.wait_for_step()
        tabs = [fold(t) for t in self.page.locator(".el-tabs__item >> visible=true").all_inner_texts()]
        self.compare("labels", diff_labels(WIZARD, self.pack.wizard.tabs, tabs), len(self.pack.wizard.tabs))
        titles = self.titles()
        self.compare("steps", diff_steps(self.pack, titles), len(titles))
        reached = self.active()
        for index, title in enumerate(titles):
            handler = self.pack.wizard.step_named(title)
            if index > reached:
                self.report.unchecked.append(f"{title}: 该账号尚未到达这一步 (the account has not reached this step)")
                continue
            self.open_step(index)
            log.info("step %d: %s", index + 1, title)
            self.check_step(index, len(titles), title, handler)
            self.report.visited.append(title)
        self.check_gate(titles)

    def check_step(self, index: int, count: int, title: str, handler: str | None) -> None:
        """One step: its moving buttons, then its form, scope radios, tables or review."""
        b = self.pack.wizard.buttons
        if index > 0:
            self.need_buttons(title, self.body, [b.prev])
        at_gate = self.has_button(self.body, b.submit)  # the step with 提交 goes no further
        self.gate_seen["submit"] |= at_gate
        if index < count - 1 and not at_gate:
            forward = self.has_button(self.body, b.save_next) or self.has_button(self.body, b.next)
            self.compare(
                "buttons",
                [None if forward else Difference(title, b.next, "button_missing", f"{b.save_next} / {b.next}", "")],
            )
        promise = self.page.locator("label.el-checkbox").filter(has_text=exact(self.pack.wizard.promise))
        self.gate_seen["promise"] |= self.visible_text(promise)
        if handler is None:
            return
        if handler == "scope":
            self.check_scopes(title)
        elif handler == "review":
            self.check_review(title)
        elif any(t.step == handler for t in self.pack.wizard.tables.values()):
            self.check_tables(title, handler)
        else:
            self.check_fields(title, self.body, fields_of(self.pack, handler))

    def check_scopes(self, title: str) -> None:
        """采集须知: a radio for every 采集范围 of the pack."""
        radios = [fold(t) for t in self.page.locator("label.el-radio >> visible=true").all_inner_texts()]
        self.report.count("labels", len(self.pack.scopes))
        for scope in self.pack.scopes.values():
            if label_shown(scope.title, radios):
                continue
            near = next((r for r in radios if r.startswith(fold(scope.marker))), "") or closest(scope.title, radios)
            self.report.add([Difference(title, scope.marker, "label_missing", scope.title, near)])

    def check_review(self, title: str) -> None:
        """审核告知: a status word the pack knows, and the parts table's columns when shown."""
        words = self.pack.wizard.review
        text = fold(self.body.inner_text())
        self.review_text = text
        known = [words.passed, words.failed, words.pending, words.not_submitted]
        if not any(fold(w) in text for w in known):
            self.report.add([Difference(title, STATUS_WORDS, "label_missing", " / ".join(known), "")])
        heads = [
            fold(t)
            for t in self.page.locator(".el-table >> visible=true")
            .locator(".el-table__header-wrapper th .cell")
            .all_inner_texts()
        ]
        if heads:
            self.compare("tables", diff_columns(title, title, words.columns, heads))
        else:
            self.report.unchecked.append(
                f"{title}: 表格未显示表头（尚无审核意见），未核对列名 (no table header shown yet: columns not checked)"
            )

    def check_gate(self, titles: Sequence[str]) -> None:
        """承诺 + 提交 must be somewhere while the record can still be submitted."""
        words = self.pack.wizard.review
        if not self.review_text or not any(fold(w) in self.review_text for w in (words.not_submitted, words.failed)):
            return
        where = next((t for t in titles if self.pack.wizard.step_named(t) == "review"), WIZARD)
        b = self.pack.wizard.buttons
        if not self.gate_seen["submit"]:
            self.report.add([Difference(where, b.submit, "button_missing", b.submit, "")])
        if not self.gate_seen["promise"]:
            promise = self.pack.wizard.promise
            self.report.add([Difference(where, promise, "label_missing", promise, "")])

    def check_tables(self, title: str, handler: str) -> None:
        """Each table of the step: its columns, its 新增 dialog, and a row's 查看详情 / 编辑 dialogs."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        specs = [spec for spec in self.pack.wizard.tables.values() if spec.step == handler]
        tables = self.page.locator(".el-table >> visible=true")
        with contextlib.suppress(PlaywrightTimeout):  # no table at all is reported below
            tables.first.wait_for(state="visible", timeout=self.timeout_ms)
        b = self.pack.wizard.buttons
        adds = self.button(self.body, b.add)
        count, add_count = tables.count(), adds.count()
        for index, spec in enumerate(specs):
            if index >= count:
                self.report.add([Difference(title, spec.noun, "column_missing", " | ".join(spec.columns), "")])
                continue
            table = tables.nth(index)
            heads = [fold(t) for t in table.locator(".el-table__header-wrapper th .cell").all_inner_texts()]
            self.compare("tables", diff_columns(title, spec.noun, spec.columns, heads))
            if index >= add_count:
                self.report.add([Difference(title, f"{spec.noun} {b.add}", "button_missing", b.add, "")])
            elif adds.nth(index).is_disabled():
                self.report.unchecked.append(f"{title}: {b.add}{spec.noun} 按钮不可用 (disabled: record locked)")
            else:
                self.check_dialog(title, adds.nth(index), b.add + spec.noun, spec.fields, [b.cancel, b.save])
            rows = table.locator(".el-table__body-wrapper tr.el-table__row")
            if not rows.count():
                self.report.unchecked.append(
                    f"{title}: {spec.noun} 表格没有行，未核对{b.view}/{b.edit} (no rows: row dialogs not checked)"
                )
                continue
            row = rows.first
            self.need_buttons(f"{title} · {spec.noun}", row, [b.view, b.edit, b.delete])
            view = self.button(row, b.view)
            if view.count():
                self.check_dialog(title, view.first, spec.noun + self.pack.wizard.view_suffix, None, [b.close])
            edit = self.button(row, b.edit)
            if edit.count() and edit.first.is_enabled():
                self.check_dialog(title, edit.first, b.edit + spec.noun, None, [b.cancel, b.save])

    def check_dialog(
        self, step: str, opener: Locator, title: str, fields: Sequence[FieldSpec] | None, buttons: Sequence[str]
    ) -> None:
        """Open a dialog, compare its title, fields and buttons, and close it without saving."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        b = self.pack.wizard.buttons
        opener.click()
        dialogs = self.page.locator(".el-dialog >> visible=true")
        try:
            dialogs.first.wait_for(state="visible", timeout=self.timeout_ms)
        except PlaywrightTimeout:
            self.report.add([Difference(step, title, "dialog_missing", title, "")])
            return
        dialog = dialogs.filter(has=self.page.locator(".el-dialog__title").filter(has_text=exact(title)))
        if not dialog.count():
            shown = fold(dialogs.first.locator(".el-dialog__title").first.inner_text())
            self.report.add([Difference(step, title, "dialog_missing", title, shown)])
            dialog = dialogs.first
        self.report.count("dialogs")
        log.info("dialog: %s", title)
        where = f"{step} · {title}"
        if fields is not None:
            self.check_fields(where, dialog, fields, reveal=True)
        self.need_buttons(where, dialog, buttons)
        closer = next((self.button(dialog, t) for t in (b.cancel, b.close) if self.has_button(dialog, t)), None)
        (closer or dialog.locator(".el-dialog__headerbtn")).first.click()
        dialogs.first.wait_for(state="hidden", timeout=self.timeout_ms)


# --- one verification ---------------------------------------------------------------------------


@dataclass
class Person:
    """Who logs in: a profile's plan and password. `prepare` runs once the account is verified and
    before the wizard is read (a throwaway account saves its sample record there)."""

    plan: Plan
    password: str
    prepare: Callable[[Page], None] | None = None


def verify_site(pack: SitePack, opts: Options, person: Person) -> VerifyReport:
    """Walk the site at `opts.url` as `person` and compare every page with `pack`. Never raises for
    what the page shows: a walk that cannot go on ends with `report.error` set."""
    from playwright.sync_api import Error as PlaywrightError

    from autofill.driver import Session, browser_context

    report = VerifyReport(url=opts.url)
    with browser_context(opts, None) as (context, page):
        session = Session(page, context, pack=pack, plan=person.plan, password=person.password, opts=opts)
        walker = Walker(page, pack, report, opts.timeout_ms)
        try:
            page.goto(opts.url)
            if session.where() == "home":
                walker.check_home()
                walker.check_registration(opts.url)
            if _reach_wizard(session, walker, person, report):
                walker.walk_wizard()
        except PlaywrightError as exc:
            report.error = f"页面没有响应：{first_line(exc)} (the page did not answer)"
        except AutofillError as exc:
            report.error = exc.render()
    return report


def _reach_wizard(session: Session, walker: Walker, person: Person, report: VerifyReport) -> bool:
    """Home → 登录 → 实名认证 → the wizard, checking each page the first time it shows."""
    page, pack = session.page, session.pack
    seen: set[str] = set()
    for _ in range(10):
        place = session.where()
        if place == "wizard" and person.prepare is not None and "prepared" not in seen:
            seen.add("prepared")
            person.prepare(page)
            page.reload()  # the wizard reads the record as it is now
            continue
        if place == "wizard":
            if "realname" not in seen:
                report.unchecked.append(
                    f"{pack.pages.realname.title}: 账号已实名认证，未显示 (already verified: not shown)"
                )
            return True
        if place == "home":
            page.get_by_text(pack.pages.home.collect, exact=True).first.click()
            page.locator(".el-steps, .el-dialog__title, .el-form-item__label").first.wait_for(timeout=walker.timeout_ms)
        elif place == "login":
            if "login" not in seen:
                seen.add("login")
                if not walker.check_login():
                    report.error = (
                        "登录页与选择器包不同，无法登录 (the login page differs from the pack: cannot log in)"
                    )
                    return False
            session.login()
        elif place == "realname":
            if "realname" not in seen:
                seen.add("realname")
                walker.check_realname()
                page.reload()  # back to the dialog's first panel
                continue
            session.realname()
    raise StepError("无法进入信息采集页面 (could not reach the 信息采集 wizard)", step=WIZARD)


# --- a throwaway account on the replica ---------------------------------------------------------

SAMPLE_SCOPE = 2  # (二): its needs (an accounting qualification) are met by the sample rows below


@dataclass(frozen=True)
class Throwaway:
    """A made-up person on the replica, created through its QA API (never on the real site)."""

    url: str
    id_type: str
    id_number: str
    name: str
    mobile: str
    password: str

    @classmethod
    def create(cls, url: str, pack: SitePack) -> Throwaway:
        """Register a new made-up person (not yet real-name verified) via `POST /__mock__/accounts`."""
        from stdnum.cn import ric

        rng = secrets.SystemRandom()
        body = (
            f"110101{rng.randint(1970, 1999)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
        )
        person = cls(
            url=_origin(url),
            id_type=pack.vocabulary.mainland_id_type,
            id_number=body + ric.calc_check_digit(body + "0"),
            name="核验测试",
            mobile=f"139{rng.randint(0, 99_999_999):08d}",
            password=f"Vf-{secrets.token_hex(4)}Aa1",
        )
        account = {
            "id_type": person.id_type,
            "id_number": person.id_number,
            "name": person.name,
            "mobile": person.mobile,
            "password": person.password,
            "verified": False,
        }
        _qa(person.url, "/__mock__/accounts", account)
        return person

    def person(self, pack: SitePack) -> Person:
        """The account as `verify_site` logs in with it (a made-up person whose selects hold the pack's
        first options); its sample record is saved once real-name verification is done."""
        from autofill.plan import Plan
        from autofill.profile.model import Profile

        def first(key: str) -> str:
            return pack.option(key).values[0]

        profile = Profile.model_validate(
            {
                "scope": SAMPLE_SCOPE,
                "account": {
                    "id_type": self.id_type,
                    "id_number": self.id_number,
                    "name": self.name,
                    "mobile": self.mobile,
                },
                "department": {"province": pack.departments.departments[0].name},
                "basic": {
                    "political_status": first("political_status"),
                    "ethnicity": first("ethnicity"),
                    "address": SAMPLE_ADDRESS,
                },
                "education": [
                    {
                        **SAMPLE_EDUCATION,
                        "mode": first("education_mode"),
                        "level": first("education_level"),
                        "degree": first("degree"),
                        "major": first("major"),
                    }
                ],
            }
        )
        return Person(Plan(profile, Path.cwd()), self.password, prepare=self.save_sample_record)

    def save_sample_record(self, page: Page) -> None:
        """Save a complete record (one row in every table) through the replica's API, with the
        browser's session, using the first option the replica offers for every select; then mark
        the last step reached so that the step bar opens every step."""
        api = _ReplicaApi(page.request, self.url)
        config = api.call("GET", "/api/config")
        options: dict[str, list[str]] = api.call("GET", "/api/options")
        steps: list[str] = config.get("step_keys") or []

        def first(key: str) -> str:
            values = options.get(key) or []
            if not values:
                raise AutofillError(f"模拟站点没有选项列表 {key} (the replica offers no {key} options)", file=self.url)
            return values[0]

        path: list[str] = []
        for _ in range(3):
            query = f"?parent={quote('/'.join(path))}" if path else ""
            names = api.call("GET", "/api/departments" + query)
            if not names:
                break
            path.append(names[0])
        levels = [*path, None, None, None][:3]
        api.call("PUT", "/api/record/department", {"province": levels[0], "city": levels[1], "district": levels[2]})
        api.call("PUT", "/api/record/scope", {"scope": SAMPLE_SCOPE})
        photo = api.call(
            "POST", "/api/files", files={"kind": "photo", "file": ("photo.jpg", _photo_jpeg(), "image/jpeg")}
        )
        # no current job: the ID sides are asked for (the 附件 hint), so every slot of 基本信息 shows a file
        sides = [
            api.call("POST", "/api/files", files={"kind": "attachment", "file": (name, _photo_jpeg(), "image/jpeg")})
            for name in ("id-front.jpg", "id-back.jpg")
        ]
        api.call(
            "PUT",
            "/api/record/basic",
            {
                "photo": photo["id"],
                "political_status": first("political_status"),
                "ethnicity": first("ethnicity"),
                "address": SAMPLE_ADDRESS,
                "id_front": sides[0]["id"],
                "id_back": sides[1]["id"],
            },
        )
        api.call(
            "POST",
            "/api/record/education",
            {
                **SAMPLE_EDUCATION,
                "mode": first("education_mode"),
                "level": first("education_level"),
                "degree": first("degree"),
                "major": first("major"),
            },
        )
        if "work" in steps:
            api.call(
                "POST",
                "/api/record/work",
                {
                    **SAMPLE_WORK,
                    "uscc": _uscc(),
                    "employer_type": first("employer_type"),
                    "industry": first("industry"),
                    "has_accounting": False,
                },
            )
        if "qualifications" in steps:
            api.call(
                "POST",
                "/api/record/qualifications/accounting",
                {
                    "level": first("qualification_level"),
                    "method": first("qualification_method"),
                    "cert_no": SAMPLE_CERT_NO,
                },
            )
            api.call(
                "POST",
                "/api/record/qualifications/other",
                {
                    "type": first("other_qualification_type"),
                    "level": first("other_qualification_level"),
                    "date": SAMPLE_QUALIFICATION_DATE,
                    "cert_no": SAMPLE_CERT_NO,
                },
            )
        api.call("PUT", "/api/record/step", {"step": len(steps) - 1})
        # Submitted and sent back with a reason: 审核告知 then shows its table with headers, and the
        # record stays editable (新增/编辑 open) with 承诺 + 提交 offered again.
        api.call("POST", "/api/record/submit", {"promise": True})
        _qa(
            self.url,
            f"/__mock__/review/{quote(self.id_number)}",
            {
                "basic": "fail",
                "education": ["pass"],
                "work": ["pass"] if "work" in steps else [],
                "reasons": {"basic": SAMPLE_REASON},
            },
        )

    def forget(self) -> None:
        """Remove the login state the session kept for this throwaway person."""
        from autofill.login_state import state_path

        state_path(self.id_number, self.url).unlink(missing_ok=True)


# The sample person's free-text values (made up); select values come from the site's own lists.
SAMPLE_ADDRESS = "示例市示例路1号"
SAMPLE_EDUCATION = {
    "school": "示例核验大学",
    "start": "2010-09",
    "end": "2014-07",
    "diploma_no": "100001201407000001",
    "degree_no": "1000142014000001",
}
SAMPLE_WORK = {
    "start": "2014-09",
    "end": "2016-12",
    "employer": "示例核验有限公司",
    "address": "示例市示例路2号",
    "phone": "010-12345678",
}
SAMPLE_CERT_NO = "Z2017000001"
SAMPLE_QUALIFICATION_DATE = "2018-05"
SAMPLE_REASON = "示例审核意见：照片不清晰"


class _ReplicaApi:
    """JSON calls to the replica with the browser's cookies (its logged-in session)."""

    def __init__(self, request: APIRequestContext, origin: str) -> None:
        self.request, self.origin = request, origin

    def call(
        self, method: str, path: str, body: dict[str, Any] | None = None, *, files: dict[str, Any] | None = None
    ) -> Any:
        multipart: dict[str, Any] | None = None
        if files is not None:
            multipart = {
                key: (value if isinstance(value, str) else {"name": value[0], "buffer": value[1], "mimeType": value[2]})
                for key, value in files.items()
            }
        response = self.request.fetch(self.origin + path, method=method, data=body, multipart=multipart)
        text = response.text()
        if not response.ok:
            raise AutofillError(
                f"模拟站点拒绝保存示例记录：{_message(text)} (the replica refused the sample record at {path})",
                file=self.origin,
            )
        return json.loads(text) if text else None


def _qa(origin: str, path: str, body: dict[str, Any]) -> Any:
    """POST to the replica's QA API; AutofillError with the replica's words when refused."""
    import httpx

    try:
        with httpx.Client(timeout=30) as client:
            answer = client.post(origin + path, json=body)
    except httpx.HTTPError as exc:
        raise AutofillError(
            f"模拟站点的 QA 接口无法访问 (the replica's QA API failed: {type(exc).__name__}; is {origin} the replica?)",
            file=origin,
        ) from None
    if answer.status_code >= 400:
        raise AutofillError(
            f"模拟站点的 QA 接口拒绝了请求：{_message(answer.text)} (the replica's QA API refused {path})",
            file=origin,
        )
    return answer.json() if answer.content else None


def _message(text: str) -> str:
    try:
        data = json.loads(text)
    except ValueError:
        return text[:200]
    return str(data.get("message", "")) if isinstance(data, dict) else text[:200]


def _origin(url: str) -> str:
    parts = urlparse(url)
    return f"{parts.scheme}://{parts.netloc}"


def _uscc() -> str:
    from stdnum.cn import uscc

    rng = secrets.SystemRandom()
    body = "91110108" + "".join(rng.choice("0123456789") for _ in range(9))
    return body + uscc.calc_check_digit(body)


def _photo_jpeg() -> bytes:
    """A made-up ID photo: 300×420 px of noise, well over 10 KB (drawn with Pillow)."""
    import io

    from PIL import Image

    picture = Image.effect_noise((300, 420), 48).convert("RGB")
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=90)
    return out.getvalue()
