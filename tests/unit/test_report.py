"""report.json / report.html / the review table: readable, escaped, and free of secrets."""

from __future__ import annotations

import json
import stat
from datetime import datetime
from pathlib import Path

import pytest
from pydantic import ValidationError
from stdnum.cn import ric

from autofill.masking import mask_id, mask_mobile
from autofill.report import (
    FieldLine,
    Person,
    RunReport,
    StepReport,
    outcome_words,
    render_comparison,
    write_report,
)
from autofill.runs import RunDir, close_log, open_log

ID_NUMBER = "53010219900512123" + ric.calc_check_digit("53010219900512123" + "0")
MOBILE = "13912345678"
PASSWORD = "Pw<&\"'#2024a"  # characters that HTML and JSON escape


def make_report() -> RunReport:
    """A report whose values carry the full ID, the mobile and the password everywhere they could."""
    return RunReport(
        tool_version="0.1.0",
        site_url="http://127.0.0.1:8000",
        layout=["会计管理部门", "采集须知", "基本信息", "审核告知"],
        profile=f"/home/someone/profiles/{ID_NUMBER}.yaml",
        person=Person(name="测试甲", id_number=ID_NUMBER),
        started=datetime(2025, 3, 1, 9, 5, 7),
        finished=datetime(2025, 3, 1, 9, 7, 0),
        outcome="failed",
        error=f"登录失败：{ID_NUMBER} 密码 {PASSWORD} 手机 {MOBILE}",
        steps=[
            StepReport(
                index=3,
                title="基本信息",
                screenshot="step-03-基本信息.png",
                fields=[
                    FieldLine(
                        step="基本信息",
                        path="basic.id_number",
                        label="证件号码",
                        value=ID_NUMBER,
                        page_value=mask_id(ID_NUMBER),
                        action="unchanged",
                    ),
                    FieldLine(
                        step="基本信息",
                        path="basic.mobile",
                        label="手机号",
                        value=MOBILE,
                        page_value=MOBILE,
                        action="unchanged",
                    ),
                    FieldLine(
                        step="基本信息",
                        path="basic.address",
                        label="通讯地址",
                        value="<script>alert(1)</script>",
                        page_value=None,
                        action="filled",
                    ),
                    FieldLine(
                        step="基本信息", path="basic.note", label="备注", value=PASSWORD, page_value="", action="filled"
                    ),
                ],
                notes=[f"password {PASSWORD} was typed"],
            )
        ],
        comparison=[
            FieldLine(
                step="基本信息",
                path="basic.email",
                label="电子邮箱",
                value="a@example.com",
                page_value="b@example.com",
                action="mismatch",
            ),
            FieldLine(
                step="基本信息",
                path="basic.ethnicity",
                label="民族",
                value="汉族",
                page_value="汉族",
                action="unchanged",
            ),
        ],
        extra_rows=[f"教育经历：某大学 (row of {MOBILE})"],
        not_filed=["会计专业技术资格：1 行 (qualifications.accounting) <b>"],
        trace="trace.zip",
    )


def test_no_secret_in_any_file(tmp_path: Path) -> None:
    run = RunDir.create(tmp_path, ID_NUMBER, datetime(2025, 3, 1, 9, 5, 7))
    log = open_log(run, [PASSWORD, ID_NUMBER, MOBILE])
    log.info("writing the report for %s / %s / %s", ID_NUMBER, MOBILE, PASSWORD)
    close_log()
    json_path, html_path = write_report(make_report(), run, secrets=[PASSWORD, ID_NUMBER, MOBILE])
    assert {json_path.name, html_path.name} == {"report.json", "report.html"}
    files = [json_path, html_path, run.log_path]
    for path in files:
        text = path.read_text(encoding="utf-8")
        for secret in (ID_NUMBER, MOBILE, PASSWORD, json.dumps(PASSWORD)[1:-1], "Pw&lt;&amp;"):
            assert secret not in text, (path.name, secret)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    names = " ".join(p.name for p in run.path.iterdir()) + run.path.name
    assert ID_NUMBER not in names


def test_json_round_trip_keeps_what_matters(tmp_path: Path) -> None:
    json_path, _ = write_report(make_report(), tmp_path, secrets=[PASSWORD])
    loaded = RunReport.model_validate_json(json_path.read_text(encoding="utf-8"))
    assert loaded.person.id_number == mask_id(ID_NUMBER)
    assert loaded.person.name == "测**"
    assert loaded.profile == f"{mask_id(ID_NUMBER)}.yaml"  # file name only, masked
    assert loaded.steps[0].fields[1].value == mask_mobile(MOBILE)
    assert loaded.steps[0].fields[3].value == "******"
    assert loaded.outcome == "failed"
    assert [line.label for line in loaded.mismatches] == ["电子邮箱"]


def test_masked_on_construction() -> None:
    line = FieldLine(step="s", path="p", label="l", value=f"id {ID_NUMBER}", page_value=MOBILE, action="filled")
    assert ID_NUMBER not in line.model_dump_json()
    assert MOBILE not in line.model_dump_json()
    line.value = ID_NUMBER  # assignment is checked too
    assert line.value == mask_id(ID_NUMBER)


def test_html_reads_well_and_escapes(tmp_path: Path) -> None:
    _, html_path = write_report(make_report(), tmp_path, secrets=[PASSWORD])
    page = html_path.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<img src="step-03-%E5%9F%BA%E6%9C%AC%E4%BF%A1%E6%81%AF.png"' in page
    assert 'class="error"' in page and "登录失败" in page
    assert '<tr class="action-mismatch">' in page  # highlighted by the CSS
    assert "tr.action-mismatch td" in page  # the CSS is inlined: the page stands alone
    assert "<link" not in page and "<script" not in page
    assert "a@example.com" in page and "b@example.com" in page
    assert "$" not in page.replace("${", "")  # every placeholder filled
    assert "${" not in page
    assert 'href="trace.zip"' in page
    assert '<section id="not-filed">' in page and "会计专业技术资格：1 行 (qualifications.accounting) &lt;b&gt;" in page


def test_no_error_box_when_stopped_for_review(tmp_path: Path) -> None:
    report = make_report()
    report.outcome = "stopped_for_review"
    report.error = None
    _, html_path = write_report(report, tmp_path)
    page = html_path.read_text(encoding="utf-8")
    assert 'class="error"' not in page
    assert "审核告知" in page


def test_screenshot_must_lie_beside_the_report() -> None:
    with pytest.raises(ValidationError):
        StepReport(index=1, title="x", screenshot="../elsewhere.png")
    with pytest.raises(ValidationError):
        FieldLine(step="s", path="p", label="l", action="typed")


def test_comparison_table_for_the_terminal() -> None:
    lines = [
        *make_report().comparison,
        FieldLine(
            step="基本信息",
            path="basic.mobile",
            label="手机号",
            value=MOBILE,
            page_value="[b]x[/b]",
            action="unchanged",
        ),
    ]
    text = render_comparison(lines, secrets=[PASSWORD])
    assert "电子邮箱" in text and "b@example.com" in text
    assert "✗" in text and "1 处不一致" in text
    assert MOBILE not in text and mask_mobile(MOBILE) in text
    assert "[b]x[/b]" in text  # shown as typed, not taken as markup
    assert "\x1b[" not in text  # plain text, fit for a log
    assert "全部一致" in render_comparison(lines[1:2])
    assert "nothing to compare" in render_comparison([])


def test_rows_on_the_site_only_and_parts_not_filed_are_shown_and_are_not_everything_matching() -> None:
    same = [
        FieldLine(
            step="基本信息", path="basic.email", label="邮箱", value="a@b.cn", page_value="a@b.cn", action="unchanged"
        )
    ]
    assert "全部一致" in render_comparison(same)

    text = render_comparison(
        same,
        actions=["删除 工作经历：统一社会信用代码 91110105MA01ABCD13 (deleted)"],
        extra_rows=["工作经历：统一社会信用代码 91110105MA01ABCD13"],
        not_filed=["会计专业技术资格：1 行 (qualifications.accounting)"],
    )

    assert "全部一致" not in text
    assert "表格行 (row): 删除 工作经历" in text
    assert "网站上有、档案中没有的行 (on the site, not in the profile): 工作经历" in text
    assert "未填写 (not filed, the wizard has no step for it): 会计专业技术资格" in text
    assert "网站上另有 1 行档案中没有" in text and "1 部分未填写" in text
    assert text.index("表格行") < text.index("网站上另有")  # the verdict comes last, next to the question


def test_a_refused_value_is_not_saved_in_the_report_and_on_screen(tmp_path: Path) -> None:
    line = FieldLine(step="基本信息", path="basic.address", label="通讯地址", value="x" * 230, action="refused")
    report = make_report()
    report.steps = [StepReport(index=3, title="基本信息", fields=[line], notes=["新增 education[0] (added)"])]

    _, html_path = write_report(report, tmp_path)

    page = html_path.read_text(encoding="utf-8")
    assert "未保存：网站拒绝 (not saved: the site refused)" in page and "action-refused" in page
    assert "已填写" not in page
    assert "对表格行的操作 (row changes)" in page and "新增 education[0] (added)" in page
    text = render_comparison([line])
    assert "✗ 未保存" in text and "1 处不一致" in text and "全部一致" not in text


def test_the_outcome_names_the_step_the_run_stopped_at() -> None:
    report = make_report()
    report.outcome = "stopped_for_review"
    report.steps = [StepReport(index=1, title="采集须知"), StepReport(index=5, title="会计管理部门")]
    assert outcome_words(report).startswith("已停在会计管理部门，")  # the legacy layout's gate
    report.steps = [StepReport(index=7, title="审核告知")]
    assert outcome_words(report).startswith("已停在审核告知，")
    report.outcome = "submitted"
    assert outcome_words(report) == "已提交审核 (submitted)"
