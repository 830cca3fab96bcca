"""el-upload: the hidden file input, the page's own before-upload check, the server's answer.

What is on the site is read back as the names in the upload list and, for a picture preview, the
picture's own bytes (so the same photo is not uploaded twice).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autofill.widgets.base import SEEN, Adapter, Item, SessionExpired, fold


@dataclass(frozen=True)
class Shown:
    names: tuple[str, ...]
    digests: tuple[str, ...]

    def __str__(self) -> str:
        return "、".join(self.names) or ("(已上传图片)" if self.digests else "")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Upload(Adapter):
    kind = "upload"

    def parse(self, raw: Any) -> Shown:
        """The names listed, and the digests of the pictures shown (fetched with the page's session)."""
        names = tuple(dict.fromkeys(fold(n) for n in raw["names"]))
        digests = []
        for src in raw["sources"]:
            if src.startswith("http"):
                answer = self.page.request.get(src)
                if answer.ok:
                    digests.append(hashlib.sha256(answer.body()).hexdigest())
                elif self.ui.is_expired(answer.text()):
                    raise SessionExpired  # the picture is there, but the session ended before it could be read
        return Shown(names, tuple(digests))

    def same(self, wanted: Any, shown: Any) -> bool:
        if not isinstance(shown, Shown):
            return False
        if wanted is None:
            return not shown.names
        path = Path(wanted)
        return path.name in shown.names or digest(path) in shown.digests

    def show(self, value: Any) -> str:
        return Path(value).name if isinstance(value, Path | str) and value else str(value or "")

    def write(self, item: Item, value: Any) -> None:
        if value is None:
            raise self.where.fail("网站上已有文件，档案未列出", "the site holds a file the profile does not name")
        item.locator("input[type=file]").set_input_files(str(value))
        # The answer: a message from the page (uploaded, or refused), or the file listed as uploaded —
        # or, for a file sent later with its form (`deferred`), listed as ready to send.
        done = ["is-ready", "is-success"] if self.spec.deferred else ["is-success"]
        self.ui.wait_for(
            """([selector, seen, name, done]) => {
              const item = document.querySelector(selector);
              if (!item) return true;  // gone: the read-back below says so
              if ([...document.querySelectorAll('.el-message')].some(m => !m.hasAttribute(seen))) return true;
              return [...item.querySelectorAll('.el-upload-list__item')].some(li =>
                done.some(c => li.classList.contains(c)) && li.textContent.includes(name));
            }""",
            [item.selector, SEEN, Path(value).name, done],
        )
