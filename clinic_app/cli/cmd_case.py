"""import MANIFEST, search QUERY, show MATTER."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from clinic_app.cli.context import CliContext
from clinic_app.cli.output import emit_json, emit_table
from clinic_app.errors import ExitCode
from clinic_app.i18n import _
from clinic_app.services import records
from clinic_app.services.manifest_import import import_manifest


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("import", parents=[common],
                       help=_("import a case manifest (YAML or JSON); re-importing updates, never duplicates"))
    p.add_argument("manifest", type=Path)
    p.add_argument("--json", action="store_true", help=_("print the summary as JSON"))
    p.add_argument("--accept-conflicts", action="store_true",
                   help=_("import even when new clients or adverse parties have names like people already in "
                          "the vault (the conflict check's matches are printed and the decision is audited)"))
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("search", parents=[common],
                       help=_("search names, aliases, file numbers, titles and document text"),
                       dashed_value=_('To search for words that begin with "-", put "--" before them: {command}'))
    p.add_argument("query")
    p.add_argument("--json", action="store_true", help=_("print results as JSON"))
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("show", parents=[common], help=_("show one matter (by ref or id)"))
    p.add_argument("matter")
    p.add_argument("--json", action="store_true", help=_("print as JSON"))
    p.set_defaults(func=cmd_show)


def _progress(done: int, total: int, label: str) -> None:
    if sys.stderr.isatty():
        print(f"\r{label} ({done}/{total})", end="", file=sys.stderr, flush=True)


def cmd_import(ctx: CliContext) -> int:
    """Refuses (exit 1, nothing imported) when the conflict check finds similar names,
    printing them, unless --accept-conflicts: a script must not add a possible conflict
    of interest silently. With it, the matches are printed as warnings."""
    from clinic_app.cli.cmd_conflicts import conflict_rows, print_conflicts, refused_import
    from clinic_app.services.conflict_check import ConflictsFound
    from clinic_app.services.intake_bridge import analyzer

    try:
        with ctx.unlock() as session, analyzer() as analyze:
            summary = import_manifest(session, ctx.args.manifest, analyze=analyze, progress=_progress,
                                      accept_conflicts=ctx.args.accept_conflicts)
    except ConflictsFound as exc:
        return refused_import(exc, ctx.args.json)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    if ctx.args.json:
        emit_json({"created": summary.created, "updated": summary.updated,
                   "bytes_already_stored": summary.bytes_already_stored,
                   "likely_duplicates": summary.likely_duplicates,
                   "conflicts_accepted": conflict_rows(summary.conflicts)})
        return ExitCode.OK
    if summary.conflicts:
        print(_("Imported despite the conflict check (your decision was recorded in the audit log):"))
        print_conflicts(summary.conflicts)
    for line in summary.lines():
        print(line)
    return ExitCode.OK


def cmd_search(ctx: CliContext) -> int:
    with ctx.unlock() as session:
        hits = records.search_records(session, ctx.args.query)
    if ctx.args.json:
        emit_json([{"kind": h.kind, "ref": h.ref, "label": h.label, "snippet": h.snippet} for h in hits])
    else:
        emit_table([_("Kind"), _("Ref"), _("Name or title"), _("Match")],
                   [(h.kind, h.ref, h.label, h.snippet) for h in hits], empty=_("No matches."))
    return ExitCode.OK


def cmd_show(ctx: CliContext) -> int:
    with ctx.unlock() as session:
        view = records.show_matter(session, ctx.args.matter)
    if ctx.args.json:
        emit_json(view)
        return ExitCode.OK
    print(f"{view['ref']}  {view['title']}")
    print(_("Client: {name} ({initials}), ref {ref}").format(
        name=view["client"]["name"], initials=view["client"]["public_initials"], ref=view["client"]["ref"]))
    print(_("Type: {type}   Language: {lang}   Status: {status}").format(
        type=view["type"], lang=view["language"], status=view["status"]))
    numbers = ", ".join(f"{k.upper()} {v}" for k, v in view["file_numbers"].items() if v)
    if numbers:
        print(_("File numbers: {numbers}").format(numbers=numbers))
    for key, value in view["dates"].items():
        print(f"  {key}: {value}")
    print()
    emit_table([_("Document"), _("Title"), _("Pages"), _("SHA-256")],
               [(d["ref"], d["title"], d["pages"], (d["sha256"] or "")[:16]) for d in view["documents"]],
               empty=_("No documents."))
    print()
    emit_table([_("Letter"), _("Writer"), _("Status")],
               [(x["ref"], x["writer"], x["status"]) for x in view["letters"]], empty=_("No support letters."))
    if view["bundles"]:
        print()
        print(_("Bundles: {refs}").format(refs=", ".join(view["bundles"])))
    return ExitCode.OK
