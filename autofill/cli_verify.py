"""`autofill selectors verify`: does the site still look the way selectors/ausm.yaml says?

Added to the main app as `app.add_typer(cli_verify.app, name="selectors")`. Nothing heavy is
imported before the command runs.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated
from urllib.parse import urlparse

import typer
from typer._click.exceptions import UsageError  # a bad command line naming no single value: exit 2 (cli.py)

from autofill.cli_site import LOCAL_HOSTS, HeadedOpt, SolverOpt, UrlOpt
from autofill.status import ExitStatus

app = typer.Typer(
    no_args_is_help=True, rich_markup_mode=None, help="The selector pack (selectors/ausm.yaml) and the live site."
)


@app.callback()
def selectors() -> None:
    """The selector pack (selectors/ausm.yaml) and the live site."""


@app.command()
def verify(
    profile: Annotated[
        Path | None,
        typer.Option("--profile", help="Profile whose account logs in (its password from keyring/AUTOFILL_PASSWORD)."),
    ] = None,
    url: UrlOpt = None,
    headed: HeadedOpt = None,
    solver: SolverOpt = "person",
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Walk the site's pages and report where they differ from the selector pack.

    Checks 首页, 注册, 登录, 用户实名认证 (when it shows) and every wizard step the account has
    reached: step names, field labels (also inside the 新增/编辑/查看详情 dialogs), the options of every
    select, checkbox group and radio, upload hints, table columns, dialog titles and buttons. Prints one
    line per difference, `step / field: pack → page`; exit 0 when there is none, 1 when there is any.

    It only reads: dialogs are cancelled, selects closed with Escape, nothing is saved to the person's
    record. Log in with --profile. On the replica, `--solver replica` without --profile creates a
    throwaway account through the replica's QA API and saves a sample record for it, so that every
    step can be opened.
    """
    from autofill.cli_site import _options, _plan_and_password
    from autofill.errors import AutofillError
    from autofill.human import terminal_humans
    from autofill.pack import load_pack
    from autofill.verify import Person, Throwaway, verify_site

    pack = load_pack()
    opts = _options(url, headed, solver)
    throwaway: Throwaway | None = None
    if profile is not None:
        _, plan, password = _plan_and_password(profile)
        person = Person(plan, password)
    elif solver == "replica":
        if (urlparse(opts.url).hostname or "") not in LOCAL_HOSTS:
            raise UsageError(
                "临时账号只能建在本机的仿真站点上，请用 --profile 登录 "
                "(a throwaway account exists only on a local replica: log in with --profile)"
            )
        throwaway = Throwaway.create(opts.url, pack)
        person = throwaway.person(pack)
    else:
        raise UsageError(
            "需要 --profile 来登录，或在本机的仿真站点上用 --solver replica "
            "(a profile is needed to log in with --profile, or --solver replica on the replica)"
        )
    if opts.humans is None and opts.headless:
        opts.humans = terminal_humans(Path(tempfile.mkdtemp(prefix="autofill-verify-")))
    try:
        report = verify_site(pack, opts, person)
    finally:
        if throwaway is not None:
            throwaway.forget()
    typer.echo(report.as_json() if as_json else report.render())
    if report.error:
        raise AutofillError(report.error)
    if report.differences:
        raise typer.Exit(ExitStatus.INVALID)
