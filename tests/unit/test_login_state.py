"""Login state kept per client: private files named by a hash, written atomically, corrupt ones dropped."""

from __future__ import annotations

import logging
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from stdnum.cn import ric

from autofill import login_state
from autofill.masking import mask_id

ID_NUMBER = "53010219900512123" + ric.calc_check_digit("53010219900512123" + "0")
SITE = "http://127.0.0.1:8000"
STATE: dict[str, Any] = {
    "cookies": [
        {
            "name": "AUSMSESSION",
            "value": "abc123",
            "domain": "127.0.0.1",
            "path": "/",
            "expires": -1,
            "httpOnly": True,
            "secure": False,
            "sameSite": "Lax",
        }
    ],
    "origins": [{"origin": SITE, "localStorage": [{"name": "step", "value": "3"}]}],
}


class FakeContext:
    """Stands in for a Playwright BrowserContext: only `storage_state()` is used."""

    def __init__(self, state: Any) -> None:
        self.state = state

    def storage_state(self) -> Any:
        return self.state


if TYPE_CHECKING:  # mypy proves a real Playwright context fits what save_state asks for
    from playwright.sync_api import BrowserContext

    def _fits(context: BrowserContext) -> login_state.StorageStateSource:
        return context


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(login_state.HOME_ENV, str(tmp_path / "home"))
    return tmp_path / "home"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_file_name_holds_no_id(home: Path) -> None:
    path = login_state.state_path(ID_NUMBER, SITE)
    assert path.parent == home / "state"
    assert ID_NUMBER not in str(path)
    assert ID_NUMBER[-4:] not in path.name
    assert mask_id(ID_NUMBER) not in str(path)
    assert path.suffix == ".json"


def test_one_file_per_site_and_person() -> None:
    other = "11010519491231002" + ric.calc_check_digit("11010519491231002" + "0")
    assert login_state.state_path(ID_NUMBER, SITE) == login_state.state_path(ID_NUMBER, SITE + "/")
    assert login_state.state_path(ID_NUMBER, SITE) != login_state.state_path(other, SITE)
    assert login_state.state_path(ID_NUMBER, SITE) != login_state.state_path(ID_NUMBER, "https://ausm.mof.gov.cn")


def test_default_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(login_state.HOME_ENV)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert login_state.state_path(ID_NUMBER, SITE).parent == tmp_path / ".autofill" / "state"


def test_saved_private_and_read_back() -> None:
    path = login_state.state_path(ID_NUMBER, SITE)
    login_state.save_state(FakeContext(STATE), path)
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert login_state.load_state(path) == STATE
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


def test_saving_again_replaces_the_state() -> None:
    path = login_state.state_path(ID_NUMBER, SITE)
    login_state.save_state(FakeContext(STATE), path)
    login_state.save_state(FakeContext({"cookies": [], "origins": []}), path)
    assert login_state.load_state(path) == {"cookies": [], "origins": []}
    assert mode(path) == 0o600


def test_loose_permissions_are_tightened() -> None:
    path = login_state.state_path(ID_NUMBER, SITE)
    login_state.save_state(FakeContext(STATE), path)
    path.chmod(0o644)
    assert login_state.load_state(path) == STATE
    assert mode(path) == 0o600


def test_missing_is_none() -> None:
    assert login_state.load_state(login_state.state_path(ID_NUMBER, SITE)) is None


@pytest.mark.parametrize("content", ['{"cookies": [', '["not", "a", "state"]', '{"cookies": "x"}', "\udcff"])
def test_corrupt_is_removed_with_a_warning(content: str, caplog: pytest.LogCaptureFixture) -> None:
    path = login_state.state_path(ID_NUMBER, SITE)
    path.parent.mkdir(parents=True)
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    with caplog.at_level(logging.WARNING, logger="autofill"):
        assert login_state.load_state(path) is None
    assert not path.exists()
    assert any("重新登录" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)


def test_forget() -> None:
    path = login_state.state_path(ID_NUMBER, SITE)
    login_state.save_state(FakeContext(STATE), path)
    assert login_state.forget_state(path) is True
    assert not path.exists()
    assert login_state.forget_state(path) is False
