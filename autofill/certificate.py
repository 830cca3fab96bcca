"""The 《会计工作（经历）证明》, filled from a profile and printed by the browser the tool drives.

profile ──check──▶ work rows with accounting experience ──▶ CertificateData (the values printed)
        ──templates/certificate.html──▶ HTML ──Chromium──▶ PDF (a page per row) or PNG (a file per row)

The accounting period printed is `accounting_period(row)`, the very months the driver files as
会计工作开始时间/结束时间, so the reviewer sees the certificate and the filing agree (national guide:
"会计工作开始时间需与《会计工作（经历）证明》保持一致"). The wording and layout of the certificate are
in the template; the status words and the nine work types come from the selector pack.

The ID number is printed in full (the certificate is the person's own document) but never written
to a message, a log or a repr. Playwright is imported only when rendering.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import tempfile
import typing
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from autofill.errors import AutofillError, BrowserError, PackError, ProfileError, first_line
from autofill.findings import Finding, warning
from autofill.pack import SitePack, load_pack
from autofill.profile.dates import SiteDate
from autofill.profile.load import load_profile
from autofill.profile.model import Profile, Work

if TYPE_CHECKING:
    from playwright.sync_api import Browser

TEMPLATE = "templates/certificate.html"
A4_CSS_PX = (794, 1123)  # 210 × 297 mm at CSS 96 px/in
PNG_SCALE = 2.5  # device pixels per CSS pixel: 1985 × 2808 px, 240 dpi on A4
Kind = Literal["pdf", "png"]


class OutputError(AutofillError):
    """The output file cannot be written (wrong extension, missing directory, no permission)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Tick(_Model):
    """One ☐/☑ box of the certificate: an option and whether it is ticked."""

    label: str
    checked: bool


class CertificateData(_Model):
    """Every value printed on one certificate (one work row)."""

    row: int = Field(description="index into profile.work (0-based); the site's 序号 is row + 1")
    name: str
    id_number: str = Field(repr=False)  # printed in full on the page, never in a repr or a log
    statuses: list[Tick] = Field(description="在职/退休/离职, from the pack, one ticked")
    start: SiteDate
    end: SiteDate = Field(description="`present` (至今) stays 至今 on the certificate")
    types: list[Tick] = Field(description="the nine 会计工作类型, from the pack, ticked as in the profile")
    employer: str
    uscc: str

    @property
    def number(self) -> int:
        """The work row's 序号 (1-based), as the site's table and `--work` count."""
        return self.row + 1

    @property
    def status(self) -> str:
        """The ticked 在职/退休/离职."""
        return next(t.label for t in self.statuses if t.checked)

    @property
    def work_types(self) -> list[str]:
        """The ticked work types, in the template's order."""
        return [t.label for t in self.types if t.checked]

    @property
    def period_text(self) -> str:
        """The accounting period as the driver files it: `2012-08–至今`."""
        return f"{self.start.month_text}–{self.end.month_text}"


# ---------------------------------------------------------------------------------------------------
# The values


def accounting_period(row: Work) -> tuple[SiteDate, SiteDate]:
    """The accounting period of a work row: `accounting.start` to `accounting.end`, else the row's own
    end (`至今` stays 至今). The driver files these months; the certificate prints the same dates."""
    acc = row.accounting
    if acc is None:
        raise ValueError("this work row has no accounting experience")
    return acc.start, acc.end if acc.end is not None else row.end


def _row_words(number: int) -> tuple[str, str]:
    return f"第 {number} 条工作经历", f"work row {number}"


def employment_status(row: Work, index: int, pack: SitePack) -> tuple[str, Finding | None]:
    """在职/退休/离职 for a row: the profile's `employment_status`; else 至今 → 在职; else (an ended
    row) 离职, with a warning that says so. The words come from the pack (在职, 退休, 离职 in order)."""
    options = pack.option("employment_status")
    if len(options.values) != 3:
        raise PackError(
            f"选择器包的 employment_status 应有 3 项：在职、退休、离职 (expected 3 options, got {options.values})",
            field="options.employment_status",
        )
    working, retired, left = options.values
    if row.employment_status is not None:
        matched = options.match(row.employment_status)
        if matched is None:
            raise ProfileError(
                f"{options.label}没有选项“{row.employment_status}” (`{row.employment_status}` is not one of "
                f"{', '.join(options.values)})",
                field=f"work[{index}].employment_status",
            )
        return matched, None
    if row.end.present:
        return working, None
    zh, en = _row_words(index + 1)
    note = warning(
        f"{zh}已结束且未填写 employment_status，证明上勾选“{left}”；如已{retired}，请填写 employment_status: {retired}",
        f"{en} has ended and gives no employment_status, so the certificate ticks {left}; "
        f"write `employment_status: {retired}` if retired",
        path=f"work[{index}].employment_status",
        code="certificate.status",
    )
    return left, note


def _work_types(row: Work, index: int, pack: SitePack) -> list[Tick]:
    options = pack.option("work_type")
    assert row.accounting is not None
    chosen: set[str] = set()
    for k, value in enumerate(row.accounting.work_types):
        matched = options.match(value)
        if matched is None:
            raise ProfileError(
                f"{options.label}没有选项“{value}” (`{value}` is not a work type: {', '.join(options.values)})",
                field=f"work[{index}].accounting.work_types[{k}]",
            )
        chosen.add(matched)
    return [Tick(label=v, checked=v in chosen) for v in options.values]


def certificate_data(profile: Profile, index: int, pack: SitePack) -> tuple[CertificateData, Finding | None]:
    """The values of the certificate for `profile.work[index]` (which has accounting experience),
    and a warning when the status had to be assumed."""
    row = profile.work[index]
    start, end = accounting_period(row)
    status, note = employment_status(row, index, pack)
    statuses = [Tick(label=v, checked=v == status) for v in pack.option("employment_status").values]
    data = CertificateData(
        row=index,
        name=profile.account.name.strip(),
        id_number=profile.account.id_number.strip().upper(),
        statuses=statuses,
        start=start,
        end=end,
        types=_work_types(row, index, pack),
        employer=row.employer.strip(),
        uscc=row.uscc.strip().upper(),
    )
    return data, note


def _rows(profile: Profile, work: int | None, file: Path | None) -> list[int]:
    """Indexes of the work rows to certify; a ProfileError naming the field when there are none."""
    rows = profile.work
    if work is not None:
        if not 1 <= work <= len(rows):
            raise ProfileError(
                f"没有第 {work} 条工作经历，档案共有 {len(rows)} 条 (there is no work row {work}; "
                f"the profile has {len(rows)})",
                file=file,
                field="work",
            )
        index = work - 1
        if rows[index].accounting is None:
            zh, en = _row_words(work)
            raise ProfileError(
                f"{zh}（{rows[index].employer}）没有会计工作经历，不能出具《会计工作（经历）证明》；"
                f"如在该单位从事过会计工作，请在这一条下填写 accounting（start、work_types） "
                f"({en} has no accounting experience: add an `accounting:` block with start and work_types "
                f"if you did accounting work there)",
                file=file,
                field=f"work[{index}].accounting",
            )
        indexes = [index]
    else:
        indexes = [i for i, row in enumerate(rows) if row.accounting is not None]
        if not indexes:
            raise ProfileError(
                "档案中没有会计工作经历：没有哪一条工作经历填写了 accounting（是否有会计工作经历 = 是），"
                "无从出具《会计工作（经历）证明》 (no work row has accounting experience: add an `accounting:` "
                "block with start and work_types to the row of the unit where you did accounting work)",
                file=file,
                field="work",
            )
    return indexes


def certificates(
    profile: Profile, *, work: int | None = None, pack: SitePack | None = None, file: Path | None = None
) -> tuple[list[CertificateData], list[Finding]]:
    """The certificates to print: work row `work` (1-based, the site's 序号) or, by default, every row
    with accounting experience; plus warnings. A ProfileError names the field when there is none."""
    pack = pack or load_pack()
    indexes = _rows(profile, work, file)
    out: list[CertificateData] = []
    notes: list[Finding] = []
    for index in indexes:
        data, note = certificate_data(profile, index, pack)
        out.append(data)
        if note is not None:
            notes.append(note.at(file=str(file) if file else None))
    return out, notes


# ---------------------------------------------------------------------------------------------------
# Refusing a profile that fails `check`

_PATH_PART = re.compile(r"[^.\[\]]+")


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _loc(path: str) -> tuple[str | int, ...]:
    """`work[0].employment_status` → `("work", 0, "employment_status")`."""
    return tuple(int(p) if p.isdigit() else p for p in _PATH_PART.findall(path))


def is_upload_field(path: str) -> bool:
    """Whether a finding's field path (`work[0].accounting.proof`) names a picture to upload."""
    parts = [p for p in _PATH_PART.findall(path) if not p.isdigit()]
    model: type[BaseModel] | None = Profile
    for k, part in enumerate(parts):
        info = model.model_fields.get(part) if model is not None else None
        if info is None:
            return False
        if k == len(parts) - 1:
            extra = info.json_schema_extra
            return isinstance(extra, dict) and "x-file" in extra
        model = _model_in(info.annotation)
    return False


def prepare(
    path: Path, *, work: int | None = None, pack: SitePack | None = None, today: dt.date | None = None
) -> tuple[list[CertificateData], list[Finding]]:
    """The certificates for the profile at `path` (see `certificates`) and the warnings to show.

    A ProfileError when there is nothing to certify (no accounting experience, `--work N` out of range
    or without it), else when `autofill check` finds errors: it lists them all. Problems with pictures
    to upload do not stop the certificate: it prints none of them, and its own photo
    (`accounting.proof`) cannot exist before it is printed and stamped. They come back as warnings,
    to be dealt with before filing.
    """
    from autofill.check import check_loaded

    pack = pack or load_pack()
    loaded = load_profile(path)
    findings = check_loaded(loaded, pack, today)
    errors = [f for f in findings if f.is_error]
    if loaded.profile is None:
        blocking = errors
    else:
        _rows(loaded.profile, work, path)  # nothing to certify is the first thing to say
        blocking = [f for f in errors if not is_upload_field(f.path)]
    if loaded.profile is None or blocking:
        lines = "\n".join(f"  {f.render()}" for f in blocking)
        raise ProfileError(
            f"档案有 {len(blocking)} 个错误，未生成证明，请先改正 (the profile has {len(blocking)} error(s), "
            f"so no certificate was written; `autofill check` lists the same):\n{lines}",
            file=path,
        )
    certs, notes = certificates(loaded.profile, work=work, pack=pack, file=path)
    notes = [n.at(line=loaded.line_of(_loc(n.path))) for n in notes]
    later = [
        warning(f"提交前还需：{f.message_zh}", f"needed before filing: {f.message_en}", f.path, f.code).at(
            file=f.file, line=f.line
        )
        for f in errors
    ]
    return certs, [*notes, *later]


# ---------------------------------------------------------------------------------------------------
# HTML

_TOKEN = re.compile(r"\{\{([#^])(\w+)\}\}(.*?)\{\{/\2\}\}|\{\{(\w+)\}\}", re.DOTALL)


def _lookup(name: str, stack: Sequence[Mapping[str, Any]]) -> Any:
    for context in reversed(stack):
        if name in context:
            return context[name]
    raise KeyError(f"the certificate template names an unknown value `{name}`")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return html.escape(str(value))


def _render(text: str, stack: Sequence[Mapping[str, Any]]) -> str:
    out: list[str] = []
    pos = 0
    for m in _TOKEN.finditer(text):  # values are inserted, never scanned again
        out.append(text[pos : m.start()])
        pos = m.end()
        if m[4]:
            out.append(_text(_lookup(m[4], stack)))
            continue
        value = _lookup(m[2], stack)
        body = m[3]
        if m[1] == "^":
            out.append("" if value else _render(body, stack))
        elif isinstance(value, list):
            out.extend(_render(body, [*stack, item]) for item in value)
        elif isinstance(value, Mapping):
            out.append(_render(body, [*stack, value]))
        elif value:
            out.append(_render(body, stack))
    out.append(text[pos:])
    return "".join(out)


def fill_template(template: str, context: Mapping[str, Any]) -> str:
    """Fill a template written in a small Mustache subset: `{{x}}` (HTML-escaped), `{{#x}}…{{/x}}`
    (each item of a list, a mapping, or once when true) and `{{^x}}…{{/x}}` (when false or empty)."""
    return _render(template, [context])


def _date(d: SiteDate) -> dict[str, Any]:
    return {"year": d.year, "month": d.month, "day": d.day}


def page_context(data: CertificateData) -> dict[str, Any]:
    """The template's values for one page."""
    return {
        "row": data.number,
        "name": data.name,
        "id_number": data.id_number,
        "statuses": [t.model_dump() for t in data.statuses],
        "start": _date(data.start),
        "end": None if data.end.present else _date(data.end),
        "present": data.end.present,
        "types": [t.model_dump() for t in data.types],
        "employer": data.employer,
        "uscc": data.uscc,
    }


def render_html(certs: Sequence[CertificateData]) -> str:
    """The HTML document: one A4 page per certificate."""
    template = resources.files("autofill").joinpath(TEMPLATE).read_text(encoding="utf-8")
    return fill_template(template, {"pages": [page_context(c) for c in certs]})


# ---------------------------------------------------------------------------------------------------
# Chromium and the files


def output_problem(out: Path) -> str | None:
    """What is wrong with `out` as the output (in Chinese and English), or None: it must end in .pdf
    or .png, in an existing directory. The command line shows it as a bad `-o` (exit 2); library
    callers get it as an OutputError from `output_kind`."""
    if out.suffix.lower() not in (".pdf", ".png"):
        return f"输出文件须以 .pdf 或 .png 结尾 (the output must be a .pdf or .png file, got `{out.name}`)"
    if not out.parent.is_dir():
        return f"目录不存在 (no such directory: {out.parent})"
    return None


def output_kind(out: Path) -> Kind:
    """`pdf` or `png`, from the output's extension; an OutputError (`output_problem`) for anything else
    or a missing directory."""
    problem = output_problem(out)
    if problem is not None:
        raise OutputError(problem, file=out)
    return "pdf" if out.suffix.lower() == ".pdf" else "png"


def output_files(out: Path, certs: Sequence[CertificateData]) -> list[Path]:
    """The files `out` means: `FILE.pdf` (one page per certificate), `FILE.png` for one certificate,
    `FILE-<序号>.png` (the work row's number) for several."""
    if output_kind(out) == "pdf" or len(certs) <= 1:
        return [out]
    return [out.with_name(f"{out.stem}-{c.number}{out.suffix}") for c in certs]


@contextmanager
def launched_browser() -> Iterator[Browser]:
    """A headless Chromium (found and flagged by `autofill.browser`), closed afterwards."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    from autofill.browser import launch_options

    options: dict[str, Any] = launch_options(headless=True)
    with sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(**options)
        except PlaywrightError as exc:
            raise BrowserError(f"浏览器无法启动 (Chromium failed to start: {first_line(exc)})") from None
        try:
            yield browser
        finally:
            browser.close()


def render(certs: Sequence[CertificateData], kind: Kind, browser: Browser) -> list[bytes]:
    """The certificates as one PDF, or as one PNG per certificate."""
    from playwright.sync_api import Error as PlaywrightError

    width, height = A4_CSS_PX
    page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=PNG_SCALE)
    try:
        page.set_content(render_html(certs), wait_until="load")
        page.evaluate("() => document.fonts.ready.then(() => true)")
        overflowing: list[int] = page.evaluate(
            "() => [...document.querySelectorAll('section.page')]"
            ".filter(p => p.scrollHeight > p.clientHeight + 1).map(p => Number(p.dataset.workRow))"
        )
        if overflowing:
            zh, en = _row_words(overflowing[0])
            raise OutputError(
                f"{zh}的证明超出一页 A4，请缩短过长的文字（如单位名称）(the certificate for {en} does not fit "
                f"on one A4 page: shorten the longest text, e.g. the unit name)",
                field=f"work[{overflowing[0] - 1}]",
            )
        if kind == "pdf":
            return [page.pdf(prefer_css_page_size=True, print_background=True, tagged=True)]
        pages = page.locator("section.page")
        return [pages.nth(i).screenshot(type="png") for i in range(len(certs))]
    except PlaywrightError as exc:
        raise BrowserError(
            f"浏览器生成证明失败 (Chromium failed to render the certificate: {first_line(exc)})"
        ) from None
    finally:
        page.close()


def write_atomically(files: Mapping[Path, bytes]) -> None:
    """Write the files without ever leaving a partial one: each goes to a temporary file beside it,
    renamed over the target once all are written. They are readable by their owner only (they carry
    a full ID number)."""
    for target in files:  # a rename that would fail must fail before any file is replaced
        if target.is_dir():
            raise OutputError("无法写入文件：这是一个文件夹 (cannot write the file: it is a folder)", file=target)
    temps: dict[Path, Path] = {}
    target = next(iter(files), Path())
    try:
        for target, data in files.items():
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
            temps[target] = Path(name)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for target, temp in temps.items():
            temp.replace(target)
    except OSError as exc:
        raise OutputError(f"无法写入文件 (cannot write the file: {exc.strerror})", file=target) from None
    finally:
        for temp in temps.values():
            temp.unlink(missing_ok=True)


def write_certificates(certs: Sequence[CertificateData], out: Path, *, browser: Browser | None = None) -> list[Path]:
    """Render the certificates with Chromium and write them to `out` (see `output_files`), atomically.
    Pass a running `browser` to reuse it; otherwise one is launched and closed."""
    targets = output_files(out, certs)
    kind = output_kind(out)
    if browser is None:
        with launched_browser() as own:
            blobs = render(certs, kind, own)
    else:
        blobs = render(certs, kind, browser)
    write_atomically(dict(zip(targets, blobs, strict=True)))
    return targets
