"""Exit codes of the `autofill` command, in one place."""

from enum import IntEnum


class ExitStatus(IntEnum):
    """What the process returns to the shell."""

    OK = 0
    INVALID = 1  # bad input or a failed step: the message says which field
    USAGE = 2  # a bad command line
    INTERRUPTED = 130  # Ctrl-C
