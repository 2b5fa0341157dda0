"""demo: create a vault of fictional matters and say how to open it."""

from __future__ import annotations

import argparse

from clinic_app.cli.context import CliContext
from clinic_app.errors import ExitCode
from clinic_app.i18n import _
from clinic_app.services.demo import DEMO_ADMIN, DEMO_PASSPHRASE, DEMO_USERS, create_demo


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("demo", parents=[common],
                       help=_("create a demo vault of fictional matters (in a temporary folder unless --vault)"))
    p.add_argument("--kdf-profile", choices=["standard", "fast"], default="standard", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_demo)


def cmd_demo(ctx: CliContext) -> int:
    demo = create_demo(ctx.folder if ctx.args.vault else None, kdf_profile=ctx.args.kdf_profile)
    print(_("Demo vault created in {folder}").format(folder=demo.folder))
    print(_("Status: {state}, schema {version}, {count} users").format(
        state=_("intact") if demo.report.ok else _("DAMAGED"),
        version=demo.report.schema_version, count=len(demo.users)))
    print()
    print(_("Users and passphrases (fictional data only):"))
    print(f"  {DEMO_ADMIN:<10} admin      {DEMO_PASSPHRASE}")
    for name, (role, passphrase) in DEMO_USERS.items():
        print(f"  {name:<10} {role.value:<10} {passphrase}")
    print()
    print(_("Open it, for example:"))
    print(f"  clinic-app --vault {demo.folder} --user {DEMO_ADMIN} user list")
    return ExitCode.OK if demo.report.ok else ExitCode.DAMAGED
