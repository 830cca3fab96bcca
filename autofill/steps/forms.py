"""The steps that are one form: 会计管理部门, 采集须知, 基本信息."""

from __future__ import annotations

from contextlib import suppress

from autofill.errors import StepError
from autofill.report import FieldLine
from autofill.steps.base import StepRun
from autofill.widgets.base import fold


def department(run: StepRun) -> None:
    """所在会计管理部门: the cascade of selects."""
    run.fill(run.plan.forms["department"])


# Whether the page shows the radio of a scope (its folded text starts with the marker, e.g. `(四)`).
_SCOPE_SHOWN = """(marker) => [...document.querySelectorAll('label.el-radio')]
  .some((r) => visible(r) && fold(r.innerText).startsWith(marker))"""


def scope(run: StepRun) -> None:
    """采集须知: the radio of the person's 采集范围 (matched by its marker, e.g. `(一)`)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    chosen = run.pack.scopes[run.plan.profile.scope]
    with suppress(PlaywrightTimeout):  # the step's body may show after its bar (a slow site, a busy machine)
        run.ui.wait_for(_SCOPE_SHOWN, fold(chosen.marker))
    radios = run.page.locator("label.el-radio >> visible=true")
    texts = [fold(t) for t in radios.all_inner_texts()]
    index = next((i for i, t in enumerate(texts) if t.startswith(fold(chosen.marker))), None)
    if index is None:
        raise StepError(
            f"页面上没有采集范围“{chosen.title}” (the page has no scope {chosen.marker})", step=run.title, field="scope"
        )
    radio = radios.nth(index)
    was = "is-checked" in (radio.get_attribute("class") or "")
    if not was:
        radio.click()
    shown = fold(radios.nth(index).inner_text())
    if "is-checked" not in (radio.get_attribute("class") or ""):
        raise StepError("采集范围没有选上 (the scope did not stick)", step=run.title, field="scope")
    run.lines.append(
        FieldLine(
            step=run.title,
            path="scope",
            label="采集范围",
            value=chosen.title,
            page_value=shown,
            action="unchanged" if was else "filled",
        )
    )


def basic(run: StepRun) -> None:
    """基本信息: the photo, the selects and texts, the ID pictures; registration data compared."""
    run.fill(run.plan.forms["basic_readonly"])
    run.fill(run.plan.forms["basic"])
