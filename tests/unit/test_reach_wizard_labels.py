"""A page that stops answering while `reach_wizard` is at 实名认证 (or after it, on the way into the wizard)
fails as 实名认证, worth another try; at 登录 as 登录. Was: every such failure was labelled 登录."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from autofill.driver import Options, Session
from autofill.errors import StepError


def stuck(*_: Any) -> None:
    raise PlaywrightTimeout("Locator.click: Timeout 15000ms exceeded.")


def session(places: Iterator[str], **parts: Callable[..., None]) -> Session:
    """A Session whose page shows `places` one after the other; its parts (login, realname, …) replaced."""
    made = Session.__new__(Session)
    made.opts = Options(url="http://replica.invalid/")
    made.where = lambda: next(places)  # type: ignore[method-assign]
    for name in ("login", "realname", "_after_realname", "_open_collect"):
        setattr(made, name, parts.get(name, lambda: None))
    return made


@pytest.mark.parametrize(
    ("places", "parts", "step"),
    [
        (["realname"], {"realname": stuck}, "实名认证"),
        (["realname"], {"_after_realname": stuck}, "实名认证"),
        (["realname", "home"], {"_open_collect": stuck}, "实名认证"),  # the audit's case: after verifying
        (["login"], {"login": stuck}, "登录"),
        (["home"], {"_open_collect": stuck}, "登录"),
        (["realname", "login"], {"login": stuck}, "登录"),
    ],
)
def test_a_page_that_stops_answering_is_named_by_the_part_it_was_in(
    places: list[str], parts: dict[str, Callable[..., None]], step: str
) -> None:
    with pytest.raises(StepError) as failed:
        session(iter(places), **parts).reach_wizard()

    assert failed.value.step == step
    assert failed.value.transient
    assert "Timeout 15000ms exceeded" in str(failed.value)
