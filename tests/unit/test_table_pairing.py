"""Which site row each profile row is (`pair_rows`), decided without a browser from the table's cells.

A row whose key the profile corrected (a typo in 入学时间, 学校名称, 工作开始时间, 证书号或批文号) is the
same entry: it is edited in place, not added beside the old one. Pairing is conservative: a site row
that may be another entry is never taken, so it is reported (and deleted only with --prune).

Plans come from the example profile through the real pack, rows are written as the replica's tables show
them (fixtures/mock_site/static/js/steps/*.js: each cell is the stored text, months as `YYYY-MM`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from autofill.errors import PackError
from autofill.pack import DEFAULT_PACK, load_pack
from autofill.plan import RowPlan, make_plan
from autofill.profile.model import Profile
from autofill.steps.tables import Pairing, pair_rows
from tests.unit.conftest import EXAMPLES, Mutator

Row = dict[str, str]


def education_row(school: str = "云南大学", start: str = "2008-09", level: str = "大学本科", **more: str) -> Row:
    """A 教育经历 row as the table shows it (scope1's by default)."""
    cells = {"序号": "1", "审核方式": "人工审核", "审核状态": "未提交审核", "培养方式": "全日制", "学校名称": school}
    cells |= {"所学专业": "会计学", "入学时间": start, "毕业时间": "2012-07", "学历": level, "操作": "编辑删除"}
    return cells | more


def work_row(
    uscc: str = "91530102MA6K3XQ8PD", start: str = "2012-08", employer: str = "昆明示例财务咨询有限公司"
) -> Row:
    """A 工作经历 row as the table shows it (scope1's by default)."""
    return {
        "序号": "1",
        "审核方式": "人工审核",
        "审核状态": "未提交审核",
        "单位名称": employer,
        "统一社会信用代码": uscc,
        "单位类型": "企业",
        "所属行业": "租赁和商务服务业",
        "工作开始时间": start,
        "工作经历": "有会计工作经历",
        "操作": "编辑删除",
    }


def accounting_row(level: str = "中级", cert_no: str = "Z2018530100123") -> Row:
    """A 会计专业技术资格 row as the table shows it (scope1's by default)."""
    cells = {"序号": "1", "审核方式": "人工审核", "审核状态": "未提交审核", "职称层级": level, "获取方式": "考试"}
    return cells | {"证书号或批文号": cert_no, "操作": "编辑删除"}


def plans(table: str, change: Mutator | None = None) -> list[RowPlan]:
    """The rows of `table` that the plan of scope1 (changed by `change`) asks for."""
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / "scope1.yaml").read_text(encoding="utf-8"))
    if change is not None:
        change(data)
    return make_plan(Profile.model_validate(data), load_pack(), EXAMPLES).tables[table]


def second_education(data: dict[str, Any], **changes: str) -> None:
    """scope1 with a 硕士研究生 row after its 大学本科 one."""
    masters = {**data["education"][0], "start": "2012-09", "end": "2015-07", "level": "硕士研究生"}
    data["education"].append(masters | {"degree": "硕士", **changes})


def test_the_plan_knows_each_row_by_the_cells_the_table_shows() -> None:
    [edu] = plans("education")
    [job] = plans("work")
    assert edu.same_entry == [{"学校名称": "云南大学", "学历": "大学本科"}, {"入学时间": "2008-09", "学历": "大学本科"}]
    assert job.same_entry == [
        {"统一社会信用代码": "91530102MA6K3XQ8PD"},
        {"单位名称": "昆明示例财务咨询有限公司", "工作开始时间": "2012-08"},
    ]
    assert pair_rows([education_row()], [edu]) == Pairing(exact={0: 0}, corrected={})


@pytest.mark.parametrize(
    ("table", "change", "row"),
    [
        ("education", lambda d: d["education"][0].update(start="2008-10"), education_row()),
        ("education", lambda d: d["education"][0].update(school="云南财经大学"), education_row()),
        ("work", lambda d: d["work"][0].update(start="2012-09"), work_row()),
        ("work", lambda d: d["work"][0].update(uscc="91530102MA6K3XQ8PE"), work_row()),
        (
            "qualifications_accounting",
            lambda d: d["qualifications"]["accounting"][0].update(cert_no="Z2018530100132"),
            accounting_row(),
        ),
    ],
    ids=["education-start", "education-school", "work-start", "work-uscc", "qualification-cert-no"],
)
def test_a_row_whose_key_was_corrected_is_paired_with_the_old_row(table: str, change: Mutator, row: Row) -> None:
    wanted = plans(table, change)

    assert pair_rows([row], wanted) == Pairing(exact={}, corrected={0: 0})


def test_exact_pairs_come_first_and_the_corrected_row_takes_what_is_left() -> None:
    wanted = plans("education", lambda d: second_education(d, start="2012-10"))
    rows = [education_row(), education_row(start="2012-09", level="硕士研究生")]

    assert pair_rows(rows, wanted) == Pairing(exact={0: 0}, corrected={1: 1})


def test_two_equally_good_candidates_pair_with_neither() -> None:
    """Two 大学本科 rows at 云南大学 on the site, the profile's one at neither date: which one it
    corrects is a guess, so the profile row is added and both site rows are reported."""
    wanted = plans("education", lambda d: d["education"][0].update(start="2008-10"))
    rows = [education_row(), education_row(start="2009-09")]

    assert pair_rows(rows, wanted) == Pairing(exact={}, corrected={})


def test_a_row_of_another_entry_is_never_taken() -> None:
    wanted = plans("education", lambda d: d["education"][0].update(school="云南财经大学", start="2005-09"))
    other = education_row(
        school="昆明理工大学", start="2009-09", level="大学专科", 培养方式="非全日制", 所学专业="财务管理"
    )

    assert pair_rows([other], wanted) == Pairing(exact={}, corrected={})
    assert pair_rows([work_row(uscc="91530100MA6N00000X", start="2016-03", employer="某某公司")], plans("work")) == (
        Pairing(exact={}, corrected={})
    )
    assert pair_rows([accounting_row(level="初级", cert_no="C2015")], plans("qualifications_accounting")) == (
        Pairing(exact={}, corrected={})
    )


def test_a_row_two_unpaired_profile_rows_could_be_is_taken_by_neither() -> None:
    """One profile row shares 学校名称 + 学历 with the site row, the other 入学时间 + 学历."""

    def change(data: dict[str, Any]) -> None:
        data["education"][0]["start"] = "2008-10"
        second_education(data, school="云南师范大学", start="2008-09", end="2012-07", level="大学本科")

    wanted = plans("education", change)

    assert pair_rows([education_row()], wanted) == Pairing(exact={}, corrected={})


def test_a_row_under_review_is_not_paired() -> None:
    """Its 编辑 is disabled: the run could only view it, so the corrected row goes the usual way."""
    wanted = plans("education", lambda d: d["education"][0].update(start="2008-10"))

    assert pair_rows([education_row()], wanted, locked={0}) == Pairing(exact={}, corrected={})


def test_an_empty_identity_cell_proves_nothing() -> None:
    plan = RowPlan(
        "work", "work[0]", {"统一社会信用代码": "", "工作开始时间": "2013-01"}, [], [{"统一社会信用代码": ""}]
    )

    assert pair_rows([work_row(uscc="")], [plan]) == Pairing(exact={}, corrected={})


@pytest.mark.parametrize(
    ("same_entry", "problem"),
    [
        ([{"学校": "school"}], "columns the table lacks: 学校"),
        ([{"学校名称": "name"}], "row fields the table lacks: name"),
    ],
)
def test_the_pack_refuses_a_same_entry_the_table_has_no_column_for(
    tmp_path: Path, same_entry: list[dict[str, str]], problem: str
) -> None:
    data = yaml.safe_load(DEFAULT_PACK.read_text(encoding="utf-8"))
    data["wizard"]["tables"]["education"]["same_entry"] = same_entry
    pack = tmp_path / "ausm.yaml"
    pack.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (tmp_path / data["site"]["departments_file"]).symlink_to(DEFAULT_PACK.parent / data["site"]["departments_file"])

    with pytest.raises(PackError) as raised:
        load_pack(pack)

    assert problem in str(raised.value)
    assert "wizard.tables.education" in str(raised.value)
