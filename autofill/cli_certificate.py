"""`autofill certificate` (being built: issue 8)."""

from pathlib import Path


def certificate(profile: Path) -> None:
    """Print the 《会计工作（经历）证明》 for a profile's work rows (PDF or PNG)."""
