"""`autofill image …`: check, fix and merge pictures before they are uploaded.

Module-level imports stay light (`autofill check` starts fast): the picture code and Pillow are
imported inside the commands. Errors (ImageError) are turned into a message and exit 1 by cli.py; a
bad `-o` (wrong name, missing folder, the input itself without --overwrite) is a bad command line
(typer.BadParameter: exit 2 under the command's usage line).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from autofill.status import ExitStatus

if TYPE_CHECKING:
    from autofill.images import FixReport, Inspection
    from autofill.pack import FileLimits

app = typer.Typer(no_args_is_help=True, help="Check, fix and merge pictures before they are uploaded.")


class Kind(StrEnum):
    """Which upload slot a picture is for: the standard photo, or any other picture."""

    photo = "photo"
    attachment = "attachment"


KindOption = Annotated[
    Kind,
    typer.Option(
        "--kind",
        help="photo: the standard photo (标准证件照片); attachment: ID sides, proofs, certificates.",
        case_sensitive=False,
    ),
]
OutputOption = Annotated[
    Path,
    typer.Option("-o", "--output", help="Where to write the fixed JPEG (.jpg/.jpeg).", dir_okay=False),
]
OverwriteOption = Annotated[
    bool,
    typer.Option("--overwrite", help="Allow -o to name an input file: the original is replaced."),
]


def _limits(kind: str) -> FileLimits:
    from autofill.pack import load_pack

    return load_pack().files["photo" if kind == "photo" else "attachment"]


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(metavar="FILE", help="Picture files.", show_default=False)],
    kind: KindOption,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
) -> None:
    """Check pictures against the site's upload rules, reporting every problem at once.

    The format is read from the content, not the name. Exit 1 when any file has an error, 0 when
    there are only warnings (or nothing).
    """
    from autofill.images import inspect

    limits = _limits(kind.value)
    results = [inspect(path, kind.value, limits) for path in files]
    typer.echo(_render_json(results) if as_json else _render_text(results))
    if not all(r.ok for r in results):
        raise typer.Exit(ExitStatus.INVALID)


def _render_text(results: list[Inspection]) -> str:
    lines: list[str] = []
    errors = warnings = 0
    for result in results:
        name = str(result.path)
        if result.summary is not None:
            verdict = "合格 (ok)" if result.ok else "不合格 (fails)"
            lines.append(f"{name}: {result.summary.describe()} — {verdict}")
        for finding in result.findings:
            lines.append(finding.at(file=name).render())
            errors += finding.is_error
            warnings += not finding.is_error
    lines.append(
        f"{len(results)} 个文件，{errors} 个错误，{warnings} 个警告 "
        f"({len(results)} file(s), {errors} error(s), {warnings} warning(s))"
    )
    return "\n".join(lines)


def _render_json(results: list[Inspection]) -> str:
    out = []
    for result in results:
        summary = result.summary
        out.append(
            {
                "file": str(result.path),
                "ok": result.ok,
                "format": summary.format if summary else None,
                "width": summary.width if summary else None,
                "height": summary.height if summary else None,
                "mode": summary.mode if summary else None,
                "bytes": summary.file_bytes if summary else None,
                "findings": [asdict(f.at(file=str(result.path))) for f in result.findings],
            }
        )
    return json.dumps(out, ensure_ascii=False, indent=2)


def _same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (symbolic and hard links followed); False when either is missing."""
    try:
        return a.samefile(b)
    except (OSError, ValueError):
        return False


def _check_output(ctx: typer.Context, output: Path, sources: list[Path], kind: str, *, overwrite: bool) -> None:
    """Refuse a bad `-o` as a bad command line (exit 2), before any picture is read: a name the slot
    does not take as JPEG, a folder, a missing folder, or an input file itself unless --overwrite."""
    from autofill.images.encode import output_problem

    problem = output_problem(output, _limits(kind))
    if problem is None and not overwrite:
        same = next((src for src in sources if _same_file(src, output)), None)
        if same is not None:
            problem = (
                f"输出文件就是输入文件 {same}，原图会被覆盖：请换一个输出文件名，或加 --overwrite 确认覆盖"
                f" (the output is the input file {same} itself, and the original would be replaced: "
                "choose another output name, or add --overwrite to replace it)"
            )
    if problem is not None:
        raise typer.BadParameter(problem, ctx=ctx, param_hint=["-o", "--output"])


def _parse_crop(value: str | None) -> tuple[int, int, int, int] | None:
    if value is None:
        return None
    parts = value.replace(" ", "").split(",")
    try:
        x, y, w, h = (int(p) for p in parts)
    except ValueError:
        raise typer.BadParameter(
            f"应为 X,Y,W,H 四个整数，如 100,50,600,840 (expected four integers X,Y,W,H, got '{value}')",
            param_hint="--crop",
        ) from None
    return (x, y, w, h)


@app.command()
def fix(
    ctx: typer.Context,
    src: Annotated[Path, typer.Argument(metavar="IN", help="The picture to fix.", show_default=False)],
    output: OutputOption,
    kind: KindOption,
    crop: Annotated[
        str | None,
        typer.Option(
            "--crop",
            metavar="X,Y,W,H",
            help="Crop this box (pixels of the upright picture) instead of the centred crop.",
        ),
    ] = None,
    overwrite: OverwriteOption = False,
) -> None:
    """Fix a picture so the site accepts it, writing a clean JPEG to -o.

    Applies the EXIF orientation and removes all metadata (GPS included); converts to RGB (alpha on
    white); for the photo crops to the standard aspect, downscales large ones and refuses, never
    enlarges, one below the minimum pixels; searches the JPEG quality that lands in the size window.
    The input is never replaced unless -o names it and --overwrite is given. Prints before/after.
    """
    from autofill.images import fix_image

    box = _parse_crop(crop)
    _check_output(ctx, output, [src], kind.value, overwrite=overwrite)
    report = fix_image(src, output, kind.value, _limits(kind.value), crop=box)
    typer.echo(_render_report(report))


@app.command()
def merge(
    ctx: typer.Context,
    sources: Annotated[
        list[Path], typer.Argument(metavar="IN", help="Pictures to stack, top first.", show_default=False)
    ],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Where to write the merged JPEG (.jpg/.jpeg).", dir_okay=False)
    ],
    overwrite: OverwriteOption = False,
) -> None:
    """Merge several proofs into one attachment: stacked vertically, white gaps, common width.

    -o naming one of the inputs is refused unless --overwrite is given.
    """
    from autofill.images import merge_images

    _check_output(ctx, output, sources, "attachment", overwrite=overwrite)
    report = merge_images(sources, output, _limits("attachment"))
    typer.echo(_render_report(report))


def _render_report(report: FixReport) -> str:
    lines = [f"修改前 (before): {s.path}: {s.describe()}" for s in report.before]
    lines.append(f"修改后 (after):  {report.after.path}: {report.after.describe()}, quality {report.quality}")
    lines.extend(f"  - {step.render()}" for step in report.steps)
    lines.extend(f.at(file=str(report.after.path)).render() for f in report.warnings)
    return "\n".join(lines)
