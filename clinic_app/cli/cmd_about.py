"""about: Haven's version and licence, and the licence of every bundled component."""

from __future__ import annotations

import argparse

from clinic_app.cli.context import CliContext
from clinic_app.cli.output import emit_json, emit_table
from clinic_app.errors import ExitCode
from clinic_app.i18n import _
from clinic_app.services import about


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("about", parents=[common],
                       help=_("Haven's version and licence, and the licences of the components it bundles"))
    p.add_argument("--json", action="store_true", help=_("print as JSON"))
    p.set_defaults(func=cmd_about)


def cmd_about(ctx: CliContext) -> int:
    parts = [{"name": c.name, "version": c.version, "licence": c.licence, "declared": c.declared,
              "used_for": _(c.purpose)} for c in about.components()]
    fonts = [{"name": name, "licence": licence, "licence_file": path} for name, licence, path in about.FONTS]
    if ctx.args.json:
        emit_json({"version": about.version(), "licence": about.HAVEN_LICENCE, "components": parts, "fonts": fonts})
        return ExitCode.OK
    print(_("Haven {version}, licensed under {licence}.").format(version=about.version(), licence=about.HAVEN_LICENCE))
    print()
    emit_table([_("Component"), _("Version"), _("Licence"), _("Used for")],
               [(p["name"], p["version"] or _("not installed"), p["licence"], p["used_for"]) for p in parts],
               empty="")
    print()
    emit_table([_("Font"), _("Licence"), _("Licence file")],
               [(f["name"], f["licence"], f["licence_file"]) for f in fonts], empty="")
    return ExitCode.OK
