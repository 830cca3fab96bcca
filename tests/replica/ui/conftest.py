"""Fixtures for the replica's own browser tests (pytest-playwright).

The replica starts once per session on a free port (`ausm_replica.testing.ReplicaServer`) and is
reset before every test. Set AUSM_REPLICA_URL to test an already running replica instead
(`autofill mock serve`), and AUSM_REPLICA_SHOTS to a folder (e.g. docs/replica) to keep the
step-by-step screenshots there.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from autofill.browser import find_browser, launch_args
from tests.replica.ui.elements import NO_TRANSITIONS
from tests.replica.ui.people import compact_png, draw_document, draw_photo, draw_tiny
from tests.replica.ui.qa import QA

ROOT = Path(__file__).resolve().parents[3]
MOCK_SITE = ROOT / "fixtures" / "mock_site"
if str(MOCK_SITE) not in sys.path:
    sys.path.insert(0, str(MOCK_SITE))


@pytest.fixture(scope="session")
def replica_url() -> Iterator[str]:
    """The address of the replica under test."""
    external = os.environ.get("AUSM_REPLICA_URL")
    if external:
        yield external.rstrip("/")
        return
    from ausm_replica.testing import ReplicaServer

    with ReplicaServer() as server:
        yield server.url.rstrip("/")


@pytest.fixture(scope="session")
def base_url(replica_url: str) -> str:
    """pytest-playwright's base URL: every `page.goto` is relative to the replica."""
    return replica_url


@pytest.fixture(scope="session")
def qa(replica_url: str) -> Iterator[QA]:
    """The replica's QA API."""
    client = QA(replica_url)
    yield client
    client.close()


@pytest.fixture(autouse=True)
def fresh_replica(qa: QA) -> None:
    """Every test starts from an empty replica in the national layout."""
    qa.reset()
    qa.configure(layout="national", faults="")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """The system Chromium with the project's launch flags, headless."""
    return {
        **browser_type_launch_args,
        "executable_path": str(find_browser()),
        "args": launch_args(),
        "headless": True,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any], base_url: str) -> dict[str, Any]:
    """A Chinese-locale desktop browser pointed at the replica."""
    return {
        **browser_context_args,
        "base_url": base_url,
        "locale": "zh-CN",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture
def page(page: Page) -> Page:
    """pytest-playwright's page, with Element UI's CSS transitions switched off."""
    page.add_init_script(NO_TRANSITIONS)
    page.set_default_timeout(10_000)
    return page


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Where the step screenshots go: AUSM_REPLICA_SHOTS (compacted to 256 colours at the end of the
    session, small enough to keep in the repository), else a temporary folder."""
    chosen = os.environ.get("AUSM_REPLICA_SHOTS")
    if not chosen:
        yield tmp_path_factory.mktemp("replica-shots")
        return
    folder = Path(chosen)
    folder.mkdir(parents=True, exist_ok=True)
    started = time.time()
    yield folder
    for png in folder.glob("*.png"):
        if png.stat().st_mtime >= started:
            compact_png(png)


@pytest.fixture(scope="session")
def pictures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every picture the flows upload, drawn once per session."""
    folder = tmp_path_factory.mktemp("pictures")
    return {
        "photo": draw_photo(folder / "证件照.jpg"),
        "id_front": draw_document(folder / "身份证人像面.jpg", "居民身份证 人像面", seed=11),
        "id_back": draw_document(folder / "身份证国徽面.png", "居民身份证 国徽面", seed=12),
        "handheld": draw_document(folder / "手持证件照.jpg", "手持身份证 人像面", seed=13),
        "diploma": draw_document(folder / "毕业证书.jpg", "普通高等学校 毕业证书", seed=14),
        "degree": draw_document(folder / "学位证书.jpg", "学士学位证书", seed=15),
        "uscc": draw_document(folder / "营业执照.jpg", "营业执照（副本）", seed=16),
        "proof": draw_document(folder / "会计工作经历证明.jpg", "会计工作(经历)证明", seed=17),
        "title": draw_document(folder / "聘任证明.png", "专业技术职务聘任证书", seed=18),
        "qualification": draw_document(folder / "资格证书.jpg", "会计专业技术资格证书", seed=19),
        "tiny": draw_tiny(folder / "太小的附件.jpg"),
    }
