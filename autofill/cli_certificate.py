"""`autofill certificate`: the 《会计工作（经历）证明》, pre-filled from a profile, as PDF or PNG.

Imports nothing heavy at module level: the work (and Playwright) lives in `autofill.certificate`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from autofill.cli_site import ProfileArg

if TYPE_CHECKING:
    from autofill.certificate import CertificateData


def _output(value: Path) -> Path:
    """`-o` must name a .pdf or .png in an existing directory: otherwise a bad command line (exit 2),
    refused before the profile is read or a browser started."""
    from autofill.certificate import output_problem

    problem = output_problem(value)
    if problem is not None:
        raise typer.BadParameter(problem)
    return value


def certificate(
    profile: ProfileArg,
    output: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            help="FILE.pdf (one A4 page per work row) or FILE.png (one row: FILE.png; several: FILE-<N>.png, "
            "N = the work row's number).",
            show_default=False,
            callback=_output,
        ),
    ],
    work: Annotated[
        int | None,
        typer.Option(
            "--work",
            min=1,
            metavar="N",
            help="Only work row N (1 = the first row under `work:`, the site's 序号). "
            "Default: every row with accounting experience.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Print the 《会计工作（经历）证明》 for a profile's work rows, ready to stamp (PDF or PNG).

    Name, ID number, 在职/退休/离职, the accounting period (the months the tool files), the work types
    ticked, the unit's name and 统一社会信用代码; blank lines for the stamp, the date and the unit's
    contact. A profile with errors is refused with its findings (exit 1).
    """
    from autofill import certificate as cert

    certs, notes = cert.prepare(profile, work=work)
    files = cert.write_certificates(certs, output)
    for note in notes:
        typer.echo(note.render(), err=True)
    if len(files) == 1 and len(certs) > 1:
        typer.echo(f"已生成 (written) {files[0]}: {len(certs)} 页 (pages)")
        for page, c in enumerate(certs, start=1):
            typer.echo(f"  第 {page} 页 (page {page}): {_describe(c)}")
    else:
        for file, c in zip(files, certs, strict=True):
            typer.echo(f"已生成 (written) {file}: {_describe(c)}")
    typer.echo("请核对后打印，交单位盖章，拍照后填入 accounting.proof (check, print, have it stamped, photograph it)")


def _describe(c: CertificateData) -> str:
    return (
        f"第 {c.number} 条工作经历 (work row {c.number}) {c.employer}，{c.status}，"
        f"会计工作 (accounting) {c.period_text}"
    )
