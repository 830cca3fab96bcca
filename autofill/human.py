"""The steps only a person can do: read a captcha, read an SMS code, scan the Alipay QR.

The driver asks through three small interfaces, so a run can put a person at the terminal
(`terminal_humans`) or, against the replica, answer from its QA API (`replica_humans`, used by the
tests and `make demo`). A headed run lets the person type the captcha into the page itself; that
path is the driver's and needs none of these.

Prompts never show a full ID or mobile number: they are masked as the site masks them.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TextIO
from urllib.parse import quote

from autofill.errors import AutofillError
from autofill.masking import mask_id, mask_mobile

Ask = Callable[[str], str]
Sleep = Callable[[float], None]
Clock = Callable[[], float]

QA_TIMEOUT = 30.0  # seconds for one QA API call on the local replica


class CaptchaSolver(Protocol):
    """Reads the login captcha."""

    def solve(self, image_png: bytes, session_cookie: str | None) -> str:
        """The captcha's text. `session_cookie` is the page's session cookie value, when known."""
        ...


class SmsSource(Protocol):
    """Reads the SMS code sent to a mobile (registration)."""

    def code(self, mobile: str) -> str:
        """The last code sent to `mobile`."""
        ...


class QrScanner(Protocol):
    """Gets the Alipay QR of 快捷一键认证 scanned."""

    def scan(self, id_number: str, seconds: int, still_open: Callable[[], bool], picture: bytes | None = None) -> None:
        """Return once `still_open()` is False; AutofillError after `seconds`. `picture`: the panel as a
        PNG when there is no browser window to scan it in (headless), else None."""
        ...


def _ask_line(ask: Ask, prompt: str, what_zh: str, what_en: str) -> str:
    """A non-empty answer (asked again when empty); AutofillError when the input is closed."""
    while True:
        try:
            answer = ask(prompt).strip()
        except EOFError:
            raise AutofillError(f"无法读取{what_zh}：输入已关闭 (cannot read the {what_en}: input is closed)") from None
        if answer:
            return answer


def save_picture(folder: Path, name: str, png: bytes) -> Path:
    """Write a picture for the person to look at (mode 0600: it may show their name); its path."""
    path = folder / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(png)
    return path


@dataclass
class TerminalCaptcha:
    """Saves the captcha picture into the run folder, prints its path and reads the answer."""

    run_dir: Path
    ask: Ask = input
    out: TextIO | None = None
    _count: int = field(default=0, init=False)
    _refusal: str | None = field(default=None, init=False)

    def refused(self, message: str) -> None:
        """The site refused the last answer (`message`, its words): said before the next picture is asked."""
        self._refusal = message

    def solve(self, image_png: bytes, session_cookie: str | None) -> str:
        """Save `captcha-N.png`, tell the person where it is (and that the last answer was wrong), return
        what they type."""
        self._count += 1
        path = save_picture(self.run_dir, f"captcha-{self._count}.png", image_png)
        out = self.out or sys.stderr
        if self._refusal is not None:
            print(
                f"验证码不正确（{self._refusal}），请看新的图片重新输入 (the captcha was wrong: type the new one)",
                file=out,
                flush=True,
            )
            self._refusal = None
        print(f"验证码图片已保存 (captcha picture saved): {path}", file=out, flush=True)
        return _ask_line(self.ask, "请输入图片中的验证码 (type the captcha): ", "验证码", "captcha")


@dataclass
class TerminalSms:
    """Asks the person for the SMS code their phone received."""

    ask: Ask = input

    def code(self, mobile: str) -> str:
        """The code the person types."""
        prompt = f"请输入发送到 {mask_mobile(mobile)} 的短信验证码 (SMS code sent to {mask_mobile(mobile)}): "
        return _ask_line(self.ask, prompt, "短信验证码", "SMS code")


def _wait_closed(
    still_open: Callable[[], bool], seconds: int, sleep: Sleep, clock: Clock, tick: Callable[[int], None]
) -> None:
    """Poll `still_open()` once a second until False; AutofillError when `seconds` pass first."""
    deadline = clock() + seconds
    while True:
        if not still_open():
            return
        left = deadline - clock()
        if left <= 0:
            raise AutofillError(f"实名认证超时 (real-name verification timed out after {seconds} s)", field="实名认证")
        tick(int(left + 0.999))
        sleep(min(1.0, left))


@dataclass
class PersonScansQr:
    """Asks the person to scan the QR (in the visible browser, or, headless, in a picture saved into
    `run_dir`) and counts down until the panel closes."""

    out: TextIO | None = None
    run_dir: Path | None = None
    sleep: Sleep = time.sleep
    clock: Clock = time.monotonic
    plain_every: int = 15  # seconds between countdown lines when the output is not a terminal

    def scan(self, id_number: str, seconds: int, still_open: Callable[[], bool], picture: bytes | None = None) -> None:
        """Print the request, then a countdown; return when the 实名认证 panel closes."""
        out = self.out or sys.stderr
        live = bool(getattr(out, "isatty", lambda: False)())
        who = mask_id(id_number)
        if picture is None:
            where_zh, where_en = "浏览器窗口中的二维码", "the Alipay QR code in the browser window"
        else:
            saved = save_picture(self.run_dir or Path.cwd(), "realname-qr.png", picture)
            where_zh, where_en = f"图片 {saved} 中的二维码", f"the Alipay QR code in the picture {saved}"
        print(
            f"请 {who} 本人用支付宝扫描{where_zh}完成实名认证 (scan {where_en} with the Alipay account of {who})",
            file=out,
            flush=True,
        )
        printed: list[int] = []  # plain output: the last count printed

        def tick(left: int) -> None:
            if live:
                out.write(f"\r剩余 {left:>4} 秒 ({left} s left) ")
                out.flush()
            elif not printed or printed[0] - left >= self.plain_every:
                print(f"剩余 {left} 秒 ({left} s left)", file=out, flush=True)
                printed[:] = [left]

        try:
            _wait_closed(still_open, seconds, self.sleep, self.clock, tick)
        finally:
            if live:
                out.write("\n")
                out.flush()
        print("实名认证已完成 (real-name verification done)", file=out, flush=True)


def _qa(base_url: str, method: str, path: str, shown: str | None = None) -> Any:
    """Call the replica's QA API: the decoded JSON, or AutofillError with the replica's message (naming
    the URL as `shown`, when the real one holds something not to print)."""
    import httpx

    url = base_url.rstrip("/") + path
    shown = base_url.rstrip("/") + (shown or path)
    try:
        with httpx.Client(timeout=QA_TIMEOUT) as client:
            response = client.request(method, url)
    except httpx.HTTPError as exc:
        raise AutofillError(
            f"模拟站点的 QA 接口无法访问 (the replica's QA API failed: {type(exc).__name__})", file=shown
        ) from None
    try:
        body = response.json() if response.content else None
    except ValueError:
        body = None
    if response.status_code >= 400:
        message = body.get("message", "") if isinstance(body, dict) else response.text[:200]
        error = _NotFound if response.status_code == 404 else AutofillError
        raise error(f"模拟站点拒绝了请求：{message} (the replica's QA API answered {response.status_code})", file=shown)
    return body


def _text(body: Any, key: str, url: str) -> str:
    value = body.get(key) if isinstance(body, dict) else None
    if not isinstance(value, str) or not value:
        raise AutofillError(f"模拟站点的回答缺少 `{key}` (the replica's answer has no `{key}`)", file=url)
    return value


@dataclass(frozen=True)
class ReplicaCaptcha:
    """Reads the captcha of a session from the replica (`GET /__mock__/captcha?session=…`)."""

    base_url: str

    def solve(self, image_png: bytes, session_cookie: str | None) -> str:
        """The replica's text for the session's current captcha (the picture is not looked at)."""
        if not session_cookie:
            raise AutofillError(
                "没有会话 cookie，无法从模拟站点读取验证码 (no session cookie to ask the replica about)"
            )
        path, shown = f"/__mock__/captcha?session={quote(session_cookie, safe='')}", "/__mock__/captcha?session=…"
        try:
            return _text(_qa(self.base_url, "GET", path, shown), "text", self.base_url + shown)
        except _NotFound as exc:  # the session ended (or its captcha was used): the page needs a new one
            raise CaptchaExpired(str(exc)) from None


class _NotFound(AutofillError):
    """The replica's QA API knows nothing of what was asked (404)."""


class CaptchaExpired(AutofillError):
    """The captcha could not be read because it is no longer valid: the login page needs a fresh one."""


@dataclass(frozen=True)
class ReplicaSms:
    """Reads the last SMS code from the replica (`GET /__mock__/sms/<mobile>`)."""

    base_url: str

    def code(self, mobile: str) -> str:
        """The code the replica last sent to `mobile`."""
        path = f"/__mock__/sms/{quote(mobile.strip(), safe='')}"
        return _text(_qa(self.base_url, "GET", path, "/__mock__/sms/…"), "code", self.base_url + "/__mock__/sms/…")


@dataclass(frozen=True)
class ReplicaQr:
    """Scans the QR the replica's way (`POST /__mock__/realname/<id>`), then waits for the panel to close."""

    base_url: str
    sleep: Sleep = time.sleep
    clock: Clock = time.monotonic

    def scan(self, id_number: str, seconds: int, still_open: Callable[[], bool], picture: bytes | None = None) -> None:
        """Mark the person verified on the replica; return when the page has noticed."""
        path = f"/__mock__/realname/{quote(id_number.strip().upper(), safe='')}"
        _qa(self.base_url, "POST", path, "/__mock__/realname/…")
        _wait_closed(still_open, seconds, self.sleep, self.clock, lambda left: None)


@dataclass(frozen=True)
class Humans:
    """The three human steps a run may need."""

    captcha: CaptchaSolver
    sms: SmsSource
    qr: QrScanner


def replica_humans(base_url: str) -> Humans:
    """Answers from the replica's QA API (tests, `make demo`)."""
    return Humans(captcha=ReplicaCaptcha(base_url), sms=ReplicaSms(base_url), qr=ReplicaQr(base_url))


def terminal_humans(run_dir: Path, ask: Ask = input, out: TextIO | None = None) -> Humans:
    """A person at the terminal: captcha pictures are saved into `run_dir`."""
    return Humans(
        captcha=TerminalCaptcha(run_dir, ask=ask, out=out),
        sms=TerminalSms(ask=ask),
        qr=PersonScansQr(out=out, run_dir=run_dir),
    )
