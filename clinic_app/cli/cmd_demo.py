"""demo: create (or recreate) the demo vault of fictional matters and say how to open it.

The vault goes in Haven's data folder (paths.demo_vault_dir, beside the default vault),
or in `--vault DIR`, and is recreated on every run. The commands printed work exactly
as printed: they name this very program by its absolute path (the virtual environment
need not be on PATH). With a display, `clinic-app demo` then opens the window on it
(app.py).
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import sysconfig
from pathlib import Path

from clinic_app.cli.context import CliContext
from clinic_app.errors import ExitCode
from clinic_app.i18n import _, ngettext
from clinic_app.services.demo import DEMO_ADMIN, DEMO_PASSPHRASE, DEMO_USERS, create_demo


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("demo", parents=[common],
                       help=_("create the demo vault of fictional matters in Haven's data folder (or --vault DIR), "
                              "replacing an earlier demo, and open it in the window when there is a screen"))
    p.add_argument("--kdf-profile", choices=["standard", "fast"], default="standard", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_demo)


def haven_command() -> list[str]:
    """How to start this same Haven from any shell, whatever is on PATH."""
    if getattr(sys, "frozen", False):  # the packaged program
        return [sys.executable]
    scripts = Path(sysconfig.get_path("scripts"))  # the virtual environment's bin/ (Scripts\ on Windows)
    for name in ("clinic-app", "clinic-app.exe"):
        if (scripts / name).is_file():
            return [str(scripts / name)]
    return [sys.executable, "-m", "clinic_app"]


def shell_line(argv: list[str]) -> str:
    return subprocess.list2cmdline(argv) if os.name == "nt" else shlex.join(argv)


def open_commands(folder: Path) -> tuple[str, str]:
    """(open the window, list the matters from the command line) on the demo vault."""
    base = [*haven_command(), "--vault", str(folder), "--user", DEMO_ADMIN]
    window = shell_line(base)
    if os.name == "nt":
        return window, shell_line([*base, "list", "matters"])
    command = shell_line([*base, "--passphrase-stdin", "list", "matters"])
    return window, f"printf '%s\\n' {shlex.quote(DEMO_PASSPHRASE)} | {command}"


def cmd_demo(ctx: CliContext) -> int:
    demo = create_demo(ctx.folder if ctx.args.vault else None, kdf_profile=ctx.args.kdf_profile)
    print((_("Demo vault recreated in {folder}") if demo.replaced else _("Demo vault created in {folder}")).format(
        folder=demo.folder))
    print(_("Status: {state}, schema {version}, {users}").format(
        state=_("intact") if demo.report.ok else _("DAMAGED"), version=demo.report.schema_version,
        users=ngettext("{count} user", "{count} users", len(demo.users)).format(count=len(demo.users))))
    print()
    print(_("Users and passphrases (fictional data only):"))
    print(f"  {DEMO_ADMIN:<10} admin      {DEMO_PASSPHRASE}")
    for name, (role, passphrase) in DEMO_USERS.items():
        print(f"  {name:<10} {role.value:<10} {passphrase}")
    window, listing = open_commands(demo.folder)
    print()
    print(_("Open it in Haven's window (on a computer with a screen):"))
    print(f"  {window}")
    print(_("List its matters from the command line:"))
    print(f"  {listing}")
    print(_("Running the demo command again recreates the demo vault, with dates counted from that day."))
    return ExitCode.OK if demo.report.ok else ExitCode.DAMAGED
