"""correspondence MATTER [add|delete …], exhibits AFFIDAVIT [DOC…]: the correspondence log of
a matter (the delay chronology of a mandamus record) and the exhibits of an affidavit.

The same service calls as the window's Correspondence tab and the bundle editor's
"Exhibits…" (with "record these exhibits").
"""

from __future__ import annotations

import argparse

from clinic_app.cli.cmd_packages import _day
from clinic_app.cli.context import CliContext
from clinic_app.cli.output import emit_json, emit_table
from clinic_app.domain.correspondence import CorrespondenceEntry, Direction
from clinic_app.errors import ExitCode, UsageError
from clinic_app.i18n import _


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("correspondence", parents=[common],
                       help=_("list a matter's correspondence log, or add or delete an entry"))
    p.add_argument("matter", help=_("the matter's ref or id"))
    p.add_argument("action", nargs="?", choices=["list", "add", "delete"], default="list",
                   help=_("list (the default), add or delete"))
    p.add_argument("entry", nargs="?", help=_("the entry to delete (as the list shows it), or to replace with add"))
    p.add_argument("--date", type=_day, metavar="YYYY-MM-DD", help=_("the day it was sent or received"))
    p.add_argument("--direction", choices=[d.value for d in Direction], help=_("sent or received"))
    p.add_argument("--party", help=_("who it was sent to or received from"))
    p.add_argument("--subject", help=_("what it was about"))
    p.add_argument("--document", metavar="DOC", help=_("the document that proves it (a document of the matter)"))
    p.add_argument("--note", default="", help=_("a note"))
    p.add_argument("--json", action="store_true", help=_("print the log as JSON"))
    p.set_defaults(func=cmd_correspondence)

    p = sub.add_parser("exhibits", parents=[common],
                       help=_("show an affidavit's exhibits, or set them in order (A, B, C…)"))
    p.add_argument("affidavit", metavar="AFFIDAVIT", help=_("the affidavit's document ref"))
    p.add_argument("documents", nargs="*", metavar="DOC", help=_("its exhibits, in order (replaces the list)"))
    p.add_argument("--clear", action="store_true", help=_("remove every exhibit of the affidavit"))
    p.add_argument("--json", action="store_true", help=_("print as JSON"))
    p.set_defaults(func=cmd_exhibits)


def _as_dict(e: CorrespondenceEntry) -> dict[str, object]:
    return {"entry": e.entry, "date": e.day.isoformat(), "direction": e.direction.value, "party": e.party,
            "subject": e.subject, "document": e.document_ref, "note": e.note}


def cmd_correspondence(ctx: CliContext) -> int:
    from clinic_app.services import correspondence

    args = ctx.args
    with ctx.unlock() as session:
        if args.action == "add":
            missing = [f"--{n}" for n in ("date", "direction", "party", "subject") if not getattr(args, n)]
            if missing:
                raise UsageError(_("add needs: {options}").format(options=", ".join(missing)))
            entry = correspondence.make_entry(args.date, args.direction, args.party, args.subject, args.document,
                                              args.note, entry=args.entry)
            correspondence.save_entry(session, args.matter, entry)
        elif args.action == "delete":
            if not args.entry:
                raise UsageError(_("delete needs the entry, as the list shows it"))
            correspondence.delete_entry(session, args.matter, args.entry)
        entries = correspondence.entries(session, args.matter)
    if args.json:
        emit_json({"matter": args.matter, "correspondence": [_as_dict(e) for e in entries]})
        return ExitCode.OK
    emit_table([_("Entry"), _("Date"), _("Sent or received"), _("With"), _("Subject"), _("Document")],
               [(e.entry, e.day.isoformat(), e.direction.label, e.party, e.subject, e.document_ref or "")
                for e in entries], empty=_("No correspondence logged yet."))
    return ExitCode.OK


def cmd_exhibits(ctx: CliContext) -> int:
    from clinic_app.services import correspondence

    args = ctx.args
    with ctx.unlock() as session:
        if args.documents or args.clear:
            correspondence.set_exhibits(session, args.affidavit, [] if args.clear else args.documents)
        refs = correspondence.exhibits_of(session, args.affidavit)
    if args.json:
        emit_json({"affidavit": args.affidavit, "exhibits": refs})
    elif refs:
        print(_("Exhibits of {ref}, in order: {refs}").format(ref=args.affidavit, refs=", ".join(refs)))
    else:
        print(_("{ref} has no exhibits.").format(ref=args.affidavit))
    return ExitCode.OK
