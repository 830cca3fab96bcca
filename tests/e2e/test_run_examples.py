"""Every example profile × both wizard layouts, filled and submitted by `autofill run --submit --yes`:
the replica then holds exactly the profile (field by field, files by sha256), and the run folder is
private and complete."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import EXAMPLES, LAYOUTS, Site, assert_private_run_folder, leaks, secrets_of
from tests.e2e.records import differences

pytestmark = pytest.mark.e2e

PROFILES = ("scope1", "scope2", "scope3", "scope4", "scope5", "student")


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", PROFILES)
def test_example_is_submitted_exactly_as_written(site: Site, name: str, layout: str) -> None:
    path = EXAMPLES / f"{name}.yaml"
    person = site.seed(path)

    ran = site.run(path, "--submit", "--yes")

    assert ran.exit_code == 0, ran.output
    assert "已提交审核 (submitted)" in ran.output
    assert "审核状态 (review status): 待审核" in ran.output  # what the site now shows, read back
    report = ran.report
    assert report["outcome"] == "submitted"
    assert report["layout"] == site.qa("GET", "/api/config")["steps"]
    assert not [line for line in report["comparison"] if line["action"] == "mismatch"]
    record = site.record(person.account.id_number)
    assert record["status"] == "待审核"
    assert record["account"]["verified"] is True
    found = differences(record, person, path.parent, qualifications=layout == "national")
    assert [str(d) for d in found] == []
    # the legacy wizard has no 专业技术资格 step (the site takes them elsewhere): said, not dropped silently
    held = {
        "会计专业技术资格": person.qualifications.accounting,
        "其他专业技术人员职业资格": person.qualifications.other,
    }
    not_filed = [noun for noun, rows in held.items() if rows] if layout == "legacy" else []
    assert [part.split("：")[0] for part in report["not_filed"]] == not_filed
    assert all(f"{noun}：" in ran.output for noun in not_filed)
    secrets = secrets_of(person, site.password)
    assert leaks(ran.output, secrets) == []
    assert ran.run_dir is not None
    assert_private_run_folder(ran.run_dir, secrets)
