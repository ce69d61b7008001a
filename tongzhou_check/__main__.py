"""`python -m tongzhou_check` runs the CLI."""

from tongzhou_check.cli import main

main()
