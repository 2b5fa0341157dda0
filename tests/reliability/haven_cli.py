"""`clinic-app` with the reliability commands registered, for the tests in this folder.

Until the lead wires `cmd_backup.register` into `cli/main.py`, this adds it at
start-up; once wired, it changes nothing (the commands are already there).
"""

from __future__ import annotations

import argparse
import sys

from clinic_app.cli import cmd_backup
from clinic_app.cli import main as cli_main

_build = cli_main.build_parser


def build_parser() -> argparse.ArgumentParser:
    parser = _build()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    if "backup" not in sub.choices:
        cmd_backup.register(sub, cli_main._common())
    return parser


cli_main.build_parser = build_parser  # type: ignore[assignment]

if __name__ == "__main__":
    from clinic_app.app import main

    sys.exit(main())
