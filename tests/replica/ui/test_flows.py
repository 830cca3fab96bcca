"""A person's whole way through the replica by hand, in both wizard layouts: register, log in with
the captcha read from the QA API, real-name by upload, every step, add/edit/delete rows, submit;
then the stored record is checked through the QA API."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.replica.ui import elements as el
from tests.replica.ui import flow
from tests.replica.ui.people import person
from tests.replica.ui.qa import QA

EDUCATION_COLUMNS = [
    "序号",
    "审核方式",
    "审核状态",
    "培养方式",
    "学校名称",
    "所学专业",
    "入学时间",
    "毕业时间",
    "学历",
    "操作",
]
WORK_COLUMNS = [
    "序号",
    "审核方式",
    "审核状态",
    "单位名称",
    "统一社会信用代码",
    "单位类型",
    "所属行业",
    "工作开始时间",
    "工作经历",
    "操作",
]
ACCOUNTING_COLUMNS = ["序号", "审核方式", "审核状态", "职称层级", "获取方式", "证书号或批文号", "操作"]
OTHER_COLUMNS = [
    "序号",
    "审核方式",
    "审核状态",
    "专业技术资格类型",
    "专业技术资格级别",
    "取得时间",
    "证书号或批文号",
    "操作",
]


def test_national_layout_whole_flow(page: Page, qa: QA, pictures: dict[str, Path], shots: Path) -> None:
    who = person(1)
    flow.register(page, qa, who, shots)
    flow.login(page, qa, who.id_number, who.password, shots)
    expect(page).to_have_url(re.compile(r"#/$"))
    expect(page.locator(".ausm-header__user")).to_have_text(who.masked_name)
    flow.shoot(page, shots, "home")

    flow.open_collection(page)
    flow.realname_by_upload(page, pictures, "云南省/昆明市", shots)

    # the wizard: two tabs and the national step bar
    expect(page.locator(".el-tabs__item")).to_have_text(["信息采集", "信息变更"])
    expect(page.locator(".el-steps .el-step__title")).to_have_text(
        [
            "01 会计管理部门",
            "02 采集须知",
            "03 基本信息",
            "04 教育经历",
            "05 工作经历",
            "06 专业技术资格",
            "07 审核告知",
        ]
    )
    flow.at_step(page, "01 会计管理部门")

    # 01 会计管理部门: saving with nothing picked is refused by the form
    flow.page_button(page, "保存并下一步").click()
    expect(el.item(page, "所在会计管理部门").locator(".el-form-item__error")).to_have_text("请选择所在会计管理部门")
    flow.department(page, "云南省", "昆明地区", "五华区")
    flow.shoot(page, shots, "national-01-department")
    flow.next_step(page, "保存并下一步", "02 采集须知")

    # 02 采集须知
    flow.scope(page, 1)
    flow.shoot(page, shots, "national-02-notice")
    flow.next_step(page, "下一步", "03 基本信息")

    # 03 基本信息
    expect(page.locator(".ausm-status-line")).to_have_text(re.compile(r"基本信息审核状态:\s*未提交审核"))
    flow.basic(page, who, pictures)
    flow.shoot(page, shots, "national-03-basic")
    flow.next_step(page, "保存并下一步", "04 教育经历")

    # 04 教育经历: add two rows, edit one, delete the other, look at the details
    table = page.locator(".ausm-step--education .el-table")
    assert el.table_headers(table) == EDUCATION_COLUMNS
    expect(table.locator(".el-table__empty-text")).to_have_text("暂无数据")
    flow.section_button(page, "教育经历", "新增").click()
    box = el.dialog(page, "新增教育经历")
    expect(box.locator(".el-dialog__footer button")).to_have_text(["取消", "保存"])
    for label in ("培养方式", "学校名称(全称)", "入学时间", "毕业时间", "学历", "学位", "所学专业"):
        assert el.is_required(box, label), label
    for label in ("学历证书编号", "学位证书编号"):
        assert not el.is_required(box, label), label
    flow.education_row(
        page,
        {
            "mode": "全日制",
            "school": "云南仿真财经大学",
            "start": "2010-09",
            "end": "2014-07",
            "level": "大学本科",
            "diploma_no": "106811201405000123",
            "degree": "学士",
            "degree_no": "1068142014000123",
            "major": "会计学",
        },
    )
    flow.shoot(page, shots, "national-04-education-dialog")
    flow.save_dialog(page, "新增教育经历")

    flow.section_button(page, "教育经历", "新增").click()
    flow.education_row(
        page,
        {
            "mode": "非全日制",
            "school": "云南仿真理工大学",
            "start": "2021-09",
            "level": "硕士研究生",
            "degree": "无",
            "major": "财务管理",
        },
        present=True,
    )
    # a current study (至今) needs its proof: marked required, and 保存 without it is refused in the dialog
    box = el.dialog(page, "新增教育经历")
    assert el.is_required(box, "在学证明附件")
    el.button(box, "保存").click()
    expect(el.item(box, "在学证明附件").locator(".el-form-item__error")).to_contain_text("在校生须上传至今在学证明")
    expect(box).to_be_visible()
    el.upload(box, "在学证明附件", pictures["diploma"])
    flow.save_dialog(page, "新增教育经历")
    rows = el.table_rows(table)
    expect(rows).to_have_count(2)
    expect(rows.nth(1).locator("td").nth(7)).to_have_text("至今")

    rows.nth(0).get_by_role("button", name="编辑").click()
    box = el.dialog(page, "编辑教育经历")
    expect(el.item(box, "学校名称(全称)").locator("input")).to_have_value("云南仿真财经大学")
    expect(el.item(box, "毕业时间").locator(".el-date-editor input")).to_have_value("2014-07")
    flow.education_row(page, {"major": "财务管理"}, {"学历证明附件": pictures["diploma"]})
    flow.save_dialog(page, "编辑教育经历")
    expect(rows.nth(0).locator("td").nth(5)).to_have_text("财务管理")
    expect(rows.nth(0).locator("td").nth(1)).to_have_text("人工审核")

    rows.nth(1).get_by_role("button", name="删除").click()
    confirm = page.locator(".el-message-box")
    expect(confirm).to_contain_text("确定删除该条教育经历吗")
    confirm.get_by_role("button", name="确定").click()
    expect(el.message(page, "success", "删除成功")).to_be_visible()
    expect(rows).to_have_count(1)

    rows.nth(0).get_by_role("button", name="查看详情").click()
    box = el.dialog(page, "教育经历详情")
    expect(el.item(box, "学校名称(全称)").locator("input")).to_be_disabled()
    el.button(box, "关闭").click()
    expect(box).to_be_hidden()

    # a reload resumes at the stored step with the saved rows
    page.reload()
    flow.at_step(page, "04 教育经历")
    expect(el.table_rows(table)).to_have_count(1)
    flow.shoot(page, shots, "national-04-education")
    flow.next_step(page, "下一步", "05 工作经历")

    # 05 工作经历
    table = page.locator(".ausm-step--work .el-table")
    assert el.table_headers(table) == WORK_COLUMNS
    flow.section_button(page, "工作经历", "新增").click()
    flow.work_row(page, pictures)
    flow.shoot(page, shots, "national-05-work-dialog")
    flow.save_dialog(page, "新增工作经历")
    row = el.table_rows(table).nth(0)
    expect(row).to_contain_text("昆明仿真测试有限公司")
    expect(row).to_contain_text("有会计工作经历")
    flow.shoot(page, shots, "national-05-work")
    flow.next_step(page, "下一步", "06 专业技术资格")

    # 06 专业技术资格: two tables, one row in the first
    accounting = page.locator(".el-table[data-kind=accounting]")
    other = page.locator(".el-table[data-kind=other]")
    assert el.table_headers(accounting) == ACCOUNTING_COLUMNS
    assert el.table_headers(other) == OTHER_COLUMNS
    expect(flow.section_button(page, "会计专业技术资格", "自动获取会计专业技术资格")).to_be_visible()
    flow.section_button(page, "会计专业技术资格", "新增").click()
    box = el.dialog(page, "新增会计专业技术资格")
    el.pick(page, box, "职称层级", "初级")
    el.pick(page, box, "获取方式", "考试")
    el.fill(box, "证书号或批文号", "CJ2016530000123")
    flow.save_dialog(page, "新增会计专业技术资格")
    expect(el.table_rows(accounting)).to_have_count(1)
    flow.section_button(page, "其他专业技术人员职业资格", "新增").click()
    el.dialog(page, "新增其他专业技术人员职业资格")
    flow.shoot(page, shots, "national-06-other-qualification-dialog")
    el.button(el.dialog(page, "新增其他专业技术人员职业资格"), "取消").click()
    expect(page.locator(".el-dialog__wrapper:visible")).to_have_count(0)
    expect(page.locator(".v-modal")).to_have_count(0)
    flow.shoot(page, shots, "national-06-qualifications")
    flow.next_step(page, "下一步", "07 审核告知")

    # 07 审核告知: the 承诺 box must be ticked before 提交
    parts = page.locator(".ausm-parts")
    expect(parts).to_contain_text("教育经历：全日制本科")
    expect(parts).to_contain_text("工作经历：昆明仿真测试有限公司")
    flow.page_button(page, "提交").click()
    expect(el.message(page, "warning", "请勾选承诺所提供信息真实有效")).to_be_visible()
    el.check(page, "承诺所提供信息真实有效")
    flow.shoot(page, shots, "national-07-review")
    flow.page_button(page, "提交").click()
    expect(el.message(page, "success", "提交成功")).to_be_visible()
    expect(page.locator(".ausm-verdict__title")).to_have_text("待审核")
    flow.shoot(page, shots, "national-07-review-pending")

    stored = qa.record(who.id_number)
    assert stored["account"]["verified"] is True
    assert stored["status"] == "待审核"
    assert stored["department"] == {"province": "云南省", "city": "昆明地区", "district": "五华区"}
    assert stored["scope"] == 1
    basic = stored["basic"]
    assert (basic["political_status"], basic["ethnicity"], basic["postcode"]) == (
        "中共党员(含中共预备党员)",
        "汉族",
        "650000",
    )
    assert basic["photo"]["name"] == pictures["photo"].name
    assert basic["photo"]["bytes"] == pictures["photo"].stat().st_size
    assert (basic["photo"]["width"], basic["photo"]["height"]) == (295, 413)
    assert basic["id_back"]["name"] == pictures["id_back"].name
    [education] = stored["education"]
    assert (education["mode"], education["school"], education["start"], education["end"]) == (
        "全日制",
        "云南仿真财经大学",
        "2010-09",
        "2014-07",
    )
    assert (education["level"], education["degree"], education["major"]) == ("大学本科", "学士", "财务管理")
    assert education["present"] is False
    assert education["attachments"]["diploma_proof"]["name"] == pictures["diploma"].name
    [work] = stored["work"]
    assert work["present"] is True and work["end"] is None
    assert work["employer"] == "昆明仿真测试有限公司"
    assert work["uscc_proof"]["name"] == pictures["uscc"].name
    assert work["has_accounting"] is True
    accounting = work["accounting"]
    assert accounting["start"] == "2014-08"
    assert accounting["work_types"] == ["出纳", "会计监督"]
    assert (accounting["title"], accounting["title_date"]) == ("助理会计师", "2016-09")
    assert accounting["proof"]["name"] == pictures["proof"].name
    [qualification] = stored["qualifications"]["accounting"]
    assert (qualification["level"], qualification["method"]) == ("初级", "考试")
    assert stored["qualifications"]["other"] == []

    # the reviewer passes everything: 审核告知 shows ✓ 审核通过 for each part
    qa.review(who.id_number, {"basic": "pass", "education": ["pass"], "work": ["pass"]})
    page.reload()
    flow.at_step(page, "07 审核告知")
    expect(page.locator(".ausm-verdict__title")).to_have_text("审核通过")
    expect(page.locator(".ausm-verdict__icon")).to_have_class(re.compile("el-icon-circle-check"))
    # (the accounting qualification, left out of the verdict, passes too)
    expect(parts.locator(".ausm-state")).to_have_text(["审核通过", "审核通过", "审核通过", "审核通过"])
    expect(parts).to_contain_text("会计专业技术资格：初级")
    expect(page.locator(".ausm-contact__dept")).to_have_text("云南省-昆明地区-五华区")
    flow.shoot(page, shots, "national-07-review-passed")


def test_legacy_layout_whole_flow(page: Page, qa: QA, pictures: dict[str, Path], shots: Path) -> None:
    qa.configure(layout="legacy")
    who = person(2)
    flow.register(page, qa, who)
    flow.login(page, qa, who.mobile, who.password)
    flow.open_collection(page)
    flow.realname_by_upload(page, pictures, "云南省/曲靖市")

    expect(page.locator(".el-steps .el-step__title")).to_have_text(
        ["01 采集须知", "02 基本信息", "03 教育经历", "04 工作经历", "05 会计管理部门", "06 审核告知"]
    )
    # 01 采集须知 comes first: no 上一步, and its button saves
    flow.at_step(page, "01 采集须知")
    expect(flow.page_button(page, "上一步")).to_have_count(0)
    flow.scope(page, 3)
    flow.shoot(page, shots, "legacy-01-notice")
    flow.next_step(page, "保存并下一步", "02 基本信息")

    flow.basic(page, who, pictures)
    flow.shoot(page, shots, "legacy-02-basic")
    flow.next_step(page, "保存并下一步", "03 教育经历")

    # a 大专 student registering for the primary exam: the high-school diploma and the current study
    flow.section_button(page, "教育经历", "新增").click()
    flow.education_row(
        page,
        {
            "mode": "全日制",
            "school": "昆明仿真第一中学",
            "start": "2018-09",
            "end": "2021-06",
            "level": "普通高中",
            "degree": "无",
            "major": "其他",
        },
        {"学历证明附件": pictures["diploma"]},
    )
    expect(el.item(el.dialog(page, "新增教育经历"), "学位证明附件")).to_be_hidden()
    flow.save_dialog(page, "新增教育经历")
    flow.section_button(page, "教育经历", "新增").click()
    flow.education_row(
        page,
        {
            "mode": "全日制",
            "school": "云南仿真职业技术学院",
            "start": "2021-09",
            "level": "大学专科",
            "degree": "无",
            "major": "大数据与会计",
        },
        {"在学证明附件": pictures["diploma"]},
        present=True,
    )
    flow.save_dialog(page, "新增教育经历")
    expect(el.table_rows(page.locator(".ausm-step--education .el-table"))).to_have_count(2)
    flow.shoot(page, shots, "legacy-03-education")
    flow.next_step(page, "下一步", "04 工作经历")

    # no employer: the work step is left empty
    expect(page.locator(".ausm-step--work .el-table__empty-text")).to_have_text("暂无数据")
    flow.shoot(page, shots, "legacy-04-work")
    flow.next_step(page, "下一步", "05 会计管理部门")

    # 05 会计管理部门 carries the 承诺 box and 提交; 省直属 has no third level
    flow.department(page, "云南省", "省直属", None)
    expect(el.item(page, "所在会计管理部门").locator(".el-select").nth(2).locator("input")).to_be_disabled()
    el.check(page, "承诺所提供信息真实有效")
    flow.shoot(page, shots, "legacy-05-department")
    flow.page_button(page, "提交").click()
    expect(el.message(page, "success", "提交成功")).to_be_visible()
    flow.at_step(page, "06 审核告知")
    expect(page.locator(".ausm-verdict__title")).to_have_text("待审核")

    stored = qa.record(who.id_number)
    assert stored["status"] == "待审核"
    assert stored["scope"] == 3
    assert stored["department"]["province"] == "云南省"
    assert stored["department"]["city"] == "省直属"
    assert not stored["department"].get("district")
    assert [e["level"] for e in stored["education"]] == ["普通高中", "大学专科"]
    assert [e["present"] for e in stored["education"]] == [False, True]
    assert stored["education"][1]["attachments"]["study_proof"]["name"] == pictures["diploma"].name
    assert stored["work"] == []

    # the reviewer fails the current study: the page names it with the reason
    qa.review(
        who.id_number,
        {
            "basic": "pass",
            "education": ["pass", "fail"],
            "reasons": {"education[1]": "在学证明不清晰，请重新上传"},
        },
    )
    page.reload()
    flow.at_step(page, "06 审核告知")
    expect(page.locator(".ausm-verdict__title")).to_have_text("审核不通过")
    expect(page.locator(".ausm-verdict")).to_contain_text("根据以下各信息审核情况，点击左侧功能项进行信息修改")
    expect(page.locator(".ausm-parts .ausm-state")).to_have_text(["审核通过", "审核通过", "审核不通过"])
    expect(page.locator(".ausm-parts")).to_contain_text("在学证明不清晰，请重新上传")
    flow.shoot(page, shots, "legacy-06-review-failed")

    # fix and submit again from 会计管理部门 (the step bar leads back)
    page.locator(".el-steps .el-step__title").filter(has_text="03 教育经历").click()
    flow.at_step(page, "03 教育经历")
    rows = el.table_rows(page.locator(".ausm-step--education .el-table"))
    expect(rows.nth(1).locator("td").nth(2)).to_have_text("审核不通过")
    rows.nth(1).get_by_role("button", name="编辑").click()
    flow.education_row(page, {}, {"在学证明附件": pictures["handheld"]})
    flow.save_dialog(page, "编辑教育经历")
    page.locator(".el-steps .el-step__title").filter(has_text="05 会计管理部门").click()
    el.check(page, "承诺所提供信息真实有效")
    flow.page_button(page, "提交").click()
    expect(page.locator(".ausm-verdict__title")).to_have_text("待审核")
    again = qa.record(who.id_number)
    assert again["status"] == "待审核"
    assert again["education"][1]["attachments"]["study_proof"]["name"] == pictures["handheld"].name
