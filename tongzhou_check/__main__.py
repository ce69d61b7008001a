"""`python -m tongzhou_check` and the `tzcheck` command: `--version` answered at once, without loading the
checker (pandas and the rest take a second or two); everything else runs the CLI."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from tongzhou_check import __version__

        sys.stdout.write(f"tzcheck {__version__}\n")
        return
    from tongzhou_check.cli import main as run

    run()


if __name__ == "__main__":
    main()
