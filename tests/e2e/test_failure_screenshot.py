"""`failure.png` never shows the login form's inputs (the 账号 holds the full ID number) nor any input
holding an ID or mobile number: they are masked in the shot. The file is 0600 like the rest of the run."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

from PIL import Image
from playwright.sync_api import Page

from autofill.driver import _failure_screenshot
from autofill.runs import RunDir
from tests.batch import people

ID_NUMBER = people.identity(95).id_number
BOX = "style='display:block;width:320px;height:40px;margin:8px;border:0;background:#fff;color:#000;font-size:20px'"
PAGE = f"""<body style='background:#fff;margin:0'>
<form class='el-form'>
  <input id='account' {BOX} value='{ID_NUMBER}'>
  <input id='password' {BOX} type='password' value='Pi1iang-Mima#7'>
  <input id='captcha' {BOX} value='K7PQ'>
</form>
<input id='note' {BOX} value='昆明市五华区'>
<input id='mobile' {BOX} value='13788000095'>
</body>"""
MASK = (255, 0, 255)  # Playwright's mask colour


def test_the_login_form_and_id_or_mobile_inputs_are_masked(page: Page, tmp_path: Path) -> None:
    page.set_content(PAGE)
    run_dir = RunDir.create(tmp_path, ID_NUMBER, datetime(2026, 1, 2, 3, 4, 5))
    report = SimpleNamespace(steps=[])

    _failure_screenshot(page, run_dir, report)  # type: ignore[arg-type]

    shot = run_dir.path / "failure.png"
    assert shot.stat().st_mode & 0o777 == 0o600
    assert [s.screenshot for s in report.steps] == ["failure.png"]
    picture = Image.open(io.BytesIO(shot.read_bytes())).convert("RGB")

    def centre(element: str) -> tuple[float, ...]:
        box = page.locator(f"#{element}").bounding_box()
        assert box is not None
        pixel = picture.getpixel((int(box["x"] + box["width"] / 2), int(box["y"] + box["height"] / 2)))
        assert isinstance(pixel, tuple)
        return pixel

    for element in ("account", "password", "captcha", "mobile"):
        assert centre(element) == MASK, element
    assert centre("note") != MASK  # what the page said stays readable
