"""A browser that gives no page (it died: killed for memory, crashed) fails the run as something worth
trying again, and the run still leaves its report — no internal error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError

from autofill import driver
from autofill.errors import BrowserError, StepError
from autofill.pack import load_pack
from autofill.runner import checked_plan

EXAMPLE = Path(__file__).resolve().parents[2] / "profiles" / "examples" / "scope1.yaml"


@contextmanager
def dead_browser(*_: Any) -> Iterator[Any]:
    raise PlaywrightError("BrowserContext.new_page: Target page, context or browser has been closed")
    yield  # a generator, for contextmanager


def test_a_dead_browser_is_a_transient_failure_with_a_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTOFILL_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(driver, "browser_context", dead_browser)
    pack = load_pack()
    plan = checked_plan(EXAMPLE, pack)
    opts = driver.Options(url="http://127.0.0.1:9", out=tmp_path / "runs")

    outcome = driver.drive(plan, pack, "not-used", opts, profile_name=EXAMPLE.name)

    assert isinstance(outcome.error, StepError) and outcome.error.transient
    assert "浏览器没有响应" in outcome.error.render() and "browser" in outcome.error.render()
    written = json.loads((outcome.run_dir.path / "report.json").read_text(encoding="utf-8"))
    assert written["outcome"] == "failed"
    assert "浏览器没有响应" in written["error"]
    assert plan.profile.account.id_number not in (outcome.run_dir.path / "report.json").read_text(encoding="utf-8")


def test_no_browser_to_start_is_said_in_the_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTOFILL_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("AUTOFILL_BROWSER", str(tmp_path / "no-such-chromium"))
    pack = load_pack()
    plan = checked_plan(EXAMPLE, pack)
    opts = driver.Options(url="http://127.0.0.1:9", out=tmp_path / "runs")

    outcome = driver.drive(plan, pack, "not-used", opts, profile_name=EXAMPLE.name)

    assert isinstance(outcome.error, BrowserError)
    written = json.loads((outcome.run_dir.path / "report.json").read_text(encoding="utf-8"))
    assert written["outcome"] == "failed"
    assert "AUTOFILL_BROWSER" in written["error"] and "no-such-chromium" in written["error"]
    assert (outcome.run_dir.path / "report.html").is_file()
