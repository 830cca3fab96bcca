"""Injected faults: parsed strictly, reproducible from the seed, latency without blocking others."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from ausm_replica.clock import FakeClock
from ausm_replica.errors import ConfigError
from ausm_replica.faults import FaultSpec, parse_faults
from ausm_replica.testing import ReplicaServer

from .helpers import Person, attachment, refused


def test_fault_spec_parsing() -> None:
    spec = parse_faults("latency=50-800,save_error_rate=0.1,upload_error_rate=0.05,session_ttl=120")
    assert spec == FaultSpec(latency_ms=(50, 800), save_error_rate=0.1, upload_error_rate=0.05, session_ttl=120)
    assert parse_faults(spec.describe()) == spec
    assert parse_faults("") == FaultSpec() and parse_faults(None).describe() == "none"
    assert parse_faults("latency=200").latency_ms == (200, 200)
    for bad in ("latency=800-50", "save_error_rate=2", "upload_error_rate=x", "session_ttl=0", "typo=1", "latency"):
        with pytest.raises(ConfigError, match=r"故障设置无效.*\(bad fault setting"):
            parse_faults(bad)


def _saves(someone: Person, count: int) -> list[int]:
    """PUT the scope `count` times; the status codes, checking a failed save changed nothing."""
    statuses = []
    kept = None
    for i in range(count):
        scope = i % 5 + 1
        response = someone.client.put("/api/record/scope", json={"scope": scope})
        statuses.append(response.status_code)
        if response.status_code == 500:
            refused(response, 500, "系统繁忙，请稍后再试")
        else:
            kept = scope
        assert someone.record()["scope"] == kept
    return statuses


def test_same_seed_same_save_errors(server: ReplicaServer, person: Callable[..., Person]) -> None:
    runs = []
    for seed in (7, 7, 8):
        server.reset()
        server.qa("POST", "/__mock__/config", json={"faults": "save_error_rate=0.5", "seed": seed})
        runs.append(_saves(person(), 16))
    assert runs[0] == runs[1], "same seed, same fault sequence"
    assert runs[0] != runs[2], "another seed, another sequence"
    assert {200, 500} <= set(runs[0])
    log = server.qa("GET", "/__mock__/faults")
    assert log["seed"] == 8 and [e["kind"] for e in log["log"]] == ["save"] * runs[2].count(500)


def test_latency_sequence_uses_the_clock(
    server: ReplicaServer, clock: FakeClock, person: Callable[..., Person]
) -> None:
    someone = person()
    sequences = []
    for _ in range(2):
        server.qa("POST", "/__mock__/config", json={"faults": "latency=50-800", "seed": 3})
        start = len(clock.slept)
        for _ in range(6):
            assert someone.client.get("/api/config").status_code == 200
        server.qa("GET", "/__mock__/config")  # the QA API is never delayed
        sequences.append(clock.slept[start:])
    assert sequences[0] == sequences[1] and len(sequences[0]) == 6
    assert all(0.05 <= s <= 0.8 for s in sequences[0]) and len(set(sequences[0])) > 1


def test_upload_errors_store_nothing(server: ReplicaServer, person: Callable[..., Person]) -> None:
    someone = person()
    server.qa("POST", "/__mock__/config", json={"faults": "upload_error_rate=1"})
    refused(someone.upload(attachment()), 500, "系统繁忙，请稍后再试")
    server.qa("POST", "/__mock__/config", json={"faults": ""})
    assert someone.upload(attachment()).status_code == 200
    assert server.replica.store.count_files(someone.id_number) == 1


def test_session_ttl_fault(server: ReplicaServer, clock: FakeClock, person: Callable[..., Person]) -> None:
    server.qa("POST", "/__mock__/config", json={"faults": "session_ttl=120"})
    client = person().client
    assert client.get("/api/config").json()["session_ttl"] == 120
    clock.advance(121)
    refused(client.get("/api/record"), 401, "登录已过期，请重新登录")


def test_latency_does_not_block_other_requests() -> None:
    with ReplicaServer(faults="latency=400-400") as slow, slow.client() as client:
        client.get("/api/config")  # warm up the connection path
        results: list[int] = []

        def fetch() -> None:
            with slow.client() as own:
                results.append(own.get("/api/options").status_code)

        threads = [threading.Thread(target=fetch) for _ in range(4)]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
    assert results == [200] * 4
    assert 0.4 <= elapsed < 1.2, f"4 requests with 400 ms latency each took {elapsed:.2f}s (serial would be 1.6s)"
