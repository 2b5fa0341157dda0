"""list clients | matters | documents | letters."""

from __future__ import annotations

import argparse

from clinic_app.cli.context import CliContext
from clinic_app.cli.output import emit_json, emit_table
from clinic_app.errors import ExitCode
from clinic_app.i18n import _
from clinic_app.services import records

KINDS = ("clients", "matters", "documents", "letters")


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("list", parents=[common], help=_("list clients, matters, documents or letters"))
    p.add_argument("kind", choices=KINDS)
    p.add_argument("--json", action="store_true", help=_("print as JSON"))
    p.set_defaults(func=cmd_list)


def cmd_list(ctx: CliContext) -> int:
    with ctx.unlock() as session:
        listing = records.listing(session, ctx.args.kind)
    if ctx.args.json:
        emit_json(listing.rows)
    else:
        emit_table(listing.headers, [[row.get(k) for k in listing.keys] for row in listing.rows],
                   empty=_("Nothing to list yet."))
    return ExitCode.OK
