"""Resume: a batch killed with SIGKILL at any step, or stopped with Ctrl-C, is completed by running the
same command again — no duplicate row, no lost field — and leaves no process behind."""

from __future__ import annotations

import json
import signal
from pathlib import Path

from autofill.masking import mask_id, mask_name
from tests.batch import people
from tests.batch.conftest import Site, load, step_line, wait_until_gone
from tests.e2e.records import row_ids

# Where the batch is killed, one run after another, each run being the same command again: just after
# the replica has stored a request whose answer the browser then never gets — the login, 实名认证, each
# step's save, a picture, a row of each table, 提交. The kill comes from the replica's side, in the
# request: the batch is surely in the middle of that step (its printed lines may be read late). Every
# run walks the wizard from the first step, so each kill lands further on; every run resumes what the
# ones before left.
KILLS: tuple[tuple[str, str], ...] = (
    ("POST", "/api/login"),
    ("POST", "/api/realname/online"),
    ("PUT", "/api/record/department"),
    ("PUT", "/api/record/scope"),
    ("POST", "/api/files"),
    ("PUT", "/api/record/basic"),
    ("POST", "/api/record/education"),
    ("POST", "/api/record/work"),
    ("POST", "/api/record/qualifications/accounting"),
    ("POST", "/api/record/qualifications/other"),
    ("POST", "/api/record/submit"),
)


def label_of(profile: Path) -> str:
    """How the batch names a client on screen: masked name and masked ID."""
    account = load(profile).account
    return f"{mask_name(account.name)} {mask_id(account.id_number)}"


def too_many_rows(site: Site, profile: Path) -> dict[str, tuple[int, int]]:
    """Tables where the site holds more rows than the profile has: (site, profile)."""
    person = load(profile)
    record = site.record(person.account.id_number)
    wanted = {
        "education": len(person.education),
        "work": len(person.work),
        "qualifications.accounting": len(person.qualifications.accounting),
        "qualifications.other": len(person.qualifications.other),
    }
    have = {table: len(ids) for table, ids in row_ids(record).items()}
    return {table: (have[table], wanted[table]) for table in wanted if have[table] > wanted[table]}


def test_killed_at_every_step_the_same_command_completes_the_client(site: Site, tmp_path: Path) -> None:
    profile = people.rich(tmp_path / "profiles", 0)
    site.seed(profile)
    command = (profile, "--submit", "--yes", "--workers", "1")

    for method, where in KILLS:
        run = site.start(*command)
        stored = site.tap.when_stored(method, where, run.proc.kill)
        assert run.finish(timeout=120) == -signal.SIGKILL, f"not killed at {method} {where}: {run.output}"
        assert stored, f"no {method} {where} was stored: {run.output}"
        assert wait_until_gone(run.mark) == [], f"the driver or browser outlived the batch killed at {where}"
        assert too_many_rows(site, profile) == {}, f"a row was doubled by the kill at {where}"
        site.tap.clear()

    code, again = site.batch(*command)
    assert code == 0, again.output
    assert site.mismatches(profile) == []
    assert site.record(load(profile).account.id_number)["status"] == "待审核"
    outcome = again.summary()["clients"][0]
    assert outcome["ok"] is True and outcome["outcome"] in ("submitted", "in_review"), outcome


def test_ctrl_c_stops_cleanly_and_the_rerun_needs_no_login(site: Site, tmp_path: Path) -> None:
    """Ctrl-C while the second client saves 基本信息: the first stays submitted in the summary, the second
    is interrupted with its report and its login kept; the same command then completes it."""
    folder = tmp_path / "profiles"
    profiles = [people.clone("scope1", folder, 30), people.clone("scope1", folder, 31)]
    site.seed(*profiles)
    command = (folder, "--submit", "--yes", "--workers", "1")

    first = site.start(*command)
    site.tap.when_stored("PUT", "/api/record/basic", first.interrupt_now, nth=2)
    assert first.finish(timeout=180) == 130, first.output
    assert wait_until_gone(first.mark) == [], "the driver or browser outlived Ctrl-C"
    summary = {c["label"]: c["outcome"] for c in first.summary()["clients"]}
    assert sorted(summary.values()) == ["interrupted", "submitted"], summary
    [stopped] = [label for label, outcome in summary.items() if outcome == "interrupted"]
    [halted] = [p for p in profiles if label_of(p) == stopped]
    assert row_ids(site.record(load(halted).account.id_number))["education"] == [], "it went on after Ctrl-C"
    outcomes = sorted(json.loads(r.read_text(encoding="utf-8"))["outcome"] for r in site.out.glob("*/report.json"))
    assert outcomes == ["interrupted", "submitted"], outcomes
    assert len(list((site.home / "state").glob("*.json"))) == 2, "a login state was not saved"

    code, again = site.batch(*command)
    assert code == 0, again.output
    assert not any(step_line(stopped, "登录")(line) for line in again.stdout), "the saved login was not used"
    assert {p.name: found for p in profiles if (found := site.mismatches(p))} == {}
