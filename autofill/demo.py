"""`make demo`: check every example profile and print its materials checklist.

(The driver issue turns this into a full fill of the replica.)
"""

from __future__ import annotations

import sys
from pathlib import Path

from autofill.check import check_files, render_findings
from autofill.checklist import checklist_text

EXAMPLES = Path(__file__).resolve().parent.parent / "profiles" / "examples"


def main() -> int:
    profiles = sorted(EXAMPLES.glob("*.yaml"))
    findings = check_files(profiles)
    print(render_findings(findings, as_json=False, files=profiles))
    for profile in profiles:
        print()
        print(checklist_text(profile))
    return 1 if any(f.is_error for f in findings) else 0


if __name__ == "__main__":
    sys.exit(main())
