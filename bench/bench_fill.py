"""How fast does the driver fill the scope-1 example on the replica? Prints the median seconds of N fills.

Each fill starts from an empty replica (`POST /__mock__/reset`), seeds the example's account through the QA
API and calls `autofill.driver.drive` headless to the review gate (no submit), the captcha read from the QA
API, with a fresh AUTOFILL_HOME (no saved login) and run folder, as a first run for a new client would.

How it is measured (time.perf_counter, nothing in the driver changed — two of its names are wrapped here):
- fill: from the moment `browser_context` hands the driver its page (the browser is up; the driver's next
  calls are tracing.start and page.goto) to the moment the driver reaches the review gate (`_at_the_end`
  is entered). Browser start and shutdown and the report writing are outside it.
- total: the whole `drive()` call (browser start, fill, screenshots, report, browser close).
- per step: from one step handler's start to the next one's (or to the gate): filling and saving a step.

Target (issue 6): the scope-1 fill takes a few seconds headless, not tens.
Run: `.venv/bin/python bench/bench_fill.py [N]` (default 5).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "profiles" / "examples" / "scope1.yaml"
PASSWORD = "Ce5hi-Mima#2024"  # a synthetic account on the local replica only


class Marks:
    """The instants of one fill."""

    def __init__(self) -> None:
        self.ready = 0.0
        self.gate = 0.0
        self.steps: list[tuple[str, float]] = []

    def step_times(self) -> dict[str, float]:
        ends = [t for _, t in self.steps[1:]] + [self.gate]
        return {name: end - start for (name, start), end in zip(self.steps, ends, strict=True)}


def instrument(marks: list[Marks]) -> None:
    """Wrap the driver's browser_context, _at_the_end and step handlers to note the instants."""
    from autofill import driver

    for name in ("browser_context", "_at_the_end", "HANDLERS"):
        if not hasattr(driver, name):
            raise SystemExit(f"autofill.driver has no {name} any more: update bench/bench_fill.py")
    browser_context = driver.browser_context
    at_the_end = driver._at_the_end

    @contextmanager
    def timed_context(*args: Any, **kwargs: Any) -> Iterator[Any]:
        with browser_context(*args, **kwargs) as ready:
            marks[-1].ready = time.perf_counter()
            yield ready

    def timed_end(*args: Any, **kwargs: Any) -> None:
        marks[-1].gate = time.perf_counter()
        at_the_end(*args, **kwargs)

    def timed_handler(title: str, handler: Callable[[Any], None]) -> Callable[[Any], None]:
        def run(step: Any) -> None:
            marks[-1].steps.append((str(getattr(step, "title", title)), time.perf_counter()))
            handler(step)

        return run

    driver.browser_context = timed_context
    driver._at_the_end = timed_end
    for key, handler in list(driver.HANDLERS.items()):
        driver.HANDLERS[key] = timed_handler(key, handler)


def main(runs: int = 5) -> None:
    sys.path.insert(0, str(ROOT / "fixtures" / "mock_site"))
    from ausm_replica.testing import ReplicaServer

    from autofill.driver import Options, drive
    from autofill.human import replica_humans
    from autofill.mock.accounts import account_body
    from autofill.pack import load_pack
    from autofill.runner import checked_plan

    marks: list[Marks] = []
    instrument(marks)
    pack = load_pack()
    plan = checked_plan(PROFILE, pack)
    account = plan.profile.account
    totals: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, ReplicaServer() as replica:
        for n in range(runs):
            replica.reset()
            replica.qa("POST", "/__mock__/accounts", json=account_body(account, PASSWORD, verified=True))
            os.environ["AUTOFILL_HOME"] = str(Path(tmp) / f"home{n}")
            opts = Options(url=replica.url, humans=replica_humans(replica.url), out=Path(tmp) / "runs")
            marks.append(Marks())
            start = time.perf_counter()
            outcome = drive(plan, pack, PASSWORD, opts, profile_name=PROFILE.name)
            totals.append(time.perf_counter() - start)
            if outcome.error is not None or outcome.report.outcome != "stopped_for_review":
                raise SystemExit(f"fill {n + 1} did not reach the gate: {outcome.error and outcome.error.render()}")
            fill = marks[-1].gate - marks[-1].ready
            print(f"fill {n + 1}/{runs}: {fill:.2f} s (total {totals[-1]:.2f} s)", flush=True)
    fills = [m.gate - m.ready for m in marks]
    print(f"scope-1 fill (browser ready → review gate): median {statistics.median(fills):.2f} s over {runs} runs")
    print(
        "scope-1 run (drive() in full: browser start/close and report included): "
        f"median {statistics.median(totals):.2f} s"
    )
    per_step: dict[str, list[float]] = {}
    for m in marks:
        for name, seconds in m.step_times().items():
            per_step.setdefault(name, []).append(seconds)
    for name, values in per_step.items():
        print(f"  step {name}: median {statistics.median(values):.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
