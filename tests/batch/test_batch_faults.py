"""Faults: against the replica injecting latency, failed saves and uploads, and expiring every session
now and then, a batch of 20 clients completes each of them — transient failures retried with backoff
(bounded), expired sessions logged in again — and every stored record equals its profile, no row twice.
And a client resumed on a slow site (its record already part-filled) completes too, and so does a
client whose browser dies under it (killed, as the system does when memory runs out)."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path

from tests.batch import people
from tests.batch.conftest import Site, load
from tests.batch.procs import browsers_under, drivers_under

# The rates; latency kept low so the test stays short on two cores.
FAULTS = "latency=5-60,save_error_rate=0.1,upload_error_rate=0.05,session_ttl=900"
EXPIRE_EVERY = 60  # saves (all clients together) between two moments when every session expires
CLONED = ("student", "scope2")  # the lighter examples; no 其他专业技术资格 row (only scope5 has one)


def test_twenty_clients_under_faults_all_complete_exactly(site: Site, tmp_path: Path) -> None:
    folder = tmp_path / "profiles"
    profiles = people.copy_examples(folder)
    profiles += [people.clone(CLONED[n % len(CLONED)], folder, 50 + n) for n in range(20 - len(profiles))]
    assert len(profiles) == 20
    site.seed(*profiles)
    site.faults(FAULTS, seed=7)
    saves = site.tap.on_saves(EXPIRE_EVERY, site.expire_sessions)
    # scope5 alone has this row: busier than one step's retries bear, so its whole run is tried again
    busy = site.tap.busy("POST", "/api/record/qualifications/other", times=6)

    code, run = site.batch(folder, "--submit", "--yes", "--workers", "4", timeout=600)

    assert code == 0, run.output
    clients = {c["profile"]: c for c in run.summary()["clients"]}
    assert len(clients) == 20
    assert all(c["ok"] and c["outcome"] == "submitted" for c in clients.values()), clients
    assert all(1 <= c["attempts"] <= 3 for c in clients.values())
    assert clients["scope5.yaml"]["attempts"] == 2, clients["scope5.yaml"]
    assert len(busy) == 6
    assert any(line.rstrip().endswith("重试 2/3 (retry)") for line in run.stdout), run.text

    injected = site.qa("GET", "/__mock__/faults")["log"]
    kinds = {entry["kind"] for entry in injected}
    assert {"latency", "save", "upload"} <= kinds, kinds
    expiries = len(saves) // EXPIRE_EVERY
    assert expiries >= 3, f"{len(saves)} saves: the sessions expired {expiries} times"
    logins = sum(line.rstrip().endswith("] 登录") for line in run.stdout)
    assert logins > len(profiles), "no client logged in again after its session expired"

    mismatched = {p.name: found for p in profiles if (found := site.mismatches(p))}
    assert mismatched == {}
    assert {site.record(load(p).account.id_number)["status"] for p in profiles} == {"待审核"}


def test_a_resumed_client_on_a_slow_site_completes(site: Site, tmp_path: Path) -> None:
    """The wizard opens at the furthest step reached only once the record has loaded: a slow answer
    must not make the driver fill the step the page showed before (a failure every resumed run hit)."""
    profile = people.clone("scope1", tmp_path / "profiles", 70)
    site.seed(profile)
    first = site.start(profile, "--workers", "1")
    site.tap.when_stored("PUT", "/api/record/basic", first.proc.kill)  # steps 1-3 stored: the wizard opens at 4
    assert first.finish(timeout=120) == -signal.SIGKILL, first.output
    site.tap.clear()
    site.tap.slow[("GET", "/api/record")] = 0.8

    code, again = site.batch(profile, "--workers", "1")

    assert code == 0, again.output
    assert site.mismatches(profile) == []


def test_a_browser_that_dies_is_started_again_and_every_client_completes(site: Site, tmp_path: Path) -> None:
    """The batch's Chromium is killed while a client is in the middle of 教育经历, and its Playwright driver
    (taking the browser with it) as a client submits (the next client then starts on a browser that is
    gone). Each time the client is tried again in a fresh browser (and driver); nobody fails, nothing is
    filed twice, no "internal error"."""
    folder = tmp_path / "profiles"
    profiles = [people.clone(name, folder, 80 + n) for n, name in enumerate(("scope1", "student", "scope2"))]
    site.seed(*profiles)
    run = site.start(folder, "--submit", "--yes", "--workers", "1")
    killed: list[int] = []

    def kill(find: Callable[[int], list[int]]) -> Callable[[], None]:
        def now() -> None:
            for pid in find(run.proc.pid):
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

        return now

    site.tap.when_stored("POST", "/api/record/education", kill(browsers_under))
    site.tap.when_stored("POST", "/api/record/submit", kill(drivers_under))

    assert run.finish(timeout=300) == 0, run.output
    assert len(killed) == 2, f"the browser and the driver were not killed: {killed}"
    clients = run.summary()["clients"]
    assert all(c["ok"] for c in clients), clients
    assert sum(c["attempts"] for c in clients) >= len(profiles) + 2, clients
    assert "内部错误" not in run.text, run.text
    assert {p.name: found for p in profiles if (found := site.mismatches(p))} == {}
    assert {site.record(load(p).account.id_number)["status"] for p in profiles} == {"待审核"}
