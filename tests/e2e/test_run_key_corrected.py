"""A typo in a row's key column (入学时间, 学校名称, 证书号或批文号), corrected in the profile and run
again: the row on the site is edited in place. No second row is added beside it and the old one is not
reported as a row the profile lacks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.e2e.conftest import Examples, Site, load
from tests.e2e.records import changed_paths, differences, row_ids

pytestmark = pytest.mark.e2e

Put = Callable[[dict[str, Any], str], None]  # sets the row's key field in a profile's data

# (the profile path, its column, the typo, the value as scope1 has it, how to set it)
CORRECTIONS: list[tuple[str, str, str, str, Put]] = [
    ("education[0].start", "入学时间", "2008-10", "2008-09", lambda d, v: d["education"][0].update(start=v)),
    ("education[0].school", "学校名称", "云南大字", "云南大学", lambda d, v: d["education"][0].update(school=v)),
    (
        "qualifications.accounting[0].cert_no",
        "证书号或批文号",
        "Z2018530100132",
        "Z2018530100123",
        lambda d, v: d["qualifications"]["accounting"][0].update(cert_no=v),
    ),
]


@pytest.mark.parametrize(("path", "column", "typo", "corrected", "put"), CORRECTIONS, ids=[c[1] for c in CORRECTIONS])
def test_a_corrected_key_edits_the_row_in_place(
    site: Site, examples: Examples, path: str, column: str, typo: str, corrected: str, put: Put
) -> None:
    mistyped = examples.variant("scope1", lambda d: put(d, typo), out="mistyped")
    person = site.seed(mistyped)
    first = site.run(mistyped)
    assert first.exit_code == 0, first.output
    before = site.record(person.account.id_number)
    fixed = examples.path("scope1")  # the same person, the typo corrected

    second = site.run(fixed)

    assert second.exit_code == 0, second.output
    after = site.record(person.account.id_number)
    assert row_ids(after) == row_ids(before)  # the same rows: none added, none removed
    assert changed_paths(before, after) == [path]
    assert [str(d) for d in differences(after, load(fixed), fixed.parent)] == []
    assert second.report["extra_rows"] == []
    assert [(line["path"], line["action"], line["page_value"]) for line in second.changes()] == [
        (path, "edited", corrected)
    ]
    row = path.rpartition(".")[0]
    notes = [note for step in second.report["steps"] for note in step["notes"]]
    assert f"编辑 {row}，更正 {column} {typo} → {corrected} (edited; key corrected)" in notes
