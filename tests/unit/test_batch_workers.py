"""How many clients `autofill batch` runs at once when --workers is not given."""

from __future__ import annotations

from pathlib import Path

import pytest

from autofill.batch import BATCH_MEMORY, CLIENT_MEMORY, available_memory, default_workers

GIB = 1024**3


@pytest.mark.parametrize(
    ("cores", "memory", "expected"),
    [
        (2, 16 * GIB, 2),  # one per core
        (16, 64 * GIB, 4),  # at most 4
        (8, BATCH_MEMORY + 3 * CLIENT_MEMORY, 3),  # as many as the free memory holds
        (8, BATCH_MEMORY // 2, 1),  # at least one, however little memory is free
        (1, 16 * GIB, 1),
    ],
)
def test_default_workers_suits_cores_and_memory(cores: int, memory: int, expected: int) -> None:
    assert default_workers(cores, memory) == expected


def test_available_memory_reads_meminfo(tmp_path: Path) -> None:
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       32000000 kB\nMemFree:  100 kB\nMemAvailable:    1048576 kB\n")
    assert available_memory(meminfo) == GIB
    assert default_workers(4, available_memory(meminfo)) == 2  # 600 MiB + 2 × 200 MiB


def test_without_meminfo_cores_decide(tmp_path: Path) -> None:
    assert available_memory(tmp_path / "missing") is None
    (tmp_path / "odd").write_text("MemTotal: 1 kB\n")
    assert available_memory(tmp_path / "odd") is None
