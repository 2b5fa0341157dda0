"""deadlines [MATTER] [--done | --not-applicable | --undone RULE_ID], checklist MATTER --package TYPE, build MATTER (--package TYPE | --bundle REF).

One `build` command serves filing packages and saved bundle projects. Exit code 4
(bad input) when pre-flight refuses a package; --force builds it anyway and prints
what pre-flight found.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from clinic_app.cli.context import CliContext
from clinic_app.cli.output import emit_json, emit_table, file_to_write
from clinic_app.domain.deadlines import GROUP_LABELS, describe_days
from clinic_app.domain.deadlines.marks import STATE_LABELS
from clinic_app.domain.packages import PackageNotReady, PackageProblem, PackageType
from clinic_app.domain.progress import CancelToken
from clinic_app.errors import ExitCode, UsageError
from clinic_app.i18n import _, current_language, ngettext


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a date (use YYYY-MM-DD): {value}").format(value=text)) from None


def _pair(text: str, usage: str) -> tuple[str, str]:
    """NAME=VALUE split at the first "=", both trimmed; `usage` shows the form when it is not one."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(usage.format(value=text))
    return name.strip(), value.strip()


def _named_date(text: str) -> tuple[str, date | None]:
    name, value = _pair(text, _("write NAME=YYYY-MM-DD, e.g. leave_filed=2026-12-03: {value}"))
    return name, _day(value) if value else None


def _named_option(text: str) -> tuple[str, str | None]:
    rule, value = _pair(text, _("write RULE=OPTION, e.g. rpd.boc=inland: {value}"))
    return rule, value or None


def _province_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--province", metavar="XX",
                   help=_("province or territory for holidays, for this command only "
                          "(default: the clinic's, see deadline-rules)"))


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("deadlines", parents=[common],
                       help=_("deadlines of one matter, or the agenda of every open matter"))
    p.add_argument("matter", nargs="?", help=_("a matter ref or id (default: every open matter)"))
    p.add_argument("--json", action="store_true", help=_("print as JSON"))
    p.add_argument("--ics", metavar="FILE", type=file_to_write, help=_("also write the deadlines to an iCalendar (.ics) file"))
    p.add_argument("--ics-with-refs", action="store_true",
                   help=_("put matter refs in calendar event titles (an export: needs the export permission)"))
    _province_option(p)
    p.add_argument("--today", metavar="YYYY-MM-DD", type=_day, help=_("count as if today were this date"))
    marking = p.add_mutually_exclusive_group()
    marking.add_argument("--done", metavar="RULE_ID", help=_("mark the matter's deadline RULE_ID done"))
    marking.add_argument("--not-applicable", metavar="RULE_ID",
                         help=_("mark the matter's deadline RULE_ID not applicable (give --reason)"))
    marking.add_argument("--undone", metavar="RULE_ID",
                         help=_("undo a done or not-applicable mark: the deadline is open again"))
    p.add_argument("--reason", default="", help=_("why the deadline does not apply (with --not-applicable)"))
    p.add_argument("--date", metavar="NAME=YYYY-MM-DD", action="append", default=[], type=_named_date,
                   help=_("record a date of the matter, e.g. leave_filed=2026-12-03 (NAME= clears it); repeatable"))
    p.add_argument("--option", metavar="RULE=OPTION", action="append", default=[], type=_named_option,
                   help=_("choose the case that applies to a rule with options, e.g. rpd.boc=inland "
                          "(RULE= goes back to the default); repeatable"))
    p.set_defaults(func=cmd_deadlines)

    p = sub.add_parser("checklist", parents=[common], help=_("show a package's checklist and pre-flight problems"))
    p.add_argument("matter")
    p.add_argument("--package", required=True, choices=[t.value for t in PackageType])
    p.add_argument("--json", action="store_true", help=_("print as JSON"))
    _province_option(p)
    p.add_argument("--today", metavar="YYYY-MM-DD", type=_day, help=_("count as if today were this date"))
    p.set_defaults(func=cmd_checklist)

    p = sub.add_parser("build", parents=[common], help=_("build a filing package or a saved bundle into a PDF"))
    p.add_argument("matter")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--package", choices=[t.value for t in PackageType], help=_("the package type to build"))
    what.add_argument("--bundle", metavar="REF", help=_("a saved bundle project to build"))
    p.add_argument("--out", metavar="FILE.pdf", type=file_to_write, required=True, help=_("the PDF to write"))
    p.add_argument("--json", action="store_true", help=_("print the result as JSON"))
    p.add_argument("--force", action="store_true", help=_("build even when pre-flight finds problems"))
    p.add_argument("--themes", metavar="LIST",
                   help=_("only support letters with one of these themes (comma-separated)"))
    p.add_argument("--no-cover-letter", action="store_true", help=_("leave the generated cover letter out"))
    _province_option(p)
    p.add_argument("--today", metavar="YYYY-MM-DD", type=_day, help=_("build as if today were this date"))
    p.set_defaults(func=cmd_build)


def _progress(done: int, total: int, label: str) -> None:
    if sys.stderr.isatty():
        print(f"\r{label} ({done}/{total})", end="", file=sys.stderr, flush=True)


def _problem(p: PackageProblem) -> dict[str, str]:
    return {"severity": p.severity, "code": p.code, "message": p.message, "item": p.item, "ref": p.ref}


def _print_timing(data: dict[str, Any]) -> None:
    """The matter's steps' dates and rule options, with how to change them."""
    if data["steps"]:
        print()
        print(_("Dates of steps (change with --date NAME=YYYY-MM-DD):"))
        for step in data["steps"]:
            print(f"  {step['name']:<24} {step['date'] or '-':<10}  {step['label']}")
    if data["options"]:
        print()
        print(_("Options (change with --option RULE=OPTION):"))
        for rule in data["options"]:
            chosen = rule["chosen"] or _("{option} (default: none chosen)").format(option=rule["default"])
            print(f"  {rule['rule']}: {chosen}  {rule['title']}")
            for option in rule["options"]:
                print(f"      {option['key']}: {option['label']}")
    for stale in data["stale_options"]:
        print(_("! The rules in force have no option {option} for {rule}: its default counts.").format(
            option=stale["option"], rule=stale["rule"]))


def cmd_deadlines(ctx: CliContext) -> int:
    from clinic_app.services import deadlines

    args = ctx.args
    today = args.today or date.today()
    lang = current_language()
    rule = args.done or args.not_applicable or args.undone
    if rule and not args.matter:
        raise UsageError(_("--done, --not-applicable and --undone need the matter: deadlines MATTER --done RULE_ID"))
    if args.reason and not args.not_applicable:
        raise UsageError(_("--reason goes with --not-applicable."))
    if (args.date or args.option) and not args.matter:
        raise UsageError(_("--date and --option need the matter: deadlines MATTER --date leave_filed=2026-12-03"))
    for flag, pairs in (("--date", args.date), ("--option", args.option)):
        names = [name for name, _value in pairs]
        if twice := next((name for name in names if names.count(name) > 1), None):
            raise UsageError(_("{flag} {name} is given twice: give each name once.").format(flag=flag, name=twice))
    with ctx.unlock() as session:
        if args.date or args.option:
            deadlines.set_timing(session, args.matter, dates=dict(args.date), options=dict(args.option))
        if rule:
            state = "done" if args.done else "not_applicable" if args.not_applicable else None
            deadlines.set_mark(session, args.matter, rule, state, args.reason, province=args.province)
        if args.matter:
            found = deadlines.for_matter(session, args.matter, province=args.province)
            data: dict[str, Any] = {
                "matter": found.matter_ref, "today": today.isoformat(),
                "deadlines": [deadlines.deadline_row(d, today, lang, found.mark(d)) for d in found.deadlines],
                "pending": [{"rule": p.rule_id, "title": p.title.get(lang), "needs": list(p.needs)}
                            for p in found.pending],
                **deadlines.timing_rows(session, found, lang)}
        else:
            agenda = deadlines.agenda(session, today=today, province=args.province)
            data = {"today": today.isoformat(), "groups": {
                key: [dict(deadlines.deadline_row(i.deadline, today, lang), when=describe_days(i)) for i in items]
                for key, items in agenda.groups()}}
        if args.ics:
            events = deadlines.export_ics(session, args.ics, matter_ref=args.matter, province=args.province,
                                          today=today, with_refs=args.ics_with_refs)
            data["ics"] = {"path": str(args.ics), "events": events}
    if args.json:
        emit_json(data)
        return ExitCode.OK
    if args.matter:
        if not data["deadlines"]:
            print(_("No deadline can be computed yet."))
        for r in data["deadlines"]:
            state = "" if r["state"] == "open" else f"[{_(STATE_LABELS[r['state']])}] "
            print(f"{r['due']}  {r['days']:>5}  {state}{r['title']}  ({r['citation']})  {r['rule']}")
            if r["reason"]:
                reason = r["reason"] if r["done_by_step"] else _("Reason: {reason}").format(reason=r["reason"])
                print(f"{'':19}{reason}")
            for flag in r["flags"]:
                print(f"{'':19}! {flag}")
        for p in data["pending"]:
            print(_("Needs a date ({dates}): {title}").format(dates=", ".join(p["needs"]), title=p["title"]))
        _print_timing(data)
    else:
        for key, rows in data["groups"].items():
            if rows:
                print(f"{_(GROUP_LABELS[key])}:")
                for r in rows:
                    print(f"  {r['due']}  {r['matter']}  {r['when']}  {r['title']}")
        if not any(data["groups"].values()):
            print(_("No deadlines."))
    if args.ics:
        events = data["ics"]["events"]
        print(ngettext("Wrote {count} event to {path}.", "Wrote {count} events to {path}.", events).format(
            count=events, path=args.ics))
    return ExitCode.OK


def cmd_checklist(ctx: CliContext) -> int:
    from clinic_app.services import packages

    args = ctx.args
    with ctx.unlock() as session:
        report = packages.preflight(session, args.matter, args.package, today=args.today, province=args.province)
    lang = current_language()
    rows = [{"section": e.section.title_in(lang), "item": e.item.id, "title": e.item.label_in(lang),
             "required": e.required, "satisfied": e.satisfied, "status": e.status.value, "signed": e.item.signed,
             "documents": list(e.documents), "letters": list(e.letters)} for e in report.checklist.entries]
    if args.json:
        emit_json({"package": args.package, "ready": report.ready, "items": rows,
                   "problems": [_problem(p) for p in report.problems]})
    else:
        emit_table([_("Item"), _("Required"), _("Status"), _("Title")],
                   [(r["item"], _("yes") if r["required"] else "", r["status"], r["title"]) for r in rows],
                   empty=_("The package has no items."))
        for p in report.problems:
            kind = _("Error") if p.severity == "error" else _("Warning")
            print(f"{kind}: {p.message}")
        print(_("Ready to file.") if report.ready else _("Not ready to file."))
    return ExitCode.OK if report.ready else ExitCode.FAILED


def cmd_build(ctx: CliContext) -> int:
    args = ctx.args
    if args.bundle:
        return _build_bundle(ctx)
    from clinic_app.services import packages

    themes = [t.strip() for t in args.themes.split(",") if t.strip()] if args.themes else None
    try:
        with ctx.unlock() as session:
            built = packages.build_package(session, args.matter, args.package, args.out, force=args.force,
                                           today=args.today, province=args.province, letter_themes=themes,
                                           include_cover_letter=not args.no_cover_letter,
                                           progress=_progress, cancel=CancelToken())
    except PackageNotReady as exc:
        if args.json:
            emit_json({"built": False, "ready": False, "problems": [_problem(p) for p in exc.problems]})
        else:
            print(f"clinic-app: {exc}", file=sys.stderr)
            print(_("Nothing was written. Use --force to build it anyway."), file=sys.stderr)
        return ExitCode.BAD_INPUT
    if sys.stderr.isatty():
        print(file=sys.stderr)
    if args.json:
        emit_json({"built": True, "forced": built.forced, "package": built.package,
                   "files": [str(f) for f in built.files], "pages": built.pages, "tabs": built.tabs,
                   "sections": list(built.sections), "problems": [_problem(p) for p in built.problems]})
        return ExitCode.OK
    for p in built.problems:
        kind = _("Error") if p.severity == "error" else _("Warning")
        print(f"{kind}: {p.message}", file=sys.stderr)
    for path in built.files:
        print(_("Built {path}: {pages}, {tabs}.").format(
            path=path, pages=ngettext("{count} page", "{count} pages", built.pages).format(count=built.pages),
            tabs=ngettext("{count} tab", "{count} tabs", built.tabs).format(count=built.tabs)))
    return ExitCode.OK


def _build_bundle(ctx: CliContext) -> int:
    args = ctx.args
    if args.themes or args.no_cover_letter:
        raise UsageError(_("--themes and --no-cover-letter apply to packages, not to bundles."))
    try:
        from clinic_app.services.bundles import build_bundle_project
    except ImportError:
        raise UsageError(_("Building saved bundles is not available in this version of Haven.")) from None
    if args.force:
        raise UsageError(_("--force applies to packages; a bundle is built as saved (see its pre-flight)."))
    with ctx.unlock() as session:  # --today dates the cover; a served bundle keeps the date it was served with
        result = build_bundle_project(session, args.matter, args.bundle, args.out, progress=_progress,
                                      cancel=CancelToken(), today=args.today)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    files = [str(f) for f in getattr(result, "files", [args.out])]
    pages = getattr(result, "total_pages", None)
    if args.json:
        emit_json({"built": True, "bundle": args.bundle, "files": files, "pages": pages,
                   "warnings": list(getattr(result, "warnings", ()))})
    else:
        for warning in getattr(result, "warnings", ()):
            print("{kind}: {warning}".format(kind=_("Warning"), warning=warning), file=sys.stderr)
        for path in files:
            print(_("Built {path}.").format(path=path))
    return ExitCode.OK
