"""A person's way through the replica, by hand: each function is what a QA engineer does on one
page, checking what the page shows before moving on."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.replica.ui import elements as el
from tests.replica.ui.people import Person, credit_code
from tests.replica.ui.qa import QA

# Toasts come and go; the pictures show the page itself.
HIDE_TOASTS = ".el-message { display: none !important; }"


def shoot(page: Page, folder: Path, name: str) -> Path:
    """A full-page screenshot `<name>.png`; with a dialog open, the viewport grows to show all of it."""
    path = folder / f"{name}.png"
    size = page.viewport_size or {"width": 1280, "height": 900}
    box = page.locator(".el-dialog__wrapper:visible .el-dialog")
    if box.count():
        # el-dialog sits 15vh below the top: leave room for that and a margin below
        tall = int(box.first.evaluate("e => (e.getBoundingClientRect().height + 80) / 0.85"))
        page.set_viewport_size({"width": size["width"], "height": max(size["height"], tall)})
        try:
            page.screenshot(path=str(path), style=HIDE_TOASTS)
        finally:
            page.set_viewport_size(size)
    else:
        page.screenshot(path=str(path), full_page=True, style=HIDE_TOASTS)
    return path


def register(page: Page, qa: QA, who: Person, shots: Path | None = None) -> None:
    """注册 from the home page's top-right link, with the SMS code read from the QA API."""
    page.goto("/")
    page.locator(".ausm-header").get_by_text("注册", exact=True).click()
    expect(page.locator(".ausm-card__title")).to_have_text("注册信息")
    el.pick(page, page, "证件类型", who.id_type)
    el.fill(page, "证件号码", who.id_number)
    el.fill(page, "真实姓名", who.name)
    el.fill(page, "密码", who.password)
    el.fill(page, "确认密码", who.password)
    el.fill(page, "手机号", who.mobile)
    el.button(page, "免费获取验证码").click()
    expect(el.message(page, "success", "验证码已发送")).to_be_visible()
    expect(el.item(page, "手机验证码").locator("button")).to_have_text(re.compile(r"\d+秒后重新获取"))
    el.fill(page, "手机验证码", qa.sms(who.mobile))
    el.check(page, "我已阅读并同意")
    if shots:
        shoot(page, shots, "register")
    el.button(page, "注册").click()
    expect(el.message(page, "success", "注册成功")).to_be_visible()
    expect(page).to_have_url(re.compile(r"#/login$"))


def session_cookie(page: Page) -> str:
    """The AUSMSESSION cookie the captcha image started."""
    for cookie in page.context.cookies():
        if cookie["name"] == "AUSMSESSION":
            return cookie["value"]
    raise AssertionError("no AUSMSESSION cookie after the captcha loaded")


def wait_captcha(page: Page) -> None:
    """Wait until the captcha picture has been drawn."""
    page.wait_for_function(
        "() => { const i = document.querySelector('img.ausm-captcha'); return i && i.complete && i.naturalWidth > 0; }"
    )


def login(page: Page, qa: QA, account: str, password: str, shots: Path | None = None) -> None:
    """会计人员登录 with the captcha read from the QA API; lands on the home page."""
    if not page.url.endswith("#/login"):
        page.goto("/#/login")
    expect(page.locator(".ausm-card__title")).to_have_text("会计人员登录")
    el.fill(page, "账号", account)
    el.fill(page, "密码", password)
    wait_captcha(page)
    el.fill(page, "验证码", qa.captcha(session_cookie(page)))
    if shots:
        shoot(page, shots, "login")
    el.button(page, "登录").click()
    expect(el.message(page, "success", "登录成功")).to_be_visible()
    # the page then loads the person and leaves the login page
    expect(page.locator(".ausm-header__user")).to_be_visible()
    page.wait_for_url(lambda url: not url.endswith("#/login"))


def open_collection(page: Page) -> None:
    """Click 会计人员信息采集 on the home page."""
    page.goto("/#/")
    page.locator(".ausm-service").filter(has_text="会计人员信息采集").click()


def realname_by_upload(page: Page, pictures: dict[str, Path], location: str, shots: Path | None = None) -> None:
    """The 用户实名认证 dialog opens by itself; choose 线上实名认证 and upload the three pictures."""
    box = el.dialog(page, "用户实名认证")
    expect(box.get_by_text("快捷一键认证")).to_be_visible()
    if shots:
        shoot(page, shots, "realname-alipay")
    box.get_by_text("【线上实名认证】").click()
    el.upload(box, "证件人像面", pictures["id_front"])
    el.upload(box, "证件非人像面", pictures["id_back"])
    el.upload(box, "手持证件人像面", pictures["handheld"])
    el.pick(page, box, "所在省市", location)
    if shots:
        shoot(page, shots, "realname-online")
    el.button(box, "提交认证").click()
    expect(el.message(page, "success", "实名认证成功")).to_be_visible()
    expect(page).to_have_url(re.compile(r"#/collect$"))


def at_step(page: Page, title: str) -> None:
    """The step bar shows `title` (e.g. `03 基本信息`) in progress."""
    expect(el.active_step(page)).to_have_text(title)


def department(page: Page, province: str, city: str, district: str | None) -> None:
    """会计管理部门: the three cascading selects, each level loaded from the server."""
    el.pick(page, page, "所在会计管理部门", province, nth=0)
    el.pick(page, page, "所在会计管理部门", city, nth=1)
    if district:
        el.pick(page, page, "所在会计管理部门", district, nth=2)


def scope(page: Page, number: int) -> None:
    """采集须知: choose the scope (一)…(五)."""
    roman = "一二三四五"[number - 1]
    option = page.locator("label.el-radio").filter(has_text=f"({roman})").first
    option.click()
    expect(option).to_have_class(re.compile(r"\bis-checked\b"))


def basic(page: Page, who: Person, pictures: dict[str, Path]) -> None:
    """基本信息: photo, the read-only registration data, the selects and texts, the two ID proofs."""
    photo = el.item(page, "照片信息")
    photo.locator("input[type=file]").set_input_files(str(pictures["photo"]))
    expect(photo.locator("img.ausm-photo__img")).to_be_visible()
    expect(el.item(page, "有效身份证件号码").locator("input")).to_have_value(who.masked_id)
    expect(el.item(page, "姓名").locator("input")).to_have_value(who.masked_name)
    expect(el.item(page, "有效身份证件类型").locator("input")).to_be_disabled()
    el.pick(page, page, "政治面貌", "中共党员(含中共预备党员)")
    el.pick(page, page, "民族", "汉族")
    el.fill(page, "邮箱", "qa.replica@example.com")
    el.fill(page, "通讯地址", "云南省昆明市五华区测试路1号")
    el.fill(page, "邮编", "650000")
    el.upload(page, "身份证明人像面 (身份证或居住证)", pictures["id_front"])
    el.upload(page, "身份证明国徽面 (身份证或居住证)", pictures["id_back"])


def page_button(page: Page, text: str) -> Locator:
    """A button under the wizard step shown (上一步, 下一步, 保存并下一步, 提交)."""
    return page.locator(".ausm-collect__body .ausm-actions button.el-button").filter(has_text=el.exact(text))


def section_button(page: Page, section: str, text: str) -> Locator:
    """A button in the head of a titled section (新增, 自动获取会计专业技术资格)."""
    head = page.locator(".ausm-section__head").filter(
        has=page.locator(".ausm-section__title", has_text=el.exact(section))
    )
    return head.locator("button.el-button").filter(has_text=el.exact(text))


def next_step(page: Page, text: str, title: str) -> None:
    """Click 保存并下一步 / 下一步 and wait for the step bar to move to `title`."""
    page_button(page, text).click()
    at_step(page, title)


def education_row(
    page: Page, values: dict[str, str], pictures: dict[str, Path] | None = None, *, present: bool = False
) -> None:
    """Fill the open 新增教育经历 / 编辑教育经历 dialog (the caller saves)."""
    box = page.locator(".el-dialog__wrapper:visible .el-dialog")
    if "mode" in values:
        el.pick(page, box, "培养方式", values["mode"])
    if "school" in values:
        el.fill(box, "学校名称(全称)", values["school"])
    if "start" in values:
        el.month(box, "入学时间", values["start"])
    if present:
        el.check(box, "至今")
        expect(el.item(box, "毕业时间").locator(".el-date-editor input")).to_be_disabled()
    elif "end" in values:
        el.month(box, "毕业时间", values["end"])
    if "level" in values:
        el.pick(page, box, "学历", values["level"])
    if "diploma_no" in values:
        el.fill(box, "学历证书编号", values["diploma_no"])
    if "degree" in values:
        el.pick(page, box, "学位", values["degree"])
    if "degree_no" in values:
        el.fill(box, "学位证书编号", values["degree_no"])
    if "major" in values:
        el.pick(page, box, "所学专业", values["major"])
    if pictures:
        for label, path in pictures.items():
            el.upload(box, label, path)


def save_dialog(page: Page, title: str) -> None:
    """Click 保存 in the dialog `title` and wait for it to close."""
    box = el.dialog(page, title)
    el.button(box, "保存").click()
    expect(el.message(page, "success", "保存成功")).to_be_visible()
    expect(box).to_be_hidden()
    expect(page.locator(".v-modal")).to_have_count(0)


def work_row(page: Page, pictures: dict[str, Path]) -> None:
    """Fill the open 新增工作经历 dialog: a current job with accounting experience and a title."""
    box = el.dialog(page, "新增工作经历")
    el.month(box, "工作开始时间", "2014-08")
    el.check(box, "至今")
    expect(el.item(box, "工作结束时间").locator(".el-date-editor input")).to_be_disabled()
    expect(el.item(box, "统一社会信用代码证明")).to_have_class(re.compile(r"\bis-required\b"))
    el.fill(box, "单位名称", "昆明仿真测试有限公司")
    el.fill(box, "统一社会信用代码", credit_code("91530102MA6K00000"))
    el.pick(page, box, "单位类型", "企业")
    el.pick(page, box, "所属行业", "租赁和商务服务业")
    el.fill(box, "工作单位地址", "云南省昆明市五华区测试路1号")
    el.fill(box, "工作单位电话", "0871-65550000")
    el.upload(box, "统一社会信用代码证明", pictures["uscc"])
    expect(el.item(box, "会计工作开始时间")).to_have_count(0)
    el.radio(box, "是否有会计工作经历", "是")
    expect(el.item(box, "会计工作开始时间")).to_be_visible()
    el.month(box, "会计工作开始时间", "2014-08")
    for kind in ("出纳", "会计监督"):
        el.check(el.item(box, "会计工作类型"), kind)
    el.pick(page, box, "会计专业职务", "助理会计师")
    el.month(box, "聘任时间", "2016-09")
    el.upload(box, "聘任证明", pictures["title"])
    el.upload(box, "会计工作（经历）证明", pictures["proof"])


def account(qa: QA, who: Person, *, verified: bool) -> None:
    """An account made through the QA API (for tests about one page, not about registering)."""
    qa.add_account(
        id_type=who.id_type,
        id_number=who.id_number,
        name=who.name,
        mobile=who.mobile,
        password=who.password,
        verified=verified,
    )


def api_upload(page: Page, path: Path, kind: str) -> str:
    """Upload a picture through the page's own session (POST /api/files); the stored file id."""
    mime = "image/png" if path.suffix.lower() == ".png" else "image/jpeg"
    response = page.request.post(
        "/api/files",
        multipart={
            "kind": kind,
            "file": {"name": path.name, "mimeType": mime, "buffer": path.read_bytes()},
        },
    )
    assert response.ok, response.text()
    file_id = response.json()["id"]
    assert isinstance(file_id, str)
    return file_id


def api_prefill(page: Page, pictures: dict[str, Path], *, upto_step: int) -> None:
    """Save 会计管理部门, 采集须知, 基本信息 and one full-time 教育经历 through the API as the logged-in
    person (national layout), then mark `upto_step` reached: a shortcut to test a later step's page."""

    def ok(method: str, url: str, body: object) -> None:
        response = page.request.fetch(url, method=method, data=body)
        assert response.ok, f"{method} {url}: {response.text()}"

    ok("PUT", "/api/record/department", {"province": "云南省", "city": "昆明地区", "district": "五华区"})
    ok("PUT", "/api/record/scope", {"scope": 1})
    ok(
        "PUT",
        "/api/record/basic",
        {
            "photo": api_upload(page, pictures["photo"], "photo"),
            "political_status": "群众",
            "ethnicity": "汉族",
            "email": "",
            "address": "云南省昆明市五华区测试路2号",
            "postcode": "",
            "id_front": None,
            "id_back": None,
        },
    )
    ok(
        "POST",
        "/api/record/education",
        {
            "mode": "全日制",
            "school": "云南仿真财经大学",
            "start": "2010-09",
            "end": "2014-07",
            "present": False,
            "level": "大学本科",
            "diploma_no": "",
            "degree": "学士",
            "degree_no": "",
            "major": "会计学",
            "attachments": {},
        },
    )
    ok("PUT", "/api/record/step", {"step": upto_step})
