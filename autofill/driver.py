"""The driver: log in, pass the real-name modal, walk the wizard step by step as the step bar says,
fill every field from the plan, and stop at the review gate (承诺 + 提交) unless told to submit.

The step the page is on is read from the step bar, never assumed, so every layout of the wizard is
filled by the same loop. An expired session logs in again and the walk starts over; every step is
idempotent (fields are read before they are written, rows are reconciled), so nothing is done twice.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autofill import __version__
from autofill.errors import AutofillError, BrowserError, StepError, first_line
from autofill.human import CaptchaExpired, Humans, terminal_humans
from autofill.login_state import load_state, save_state, state_path
from autofill.pack import FieldSpec, SitePack
from autofill.plan import Plan
from autofill.report import FieldLine, Person, RunReport, StepReport, write_report
from autofill.runs import RunDir, close_log, open_log
from autofill.steps import forms, review, tables
from autofill.steps.base import StepRun
from autofill.widgets import ADAPTERS, Ui, Where, form_item
from autofill.widgets.base import NO_ANIMATIONS_INIT, SessionExpired, exact

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Locator, Page

log = logging.getLogger("autofill.driver")

HANDLERS: dict[str, Callable[[StepRun], None]] = {
    "department": forms.department,
    "scope": forms.scope,
    "basic": forms.basic,
    "education": lambda run: tables.fill_tables(run, "education"),
    "work": lambda run: tables.fill_tables(run, "work"),
    "qualifications": lambda run: tables.fill_tables(run, "qualifications"),
    "review": lambda run: None,
}
MAX_STEPS = 20  # more moves than any layout has steps: a page that never reaches the gate is a failure
MAX_RELOGINS = 3
LOGIN_TRIES = 3
PERSON_WAIT_MS = 300_000  # a person typing a captcha or scanning a QR code
# A step's screenshot shows the step, not the toasts of its saves and uploads (保存成功, 上传成功) stacked over
# the step bar and title: Element's messages are hidden for the shot (a failure's shot keeps them: its words).
NO_TOASTS_CSS = ".el-message { visibility: hidden !important; }"


@dataclass
class Options:
    """How to run: where, how visible, what to do at the gate, and who answers the human steps."""

    url: str
    headless: bool = True
    submit: bool = False
    yes: bool = False
    prune: bool = False
    trace: bool = False
    out: Path = Path("runs")
    humans: Humans | None = None  # None: a person (headed: types in the page; headless: at the terminal)
    confirm: Callable[[RunReport], bool] = lambda report: False  # asked before 提交, given the comparison
    say: Callable[[str], None] = print
    progress: Callable[[str], None] = lambda where: None  # told each step's name as the run reaches it
    timeout_ms: float = 15_000
    browser: Browser | None = None  # a running browser to open this run's context in (else one is launched)
    screencast: bool = True  # film the run for the failure trace (a fifth of a run's CPU: a batch goes without)


@dataclass
class Outcome:
    """What a run left: its report and folder, the review status shown, and the failure if any."""

    report: RunReport
    run_dir: RunDir
    status: review.ReviewStatus | None = None
    error: AutofillError | None = None


class Session:
    """One person's browser session on the site: login, real-name, reaching the wizard."""

    def __init__(
        self, page: Page, context: BrowserContext, *, pack: SitePack, plan: Plan, password: str, opts: Options
    ) -> None:
        self.page, self.context, self.pack, self.plan = page, context, pack, plan
        self.password, self.opts = password, opts
        self.ui = Ui(page, opts.timeout_ms, tuple(pack.wizard.transient_errors), tuple(pack.wizard.session_expired))
        self.state_file = state_path(plan.profile.account.id_number, opts.url)

    def _login_form(self) -> Locator:
        return form_item(self.page.locator("body"), self.pack.pages.login.captcha)

    def _realname_dialog(self) -> Locator:
        title = self.pack.pages.realname.title
        return self.page.locator(".el-dialog >> visible=true").filter(
            has=self.page.locator(".el-dialog__title").filter(has_text=exact(title))
        )

    def where(self) -> str:
        """Which page the browser shows: realname, login, wizard or home."""
        candidates = {
            "realname": self._realname_dialog(),
            "login": self._login_form(),
            "wizard": self.page.locator(".el-steps >> visible=true"),
            "home": self.page.get_by_text(self.pack.pages.home.collect, exact=True),
        }
        anyone = None
        for loc in candidates.values():
            anyone = loc if anyone is None else anyone.or_(loc)
        assert anyone is not None
        anyone.first.wait_for(state="visible", timeout=self.opts.timeout_ms * 2)
        for name, loc in candidates.items():
            if loc.count() and loc.first.is_visible():
                return name
        return "home"

    def reach_wizard(self) -> None:
        """From wherever the page is, to the wizard (logging in and verifying on the way). A page that stops
        answering is a failure of the part it was in: 登录, or 实名认证 up to the wizard after it."""
        from playwright.sync_api import Error as PlaywrightError

        stage = "登录"
        try:
            for _ in range(8):
                place = self.where()
                log.info("page shows: %s", place)
                if place == "wizard":
                    self.ui.wait_loaded()  # the step bar shows before the record: it then moves to the step reached
                    return
                if place == "home":
                    if not self._open_collect():
                        continue  # the link went since `where` saw it: the page moved on by itself
                elif place == "login":
                    stage = "登录"
                    self.opts.progress(stage)
                    self.login()
                elif place == "realname":
                    stage = "实名认证"
                    self.opts.progress(stage)
                    self.realname()
                    self._after_realname()
        except PlaywrightError as exc:
            raise page_failed(exc, stage) from None
        raise StepError("无法进入信息采集页面 (could not reach the 信息采集 wizard)", step=stage)

    def _open_collect(self) -> bool:
        """Click the home page's 信息采集 link if it is still there (found and clicked in one call into the page:
        a link gone in between is not waited for), then wait for what it opens. False: it was gone."""
        link = self.page.get_by_text(self.pack.pages.home.collect, exact=True)
        clicked = link.evaluate_all(
            """els => {
              const el = els.find((e) => e.isConnected && e.getClientRects().length > 0);
              if (el) el.click();
              return Boolean(el);
            }"""
        )
        if clicked:
            self.page.locator(".el-steps, .el-dialog__title, .el-form-item__label").first.wait_for(
                timeout=self.opts.timeout_ms
            )
        return bool(clicked)

    def _after_realname(self) -> None:
        """Verified: the site takes it in and moves on to the wizard by itself. Meanwhile the home page shows
        its 信息采集 link, gone a moment later (a click on it would wait for it in vain), or, clicked before the
        site knows of the verification, opening the real-name dialog again. So wait for the dialog to close and
        the page to move on: to the wizard (or back to 登录 or 实名认证). A site that stays on the home page is
        taken on from there when the time is up."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        self._realname_dialog().first.wait_for(state="hidden", timeout=self.opts.timeout_ms)
        moved = self.page.locator(".el-steps >> visible=true").or_(self._login_form()).or_(self._realname_dialog())
        try:
            moved.first.wait_for(state="visible", timeout=self.opts.timeout_ms)
        except PlaywrightTimeout:
            log.info("the page stayed where it was after real-name verification: going on from there")

    def _session_cookie(self) -> str | None:
        for cookie in self.context.cookies(self.opts.url):
            if "session" in cookie.get("name", "").lower():
                return str(cookie.get("value"))
        return None

    def login(self) -> None:
        """证件号码 + 密码 + 验证码. The captcha is typed by a person (headed), asked in the terminal
        (headless), or answered by the given solver; a refusal is retried with a fresh captcha."""
        lp = self.pack.pages.login
        body = self.page.locator("body")
        form_item(body, lp.account).locator("input").first.fill(self.plan.profile.account.id_number)
        form_item(body, lp.password).locator("input").first.fill(self.password)
        captcha_item = form_item(body, lp.captcha)
        last = ""
        for attempt in range(1, LOGIN_TRIES + 1):
            image = captcha_item.locator("img").first
            self.ui.wait_for("img => img.complete && img.naturalWidth > 0", image.element_handle())
            if self.opts.humans is None and not self.opts.headless:
                self.opts.say("请在浏览器中输入验证码并点击“登录” (type the captcha in the browser and press 登录)")
                captcha_item.locator("input").first.focus()
                self._login_form().wait_for(state="hidden", timeout=PERSON_WAIT_MS)
                break
            humans = self.opts.humans
            if humans is None:
                raise AutofillError("需要输入验证码 (a captcha needs a person)")
            try:
                text = humans.captcha.solve(image.screenshot(), self._session_cookie())
            except CaptchaExpired as exc:
                last = exc.message
                log.warning("验证码已失效，换一张 (captcha no longer valid, attempt %d): a fresh one", attempt)
                image.click()
                continue
            captcha_item.locator("input").first.fill(text)
            self.ui.mark_seen()
            body.locator("button >> visible=true").filter(has_text=exact(lp.button)).first.click()
            answer = self.ui.wait_for(
                """([seen, label]) => {
                  const err = [...document.querySelectorAll('.el-message--error')].find(e => !e.hasAttribute(seen));
                  if (err) return 'error:' + err.textContent.trim();
                  const still = [...document.querySelectorAll('.el-form-item__label')]
                      .some(l => l.offsetParent !== null && l.textContent.trim() === label);
                  return still ? false : 'ok';
                }""",
                ["data-autofill-seen", lp.captcha],
                self.opts.timeout_ms * 2,
            )
            if answer == "ok":
                break
            last = str(answer).removeprefix("error:")
            if not any(word in last for word in lp.refusals.captcha):
                credentials = any(word in last for word in lp.refusals.credentials)
                raise login_refused(last, credentials=credentials, transient=self.ui.is_transient(last))
            log.warning("验证码错误，换一张再试 (captcha refused, attempt %d of %d): %s", attempt, LOGIN_TRIES, last)
            told = getattr(humans.captcha, "refused", None)  # a person at the terminal is told before the next
            if callable(told):
                told(last)
            image.click()  # a fresh captcha
        else:
            raise StepError(f"登录失败：{last} (login refused: {last})", step="登录")
        log.info("logged in")
        save_state(self.context, self.state_file)

    def realname(self) -> None:
        """用户实名认证: 线上实名认证 with the profile's pictures, else the person scans the Alipay QR."""
        rp = self.pack.pages.realname
        dialog = self._realname_dialog()
        pictures = self.plan.profile.realname
        if pictures is not None:
            dialog.get_by_text(rp.online_link).first.click()
            ui = self.ui
            for key, label in (("id_front", rp.id_front), ("id_back", rp.id_back), ("handheld", rp.handheld)):
                spec = FieldSpec(path=f"realname.{key}", label=label, widget="upload", deferred=True)
                value = (self.plan.base_dir / str(getattr(pictures, key))).resolve()
                where = Where(rp.title, spec.path, label)
                ADAPTERS["upload"](ui, spec, where, self.plan.base_dir).apply(ui.need(where, rp.title), value)
            loc_spec = FieldSpec(path="realname.location", label=rp.location, widget="select")
            where = Where(rp.title, loc_spec.path, rp.location)
            ADAPTERS["select"](ui, loc_spec, where, self.plan.base_dir).apply(
                ui.need(where, rp.title), pictures.location
            )
            step = StepRun(self.page, ui, self.pack, self.plan, rp.title)
            step.press(rp.submit, scope=dialog, dialog=rp.title, what="realname")
            log.info("real-name verified online")
            return
        dialog.get_by_text(rp.alipay_button, exact=True).first.click()
        scanner = self.opts.humans.qr if self.opts.humans else None
        if scanner is None:
            from autofill.human import PersonScansQr

            scanner = PersonScansQr()
        # headless, nobody sees the page: the person scans the panel's picture (the QR in it) instead
        picture = dialog.screenshot() if self.opts.headless else None
        scanner.scan(self.plan.profile.account.id_number, rp.seconds, lambda: dialog.count() > 0, picture)
        log.info("real-name verified by QR")


def login_refused(message: str, *, credentials: bool, transient: bool = False) -> StepError:
    """A login refusal that is not a wrong captcha: not tried again here (the same password again and again
    locks an account on the real site; a busy site is `transient`, for a batch to come back to later).
    Wrong credentials say where the password came from."""
    if not credentials:
        return StepError(
            f"登录失败：{message}（未重试）(login refused: {message}; not tried again)",
            step="登录",
            transient=transient,
        )
    return StepError(
        f"登录失败：{message}。未重试，以免账号被锁定。请检查密码：它取自系统钥匙串（autofill password set）、"
        "环境变量 AUTOFILL_PASSWORD、batch 的 --secrets 文件或您的输入，其中一处可能有误；"
        "账号尚未在平台注册的，请先运行 autofill register "
        f"(login refused: {message}. Not tried again, so that the account is not locked. Check the password: it "
        "came from the system keyring (autofill password set), AUTOFILL_PASSWORD, batch's --secrets file or "
        "what you typed, and may be wrong there; an account not registered on the platform yet needs "
        "`autofill register` first)",
        step="登录",
    )


class Walk:
    """The wizard, walked step by step from the first."""

    def __init__(self, session: Session, run_dir: RunDir, opts: Options) -> None:
        self.s, self.run_dir, self.opts = session, run_dir, opts
        self.steps: dict[str, StepReport] = {}
        self.lines: dict[str, list[FieldLine]] = {}
        self.extra: dict[str, list[str]] = {}  # each step's rows on the site that the profile lacks
        self.layout: list[str] = []
        self.last: StepRun | None = None
        self.current = ""  # the step being filled (named in failures)

    def run_for(self, title: str) -> StepRun:
        s = self.s
        return StepRun(s.page, s.ui, s.pack, s.plan, title, prune=self.opts.prune)

    def titles(self) -> list[str]:
        names = self.s.page.locator(".el-step__title").all_inner_texts()
        return [re.sub(r"^\s*\d+\s*", "", t).strip() for t in names]

    def rewind(self) -> None:
        """Back to the first step with 上一步 (the site opens at the furthest step reached)."""
        run = self.run_for("")
        for _ in range(MAX_STEPS):
            if not run.has_button(self.s.pack.wizard.buttons.prev):
                return
            run.press(self.s.pack.wizard.buttons.prev)

    def walk(self) -> StepRun:
        """Fill every step up to the gate (or the end); returns the last step's run."""
        self.layout = self.titles()
        self.rewind()
        for index in range(1, MAX_STEPS + 1):
            run = self.run_for("")
            title = re.sub(r"^\s*\d+\s*", "", run.active_step())
            run.title = self.current = title
            handler = self.s.pack.wizard.step_named(title)
            if not title and self.s.where() == "login":
                raise SessionExpired  # the step moved, then the page's next request found the session over
            if handler is None:
                raise StepError(f"选择器包不认识这个步骤 (the pack has no step named {title!r})", step=title)
            log.info("step %d: %s (%s)", index, title, handler)
            self.opts.progress(title)
            try:
                HANDLERS[handler](run)
            except AutofillError:  # e.g. a refused row: what was done before it still goes into the report
                self.record(title, run, None)
                raise
            shot = self.run_dir.screenshot(index, title)
            step_screenshot(self.s.page, shot)
            self.record(title, run, shot.name)
            self.last = run
            if review.at_gate(run) or handler == "review":
                return run
            b = self.s.pack.wizard.buttons
            forward = next((t for t in (b.save_next, b.next) if run.has_button(t)), None)
            if forward is None:  # a locked last form (legacy layout under review): on to 审核告知 by the bar
                review.open_last(run)
            else:
                run.press(forward)  # a refusal names the step once; the page's words name the field
        raise StepError("向导没有到达审核告知 (the wizard never reached the review gate)", step="向导")

    def record(self, title: str, run: StepRun, screenshot: str | None) -> None:
        """A step as the run saw it. A step walked again (after an expired session) keeps the row actions
        of the walk before: a row added then is not added again, but it was added."""
        self.lines[title] = run.lines
        self.extra[title] = run.extra_rows
        before = self.steps.get(title)
        earlier = [note for note in before.notes if note not in run.notes] if before else []
        self.steps[title] = StepReport(
            index=before.index if before else len(self.steps) + 1,
            title=title,
            screenshot=screenshot,
            fields=run.lines,
            notes=earlier + run.notes,
        )

    @property
    def extra_rows(self) -> list[str]:
        return [row for rows in self.extra.values() for row in rows]

    def comparison(self) -> list[FieldLine]:
        return [line for lines in self.lines.values() for line in lines]


def step_screenshot(page: Page, path: Path) -> None:
    """The whole page as a PNG at `path`, without the toasts lying over it."""
    page.screenshot(path=str(path), full_page=True, style=NO_TOASTS_CSS)


@contextmanager
def browser_context(opts: Options, state: dict[str, Any] | None) -> Iterator[tuple[BrowserContext, Page]]:
    """A Chromium context for one client (its own storage state), animations switched off: in
    `opts.browser` when it is up (a batch worker's), else in a browser launched for this run."""
    if opts.browser is not None and opts.browser.is_connected():
        with _context(opts.browser, opts, state) as opened:
            yield opened
        return
    from playwright.sync_api import sync_playwright

    from autofill.browser import launch_options

    options = launch_options(headless=opts.headless)  # no Chromium to be found: said before Playwright starts
    with sync_playwright() as pw:
        browser = pw.chromium.launch(**options)  # type: ignore[arg-type]
        try:
            with _context(browser, opts, state) as opened:
                yield opened
        finally:
            browser.close()


@contextmanager
def _context(browser: Browser, opts: Options, state: dict[str, Any] | None) -> Iterator[tuple[BrowserContext, Page]]:
    context = browser.new_context(
        storage_state=state,  # type: ignore[arg-type]
        locale="zh-CN",
        viewport={"width": 1366, "height": 900},
    )
    try:
        context.add_init_script(NO_ANIMATIONS_INIT)
        context.set_default_timeout(opts.timeout_ms)
        yield context, context.new_page()
    finally:
        from playwright.sync_api import Error as PlaywrightError

        with suppress(PlaywrightError):  # the browser may have gone (Ctrl-C, crash)
            context.close()


class Tracer:
    """The Playwright trace of a run, never of a login: the login form holds the password and the full
    ID number (typed, posted, and on screen), so tracing pauses while the driver logs in."""

    def __init__(self, context: BrowserContext, run_dir: RunDir, *, snapshots: bool, screencast: bool = True) -> None:
        self.context, self.run_dir, self.snapshots, self.screencast = context, run_dir, snapshots, screencast
        self.started = self.running = False

    def resume(self) -> None:
        if not self.started:
            # DOM snapshots cost seconds per run: only with --trace; a failure still gets the screencast (if on)
            self.context.tracing.start(screenshots=self.screencast, snapshots=self.snapshots)
            self.started = True
        elif not self.running:
            self.context.tracing.start_chunk()
        self.running = True

    def pause(self) -> None:
        if self.running:
            self.context.tracing.stop_chunk()  # the part before an expired session is dropped
            self.running = False

    def finish(self, keep: bool) -> str | None:
        """Stop; with `keep`, write `trace.zip` and return its name."""
        if not self.started:
            return None
        path = str(self.run_dir.trace_path) if keep and self.running else None
        if self.running:
            self.context.tracing.stop_chunk(path=path)
        self.context.tracing.stop()
        return self.run_dir.trace_path.name if path else None


def _to_gate(session: Session, walk: Walk, url: str, tracer: Tracer) -> StepRun:
    """Reach the wizard and walk it; an expired session logs in again and the walk starts over."""
    for relogin in range(MAX_RELOGINS + 1):
        try:
            session.reach_wizard()
            tracer.resume()
            return walk.walk()
        except SessionExpired:
            log.warning("session expired: logging in again (%d)", relogin + 1)
            tracer.pause()
            session.page.goto(url)
    raise StepError("会话反复过期 (the session kept expiring)", step="登录")


def _at_the_end(report: RunReport, outcome: Outcome, last: StepRun, opts: Options) -> None:
    """The review gate: submit when asked (and confirmed); a record under review only compares."""
    report.outcome = "in_review"
    if review.at_gate(last):
        report.outcome = "stopped_for_review"
        if opts.submit and (opts.yes or opts.confirm(report)):
            opts.progress("提交")
            review.submit(last)
            report.outcome = "submitted"
    outcome.status = review.read_status(last)
    differ = [line for line in report.comparison if line.action == "mismatch"]
    if report.outcome == "in_review" and differ:
        listing = "；".join(f"{line.path}（页面：{line.page_value}）" for line in differ)
        status = outcome.status.status or "?"
        raise StepError(
            f"信息状态为“{status}”，不能在此修改；与档案不同的字段：{listing} "
            f"(the record is {status}, no longer a draft: it cannot be changed here; {len(differ)} field(s) differ)",
            step=last.title,
        )


def _fill_and_finish(
    session: Session, walk: Walk, tracer: Tracer, report: RunReport, outcome: Outcome, opts: Options
) -> None:
    """Walk to the gate and finish there; a session that expires at 提交 logs in and goes round again."""
    for relogin in range(MAX_RELOGINS + 1):
        last = _to_gate(session, walk, opts.url, tracer)
        report.comparison = walk.comparison()
        _walked(report, walk, session.plan, session.pack)  # the person is asked with all of it before them
        try:
            _at_the_end(report, outcome, last, opts)
            return
        except SessionExpired:
            log.warning("session expired at the gate: logging in again (%d)", relogin + 1)
            tracer.pause()
            session.page.goto(opts.url)
    raise StepError("会话反复过期 (the session kept expiring)", step="登录")


# Inputs a failure screenshot must not show: a password field, every input of a form that has one (the
# login form's 账号 holds the full ID number; `show-password` may have made the password plain text), and
# any input whose value looks like an ID or mobile number. Each is tagged, then masked in the shot.
_PRIVATE_ATTR = "data-autofill-private"
_TAG_PRIVATE_INPUTS_JS = """(attr) => {
  for (const el of document.querySelectorAll('input, textarea')) {
    const form = el.closest('form, .el-form');
    const value = el.value || '';
    if (el.type === 'password' || (form && form.querySelector('input[type=password]'))
        || /\\d{15}|\\d{17}[\\dXx]|1[3-9]\\d{9}/.test(value)) {
      el.setAttribute(attr, '');
    }
  }
}"""


def _failure_screenshot(page: Page, run_dir: RunDir, report: RunReport) -> None:
    """What the page showed when the run failed, beside the report (best effort: the page may be gone).
    The login form's inputs and any input holding an ID or mobile number are masked (a page whose
    inputs cannot be checked gets no shot); the file is 0600 like the rest of the run."""
    from playwright.sync_api import Error as PlaywrightError

    shot = run_dir.failure_screenshot()
    try:
        for frame in page.frames:
            frame.evaluate(_TAG_PRIVATE_INPUTS_JS, _PRIVATE_ATTR)
        private = [frame.locator(f"[{_PRIVATE_ATTR}]") for frame in page.frames]
        page.screenshot(path=str(shot), full_page=True, mask=private)
    except PlaywrightError:
        shot.unlink(missing_ok=True)
        return
    report.steps.append(
        StepReport(index=len(report.steps) + 1, title="失败时的页面 (page at failure)", screenshot=shot.name)
    )


def _walked(report: RunReport, walk: Walk, plan: Plan, pack: SitePack) -> None:
    """What the walk saw, into the report: the layout, each step (its fields and row actions), the rows
    on the site that the profile lacks, and the parts the wizard has no step for."""
    report.layout = walk.layout
    report.steps = sorted(walk.steps.values(), key=lambda s: s.index)
    report.extra_rows = walk.extra_rows
    report.not_filed = _not_filed(plan, pack, walk.layout)


def _not_filed(plan: Plan, pack: SitePack, layout: list[str]) -> list[str]:
    """The profile's rows for a step the site's wizard does not have (the legacy layout has no 专业技术资格:
    its qualifications are filed elsewhere on the site), so that they are not dropped without a word."""
    if not layout:
        return []  # the wizard was never seen
    present = {pack.wizard.step_named(title) for title in layout}
    return [
        f"{spec.noun}：{len(plan.tables[name])} 行 ({spec.rows})"
        for name, spec in pack.wizard.tables.items()
        if plan.tables.get(name) and spec.step not in present
    ]


def open_site(page: Page, url: str) -> None:
    """Open the site's address; a site that cannot be reached (refused, unknown host, no network) is a
    StepError naming the address, worth trying again later, not an internal error."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        page.goto(url)
    except PlaywrightError as exc:
        raise StepError(
            f"无法打开网站 {url}：{first_line(exc)} (the site could not be reached)", step="打开网站", transient=True
        ) from None


def page_failed(exc: Exception, step: str) -> StepError:
    """A page that stopped answering (Playwright's error, its first line) as a StepError worth a retry."""
    return StepError(f"页面没有响应：{first_line(exc)} (the page did not answer)", step=step, transient=True)


def _browser_failed(exc: Exception, outcome: Outcome, secrets: list[str]) -> None:
    """The browser gave no page (it died, e.g. killed for memory: a failure worth trying again), or there was
    none to start (AUTOFILL_BROWSER wrong, none installed: `BrowserError`, not tried again); reported."""
    if isinstance(exc, BrowserError):
        outcome.error = exc
    else:
        outcome.error = StepError(
            f"浏览器没有响应：{first_line(exc)} (the browser failed)", step="浏览器", transient=True
        )
    report = outcome.report
    report.outcome, report.error, report.finished = "failed", outcome.error.render(), datetime.now()
    write_report(report, outcome.run_dir, secrets)


def drive(plan: Plan, pack: SitePack, password: str, opts: Options, *, profile_name: str) -> Outcome:
    """The whole run for one profile, holding the person's lock across processes (`person_lock`: a second
    process filling the same person at once is refused with PersonBusy, before any run folder)."""
    from autofill.person_lock import person_lock

    with person_lock(plan.profile.account.id_number, opts.url):
        return _drive(plan, pack, password, opts, profile_name=profile_name)


def _drive(plan: Plan, pack: SitePack, password: str, opts: Options, *, profile_name: str) -> Outcome:
    """The whole run for one profile. Always writes the run folder; a failure is `Outcome.error`
    (with a trace); Ctrl-C is re-raised after the report is written."""
    from playwright.sync_api import Error as PlaywrightError

    profile = plan.profile
    run_dir = RunDir.create(opts.out, profile.account.id_number, datetime.now())
    secrets = [password, profile.account.id_number, profile.account.mobile]
    open_log(run_dir, secrets)
    report = RunReport(
        tool_version=__version__,
        site_url=opts.url,
        profile=profile_name,
        person=Person(name=profile.account.name, id_number=profile.account.id_number),
        started=datetime.now(),
        outcome="failed",
    )
    outcome = Outcome(report, run_dir)
    state_file = state_path(profile.account.id_number, opts.url)
    if opts.humans is None and opts.headless:
        opts = replace(opts, humans=terminal_humans(run_dir.path))
    try:
        with browser_context(opts, load_state(state_file)) as (context, page):
            tracer = Tracer(context, run_dir, snapshots=opts.trace, screencast=opts.screencast or opts.trace)
            session = Session(page, context, pack=pack, plan=plan, password=password, opts=opts)
            walk = Walk(session, run_dir, opts)
            try:
                open_site(page, opts.url)
                _fill_and_finish(session, walk, tracer, report, outcome, opts)
                save_state(context, state_file)
            except PlaywrightError as exc:
                outcome.error = page_failed(exc, walk.current or "登录")
            except AutofillError as exc:
                outcome.error = exc
            except KeyboardInterrupt:
                report.outcome = "interrupted"
                raise
            finally:
                _walked(report, walk, plan, pack)
                if outcome.error is not None:
                    report.outcome = "failed"
                    report.error = outcome.error.render()
                    _failure_screenshot(page, run_dir, report)
                report.finished = datetime.now()
                with suppress(PlaywrightError):  # after Ctrl-C the browser may be gone: the report is written
                    report.trace = tracer.finish(keep=report.outcome in ("failed", "interrupted") or opts.trace)
                write_report(report, run_dir, secrets)
    except (PlaywrightError, BrowserError) as exc:  # no browser to start, or it gave no page, or died on closing
        if report.finished is None:  # the report was not written yet
            _browser_failed(exc, outcome, secrets)
    finally:
        close_log()
    return outcome


def read_review(plan: Plan, pack: SitePack, password: str, opts: Options) -> review.ReviewStatus:
    """Log in and read 审核告知: the overall status and each part's verdict and reason. A record whose
    wizard has not reached 审核告知 (the bar does not open it) is 未提交审核, at the step it stands at."""
    from playwright.sync_api import Error as PlaywrightError

    state_file = state_path(plan.profile.account.id_number, opts.url)
    with browser_context(opts, load_state(state_file)) as (context, page):
        session = Session(page, context, pack=pack, plan=plan, password=password, opts=opts)
        open_site(page, opts.url)
        try:
            return _read_review(session, context, page, state_file)
        except PlaywrightError as exc:
            raise page_failed(exc, "审核告知") from None


def _read_review(session: Session, context: BrowserContext, page: Page, state_file: Path) -> review.ReviewStatus:
    """`read_review` once the site is open: reach the wizard (logging in again when the session ends)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    pack, plan, opts = session.pack, session.plan, session.opts
    for _ in range(MAX_RELOGINS + 1):
        try:
            session.reach_wizard()
            run = StepRun(page, session.ui, pack, plan, "审核告知")
            steps = page.locator(".el-step__title")
            at = fold_title(run.active_step())
            if at != fold_title(steps.last.inner_text()):
                try:
                    review.open_last(run)
                except PlaywrightTimeout:  # 审核告知 is not reached before every step is filled
                    if fold_title(run.active_step()) != at or session.where() != "wizard":
                        raise
                    save_state(context, state_file)
                    return review.ReviewStatus(pack.wizard.review.not_submitted, at=at)
            save_state(context, state_file)
            return review.read_status(run)
        except SessionExpired:
            open_site(page, opts.url)
    raise StepError("会话反复过期 (the session kept expiring)", step="登录")


def fold_title(title: str) -> str:
    """A step bar title without its number (`07 审核告知` → `审核告知`)."""
    return re.sub(r"^\s*\d+\s*", "", title).strip()
