"""`autofill check`: load each profile, run every rule, collect every finding with its YAML line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from pathlib import Path

from autofill.findings import Finding, Severity, to_json
from autofill.pack import SitePack, load_pack
from autofill.profile.load import Loaded, in_sections, load_profile
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
    """Every finding for one already-loaded profile, in file order. When some top-level sections did
    not validate, every rule that reads only sections that did still runs (on `loaded.parts`)."""
    found = list(loaded.findings)
    if loaded.parts is not None:
        ctx = Context(loaded.parts, pack, loaded.base_dir, today or dt.date.today())
        found.extend(loaded.place(f, loc) for f, loc in run_rules(ctx, loaded.valid))
    return sorted(found, key=lambda f: (f.line or 0, f.path))


def check_file(path: Path, pack: SitePack | None = None, today: dt.date | None = None) -> list[Finding]:
    """Every finding for one profile file (read problems included)."""
    return check_loaded(load_profile(path), pack or load_pack(), today)


def check_sections(
    loaded: Loaded, sections: Collection[str], pack: SitePack, today: dt.date | None = None
) -> tuple[list[Finding], list[Finding]]:
    """(findings in `sections`, findings elsewhere) for a profile read with `load_profile(…, sections=…)`,
    for a command that needs only those sections (`autofill register`: the account). A finding about the
    whole file (unreadable, not YAML) counts as in `sections`."""
    found = check_loaded(loaded, pack, today)
    inside = [f for f in found if in_sections(f.path, sections)]
    return inside, [f for f in found if not in_sections(f.path, sections)]


def check_files(paths: Iterable[Path], today: dt.date | None = None) -> list[Finding]:
    """Every finding for every profile named (a directory means the profiles inside it)."""
    pack = load_pack()
    found: list[Finding] = []
    for path in expand(paths):
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
