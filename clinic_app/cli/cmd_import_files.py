"""import-files MATTER FILE... : one line per file, a summary, non-zero exit on any refusal.

Names are printed escaped (a newline in a file name shows as \\n), so a file name
can never forge a line; --json gives the exact name, JSON-escaped."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from clinic_app.cli.context import CliContext
from clinic_app.cli.output import emit_json
from clinic_app.domain.display import display_name
from clinic_app.domain.packages import PackageType
from clinic_app.errors import BadInput, ExitCode, UsageError
from clinic_app.i18n import _, ngettext
from clinic_app.services.import_files import DUPLICATE, IMPORTED, REFUSED, ImportReport, import_files


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("import-files", parents=[common],
                       help=_("import evidence files or folders into a matter (PDF, JPEG, PNG, TIFF, text, "
                              "DOCX/ODT with LibreOffice)"))
    p.add_argument("matter", help=_("the matter's ref or id"))
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--password", default=None,
                   help=_("password for protected PDFs (prefer --password-stdin: a password here shows in "
                          "the process list)"))
    p.add_argument("--password-stdin", action="store_true",
                   help=_("read the PDF password from the next line of standard input"))
    p.add_argument("--json", action="store_true", help=_("print outcomes as JSON"))
    into = p.add_mutually_exclusive_group()
    into.add_argument("--letter", metavar="REF",
                      help=_("the file is this support letter's scan: link it to the letter (one file)"))
    into.add_argument("--item", metavar="ITEM",
                      help=_("attach the files to this item of the package's checklist (see --package)"))
    p.add_argument("--package", choices=[t.value for t in PackageType],
                   help=_("with --item: the package (default: the one package that fits the matter)"))
    p.set_defaults(func=cmd_import_files)


def cmd_import_files(ctx: CliContext) -> int:
    with ctx.unlock() as session:
        password = ctx.args.password
        if ctx.args.password_stdin:
            password = ctx.secrets.read(_("PDF password"))

        def progress(done: int, total: int, label: str) -> None:
            if sys.stderr.isatty():
                print(f"\r{label}", end="", file=sys.stderr, flush=True)

        report = _import(ctx, session, password, progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    if ctx.args.json:
        emit_json([{"file": f.name, "outcome": f.outcome, "document": f.document_ref, "reason": f.reason,
                    "message": f.message, "warnings": list(f.warnings),
                    "likely_duplicate_of": f.likely_duplicate_of} for f in report.files])
    else:
        labels = {IMPORTED: _("imported"), DUPLICATE: _("duplicate"), REFUSED: _("refused")}
        for f in report.files:
            detail = f" ({f.document_ref})" if f.document_ref and f.outcome == IMPORTED else ""
            line = f"{display_name(f.name)}: {labels[f.outcome]}{detail}"
            if f.message:
                line += f": {f.message}"
            print(line)
            for warning in f.warnings:
                print(f"    {warning}")
            if f.likely_duplicate_of:
                print("    " + _("Same text as {ref}: possibly a duplicate.").format(ref=f.likely_duplicate_of))
        duplicates = report.count(DUPLICATE)
        print(_("{imported} imported, {duplicates}, {refused} refused.").format(
            imported=report.count(IMPORTED), refused=report.count(REFUSED),
            duplicates=ngettext("{count} duplicate linked", "{count} duplicates linked", duplicates).format(
                count=duplicates)))
    if ctx.args.letter and not report.any_refused:
        print(_("Linked as the scanned letter of {letter}.").format(letter=ctx.args.letter))
    elif ctx.args.item and report.count(IMPORTED) + report.count(DUPLICATE):
        print(_("Attached to the checklist item {item}.").format(item=ctx.args.item))
    return ExitCode.FAILED if report.any_refused else ExitCode.OK


def _import(ctx: CliContext, session: object, password: str | None, progress: object) -> ImportReport:
    """Plain import, or import then link to a letter (--letter) or attach to an item (--item)."""
    args = ctx.args
    if args.package and not args.item:
        raise UsageError(_("--package goes with --item."))
    if args.letter:
        from clinic_app.services import letters_workflow

        if len(args.files) != 1:
            raise UsageError(_("--letter links one file: give exactly one."))
        letter = letters_workflow.get_letter(session, args.letter)  # type: ignore[arg-type]
        if letter.matter_ref != args.matter:
            raise BadInput(_("Letter {letter} belongs to matter {other}, not {matter}.").format(
                letter=letter.ref, other=letter.matter_ref, matter=args.matter))
        outcome = letters_workflow.import_scan(session, args.letter, args.files[0], password=password,  # type: ignore[arg-type]
                                               progress=progress)  # type: ignore[arg-type]
        return ImportReport([outcome])
    if args.item:
        from clinic_app.cli.cmd_attach import resolve_package
        from clinic_app.services import packages

        package = resolve_package(session, args.matter, args.package)
        return packages.import_to_item(session, args.matter, package, args.item, args.files,  # type: ignore[arg-type]
                                       password=password, progress=progress)  # type: ignore[arg-type]
    return import_files(session, args.matter, args.files, password=password, progress=progress)  # type: ignore[arg-type]
