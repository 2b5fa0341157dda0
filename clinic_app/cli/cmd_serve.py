"""serve and supplement: record a bundle's service (freezing its content and pages) and
continue it in a supplementary bundle (tabs and pages numbered on)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from clinic_app.cli.cmd_bundle_settings import add_setting_options, given_settings
from clinic_app.cli.context import CliContext
from clinic_app.cli.output import emit_json, file_to_write
from clinic_app.errors import ExitCode, UsageError
from clinic_app.i18n import _, ngettext
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
    p.add_argument("--out", required=True, type=file_to_write, metavar="FILE.pdf", help=_("the served PDF"))
    p.add_argument("--to", required=True, help=_("on whom it was served"))
    p.add_argument("--method", required=True, help=_("how (My Case, email, fax, hand delivery…)"))
    p.add_argument("--date", default=None, help=_("when (YYYY-MM-DD, default today)"))
    p.add_argument("--statement", type=file_to_write, metavar="FILE.pdf", help=_("also write a statement of service"))
    p.add_argument("--json", action="store_true", help=_("print the result as JSON"))
    p.set_defaults(func=cmd_serve)

    s = sub.add_parser("supplement", parents=[common],
                       help=_("start a supplementary bundle whose tabs and pages continue after everything "
                              "served, holding the documents given, or the tabs of a manifest's bundle"))
    s.add_argument("bundle", help=_("the served bundle's ref"))
    s.add_argument("--new", required=True, help=_("the new bundle's ref"))
    s.add_argument("--title", help=_("the new bundle's title (with --manifest, the manifest gives it)"))
    s.add_argument("--doc", action="append", default=[], metavar="REF",
                   help=_("a document of the matter to add as a tab (repeat for more; its translation travels "
                          "with it)"))
    s.add_argument("--manifest", type=Path, metavar="FILE",
                   help=_("import a case manifest whose bundle --new holds the tabs (and any settings to change)"))
    add_setting_options(s, first_page=False)
    s.add_argument("--json", action="store_true", help=_("print the result as JSON"))
    s.set_defaults(func=cmd_supplement)


def cmd_serve(ctx: CliContext) -> int:
    served_on = _day(ctx.args.date) if ctx.args.date else date.today()
    with ctx.unlock() as session:
        # first service: the cover is dated the day of service; served again: as first served
        today = None if bundles.is_served(session, ctx.args.bundle) else served_on
        result = bundles.build(session, ctx.args.bundle, ctx.args.out, today=today)
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
    args = ctx.args
    given = given_settings(args)
    if args.manifest is not None and (args.doc or args.title or given):
        raise UsageError(_("With --manifest, the manifest's bundle {ref} gives the title, tabs and settings; "
                           "leave out --title, --doc and the settings.").format(ref=args.new))
    if args.manifest is None and not args.title:
        raise UsageError(_("Give the new bundle's title with --title."))
    if args.manifest is not None:
        from clinic_app.services.intake_bridge import analyzer
        from clinic_app.services.manifest_import import import_manifest

        with ctx.unlock() as session, analyzer() as analyze:
            import_manifest(session, args.manifest, analyze=analyze, supplements={args.new: args.bundle})
            _matter, spec = bundles.load_project(session, args.new)
    else:
        with ctx.unlock() as session:
            spec = bundles.create_supplementary(session, args.bundle, args.new, args.title, args.doc, given)
    tabs = sum(len(section.tabs) for section in spec.sections)
    if args.json:
        emit_json({"bundle": args.new, "supplements": args.bundle, "tabs": tabs,
                   "first_tab": spec.settings.first_tab_number, "first_page": spec.settings.first_page_number})
    else:
        print(_("Created {ref} with {tabs}: its tabs start at {tab}, its pages start at {first}.").format(
            ref=args.new, tabs=ngettext("{count} tab", "{count} tabs", tabs).format(count=tabs),
            tab=spec.settings.first_tab_number, first=spec.settings.first_page_number))
    return ExitCode.OK
