"""`python -m autofill` is the `autofill` command."""

from autofill.cli import main

if __name__ == "__main__":
    main()
