"""The commands that open the site: `run`, `status`, `register`, `password`.

Each builds its options, calls one function, and prints; errors map to exit codes in cli.py.
Nothing heavy is imported before a command runs.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlparse

import typer

if TYPE_CHECKING:
    from autofill.driver import Options
    from autofill.pack import SitePack
    from autofill.plan import Plan
    from autofill.report import RunReport

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")

ProfileArg = Annotated[Path, typer.Argument(metavar="PROFILE", help="Profile YAML file.", show_default=False)]
ProfilesArg = Annotated[
    list[Path], typer.Argument(metavar="PROFILES", help="Profile files, or folders of them.", show_default=False)
]
REGISTER_NEEDS = ("account",)  # the 注册 form: 证件类型, 证件号码, 姓名, 手机号
STATUS_NEEDS = ("account", "realname")  # the login, and 线上实名认证 when the site asks for it


def profile_files(paths: list[Path]) -> list[Path]:
    """PROFILES as files: each file named, and the *.yaml / *.yml of each folder named. None at all is a
    bad command line (exit 2): a check or batch of nothing must not read "all good"."""
    from autofill.check import expand

    files = expand(paths)
    if not files:
        named = ", ".join(str(p) for p in paths)
        raise typer.BadParameter(
            f"没有找到档案文件（*.yaml / *.yml）(no profile files found in {named})", param_hint="PROFILES"
        )
    return files


def _url(value: str | None) -> str | None:
    """`--url`: an http(s) address with a host, said at once (not as a browser failure later)."""
    if value is None:
        return None
    try:
        parsed = urlparse(value)
        ok = parsed.scheme in ("http", "https") and bool(parsed.hostname)
    except ValueError:  # e.g. an unclosed [IPv6 bracket
        ok = False
    if not ok:
        raise typer.BadParameter("应为 http(s):// 开头的网址 (must be an http:// or https:// address)")
    return value


def _solver(value: str) -> str:
    if value not in ("person", "replica"):
        raise typer.BadParameter("只能是 person 或 replica (must be `person` or `replica`)")
    return value


UrlOpt = Annotated[
    str | None, typer.Option("--url", callback=_url, help="Site address (default: the pack's, the real site).")
]
HeadedOpt = Annotated[
    bool | None,
    typer.Option(
        "--headed/--headless", help="Show the browser (default: headed on the real site, headless on localhost)."
    ),
]
SolverOpt = Annotated[
    str,
    typer.Option(
        "--solver",
        callback=_solver,
        help="Who answers captcha, SMS and QR: `person` (you), or `replica` (the replica's QA API, for tests/demos).",
    ),
]


def _options(url: str | None, headed: bool | None, solver: str, **more: object) -> Options:
    from autofill.driver import Options
    from autofill.human import replica_humans
    from autofill.pack import load_pack

    site = url or load_pack().site.base_url
    local = (urlparse(site).hostname or "") in LOCAL_HOSTS
    headless = (not headed) if headed is not None else local
    humans = replica_humans(site) if solver == "replica" else None
    return Options(url=site, headless=headless, humans=humans, **more)  # type: ignore[arg-type]


def _plan_and_password(profile: Path, needs: tuple[str, ...] = ()) -> tuple[SitePack, Plan, str]:
    """The pack, the plan and the password. `needs`: the only top-level sections the command reads."""
    from autofill.pack import load_pack
    from autofill.runner import checked_plan
    from autofill.secrets import get_password

    pack = load_pack()
    plan = _sections_plan(profile, pack, needs) if needs else checked_plan(profile, pack)
    return pack, plan, get_password(plan.profile.account.id_number, interactive=sys.stdin.isatty())


def _sections_plan(profile: Path, pack: SitePack, needs: tuple[str, ...]) -> Plan:
    """A plan with nothing to fill, for a command that reads only the sections `needs` of the profile
    (`register`, `status`): those must pass every check; errors elsewhere are named in a note. When the
    rest is invalid, the plan's profile holds blank stand-ins there (`Loaded.partial`): not to be read."""
    from autofill.check import check_sections
    from autofill.errors import ProfileError
    from autofill.plan import Plan
    from autofill.profile.load import load_profile

    loaded = load_profile(profile, sections=needs)
    inside, elsewhere = check_sections(loaded, needs, pack)
    errors = [f for f in inside if f.is_error]
    others = list(dict.fromkeys(f.path for f in elsewhere if f.is_error))
    zh, en = "、".join(needs), "/".join(needs)
    note = ""
    if others:
        shown = "、".join(others[:3]) + ("…" if len(others) > 3 else "")
        note = (
            f"注意 (note): 档案其他部分有错误（{shown}），本命令不用这些部分；autofill check 列出全部 "
            f"(the profile has errors outside {en}, which this command does not use; `autofill check` lists them)"
        )
    if errors or loaded.profile is None:
        listing = "\n".join(f.render() for f in errors or loaded.findings)
        raise ProfileError(
            f"档案的 {zh} 部分有 {len(errors)} 个错误，请先修正（autofill check）"
            f"(errors in the profile's {en}; fix them first):\n{listing}" + (f"\n{note}" if note else ""),
            file=profile,
        )
    if note:
        typer.echo(f"{profile}: {note}", err=True)
    return Plan(loaded.profile, loaded.base_dir)


def ask_yes(question: str) -> bool:
    """A yes/no question, no by default. No input at all (stdin closed) is a no, said so; Ctrl-C is Ctrl-C."""
    typer.echo(f"{question} [y/N]: ", nl=False)
    try:
        answer = input()
    except EOFError:
        typer.echo("\n没有回答：不提交 (no answer: not submitted)")
        return False
    return answer.strip().lower() in ("y", "yes", "是")


def run(
    profile: ProfileArg,
    url: UrlOpt = None,
    headed: HeadedOpt = None,
    submit: Annotated[bool, typer.Option("--submit", help="Tick 承诺 and press 提交 after your yes.")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="With --submit: do not ask.")] = False,
    out: Annotated[Path, typer.Option("--out", help="Where run folders go.")] = Path("runs"),
    trace: Annotated[bool, typer.Option("--trace", help="Keep a Playwright trace.zip even on success.")] = False,
    prune: Annotated[bool, typer.Option("--prune", help="Delete table rows the profile does not have.")] = False,
    solver: SolverOpt = "person",
) -> None:
    """Fill the 信息采集 wizard from PROFILE, then stop at 审核告知 for your review.

    Checks the profile (and its pictures) first and refuses to start on errors. Prints a field-by-field
    comparison of the profile and the pages; writes runs/<masked id>-<time>/ (report.json, report.html,
    run.log, trace.zip on failure). With --submit it ticks 承诺所提供信息真实有效 and presses 提交.
    """
    from autofill.driver import drive
    from autofill.report import outcome_words, render_comparison

    pack, plan, password = _plan_and_password(profile)
    opts = _options(url, headed, solver, submit=submit, yes=yes, out=out, trace=trace, prune=prune)
    secrets = [password, plan.profile.account.id_number, plan.profile.account.mobile]
    shown: list[bool] = []

    def show(report: RunReport) -> None:
        """The comparison, the row actions, the rows on the site only and the parts not filed: once."""
        if shown or not (report.comparison or report.row_actions or report.extra_rows or report.not_filed):
            return
        shown.append(True)
        typer.echo(
            render_comparison(
                report.comparison,
                secrets=secrets,
                actions=report.row_actions,
                extra_rows=report.extra_rows,
                not_filed=report.not_filed,
            )
        )

    def confirm(report: RunReport) -> bool:
        show(report)  # the person sees all that would be submitted before saying yes
        return ask_yes("确认提交？(submit now?)")

    opts.confirm = confirm
    outcome = drive(plan, pack, password, opts, profile_name=profile.name)
    report = outcome.report
    show(report)
    if outcome.status is not None and outcome.status.status:
        typer.echo(f"审核状态 (review status): {outcome.status.status}")
    words = outcome_words(report)
    passed = pack.wizard.review.passed
    if report.outcome == "in_review" and outcome.status is not None and outcome.status.status == passed:
        words = f"已{passed}，未作修改 (already approved; nothing changed)"
    typer.echo(words)
    typer.echo(f"报告 (report): {outcome.run_dir.report_html}")
    if outcome.error is not None:
        raise outcome.error


def status(
    profile: ProfileArg,
    url: UrlOpt = None,
    headed: HeadedOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    solver: SolverOpt = "person",
) -> None:
    """Show the review result of PROFILE's record: 审核通过 / 审核不通过 / 待审核, per part, with reasons.

    Reads only the profile's account and realname parts (to log in): errors elsewhere are named in a
    note and do not stop it.
    """
    from autofill.driver import read_review

    pack, plan, password = _plan_and_password(profile, STATUS_NEEDS)
    result = read_review(plan, pack, password, _options(url, headed, solver))
    if as_json:
        answer = {"status": result.status, "parts": result.parts} | ({"at": result.at} if result.at else {})
        typer.echo(json.dumps(answer, ensure_ascii=False, indent=2))
        return
    typer.echo(f"审核状态 (status): {result.status or '未知 (unknown)'}")
    if result.at:
        typer.echo(f"  信息采集停在“{result.at}”，尚未填完 (the wizard is at {result.at}: not filled to the end yet)")
    for part in result.parts:
        typer.echo("  " + "  ".join(v for v in part.values() if v))


def register(
    profile: ProfileArg,
    url: UrlOpt = None,
    headed: HeadedOpt = None,
    solver: SolverOpt = "person",
) -> None:
    """Register PROFILE's account on the platform (注册): the form, the SMS code, the agreement.

    The password (keyring, AUTOFILL_PASSWORD or a prompt) must have 8–16 characters with upper- and
    lower-case letters, digits and symbols; it is checked before the form is sent. Reads only the
    profile's account part: errors elsewhere are named in a note and do not stop it.
    """
    from autofill.human import Humans, TerminalSms
    from autofill.register import register as do_register

    pack, plan, password = _plan_and_password(profile, REGISTER_NEEDS)
    opts = _options(url, headed, solver)
    if opts.humans is None:
        opts.humans = Humans(captcha=None, sms=TerminalSms(), qr=None)  # type: ignore[arg-type]
    do_register(plan, pack, password, opts)
    typer.echo("注册成功 (registered)")


password_app = typer.Typer(no_args_is_help=True, help="Keep or forget a client's platform password (system keyring).")


def _id_number(value: str) -> str:
    """A 证件号码 as the keyring keeps it: 3–40 visible characters, and a mainland ID with its check digit."""
    from stdnum.cn import ric

    value = value.strip()
    if not (3 <= len(value) <= 40 and value.isprintable() and not re.search(r"\s", value)):
        raise typer.BadParameter("证件号码应为 3–40 个字符，不含空格 (an ID number is 3–40 characters, no spaces)")
    if re.fullmatch(r"\d{17}[\dXx]", value) and not ric.is_valid(value):
        raise typer.BadParameter("身份证号码校验位不对 (the ID number's check digit is wrong)")
    return value


IdArg = Annotated[str, typer.Argument(help="The client's 证件号码.", metavar="ID_NUMBER", callback=_id_number)]


def _hidden(question: str) -> str:
    """A hidden line; closed input (or Ctrl-C at the prompt) is a clear error, not click's bare `Aborted!`."""
    from autofill.errors import AutofillError

    try:
        return str(typer.prompt(question, hide_input=True))
    except typer.Abort:
        raise AutofillError(
            "未输入密码：输入已关闭或已取消，请在终端中运行 (no password entered: the input is closed or cancelled; "
            "run this in a terminal)",
            field="password",
        ) from None


@password_app.command("set")
def password_set(id_number: IdArg) -> None:
    """Store the password of ID_NUMBER in the system keyring (asked twice, never shown)."""
    from autofill.errors import AutofillError
    from autofill.masking import mask_id
    from autofill.secrets import keyring_problem, set_password

    problem = keyring_problem()  # said before the password is typed twice for nothing
    if problem is not None:
        raise AutofillError(problem, field="password")
    first = _hidden("密码 (password)")
    second = _hidden("再次输入 (again)")
    if first != second:
        raise AutofillError("两次输入的密码不一致 (the two entries differ)", field="password")
    set_password(id_number, first)
    typer.echo(f"已保存 {mask_id(id_number)} 的密码 (password stored in the keyring)")


@password_app.command("forget")
def password_forget(id_number: IdArg) -> None:
    """Remove the password of ID_NUMBER from the system keyring."""
    from autofill.masking import mask_id
    from autofill.secrets import forget_password

    removed = forget_password(id_number)
    typer.echo(
        f"{'已删除' if removed else '没有保存过'} {mask_id(id_number)} 的密码 ({'removed' if removed else 'none kept'})"
    )


def batch(
    profiles: ProfilesArg,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Clients at once (default: one per core as free memory allows, ≤ 4)."),
    ] = None,
    submit: Annotated[bool, typer.Option("--submit", help="Tick 承诺 and press 提交 for every client.")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="With --submit: do not ask.")] = False,
    out: Annotated[Path, typer.Option("--out", help="Where run folders and the batch summary go.")] = Path("runs"),
    url: UrlOpt = None,
    headed: HeadedOpt = None,
    secrets_file: Annotated[
        Path | None, typer.Option("--secrets", help="YAML `证件号码: 密码` lines; must be mode 0600.")
    ] = None,
    solver: SolverOpt = "person",
) -> None:
    """Fill the wizard for many clients at once, each in its own browser context, and summarise.

    Human steps (captcha, SMS, Alipay QR) are asked one at a time, naming the client by masked name
    and ID, while the others keep working. A client that fails never stops the others; transient
    failures are retried with backoff. Running the same command again completes every client (each
    step reads before it writes), with nothing filed twice. Writes runs/batch-<time>/summary.json and
    summary.html. Exit 0 only when every client succeeded; 1 otherwise (the failed ones are listed);
    130 on Ctrl-C (reports and summary written, the browser closed).
    """
    from datetime import datetime

    from autofill import batch as b

    files = list({path.resolve(): path for path in profile_files(profiles)}.values())  # named twice: one client
    if secrets_file is not None:  # kept beside the profiles, it is no client
        files = [f for f in files if f.resolve() != secrets_file.resolve()]
        if not files:
            raise typer.BadParameter(
                "除 --secrets 文件外没有档案文件 (no profile files besides the --secrets file)", param_hint="PROFILES"
            )
    base = _options(url, headed, solver)
    known = b.read_secrets(secrets_file)
    folder = b.batch_folder(out, datetime.now())  # a bad --out is said before any password is asked
    clients = b.prepare_clients(files, known, interactive=sys.stdin.isatty(), secrets_file=secrets_file is not None)
    secrets = b.batch_secrets(clients, known)
    ready = sum(c.error is None for c in clients)  # counted after checking: invalid and duplicate files are no client
    if submit and not yes and ready:
        others = len(clients) - ready
        more = f"（另有 {others} 个档案有问题，不填报）" if others else ""
        more_en = f"; {others} profile(s) with problems are not filed" if others else ""
        if not ask_yes(f"为 {ready} 位客户提交审核{more}？(submit for {ready} clients{more_en}?)"):
            submit = False
    opts = b.BatchOptions(
        url=base.url, workers=workers or b.default_workers(), headless=base.headless, submit=submit, out=out,
        solver=solver,
    )  # fmt: skip
    try:
        results = b.run_batch(clients, opts, folder, secrets)
    except KeyboardInterrupt as exc:
        results = exc.results if isinstance(exc, b.BatchInterrupted) else []
        results = results or [b.Result(c.index, c.label, c.profile.name, "interrupted") for c in clients]
        b.write_summary(results, folder, secrets)
        typer.echo(f"已中断，汇总 (interrupted; summary): {folder / 'summary.html'}", err=True)
        raise
    _, html = b.write_summary(results, folder, secrets)
    failed = [r for r in results if not r.ok]
    for r in results:  # redacted like the summary; each names its profile file (masked labels may collide)
        typer.echo(b.result_line(r, secrets))
    typer.echo(f"汇总 (summary): {html}")
    if failed:
        typer.echo(b.not_done_line(failed, secrets), err=True)
        raise typer.Exit(1)
