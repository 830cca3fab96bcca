"""采集须知: the step's radios may show after the step bar says the step is there (a slow site, a busy
machine): the driver waits for the person's scope instead of failing the client with "no scope"."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from autofill.errors import StepError
from autofill.pack import load_pack
from autofill.runner import checked_plan
from autofill.steps import forms
from autofill.steps.base import StepRun
from autofill.widgets.base import Ui
from tests.e2e.conftest import EXAMPLES

pytestmark = pytest.mark.e2e

# The scopes as Element UI's el-radio-group shows them, added to the page `delay_ms` after it loads.
LATE_RADIOS = """<body><div id='group'></div><script>
setTimeout(() => {{
  const scopes = ['(一) 会计人员（从事会计工作）。', '(四) 暂未工作但具有博士学位拟报名中级会计专业技术资格考试的人员'];
  for (const text of scopes) {{
    const label = document.createElement('label');
    label.className = 'el-radio';
    label.textContent = text;
    label.style.display = 'block';
    label.onclick = () => label.classList.add('is-checked');
    document.getElementById('group').appendChild(label);
  }}
}}, {delay_ms});
</script></body>"""


def scope_step(page: Page, timeout_ms: float) -> StepRun:
    pack = load_pack()
    return StepRun(
        page, Ui(page, timeout_ms=timeout_ms), pack, checked_plan(EXAMPLES / "scope4.yaml", pack), "采集须知"
    )


def test_a_scope_shown_late_is_waited_for_and_chosen(page: Page) -> None:
    page.set_content(LATE_RADIOS.format(delay_ms=400))
    run = scope_step(page, timeout_ms=5_000)

    forms.scope(run)

    [line] = run.lines
    assert line.path == "scope" and line.action == "filled" and (line.page_value or "").startswith("(四)"), line
    assert page.locator("label.el-radio.is-checked").inner_text().startswith("(四)")


def test_a_scope_the_page_never_shows_fails_naming_it(page: Page) -> None:
    page.set_content(LATE_RADIOS.format(delay_ms=60_000))
    run = scope_step(page, timeout_ms=500)

    with pytest.raises(StepError) as caught:
        forms.scope(run)

    assert "页面上没有采集范围" in caught.value.render() and "(the page has no scope (四))" in caught.value.render()
