"""bundle-settings: show or change a bundle project's settings, every one the window's
Settings dialog offers, under the names the case manifest uses (`paper`, `tab_sheets`...).

The same options start a supplementary bundle (`supplement`, in cmd_serve.py).
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from clinic_app.cli.context import CliContext
from clinic_app.cli.output import emit_json
from clinic_app.errors import ExitCode
from clinic_app.i18n import _
from clinic_app.services import bundles
from clinic_app.services.bundle_specs import settings_of

def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a date (use YYYY-MM-DD): {value}").format(value=text)) from None


def _limit(kind: type) -> Any:
    """A volume limit: a number above zero, or "none" for no limit."""

    def parse(text: str) -> Any:
        if text.strip().lower() == "none":
            return "none"
        try:
            value = kind(text)
        except ValueError:
            value = 0
        if value <= 0:
            raise argparse.ArgumentTypeError(_("expected a number above zero or none, got {value}").format(
                value=text))
        return value

    return parse


def _page(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(_("expected a page number of 1 or more, got {value}").format(value=text))
    return int(text)


def add_setting_options(p: argparse.ArgumentParser, *, first_page: bool = True) -> None:
    """One option per setting; a setting left out stays as it is."""
    group = p.add_argument_group(_("bundle settings (as in the window's Settings dialog)"))
    group.add_argument("--paper", choices=["letter", "a4", "legal"], help=_("paper size"))
    group.add_argument("--language", choices=["en", "fr"], help=_("language of the cover, index and stamps"))
    group.add_argument("--cover-date", type=_day, metavar="YYYY-MM-DD", dest="date",
                       help=_("the date on the cover (default: the day it is built)"))
    group.add_argument("--front-matter-numbering", choices=["none", "roman", "arabic"],
                       help=_("page numbers of the cover and index (arabic: counted from 1, as in a court record)"))
    group.add_argument("--exhibit-marks", choices=["letters", "numbers"],
                       help=_("how exhibits to an affidavit are marked: A, B, C or 1, 2, 3"))
    group.add_argument("--index-heading", choices=["index", "contents"],
                       help=_("the heading of the list of documents: Index, or Table of contents"))
    for name, text in (("tab-sheets", _("a separator page before each tab")),
                       ("number-tab-sheets", _("a page number on separator pages")),
                       ("header", _("the tab label and file number at the top of each page")),
                       ("section-prefixes", _("tab numbers with section prefixes (A-1, B-3)"))):
        group.add_argument(f"--{name}", action=argparse.BooleanOptionalAction, default=None, help=text)
    group.add_argument("--split-max-pages", type=_limit(int), metavar="N|none", help=_("page limit per volume"))
    group.add_argument("--split-max-mb", type=_limit(float), metavar="MB|none", help=_("size limit per volume"))
    group.add_argument("--margin-mm", type=float, metavar="MM",
                       help=_("clear margin at every edge for the header and page number, in mm; the pages "
                              "are shrunk to fit inside it"))
    if first_page:
        group.add_argument("--first-page", type=_page, metavar="N", help=_("number of the first page"))


NAMES = ("paper", "language", "date", "front_matter_numbering", "tab_sheets", "number_tab_sheets", "header",
         "section_prefixes", "split_max_pages", "split_max_mb", "first_page", "margin_mm", "exhibit_marks",
         "index_heading")


def given_settings(args: argparse.Namespace) -> dict[str, Any]:
    """The settings named on the command line (manifest names), "none" limits as None."""
    given = {name: getattr(args, name) for name in NAMES if getattr(args, name, None) is not None}
    return {name: None if value == "none" else value for name, value in given.items()}


def print_settings(ref: str, settings: dict[str, Any], as_json: bool) -> None:
    shown = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in settings.items()}
    if as_json:
        emit_json({"bundle": ref, "settings": shown})
        return
    for name, value in shown.items():
        print(f"{name}: {'' if value is None else value}")


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("bundle-settings", parents=[common],
                       help=_("show a bundle project's settings, or change those given (not once served)"))
    p.add_argument("bundle", help=_("the bundle's ref"))
    add_setting_options(p)
    p.add_argument("--json", action="store_true", help=_("print the settings as JSON"))
    p.set_defaults(func=cmd_bundle_settings)


def cmd_bundle_settings(ctx: CliContext) -> int:
    given = given_settings(ctx.args)
    with ctx.unlock() as session:
        if given:
            spec = bundles.change_settings(session, ctx.args.bundle, given)
        else:
            _matter, spec = bundles.load_project(session, ctx.args.bundle)
    if given and not ctx.args.json:
        print(_("Saved the settings of {ref}.").format(ref=ctx.args.bundle))
    print_settings(ctx.args.bundle, settings_of(spec), ctx.args.json)
    return ExitCode.OK
