"""`autofill register`: the platform's 注册 form, filled from the profile's account.

The password comes from the keyring, AUTOFILL_PASSWORD or a prompt, and is checked against the site's
rule (8–16 characters, upper, lower, digit, symbol) before the form is sent. The SMS code is asked of
a person (or, on the replica, read from its QA API).
"""

from __future__ import annotations

from playwright.sync_api import Error as PlaywrightError

from autofill.driver import Options, Session, browser_context, open_site, page_failed
from autofill.errors import AutofillError, StepError
from autofill.pack import FieldSpec, SitePack, Widget
from autofill.plan import Plan
from autofill.secrets import check_password_rules
from autofill.steps.base import StepRun
from autofill.widgets import ADAPTERS, Where, form_item
from autofill.widgets.base import exact


def register(plan: Plan, pack: SitePack, password: str, opts: Options) -> None:
    """Fill and send 注册信息. Raises StepError with the page's words when the site refuses."""
    problems = check_password_rules(password)
    if problems:
        raise AutofillError(
            "密码不符合网站规则 (the password breaks the site's rule): " + "；".join(problems), field="password"
        )
    if opts.humans is None:
        raise AutofillError("注册需要短信验证码的来源 (registration needs a way to read the SMS code)")
    with browser_context(opts, None) as (context, page):
        session = Session(page, context, pack=pack, plan=plan, password=password, opts=opts)
        open_site(page, opts.url)
        try:
            _fill(session)
        except PlaywrightError as exc:
            raise page_failed(exc, "注册") from None


def _fill(session: Session) -> None:
    """The 注册 form filled and sent on the open site."""
    page, pack, plan, opts, password = session.page, session.pack, session.plan, session.opts, session.password
    rp, account = pack.pages.registration, plan.profile.account
    assert opts.humans is not None  # checked by `register`
    page.get_by_text(pack.pages.home.registration, exact=True).first.click()
    body = page.locator("body")
    form_item(body, rp.id_number).wait_for(state="visible")
    values: list[tuple[str, Widget, str]] = [
        (rp.id_type, "select", account.id_type),
        (rp.id_number, "text", account.id_number),
        (rp.name, "text", account.name),
        (rp.password, "text", password),
        (rp.confirm, "text", password),
        (rp.mobile, "text", account.mobile),
    ]
    for label, widget, value in values:
        spec = FieldSpec(path=f"account.{label}", label=label, widget=widget)
        where = Where("注册", "account", label)
        adapter = ADAPTERS[widget](session.ui, spec, where, plan.base_dir)
        item = session.ui.need(where)
        if label in (rp.password, rp.confirm):  # never echoed, even in a failure
            adapter.write(item, value)
            if adapter.read(item) != value:
                raise StepError(f"{label}没有填上 ({label} did not stick)", step="注册", field="password")
        else:
            adapter.apply(item, value)
    run = StepRun(page, session.ui, pack, plan, "注册")
    session.ui.mark_seen()
    run.button(rp.sms_button).first.click()
    refused = session.ui.new_error()
    if refused:
        raise StepError(f"发送验证码失败：{refused} (the SMS code was not sent)", step="注册", field="account.mobile")
    code = opts.humans.sms.code(account.mobile)
    form_item(body, rp.sms_code).locator("input").first.fill(code)
    agree = body.locator("label.el-checkbox >> visible=true").filter(has_text=exact(rp.agree))
    if not agree.count():
        agree = body.locator("label.el-checkbox >> visible=true").filter(has_text=rp.agree)
    if "is-checked" not in (agree.first.get_attribute("class") or ""):
        agree.first.click()
    session.ui.mark_seen()
    run.button(rp.button).first.click()
    kind, text = session.ui.wait_message()
    if kind == "error":
        raise StepError(f"注册失败：{text} (registration refused: {text})", step="注册")
