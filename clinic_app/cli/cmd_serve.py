"""serve and supplement: record a bundle's service (freezing its pages) and continue it."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from clinic_app.cli.context import CliContext
from clinic_app.cli.output import emit_json
from clinic_app.errors import ExitCode, UsageError
from clinic_app.i18n import _
from clinic_app.services import bundles


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(_("Not a date (use YYYY-MM-DD): {value}").format(value=text)) from None


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("serve", parents=[common],
                       help=_("build a bundle, record its service (its pages are then frozen) and write a "
                              "statement of service"))
    p.add_argument("bundle", help=_("the bundle's ref"))
    p.add_argument("--out", required=True, type=Path, metavar="FILE.pdf", help=_("the served PDF"))
    p.add_argument("--to", required=True, help=_("on whom it was served"))
    p.add_argument("--method", required=True, help=_("how (My Case, email, fax, hand delivery…)"))
    p.add_argument("--date", default=None, help=_("when (YYYY-MM-DD, default today)"))
    p.add_argument("--statement", type=Path, metavar="FILE.pdf", help=_("also write a statement of service"))
    p.add_argument("--json", action="store_true", help=_("print the result as JSON"))
    p.set_defaults(func=cmd_serve)

    s = sub.add_parser("supplement", parents=[common],
                       help=_("start a supplementary bundle that continues a served bundle's numbering"))
    s.add_argument("bundle", help=_("the served bundle's ref"))
    s.add_argument("--new", required=True, help=_("the new bundle's ref"))
    s.add_argument("--title", required=True, help=_("the new bundle's title"))
    s.set_defaults(func=cmd_supplement)


def cmd_serve(ctx: CliContext) -> int:
    served_on = _day(ctx.args.date) if ctx.args.date else date.today()
    with ctx.unlock() as session:
        result = bundles.build(session, ctx.args.bundle, ctx.args.out)
        entry = bundles.mark_served(session, ctx.args.bundle, served_to=ctx.args.to, method=ctx.args.method,
                                    served_on=served_on, result=result)
        if ctx.args.statement:
            bundles.statement_of_service(session, ctx.args.bundle, ctx.args.statement)
    if ctx.args.json:
        emit_json({"bundle": entry.bundle_ref, "first_page": entry.first_page, "last_page": entry.last_page,
                   "served_on": entry.served_on, "files": [str(p) for p in result.files]})
    else:
        print(_("Served {ref}: pages {first} to {last}; its numbering is now frozen.").format(
            ref=entry.bundle_ref, first=entry.first_page, last=entry.last_page))
    return ExitCode.OK


def cmd_supplement(ctx: CliContext) -> int:
    with ctx.unlock() as session:
        spec = bundles.create_supplementary(session, ctx.args.bundle, ctx.args.new, ctx.args.title)
    print(_("Created {ref}; its pages start at {first}.").format(ref=ctx.args.new,
                                                                 first=spec.settings.first_page_number))
    return ExitCode.OK
