"""`autofill mock serve` (being built: issue 5)."""

import typer

app = typer.Typer(no_args_is_help=True, help="The replica of the platform, for tests and demos.")
