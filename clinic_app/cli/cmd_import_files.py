"""import-files MATTER FILE... : one line per file, a summary, non-zero exit on any refusal."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from clinic_app.cli.context import CliContext
from clinic_app.cli.output import emit_json
from clinic_app.errors import ExitCode
from clinic_app.i18n import _
from clinic_app.services.import_files import DUPLICATE, IMPORTED, REFUSED, import_files


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
    p.set_defaults(func=cmd_import_files)


def cmd_import_files(ctx: CliContext) -> int:
    with ctx.unlock() as session:
        password = ctx.args.password
        if ctx.args.password_stdin:
            password = ctx.secrets.read(_("PDF password"))

        def progress(done: int, total: int, label: str) -> None:
            if sys.stderr.isatty():
                print(f"\r{label}", end="", file=sys.stderr, flush=True)

        report = import_files(session, ctx.args.matter, ctx.args.files, password=password, progress=progress)
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
            line = f"{f.name}: {labels[f.outcome]}{detail}"
            if f.message:
                line += f": {f.message}"
            print(line)
            for warning in f.warnings:
                print(f"    {warning}")
            if f.likely_duplicate_of:
                print("    " + _("Same text as {ref}: possibly a duplicate.").format(ref=f.likely_duplicate_of))
        print(_("{imported} imported, {duplicate} duplicates linked, {refused} refused.").format(
            imported=report.count(IMPORTED), duplicate=report.count(DUPLICATE), refused=report.count(REFUSED)))
    return ExitCode.FAILED if report.any_refused else ExitCode.OK
