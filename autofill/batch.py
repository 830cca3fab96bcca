"""`autofill batch`: many clients at once, each in its own browser context.

- Workers are threads sharing one Playwright driver and one browser (`autofill.blocking`): a client
  costs a browser context (its renderer), not a browser and a driver of its own. One client's failure
  or bug never touches another; a browser (or driver) that dies is started again and the clients it
  took down are tried again. Ctrl-C stops every client where it is, each writes its report, then the browser
  closes. A killed batch takes its driver and browser with it (they end when their pipe closes).
- Human steps (captcha, SMS code, Alipay QR) are sent to the main thread, which shows them one at
  a time, naming the client by masked name and ID, while the other clients keep working. With no
  terminal (input closed: cron, nohup, CI) each human step fails its client at once, with a clear
  message; the other clients go on. A captcha the site refused is said (its words) before that client's
  next picture.
- A person is filled by one process at a time (`autofill.person_lock`, taken by `drive`): a client that
  another batch or `autofill run` is filling fails at once.
- Nothing printed shows a full ID number: every line, row and message is redacted with the batch's
  secrets (passwords, ID and mobile numbers, the --secrets file, ID-like numbers in file names), and
  the final lines name each client's (masked) profile file too, since masked labels can collide.
- A run that failed transiently (the site stayed busy, the page did not answer) is tried again with
  backoff, a bounded number of times; a value the site refuses is not retried.
- Resuming is running the same command again: every step reads before it writes and table rows are
  reconciled, so a client stopped at any moment is completed with nothing done twice.
- Results: one line per client while running, a summary table at the end, and
  `runs/batch-<time>/summary.json` + `summary.html` linking each client's report.
"""

from __future__ import annotations

import collections
import contextlib
import io
import json
import logging
import os
import queue
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

from autofill.blocking import Interrupt
from autofill.errors import AutofillError
from autofill.human import save_picture
from autofill.masking import id_like, mask_id, mask_mobile, mask_name, redact

log = logging.getLogger("autofill.batch")

ATTEMPTS = 3  # a transiently failed client run is tried this many times in all
BACKOFF_S = 2.0  # … waiting 2 s, then 4 s, between tries
GRACE_S = 20.0  # after Ctrl-C, how long the clients get to write their reports
SUCCESS = ("stopped_for_review", "submitted", "in_review")


# What a batch really uses (PSS, measured by bench/bench_batch.py): its Python, the Playwright driver and
# Chromium with no page open, then each client at once (its browser context's renderer).
BATCH_MEMORY = 600 * 1024**2
CLIENT_MEMORY = 200 * 1024**2


def available_memory(meminfo: Path = Path("/proc/meminfo")) -> int | None:
    """Bytes the system can give without swapping (Linux MemAvailable); None where it cannot say."""
    try:
        line = next(ln for ln in meminfo.read_text().splitlines() if ln.startswith("MemAvailable:"))
        return int(line.split()[1]) * 1024
    except (OSError, StopIteration, ValueError, IndexError):
        return None


def default_workers(cores: int | None = None, memory: int | None = None) -> int:
    """Parallel clients that suit the machine: one per core, as many as the free memory holds
    (about 600 MiB for the browser, 200 MiB per client), at least 1, at most 4."""
    cores = cores if cores is not None else os.cpu_count() or 1
    memory = memory if memory is not None else available_memory()
    fits = (memory - BATCH_MEMORY) // CLIENT_MEMORY if memory is not None else cores
    return max(1, min(4, cores, fits))


@dataclass
class Client:
    """One profile of the batch, as the main thread knows it (the password never leaves memory)."""

    index: int
    profile: Path
    label: str  # masked name + masked ID, for the screen and the summary
    id_number: str = ""
    mobile: str = ""
    password: str = field(default="", repr=False)
    error: str | None = None  # a problem found before any browser opened


@dataclass
class Result:
    """How one client ended."""

    index: int
    label: str
    profile: str
    outcome: str
    status: str = ""
    error: str | None = None
    report: str | None = None  # the client's report.html
    attempts: int = 0
    seconds: float = 0.0
    extra_rows: int = 0  # rows on the site that the profile does not have (e.g. filed twice): to be checked

    @property
    def ok(self) -> bool:
        return self.error is None and self.outcome in SUCCESS

    @property
    def note(self) -> str:
        """What a person must look at even when the client succeeded."""
        if not self.extra_rows:
            return ""
        return (
            f"站点上另有 {self.extra_rows} 行档案中没有的记录，请核对报告 "
            f"({self.extra_rows} row(s) on the site are not in the profile: check the report)"
        )


class _ClientInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped one client: how far it got (its run folder, attempts, time)."""

    def __init__(self, result: Result) -> None:
        super().__init__()
        self.result = result


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped the batch: how every client ended (finished ones as they finished)."""

    def __init__(self, results: list[Result]) -> None:
        super().__init__()
        self.results = results


@dataclass
class BatchOptions:
    url: str
    workers: int
    headless: bool
    submit: bool
    out: Path
    solver: str  # person | replica
    timeout_ms: float = 15_000


# ----------------------------------------------------------------------------- the workers


_HUMAN_STEPS = {
    "captcha": ("输入验证码", "captcha"),
    "sms": ("输入短信验证码", "SMS code"),
    "qr": ("用支付宝扫码", "Alipay QR scan"),
}
INPUT_CLOSED = ("输入已关闭", "input is closed")
CAPTCHA_WRONG = (  # the single run's words (`human.TerminalCaptcha`), naming the client
    "[{label}] 上次输入的验证码不正确（{message}），请看新的图片重新输入 "
    "(the previous captcha for {label} was wrong: type the new one)"
)
HELPER_GONE = ("询问线程已停止", "the prompt helper stopped")


def no_person(kind: str, why: tuple[str, str] = INPUT_CLOSED) -> AutofillError:
    """A human step that nobody can be asked for (no terminal): the client fails at once, not retried."""
    zh, en = _HUMAN_STEPS.get(kind, ("人工操作", kind))
    return AutofillError(
        f"需要有人{zh}，但没有终端可以询问（{why[0]}）：请在终端中运行，登录状态会保存，下次无需再输入 "
        f"(the {en} needs a person, but there is no terminal to ask ({why[1]}): run the batch in a terminal; "
        "the login is kept for later runs)",
        field=kind,
    )


class _QueuedHumans:
    """Human steps sent to the main thread (which asks the person), answers read back. An answer that is an
    AutofillError (nobody to ask) is raised; so is a helper that is gone without answering."""

    def __init__(
        self,
        worker: int,
        label: str,
        requests: Any,
        answers: Any,
        stopping: Interrupt,
        helper_gone: threading.Event | None = None,
    ) -> None:
        self.worker, self.label, self.requests, self.answers = worker, label, requests, answers
        self.stopping = stopping
        self.helper_gone = helper_gone or threading.Event()
        self.captcha, self.sms, self.qr = self, self, self
        self._refusal: str | None = None  # the site's words for this client's last captcha answer, if refused

    def _ask(self, kind: str, payload: Any) -> Any:
        self.requests.put((self.worker, kind, self.label, payload))
        while True:
            with contextlib.suppress(queue.Empty):
                answer = self.answers.get(timeout=0.5)
                if isinstance(answer, AutofillError):
                    raise answer
                return answer
            if self.stopping.is_set():  # nobody answers any more
                self.stopping.stop_here()
            if self.helper_gone.is_set() and self.answers.empty():  # it put every answer it had before it ended
                raise no_person(kind, HELPER_GONE)

    def refused(self, message: str) -> None:
        """The site refused this client's last captcha answer (`message`, its words): the next captcha
        prompt says so, naming the client."""
        self._refusal = message

    def solve(self, image_png: bytes, session_cookie: str | None) -> str:
        refusal, self._refusal = self._refusal, None
        return str(self._ask("captcha", (image_png, refusal)))

    def code(self, mobile: str) -> str:
        return str(self._ask("sms", mask_mobile(mobile)))

    def scan(self, id_number: str, seconds: int, still_open: Callable[[], bool], picture: bytes | None = None) -> None:
        from autofill.human import PersonScansQr

        self._ask("qr", (seconds, picture))  # the main thread has announced it: this client's turn
        try:
            PersonScansQr(out=io.StringIO()).scan(id_number, seconds, still_open)  # the main thread spoke
        finally:
            self.requests.put((self.worker, "qr-done", self.label, None))


class _Browser:
    """The batch's one browser, shared by the workers (threads) through one Playwright driver: launched
    at the first client and again if it went away (with a new driver, if that went too). Each client
    gets its own context in it (own cookies, storage and cache), so nothing is shared between clients."""

    def __init__(self, headless: bool) -> None:
        from autofill.blocking import Interrupt, Playwrights

        self.headless = headless
        self.stopping = Interrupt()  # Ctrl-C: every client stops where it is
        self.playwrights = Playwrights(stopping=self.stopping)
        self.browser: Any = None
        self.lock = threading.Lock()

    def get(self, check: bool = False) -> Any:
        """The browser, launched if need be; `check`: after a failure, make sure it still answers."""
        from playwright.sync_api import Error as PlaywrightError

        from autofill.blocking import Playwrights
        from autofill.browser import launch_options

        with self.lock:
            if check and self.browser is not None and self.browser.is_connected():
                try:
                    self.browser.new_context().close()  # one round trip through the driver to the browser
                except PlaywrightError:
                    log.warning("the Playwright driver stopped answering: starting another")
                    self.playwrights.stop()
                    self.playwrights, self.browser = Playwrights(stopping=self.stopping), None
            if self.browser is None or not self.browser.is_connected():
                with contextlib.suppress(PlaywrightError):
                    if self.browser is not None:
                        self.browser.close()
                # Ctrl-C is the batch's to handle: the browser stays up while the clients write their reports
                options = launch_options(headless=self.headless)
                self.browser = self.playwrights.playwright.chromium.launch(**options, handle_sigint=False)
            return self.browser

    def interrupt(self) -> None:
        self.stopping.set()

    def close(self) -> None:
        self.playwrights.stop()  # the driver closes the browser with it


def _run_client(
    job: dict[str, Any],
    events: Any,
    humans_q: Any,
    answers: Any,
    worker: int,
    browser: _Browser,
    helper_gone: threading.Event | None = None,
) -> Result:
    from autofill.driver import Options, drive
    from autofill.human import replica_humans
    from autofill.pack import load_pack
    from autofill.runner import checked_plan
    from autofill.runs import last_created

    index, label = job["index"], job["label"]
    started = time.monotonic()
    pack = load_pack()
    plan = checked_plan(Path(job["profile"]), pack)
    stopping = browser.stopping
    opts = Options(
        url=job["url"],
        headless=job["headless"],
        submit=job["submit"],
        yes=True,
        out=Path(job["out"]),
        humans=replica_humans(job["url"])
        if job["solver"] == "replica"
        else _QueuedHumans(worker, label, humans_q, answers, stopping, helper_gone),  # type: ignore[arg-type]
        progress=lambda where: events.put(("step", index, where)),
        timeout_ms=job["timeout_ms"],
        screencast=False,  # many runs at once: a failed one keeps its trace of actions, its screenshots
    )
    result = Result(index, label, Path(job["profile"]).name, "failed")
    try:
        for attempt in range(1, ATTEMPTS + 1):
            result.attempts = attempt
            opts.browser = browser.get(check=attempt > 1)
            before = last_created()
            try:
                outcome = drive(plan, pack, job["password"], opts, profile_name=Path(job["profile"]).name)
            except KeyboardInterrupt:
                made = last_created()  # the run folder drive made before it was stopped (its report written)
                if made is not None and made != before and made.report_html.is_file():
                    result.report = str(made.report_html)
                raise
            result.outcome = outcome.report.outcome
            result.report = str(outcome.run_dir.report_html)
            result.status = outcome.status.status if outcome.status else ""
            result.extra_rows = len(outcome.report.extra_rows)
            error = outcome.error
            result.error = redact(error.render(), [job["password"]]) if error else None
            transient = bool(getattr(error, "transient", False))
            if error is None or not transient or attempt == ATTEMPTS:
                break
            events.put(("step", index, f"重试 {attempt + 1}/{ATTEMPTS} (retry)"))
            if stopping.wait(BACKOFF_S * 2 ** (attempt - 1)):
                stopping.stop_here()
    except KeyboardInterrupt:
        result.outcome, result.error, result.status = "interrupted", None, ""
        result.seconds = round(time.monotonic() - started, 1)
        raise _ClientInterrupted(result) from None
    result.seconds = round(time.monotonic() - started, 1)
    return result


def _worker(
    worker: int,
    jobs: Any,
    events: Any,
    humans_q: Any,
    answers: Any,
    browser: _Browser,
    helper_gone: threading.Event | None = None,
) -> None:
    """A worker thread: take clients from `jobs` until told to stop, report on `events`."""
    while not browser.stopping.is_set():
        try:
            job = jobs.get_nowait()
        except queue.Empty:
            return
        events.put(("start", job["index"], worker))
        try:
            result = _run_client(job, events, humans_q, answers, worker, browser, helper_gone)
        except KeyboardInterrupt as exc:
            stopped = (
                exc.result
                if isinstance(exc, _ClientInterrupted)
                else Result(job["index"], job["label"], Path(job["profile"]).name, "interrupted")
            )
            events.put(("done", job["index"], asdict(stopped)))
            return
        except AutofillError as exc:
            result = Result(job["index"], job["label"], Path(job["profile"]).name, "failed", error=exc.render())
        except Exception as exc:  # one client's bug must not stop the others
            name = type(exc).__name__
            result = Result(job["index"], job["label"], Path(job["profile"]).name, "failed", error=f"内部错误 {name}")
        events.put(("done", job["index"], asdict(result)))


# ----------------------------------------------------------------------------- the main thread


def prepare_clients(
    profiles: list[Path], secrets: dict[str, str], *, interactive: bool, secrets_file: bool = False
) -> list[Client]:
    """Check every profile and find every password before any browser opens (the secrets file first, then
    the keyring, AUTOFILL_PASSWORD, a prompt). A client whose profile has errors, whose password cannot
    be found, or whose person an earlier profile already files (same 证件号码) is marked failed; the
    others go on. A client whose profile cannot be read is labelled by its file name, ID numbers masked."""
    from autofill.pack import load_pack
    from autofill.runner import checked_plan
    from autofill.secrets import get_password

    pack = load_pack()
    clients = []
    first_of: dict[str, Client] = {}  # 证件号码 → the client that files that person
    for index, path in enumerate(profiles):
        client = Client(index, path, label=redact(path.name, id_like(path.name)))
        try:
            plan = checked_plan(path, pack)
            account = plan.profile.account
            client.label = f"{mask_name(account.name)} {mask_id(account.id_number)}"
            client.id_number, client.mobile = account.id_number, account.mobile
            first = first_of.setdefault(account.id_number.upper(), client)
            if first is not client:  # two at once would both add the same rows
                raise AutofillError(
                    f"与 {first.profile.name} 是同一人（证件号码相同），只由它填写 "
                    f"(the same person as {first.profile.name}: filled by that profile only)",
                    file=path,
                )
            client.password = secrets.get(account.id_number.upper()) or get_password(
                account.id_number, interactive=interactive, batch=True, secrets_file=secrets_file
            )
        except AutofillError as exc:
            client.error = exc.render()
        except Exception as exc:  # a profile that trips the checker must not stop the other clients
            log.debug("checking %s", path, exc_info=True)
            client.error = f"{path}: 内部错误 (internal error): {type(exc).__name__}"
        clients.append(client)
    return clients


def read_secrets(path: Path | None) -> dict[str, str]:
    """An optional secrets file: YAML/JSON mapping 证件号码 → password. Refused unless only its owner
    can read it (mode 0600), so a shared folder never holds readable passwords."""
    if path is None:
        return {}
    import yaml

    try:
        info = path.stat()
    except OSError as exc:
        raise AutofillError(f"无法读取密码文件 (cannot read the secrets file: {exc.strerror})", file=path) from None
    if not stat.S_ISREG(info.st_mode):  # a folder, a pipe that would never end, a device
        raise AutofillError("密码文件应是一个普通文件 (the secrets file must be a regular file)", file=path)
    mode = info.st_mode & 0o777
    if os.name == "posix" and mode & 0o077:
        raise AutofillError(
            f"密码文件的权限过宽（{mode:o}），请执行 chmod 600 (the secrets file must be mode 0600, it is {mode:o})",
            file=path,
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError, OSError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行 (line {mark.line + 1})：" if mark is not None else ""
        raise AutofillError(f"{where}密码文件不是有效的 YAML (the secrets file is not valid YAML)", file=path) from None

    def plain(v: object) -> bool:  # a password or an ID number as written; not true/false, a list, a date
        return isinstance(v, str | int) and not isinstance(v, bool)

    if not isinstance(data, dict) or not all(plain(k) and plain(v) for k, v in data.items()):
        raise AutofillError("密码文件应为“证件号码: 密码”的映射 (expected `ID: password` lines)", file=path)
    return {str(k).strip().upper(): str(v) for k, v in data.items()}


def batch_secrets(clients: list[Client], known: dict[str, str] | None = None) -> list[str]:
    """What the batch never shows in full, on screen or in the summary: every client's password, ID
    number and mobile, the secrets file's keys and passwords, and ID-like numbers in the profiles' paths
    (`530102198803093086.yaml`, a folder per client), valid or not."""
    found = [s for c in clients for s in (c.password, c.id_number, c.mobile, *id_like(str(c.profile))) if s]
    found += [s for pair in (known or {}).items() for s in pair if s]
    return list(dict.fromkeys(found))


def shown(text: str, secrets: list[str]) -> str:
    """`text` as the batch may print it: redacted like the summary, and ID-like numbers masked."""
    return redact(text, [*secrets, *id_like(text)])


def result_line(r: Result, secrets: list[str]) -> str:
    """The final line of one client: its mark, label, profile file (labels may collide), outcome, error."""
    mark = "✗" if not r.ok else "⚠" if r.note else "✓"
    named = f"  ({r.profile})" if r.profile and r.profile != r.label else ""
    text = f"{mark} {r.label}{named}  {r.outcome} {r.status}  {r.error or r.note}"
    return shown(text.rstrip(), secrets)


def not_done_line(failed: list[Result], secrets: list[str]) -> str:
    """`N 位客户未完成 (clients not done): …`, each named by label and profile file."""
    names = "、".join(r.label + (f" ({r.profile})" if r.profile and r.profile != r.label else "") for r in failed)
    return shown(f"{len(failed)} 位客户未完成 (clients not done): {names}", secrets)


class _Screen:
    """One line per client while the batch runs (rich Live on a terminal, plain lines otherwise); every
    text redacted with the batch's secrets."""

    def __init__(self, clients: list[Client], secrets: list[str] | None = None) -> None:
        from rich.console import Console

        self.console = Console(stderr=False)
        self.secrets = list(secrets or [])
        self.rows = {c.index: [shown(c.label, self.secrets), "等待 (waiting)", ""] for c in clients}
        self.live: Any = None
        self.lock = threading.Lock()

    def table(self) -> Any:
        from rich.table import Table

        table = Table(title="autofill batch", expand=False)
        for column in ("客户 (client)", "步骤 (step)", "结果 (result)"):
            table.add_column(column)
        for row in self.rows.values():
            table.add_row(*row)
        return table

    def __enter__(self) -> _Screen:
        from rich.live import Live

        if self.console.is_terminal:
            self.live = Live(self.table(), console=self.console, refresh_per_second=4, transient=False)
            self.live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.live is not None:
            self.live.__exit__(None, None, None)
            self.live = None

    def update(self, index: int, step: str | None = None, result: str | None = None) -> None:
        with self.lock:
            row = self.rows[index]
            if step is not None:
                row[1] = shown(step, self.secrets)
            if result is not None:
                row[2] = shown(result, self.secrets)
            if self.live is not None:
                self.live.update(self.table())
            else:
                print(f"[{row[0]}] {row[1]} {row[2]}".rstrip(), flush=True)

    def pause(self) -> contextlib.AbstractContextManager[None]:
        """Stop redrawing while a person answers a prompt."""

        @contextlib.contextmanager
        def paused() -> Any:
            with self.lock:
                if self.live is not None:
                    self.live.stop()
                try:
                    yield
                finally:
                    if self.live is not None:
                        self.live.start()

        return paused()


def _serve_humans(
    requests: Any,
    answers: list[Any],
    screen: _Screen,
    folder: Path,
    stop: threading.Event,
    procs: list[Any],
    gone: threading.Event | None = None,
) -> None:
    """Show human steps one at a time, in the order they came; the other clients keep working meanwhile.
    A QR is one step from the moment it is announced until that client's panel has closed: what comes
    meanwhile waits its turn. Once the input is closed (no terminal), every human step is answered with
    `no_person` at once; `gone` is set when this helper ends, however it ends."""
    waiting: collections.deque[tuple[int, str, str, Any]] = collections.deque()
    scanning: int | None = None  # the worker whose client is scanning a QR
    closed = False  # the input gave EOF: nobody is there to answer
    try:
        while not stop.is_set():
            with contextlib.suppress(queue.Empty):
                worker, kind, label, payload = requests.get(timeout=0.5)
                if kind == "qr-done":
                    scanning = None if worker == scanning else scanning
                else:
                    waiting.append((worker, kind, label, payload))
            if scanning is not None and not procs[scanning].is_alive():
                scanning = None  # that worker died: its client will never say it is done
            while waiting and scanning is None and not stop.is_set():
                worker, kind, label, payload = waiting.popleft()
                answer: Any
                if closed:
                    answer = no_person(kind)
                else:
                    try:
                        answer = _ask_person(screen, folder, worker, kind, label, payload)
                    except EOFError:
                        closed = True
                        print(flush=True)  # end the prompt's line
                        answer = no_person(kind)
                    except Exception as exc:  # a bug here must fail one client, never leave it waiting
                        log.debug("asking the person", exc_info=True)
                        answer = AutofillError(f"内部错误 (internal error): {type(exc).__name__}", field=kind)
                answers[worker].put(answer)
                if kind == "qr" and not isinstance(answer, AutofillError):
                    scanning = worker
    finally:
        if gone is not None:
            gone.set()


def _ask_person(screen: _Screen, folder: Path, worker: int, kind: str, label: str, payload: Any) -> str:
    """One human step shown on the terminal, naming the client; the answer typed (for a QR: "go")."""
    with screen.pause():
        if kind == "captcha":
            png, refusal = payload
            if refusal is not None:  # said before the new picture, like a single run; the site's words redacted
                print(shown(CAPTCHA_WRONG.format(label=label, message=refusal), screen.secrets), flush=True)
            picture = folder / f"captcha-{worker}.png"
            picture.write_bytes(png)
            picture.chmod(0o600)
            return input(f"[{label}] 请输入验证码，图片见 {picture} (captcha for {label}): ").strip()
        if kind == "sms":
            return input(f"[{label}] 请输入发送到 {payload} 的短信验证码 (SMS code): ").strip()
        seconds, png = payload
        if png is None:
            ask_zh, where_en = "请在该客户的浏览器窗口中用本人支付宝扫码", "in this client's browser window"
        else:
            saved = save_picture(folder, f"realname-qr-{worker}.png", png)
            ask_zh, where_en = f"请用本人支付宝扫描图片 {saved} 中的二维码", f"in the picture {saved}"
        print(f"[{label}] {ask_zh}，{seconds} 秒内 (scan the Alipay QR {where_en} within {seconds} s)")
        return "go"


def run_batch(
    clients: list[Client], opts: BatchOptions, folder: Path, secrets: list[str] | None = None
) -> list[Result]:
    """Run every client; returns one Result per client (in the clients' order). `secrets`: what the
    screen must never show in full (`batch_secrets`)."""
    jobs: queue.Queue[dict[str, Any]] = queue.Queue()
    events: queue.Queue[tuple[str, int, Any]] = queue.Queue()
    requests: queue.Queue[tuple[int, str, str, Any]] = queue.Queue()
    results: dict[int, Result] = {}
    waiting = []
    for c in clients:
        if c.error is not None:
            results[c.index] = Result(c.index, c.label, c.profile.name, "failed", error=c.error)
            continue
        waiting.append(c)
        jobs.put(
            {
                "index": c.index, "label": c.label, "profile": str(c.profile), "password": c.password,
                "url": opts.url, "headless": opts.headless, "submit": opts.submit, "out": str(opts.out),
                "solver": opts.solver, "timeout_ms": opts.timeout_ms,
            }
        )  # fmt: skip
    screen = _Screen(clients, secrets if secrets is not None else batch_secrets(clients))
    for r in results.values():
        screen.rows[r.index][2] = "失败 (failed)"
    n = min(opts.workers, len(waiting)) if waiting else 0
    if n == 0:
        return [results[c.index] for c in clients]
    answers: list[queue.Queue[Any]] = [queue.Queue() for _ in range(n)]
    browser = _Browser(opts.headless)
    helper_gone = threading.Event()
    workers = [
        threading.Thread(
            target=_worker,
            args=(i, jobs, events, requests, answers[i], browser, helper_gone),
            name=f"client-{i}",
            daemon=True,
        )
        for i in range(n)
    ]
    stop = threading.Event()
    try:
        with screen:
            helper = threading.Thread(
                target=_serve_humans,
                args=(requests, answers, screen, folder, stop, workers, helper_gone),
                daemon=True,
            )
            helper.start()
            for w in workers:
                w.start()
            try:
                _collect(events, results, screen, len(clients), workers)
            except KeyboardInterrupt:
                browser.interrupt()  # each client stops where it is and writes its report
                for w in workers:
                    w.join(timeout=GRACE_S)
                _drain(events, results)
                for c in waiting:
                    results.setdefault(c.index, Result(c.index, c.label, c.profile.name, "interrupted"))
                raise BatchInterrupted([results[c.index] for c in clients]) from None
            finally:
                stop.set()
    finally:
        browser.close()
    for c in waiting:
        results.setdefault(
            c.index, Result(c.index, c.label, c.profile.name, "failed", error="工作线程意外退出 (worker died)")
        )
    return [results[c.index] for c in clients]


def _collect(events: Any, results: dict[int, Result], screen: _Screen, total: int, workers: list[Any]) -> None:
    """Show what the workers say until every client has ended (or no worker is left)."""
    while len(results) < total:
        try:
            kind, index, payload = events.get(timeout=0.5)
        except queue.Empty:
            if not any(w.is_alive() for w in workers):
                _drain(events, results)
                return  # a worker died without a word: what is missing is reported by the caller
            continue
        if kind == "step":
            screen.update(index, step=str(payload))
        elif kind == "done":
            result = Result(**payload)
            results[index] = result
            screen.update(index, result=_result_words(result))


def _drain(events: Any, results: dict[int, Result]) -> None:
    while True:
        try:
            kind, index, payload = events.get_nowait()
        except queue.Empty:
            return
        if kind == "done":
            results[index] = Result(**payload)


def _result_words(r: Result) -> str:
    from autofill.report import OUTCOME_WORDS

    words = OUTCOME_WORDS.get(r.outcome, r.outcome).split(" (")[0]
    mark = "✗" if not r.ok else "⚠" if r.note else "✓"
    return f"{mark} {words}" + (f" {r.status}" if r.status else "") + (f" {r.note}" if r.ok and r.note else "")


# ----------------------------------------------------------------------------- the summary


def write_summary(results: list[Result], folder: Path, secrets: list[str]) -> tuple[Path, Path]:
    """`summary.json` and `summary.html` (links to each client's report, relative to the folder)."""
    rows: list[dict[str, Any]] = []
    for r in results:
        row = asdict(r)
        row["ok"] = r.ok
        row["note"] = r.note
        row["report"] = os.path.relpath(r.report, folder) if r.report else None
        rows.append({k: redact(v, secrets) if isinstance(v, str) else v for k, v in row.items()})
    data = {"finished": datetime.now().isoformat(timespec="seconds"), "clients": rows,
            "ok": sum(r["ok"] for r in rows), "failed": sum(not r["ok"] for r in rows)}  # fmt: skip
    json_path, html_path = folder / "summary.json", folder / "summary.html"
    _write_private(json_path, json.dumps(data, ensure_ascii=False, indent=2))
    lines = []
    for row in rows:
        link = f'<a href="{escape(row["report"])}">report.html</a>' if row["report"] else ""
        mark = ("⚠" if row["note"] else "✓") if row["ok"] else "✗"
        lines.append(
            f"<tr class={'ok' if row['ok'] else 'bad'}><td>{mark}</td><td>{escape(row['label'])}</td>"
            f"<td>{escape(row['profile'])}</td><td>{escape(row['outcome'])}</td><td>{escape(row['status'] or '')}</td>"
            f"<td>{escape(row['error'] or row['note'])}</td><td>{row['attempts']}</td><td>{row['seconds']}</td>"
            f"<td>{link}</td></tr>"
        )
    html = (
        "<!doctype html><html lang=zh-CN><meta charset=utf-8><title>autofill batch</title>"
        "<style>body{font-family:sans-serif;margin:2em}td,th{border:1px solid #ccc;padding:4px 8px}"
        "table{border-collapse:collapse}.bad{background:#fdecea}.ok{background:#eef8ee}</style>"
        f"<h1>autofill batch — {data['ok']} ok, {data['failed']} failed</h1><table><tr><th></th><th>客户</th>"
        "<th>档案</th><th>结果</th><th>审核状态</th><th>错误</th><th>尝试</th><th>秒</th><th>报告</th></tr>"
        + "".join(lines)
        + "</table></html>"
    )
    _write_private(html_path, redact(html, secrets))
    return json_path, html_path


def _write_private(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    tmp.replace(path)


def batch_folder(base: Path, now: datetime) -> Path:
    """`runs/batch-<YYYYmmdd-HHMMSS>` (0700), numbered when it exists."""
    try:
        base.mkdir(parents=True, exist_ok=True)
        for n in range(1, 1000):
            path = base / (f"batch-{now:%Y%m%d-%H%M%S}" + (f"-{n}" if n > 1 else ""))
            try:
                path.mkdir(mode=0o700)
            except FileExistsError:
                continue
            path.chmod(0o700)
            return path
    except OSError as exc:
        raise AutofillError(f"无法创建批处理目录 (cannot create the batch folder: {exc.strerror})", file=base) from None
    raise AutofillError("批处理目录重名过多 (too many batch folders with the same name)", file=base)
