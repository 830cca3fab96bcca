"""`autofill run`: check the profile, plan it, find the password, drive the site, report."""

from __future__ import annotations

import sys
from pathlib import Path

from autofill.check import check_loaded
from autofill.driver import Options, Outcome, drive
from autofill.errors import ProfileError
from autofill.pack import SitePack, load_pack
from autofill.plan import Plan, make_plan
from autofill.profile.load import load_profile
from autofill.secrets import get_password


def checked_plan(path: Path, pack: SitePack) -> Plan:
    """The plan of a profile that passes `autofill check` (pictures included); else a ProfileError
    listing every error, so no browser opens for a profile the site would reject."""
    loaded = load_profile(path)
    findings = check_loaded(loaded, pack)
    errors = [f for f in findings if f.is_error]
    if errors or loaded.profile is None:
        listing = "\n".join(f.render() for f in errors)
        raise ProfileError(
            f"档案有 {len(errors)} 个错误，请先修正（autofill check）"
            f"(the profile has errors; fix them first):\n{listing}",
            file=path,
        )
    return make_plan(loaded.profile, pack, loaded.base_dir)


def run_profile(path: Path, opts: Options, *, password: str | None = None) -> Outcome:
    """Fill the site from one profile; stops at the review gate unless `opts.submit`."""
    pack = load_pack()
    plan = checked_plan(path, pack)
    secret = password or get_password(plan.profile.account.id_number, interactive=sys.stdin.isatty())
    return drive(plan, pack, secret, opts, profile_name=path.name)
