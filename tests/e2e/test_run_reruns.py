"""Running again is safe: after a submission nothing changes; after editing one field of the profile only
that field changes on the site; a session that expires in the middle of a run does not stop it; a row the
profile no longer has is reported, and deleted only with --prune."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import LAYOUTS, Answer, Examples, Site, load
from tests.e2e.records import changed_paths, differences, row_ids

pytestmark = pytest.mark.e2e

# The legacy layout saves its 会计管理部门 step only with 提交: before submission the record has no
# department and the step is filled again on every run. {layout: (step title, record part)}
SAVED_ONLY_BY_SUBMIT = {"national": [], "legacy": [("会计管理部门", "department")]}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_rerun_after_submission_changes_nothing_and_a_changed_field_is_refused(
    site: Site, examples: Examples, layout: str
) -> None:
    profile = examples.path("scope1")
    person = site.seed(profile)
    first = site.run(profile, "--submit", "--yes")
    assert first.exit_code == 0, first.output
    submitted = site.record(person.account.id_number)
    assert submitted["status"] == "待审核"

    again = site.run(profile)

    assert again.exit_code == 0, again.output
    assert again.report["outcome"] == "in_review"
    assert "已在审核中" in again.output
    assert "审核状态 (review status): 待审核" in again.output  # both layouts show where the record stands
    assert again.changes() == []
    assert site.record(person.account.id_number) == submitted

    moved = examples.variant("scope1", lambda d: d["basic"].update(address="云南省昆明市五华区示例路99号"))
    refused = site.run(moved)

    assert refused.exit_code == 1, refused.output
    assert "basic.address" in refused.output
    assert "审核" in refused.output  # the record is under review
    assert refused.report["outcome"] == "failed"
    assert site.record(person.account.id_number) == submitted


@pytest.mark.parametrize("layout", LAYOUTS)
def test_rerun_after_editing_one_field_changes_only_that_field(site: Site, examples: Examples, layout: str) -> None:
    profile = examples.path("scope1")
    person = site.seed(profile)
    first = site.run(profile)
    assert first.exit_code == 0, first.output
    assert first.report["outcome"] == "stopped_for_review"
    before = site.record(person.account.id_number)
    assert before["status"] == "未提交审核"

    def new_major(data: dict[str, Any]) -> None:
        data["education"][0]["major"] = "财务管理"

    edited = examples.variant("scope1", new_major)
    second = site.run(edited)

    assert second.exit_code == 0, second.output
    after = site.record(person.account.id_number)
    assert changed_paths(before, after) == ["education[0].major"]
    assert row_ids(after) == row_ids(before)  # no row added, removed or replaced
    unsaved = SAVED_ONLY_BY_SUBMIT[layout]
    found = differences(after, load(edited), edited.parent, qualifications=layout == "national")
    assert [str(d) for d in found if not d.path.startswith(tuple(f"{part}." for _, part in unsaved))] == []
    changes = [line for line in second.changes() if line["step"] not in [step for step, _ in unsaved]]
    assert [(line["path"], line["action"], line["page_value"]) for line in changes] == [
        ("education[0].major", "edited", "财务管理")
    ]


@pytest.mark.parametrize(
    ("method", "path"),
    [("PUT", "/api/record/basic"), ("POST", "/api/record/work"), ("POST", "/api/files")],
    ids=["at-a-step-save", "at-a-row-save", "at-an-upload"],
)
def test_a_session_that_expires_mid_run_is_renewed_and_the_run_completes(
    site: Site, examples: Examples, method: str, path: str
) -> None:
    profile = examples.path("scope1")
    person = site.seed(profile)

    def expire() -> Answer | None:
        site.expire_sessions()  # this very request now finds its session expired (401)
        return None

    fired = site.hooks.once(method, path, expire)

    outcome = site.drive(profile, submit=True, yes=True)

    assert fired, f"the run never sent {method} {path}"
    assert outcome.error is None, outcome.error.render()
    assert outcome.report.outcome == "submitted"
    assert outcome.status is not None and outcome.status.status == "待审核"
    logins = [p for m, p in site.hooks.seen if (m, p) == ("POST", "/api/login")]
    assert len(logins) == 2, "expected a second login after the session expired"
    record = site.record(person.account.id_number)
    assert record["status"] == "待审核"
    assert [str(d) for d in differences(record, person, profile.parent)] == []


def test_a_row_the_profile_no_longer_has_is_reported_and_deleted_only_with_prune(
    site: Site, examples: Examples
) -> None:
    other = {"type": "经济", "level": "中级", "date": "2015-11", "cert_no": "J2015530100654"}
    more = examples.variant(
        "scope1", lambda d: d["qualifications"].update(other=[other | {"proof": "files/qualification.jpg"}])
    )
    person = site.seed(more)
    first = site.run(more)
    assert first.exit_code == 0, first.output
    assert "表格行 (row): 新增 qualifications.other[0] (added)" in first.output  # row actions on screen too
    stored = site.record(person.account.id_number)
    assert len(stored["qualifications"]["other"]) == 1
    fewer = examples.path("scope1")  # the same person without that qualification
    question = "确认提交？(submit now?) [y/N]:"

    kept = site.run(fewer, "--submit", typed="n\n")

    assert kept.exit_code == 0, kept.output
    assert kept.report["extra_rows"] == ["其他专业技术人员职业资格：证书号或批文号 J2015530100654"]
    extra = "网站上有、档案中没有的行 (on the site, not in the profile): 其他专业技术人员职业资格"
    assert 0 < kept.output.index(extra) < kept.output.index(question), kept.output  # seen before the answer
    assert "全部一致" not in kept.output, kept.output  # that row would be submitted: not "everything matches"
    assert "网站上另有 1 行档案中没有" in kept.output
    assert site.record(person.account.id_number) == stored

    pruned = site.run(fewer, "--prune", "--submit", typed="n\n")

    assert pruned.exit_code == 0, pruned.output
    assert pruned.report["extra_rows"] == []
    deleted = "表格行 (row): 删除 其他专业技术人员职业资格：证书号或批文号 J2015530100654 (deleted)"
    assert 0 < pruned.output.index(deleted) < pruned.output.index(question), pruned.output
    after = site.record(person.account.id_number)
    assert row_ids(after) == row_ids(stored) | {"qualifications.other": []}  # that row went, no other
    assert differences(after, load(fewer), fewer.parent) == []


def test_an_approved_record_is_said_to_be_approved_not_under_review(site: Site, examples: Examples) -> None:
    profile = examples.path("scope1")
    person = site.seed(profile)
    assert site.run(profile, "--submit", "--yes").exit_code == 0
    site.qa(
        "POST",
        f"/__mock__/review/{person.account.id_number}",
        json={"basic": "pass", "education": ["pass"], "work": ["pass"]},
    )

    again = site.run(profile)

    assert again.exit_code == 0, again.output
    assert "已审核通过，未作修改 (already approved; nothing changed)" in again.output
    moved = examples.variant("scope1", lambda d: d["basic"].update(address="云南省昆明市五华区示例路99号"))
    refused = site.run(moved)
    assert refused.exit_code == 1
    assert "信息状态为“审核通过”，不能在此修改" in refused.output and "basic.address" in refused.output
