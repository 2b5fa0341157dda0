"""attach MATTER ITEM DOC..., tag DOC [TAG...], draft MATTER KIND --out FILE.pdf.

What the window's package view does with a checklist: documents attached to an item,
tags and categories that let the checklist find documents by itself, and the drafts
Haven writes for a person to finish and sign. The same service calls as the window.
"""

from __future__ import annotations

import argparse

from clinic_app.cli.cmd_packages import _day
from clinic_app.cli.context import CliContext
from clinic_app.cli.output import emit_json, file_to_write
from clinic_app.domain.document import DocumentCategory
from clinic_app.domain.packages import DRAFT_LABELS, DRAFTS, PackageType
from clinic_app.errors import ExitCode, UsageError
from clinic_app.i18n import _, current_language

DRAFT_KINDS = sorted(k.value for k in DRAFTS)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("attach", parents=[common],
                       help=_("attach documents to an item of a package's checklist (or --detach them)"))
    p.add_argument("matter", help=_("the matter's ref or id"))
    p.add_argument("item", help=_("the checklist item, as `checklist` lists it (e.g. removal_direction)"))
    p.add_argument("documents", nargs="+", metavar="DOC", help=_("document refs"))
    p.add_argument("--package", choices=[t.value for t in PackageType],
                   help=_("the package (default: the one package that fits the matter)"))
    p.add_argument("--detach", action="store_true", help=_("take the documents off the item instead"))
    p.add_argument("--json", action="store_true", help=_("print the item as JSON"))
    p.set_defaults(func=cmd_attach)

    p = sub.add_parser("tag", parents=[common],
                       help=_("show or change a document's tags and category (checklists find documents by them)"))
    p.add_argument("document", metavar="DOC", help=_("a document ref"))
    p.add_argument("tags", nargs="*", metavar="TAG", help=_("tags to add"))
    p.add_argument("--remove", action="append", default=[], metavar="TAG", help=_("a tag to remove (repeatable)"))
    p.add_argument("--category", choices=[c.value for c in DocumentCategory], help=_("set the category"))
    p.add_argument("--json", action="store_true", help=_("print the document's tags and category as JSON"))
    p.set_defaults(func=cmd_tag)

    kinds = "; ".join(f"{k}: {_(DRAFT_LABELS[k])}" for k in sorted(DRAFTS, key=lambda g: g.value))
    p = sub.add_parser("draft", parents=[common],
                       help=_("write a draft for a person to finish and sign (deferral request, H&C "
                              "submissions, statement or affidavit of service, translator's declaration "
                              "or affidavit)"),
                       description=_("Drafts Haven can write: {kinds}.").format(kinds=kinds))
    p.add_argument("matter", help=_("the matter's ref or id"))
    p.add_argument("kind", metavar="KIND", choices=DRAFT_KINDS,
                   help=_("one of: {kinds}").format(kinds=", ".join(DRAFT_KINDS)))
    p.add_argument("--out", metavar="FILE.pdf", type=file_to_write, required=True, help=_("the PDF to write"))
    p.add_argument("--package", choices=[t.value for t in PackageType],
                   help=_("the package whose tabs the draft cites (default: the first that fits the matter)"))
    p.add_argument("--today", metavar="YYYY-MM-DD", type=_day, help=_("date the draft as if today were this date"))
    p.add_argument("--json", action="store_true", help=_("print the result as JSON"))
    p.set_defaults(func=cmd_draft)


def resolve_package(session: object, matter_ref: str, package: str | None) -> str:
    """`package`, else the one package that fits the matter (a usage error when several do)."""
    from clinic_app.services import packages

    if package:
        return package
    fits = [d.type.value for d in packages.available_packages(session, matter_ref)]  # type: ignore[arg-type]
    if len(fits) != 1:
        raise UsageError(_("Choose the package with --package: this matter fits {packages}.").format(
            packages=", ".join(fits) or "-"))
    return fits[0]


def _item_state(session: object, matter_ref: str, package: str, item_id: str) -> dict[str, object]:
    from clinic_app.services import packages

    report = packages.checklist(session, matter_ref, package)  # type: ignore[arg-type]
    entry = report.entry(item_id)
    return {"package": package, "item": item_id, "title": entry.item.label_in(current_language()),
            "satisfied": entry.satisfied, "documents": list(entry.documents),
            "missing": [e.item.id for e in report.missing()]}


def cmd_attach(ctx: CliContext) -> int:
    from clinic_app.services import packages

    args = ctx.args
    with ctx.unlock() as session:
        package = resolve_package(session, args.matter, args.package)
        for ref in args.documents:
            if args.detach:
                packages.detach_document(session, args.matter, package, args.item, ref)
            else:
                packages.attach_document(session, args.matter, package, args.item, ref)
        state = _item_state(session, args.matter, package, args.item)
    if args.json:
        emit_json(state)
        return ExitCode.OK
    print(_("{item} ({title}): {documents}").format(item=state["item"], title=state["title"],
                                                    documents=", ".join(state["documents"]) or _("nothing")))  # type: ignore[arg-type]
    missing = state["missing"]
    print(_("Required items still missing: {items}").format(items=", ".join(missing))  # type: ignore[arg-type]
          if missing else _("Every required item is filled; run `checklist` for the full pre-flight check."))
    return ExitCode.OK


def cmd_tag(ctx: CliContext) -> int:
    from clinic_app.services import evidence

    args = ctx.args
    with ctx.unlock() as session:
        doc = evidence.retag(session, args.document, add=args.tags, remove=args.remove, category=args.category)
    if args.json:
        emit_json({"document": doc.ref, "tags": list(doc.tags), "category": doc.category.value})
    else:
        print(_("{ref}: category {category}; tags: {tags}").format(
            ref=doc.ref, category=doc.category.value, tags=", ".join(doc.tags) or _("none")))
    return ExitCode.OK


def cmd_draft(ctx: CliContext) -> int:
    from clinic_app.services import packages

    args = ctx.args
    with ctx.unlock() as session:
        path = packages.write_draft(session, args.matter, args.kind, args.out, package=args.package,
                                    today=args.today)
    if args.json:
        emit_json({"draft": args.kind, "file": str(path)})
    else:
        print(_("Wrote the draft \u201c{title}\u201d to {path}. Finish it, have it signed, then attach the "
                "signed document to its checklist item.").format(title=_(DRAFT_LABELS[args.kind]), path=path))
    return ExitCode.OK
