"""The comparisons behind `autofill selectors verify`, its report, and the command's refusals — no
browser: the walk itself is tested in tests/e2e/test_selectors_verify.py."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from autofill import cli_verify
from autofill.errors import AutofillError
from autofill.pack import load_pack
from autofill.verify import (
    Difference,
    VerifyReport,
    diff_columns,
    diff_hint,
    diff_labels,
    diff_options,
    diff_steps,
    fields_of,
)

runner = CliRunner()


def test_options_are_compared_as_the_driver_picks_them_width_and_space_insensitively() -> None:
    pack = ["中共党员(含中共预备党员)", "群众", "无党派人士"]
    page = ["中共党员（含中共预备党员）", " 群众 ", "其他"]
    found = diff_options("基本信息", "政治面貌", pack, page, assumed=True)
    assert found == [
        Difference("基本信息", "政治面貌", "option_missing", "无党派人士", "", True),
        Difference("基本信息", "政治面貌", "option_extra", "", "其他", True),
    ]


def test_extra_options_can_be_ignored_for_a_partial_list() -> None:
    found = diff_options(
        "会计管理部门", "所在会计管理部门", ["云南省", "示例省"], ["云南省", "北京市"], assumed=True, extras=False
    )
    assert [(d.kind, d.pack) for d in found] == [("option_missing", "示例省")]


def test_a_renamed_label_is_reported_with_the_text_the_page_shows_now() -> None:
    shown = ["工作开始时间", "单位名称", "单位性质", "所属行业"]
    found = diff_labels("工作经历 · 新增工作经历", ["单位名称", "单位类型", "所属行业"], shown)
    assert found == [Difference("工作经历 · 新增工作经历", "单位类型", "label_missing", "单位类型", "单位性质")]


def test_labels_match_like_form_item_finds_them() -> None:
    # full-width brackets and spacing as the page may render them still find the field
    shown = ["身份证明人像面（身份证或居住证）", "身份证明国徽面(身份证或居住证)", " 学校名称（全称） "]
    assert (
        diff_labels(
            "s", ["身份证明人像面 (身份证或居住证)", "身份证明国徽面 (身份证或居住证)", "学校名称(全称)"], shown
        )
        == []
    )
    # ... but not a space inside a word, which form_item would not find either
    assert diff_labels("s", ["学校名称(全称)"], ["学校名称 (全称)"])[0].page == "学校名称 (全称)"
    # a label with nothing like it on the page says so
    assert diff_labels("s", ["聘任证明"], ["邮箱"]) == [Difference("s", "聘任证明", "label_missing", "聘任证明", "")]


def test_columns_missing_and_extra() -> None:
    found = diff_columns("教育经历", "教育经历", ["序号", "学校名称", "学历"], ["序号", "院校名称", "学历", ""])
    assert [(d.kind, d.pack or d.page) for d in found] == [("column_missing", "学校名称"), ("column_extra", "院校名称")]


def test_a_hint_inside_a_longer_line_is_the_same_hint() -> None:
    hint = "照片须为清晰、完整、近期的标准证件照片, jpg格式, 不小于10KB, 像素>=295*413px"
    lines = [
        "说明:",
        "1.照片须为清晰、完整、近期的标准证件照片, jpg格式, 不小于10KB, 像素>=295*413px, 模糊、刘海遮眉。",
    ]
    assert diff_hint("基本信息", "照片信息", hint, lines) is None


def test_a_changed_hint_shows_the_most_similar_line() -> None:
    hint = "只能上传 (jpg/png) 图片文件, 大于20KB且不超过500KB, 多张证明的需要合并到一张图片中"
    lines = [
        "学历证明附件",
        "点击上传证明附件",
        "只能上传 (jpg/png) 图片文件, 大于20KB且不超过1MB, 多张证明的需要合并到一张图片中",
    ]
    found = diff_hint("教育经历", "学历证明附件", hint, lines)
    assert found is not None
    assert found.kind == "hint_changed"
    assert found.page == lines[2]


def test_step_names_the_pack_does_not_know() -> None:
    pack = load_pack()
    found = diff_steps(pack, ["会计管理部门", "基本信息", "审核结果"])
    assert found == [Difference("审核结果", "步骤栏 (step bar)", "step_unknown", "", "审核结果")]


def test_a_step_shows_its_form_and_its_read_only_fields() -> None:
    labels = [f.label for f in fields_of(load_pack(), "basic")]
    assert "民族" in labels
    assert "有效身份证件号码" in labels  # forms.basic_readonly
    assert fields_of(load_pack(), "review") == []


def test_report_lines_read_step_field_pack_arrow_page() -> None:
    report = VerifyReport(url="http://127.0.0.1:8000")
    report.add(
        [
            Difference("基本信息", "民族", "option_extra", "", "其他"),
            Difference("教育经历 · 新增教育经历", "所学专业", "option_extra", "", "英语", assumed=True),
        ]
    )
    report.unchecked.append("审核告知: 未核对")
    text = report.render()
    assert "与选择器包不同之处 2 处" in text
    assert (
        "  基本信息 / 民族: （无） → 其他  [页面上有、选择器包没有的选项 (option on the page the pack lacks)]" in text
    )
    assert "所学专业: （无） → 英语" in text
    assert "assumed list differs" in text.splitlines()[-3]
    assert "基本信息 / 民族" not in next(line for line in text.splitlines() if "assumed" in line)
    assert text.rstrip().endswith("审核告知: 未核对")


def test_the_same_hint_change_is_reported_once() -> None:
    report = VerifyReport(url="u")
    old, new = "大于20KB且不超过500KB", "大于20KB且不超过1MB"
    report.add([Difference("基本信息", "身份证明人像面", "hint_changed", old, new)])
    report.add([Difference("教育经历 · 新增教育经历", "学历证明附件", "hint_changed", old, new), None])
    report.add([Difference("基本信息", "身份证明人像面", "hint_changed", old, new)])
    assert len(report.differences) == 1


def test_no_differences_says_so_and_json_is_machine_readable() -> None:
    report = VerifyReport(url="http://127.0.0.1:8000", visited=["首页 (home)"])
    report.count("labels", 3)
    assert "页面与选择器包一致 (no differences)" in report.render()
    report.add([Difference("登录页 (login)", "验证码", "label_missing", "验证码", "校验码")])
    report.error = "登录页与选择器包不同，无法登录"
    data = json.loads(report.as_json())
    assert data["differences"] == [
        {
            "step": "登录页 (login)",
            "field": "验证码",
            "kind": "label_missing",
            "pack": "验证码",
            "page": "校验码",
            "assumed": False,
            "kind_text": "页面上没有这个标签 (label missing)",
        }
    ]
    assert data["checked"] == {"labels": 3}
    assert data["error"] == "登录页与选择器包不同，无法登录"


def test_verify_needs_a_profile_unless_the_replica_gives_a_throwaway_account() -> None:
    result = runner.invoke(cli_verify.app, ["verify", "--url", "http://127.0.0.1:9"])
    assert result.exit_code == 2
    assert "--profile" in result.output


def test_a_throwaway_account_is_never_made_on_a_remote_site() -> None:
    result = runner.invoke(cli_verify.app, ["verify", "--url", "https://ausm.mof.gov.cn/index/", "--solver", "replica"])
    assert result.exit_code == 2
    assert "replica" in result.output


def test_help_says_what_verify_reads_and_the_throwaway_account() -> None:
    result = runner.invoke(cli_verify.app, ["verify", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "creates a throwaway account through the replica's QA API" in text
    assert "nothing is saved to the person's record" in text


def test_a_replica_that_does_not_answer_is_a_clear_error() -> None:
    result = runner.invoke(cli_verify.app, ["verify", "--url", "http://127.0.0.1:9", "--solver", "replica"])
    assert isinstance(result.exception, AutofillError)  # cli.py prints it and exits 1
    assert "QA" in result.exception.message
    assert "127.0.0.1:9" in result.exception.render()
