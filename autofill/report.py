"""What a run did, for the person and for an agency's records: `report.json` and `report.html`.

    RunReport ──write_report──▶ runs/<masked id>-<time>/report.json + report.html (+ the step PNGs beside it)
    comparison lines ──render_comparison──▶ the table printed at the review gate (审核告知)

No full ID number, mobile number or password may reach these files: every string is masked when a
model is built (`masking.redact`) and once more, with the run's secrets, when the files are written.
The HTML is one self-contained page (its CSS inlined) that shows the screenshots lying beside it.
"""

from __future__ import annotations

import html
import os
import string
import tempfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path, PurePath
from typing import Annotated, Any, Literal
from urllib.parse import quote

from pydantic import AfterValidator, BaseModel, ConfigDict, field_validator

from autofill.errors import AutofillError
from autofill.masking import mask_id, mask_name, redact
from autofill.runs import RunDir

Action = Literal[
    "filled", "unchanged", "uploaded", "added", "edited", "deleted", "reported", "skipped", "mismatch", "refused"
]  # refused: typed in, but the site refused the save (not stored)
Outcome = Literal[
    "stopped_for_review", "submitted", "in_review", "failed", "interrupted"
]  # in_review: already with the reviewers

ACTION_WORDS: dict[str, str] = {
    "filled": "已填写 (filled)",
    "unchanged": "未改动 (unchanged)",
    "uploaded": "已上传 (uploaded)",
    "added": "已新增 (added)",
    "edited": "已修改 (edited)",
    "deleted": "已删除 (deleted)",
    "reported": "仅报告 (reported)",
    "skipped": "已跳过 (skipped)",
    "mismatch": "不一致 (mismatch)",
    "refused": "未保存：网站拒绝 (not saved: the site refused)",
}
OUTCOME_WORDS: dict[str, str] = {
    "stopped_for_review": "已停在审核告知，请本人核对后勾选承诺并提交 (stopped for review before 提交)",
    "submitted": "已提交审核 (submitted)",
    "in_review": "已在审核中，未作修改 (already under review; nothing changed)",
    "failed": "填报失败 (failed)",
    "interrupted": "已中断 (interrupted)",
}

TEMPLATES = Path(__file__).resolve().parent / "templates"

Text = Annotated[str, AfterValidator(redact)]


def _file_name(value: str | None) -> str | None:
    """A bare file name beside the report (no folders), masked."""
    if value is None:
        return None
    if not value or PurePath(value).name != value or "\\" in value:
        raise ValueError("must be a file name in the run folder, without folders")
    return redact(value)


FileName = Annotated[str | None, AfterValidator(_file_name)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class FieldLine(_Model):
    """One field of one step: the profile's value, what the page shows, and what the tool did."""

    step: Text
    path: Text  # the profile key, e.g. `work[0].accounting.start`
    label: Text  # the site's label, e.g. `参加会计工作时间`
    value: Text | None = None  # from the profile
    page_value: Text | None = None  # as the page shows it after the step
    action: Action


class StepReport(_Model):
    """One wizard step as the run saw it."""

    index: int
    title: Text
    screenshot: FileName = None
    fields: list[FieldLine] = []
    notes: list[Text] = []


class Person(_Model):
    """Who the run was for, masked as the site masks (`测**`, `530*****1235`)."""

    name: str
    id_number: str

    @field_validator("name")
    @classmethod
    def _mask_name(cls, value: str) -> str:
        return mask_name(value)

    @field_validator("id_number")
    @classmethod
    def _mask_id(cls, value: str) -> str:
        return mask_id(value)


class RunReport(_Model):
    """Everything `report.json` holds."""

    tool_version: Text
    site_url: Text
    layout: list[Text] = []  # the step titles the site showed, in order
    profile: Text  # the profile's file name only
    person: Person
    started: datetime
    finished: datetime | None = None
    outcome: Outcome
    error: Text | None = None
    steps: list[StepReport] = []
    comparison: list[FieldLine] = []
    extra_rows: list[Text] = []  # rows on the site that the profile does not have
    not_filed: list[Text] = []  # parts of the profile the site's wizard has no step for (e.g. legacy layout)
    trace: FileName = None

    @field_validator("profile", mode="before")
    @classmethod
    def _profile_name(cls, value: object) -> object:
        return PurePath(str(value)).name if isinstance(value, str | PurePath) else value

    @property
    def mismatches(self) -> list[FieldLine]:
        """The comparison lines where the page differs from the profile."""
        return [line for line in self.comparison if line.action == "mismatch"]

    @property
    def row_actions(self) -> list[str]:
        """What the run did to table rows (新增 / 编辑, 更正 a key / 删除 with --prune), step by step."""
        return [note for step in self.steps for note in step.notes]


def outcome_words(report: RunReport) -> str:
    """The outcome in words; `stopped_for_review` names the step the run stopped at (the legacy layout's
    承诺 + 提交 is on its last form, 会计管理部门, not on 审核告知)."""
    words = OUTCOME_WORDS[report.outcome]
    gate = report.steps[-1].title if report.outcome == "stopped_for_review" and report.steps else ""
    return words.replace("审核告知", gate, 1) if gate else words


def _scrub(value: Any, secrets: Sequence[str]) -> Any:
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, list):
        return [_scrub(v, secrets) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, secrets) for k, v in value.items()}
    return value


def scrubbed(report: RunReport, secrets: Iterable[str] = ()) -> RunReport:
    """A copy of `report` with every string redacted of `secrets` (and of ID and mobile numbers)."""
    data = _scrub(report.model_dump(mode="json"), [s for s in secrets if s])
    return RunReport.model_validate(data)


def _write_private(path: Path, text: str) -> None:
    """Write `text` to `path` atomically, mode 0600."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_report(report: RunReport, run_dir: RunDir | Path, secrets: Iterable[str] = ()) -> tuple[Path, Path]:
    """Write `report.json` and `report.html` into the run folder; returns their paths.

    `secrets` (the password, the full ID number, the mobile) are removed from every value first.
    """
    folder = run_dir.path if isinstance(run_dir, RunDir) else run_dir
    clean = scrubbed(report, secrets)
    json_path, html_path = folder / "report.json", folder / "report.html"
    try:
        _write_private(json_path, clean.model_dump_json(indent=2) + "\n")
        _write_private(html_path, render_html(clean))
    except OSError as exc:
        raise AutofillError(f"无法写入报告 (cannot write the report: {exc.strerror})", file=folder) from None
    return json_path, html_path


# ---------------------------------------------------------------- HTML


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _cell(value: str | None) -> str:
    return '<td class="empty">—</td>' if value is None or value == "" else f"<td>{_e(value)}</td>"


def _when(moment: datetime | None) -> str:
    return "—" if moment is None else moment.isoformat(sep=" ", timespec="seconds")


def _field_table(lines: Sequence[FieldLine], *, with_step: bool) -> str:
    if not lines:
        return '<p class="empty">（没有字段 no fields）</p>'
    head = "<th>步骤 (step)</th>" if with_step else ""
    rows = []
    for line in lines:
        step = f"<td>{_e(line.step)}</td>" if with_step else ""
        rows.append(
            f'<tr class="action-{line.action}">{step}<td>{_e(line.label)}<div class="path">{_e(line.path)}</div></td>'
            f"{_cell(line.value)}{_cell(line.page_value)}<td>{_e(ACTION_WORDS[line.action])}</td></tr>"
        )
    return (
        f'<table class="fields"><thead><tr>{head}<th>字段 (field)</th><th>资料 (profile)</th>'
        f"<th>页面 (page)</th><th>结果 (action)</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _step_section(step: StepReport) -> str:
    parts = [f'<section class="step" id="step-{step.index}"><h3>{step.index}. {_e(step.title)}</h3>']
    if step.screenshot:
        src = _e(quote(step.screenshot))
        parts.append(
            f'<figure><a href="{src}"><img src="{src}" alt="{_e(step.title)} 截图 (screenshot)" loading="lazy"></a>'
            f"<figcaption>{_e(step.screenshot)}</figcaption></figure>"
        )
    parts.append(_field_table(step.fields, with_step=False))
    if step.notes:
        parts.append('<ul class="notes">' + "".join(f"<li>{_e(n)}</li>" for n in step.notes) + "</ul>")
    parts.append("</section>")
    return "".join(parts)


def _summary(report: RunReport) -> str:
    rows: list[tuple[str, str]] = [
        ("人员 (person)", f"{report.person.name} {report.person.id_number}"),
        ("资料文件 (profile)", report.profile),
        ("站点 (site)", report.site_url),
        ("流程 (layout)", " → ".join(report.layout) or "—"),
        ("开始 (started)", _when(report.started)),
        ("结束 (finished)", _when(report.finished)),
        ("不一致 (mismatches)", str(len(report.mismatches))),
        ("工具版本 (tool version)", report.tool_version),
    ]
    body = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
    if report.trace:
        href = _e(quote(report.trace))
        body += f'<tr><th>跟踪 (trace)</th><td><a href="{href}">{_e(report.trace)}</a></td></tr>'
    return body


def _template(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def render_html(report: RunReport) -> str:
    """The report as one HTML page (CSS inlined; screenshots referenced by file name). Escapes every value."""
    error = (
        f'<section class="error" id="error"><h2>错误 (error)</h2><pre>{_e(report.error)}</pre></section>'
        if report.error
        else ""
    )
    extra = ""
    if report.row_actions:
        items = "".join(f"<li>{_e(note)}</li>" for note in report.row_actions)
        extra = f'<section id="row-actions"><h2>对表格行的操作 (row changes)</h2><ul>{items}</ul></section>'
    if report.extra_rows:
        items = "".join(f"<li>{_e(row)}</li>" for row in report.extra_rows)
        extra += (
            '<section id="extra"><h2>页面上有、资料中没有的行 (rows on the site not in the profile)</h2>'
            f"<ul>{items}</ul></section>"
        )
    if report.not_filed:
        items = "".join(f"<li>{_e(part)}</li>" for part in report.not_filed)
        extra += (
            '<section id="not-filed"><h2>网站向导没有这一步、未填写的资料'
            f" (not filed: the wizard has no step for it)</h2><ul>{items}</ul></section>"
        )
    return string.Template(_template("report.html")).substitute(
        css=_template("report.css"),
        title=_e(f"填报报告 {report.person.name} {report.person.id_number}"),
        outcome_key=_e(report.outcome),
        outcome=_e(outcome_words(report)),
        error=error,
        summary=_summary(report),
        comparison=_field_table(report.comparison, with_step=True),
        extra=extra,
        steps="".join(_step_section(s) for s in report.steps) or '<p class="empty">（没有步骤 no steps）</p>',
    )


# ---------------------------------------------------------------- terminal


EXTRA_ROW = "网站上有、档案中没有的行 (on the site, not in the profile)"
NOT_FILED = "注意：网站向导没有这一步，未填写 (not filed, the wizard has no step for it)"
ROW_ACTION = "表格行 (row)"


def render_comparison(
    lines: Sequence[FieldLine],
    *,
    secrets: Iterable[str] = (),
    width: int = 120,
    actions: Sequence[str] = (),
    extra_rows: Sequence[str] = (),
    not_filed: Sequence[str] = (),
) -> str:
    """The review gate's table: each field, the profile's value, the page's value, ✓ or ✗ (plain text);
    then what was done to table rows (`actions`), the rows on the site that the profile lacks
    (`extra_rows`) and the profile's parts the wizard has no step for (`not_filed`): all of it is what
    提交 would submit, so "全部一致" is said only when none of the last two is there."""
    import io

    from rich.console import Console
    from rich.table import Table
    from rich.text import Text as Plain

    hidden = [s for s in secrets if s]
    table = Table(title="核对 (profile vs page)", show_lines=False, expand=False)
    for column in ("步骤 (step)", "字段 (field)", "资料 (profile)", "页面 (page)", ""):
        table.add_column(column, overflow="fold")
    bad = ("mismatch", "refused")
    for line in lines:
        mark = {"mismatch": "✗ 不一致", "refused": "✗ 未保存"}.get(line.action, "✓")
        table.add_row(
            *(
                Plain(redact(text, hidden))  # Text, not markup: a value like `[b]` is shown as typed
                for text in (line.step, line.label, line.value or "—", line.page_value or "—", mark)
            ),
            style="bold red" if line.action in bad else None,
        )
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, force_terminal=False, highlight=False)
    if lines:
        console.print(table)
    for prefix, items in ((ROW_ACTION, actions), (EXTRA_ROW, extra_rows), (NOT_FILED, not_filed)):
        for item in items:
            console.print(f"{prefix}: {redact(item, hidden)}", markup=False)
    if not lines:
        console.print("（没有可核对的字段）(nothing to compare)", markup=False)
        return out.getvalue()
    wrong = sum(1 for line in lines if line.action in bad)
    verdict = [f"{wrong} 处不一致 ({wrong} mismatch(es))"] if wrong else []
    if extra_rows:
        verdict.append(f"网站上另有 {len(extra_rows)} 行档案中没有 ({len(extra_rows)} row(s) on the site only)")
    if not_filed:
        verdict.append(f"{len(not_filed)} 部分未填写 ({len(not_filed)} part(s) not filed)")
    console.print("；".join(verdict) if verdict else "全部一致 (everything matches)", markup=False)
    return out.getvalue()
