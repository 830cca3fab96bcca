"""The pack's text formats and upload limits against the replica's (fixtures/mock_site/data/site.json),
and the checker's full-time rule against the replica's own `Rules.full_time`.

The replica enforces the site's server-side rules; a profile `autofill check` passes must not be
refused there for a format, a file size or a start date. (The replica is read and called, never changed.)
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from ausm_replica.data import load_site_data
from ausm_replica.errors import Refusal
from ausm_replica.rules import Rules

from autofill.pack import load_pack
from autofill.profile.model import Profile
from autofill.profile.rules import Context, full_time_graduates
from tests.unit.conftest import EXAMPLES

SITE_JSON = Path(__file__).resolve().parents[2] / "fixtures" / "mock_site" / "data" / "site.json"
# What a multipart upload adds around the file (boundaries, the `kind` field, the part headers with a
# long file name): the photo's limit must leave at least this much of the request limit.
MULTIPART_ALLOWANCE = 4096


@pytest.fixture(scope="module")
def site() -> dict[str, Any]:
    data = json.loads(SITE_JSON.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("name", ["mobile", "email", "postcode", "phone"])
def test_text_formats_are_the_replicas(site: dict[str, Any], name: str) -> None:
    fmt = getattr(load_pack().formats, name)
    assert fmt.pattern == site["patterns"][name]
    assert fmt.matches(fmt.example), f"the pack's own example {fmt.example!r} does not match {fmt.pattern}"
    assert re.fullmatch(site["patterns"][name], fmt.example)


def test_upload_limits_fit_the_replicas(site: dict[str, Any]) -> None:
    files = load_pack().files
    photo, attachment = files["photo"], files["attachment"]
    replica = site["files"]
    request_limit = site["limits"]["upload_body_bytes"]
    assert photo.min_bytes == replica["photo"]["min_bytes"] and photo.min_bytes_inclusive
    assert (photo.min_width, photo.min_height) == (replica["photo"]["min_width"], replica["photo"]["min_height"])
    assert photo.max_bytes is not None and photo.max_bytes <= request_limit - MULTIPART_ALLOWANCE
    assert attachment.min_bytes == replica["attachment"]["min_bytes_exclusive"] and not attachment.min_bytes_inclusive
    assert attachment.max_bytes == replica["attachment"]["max_bytes"]
    assert attachment.max_bytes <= request_limit - MULTIPART_ALLOWANCE


MONTHS = ["2008-08", "2008-09", "2010-03", "2012-06", "2012-07", "2012-08", "2013-01"]


def _replica_refusal(edu: dict[str, Any], work_start: str, acc_start: str) -> str | None:
    """The field the replica refuses a work row on for this study, or None (its own rule, called)."""
    work = {"start": work_start, "accounting": {"start": acc_start}}
    try:
        Rules(load_site_data()).full_time(work, [edu])
    except Refusal as refusal:
        return refusal.field
    return None


@pytest.mark.parametrize("mode", ["全日制", "非全日制"])
def test_the_full_time_rule_refuses_what_the_replica_refuses(mode: str) -> None:
    """Every work/accounting start around a study 2008-09 ~ 2012-07: `autofill check` reports the
    R.fulltime error exactly when the replica refuses the row, first at the field the replica names."""
    base = yaml.safe_load((EXAMPLES / "scope1.yaml").read_text(encoding="utf-8"))
    edu = {"mode": mode, "school": "云南大学", "start": "2008-09", "end": "2012-07", "present": False}
    pack = load_pack()
    for work_start in MONTHS:
        for acc_start in (m for m in MONTHS if m >= work_start):
            data = {**base, "education": [{**base["education"][0], "mode": mode}]}
            job = {**base["work"][0], "start": work_start}
            job["accounting"] = {**job["accounting"], "start": acc_start, "title_date": acc_start}
            data["work"] = [job]
            ctx = Context(Profile.model_validate(data), pack, EXAMPLES, dt.date(2025, 1, 1))
            found = [loc for _, loc in full_time_graduates(ctx)]
            expected = _replica_refusal(edu, work_start, acc_start)
            where = (work_start, acc_start)
            if expected is None:
                assert found == [], where
            else:
                first = {"work.start": ("work", 0, "start"), "accounting.start": ("work", 0, "accounting", "start")}
                assert found and found[0] == first[expected], (where, found, expected)


def test_length_limits_are_the_replicas(site: dict[str, Any]) -> None:
    limits = load_pack().limits
    assert limits.assumed
    assert limits.text_chars == site["limits"]["text_chars"]
    assert limits.file_name_chars == site["limits"]["file_name_chars"]


def _names(nodes: list[Any]) -> list[Any]:
    """A tree as nested (name, children) pairs, from the replica's JSON (a bare string is a leaf)."""
    out: list[Any] = []
    for entry in nodes:
        node: dict[str, Any] = {"name": entry} if isinstance(entry, str) else entry
        out.append((node["name"], _names(node.get("children", []))))
    return out


def test_the_department_tree_is_the_replicas() -> None:
    """Every entry the replica offers, at every level, and nothing else (the order of the top level aside)."""
    replica = json.loads((SITE_JSON.parent / "departments.json").read_text(encoding="utf-8"))["departments"]
    pack = load_pack().departments
    ours = _names([d.model_dump() for d in pack.departments])
    assert sorted(ours) == sorted(_names(replica))
    assert len(ours) == 34


def test_every_province_has_its_two_digit_code() -> None:
    pack = load_pack()
    for top in pack.departments.departments:
        if top.name in pack.vocabulary.central_departments:
            assert top.code is None, top.name
        else:
            assert top.code is not None and re.fullmatch(r"[1-6][0-9]", top.code), top.name
            # a lower entry's code lies inside its parent's
            for child in top.children:
                assert child.code is None or child.code.startswith(top.code), child.name
                for grandchild in child.children:
                    assert grandchild.code is None or grandchild.code.startswith(child.code or top.code)
    codes = [d.code for d in pack.departments.departments if d.code]
    assert len(codes) == len(set(codes))
