"""The human steps: a person at the terminal, or the replica's QA API answering for them.

The replica solvers are proven against a real ReplicaServer: the captcha they read logs in, the SMS
code they read registers, the QR they "scan" verifies the account.
"""

from __future__ import annotations

import io
import itertools
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from ausm_replica.testing import ReplicaServer
from stdnum.cn import ric

from autofill.errors import AutofillError
from autofill.human import (
    PersonScansQr,
    ReplicaCaptcha,
    ReplicaQr,
    ReplicaSms,
    TerminalCaptcha,
    TerminalSms,
    replica_humans,
    terminal_humans,
)
from autofill.masking import mask_id, mask_mobile

PASSWORD = "Abc12345!"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
_serial = itertools.count(1)


def new_id() -> str:
    body = f"53010219900510{next(_serial):03d}"
    return body + ric.calc_check_digit(body + "0")


def new_mobile() -> str:
    return f"1391{next(_serial):07d}"


@pytest.fixture(scope="module")
def server() -> Iterator[ReplicaServer]:
    with ReplicaServer() as running:
        yield running


@pytest.fixture
def client(server: ReplicaServer) -> Iterator[httpx.Client]:
    with server.client() as http:
        yield http
    server.reset()


def add_account(server: ReplicaServer, *, verified: bool) -> tuple[str, str]:
    id_number, mobile = new_id(), new_mobile()
    server.qa(
        "POST",
        "/__mock__/accounts",
        json={
            "id_type": "内地居民身份证",
            "id_number": id_number,
            "name": "测试甲",
            "mobile": mobile,
            "password": PASSWORD,
            "verified": verified,
        },
    )
    return id_number, mobile


class FakeTime:
    """A clock that moves only when slept on."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def closes_after(polls: int) -> Callable[[], bool]:
    """`still_open` that reports the panel open for the first `polls` calls."""
    calls = itertools.count(1)
    return lambda: next(calls) <= polls


# ---------------------------------------------------------------- the replica answers


def test_replica_captcha_logs_in(server: ReplicaServer, client: httpx.Client) -> None:
    id_number, _ = add_account(server, verified=True)
    picture = client.get("/api/captcha")
    assert picture.headers["content-type"] == "image/png"
    solver = replica_humans(server.url).captcha
    text = solver.solve(picture.content, client.cookies["AUSMSESSION"])
    login = client.post("/api/login", json={"account": id_number, "password": PASSWORD, "captcha": text})
    assert login.status_code == 200, login.text


def test_replica_captcha_needs_a_session(server: ReplicaServer) -> None:
    with pytest.raises(AutofillError, match="cookie"):
        ReplicaCaptcha(server.url).solve(PNG, None)
    with pytest.raises(AutofillError, match="404"):
        ReplicaCaptcha(server.url).solve(PNG, "no-such-session")


def test_replica_captcha_unreachable_is_a_clear_error() -> None:
    with pytest.raises(AutofillError, match="QA API failed"):
        ReplicaCaptcha("http://127.0.0.1:9").solve(PNG, "x")


def test_replica_sms_code_registers(server: ReplicaServer, client: httpx.Client) -> None:
    id_number, mobile = new_id(), new_mobile()
    assert client.post("/api/sms", json={"mobile": mobile}).status_code == 200
    code = ReplicaSms(server.url).code(mobile)
    registered = client.post(
        "/api/register",
        json={
            "id_type": "内地居民身份证",
            "id_number": id_number,
            "name": "测试乙",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "mobile": mobile,
            "sms_code": code,
            "agree": True,
        },
    )
    assert registered.status_code == 200, registered.text


def test_replica_qr_verifies_and_waits_for_the_page(server: ReplicaServer, client: httpx.Client) -> None:
    id_number, _ = add_account(server, verified=False)
    captcha = ReplicaCaptcha(server.url).solve(client.get("/api/captcha").content, client.cookies["AUSMSESSION"])
    client.post("/api/login", json={"account": id_number, "password": PASSWORD, "captcha": captcha})

    def verified() -> bool:
        answer: dict[str, Any] = client.get("/api/realname/status").json()
        return bool(answer["verified"])

    assert not verified()
    fake = FakeTime()
    ReplicaQr(server.url, sleep=fake.sleep, clock=fake.clock).scan(id_number, 30, lambda: not verified())
    assert verified()
    assert fake.sleeps == []  # the page saw it at once: no waiting


def test_replica_qr_unknown_person(server: ReplicaServer) -> None:
    with pytest.raises(AutofillError, match="404"):
        ReplicaQr(server.url).scan(new_id(), 5, lambda: True)


# ---------------------------------------------------------------- a person at the terminal


def test_terminal_captcha_saves_the_picture_and_reads_the_answer(tmp_path: Path) -> None:
    answers = iter(["", "  ab3d ", "k7m2"])
    prompts: list[str] = []
    out = io.StringIO()

    def ask(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    solver = TerminalCaptcha(tmp_path, ask=ask, out=out)
    assert solver.solve(PNG, "cookie") == "ab3d"
    saved = tmp_path / "captcha-1.png"
    assert saved.read_bytes() == PNG
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert str(saved) in out.getvalue()
    assert len(prompts) == 2  # asked again after an empty answer
    assert solver.solve(PNG, None) == "k7m2"  # the next picture gets its own file
    assert (tmp_path / "captcha-2.png").exists()


def test_terminal_captcha_says_the_last_answer_was_wrong_before_asking_again(tmp_path: Path) -> None:
    out = io.StringIO()
    solver = TerminalCaptcha(tmp_path, ask=lambda prompt: "ab3d", out=out)
    solver.solve(PNG, None)
    assert "验证码不正确" not in out.getvalue()

    solver.refused("验证码错误")  # the driver, when the site refused the answer
    solver.solve(PNG, None)

    told = out.getvalue()
    assert "验证码不正确（验证码错误），请看新的图片重新输入 (the captcha was wrong: type the new one)" in told
    assert told.index("验证码不正确") < told.index("captcha-2.png")  # said before the new picture is asked
    solver.solve(PNG, None)
    assert out.getvalue().count("验证码不正确") == 1  # said once, for that refusal


def test_terminal_captcha_closed_input(tmp_path: Path) -> None:
    def closed(prompt: str) -> str:
        raise EOFError

    with pytest.raises(AutofillError, match="input is closed"):
        TerminalCaptcha(tmp_path, ask=closed, out=io.StringIO()).solve(PNG, None)


def test_terminal_sms_masks_the_mobile() -> None:
    mobile = "13912345678"
    prompts: list[str] = []

    def ask(prompt: str) -> str:
        prompts.append(prompt)
        return "123456"

    assert TerminalSms(ask=ask).code(mobile) == "123456"
    assert mobile not in prompts[0]
    assert mask_mobile(mobile) in prompts[0]


def test_person_scans_within_the_time() -> None:
    id_number = new_id()
    out = io.StringIO()
    fake = FakeTime()
    PersonScansQr(out=out, sleep=fake.sleep, clock=fake.clock, plain_every=2).scan(id_number, 120, closes_after(5))
    assert fake.sleeps == [1.0] * 5  # polled once a second until the panel closed
    text = out.getvalue()
    assert mask_id(id_number) in text
    assert id_number not in text
    assert "剩余 120 秒" in text and "剩余 118 秒" in text and "剩余 119 秒" not in text  # plain: every 2 s
    assert "实名认证已完成" in text


def test_person_too_slow_times_out() -> None:
    fake = FakeTime()
    out = io.StringIO()
    with pytest.raises(AutofillError, match="实名认证超时") as caught:
        PersonScansQr(out=out, sleep=fake.sleep, clock=fake.clock).scan(new_id(), 10, lambda: True)
    assert "real-name verification timed out" in caught.value.render()
    assert sum(fake.sleeps) == pytest.approx(10)
    assert "实名认证已完成" not in out.getvalue()


def test_headless_person_scans_the_saved_picture(tmp_path: Path) -> None:
    """No browser window to scan in: the panel's picture is saved into the run folder and named."""
    id_number = new_id()
    out = io.StringIO()
    fake = FakeTime()
    scanner = PersonScansQr(out=out, run_dir=tmp_path, sleep=fake.sleep, clock=fake.clock)
    scanner.scan(id_number, 60, closes_after(2), PNG)
    saved = tmp_path / "realname-qr.png"
    assert saved.read_bytes() == PNG and saved.stat().st_mode & 0o777 == 0o600
    text = out.getvalue()
    assert f"扫描图片 {saved} 中的二维码" in text and "browser window" not in text
    assert id_number not in text


def test_headed_person_scans_in_the_window(tmp_path: Path) -> None:
    out = io.StringIO()
    fake = FakeTime()
    PersonScansQr(out=out, run_dir=tmp_path, sleep=fake.sleep, clock=fake.clock).scan(new_id(), 60, closes_after(1))
    assert "浏览器窗口中的二维码" in out.getvalue() and not list(tmp_path.iterdir())


def test_terminal_countdown_rewrites_one_line() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Tty()
    fake = FakeTime()
    PersonScansQr(out=out, sleep=fake.sleep, clock=fake.clock).scan(new_id(), 60, closes_after(3))
    text = out.getvalue()
    assert text.count("\r") == 3
    assert "\r剩余   58 秒" in text


def test_terminal_humans_save_into_the_run_folder(tmp_path: Path) -> None:
    humans = terminal_humans(tmp_path, ask=lambda _: "x9y8", out=io.StringIO())
    assert humans.captcha.solve(PNG, None) == "x9y8"
    assert (tmp_path / "captcha-1.png").exists()
    assert humans.sms.code("13912345678") == "x9y8"
    assert isinstance(humans.qr, PersonScansQr)
