"""`make demo`: check the example profiles, then fill one end to end on the replica.

Starts the replica on a free port, seeds the example person's account through its QA API, fills
`profiles/examples/scope1.yaml` headless with `--submit --yes` (captcha and SMS answered by the QA
API), and prints where the report is and what 审核告知 shows.
"""

from __future__ import annotations

import sys
from pathlib import Path

from autofill.check import check_files, render_findings
from autofill.mock.accounts import account_body

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "profiles" / "examples"
DEMO_PROFILE = EXAMPLES / "scope1.yaml"
DEMO_PASSWORD = "Demo-Passw0rd"  # noqa: S105 - a synthetic account on the local replica only


def main() -> int:
    import os
    import tempfile

    from autofill.driver import Options, drive, read_review
    from autofill.errors import AutofillError
    from autofill.human import replica_humans
    from autofill.mock.cli import replica_dir
    from autofill.pack import load_pack
    from autofill.report import OUTCOME_WORDS
    from autofill.runner import checked_plan

    # the demo's replica lives for one run: keep its login state out of the user's ~/.autofill
    os.environ.setdefault("AUTOFILL_HOME", tempfile.mkdtemp(prefix="autofill-demo-"))
    profiles = sorted(EXAMPLES.glob("*.yaml"))
    findings = check_files(profiles)
    print(render_findings(findings, as_json=False, files=profiles))
    if any(f.is_error for f in findings):
        return 1
    sys.path.insert(0, str(replica_dir()))
    from ausm_replica.testing import ReplicaServer

    pack = load_pack()
    plan = checked_plan(DEMO_PROFILE, pack)
    account = plan.profile.account
    with ReplicaServer() as replica:
        print(f"replica: {replica.url}")
        replica.qa("POST", "/__mock__/accounts", json=account_body(account, DEMO_PASSWORD, verified=True))
        opts = Options(
            url=replica.url, headless=True, submit=True, yes=True, humans=replica_humans(replica.url), out=ROOT / "runs"
        )
        outcome = drive(plan, pack, DEMO_PASSWORD, opts, profile_name=DEMO_PROFILE.name)
        print(OUTCOME_WORDS.get(outcome.report.outcome, outcome.report.outcome))
        print(f"report: {outcome.run_dir.report_html}")
        if outcome.error is not None:
            print(f"error: {outcome.error.render()}", file=sys.stderr)
            return 1
        try:
            status = read_review(plan, pack, DEMO_PASSWORD, opts)
        except AutofillError as exc:
            print(f"error: {exc.render()}", file=sys.stderr)
            return 1
        print(f"status: {status.status}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
