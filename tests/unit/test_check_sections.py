"""`autofill check` on a profile whose sections do not all validate: every rule whose sections did still
runs, once, and nothing comes from the blank stand-ins of the others."""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from autofill.check import check_file
from autofill.pack import load_pack
from autofill.profile.load import _sections_only, in_sections, load_profile, path_text
from autofill.profile.model import Profile
from autofill.profile.rules import RULES, Context
from tests.unit.conftest import EXAMPLES, Examples
from tests.unit.test_check_rules import BROKEN, _all, _set

SECTIONS = tuple(Profile.model_fields)


def _paths(profile: Path) -> Counter[str]:
    return Counter(f.path for f in check_file(profile) if f.is_error)


def test_schema_errors_do_not_hide_the_other_mistakes(examples: Examples) -> None:
    """The audit's profile: two dates the model refuses, and mistakes in other sections."""
    profile = examples.variant(
        "scope1",
        _all(
            _set("education.0.start", "2006/09"),
            _set("education.0.end", "2005/07"),
            _set("department.district", "Chaoyang"),
            _set("basic.political_status", "中共党员"),
            _set("basic.email", "yi.test@example"),
            _set("basic.postcode", "10002"),
            _set("basic.id_back", "files/id_back_missing.jpg"),
            _set("work.0.uscc", "91530102MA6K3XQ8PE"),
            _set("work.0.phone", "(0871) 6123 4567"),
            _set("account.mobile", "123"),
        ),
    )
    found = check_file(profile)
    errors = Counter(f.path for f in found if f.is_error)
    assert errors == Counter(
        [
            "education[0].start",
            "education[0].end",
            "basic.political_status",
            "basic.email",
            "basic.postcode",
            "basic.id_back",
            "work[0].uscc",
            "work[0].phone",
            "account.mobile",
        ]
    ), found
    assert [f.path for f in found if not f.is_error] == ["department.district"], found  # the tree is partial there


def test_rules_reading_an_invalid_section_do_not_run(examples: Examples) -> None:
    """education is invalid: no rule that reads it runs (scope 4's doctorate, the student rules, the
    full-time rule …), so its blank stand-in (no rows) causes nothing."""
    profile = examples.variant("scope4", _set("education.0.start", "2008-13"))
    assert _paths(profile) == Counter(["education[0].start"])
    student = examples.variant("student", _set("education.1.start", "2008-13"), out="student")
    assert _paths(student) == Counter(["education[1].start"])


def test_a_blank_basic_asks_for_no_photo_or_id_sides(examples: Examples) -> None:
    profile = examples.variant("scope3", _all(_set("basic.adress", "x"), _set("account.mobile", "123")))
    assert _paths(profile) == Counter(["basic.adress", "account.mobile"])


def test_a_missing_section_is_reported_once(examples: Examples) -> None:
    def drop_basic(data: dict[str, Any]) -> None:
        del data["basic"]

    profile = examples.variant("scope1", drop_basic)
    assert _paths(profile) == Counter(["basic"])


def test_no_finding_is_reported_twice(examples: Examples) -> None:
    profile = examples.variant(
        "scope1", _all(_set("education.0.end", "2008-02-30"), _set("basic.postcode", "1"), _set("work.0.uscc", "X"))
    )
    found = [(f.path, f.message_zh) for f in check_file(profile)]
    assert len(found) == len(set(found)), found
    assert {"education[0].end", "basic.postcode", "work[0].uscc"} <= {path for path, _ in found}


def test_a_command_reading_some_sections_judges_only_those(examples: Examples) -> None:
    """`load_profile(sections=…)` (autofill register / status) judges nothing outside them."""
    profile = examples.variant("scope1", _all(_set("education.0.end", "2008-02-30"), _set("basic.postcode", "1")))
    loaded = load_profile(profile, sections=("account",))
    assert loaded.partial and loaded.valid == {"account"}
    from autofill.check import check_sections

    inside, elsewhere = check_sections(loaded, ("account",), load_pack())
    assert inside == [] and [f.path for f in elsewhere] == ["education[0].end"]


@functools.cache
def _profiles() -> list[dict[str, Any]]:
    """Every broken variant that still validates as a whole (rule findings to compare)."""
    out = []
    for _, name, change, _, _ in BROKEN:
        data = yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))
        change(data)
        try:
            Profile.model_validate(data)
        except ValidationError:  # a variant the model refuses has nothing for the rules
            continue
        out.append(data)
    return out


@pytest.mark.parametrize(("rule", "reads"), RULES, ids=[fn.__name__ for fn, _ in RULES])
def test_each_rule_reads_only_the_sections_it_names(rule: Any, reads: frozenset[str]) -> None:
    """On a profile holding only the sections a rule names (blank stand-ins elsewhere), it finds what it
    finds on the whole profile; a rule reading no section finds, per section, what it finds there."""
    pack, today = load_pack(), dt.date(2025, 1, 1)

    def found(profile: Profile) -> list[tuple[str, str]]:
        ctx = Context(profile, pack, EXAMPLES, today)
        return [(path_text(loc), f.message_zh) for f, loc in rule(ctx)]

    for data in _profiles():
        whole = found(Profile.model_validate(data))
        for part in [reads] if reads else [{s} for s in SECTIONS]:
            stand_in = _sections_only(data, part)
            assert stand_in is not None
            expected = whole if reads else [(p, m) for p, m in whole if in_sections(p, part)]
            assert found(stand_in) == expected, (part, data)


def test_the_sections_a_rule_names_exist() -> None:
    from autofill.profile.rules import rule

    with pytest.raises(ValueError, match="bogus"):
        rule(reads=("bogus",))
    assert all(reads <= set(SECTIONS) for _, reads in RULES)
