"""The processes of one batch: every one it starts inherits a marker in its environment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path


def marked(name: str, value: str) -> Iterator[Path]:
    """`/proc/<pid>` of every process whose environment holds `name=value` (ones that vanish meanwhile,
    or are not ours to read, are passed over)."""
    needle = f"{name}={value}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                yield entry
        except OSError:
            continue
