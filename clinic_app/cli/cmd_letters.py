"""letter-status LETTER [STATUS]: where a support letter is, and moving it one step;
letter-support MATTER: per H&C factor, what supports it and what is still missing.

The same service as the window's letter form: roles decide who may review (staff,
lawyers) and who may mark ready to file (lawyers), and a letter moves one step at a time.
"""

from __future__ import annotations

import argparse

from clinic_app.cli.context import CliContext
from clinic_app.cli.output import emit_json
from clinic_app.domain.letter import LetterStatus
from clinic_app.errors import ExitCode
from clinic_app.i18n import _
from clinic_app.services import letters_workflow


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("letter-status", parents=[common],
                       help=_("show a support letter's status and where you may move it, or move it one step"))
    p.add_argument("letter", help=_("the letter's ref"))
    p.add_argument("status", nargs="?", choices=[s.value for s in LetterStatus],
                   help=_("the new status (one step forward or back)"))
    p.add_argument("--json", action="store_true", help=_("print as JSON"))
    p.set_defaults(func=cmd_letter_status)
    p = sub.add_parser("letter-support", parents=[common],
                       help=_("show, per H&C factor, the documents and letters that support it and what is "
                              "still missing"))
    p.add_argument("matter", help=_("the matter's ref"))
    p.add_argument("--json", action="store_true", help=_("print as JSON"))
    p.set_defaults(func=cmd_letter_support)


def cmd_letter_status(ctx: CliContext) -> int:
    args = ctx.args
    with ctx.unlock() as session:
        if args.status:
            letters_workflow.move_letter(session, args.letter, args.status)
        letter = letters_workflow.get_letter(session, args.letter)
        choices = [s for s in letters_workflow.status_choices(session, args.letter) if s is not letter.status]
    if args.json:
        emit_json({"letter": letter.ref, "status": letter.status.value, "may_move_to": [s.value for s in choices]})
        return ExitCode.OK
    print(_("Letter {ref}: {status}").format(ref=letter.ref, status=letter.status.label))
    if choices:
        print(_("You may move it to: {statuses}").format(statuses=", ".join(f"{s.value} ({s.label})"
                                                                          for s in choices)))
    else:
        print(_("Your role may not move it from here."))
    return ExitCode.OK


def cmd_letter_support(ctx: CliContext) -> int:
    """The window's "Support for each H&C factor" table, as text or JSON."""
    with ctx.unlock() as session:
        view = letters_workflow.factor_completeness(session, ctx.args.matter)
    if ctx.args.json:
        emit_json({"documents_visible": view.documents_visible, "factors": [
            {"factor": f.factor.value, "documents": list(f.documents), "letters_ready": list(f.letters_ready),
             "letters_pending": list(f.letters_pending), "missing": [_(m) for m in f.missing]}
            for f in view.factors]})
        return ExitCode.OK
    none = _("none")
    for f in view.factors:
        print(_("{factor}: documents {documents}; letters ready {ready}; letters pending {pending}").format(
            factor=f.factor.label, documents=", ".join(f.documents) or none,
            ready=", ".join(f.letters_ready) or none, pending=", ".join(f.letters_pending) or none))
        if f.missing:
            print("  " + _("still missing: {items}").format(items="; ".join(_(m) for m in f.missing)))
    if not view.documents_visible:
        print(_("Documents are not shown: your role may not read them."))
    return ExitCode.OK
