"""When the site says no: a refused save fails the run clearly (step, field, trace, exit 1); a record the
reviewers sent back shows, in `autofill status`, which parts failed and why."""

from __future__ import annotations

import json
import socket
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from autofill.cli import app
from tests.e2e.conftest import EXAMPLES, Site, assert_private_run_folder, in_thread, leaks, secrets_of

pytestmark = pytest.mark.e2e

BUSY = "系统繁忙，请稍后再试"  # the replica's words for an injected fault (tried again, then given up)
REFUSED = "学历证书编号与学历信息不一致"  # a rule refusal: never tried again


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def every_save_fails(site: Site) -> None:
    site.qa("POST", "/__mock__/config", json={"faults": "save_error_rate=1"})


def the_education_row_is_refused(site: Site) -> None:
    site.hooks.rules.append(
        lambda method, path: (
            (400, {"message": REFUSED, "field": "diploma_no"})
            if (method, path) == ("POST", "/api/record/education")
            else None
        )
    )


TOO_LONG = "通讯地址不能超过200个字符"  # the replica's words for a value past its limit


def the_basic_form_is_refused(site: Site) -> None:
    site.hooks.rules.append(
        lambda method, path: (
            (400, {"message": TOO_LONG, "field": "address"}) if (method, path) == ("PUT", "/api/record/basic") else None
        )
    )


@pytest.mark.parametrize(
    ("fault", "step", "field", "words"),
    [
        (every_save_fails, "会计管理部门", "", BUSY),  # the national layout's first save
        (the_basic_form_is_refused, "基本信息", "", TOO_LONG),  # a form's 保存并下一步
        (the_education_row_is_refused, "教育经历", "education[0]", REFUSED),  # a row's dialog
    ],
    ids=["every-save-fails", "form-refused", "one-row-refused"],
)
def test_a_refused_save_fails_the_run_naming_step_and_field(
    site: Site, fault: Callable[[Site], None], step: str, field: str, words: str
) -> None:
    profile = EXAMPLES / "scope1.yaml"
    person = site.seed(profile)
    fault(site)

    ran = site.run(profile, "--submit", "--yes")

    assert ran.exit_code == 1, ran.output
    error = next(line for line in ran.output.splitlines() if line.startswith("错误 (error):"))
    assert step in error and field in error and words in error, error
    assert error.count(step) == 1, error  # not `基本信息:基本信息: …`
    assert "Traceback" not in ran.output
    assert ran.run_dir is not None
    report = ran.report
    assert report["outcome"] == "failed"
    assert step in report["error"] and words in report["error"]
    assert report["trace"] == "trace.zip"
    assert (ran.run_dir / "trace.zip").stat().st_size > 0
    # what the refused save held is not "filled": it was not stored, and the input is not what the site holds
    refused = next(s for s in report["steps"] if s["title"] == step)["fields"]
    assert {line["action"] for line in refused} & {"filled", "uploaded", "edited", "added"} == set(), refused
    assert [line for line in refused if line["action"] == "refused" and line["page_value"] is None], refused
    assert "未保存：网站拒绝 (not saved: the site refused)" in (ran.run_dir / "report.html").read_text("utf-8")
    assert site.record(person.account.id_number)["status"] == "未提交审核"
    secrets = secrets_of(person, site.password)
    assert leaks(ran.output, secrets) == []
    assert_private_run_folder(ran.run_dir, secrets)


def test_a_rejected_review_shows_the_parts_and_reasons(site: Site) -> None:
    profile = EXAMPLES / "scope1.yaml"
    person = site.seed(profile)
    submitted = site.run(profile, "--submit", "--yes")
    assert submitted.exit_code == 0, submitted.output
    photo_reason = "照片背景不是白色，请重新上传"
    work_reason = "会计工作（经历）证明未加盖公章"
    site.qa(
        "POST",
        f"/__mock__/review/{person.account.id_number}",
        json={
            "basic": "fail",
            "education": ["pass"],
            "work": ["fail"],
            "reasons": {"basic": photo_reason, "work[0]": work_reason},
        },
    )

    shown = site.cli("status", profile, "--json")

    assert shown.exit_code == 0, shown.output
    status = json.loads(shown.result.stdout)
    assert status["status"] == "审核不通过"
    parts = [nfkc(" ".join(part.values())) for part in status["parts"]]  # as read: `，` = `,`
    assert [p for p in parts if nfkc(photo_reason) in p and "基本信息" in p and "审核不通过" in p], parts
    assert [p for p in parts if nfkc(work_reason) in p and "工作经历" in p and "审核不通过" in p], parts
    assert [p for p in parts if "教育经历" in p and "审核通过" in p and "审核不通过" not in p], parts
    assert leaks(shown.output, secrets_of(person, site.password)) == []


def test_status_of_a_record_not_filled_to_the_end_is_not_submitted_and_names_its_step(site: Site) -> None:
    profile = EXAMPLES / "scope1.yaml"
    person = site.seed(profile)

    fresh = site.cli("status", profile)

    assert fresh.exit_code == 0, fresh.output
    assert "审核状态 (status): 未提交审核" in fresh.output
    assert "信息采集停在“会计管理部门”" in fresh.output, fresh.output

    the_education_row_is_refused(site)
    assert site.run(profile).exit_code == 1  # filled up to 教育经历
    halfway = site.cli("status", profile, "--json")

    assert halfway.exit_code == 0, halfway.output
    assert json.loads(halfway.result.stdout) == {"status": "未提交审核", "parts": [], "at": "教育经历"}
    assert leaks(halfway.output, secrets_of(person, site.password)) == []


def test_submit_asks_after_showing_the_comparison_and_no_answer_is_no(site: Site) -> None:
    profile = EXAMPLES / "scope1.yaml"
    person = site.seed(profile)

    declined = site.run(profile, "--submit", typed="n\n")

    assert declined.exit_code == 0, declined.output
    question = declined.output.index("确认提交？(submit now?) [y/N]:")
    assert 0 < declined.output.index("全部一致 (everything matches)") < question  # seen before the answer
    assert declined.output.count("全部一致") == 1
    assert declined.report["outcome"] == "stopped_for_review"
    assert site.record(person.account.id_number)["status"] == "未提交审核"

    unanswered = site.run(profile, "--submit", typed="")  # stdin closed: nobody to say yes

    assert unanswered.exit_code == 0, unanswered.output
    assert "没有回答：不提交 (no answer: not submitted)" in unanswered.output
    assert "Aborted" not in unanswered.output and "报告 (report):" in unanswered.output
    assert site.record(person.account.id_number)["status"] == "未提交审核"

    accepted = site.run(profile, "--submit", typed="y\n")

    assert accepted.exit_code == 0, accepted.output
    assert accepted.report["outcome"] == "submitted"
    assert site.record(person.account.id_number)["status"] == "待审核"


@pytest.mark.parametrize("command", ["run", "status", "register"])
def test_a_site_that_cannot_be_reached_is_named_not_an_internal_error(command: str, tmp_path: Path) -> None:
    """Nothing listens at the address (a wrong --url, the site down): exit 1 naming the address."""
    with socket.socket() as sock:  # a port nobody listens on once closed
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    words = [command, str(EXAMPLES / "scope1.yaml"), "--url", url, "--solver", "replica"]
    words += ["--out", str(tmp_path)] if command == "run" else []
    env = {"AUTOFILL_PASSWORD": "Weizhi-Zhan#12", "AUTOFILL_HOME": str(tmp_path / "home")}
    result = in_thread(lambda: CliRunner().invoke(app, words, env=env))

    assert result.exit_code == 1, result.output
    assert f"无法打开网站 {url}" in result.output and "the site could not be reached" in result.output
    assert "内部错误" not in result.output
