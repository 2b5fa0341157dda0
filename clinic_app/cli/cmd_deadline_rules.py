"""deadline-rules [--set-province XX]: the clinic's rules folder, its province, the rules files
in force (Haven's own or the clinic's copy) and the unconfirmed rules; the window's
Vault > Deadline rules dialog shows the same (services/deadline_settings.py).

Exit code 1 when a rules file in the clinic's folder is refused: the loader's message
names the file, the rule and the field, and no deadline is computed until it is fixed.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from clinic_app.cli.context import CliContext
from clinic_app.cli.output import emit_json, emit_table
from clinic_app.domain.citations import cite
from clinic_app.errors import ExitCode
from clinic_app.i18n import _, current_language
from clinic_app.services import deadline_settings
from clinic_app.services.deadline_settings import PROVINCE_NAMES, RulesOverview


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("deadline-rules", parents=[common],
                       help=_("the clinic's rules folder and province, and the deadline rules in force"))
    p.add_argument("--set-province", metavar="XX",
                   help=_("save the clinic's province or territory (its holidays are noted on deadlines)"))
    p.add_argument("--json", action="store_true", help=_("print as JSON"))
    p.set_defaults(func=cmd_deadline_rules)


def province_label(code: str) -> str:
    name = PROVINCE_NAMES.get(code)
    return f"{code} ({_(name)})" if name else code


def overview_data(shown: RulesOverview, lang: str) -> dict[str, Any]:
    return {
        "folder": str(shown.folder), "province": shown.province, "error": shown.error,
        "files": [{"name": f.name, "forum": f.forum, "clinic_copy": f.overridden, "path": str(f.path),
                   "rules": len(f.rule_ids)} for f in shown.files],
        "unconfirmed": [{"rule": r.id, "title": r.name.get(lang), "citation": cite(r.citation, lang)}
                        for r in shown.unconfirmed],
    }


def cmd_deadline_rules(ctx: CliContext) -> int:
    args = ctx.args
    lang = current_language()
    with ctx.unlock() as session:
        before = deadline_settings.clinic_province(session)
        if args.set_province:
            deadline_settings.set_clinic_province(session, args.set_province)
        shown = deadline_settings.rules_overview(session)
    data = overview_data(shown, lang)
    code = ExitCode.FAILED if shown.error else ExitCode.OK
    if args.json:
        emit_json(data)
        return code
    if args.set_province:
        said = _("The clinic's province is now {province}.") if shown.province != before else \
            _("The clinic's province was already {province}.")
        print(said.format(province=province_label(shown.province)))
    print(_("Rules folder: {path}").format(path=data["folder"]))
    print(_("Province for holidays: {province}").format(province=province_label(shown.province)))
    if shown.error:
        print(f"clinic-app: {shown.error}", file=sys.stderr)
        print(_("No deadline can be computed until this file is corrected or removed from the rules folder."),
              file=sys.stderr)
        return code
    print()
    emit_table([_("File"), _("Forum"), _("In force"), _("Rules")],
               [(f["name"], f["forum"], _("the clinic's copy") if f["clinic_copy"] else _("Haven's own"), f["rules"])
                for f in data["files"]], empty=_("No rules files."))
    print()
    if data["unconfirmed"]:
        print(_("Unconfirmed rules (check each against its source):"))
        for r in data["unconfirmed"]:
            print(f"  {r['rule']}  {r['title']}  ({r['citation']})")
    else:
        print(_("Every rule is confirmed."))
    return code
