"""Where a client's login is kept between runs: Playwright's `storage_state` (cookies + local storage).

One file per (site, person) under `$AUTOFILL_HOME/state/` (default `~/.autofill/state/`), named by a
hash so no ID number appears in any file name. Files are 0600 in a 0700 folder and written
atomically, so a crash never leaves half a file. A file that cannot be read is removed (the driver
then simply logs in again).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any, Protocol

from autofill.errors import AutofillError

HOME_ENV = "AUTOFILL_HOME"

_log = logging.getLogger(__name__)


class StorageStateSource(Protocol):
    """What `save_state` needs of a Playwright `BrowserContext`."""

    def storage_state(self) -> Any:
        """The context's cookies and local storage, as a dict."""
        ...


def autofill_home() -> Path:
    """`$AUTOFILL_HOME`, else `~/.autofill`."""
    configured = os.environ.get(HOME_ENV)
    return Path(configured).expanduser() if configured else Path.home() / ".autofill"


def state_path(id_number: str, site_url: str) -> Path:
    """The state file of one person on one site: `<home>/state/<sha256(site, id)[:16]>.json`."""
    key = f"{site_url.strip().rstrip('/')}\n{id_number.strip().upper()}"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    return autofill_home() / "state" / f"{digest}.json"


def _private_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)


def save_state(context: StorageStateSource, path: Path) -> None:
    """Write the context's storage state to `path` (mode 0600, folder 0700), atomically."""
    data = context.storage_state()
    if not isinstance(data, dict):
        raise AutofillError("浏览器返回的登录状态无效 (the browser returned no usable login state)", file=path.name)
    text = json.dumps(data, ensure_ascii=False)
    try:
        _private_dir(path.parent)
        fd, tmp = tempfile.mkstemp(prefix=".state-", suffix=".tmp", dir=path.parent)  # created 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            Path(tmp).chmod(0o600)
            Path(tmp).replace(path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise AutofillError(f"无法保存登录状态 (cannot save the login state: {exc.strerror})", file=path) from None


def _valid(data: object) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("cookies", []), list)
        and isinstance(data.get("origins", []), list)
    )


def load_state(path: Path) -> dict[str, Any] | None:
    """The kept state (for `browser.new_context(storage_state=…)`), or None when there is none.

    A corrupt file is removed with a warning in the log.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        _discard(path, type(exc).__name__)
        return None
    try:
        data = json.loads(text)
    except ValueError:
        _discard(path, "not JSON")
        return None
    if not _valid(data):
        _discard(path, "not a storage state")
        return None
    with contextlib.suppress(OSError):
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
    return dict(data)


def _discard(path: Path, why: str) -> None:
    _log.warning(
        "登录状态文件已损坏，已删除，将重新登录 "
        "(the saved login state %s was unreadable (%s); removed, logging in again)",
        path.name,
        why,
    )
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def forget_state(path: Path) -> bool:
    """Remove a kept state (log out for good); False when there was none."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise AutofillError(f"无法删除登录状态 (cannot remove the login state: {exc.strerror})", file=path) from None
    return True
