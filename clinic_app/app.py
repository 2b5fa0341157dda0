"""Composition root: decides between the window and the command line."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from clinic_app.hardening import harden_process

    harden_process()
    from clinic_app.cli.main import run

    return run(sys.argv[1:] if argv is None else argv)
