"""审核告知: the review status, per part, with the reviewer's reasons; the 承诺 box and 提交."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from autofill.steps.base import StepRun
from autofill.widgets.base import exact, fold


@dataclass
class ReviewStatus:
    """What 审核告知 shows: the overall status and each part's verdict and reason."""

    status: str
    parts: list[dict[str, str]] = field(default_factory=list)
    at: str = ""  # the step the wizard stands at, when it has not reached 审核告知 yet


def read_status(run: StepRun) -> ReviewStatus:
    """The status the page shows (审核通过 / 审核不通过 / 待审核 / 未提交审核) and the parts table."""
    words = run.pack.wizard.review
    text = fold(run.page.locator("body").inner_text())
    # The verdict is the first status word the page shows (help texts further down mention others);
    # a status word that is the tail of a longer one (审核通过 in 审核不通过) does not count.
    found = []
    known = [words.failed, words.passed, words.pending, words.not_submitted]
    for word in known:
        longer = [w for w in known if w != word and w.endswith(word)]
        for match in re.finditer(re.escape(word), text):
            if not any(text[: match.end()].endswith(w) for w in longer):
                found.append((match.start(), word))
                break
    status = min(found)[1] if found else ""
    parts: list[dict[str, str]] = []
    for table in run.page.locator(".el-table >> visible=true").all():
        heads = [fold(t) for t in table.locator(".el-table__header-wrapper th .cell").all_inner_texts()]
        if heads and heads[0] != words.columns[0]:
            continue
        heads = heads or words.columns
        for row in table.locator(".el-table__body-wrapper tr.el-table__row").all():
            cells = [fold(t) for t in row.locator("td .cell").all_inner_texts()]
            parts.append(dict(zip(heads, cells, strict=False)))
    return ReviewStatus(status, parts)


def at_gate(run: StepRun) -> bool:
    """The page offers 承诺 + 提交: the review gate."""
    submit_button = run.button(run.buttons.submit)
    return (
        submit_button.count() > 0
        and submit_button.first.is_enabled()
        and run.page.locator("label.el-checkbox >> visible=true")
        .filter(has_text=exact(run.pack.wizard.promise))
        .count()
        > 0
    )


def submit(run: StepRun) -> None:
    """Tick 承诺所提供信息真实有效 and press 提交 (a busy site is tried again; a refusal is a StepError)."""
    promise = run.page.locator("label.el-checkbox >> visible=true").filter(has_text=exact(run.pack.wizard.promise))

    def tick() -> None:
        if "is-checked" not in (promise.first.get_attribute("class") or ""):
            promise.first.click()

    run.press(run.buttons.submit, arrived=run.pack.wizard.review.pending, what="submit", prepare=tick)


def open_last(run: StepRun) -> None:
    """Click the step bar's last title (审核告知): steps already reached are links on the site. Playwright's
    TimeoutError when the bar does not move (the record has not reached it)."""
    before = run.active_step()
    run.page.locator(".el-step__title").last.click()
    run.ui.wait_for(
        "before => (document.querySelector('.el-step__title.is-process')?.textContent.trim() ?? '') !== before",
        before,
    )
