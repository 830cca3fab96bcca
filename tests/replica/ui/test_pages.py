"""One page or rule at a time: what a person sees when the form, the client-side upload checks,
the server, the session or an injected fault says no, and the Alipay QR path of 实名认证."""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, expect

from tests.replica.ui import elements as el
from tests.replica.ui import flow
from tests.replica.ui.people import credit_code, person
from tests.replica.ui.qa import QA


def test_register_form_marks_required_fields_and_checks_the_id(page: Page) -> None:
    page.goto("/#/register")
    for label in ("证件类型", "证件号码", "真实姓名", "密码", "确认密码", "手机号", "手机验证码"):
        assert el.is_required(page, label), label
    el.button(page, "注册").click()
    expect(el.item(page, "证件类型").locator(".el-form-item__error")).to_have_text("请选择证件类型")
    expect(el.item(page, "手机号").locator(".el-form-item__error")).to_have_text("请输入手机号")
    expect(page.locator(".ausm-register__agree .el-form-item__error")).to_have_text(
        "请阅读并同意《服务平台服务协议》《服务平台用户隐私政策》"
    )

    el.pick(page, page, "证件类型", "内地居民身份证")
    good = person(3).id_number
    el.fill(page, "证件号码", good[:17] + ("0" if good[17] != "0" else "1"))
    el.fill(page, "密码", "onlylowercase")
    el.fill(page, "确认密码", "different")
    el.item(page, "真实姓名").locator("input").click()
    expect(el.item(page, "证件号码").locator(".el-form-item__error")).to_have_text("请输入正确的证件号码")
    expect(el.item(page, "密码").locator(".el-form-item__error")).to_have_text(
        "密码为8-16位字符，由大小写字母、数字、特殊符号组成"
    )
    expect(el.item(page, "确认密码").locator(".el-form-item__error")).to_have_text("两次输入的密码不一致")


def test_sms_code_resend_limit_and_three_minute_validity(page: Page, qa: QA) -> None:
    who = person(4)
    page.goto("/#/register")
    el.fill(page, "手机号", who.mobile)
    el.button(page, "免费获取验证码").click()
    expect(el.message(page, "success", "验证码已发送，3分钟内有效")).to_be_visible()
    sms_button = el.item(page, "手机验证码").locator("button")
    expect(sms_button).to_be_disabled()
    code = qa.sms(who.mobile)

    # a reload forgets the countdown, the server does not
    page.reload()
    el.fill(page, "手机号", who.mobile)
    el.button(page, "免费获取验证码").click()
    expect(el.message(page, "error", "验证码发送过于频繁，请3分钟后再试")).to_be_visible()

    # three minutes later the code no longer registers anyone
    qa.clock(181)
    el.pick(page, page, "证件类型", who.id_type)
    el.fill(page, "证件号码", who.id_number)
    el.fill(page, "真实姓名", who.name)
    el.fill(page, "密码", who.password)
    el.fill(page, "确认密码", who.password)
    el.fill(page, "手机验证码", code)
    el.check(page, "我已阅读并同意")
    el.button(page, "注册").click()
    expect(el.message(page, "error", "手机验证码错误或已失效")).to_be_visible()
    expect(page).to_have_url(re.compile(r"#/register$"))


def test_wrong_captcha_is_refused_and_replaced(page: Page, qa: QA) -> None:
    who = person(5)
    flow.account(qa, who, verified=True)
    page.goto("/#/login")
    flow.wait_captcha(page)
    first = page.locator("img.ausm-captcha").get_attribute("src")
    el.fill(page, "账号", who.id_number)
    el.fill(page, "密码", who.password)
    right = qa.captcha(flow.session_cookie(page))
    el.fill(page, "验证码", "0000" if right != "0000" else "1111")
    el.item(page, "验证码").locator("input").press("Enter")
    expect(el.message(page, "error", "验证码错误")).to_be_visible()
    expect(page.locator("img.ausm-captcha")).not_to_have_attribute("src", first or "")
    expect(el.item(page, "验证码").locator("input")).to_have_value("")
    flow.login(page, qa, who.id_number, who.password)
    expect(page).to_have_url(re.compile(r"#/$"))


def test_alipay_qr_panel_closes_once_the_person_has_scanned(page: Page, qa: QA, shots: Path) -> None:
    who = person(6)
    flow.account(qa, who, verified=False)
    flow.login(page, qa, who.mobile, who.password)
    flow.open_collection(page)
    box = el.dialog(page, "用户实名认证")
    expect(box).to_contain_text(who.masked_id)
    expect(box).to_contain_text(who.masked_name)
    el.button(box, "点击开始进行实名认证(支付宝)").click()
    expect(box.locator("canvas")).to_be_visible()
    expect(box).to_contain_text("请使用本人支付宝扫描二维码完成认证")
    flow.shoot(page, shots, "realname-alipay-qr")
    qa.scan_qr(who.id_number)
    expect(el.message(page, "success", "实名认证成功")).to_be_visible()
    expect(box).to_be_hidden()
    expect(page).to_have_url(re.compile(r"#/collect$"))
    flow.at_step(page, "01 会计管理部门")
    page.locator(".el-tabs__item").filter(has_text="信息变更").click()
    expect(page.locator(".ausm-change")).to_contain_text("信息采集审核通过后，方可办理信息变更。")

    page.locator(".ausm-header").get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"#/$"))
    expect(page.locator(".ausm-header__links")).to_contain_text("注册")
    page.goto("/#/collect")
    expect(el.message(page, "warning", "请先登录")).to_be_visible()
    expect(page).to_have_url(re.compile(r"#/login$"))


def test_uploads_are_checked_before_they_are_sent(
    page: Page, qa: QA, pictures: dict[str, Path], tmp_path: Path
) -> None:
    who = person(7)
    flow.account(qa, who, verified=True)
    flow.login(page, qa, who.id_number, who.password)
    page.goto("/#/collect")
    flow.department(page, "云南省", "昆明地区", "五华区")
    flow.next_step(page, "保存并下一步", "02 采集须知")
    flow.scope(page, 1)
    flow.next_step(page, "下一步", "03 基本信息")

    photo = el.item(page, "照片信息").locator("input[type=file]")
    png = tmp_path / "照片.png"
    Image.open(pictures["photo"]).save(png, "PNG")
    photo.set_input_files(str(png))
    expect(el.message(page, "error", "照片只能是jpg格式")).to_be_visible()
    small = tmp_path / "小照片.jpg"
    Image.effect_noise((200, 280), 80).convert("RGB").save(small, "JPEG", quality=95)
    assert small.stat().st_size >= 10240
    photo.set_input_files(str(small))
    expect(el.message(page, "error", "照片像素不能小于295*413px")).to_be_visible()
    expect(page.locator("img.ausm-photo__img")).to_have_count(0)

    front = el.item(page, "身份证明人像面 (身份证或居住证)")
    front.locator("input[type=file]").set_input_files(str(pictures["tiny"]))
    expect(el.message(page, "error", "附件大小须大于20KB")).to_be_visible()
    expect(front.locator(".el-upload-list__item")).to_have_count(0)

    # a PNG named .jpg passes the page's check; the server reads the content and refuses it
    disguised = tmp_path / "改了扩展名.jpg"
    disguised.write_bytes(png.read_bytes())
    el.dismiss_messages(page)
    photo.set_input_files(str(disguised))
    expect(el.message(page, "error", "照片只能是jpg格式")).to_be_visible()
    expect(page.locator("img.ausm-photo__img")).to_have_count(0)
    assert qa.record(who.id_number)["basic"] is None


def test_server_refusal_is_shown_and_the_dialog_stays_open(page: Page, qa: QA, pictures: dict[str, Path]) -> None:
    who = person(8)
    flow.account(qa, who, verified=True)
    flow.login(page, qa, who.id_number, who.password)
    flow.api_prefill(page, pictures, upto_step=4)
    page.goto("/#/collect")
    flow.at_step(page, "05 工作经历")
    flow.section_button(page, "工作经历", "新增").click()
    box = el.dialog(page, "新增工作经历")
    el.month(box, "工作开始时间", "2014-07")
    el.month(box, "工作结束时间", "2016-06")
    el.fill(box, "单位名称", "昆明仿真会计服务有限公司")
    el.fill(box, "统一社会信用代码", credit_code("91530102MA6K00001"))
    el.pick(page, box, "单位类型", "企业")
    el.pick(page, box, "所属行业", "租赁和商务服务业")
    el.fill(box, "工作单位地址", "云南省昆明市五华区测试路3号")
    el.fill(box, "工作单位电话", "0871-65550001")
    el.radio(box, "是否有会计工作经历", "否")
    el.button(box, "保存").click()
    expect(el.message(page, "error", "全日制学历人员工作开始时间不得早于或等于毕业时间")).to_be_visible()
    expect(box).to_be_visible()
    assert qa.record(who.id_number)["work"] == []


def test_injected_fault_is_shown_and_the_step_stays(page: Page, qa: QA) -> None:
    who = person(9)
    flow.account(qa, who, verified=True)
    flow.login(page, qa, who.id_number, who.password)
    page.goto("/#/collect")
    flow.department(page, "云南省", "昆明地区", "五华区")
    qa.configure(faults="save_error_rate=1")
    flow.page_button(page, "保存并下一步").click()
    expect(el.message(page, "error", "系统繁忙，请稍后再试")).to_be_visible()
    flow.at_step(page, "01 会计管理部门")
    qa.configure(faults="")
    flow.next_step(page, "保存并下一步", "02 采集须知")


def test_expired_session_goes_to_login_and_comes_back(page: Page, qa: QA) -> None:
    who = person(10)
    flow.account(qa, who, verified=True)
    flow.login(page, qa, who.id_number, who.password)
    page.goto("/#/collect")
    flow.department(page, "云南省", "昆明地区", "五华区")
    page.context.clear_cookies()
    flow.page_button(page, "保存并下一步").click()
    expect(el.message(page, "error", "登录已过期，请重新登录")).to_be_visible()
    expect(page).to_have_url(re.compile(r"#/login$"))
    flow.login(page, qa, who.id_number, who.password)
    expect(page).to_have_url(re.compile(r"#/collect$"))
    flow.at_step(page, "01 会计管理部门")


def test_a_department_without_lower_levels_is_complete(page: Page, qa: QA) -> None:
    who = person(11)
    flow.account(qa, who, verified=True)
    flow.login(page, qa, who.id_number, who.password)
    page.goto("/#/collect")
    selects = el.item(page, "所在会计管理部门").locator(".el-select input")
    expect(selects.nth(1)).to_be_disabled()
    el.pick(page, page, "所在会计管理部门", "国家机关事务管理局", nth=0)
    expect(selects.nth(1)).to_be_disabled()
    expect(selects.nth(2)).to_be_disabled()
    flow.next_step(page, "保存并下一步", "02 采集须知")
    department = qa.record(who.id_number)["department"]
    assert department["province"] == "国家机关事务管理局"
    assert not department.get("city")
    assert not department.get("district")


def _api(page: Page, method: str, url: str, body: object) -> object:
    """A request with the page's own session; its JSON answer."""
    response = page.request.fetch(url, method=method, data=body)
    assert response.ok, f"{method} {url}: {response.text()}"
    return response.json()


def test_education_check_method_follows_the_level(page: Page, qa: QA, pictures: dict[str, Path]) -> None:
    # platform-map 5.4: only 大专 and above are checked against 学信网 (site.json auto_check_levels);
    # rows below that are reviewed by hand, as is any row with uploaded proof
    who = person(12)
    flow.account(qa, who, verified=True)
    flow.login(page, qa, who.id_number, who.password)
    flow.api_prefill(page, pictures, upto_step=3)  # a 全日制 大学本科 row without attachments
    high_school = {
        "mode": "全日制",
        "school": "昆明仿真第一中学",
        "start": "2007-09",
        "end": "2010-06",
        "present": False,
        "level": "普通高中",
        "degree": "无",
        "major": "其他",
        "attachments": {},
    }
    _api(page, "POST", "/api/record/education", high_school)
    proof = flow.api_upload(page, pictures["diploma"], "attachment")
    college = {
        **high_school,
        "school": "云南仿真职业技术学院",
        "level": "大学专科",
        "start": "2003-09",
        "end": "2006-06",
    }
    _api(page, "POST", "/api/record/education", {**college, "attachments": {"diploma_proof": proof}})
    page.goto("/#/collect")
    flow.at_step(page, "04 教育经历")
    rows = el.table_rows(page.locator(".ausm-step--education .el-table"))
    expect(rows).to_have_count(3)
    expect(rows.locator("td:nth-child(2)")).to_have_text(["自动核验", "人工审核", "人工审核"])
    expect(rows.locator("td:nth-child(9)")).to_have_text(["大学本科", "普通高中", "大学专科"])


def test_qualification_rows_show_their_own_review_status(page: Page, qa: QA, pictures: dict[str, Path]) -> None:
    # a reviewer may fail one 会计专业技术资格 row alone: that row (and only it) reads 审核不通过, in its
    # table and on 审核告知 with the reason
    who = person(13)
    flow.account(qa, who, verified=True)
    flow.login(page, qa, who.id_number, who.password)
    flow.api_prefill(page, pictures, upto_step=4)
    proof = flow.api_upload(page, pictures["diploma"], "attachment")
    job = {
        "start": "2014-08",
        "end": None,
        "present": True,
        "employer": "昆明仿真测试有限公司",
        "uscc": credit_code("91530102MA6K00001"),
        "employer_type": "企业",
        "industry": "批发和零售业",
        "address": "云南省昆明市五华区测试路3号",
        "phone": "0871-65550001",
        "uscc_proof": proof,
        "has_accounting": True,
        "accounting": {"start": "2014-08", "work_types": ["出纳"], "proof": proof},
    }
    _api(page, "POST", "/api/record/work", job)
    for level, cert_no in (("初级", "CJ2016530000123"), ("中级", "ZJ2020530000456")):
        _api(
            page,
            "POST",
            "/api/record/qualifications/accounting",
            {"level": level, "method": "考试", "cert_no": cert_no},
        )
    _api(page, "PUT", "/api/record/step", {"step": 6})
    _api(page, "POST", "/api/record/submit", {"promise": True})
    reason = "证书编号在线校验不通过，请上传证书"
    qa.review(
        who.id_number,
        {
            "basic": "pass",
            "education": ["pass"],
            "work": ["pass"],
            "qualifications": {"accounting": ["pass", "fail"]},
            "reasons": {"qualifications.accounting[1]": reason},
        },
    )
    page.goto("/#/collect")
    flow.at_step(page, "07 审核告知")
    expect(page.locator(".ausm-verdict__title")).to_have_text("审核不通过")
    parts = page.locator(".ausm-parts")
    expect(parts.locator(".ausm-state")).to_have_text(["审核通过", "审核通过", "审核通过", "审核通过", "审核不通过"])
    last = el.table_rows(parts).last
    expect(last).to_contain_text("会计专业技术资格：中级")
    expect(last).to_contain_text(reason)
    page.locator(".el-steps .el-step__title").filter(has_text="06 专业技术资格").click()
    flow.at_step(page, "06 专业技术资格")
    accounting = el.table_rows(page.locator('.el-table[data-kind="accounting"]'))
    expect(accounting.locator("td:nth-child(3)")).to_have_text(["审核通过", "审核不通过"])
