"""Fixtures for the driver's end-to-end tests (`tests/e2e/test_run_*.py`): the replica, one per layout.

Each layout's replica starts once per test session (on a free port, in a thread) and is emptied before
every test that asks for `site`. Every such test gets its own `AUTOFILL_HOME` (saved login state never
leaks between tests or into ~/.autofill), its own run folder and no system keyring, so the password
comes from `AUTOFILL_PASSWORD` as it would in CI.

The replica is wrapped in a small ASGI hook so a test can act at an exact request: move the replica's
clock when a given save arrives (a session that expires mid-run), or answer a given save with a
refusal of its own (a page rejection on one row). No test waits on a timer.

A sync Playwright holds its thread while it is open. The driver (and `autofill` commands) open their
own, so they run here on a worker thread, and `playwright` (pytest-playwright's, used by
test_certificate.py) lives for one module instead of the whole session.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import keyring
import pytest
import yaml
from keyring.backends import fail
from typer.testing import CliRunner, Result

from autofill.browser import launch_options
from autofill.cli import app
from autofill.mock.accounts import account_body
from autofill.profile.load import load_profile
from autofill.profile.model import Profile
from tests.asgi import send_json

if TYPE_CHECKING:
    from ausm_replica.clock import Clock
    from ausm_replica.testing import ReplicaServer
    from playwright.sync_api import Browser, Page, Playwright

    from autofill.driver import Options, Outcome

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "profiles" / "examples"
LAYOUTS = ("national", "legacy")
PASSWORD = "Ce5hi-Mima#2024"  # a synthetic account on the local replica only
# A request the hook answers instead of the replica: (status, JSON body).
Answer = tuple[int, dict[str, Any]]
Rule = Callable[[str, str], Answer | None]
T = TypeVar("T")


class Hooks:
    """What the replica's hook does: remember every request, and run the test's rules before each."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []  # the site's traffic: (method, path), QA API calls left out
        self.rules: list[Rule] = []

    def clear(self) -> None:
        self.seen.clear()
        self.rules.clear()

    def before(self, method: str, path: str) -> Answer | None:
        if not path.startswith("/__mock__/"):
            self.seen.append((method, path))
        for rule in self.rules:
            answer = rule(method, path)
            if answer is not None:
                return answer
        return None

    def once(self, method: str, path: str, act: Callable[[], Answer | None]) -> list[int]:
        """Run `act` at the first `method path` request (its answer, if any, replaces the replica's);
        returns a list that gets one entry when it has run."""
        fired: list[int] = []

        def rule(m: str, p: str) -> Answer | None:
            if fired or m != method or p != path:
                return None
            fired.append(1)
            return act()

        self.rules.append(rule)
        return fired


class _HookApp:
    """A plain ASGI wrapper: the hook sees every HTTP request before the replica does."""

    def __init__(self, app: Any, hooks: Hooks) -> None:
        self.app, self.hooks = app, hooks

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            answer = self.hooks.before(scope["method"], scope["path"])
            if answer is not None:
                await send_json(send, *answer)
                return
        await self.app(scope, receive, send)


@dataclass
class Replica:
    """One running replica (one layout), its hook and its clock."""

    server: ReplicaServer
    hooks: Hooks
    clock: Clock
    defaults: dict[str, Any]


class Replicas:
    """The replicas of this test session, started on first use."""

    def __init__(self) -> None:
        self.running: dict[str, Replica] = {}

    def get(self, layout: str) -> Replica:
        if layout not in self.running:
            from ausm_replica.clock import Clock
            from ausm_replica.testing import ReplicaServer

            clock, hooks = Clock(), Hooks()
            server = ReplicaServer(layout=layout, clock=clock)
            server.app.add_middleware(_HookApp, hooks=hooks)  # before the first request builds the stack
            server.start()
            defaults = server.qa("GET", "/__mock__/config")
            self.running[layout] = Replica(server, hooks, clock, defaults)
        return self.running[layout]

    def stop(self) -> None:
        for replica in self.running.values():
            replica.server.stop()
        self.running.clear()


@dataclass
class Ran:
    """One `autofill` command: its result, and for `run` the run folder it wrote."""

    result: Result
    run_dir: Path | None = None

    @property
    def exit_code(self) -> int:
        return int(self.result.exit_code)

    @property
    def output(self) -> str:
        """stdout and stderr as the person saw them."""
        return self.result.output

    @property
    def report(self) -> dict[str, Any]:
        assert self.run_dir is not None, self.output
        loaded = json.loads((self.run_dir / "report.json").read_text(encoding="utf-8"))
        assert isinstance(loaded, dict)
        return loaded

    def changes(self) -> list[dict[str, Any]]:
        """The report's comparison lines where the run changed something."""
        return [line for line in self.report["comparison"] if line["action"] not in ("unchanged", "mismatch")]


@dataclass
class Site:
    """The replica for one test: its QA API, the hook, and ways to run the tool against it."""

    replica: Replica
    out: Path
    password: str = PASSWORD

    @property
    def url(self) -> str:
        return self.replica.server.url

    @property
    def hooks(self) -> Hooks:
        return self.replica.hooks

    def qa(self, method: str, path: str, json: Any = None) -> Any:
        return self.replica.server.qa(method, path, json=json)

    def expire_sessions(self) -> None:
        """Move the replica's clock past every session's lifetime. Reads the lifetime in-process: this is
        called from the hook, on the server's own event loop, which must not wait on an HTTP call to itself."""
        self.replica.clock.advance(int(self.replica.server.replica.ttl) + 1)

    def seed(self, profile: Path) -> Profile:
        """The profile's account as if registered; verified unless the profile brings 线上实名认证 pictures."""
        person = load(profile)
        account = person.account
        self.qa(
            "POST", "/__mock__/accounts", json=account_body(account, self.password, verified=person.realname is None)
        )
        return person

    def record(self, id_number: str) -> dict[str, Any]:
        found = self.qa("GET", f"/__mock__/records/{id_number}")
        assert isinstance(found, dict)
        return found

    def cli(self, *args: str | Path, password: str | None = None, typed: str | None = None) -> Ran:
        """`autofill ARGS` in-process (in a worker thread, see the module's note), password from the
        environment, `--url` and `--solver replica` added for the commands that open the site."""
        words = [str(a) for a in args]
        if words and words[0] in ("run", "status", "register"):
            words += ["--url", self.url, "--solver", "replica"]
        if words and words[0] == "run":
            words += ["--out", str(self.out)]
        before = set(self.out.iterdir()) if self.out.is_dir() else set()
        env = {"AUTOFILL_PASSWORD": self.password if password is None else password}
        result = in_thread(lambda: CliRunner().invoke(app, words, env=env, input=typed))
        new = sorted(set(self.out.iterdir()) - before) if self.out.is_dir() else []
        assert len(new) <= 1, new
        return Ran(result, new[0] if new else None)

    def run(self, profile: Path, *flags: str, password: str | None = None, typed: str | None = None) -> Ran:
        """`autofill run PROFILE FLAGS` against this replica (`typed`: what the person types, stdin)."""
        return self.cli("run", profile, *flags, password=password, typed=typed)

    def drive(self, profile: Path, **options: Any) -> Outcome:
        """`autofill.driver.drive` directly (for the Outcome object), as `autofill run` would call it."""
        from autofill.driver import Options, drive
        from autofill.human import replica_humans
        from autofill.pack import load_pack
        from autofill.runner import checked_plan

        pack = load_pack()
        plan = checked_plan(profile, pack)
        opts: Options = Options(url=self.url, humans=replica_humans(self.url), out=self.out, **options)
        return in_thread(lambda: drive(plan, pack, self.password, opts, profile_name=profile.name))


def in_thread(work: Callable[[], T]) -> T:
    """`work()` on a fresh thread (its own sync Playwright), re-raising what it raised."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="driver") as pool:
        return pool.submit(work).result()


def load(profile: Path) -> Profile:
    """A profile file as the tool reads it."""
    loaded = load_profile(profile)
    assert loaded.profile is not None, loaded.findings
    return loaded.profile


@dataclass
class Examples:
    """A writable copy of profiles/examples (with its pictures) for tests that edit a profile."""

    root: Path

    def path(self, name: str) -> Path:
        return self.root / f"{name}.yaml"

    def variant(self, name: str, change: Callable[[dict[str, Any]], None], out: str = "variant") -> Path:
        """The example `name` with `change` applied, saved beside the same pictures."""
        data = yaml.safe_load(self.path(name).read_text(encoding="utf-8"))
        change(data)
        target = self.root / f"{out}.yaml"
        target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return target


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    """pytest-playwright's `playwright`, but one per module here: a sync Playwright holds its thread for
    as long as it is open, so a session-wide one (the plugin's) left open by one module would stop every
    later module's own sync Playwright (the driver's, `autofill selectors verify`'s) on the main thread."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as started:
        yield started


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """One Chromium for the module (on its `playwright`), launched as the tool launches it."""
    launched = playwright.chromium.launch(**launch_options(headless=True))  # type: ignore[arg-type]
    yield launched
    launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A blank page in the module's Chromium, for tests that set their own content."""
    opened = browser.new_page()
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def replicas() -> Iterator[Replicas]:
    """Every layout's replica, started when first needed, stopped at the end of the session."""
    started = Replicas()
    yield started
    started.stop()


@pytest.fixture
def layout() -> str:
    """The wizard layout under test (tests parametrize it)."""
    return "national"


@pytest.fixture
def site(replicas: Replicas, layout: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    """An empty replica in `layout` with default settings, and a private AUTOFILL_HOME and run folder."""
    replica = replicas.get(layout)
    replica.hooks.clear()
    replica.server.reset()
    replica.server.qa(
        "POST",
        "/__mock__/config",
        json={"layout": layout, "faults": "", "session_ttl": replica.defaults["session_ttl"]},
    )
    home = tmp_path / "home"
    monkeypatch.setenv("AUTOFILL_HOME", str(home))
    monkeypatch.delenv("AUTOFILL_PASSWORD", raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    try:
        yield Site(replica, tmp_path / "runs")
    finally:
        keyring.set_keyring(previous)
        replica.hooks.clear()


@pytest.fixture
def examples(tmp_path: Path) -> Examples:
    """profiles/examples copied into the test's folder."""
    root = tmp_path / "examples"
    shutil.copytree(EXAMPLES, root)
    return Examples(root)


# ---- what a run folder and the command's output may never hold ---------------------------------


def secrets_of(profile: Profile, password: str) -> dict[str, str]:
    """The strings that must never be written in full: ID number, mobile, password."""
    return {
        "id number": profile.account.id_number,
        "mobile": profile.account.mobile,
        "password": password,
    }


def leaks(text: str, secrets: dict[str, str]) -> list[str]:
    """Which secrets appear in `text` (an ID number in either case of its check letter)."""
    return [
        what
        for what, value in secrets.items()
        if re.search(re.escape(value), text, flags=re.IGNORECASE if what == "id number" else 0)
    ]


def folder_texts(folder: Path) -> Iterator[tuple[str, str]]:
    """(name, text) of every file in a run folder, the members of trace.zip included, read as Latin-1:
    the secrets are ASCII, so they are found in text and binary files alike."""
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    yield f"{path.name}:{member}", archive.read(member).decode("latin-1")
        else:
            yield path.name, path.read_bytes().decode("latin-1")


def assert_private_run_folder(run_dir: Path, secrets: dict[str, str]) -> None:
    """The run folder is 0700, holds the report (JSON + HTML) and the log, and no full secret."""
    assert run_dir.is_dir()
    if os.name == "posix":
        assert run_dir.stat().st_mode & 0o777 == 0o700, oct(run_dir.stat().st_mode)
    for name in ("report.json", "report.html", "run.log"):
        assert (run_dir / name).is_file(), f"{name} missing in {sorted(p.name for p in run_dir.iterdir())}"
    found = {name: leaks(text, secrets) for name, text in folder_texts(run_dir)}
    assert {name: what for name, what in found.items() if what} == {}
