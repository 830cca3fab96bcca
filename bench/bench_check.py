"""How fast is `autofill check`? Prints the median wall time of one profile and of 100 in one call.

Targets (issue 3): one profile ≤ 0.5 s median (a fresh process, imports included); 100 profiles ≤ 3 s.
Run: `.venv/bin/python bench/bench_check.py [runs]`.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "profiles" / "examples"


def wall(args: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(done.stdout.decode() + done.stderr.decode())
    return elapsed


def main(runs: int = 7) -> None:
    cmd = [sys.executable, "-m", "autofill", "check"]
    one = [wall([*cmd, str(EXAMPLES / "scope1.yaml")]) for _ in range(runs)]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copytree(EXAMPLES / "files", folder / "files")
        sources = sorted(EXAMPLES.glob("*.yaml"))
        for i in range(100):
            shutil.copy(sources[i % len(sources)], folder / f"client{i:03d}.yaml")
        hundred = [wall([*cmd, str(folder)]) for _ in range(max(3, runs // 2))]
    print(f"check, one profile: median {statistics.median(one):.3f} s over {len(one)} runs (target ≤ 0.5 s)")
    print(f"check, 100 profiles in one call: median {statistics.median(hundred):.3f} s (target ≤ 3 s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
