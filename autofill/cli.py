"""The `autofill` command line. Commands only: the work is done in the modules they call.

Errors are mapped to exit codes in exactly one place (`_Group.invoke`): an AutofillError prints its
message and exits 1, Ctrl-C exits 130, a bad command line exits 2. Heavy libraries are imported
inside the commands, so `autofill check` starts fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer._click.core import Context
from typer._click.exceptions import ClickException  # typer vendors click since 0.2x
from typer.core import TyperGroup

from autofill import cli_certificate, cli_image, cli_site, cli_verify
from autofill.errors import AutofillError
from autofill.mock import cli as mock_cli
from autofill.status import ExitStatus


class _Group(TyperGroup):
    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except AutofillError as exc:
            typer.echo(f"错误 (error): {exc.render()}", err=True)
            raise typer.Exit(ExitStatus.INVALID) from None
        except KeyboardInterrupt:
            typer.echo("已中断 (interrupted)", err=True)
            raise typer.Exit(ExitStatus.INTERRUPTED) from None
        except (typer.Exit, typer.Abort, ClickException):
            raise
        except Exception as exc:
            if os.environ.get("AUTOFILL_DEBUG"):
                raise
            typer.echo(
                f"内部错误 (internal error): {type(exc).__name__}: {exc} — set AUTOFILL_DEBUG=1 for details",
                err=True,
            )
            raise typer.Exit(ExitStatus.INVALID) from None


app = typer.Typer(
    cls=_Group,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Fill the 会计人员信息采集 wizard of 全国会计人员统一服务管理平台 from a YAML profile.",
)
app.add_typer(cli_image.app, name="image")
app.add_typer(mock_cli.app, name="mock")
app.command("certificate")(cli_certificate.certificate)
app.command("run")(cli_site.run)
app.command("status")(cli_site.status)
app.command("register")(cli_site.register)
app.command("batch")(cli_site.batch)
app.add_typer(cli_site.password_app, name="password")
app.add_typer(cli_verify.app, name="selectors")

ProfilePaths = Annotated[list[Path], typer.Argument(help="Profile YAML file(s).", show_default=False)]


@app.command()
def check(
    profiles: ProfilePaths,
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
) -> None:
    """Check profiles against the platform's rules before any browser opens.

    Prints every problem as `FILE:LINE path: 中文说明 (English)`. Exit 1 on any error, 0 when only
    warnings (or nothing) are found.
    """
    from autofill.check import check_files, render_findings

    findings = check_files(profiles)
    typer.echo(render_findings(findings, as_json=as_json, files=profiles))
    if any(f.is_error for f in findings):
        raise typer.Exit(ExitStatus.INVALID)


@app.command()
def schema() -> None:
    """Print the profile's JSON Schema (titles in Chinese, as the site labels the fields)."""
    from autofill.profile.schema import schema_json

    typer.echo(schema_json(), nl=False)


@app.command()
def init(
    scope: Annotated[int, typer.Option(min=1, max=5, help="采集范围 (一)…(五) as 1…5.")],
    student: Annotated[bool, typer.Option("--student", help="Still studying (在校生).")] = False,
) -> None:
    """Print a commented profile template for a scope (comments in Chinese)."""
    from autofill.profile.template import template

    typer.echo(template(scope, student=student), nl=False)


@app.command()
def checklist(profile: Annotated[Path, typer.Argument(help="Profile YAML file.")]) -> None:
    """Print the materials this person must prepare, marking those the profile already names."""
    from autofill.checklist import checklist_text

    typer.echo(checklist_text(profile))


def main() -> None:
    """Entry point of the `autofill` console script."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")
    app()
