"""Shared helpers for unit tests: copies of the example profiles that a test can change."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

EXAMPLES = Path(__file__).resolve().parents[2] / "profiles" / "examples"

Mutator = Callable[[dict[str, Any]], None]


class Examples:
    """A writable copy of profiles/examples in a temporary folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, name: str) -> Path:
        return self.root / f"{name}.yaml"

    def data(self, name: str) -> dict[str, Any]:
        loaded = yaml.safe_load(self.path(name).read_text(encoding="utf-8"))
        assert isinstance(loaded, dict)
        return loaded

    def variant(self, name: str, change: Mutator, out: str = "variant") -> Path:
        """The example `name` with `change` applied, saved beside the same pictures."""
        data = self.data(name)
        change(data)
        target = self.root / f"{out}.yaml"
        target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return target


@pytest.fixture
def examples(tmp_path: Path) -> Examples:
    root = tmp_path / "examples"
    shutil.copytree(EXAMPLES, root)
    return Examples(root)
