"""export-document DOC --out FILE, item-status MATTER ITEM [STATUS | --clear].

What the window's documents tab ("Save a copy of the original…") and package view (an
item's status, or "Automatic" again) do, through the same service calls.
"""

from __future__ import annotations

import argparse

from clinic_app.cli.cmd_attach import resolve_package
from clinic_app.cli.context import CliContext
from clinic_app.cli.output import emit_json, file_to_write
from clinic_app.domain.packages import ItemStatus, PackageType
from clinic_app.errors import ExitCode, UsageError
from clinic_app.i18n import _, current_language


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("export-document", parents=[common],
                       help=_("write a copy of a document's original file outside the vault (audited)"))
    p.add_argument("document", metavar="DOC", help=_("a document ref"))
    p.add_argument("--out", metavar="FILE", type=file_to_write, required=True, help=_("the file to write"))
    p.add_argument("--json", action="store_true", help=_("print the result as JSON"))
    p.set_defaults(func=cmd_export_document)

    p = sub.add_parser("item-status", parents=[common],
                       help=_("record where a checklist item stands (requested, received…), or --clear it so "
                              "Haven derives it from the documents again"))
    p.add_argument("matter", help=_("the matter's ref or id"))
    p.add_argument("item", help=_("the checklist item, as `checklist` lists it (e.g. removal_direction)"))
    p.add_argument("status", nargs="?", choices=[s.value for s in ItemStatus], help=_("the new status"))
    p.add_argument("--clear", action="store_true", help=_("forget the recorded status"))
    p.add_argument("--note", default="", help=_("a short note (e.g. when it was requested)"))
    p.add_argument("--package", choices=[t.value for t in PackageType],
                   help=_("the package (default: the one package that fits the matter)"))
    p.add_argument("--json", action="store_true", help=_("print the item as JSON"))
    p.set_defaults(func=cmd_item_status)


def cmd_export_document(ctx: CliContext) -> int:
    from clinic_app.services import evidence

    args = ctx.args
    with ctx.unlock() as session:
        size = evidence.export_original(session, args.document, args.out)
    if args.json:
        emit_json({"document": args.document, "file": str(args.out), "bytes": size})
    else:
        print(_("Wrote the original of {ref} to {path}.").format(ref=args.document, path=args.out))
    return ExitCode.OK


def cmd_item_status(ctx: CliContext) -> int:
    from clinic_app.services import packages

    args = ctx.args
    if bool(args.status) == bool(args.clear):
        raise UsageError(_("Give a status, or --clear."))
    with ctx.unlock() as session:
        package = resolve_package(session, args.matter, args.package)
        if args.clear:
            packages.clear_item_status(session, args.matter, package, args.item)
        else:
            packages.set_item_status(session, args.matter, package, args.item, args.status, args.note)
        entry = packages.checklist(session, args.matter, package).entry(args.item)
    state = {"package": package, "item": entry.item.id, "status": entry.status.value, "recorded": entry.stored}
    if args.json:
        emit_json(state)
    else:
        how = _("recorded") if entry.stored else _("derived from the documents")
        print(_("{item} ({title}): {status}, {how}.").format(
            item=entry.item.id, title=entry.item.label_in(current_language()), status=entry.status.label, how=how))
    return ExitCode.OK
