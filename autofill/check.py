"""`autofill check`: load each profile, run every rule, collect every finding with its YAML line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from autofill.findings import Finding, Severity, to_json
from autofill.pack import SitePack, load_pack
from autofill.profile.load import Loaded, load_profile
from autofill.profile.rules import Context, run_rules


def expand(paths: Iterable[Path]) -> list[Path]:
    """Profile files named directly, or every *.yaml / *.yml inside a named directory."""
    out: list[Path] = []
    for path in paths:
        try:
            folder = path.is_dir()
        except OSError:  # a name too long, a folder we may not enter: reading the file says so, with its path
            folder = False
        if folder:
            out.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()))
        else:
            out.append(path)
    return out


def check_loaded(loaded: Loaded, pack: SitePack, today: dt.date | None = None) -> list[Finding]:
    """Every finding for one already-loaded profile, in file order."""
    found = list(loaded.findings)
    if loaded.profile is not None:
        ctx = Context(loaded.profile, pack, loaded.base_dir, today or dt.date.today())
        found.extend(loaded.place(f, loc) for f, loc in run_rules(ctx))
    return sorted(found, key=lambda f: (f.line or 0, f.path))


def check_file(path: Path, pack: SitePack | None = None, today: dt.date | None = None) -> list[Finding]:
    """Every finding for one profile file (read problems included)."""
    return check_loaded(load_profile(path), pack or load_pack(), today)


def check_files(paths: Iterable[Path], today: dt.date | None = None) -> list[Finding]:
    """Every finding for every profile named (a directory means the profiles inside it).

    Naming no profile at all (an empty folder, or one of pictures) is a bad command line, as for
    `autofill batch`: a check of nothing must not read "all good" (exit 2, ExitStatus.USAGE).
    """
    paths = list(paths)
    files = expand(paths)
    if not files:
        import typer  # the CLI's own usage error: exit 2 with the command's usage, like `batch`

        named = ", ".join(str(p) for p in paths)
        raise typer.BadParameter(
            f"没有找到档案文件（*.yaml / *.yml）(no profile files found in {named})", param_hint="PROFILES"
        )
    pack = load_pack()
    found: list[Finding] = []
    for path in files:
        found.extend(check_file(path, pack, today))
    return found


def render_findings(findings: list[Finding], *, as_json: bool, files: Iterable[Path]) -> str:
    """Human lines (`FILE:LINE path: 中文 (English)`) plus a summary, or JSON."""
    if as_json:
        return to_json(findings)
    n_files = len(expand(files))
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = len(findings) - errors
    lines = [f.render() for f in findings]
    if errors:
        lines.append(
            f"{errors} 个错误，{warnings} 个警告 ({errors} error(s), {warnings} warning(s)) in {n_files} file(s)"
        )
    elif warnings:
        lines.append(f"没有错误，{warnings} 个警告 (no errors, {warnings} warning(s)) in {n_files} file(s)")
    else:
        lines.append(f"检查通过 (all good): {n_files} file(s)")
    return "\n".join(lines)
