"""sync: connect to the clinic's server, invite and join laptops, push and pull, conflicts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from clinic_app.cli.context import CliContext
from clinic_app.cli.output import emit_json, emit_table, file_to_write
from clinic_app.errors import ExitCode, UsageError
from clinic_app.i18n import _, ngettext
from clinic_app.services.sync import conflicts as sync_conflicts
from clinic_app.services.sync import connection, enrol, status
from clinic_app.services.sync.engine import sync_now


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("sync", parents=[common],
                       help=_("share this vault with the clinic's other laptops (with no command: sync now)"))
    p.set_defaults(func=cmd_sync_now)
    ssub = p.add_subparsers(dest="sync_command", metavar="COMMAND")

    s = ssub.add_parser("setup", parents=[common], help=_("connect this vault to the clinic's server (admins)"))
    s.add_argument("--server", required=True, metavar="URL",
                   help=_("a PostgreSQL connection URI, e.g. postgresql://owner@db.example.org/haven?sslmode=require"))
    s.add_argument("--reseed", action="store_true",
                   help=_("the clinic's server was lost: start a new, empty one from everything this vault holds"))
    s.set_defaults(func=cmd_setup)

    i = ssub.add_parser("invite", parents=[common],
                        help=_("enrol an existing user's new laptop: writes an invitation and prints its one-time code"))
    i.add_argument("invitee", metavar="USER", help=_("the vault user who gets the new laptop"))
    i.add_argument("--out", required=True, type=file_to_write, help=_("the invitation file to write"))
    i.add_argument("--json", action="store_true", help=_("print the result as JSON"))
    i.set_defaults(func=cmd_invite)

    j = ssub.add_parser("join", parents=[common],
                        help=_("create this laptop's vault from an invitation (stdin: the code, then your new "
                               "passphrase)"))
    j.add_argument("invitation", type=Path)
    j.add_argument("--kdf-profile", choices=["standard", "fast"], default="standard", help=argparse.SUPPRESS)
    j.set_defaults(func=cmd_join)

    st = ssub.add_parser("status", parents=[common], help=_("show the connection and what is waiting"))
    st.add_argument("--json", action="store_true", help=_("print the status as JSON"))
    st.set_defaults(func=cmd_status)

    c = ssub.add_parser("conflicts", parents=[common],
                        help=_("list edits made at the same time on two laptops, or settle one"))
    c.add_argument("--json", action="store_true", help=_("print the list as JSON"))
    c.add_argument("--resolve", type=int, metavar="ID", help=_("the conflict to settle"))
    c.add_argument("--keep", choices=["kept", "other"], help=_("keep the value that won (kept) or the other one"))
    c.set_defaults(func=cmd_conflicts)


def _print_report(report) -> None:  # type: ignore[no-untyped-def]
    print(_("Changes received: {pulled} (applied: {applied}; deletions: {deleted}; refused: {rejected}). Records "
            "sent: {pushed}; document chunks sent: {chunks} (already on the server: {present}).").format(
        pulled=report.pulled, applied=report.applied, deleted=report.deleted, rejected=report.rejected,
        pushed=report.pushed, chunks=report.chunks_uploaded, present=report.chunks_already_there))
    for kind, old, new in report.renamed:
        print(_("{old} was also created on another laptop: yours is now {new}.").format(old=old, new=new))
    for _kind, old, new in report.renamed_after_deletion:
        print(_("{old} belonged to a record deleted for good: yours is now {new}.").format(old=old, new=new))
    if report.waiting:
        print(ngettext("{count} received record waits for records it names.",
                       "{count} received records wait for records they name.", report.waiting).format(
            count=report.waiting))
    if report.open_conflicts:
        print(ngettext("{count} conflict needs a person: clinic-app sync conflicts",
                       "{count} conflicts need a person: clinic-app sync conflicts", report.open_conflicts).format(
            count=report.open_conflicts))


def cmd_sync_now(ctx: CliContext) -> int:
    with ctx.unlock() as session:
        report = sync_now(session)
    _print_report(report)
    return ExitCode.FAILED if report.open_conflicts else ExitCode.OK


def cmd_setup(ctx: CliContext) -> int:
    with ctx.unlock() as session, connection.server_errors():
        settings = enrol.setup(session, ctx.args.server, reseed=ctx.args.reseed)
        for line in status.what_the_server_sees():
            print(line)
        report = sync_now(session)
    print(_("Connected this vault to {server} as laptop {device}.").format(
        server=status.server_name(settings.url), device=settings.device_id))
    _print_report(report)
    return ExitCode.OK


def cmd_invite(ctx: CliContext) -> int:
    with ctx.unlock() as session, connection.server_errors():
        made = enrol.invite(session, ctx.args.invitee, ctx.args.out)
    if ctx.args.json:
        emit_json({"file": str(made.path), "code": made.code, "user": made.user, "role": made.role,
                   "device": made.device_id})
        return ExitCode.OK
    print(_("Invitation for {user} ({role}) written to {path}.").format(user=made.user, role=made.role, path=made.path))
    print(_("One-time code (give it in person or by phone, never with the file; it is not stored anywhere):"))
    print()
    print("    " + made.code)
    print()
    return ExitCode.OK


def cmd_join(ctx: CliContext) -> int:
    if not getattr(ctx.args, "vault", None):
        raise UsageError(_("Say where this laptop's vault goes with --vault DIR."))
    code = ctx.secrets.read(_("One-time code"))
    passphrase = ctx.secrets.read(_("Your new passphrase"), confirm=True)
    with connection.server_errors():
        joined = enrol.join(ctx.folder, ctx.args.invitation, code, passphrase, kdf_profile=ctx.args.kdf_profile)
    with joined.session as session:
        info = status.status(session)
    print(_("Joined the clinic as {user} ({role}); this laptop's vault is in {folder}.").format(
        user=info["user"], role=info["role"], folder=ctx.folder))
    print(_("Recovery key of this laptop's vault (shown only once; keep it in the clinic's safe):"))
    print()
    print("    " + joined.recovery_key)
    print()
    if joined.first_sync_error:
        print(joined.first_sync_error, file=sys.stderr)
        return ExitCode.FAILED
    return ExitCode.OK


def cmd_status(ctx: CliContext) -> int:
    with ctx.unlock() as session:
        info = status.status(session)
    if ctx.args.json:
        emit_json(info)
        return ExitCode.OK
    for line in status.describe(info):
        print(line)
    return ExitCode.OK


def cmd_conflicts(ctx: CliContext) -> int:
    with ctx.unlock() as session:
        if ctx.args.resolve is not None:
            if not ctx.args.keep:
                raise UsageError(_("Say which value to keep with --keep kept or --keep other."))
            sync_conflicts.resolve(session, ctx.args.resolve, keep=ctx.args.keep)
            print(_("Conflict {id} settled.").format(id=ctx.args.resolve))
            return ExitCode.OK
        rows = sync_conflicts.open_conflicts(session)
    if ctx.args.json:
        emit_json([c.to_json() for c in rows])
    else:
        emit_table([_("#"), _("Record"), _("Field"), _("Kept"), _("Other"), _("From laptop")],
                   [(c.id, f"{c.kind} {c.ref}", c.field, c.kept_text, c.other_text, c.other_author) for c in rows],
                   empty=_("No conflicts."))
    return ExitCode.FAILED if rows else ExitCode.OK
