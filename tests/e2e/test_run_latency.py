"""A slow site (the replica's latency fault, set live through its QA API): running a profile again whose record
already holds its 会计管理部门 reads the three selects only once their lists have loaded, so the step is
"unchanged" and its save is accepted; a person who still needs 线上实名认证 gets through it and on into the
wizard on the first attempt, verified once.

Latency draws are random, so each test also makes the one answer its race turns on the slowest: the hook holds
that request back a little (the replica's event loop waits; the page goes on meanwhile). On the code before the
fix the department test failed on its first rerun (请选择所在会计管理部门) and the real-name test verified twice
(the home link clicked before the site knew, which opens the dialog again) or timed out on the vanished link."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.e2e.conftest import Answer, Examples, Site
from tests.e2e.records import differences

pytestmark = pytest.mark.e2e

LATENCY = "latency=100-300"  # every /api/ request answers 100–300 ms late
HOLD_S = 0.5  # the request a race turns on, held back this much longer


@contextmanager
def slow(site: Site) -> Iterator[None]:
    """The replica answers late for the duration; its faults are restored after."""
    before = site.qa("GET", "/__mock__/config")["faults"]
    before = "" if before in (None, "none") else before  # the config reads "none" for no faults
    site.qa("POST", "/__mock__/config", json={"faults": LATENCY})
    try:
        yield
    finally:
        site.qa("POST", "/__mock__/config", json={"faults": before})


def hold(method: str, path: str, after: tuple[str, str] | None = None) -> Any:
    """A hook rule holding back every `method path` request (once `after` was requested, when given)."""
    armed = [after is None]

    def rule(m: str, p: str) -> Answer | None:
        if (m, p) == after:
            armed[0] = True
        elif armed[0] and (m, p) == (method, path):
            time.sleep(HOLD_S)
        return None

    return rule


def department_lines(report: dict[str, Any]) -> list[tuple[str, str]]:
    return [(line["path"], line["action"]) for line in report["comparison"] if line["path"].startswith("department")]


def test_rerun_with_the_department_already_saved_succeeds_on_a_slow_site(site: Site, examples: Examples) -> None:
    profile = examples.path("scope1")  # 云南省 / 昆明地区 / 五华区: each level's list loaded from the site
    person = site.seed(profile)
    first = site.run(profile)  # fills the record (the department saved) at full speed
    assert first.exit_code == 0, first.output
    assert site.record(person.account.id_number)["department"]

    site.hooks.rules.append(hold("GET", "/api/departments"))  # the lists come last
    with slow(site):
        for attempt in (1, 2):
            again = site.run(profile)

            assert again.exit_code == 0, f"rerun {attempt}: {again.output}"
            assert again.report["outcome"] == "stopped_for_review", again.report.get("error")
            assert department_lines(again.report) == [("department", "unchanged")]
            assert again.changes() == []

    assert [str(d) for d in differences(site.record(person.account.id_number), person, profile.parent)] == []


def test_realname_online_on_a_slow_site_reaches_the_wizard_on_the_first_attempt(site: Site, examples: Examples) -> None:
    profile = examples.path("scope3")  # brings 线上实名认证 pictures: its account is seeded unverified
    person = site.seed(profile)
    assert person.realname is not None
    # the site learns of the verification (GET /api/me) after the dialog has closed on the home page
    site.hooks.rules.append(hold("GET", "/api/me", after=("POST", "/api/realname/online")))

    with slow(site):
        ran = site.run(profile)

    assert ran.exit_code == 0, ran.output
    assert ran.report["outcome"] == "stopped_for_review", ran.report.get("error")
    assert site.hooks.seen.count(("POST", "/api/realname/online")) == 1  # verified once, on the first attempt
    assert ran.run_dir is not None
    log = (ran.run_dir / "run.log").read_text(encoding="utf-8")
    assert "real-name verified online" in log
    assert "Timeout" not in log, log
    record = site.record(person.account.id_number)
    assert record["account"]["verified"] is True
    assert [str(d) for d in differences(record, person, profile.parent)] == []
