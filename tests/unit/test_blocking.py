"""One async Playwright called from several threads as the sync API (`autofill.blocking`), shown with
stand-ins for Playwright's async objects (no driver, no browser)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from autofill.blocking import POLL_S, Blocking, Playwrights

ASYNC_API = "playwright.async_api._generated"  # where Playwright's async classes live


class FakeLocator:
    __module__ = ASYNC_API

    def __init__(self, selector: str) -> None:
        self.selector = selector

    async def inner_text(self) -> str:
        return f"text of {self.selector}"


class FakePage:
    __module__ = ASYNC_API

    def __init__(self) -> None:
        self.threads: list[str] = []
        self.received: list[Any] = []
        self.gate = asyncio.Event()
        self.waiting = threading.Event()  # someone is in wait_open
        self.cancelled = False

    @property
    def url(self) -> str:
        return "http://127.0.0.1/#/collect"

    def locator(self, selector: str) -> FakeLocator:
        return FakeLocator(selector)

    async def all(self) -> list[FakeLocator]:
        return [FakeLocator("a"), FakeLocator("b")]

    async def evaluate(self, script: str, arg: Any = None) -> Any:
        self.threads.append(threading.current_thread().name)
        self.received.append(arg)
        return {"script": script}

    async def fail(self) -> None:
        from playwright.async_api import TimeoutError as AsyncTimeout

        raise AsyncTimeout("waiting for the page timed out")

    async def wait_open(self) -> str:
        self.waiting.set()
        await self.gate.wait()
        return "opened"

    async def open(self) -> None:
        self.gate.set()

    async def hang(self) -> None:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            self.cancelled = True
            raise


class FakePlaywright:
    __module__ = ASYNC_API

    def __init__(self) -> None:
        self.page = FakePage()
        self.stopped = False

    async def stop(self) -> None:
        self.stopped = True


@pytest.fixture
def loop() -> Iterator[Playwrights]:
    async def start() -> FakePlaywright:
        return FakePlaywright()

    started = Playwrights(start)
    yield started
    started.stop()


def test_a_coroutine_runs_on_the_playwright_thread_and_its_answer_comes_back(loop: Playwrights) -> None:
    page = loop.playwright.page
    assert isinstance(page, Blocking)
    assert page.evaluate("() => 1") == {"script": "() => 1"}
    assert page._target.threads == ["playwright"]


def test_objects_that_come_back_are_wrapped_and_values_are_not(loop: Playwrights) -> None:
    page = loop.playwright.page
    assert page.url == "http://127.0.0.1/#/collect"
    located = page.locator("#name")
    assert isinstance(located, Blocking)
    assert located.inner_text() == "text of #name"
    assert [type(x) for x in page.all()] == [Blocking, Blocking]


def test_wrapped_arguments_reach_the_async_object_as_themselves(loop: Playwrights) -> None:
    page = loop.playwright.page
    located = page.locator("#x")
    page.evaluate("(a) => a", [located, {"has": located}])
    [arg] = page._target.received
    assert arg[0] is located._target and arg[1]["has"] is located._target


def test_playwright_errors_are_raised_as_the_sync_api_names_them(loop: Playwrights) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with pytest.raises(PlaywrightTimeout, match="timed out"):
        loop.playwright.page.fail()


def test_threads_wait_at_once(loop: Playwrights) -> None:
    """One thread's call waits on the loop while another thread's call runs: a client waiting for the page
    does not hold up the others (one at a time, the first call would never end)."""
    page = loop.playwright.page
    answers: list[str] = []
    waiter = threading.Thread(target=lambda: answers.append(page.wait_open()))
    waiter.start()
    page.open()
    waiter.join(5)
    assert answers == ["opened"]


def test_an_interrupt_stops_a_waiting_call_with_keyboard_interrupt(loop: Playwrights) -> None:
    page = loop.playwright.page
    raised: list[BaseException] = []

    cleaned_up: list[str] = []

    def client() -> None:
        try:
            page.hang()
        except BaseException as exc:
            raised.append(exc)
            cleaned_up.append(page.wait_open())  # the clean-up waits too, and is not interrupted again

    waiter = threading.Thread(target=client)
    waiter.start()
    loop.stopping.set()  # Ctrl-C
    assert page._target.waiting.wait(5)  # the clean-up is waiting …
    threading.Event().wait(3 * POLL_S)  # … for longer than a waiting call takes to notice an interrupt
    loop.run(page._target.open(), interruptible=False)  # the main thread, not a client, opens it
    waiter.join(5)
    assert not waiter.is_alive()
    assert [type(e) for e in raised] == [KeyboardInterrupt]
    assert cleaned_up == ["opened"]
    assert page._target.cancelled


def test_after_an_interrupt_the_next_call_stops_even_a_quick_one(loop: Playwrights) -> None:
    page = loop.playwright.page
    results: list[str] = []

    def client() -> None:
        page.evaluate("before")  # quick calls, each far shorter than POLL_S: a fast site
        loop.stopping.set()  # Ctrl-C between two calls
        try:
            page.evaluate("after")
            results.append("went on")
        except KeyboardInterrupt:
            results.append("stopped")
        results.append(page.evaluate("clean-up")["script"])  # told once: its clean-up runs

    worker = threading.Thread(target=client)
    worker.start()
    worker.join(5)
    assert results == ["stopped", "clean-up"]
    assert page._target.received == [None, None]  # "after" never reached the page


def test_stop_stops_playwright_and_its_thread() -> None:
    made: list[FakePlaywright] = []

    async def start() -> FakePlaywright:
        made.append(FakePlaywright())
        return made[-1]

    started = Playwrights(start)
    started.stop()
    assert made[0].stopped
    assert not started.thread.is_alive()


def test_a_call_after_playwright_stopped_raises_playwrights_error() -> None:
    """A client still cleaning up when the driver was replaced gets the error a closed browser gives,
    which the driver handles, not an internal error."""
    from playwright.sync_api import Error as PlaywrightError

    async def start() -> FakePlaywright:
        return FakePlaywright()

    started = Playwrights(start)
    page = started.playwright.page
    started.stop()
    with pytest.raises(PlaywrightError, match="Playwright was stopped"):
        page.evaluate("() => 1")
