"""Where a run stops, and what it shows there: the legacy layout's gate is its last form (05 会计管理部门
with 承诺 + 提交), and the parts its wizard cannot file are shown before the submit question; a step's
screenshot shows the step, not the toasts of its saves."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from tests.e2e.conftest import EXAMPLES, Site, in_thread

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("layout", ["legacy"])
def test_the_legacy_gate_is_named_and_parts_not_filed_are_shown_before_the_question(site: Site, layout: str) -> None:
    profile = EXAMPLES / "scope1.yaml"  # with a 会计专业技术资格 row: the legacy wizard has no step for it
    person = site.seed(profile)

    declined = site.run(profile, "--submit", typed="n\n")

    assert declined.exit_code == 0, declined.output
    out = declined.output
    question = out.index("确认提交？(submit now?) [y/N]:")
    assert (
        0
        < out.index("注意：网站向导没有这一步，未填写 (not filed, the wizard has no step for it): 会计专业技术资格")
        < question
    )
    assert "全部一致" not in out, out  # a part is not filed: not "everything matches"
    assert "已停在会计管理部门" in out and "已停在审核告知" not in out, out
    assert declined.report["outcome"] == "stopped_for_review"
    assert "已停在会计管理部门" in (declined.run_dir / "report.html").read_text("utf-8")  # type: ignore[operator]
    assert site.record(person.account.id_number)["status"] == "未提交审核"


def test_a_step_screenshot_hides_the_toasts_over_the_page(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    from autofill.browser import launch_options
    from autofill.driver import step_screenshot

    shot = tmp_path / "step.png"

    def take() -> None:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(**launch_options(headless=True))  # type: ignore[arg-type]
            page = browser.new_page(viewport={"width": 400, "height": 300})
            page.set_content(
                "<body style='margin:0;background:#fff'><h1>03 基本信息</h1>"
                "<div class='el-message el-message--success' style='position:fixed;top:0;left:0;right:0;"
                "height:80px;background:#f00'>保存成功</div></body>"
            )
            step_screenshot(page, shot)
            browser.close()

    in_thread(take)

    with Image.open(shot) as picture:
        assert picture.convert("RGB").getpixel((390, 5)) == (255, 255, 255)  # not the toast's red
