"""Fixtures for `autofill batch` tests: one replica for the package, and the batch as a real subprocess.

The replica (`ausm_replica.testing.ReplicaServer`) runs in this process, in a thread, emptied before
each test. A small ASGI tap in front of it lets a test act at an exact request — answer it with the
site's busy error, move the replica's clock (every session expires), or run something just after the
replica has stored a save and before the browser hears back (kill the batch there). Every wait in
these tests is for a condition (a line printed, a request seen, a process gone), never a fixed time.

`autofill batch` itself runs as `python -m autofill batch …` in a new session (its own process group),
with its own AUTOFILL_HOME, no system keyring, the password from AUTOFILL_PASSWORD, and a marker in
its environment: every process it starts (workers, Playwright drivers, Chromium) inherits the marker,
so a test can tell whether any of them outlived the batch. Its stdout is read line by line as it comes.
"""

from __future__ import annotations

import asyncio
import codecs
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from autofill.profile.load import load_profile
from autofill.profile.model import Profile
from tests.asgi import send_json
from tests.batch import people
from tests.batch.procs import marked
from tests.e2e.records import differences, row_ids

if TYPE_CHECKING:
    from ausm_replica.clock import Clock
    from ausm_replica.testing import ReplicaServer

PASSWORD = "Pi1iang-Mima#7"  # the synthetic accounts' password on the local replica only
MARK = "AUTOFILL_BATCH_TEST_MARK"
Answer = tuple[int, dict[str, Any]]
Rule = Callable[[str, str], Answer | None]
After = Callable[[str, str, int], None]
SESSION_COOKIE = b"AUSMSESSION"
BUSY = (500, {"message": "系统繁忙，请稍后再试", "field": None})  # the replica's own words for an injected fault


class Tap:
    """What the tap does: rules run before a request (an answer replaces the replica's), watchers run
    after the replica has answered and before the answer leaves (the save is stored by then)."""

    def __init__(self) -> None:
        self.rules: list[Rule] = []
        self.after: list[After] = []
        self.lock = threading.Lock()
        self.watch_sessions: list[tuple[str, set[str]]] = []
        self.slow: dict[tuple[str, str], float] = {}  # (method, path) → seconds the answer is held back
        self.captcha: str | None = None  # when set: every new login captcha is this text
        self.set_captcha: Callable[[str, str], None] = lambda sid, text: None

    def clear(self) -> None:
        with self.lock:
            self.rules.clear()
            self.after.clear()
            self.watch_sessions.clear()
            self.slow.clear()
            self.captcha = None

    def sessions_asking(self, path: str) -> set[str]:
        """The session ids that have requested `path` (updated as they come)."""
        sessions: set[str] = set()
        self.watch_sessions.append((path, sessions))
        return sessions

    def busy(self, method: str, path: str, times: int) -> list[int]:
        """Answer the first `times` `method path` requests with 系统繁忙; returns the list of hits."""
        hits: list[int] = []

        def rule(m: str, p: str) -> Answer | None:
            if m == method and p == path and len(hits) < times:
                hits.append(1)
                return BUSY
            return None

        self.rules.append(rule)
        return hits

    def refuse(self, method: str, path: str, status: int, message: str, field: str | None = None) -> list[int]:
        """Answer every `method path` request with the site's refusal `{"message", "field"}`; returns the
        list of hits."""
        hits: list[int] = []

        def rule(m: str, p: str) -> Answer | None:
            if m == method and p == path:
                hits.append(1)
                return status, {"message": message, "field": field}
            return None

        self.rules.append(rule)
        return hits

    def on_saves(self, every: int, act: Callable[[], None]) -> list[int]:
        """Call `act` at every `every`-th record save (PUT/POST/DELETE under /api/record); returns the
        list of saves counted."""
        saves: list[int] = []

        def rule(m: str, p: str) -> Answer | None:
            if m in ("PUT", "POST", "DELETE") and p.startswith("/api/record"):
                saves.append(1)
                if len(saves) % every == 0:
                    act()
            return None

        self.rules.append(rule)
        return saves

    def when_stored(self, method: str, prefix: str, act: Callable[[], None], nth: int = 1) -> list[int]:
        """Call `act` once, when the `nth` successful `method <prefix>…` has been stored; returns the list
        of such requests seen."""
        seen: list[int] = []

        def watcher(m: str, p: str, status: int) -> None:
            if m == method and p.startswith(prefix) and status < 300:
                seen.append(1)
                if len(seen) == nth:
                    act()

        self.after.append(watcher)
        return seen

    def before(self, method: str, path: str) -> Answer | None:
        with self.lock:
            rules = list(self.rules)
        for rule in rules:
            answer = rule(method, path)
            if answer is not None:
                return answer
        return None

    def answered(self, method: str, path: str, status: int) -> None:
        with self.lock:
            watchers = list(self.after)
        for watcher in watchers:
            watcher(method, path, status)


class _TapApp:
    """A plain ASGI wrapper around the replica."""

    def __init__(self, app: Any, tap: Tap) -> None:
        self.app, self.tap = app, tap

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/__mock__/"):
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        delay = self.tap.slow.get((method, path))
        if delay:
            await asyncio.sleep(delay)  # a slow endpoint, as the replica's own latency fault would be
        answer = self.tap.before(method, path)
        if answer is not None:
            await send_json(send, *answer)
            return

        async def tapped_send(message: Any) -> None:
            if message["type"] == "http.response.start":
                sid = _session_id(scope["headers"], message.get("headers", []))
                if sid and path == "/api/captcha" and self.tap.captcha is not None:
                    self.tap.set_captcha(sid, self.tap.captcha)
                for watched, sessions in self.tap.watch_sessions:
                    if sid and path == watched:
                        sessions.add(sid)
                self.tap.answered(method, path, int(message["status"]))
            await send(message)

        await self.app(scope, receive, tapped_send)


def _session_id(request: list[tuple[bytes, bytes]], response: list[tuple[bytes, bytes]]) -> str | None:
    """The session cookie's value: the one the answer sets, else the one the request sent."""
    for name, value in response:
        if name.lower() == b"set-cookie" and value.startswith(SESSION_COOKIE + b"="):
            return value.split(b";")[0].split(b"=", 1)[1].decode()
    for name, value in request:
        if name.lower() == b"cookie":
            for part in value.split(b";"):
                key, _, found = part.strip().partition(b"=")
                if key == SESSION_COOKIE:
                    return found.decode()
    return None


@dataclass
class Replica:
    """The package's replica, its tap and its clock."""

    server: ReplicaServer
    tap: Tap
    clock: Clock
    defaults: dict[str, Any]


@pytest.fixture(scope="package")
def replica() -> Iterator[Replica]:
    """The replica (national layout), started once for the batch tests."""
    from ausm_replica.clock import Clock
    from ausm_replica.testing import ReplicaServer

    clock, tap = Clock(), Tap()
    server = ReplicaServer(layout="national", clock=clock)
    server.app.add_middleware(_TapApp, tap=tap)
    server.start()
    tap.set_captcha = server.replica.store.set_captcha
    try:
        yield Replica(server, tap, clock, server.qa("GET", "/__mock__/config"))
    finally:
        server.stop()


# ----------------------------------------------------------------------------- the batch subprocess


def survivors(mark: str) -> list[str]:
    """Live processes (not zombies) whose environment carries `mark`: `pid name` each."""
    found = []
    for entry in marked(MARK, mark):
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone meanwhile, or not ours to read
            continue
        name, state = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2]
        if state not in "ZX":
            found.append(f"{entry.name} {name}")
    return found


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    """Wait until `condition()` holds (checked every 50 ms); fails naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"waited {timeout} s for {what}"
        time.sleep(0.05)


def wait_until_gone(mark: str, timeout: float = 20.0) -> list[str]:
    """Wait until no process carries `mark` (they are dying: SIGKILL is asynchronous); what is left."""
    deadline = time.monotonic() + timeout
    left = survivors(mark)
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = survivors(mark)
    return left


Event = tuple[str, str]  # ("line", a complete stdout line) or ("prompt", text waiting without a newline)


@dataclass
class BatchRun:
    """One `autofill batch` subprocess and what it printed."""

    proc: subprocess.Popen[bytes]
    mark: str
    out: Path
    events: queue.Queue[Event | None] = field(default_factory=queue.Queue)
    stdout: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)
    readers: list[threading.Thread] = field(default_factory=list)

    def start_reading(self) -> None:
        def pump(stream: Any, into: list[str], events: queue.Queue[Event | None] | None) -> None:
            decode = codecs.getincrementaldecoder("utf-8")(errors="replace").decode
            tail = ""
            while chunk := stream.read1(65536):
                *lines, tail = (tail + decode(chunk)).split("\n")
                for line in lines:
                    into.append(line + "\n")
                    if events is not None:
                        events.put(("line", line))
                if tail and events is not None:
                    events.put(("prompt", tail))  # `input()` asks without a newline
            tail += decode(b"", final=True)
            if tail:
                into.append(tail)
                if events is not None:
                    events.put(("line", tail))
            if events is not None:
                events.put(None)

        self.readers = [
            threading.Thread(target=pump, args=(self.proc.stdout, self.stdout, self.events), daemon=True),
            threading.Thread(target=pump, args=(self.proc.stderr, self.stderr, None), daemon=True),
        ]
        for reader in self.readers:
            reader.start()

    def next_event(self, timeout: float = 120.0) -> Event | None:
        """The next thing printed (None: the batch closed its output); fails after `timeout` seconds."""
        try:
            return self.events.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"nothing printed within {timeout} s; so far:\n{self.output}") from None

    def wait_line(self, wanted: Callable[[str], bool], timeout: float = 120.0) -> str:
        """The first complete stdout line (from now on) for which `wanted` is true; fails when the
        batch ends first."""
        deadline = time.monotonic() + timeout
        while True:
            event = self.next_event(max(0.0, deadline - time.monotonic()))
            if event is None:
                raise AssertionError(f"the batch ended before the line came:\n{self.output}")
            if event[0] == "line" and wanted(event[1]):
                return event[1]

    def queued(self) -> list[Event]:
        """What has been printed but not yet taken by `next_event` (a look, nothing is taken)."""
        with self.events.mutex:
            return [event for event in self.events.queue if event is not None]

    def answer(self, text: str) -> None:
        """Type `text` and Enter at the batch's prompt."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(text.encode() + b"\n")
        self.proc.stdin.flush()

    def finish(self, timeout: float = 300.0) -> int:
        """Wait for the batch to end; its exit code (negative: killed by that signal)."""
        try:
            code = self.proc.wait(timeout=timeout)
        finally:
            for reader in self.readers:
                reader.join(timeout=10)
            for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
                if stream is not None:
                    stream.close()
        return code

    def kill(self) -> int:
        """SIGKILL to the batch process only (not its workers); its exit code."""
        self.proc.kill()
        return self.finish(timeout=60)

    def interrupt_now(self) -> None:
        """Ctrl-C: SIGINT to the batch's whole process group, as a terminal sends it."""
        os.killpg(self.proc.pid, signal.SIGINT)

    @property
    def text(self) -> str:
        return "".join(self.stdout)

    @property
    def output(self) -> str:
        """stdout then stderr."""
        return self.text + "".join(self.stderr)

    def summary(self) -> dict[str, Any]:
        """The newest summary.json under the batch's --out."""
        found = sorted(self.out.glob("batch-*/summary.json"), key=lambda p: p.stat().st_mtime)
        assert found, f"no summary.json under {self.out}:\n{self.output}"
        loaded = json.loads(found[-1].read_text(encoding="utf-8"))
        assert isinstance(loaded, dict)
        return loaded


@dataclass
class Site:
    """The replica for one test and a way to run `autofill batch` against it."""

    replica: Replica
    tmp: Path
    password: str = PASSWORD
    runs: list[BatchRun] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.replica.server.url

    @property
    def tap(self) -> Tap:
        return self.replica.tap

    @property
    def home(self) -> Path:
        return self.tmp / "home"

    @property
    def out(self) -> Path:
        return self.tmp / "runs"

    def qa(self, method: str, path: str, json: Any = None) -> Any:
        return self.replica.server.qa(method, path, json=json)

    def faults(self, spec: str, seed: int) -> None:
        """Inject faults from now on (the fault sequence restarts from `seed`)."""
        self.qa("POST", "/__mock__/config", json={"faults": spec, "seed": seed})

    def expire_sessions(self) -> None:
        """Move the replica's clock past every session's lifetime (called from the tap, in the server's
        event loop: no HTTP call to itself)."""
        self.replica.clock.advance(int(self.replica.server.replica.ttl) + 1)

    def seed(self, *profiles: Path, password: str | None = None, verified: bool | None = None) -> None:
        """Register each profile's account (verified unless it brings 实名认证 pictures, or as told)."""
        for path in profiles:
            body = people.account_json(path, password or self.password, verified)
            self.qa("POST", "/__mock__/accounts", json=body)

    def record(self, id_number: str) -> dict[str, Any]:
        found = self.qa("GET", f"/__mock__/records/{id_number}")
        assert isinstance(found, dict)
        return found

    def mismatches(self, path: Path) -> list[str]:
        """Where the stored record of `path`'s person differs from the profile (rows included: an extra
        or a missing row is a difference)."""
        profile = load(path)
        record = self.record(profile.account.id_number)
        found = [str(d) for d in differences(record, profile, path.parent)]
        rows = {table: len(ids) for table, ids in row_ids(record).items()}
        wanted = {
            "education": len(profile.education),
            "work": len(profile.work),
            "qualifications.accounting": len(profile.qualifications.accounting),
            "qualifications.other": len(profile.qualifications.other),
        }
        if rows != wanted:
            found.append(f"rows: site {rows}, profile {wanted}")
        return found

    def env(self, mark: str) -> dict[str, str]:
        """The batch's environment: this one without AUTOFILL_*, plus its own home, the password, no
        system keyring, and the marker its processes inherit."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AUTOFILL_", "PYTEST_", "FORCE_COLOR"))}
        env.update(
            AUTOFILL_HOME=str(self.home),
            AUTOFILL_PASSWORD=self.password,
            PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",  # never the machine's keyring
            PYTHONUNBUFFERED="1",
        )
        env[MARK] = mark
        return env

    def command(self, *args: str | Path, solver: str = "replica") -> list[str]:
        """`python -m autofill batch ARGS --url <replica> --solver SOLVER --out <tmp>/runs`."""
        words = [str(a) for a in args]
        return [sys.executable, "-m", "autofill", "batch", *words, "--url", self.url, "--solver", solver,
                "--out", str(self.out)]  # fmt: skip

    def start(self, *args: str | Path, solver: str = "replica") -> BatchRun:
        """`autofill batch ARGS --url <replica> --solver SOLVER --out <tmp>/runs` started; read it as it
        runs. With the `person` solver the batch's stdin is a pipe the test types into (`BatchRun.answer`)."""
        mark = uuid.uuid4().hex
        env = self.env(mark)
        proc = subprocess.Popen(
            self.command(*args, solver=solver),
            cwd=self.tmp,
            env=env,
            stdin=subprocess.PIPE if solver == "person" else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        run = BatchRun(proc, mark, self.out)
        run.start_reading()
        self.runs.append(run)
        return run

    def batch(self, *args: str | Path, timeout: float = 300.0) -> tuple[int, BatchRun]:
        """Run `autofill batch ARGS` to the end: (exit code, the run)."""
        run = self.start(*args)
        return run.finish(timeout), run


def load(path: Path) -> Profile:
    """A profile file as the tool reads it."""
    loaded = load_profile(path)
    assert loaded.profile is not None, loaded.findings
    return loaded.profile


def step_line(label: str, step: str) -> Callable[[str], bool]:
    """Matches the progress line `[<label>] <step>` of one client (plain output, one line per event; it
    may follow an answered prompt on the same line)."""
    return lambda line: line.rstrip().endswith(f"[{label}] {step}")


@pytest.fixture
def site(replica: Replica, tmp_path: Path) -> Iterator[Site]:
    """An empty replica without faults, default session lifetime, a clean tap; a private AUTOFILL_HOME.
    Afterwards: no batch is left running, and none of its processes survived."""
    replica.tap.clear()
    replica.server.reset()
    replica.server.qa(
        "POST", "/__mock__/config", json={"faults": "", "seed": 0, "session_ttl": replica.defaults["session_ttl"]}
    )
    made = Site(replica, tmp_path)
    try:
        yield made
    finally:
        replica.tap.clear()
        for run in made.runs:
            if run.proc.poll() is None:
                os.killpg(run.proc.pid, signal.SIGKILL)
                run.finish(timeout=30)
            left = wait_until_gone(run.mark)
            assert left == [], f"processes of the batch still running: {left}"
