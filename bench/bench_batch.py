"""How much does `autofill batch --workers 4` gain over one client after another, and at what memory?

8 clients — the 6 example profiles and 2 synthetic people cloned from them (made-up names, ID numbers
with a valid check digit) — filled and submitted on the replica (`--solver replica --submit --yes`), once
with `--workers 1`, once with `--workers 4`, and — for reference, the way one files without `batch` —
as 8 `autofill run`s one after another (each its own Python, driver and Chromium), against one replica
(`autofill mock serve`, its own process). Each run starts from an empty replica (accounts seeded again
through the QA API), an empty AUTOFILL_HOME (no saved login) and an empty run folder, and must end with
exit 0, every client submitted.

Measured:
- wall time of the whole `python -m autofill batch …` process (start to exit), time.perf_counter;
- CPU seconds the whole machine was busy meanwhile (/proc/stat: every process, Chromium's included —
  run it on an otherwise idle machine), and the replica's own share, so the ratio can be read against
  what the cores allow;
- peak memory of the whole process tree every ~200 ms: the batch, its Playwright driver and every
  Chromium process (the batch's descendants, and whatever carried its marker in the environment), as the
  sum of RSS (what the issue asks; counts shared pages once per process, so it overstates) and, every
  ~2 s (it costs the kernel a walk of every mapping), the sum of PSS (shared pages divided among
  their users: the memory the tree really costs).

Targets (issue 7): ratio (4 workers / 1 worker) ≤ 0.6, peak ≤ 2 GiB. The ratio is judged against
`--workers 1` (the stricter baseline: it already shares one browser start among the 8 clients); the
ratio against the 8 separate runs is printed beside it.
Run: `.venv/bin/python bench/bench_batch.py [WORKERS] [LATENCY]` (default 4 workers, no latency). LATENCY
such as `50-800` makes the replica answer every request after that many milliseconds (its `latency`
fault), as a distant site would: the clients then wait more and compute less, and run better together.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Piliang-Ceshi#8"  # synthetic accounts on the local replica only
MARK = "AUTOFILL_BENCH_MARK"
CLIENTS = 8
TARGET_RATIO = 0.6
TARGET_PEAK = 2 * 1024**3
PAGE = os.sysconf("SC_PAGE_SIZE")
# Measuring takes CPU from what it measures (the 4-worker run has none to spare): an RSS sample of the
# tree costs ~3 ms, a PSS sample ~20 ms; every 0.1 s / 0.5 s took 7 % of a core, this takes 2 %.
SAMPLE_S = 0.2


@dataclass
class Sample:
    """The process tree at one moment."""

    processes: int
    rss: int  # bytes
    pss: int  # bytes


def busy_seconds() -> float:
    """Seconds the machine's CPUs have been busy (not idle, not waiting for I/O) since boot, all added."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


class Tree:
    """The live processes of one batch, summed: every descendant of the batch process (by parent pid:
    Chromium's zygote-born processes rewrite their environment for their titles, so a marker there
    is not enough), and every process that carried the marker when first seen (one that left the
    tree, e.g. a daemonised crash handler). RSS every sample; PSS (smaps_rollup: costly, the kernel walks
    every mapping) only every `pss_every`-th, so that measuring takes little of the CPU the runs use."""

    def __init__(self, root: int, mark: str, pss_every: int = 10) -> None:
        self.root, self.needle = root, f"{MARK}={mark}".encode()
        self.marked: dict[str, bool] = {}
        self.pss_every, self.samples, self.pss = pss_every, 0, 0

    def _marked(self, pid: str) -> bool:
        if pid not in self.marked:
            try:
                self.marked[pid] = self.needle in (Path("/proc") / pid / "environ").read_bytes().split(b"\0")
            except OSError:
                return False  # gone, a zombie, or not ours to read: asked again next time
        return self.marked[pid]

    def pids(self) -> set[str]:
        from tests.batch.procs import descendants

        found = {str(self.root)} | {str(pid) for pid in descendants(self.root)}
        return found | {e.name for e in Path("/proc").iterdir() if e.name.isdigit() and self._marked(e.name)}

    def sample(self) -> Sample:
        count = rss = pss = 0
        with_pss = self.samples % self.pss_every == 0
        self.samples += 1
        for pid in self.pids():
            try:
                pages = int((Path("/proc") / pid / "statm").read_text().split()[1])
                rollup = (Path("/proc") / pid / "smaps_rollup").read_text() if with_pss else ""
            except (OSError, ValueError, IndexError):
                continue  # gone meanwhile (or a zombie)
            count += 1
            rss += pages * PAGE
            pss += next((int(line.split()[1]) * 1024 for line in rollup.splitlines() if line.startswith("Pss:")), 0)
        if with_pss:
            self.pss = pss
        return Sample(count, rss, self.pss)


@dataclass
class Measured:
    """One batch run."""

    name: str  # what ran: `batch --workers 4`, `run × 8`
    seconds: float
    peak_rss: int
    peak_pss: int
    peak_processes: int
    cpu: float  # seconds the machine's CPUs were busy during the run (all of them together)
    replica_cpu: float  # user + system seconds of the replica meanwhile
    measuring_cpu: float  # user + system seconds of this benchmark meanwhile (its sampling)


class Replica:
    """`autofill mock serve --port 0` in its own process (so the clients it serves do not share the
    benchmark's interpreter), with its QA API."""

    def __init__(self, work: Path, latency: str = "") -> None:
        command = [sys.executable, "-m", "autofill", "mock", "serve", "--port", "0"]
        command += ["--faults", f"latency={latency}"] if latency else []
        self.proc = subprocess.Popen(command, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.proc.stdout is not None
        banner = self.proc.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", banner)
        if found is None:
            self.stop()
            raise SystemExit(f"the replica did not start: {banner!r}")
        self.url = f"http://127.0.0.1:{found.group(1)}"

    def qa(self, method: str, path: str, json: Any = None) -> None:
        import httpx

        response = httpx.request(method, self.url + path, json=json, timeout=30)
        if response.status_code >= 400:
            raise SystemExit(f"the replica refused {method} {path}: {response.text}")

    def cpu(self) -> float:
        """User + system seconds the replica has used so far."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def _measure(server: Replica, profiles: list[Path], work: Path, name: str, commands: list[list[str]]) -> Measured:
    """A fresh replica and home, then `commands` run one after another, timed and sampled as one: wall
    time and CPU from the first start to the last exit, peaks over all of them. Each must exit 0."""
    from tests.batch import people

    server.qa("POST", "/__mock__/reset")
    for profile in profiles:
        server.qa("POST", "/__mock__/accounts", json=people.account_json(profile, PASSWORD))
    mark = uuid.uuid4().hex
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOFILL_") or k == "AUTOFILL_BROWSER"}
    env |= {
        "AUTOFILL_HOME": str(work / f"home-{name}"),
        "AUTOFILL_PASSWORD": PASSWORD,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        MARK: mark,
    }
    peak = Sample(0, 0, 0)  # each figure's own maximum
    done = threading.Event()
    tree: Tree | None = None

    def sample() -> None:
        while not done.wait(SAMPLE_S):
            if tree is None:
                continue
            now = tree.sample()
            peak.processes = max(peak.processes, now.processes)
            peak.rss = max(peak.rss, now.rss)
            peak.pss = max(peak.pss, now.pss)

    sampler = threading.Thread(target=sample, daemon=True)
    before, measuring_before = busy_seconds(), time.process_time()
    replica_before = server.cpu()
    started = time.perf_counter()
    sampler.start()
    for command in commands:
        proc = subprocess.Popen(command, env=env, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        tree = Tree(proc.pid, mark)
        output, _ = proc.communicate()
        if proc.returncode != 0:
            done.set()
            text = output.decode("utf-8", "replace")
            raise SystemExit(f"{' '.join(command[2:5])}… ({name}) exited {proc.returncode}:\n{text[-3000:]}")
    seconds = time.perf_counter() - started
    cpu = busy_seconds() - before
    replica_cpu = server.cpu() - replica_before
    measuring_cpu = time.process_time() - measuring_before
    done.set()
    sampler.join()
    return Measured(name, seconds, peak.rss, peak.pss, peak.processes, cpu, replica_cpu, measuring_cpu)


def run_batch(server: Replica, profiles: list[Path], folder: Path, workers: int, work: Path) -> Measured:
    """`autofill batch --workers N` over the folder; every client must end submitted."""
    out = work / f"runs-{workers}"
    command = [sys.executable, "-m", "autofill", "batch", str(folder), "--workers", str(workers)]
    command += ["--submit", "--yes", "--solver", "replica", "--url", server.url, "--out", str(out)]
    measured = _measure(server, profiles, work, f"batch --workers {workers}", [command])
    summary = json.loads(next(out.glob("batch-*/summary.json")).read_text(encoding="utf-8"))
    outcomes = [c["outcome"] for c in summary["clients"]]
    if outcomes != ["submitted"] * len(profiles):
        raise SystemExit(f"not every client was submitted with --workers {workers}: {outcomes}")
    return measured


def run_each(server: Replica, profiles: list[Path], work: Path) -> Measured:
    """`autofill run PROFILE --submit --yes` for each profile, one after another: filing without `batch`
    (each run starts its own Python, Playwright driver and Chromium); every one must end submitted."""
    out = work / "runs-each"
    site = ["--solver", "replica", "--url", server.url, "--out", str(out)]
    commands = [[sys.executable, "-m", "autofill", "run", str(p), "--submit", "--yes", *site] for p in profiles]
    measured = _measure(server, profiles, work, "run × 8", commands)
    outcomes = [json.loads(r.read_text(encoding="utf-8"))["outcome"] for r in out.glob("*/report.json")]
    if outcomes != ["submitted"] * len(profiles):
        raise SystemExit(f"not every `autofill run` submitted: {outcomes}")
    return measured


def mib(n: int) -> str:
    return f"{n / 1024**2:.0f} MiB"


def describe(m: Measured) -> str:
    """One run's figures on one line."""
    return (
        f"{m.name + ':':<20} {m.seconds:6.1f} s   CPU busy {m.cpu:5.1f} s (replica {m.replica_cpu:4.1f} s,"
        f" measuring {m.measuring_cpu:3.1f} s)"
        f"   peak RSS {mib(m.peak_rss)}, PSS {mib(m.peak_pss)} ({m.peak_processes} processes at most)"
    )


def main() -> int:
    workers = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    latency = sys.argv[2] if len(sys.argv) > 2 else ""
    sys.path.insert(0, str(ROOT))
    from tests.batch import people

    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        work = Path(tmp)
        folder = work / "profiles"
        profiles = people.copy_examples(folder)
        profiles += [people.clone(name, folder, 90 + n) for n, name in enumerate(("scope1", "scope4"))]
        assert len(profiles) == CLIENTS, profiles
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
        delay = f"latency {latency} ms per request" if latency else "no latency"
        print(
            f"{CLIENTS} clients, {os.cpu_count()} CPU(s), load average {load}; each run from an empty replica, {delay}"
        )
        server = Replica(work, latency)
        try:
            one = run_batch(server, profiles, folder, 1, work)
            print(describe(one), flush=True)
            many = run_batch(server, profiles, folder, workers, work)
            print(describe(many), flush=True)
            each = run_each(server, profiles, work)
            print(describe(each), flush=True)
        finally:
            server.stop()
    ratio = many.seconds / one.seconds
    peak = max(one.peak_rss, many.peak_rss, each.peak_rss)
    floor = many.cpu / (os.cpu_count() or 1) / one.seconds
    print(f"ratio {workers} workers / 1 worker: {ratio:.2f} (target ≤ {TARGET_RATIO})")
    print(f"  (the CPU the parallel run needed, spread over every core, allows a ratio of {floor:.2f} at best;")
    print(f"   one client after another kept {one.cpu / one.seconds:.2f} of {os.cpu_count()} cores busy)")
    print(
        f"  (against {CLIENTS} `autofill run`s one after another, each starting its own browser: "
        f"{many.seconds / each.seconds:.2f})"
    )
    print(f"peak memory of the process tree: RSS {mib(peak)} (target ≤ {mib(TARGET_PEAK)}), PSS {mib(many.peak_pss)}")
    print("load average at the end: " + " ".join(f"{x:.1f}" for x in os.getloadavg()))
    ok = ratio <= TARGET_RATIO and peak <= TARGET_PEAK
    print("targets met" if ok else "targets NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
