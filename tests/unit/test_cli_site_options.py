"""`--url` and `--solver` are checked when the command line is read: a bad one is a usage error (exit 2)
naming the option, before any profile is read, password asked or browser started."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from autofill.cli import app
from tests.unit.conftest import EXAMPLES

BAD_PROFILE = "no-such-profile.yaml"  # read only after the options: its error must not be the one shown


@pytest.mark.parametrize("command", ["run", "status", "register", "batch"])
@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("--url", "not a url", "http:// or https://"),
        ("--url", "", "http:// or https://"),
        ("--url", "http://[::1", "http:// or https://"),
        ("--url", "ftp://127.0.0.1/", "http:// or https://"),
        ("--solver", "robot", "must be `person` or `replica`"),
    ],
)
def test_a_bad_url_or_solver_is_a_usage_error_naming_the_option(
    command: str, option: str, value: str, words: str
) -> None:
    result = CliRunner().invoke(app, [command, str(EXAMPLES / BAD_PROFILE), option, value])

    assert result.exit_code == 2, result.output
    assert option in result.output and words in result.output, result.output
    assert BAD_PROFILE not in result.output and "Traceback" not in result.output
    lead = f"错误 (error): 选项 {option} 的值无效 (invalid value for '{option}'): "  # said once, then our words
    assert result.output.count("错误 (error)") == 1 and lead in result.output, result.output
    assert result.output.index(lead) < result.output.index(words)


def test_a_local_http_address_is_taken() -> None:
    result = CliRunner().invoke(app, ["status", str(EXAMPLES / BAD_PROFILE), "--url", "http://127.0.0.1:9/"])

    assert result.exit_code == 1  # past the options: the missing profile is what stops it
    assert BAD_PROFILE in result.output
