"""el-upload: the hidden file input, the page's own before-upload check, the server's answer.

What is on the site is read back as the names in the upload list and, for a picture preview, the
picture's own bytes (so the same photo is not uploaded twice).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autofill.widgets.base import SEEN, Adapter, SessionExpired, fold

if TYPE_CHECKING:
    from playwright.sync_api import Locator


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

    def read(self, item: Locator) -> Shown:
        names = tuple(dict.fromkeys(fold(n) for n in item.locator(".el-upload-list__item-name").all_inner_texts()))
        digests = []
        sources = item.locator("img").evaluate_all(
            "(els, sample) => els.filter(e => e.alt !== sample).map(e => e.src)", self.spec.sample
        )
        for src in sources:
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

    def write(self, item: Locator, value: Any) -> None:
        if value is None:
            raise self.where.fail("网站上已有文件，档案未列出", "the site holds a file the profile does not name")
        item.locator("input[type=file]").set_input_files(str(value))
        # The answer: a message from the page (uploaded, or refused), or the file listed as uploaded —
        # or, for a file sent later with its form (`deferred`), listed as ready to send.
        done = ["is-ready", "is-success"] if self.spec.deferred else ["is-success"]
        self.page.wait_for_function(
            """([item, seen, name, done]) => {
              if ([...document.querySelectorAll('.el-message')].some(m => !m.hasAttribute(seen))) return true;
              return [...item.querySelectorAll('.el-upload-list__item')].some(li =>
                done.some(c => li.classList.contains(c)) && li.textContent.includes(name));
            }""",
            arg=[item.element_handle(), SEEN, Path(value).name, done],
            timeout=self.ui.timeout_ms,
        )
