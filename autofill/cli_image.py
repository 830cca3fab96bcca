"""`autofill image …`: check, fix and merge pictures before upload (being built: issue 4)."""

import typer

app = typer.Typer(no_args_is_help=True, help="Check, fix and merge pictures before they are uploaded.")
