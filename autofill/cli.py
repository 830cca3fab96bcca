"""The `autofill` command line. Commands only: the work is done in the modules they call.

Errors are mapped to exit codes in exactly one place (`_Group.invoke`): an AutofillError prints its
message and exits 1, Ctrl-C exits 130, a bad command line exits 2 — click's usage line and hint, then
what is wrong in Chinese with click's English (`_BadCommandLine`). Heavy libraries are imported inside
the commands, so `autofill check` starts fast.
"""

from __future__ import annotations

import os
import re
import sys
from typing import IO, Annotated, Any

import typer
from typer._click.core import Context
from typer._click.exceptions import (  # typer vendors click since 0.2x
    BadArgumentUsage,
    BadOptionUsage,
    BadParameter,
    ClickException,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer.core import TyperGroup

from autofill import cli_certificate, cli_image, cli_site, cli_verify
from autofill.cli_site import ProfileArg, ProfilesArg
from autofill.errors import AutofillError
from autofill.mock import cli as mock_cli
from autofill.status import ExitStatus

_CJK = re.compile(r"[\u4e00-\u9fff]")
_CLICK_WORDS = (  # click's messages without a class of their own, and what they say in Chinese
    (re.compile(r"No such command (['\"])(?P<name>.*?)\1\.(?: Did you mean (?P<close>.*)\?)?"), "没有这个命令 {name}"),
    (re.compile(r"Got unexpected extra argument(?:\(s\)|s)? \((?P<name>.*)\)"), "多余的参数 {name}"),
    (re.compile(r"Option (?P<name>.*) requires (?:an argument|\d+ arguments)"), "选项 {name} 后面缺少值"),
    (re.compile(r"Option (?P<name>.*) does not take a value"), "选项 {name} 不接受值"),
)


def _en(text: str) -> str:
    """Click's English as a bracketed gloss: one line, lower-case first letter, no full stop."""
    text = " ".join(text.split()).rstrip(".")
    return text[:1].lower() + text[1:]


def _chinese(message: str) -> str | None:
    """The Chinese for one of click's fixed messages (`_CLICK_WORDS`), or None."""
    for pattern, words in _CLICK_WORDS:
        found = pattern.match(message)
        if found:
            parts = {key: (value or "").replace("'", "") for key, value in found.groupdict().items()}
            close = parts.get("close")
            return words.format(**parts) + (f"，是否要写 {close}？" if close else "")
    return None


def _named(exc: BadParameter) -> tuple[str, str, str]:
    """(参数 or 选项, its name as typed, click's quoted hint) of the option or argument an error is about;
    empty when the error names none."""
    param = exc.param
    if isinstance(exc.param_hint, str):
        name = hint = exc.param_hint
    elif exc.param_hint is not None:
        name, hint = " / ".join(exc.param_hint), " / ".join(repr(h) for h in exc.param_hint)
    elif param is not None:
        hint = param.get_error_hint()  # `'PROFILE'`, `'-o' / '--output'`
        name = hint.replace("'", "")
    else:
        return "", "", ""
    is_option = param.param_type_name == "option" if param is not None else name.startswith("-")
    return ("选项" if is_option else "参数"), name, hint


def _explain(exc: UsageError) -> str:
    """What is wrong with the command line: Chinese naming the option or argument, then click's English."""
    if isinstance(exc, MissingParameter):
        kind, name, hint = _named(exc)
        en_kind = exc.param_type or (exc.param.param_type_name if exc.param is not None else "parameter")
        more = [exc.message] if exc.message else []
        if exc.param is not None:
            more += [exc.param.get_missing_message(ctx=exc.ctx) or ""]
        detail = " ".join(" ".join(more).split())
        head = f"缺少{kind} {name} (missing {en_kind} {hint})" if name else f"缺少参数 (missing {en_kind})"
        return f"{head}: {detail}" if detail else head
    if isinstance(exc, BadParameter):
        kind, name, hint = _named(exc)
        head = f"{kind} {name} 的值无效 (invalid value for {hint})" if name else "值无效 (invalid value)"
        return f"{head}: {exc.message}"
    if isinstance(exc, NoSuchOption):
        head = f"没有这个选项 {exc.option_name} ({_en(exc.message)})"
        if exc.possibilities:
            close = ", ".join(sorted(exc.possibilities))
            head += f"，是否要写 {close}？(did you mean {close}?)"
        return head
    if _CJK.search(exc.message):  # our own, already in both languages
        return exc.message
    chinese = _chinese(exc.message)
    if chinese is not None:
        return f"{chinese} ({_en(exc.message)})"
    if isinstance(exc, BadOptionUsage):
        return f"选项 {exc.option_name} 用法有误 ({_en(exc.message)})"
    if isinstance(exc, BadArgumentUsage):
        return f"参数用法有误 ({_en(exc.message)})"
    return f"命令行有误 (bad command line: {_en(exc.message)})"


class _BadCommandLine(UsageError):
    """A bad command line as the user reads it: the command's usage line and click's help hint, then
    `错误 (error): ` and what is wrong (`_explain`). Exit 2, ExitStatus.USAGE."""

    exit_code = ExitStatus.USAGE

    def __init__(self, exc: UsageError) -> None:
        super().__init__(_explain(exc), exc.ctx)

    def show(self, file: IO[Any] | None = None) -> None:
        ctx = self.ctx
        if ctx is not None:
            hint = ""
            if ctx.command.get_help_option(ctx) is not None:
                hint = f"Try '{ctx.command_path} {ctx.help_option_names[0]}' for help.\n"
            typer.echo(f"{ctx.get_usage()}\n{hint}", file=file, err=True)
        typer.echo(f"错误 (error): {self.message}", file=file, err=True)


def _context_of(ctx: Context, args: list[str]) -> Context:
    """The context of the (sub)command `args` name, unparsed: for its usage line when click raised a
    usage error without one (an option missing its value)."""
    while isinstance(ctx.command, TyperGroup) and args:
        try:
            name, command, args = ctx.command.resolve_command(ctx, args)
        except UsageError:
            break
        if command is None:
            break
        ctx = command.context_class(command, info_name=name, parent=ctx)
    return ctx


class _Group(TyperGroup):
    def make_context(
        self, info_name: str | None, args: list[str], parent: Context | None = None, **extra: Any
    ) -> Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except NoArgsIsHelpError:
            raise
        except UsageError as exc:  # the top level's own options: `autofill --bogus`
            raise _BadCommandLine(exc) from None

    def invoke(self, ctx: Context) -> Any:
        args = [*ctx._protected_args, *ctx.args]
        try:
            return super().invoke(ctx)
        except AutofillError as exc:
            typer.echo(f"错误 (error): {exc.render()}", err=True)
            raise typer.Exit(ExitStatus.INVALID) from None
        except KeyboardInterrupt:
            typer.echo("已中断 (interrupted)", err=True)
            raise typer.Exit(ExitStatus.INTERRUPTED) from None
        except (NoArgsIsHelpError, _BadCommandLine):
            raise
        except UsageError as exc:  # every command's bad command line, in Chinese and English, exit 2
            if exc.ctx is None:
                exc.ctx = _context_of(ctx, args)
            raise _BadCommandLine(exc) from None
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


@app.command()
def check(
    profiles: ProfilesArg,
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
) -> None:
    """Check profiles against the platform's rules before any browser opens.

    Prints every problem as `FILE:LINE path: 中文说明 (English)`. Exit 1 on any error, 0 when only
    warnings (or nothing) are found.
    """
    from autofill.check import check_files, render_findings

    files = cli_site.profile_files(profiles)  # none at all: a bad command line (exit 2)
    findings = check_files(files)
    typer.echo(render_findings(findings, as_json=as_json, files=files))
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
def checklist(profile: ProfileArg) -> None:
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
