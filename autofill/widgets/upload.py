"""el-upload: the hidden file input, the page's own before-upload check, the server's answer.

What is on the site is read back as the names in the upload list and, where the page lets the file be
fetched, its content: a picture preview's source, or the `url` of each listed file (Element UI keeps it
in the upload component's data, `uploadFiles`; the list in the DOM shows only names). A file counts as
the one the profile names only when its content is known and equal (sha256): a file listed under the
same name whose content the page does not give is uploaded again, never assumed to be the same (a
rescanned proof saved over the old file keeps its name).

After an upload, the read-back accepts the sent content, or the sent name as the site shows it: a site
that shortens long names keeps the extension and the beginning of the stem.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import urljoin

from autofill.widgets.base import SEEN, Adapter, Item, SessionExpired, fold

log = logging.getLogger("autofill.widgets")


@dataclass(frozen=True)
class Shown:
    names: tuple[str, ...]  # the names the upload list shows
    digests: tuple[str, ...]  # the sha256 of every file or picture whose content the page gave
    unknown: int = 0  # files listed whose content the page did not give (no url, or it could not be read)

    def __str__(self) -> str:
        return "、".join(self.names) or ("(已上传图片)" if self.digests else "")

    @property
    def empty(self) -> bool:
        return not (self.names or self.digests or self.unknown)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def shortened(shown: str, wanted: str) -> bool:
    """Whether the site shows the file name `wanted` as `shown`: equal, or shortened as a site does with a
    long name (the same extension, the shown stem a non-empty beginning of the wanted stem)."""
    shown, wanted = fold(shown), fold(wanted)
    if shown == wanted:
        return True
    have, want = PurePath(shown), PurePath(wanted)
    return (
        bool(have.stem)
        and have.suffix.lower() == want.suffix.lower()
        and len(have.stem) < len(want.stem)
        and want.stem.startswith(have.stem)
    )


def _data_url(url: str) -> bytes | None:
    """The bytes of a `data:…;base64,…` URL (None for anything else)."""
    head, _, body = url.partition(",")
    if not head.endswith(";base64"):
        return None
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        return None


# Removes every file listed in the upload (its close icon: Element UI shows it on hover, a DOM click works
# without), confirming an `el-message-box` the page may ask first (before-remove). Answers the number of
# files it asked the page to remove; the caller waits for the list to empty.
_REMOVE_JS = """async (item, seen) => {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const icons = [...item.querySelectorAll('.el-upload-list__item .el-icon-close')];
  for (const icon of icons) {
    icon.click();
    await sleep(0);
    const box = [...document.querySelectorAll('.el-message-box__wrapper')]
      .find((b) => !b.hasAttribute(seen) && b.style.display !== 'none');
    const ok = box && box.querySelector('.el-message-box__btns .el-button--primary');
    if (ok) { ok.click(); await sleep(0); }
  }
  return icons.length;
}"""


# Marks the files the upload lists now, so the wait after an upload tells the new file from an old one.
_MARK_LISTED_JS = """(item, seen) => {
  for (const li of item.querySelectorAll('.el-upload-list__item')) li.setAttribute(seen, '1');
}"""


class Upload(Adapter):
    kind = "upload"
    sent: Path | None = None  # the file this adapter's last write sent (for the read-back after it)

    def parse(self, raw: Any) -> Shown:
        """The names listed, and the digests of the files and pictures the page gives (fetched with the
        page's session)."""
        names = tuple(dict.fromkeys(fold(n) for n in raw["names"]))
        digests: list[str] = []
        for src in raw["sources"]:
            found = self._fetch(src)
            if found is not None:
                digests.append(found)
        unknown = 0
        files = raw.get("files")
        listed = files if isinstance(files, list) else [{"name": n, "url": ""} for n in names]
        for entry in listed:
            url = str(entry.get("url") or "")
            found = self._fetch(url) if url else None
            if found is None:
                unknown += 1
            elif found not in digests:
                digests.append(found)
        return Shown(names, tuple(digests), unknown)

    def _fetch(self, url: str) -> str | None:
        """The sha256 of what `url` (as the page gives it: absolute, relative to the page, or data:) holds,
        or None when it cannot be read (a blob: URL, a refusal)."""
        if url.startswith("data:"):
            body = _data_url(url)
            return None if body is None else hashlib.sha256(body).hexdigest()
        absolute = urljoin(self.page.url, url)
        if not absolute.startswith(("http://", "https://")):
            return None
        answer = self.page.request.get(absolute)
        if answer.ok:
            return hashlib.sha256(answer.body()).hexdigest()
        if self.ui.is_expired(answer.text()):
            raise SessionExpired  # the file is there, but the session ended before it could be read
        log.info("%s: the listed file could not be read (HTTP %d)", self.where.path, answer.status)
        return None

    def apply(self, item: Item, wanted: Any) -> tuple[bool, Any]:
        self.sent = None
        return super().apply(item, wanted)

    def same(self, wanted: Any, shown: Any) -> bool:
        if not isinstance(shown, Shown):
            return False
        if wanted is None:
            return shown.empty
        path = Path(wanted)
        if digest(path) in shown.digests:
            return True
        if self.sent is not None and Path(self.sent) == path:
            # Read back after this adapter's upload, which the page accepted (no error message): the list
            # shows the sent name (perhaps shortened) when the site does not give the content back, or
            # gives it changed (a site that re-encodes pictures).
            return any(shortened(name, path.name) for name in shown.names)
        if any(fold(name) == fold(path.name) for name in shown.names):
            log.info(
                "%s: %s is listed but its content is unknown or differs: uploading it again", self.where.path, path.name
            )
        return False

    def show(self, value: Any) -> str:
        return Path(value).name if isinstance(value, Path | str) and value else str(value or "")

    def write(self, item: Item, value: Any) -> None:
        if value is None:
            self._remove(item)
            return
        self.sent = Path(value)
        item.call(_MARK_LISTED_JS, SEEN)
        item.locator("input[type=file]").set_input_files(str(value))
        # The answer: a message from the page (uploaded, or refused), or the file newly listed as uploaded
        # — or, for a file sent later with its form (`deferred`), as ready to send. The files listed before
        # are marked seen: one of the same name is the old file. The site may shorten a long name: the list
        # item is matched by the name's beginning.
        done = ["is-ready", "is-success"] if self.spec.deferred else ["is-success"]
        name = fold(Path(value).name)
        self.ui.wait_for(
            """([selector, seen, start, done]) => {
              const item = document.querySelector(selector);
              if (!item) return true;  // gone: the read-back below says so
              if ([...document.querySelectorAll('.el-message')].some(m => !m.hasAttribute(seen))) return true;
              return [...item.querySelectorAll('.el-upload-list__item')].some(li => !li.hasAttribute(seen) &&
                done.some(c => li.classList.contains(c)) && fold(li.textContent).includes(start));
            }""",
            [item.selector, SEEN, name[: max(1, min(len(PurePath(name).stem), 8))], done],
        )

    def _remove(self, item: Item) -> None:
        """Remove the listed file(s) through the list's close icon; fails when the page offers none."""
        if not item.call(_REMOVE_JS, SEEN):
            raise self.where.fail(
                "网站上已有文件，档案未列出，页面不能删除它",
                "the site holds a file the profile does not name, and the page offers no way to remove it",
            )
        self.ui.wait_for(
            """([selector, seen]) => {
              const item = document.querySelector(selector);
              if (!item) return true;
              if ([...document.querySelectorAll('.el-message--error')].some(m => !m.hasAttribute(seen))) return true;
              return !item.querySelector('.el-upload-list__item');
            }""",
            [item.selector, SEEN],
        )
