"""One replica for the whole package (a fake clock, so no test waits), reset after every test."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

MOCK_SITE = Path(__file__).resolve().parents[3] / "fixtures" / "mock_site"
if str(MOCK_SITE) not in sys.path:
    sys.path.insert(0, str(MOCK_SITE))

from ausm_replica.clock import FakeClock  # noqa: E402
from ausm_replica.testing import ReplicaServer  # noqa: E402

from .helpers import Person  # noqa: E402

DEFAULTS = {"layout": "national", "faults": "", "seed": 0, "session_ttl": 1800}


@pytest.fixture(scope="session")
def clock() -> FakeClock:
    """The replica's clock: moves only when a test says so."""
    return FakeClock(start=1_736_000_000.0)  # 2025-01-04


@pytest.fixture(scope="session")
def server(clock: FakeClock) -> Iterator[ReplicaServer]:
    """The replica on a free port, for the whole session."""
    with ReplicaServer(clock=clock) as running:
        yield running


@pytest.fixture(autouse=True)
def _clean(server: ReplicaServer) -> Iterator[None]:
    yield
    server.qa("POST", "/__mock__/config", json=DEFAULTS)
    server.reset()


@pytest.fixture
def person(server: ReplicaServer) -> Iterator[Callable[..., Person]]:
    """Make people (accounts created through the QA API); their clients close afterwards."""
    made: list[Person] = []

    def make(*, verified: bool = True, login: bool = True, name: str = "张三") -> Person:
        someone = Person.create(server, verified=verified, name=name)
        made.append(someone)
        return someone.login() if login else someone

    yield make
    for someone in made:
        someone.close()
