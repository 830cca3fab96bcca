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


def descendants(root: int) -> list[int]:
    """Pids of every live descendant of `root`, by parent pid (Chromium's zygote-born processes rewrite
    their environment for their titles, so an inherited marker does not find them)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue  # gone meanwhile
            children.setdefault(parent, []).append(int(entry.name))
    found, stack = [], list(children.get(root, []))
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack += children.get(pid, [])
    return found


def _command_lines(root: int) -> Iterator[tuple[int, list[bytes]]]:
    for pid in descendants(root):
        try:
            yield pid, (Path("/proc") / str(pid) / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue


def browsers_under(root: int) -> list[int]:
    """Pids of the Chromium browser processes (not their renderers or helpers) among `root`'s descendants."""
    return [
        pid
        for pid, args in _command_lines(root)
        if b"--remote-debugging-pipe" in args and not any(a.startswith(b"--type=") for a in args)
    ]


def drivers_under(root: int) -> list[int]:
    """Pids of the Playwright drivers (`node … run-driver`) among `root`'s descendants."""
    return [pid for pid, args in _command_lines(root) if b"run-driver" in args]
