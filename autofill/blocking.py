"""One Playwright (one driver, one browser) for several threads, each calling it as the sync API.

Playwright's sync API binds a driver process to the thread that started it, so clients in threads would
each need their own driver and browser (about 1 GiB each). Here one thread runs Playwright's async API
in an event loop; every client thread holds `Blocking` wrappers around the async objects, and a call on
one runs the coroutine on that loop and waits for its answer. The clients' waits overlap on one driver.

The driver, steps and widgets stay written against the sync API: a `Blocking` page has the same
methods, takes the same arguments and raises the same errors (Playwright's `Error` and `TimeoutError`
are one class in both APIs). An `Interrupt` set makes the call each thread is waiting on raise
KeyboardInterrupt, once, as Ctrl-C does to a sync Playwright run: each client writes its report and stops.
Playwright stopped under a thread (its driver died and was replaced) raises Playwright's Error there.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
import logging
import threading
from collections.abc import Callable, Coroutine
from typing import Any, NoReturn

log = logging.getLogger("autofill.blocking")

POLL_S = 0.1  # how often a waiting call looks whether the batch was interrupted


class Interrupt:
    """Ctrl-C for several threads: once set, each thread is told once (`tell`), so that its clean-up
    (writing the report, closing its context) then runs without being interrupted again."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self._told: set[int] = set()
        self._lock = threading.Lock()

    def set(self) -> None:
        self.event.set()

    def is_set(self) -> bool:
        return self.event.is_set()

    def wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`; True if interrupted meanwhile."""
        return self.event.wait(seconds)

    def tell(self) -> bool:
        """True the first time the calling thread asks after `set`."""
        with self._lock:
            me = threading.get_ident()
            if not self.event.is_set() or me in self._told:
                return False
            self._told.add(me)
            return True

    def stop_here(self) -> NoReturn:
        """Stop the calling thread now (KeyboardInterrupt), counting it as told: its clean-up runs on."""
        self.tell()
        raise KeyboardInterrupt


class Playwrights:
    """The loop thread with its async Playwright: `playwright` is the `Blocking` entry point.
    (`start` makes the async Playwright; tests give a stand-in.)"""

    def __init__(
        self, start: Callable[[], Coroutine[Any, Any, Any]] | None = None, stopping: Interrupt | None = None
    ) -> None:
        if start is None:
            from playwright.async_api import async_playwright

            start = async_playwright().start
        self.stopping = stopping or Interrupt()
        self.loop = asyncio.new_event_loop()
        # what the loop cannot hand to anyone (a driver that died leaves one) goes to the log, not the screen
        self.loop.set_exception_handler(lambda loop, context: log.debug("playwright loop: %s", context.get("message")))
        self.thread = threading.Thread(target=self.loop.run_forever, name="playwright", daemon=True)
        self.thread.start()
        self._async = self.run(start())
        self.playwright = Blocking(self._async, self)

    def run(self, coro: Coroutine[Any, Any, Any], *, interruptible: bool = True) -> Any:
        """Run `coro` on the loop and wait for its result. Once interrupted, the first call of each thread
        that is still waiting raises KeyboardInterrupt; its later calls (the clean-up) run as usual.
        Playwright stopped meanwhile (its driver replaced): Playwright's Error, as for a closed browser."""
        if interruptible and self.stopping.tell():  # a call that takes less than POLL_S must not slip past
            coro.close()
            raise KeyboardInterrupt
        try:
            future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        except RuntimeError:  # the loop is closed
            coro.close()
            raise _stopped() from None
        while True:
            try:
                return future.result(timeout=POLL_S)
            except concurrent.futures.TimeoutError:
                if interruptible and self.stopping.tell():
                    future.cancel()
                    raise KeyboardInterrupt from None
                if not self.thread.is_alive():
                    raise _stopped() from None

    def stop(self) -> None:
        """Stop Playwright (its driver closes what is still open) and the loop thread."""
        try:
            self.run(self._async.stop(), interruptible=False)
        except Exception as exc:  # the driver may be gone already: the loop still stops
            log.debug("stopping playwright: %s", exc)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=30)
            if not self.thread.is_alive():
                self.loop.close()


class Blocking:
    """An async Playwright object seen as its sync twin: methods that are coroutines run on the loop
    and are waited for; objects and lists of objects that come back are wrapped too."""

    __slots__ = ("_owner", "_target")

    def __init__(self, target: Any, owner: Playwrights) -> None:
        self._target = target
        self._owner = owner

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if not callable(value):
            return self._wrap(value)

        def call(*args: Any, **kwargs: Any) -> Any:
            answer = value(*_unwrap(args), **_unwrap(kwargs))
            if inspect.iscoroutine(answer):
                answer = self._owner.run(answer)
            elif inspect.isawaitable(answer):
                answer = self._owner.run(_awaited(answer))
            return self._wrap(answer)

        return call

    def _wrap(self, value: Any) -> Any:
        if type(value).__module__.startswith("playwright.async_api"):
            return Blocking(value, self._owner)
        if isinstance(value, list):
            return [self._wrap(v) for v in value]
        return value

    def __repr__(self) -> str:
        return f"Blocking({self._target!r})"


def _stopped() -> Exception:
    from playwright.sync_api import Error

    return Error("Playwright 已停止 (Playwright was stopped: its driver is gone)")


async def _awaited(awaitable: Any) -> Any:
    return await awaitable


def _unwrap(value: Any) -> Any:
    if isinstance(value, Blocking):
        return value._target
    if isinstance(value, list | tuple):
        return type(value)(_unwrap(v) for v in value)
    if isinstance(value, dict):
        return {k: _unwrap(v) for k, v in value.items()}
    return value
