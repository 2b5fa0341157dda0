"""init, check, audit and recover."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from clinic_app.cli.context import CliContext
from clinic_app.cli.output import emit_json, emit_table
from clinic_app.errors import ExitCode, UsageError, VaultDamaged
from clinic_app.i18n import _, ngettext
from clinic_app.services import audit_log, users, vault_check
from clinic_app.services import session as sessions


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("init", parents=[common], help=_("create a new vault; the first user is its admin"))
    p.add_argument("--kdf-profile", choices=["standard", "fast"], default="standard",
                   help=argparse.SUPPRESS)  # "fast" is for the test suite only
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("check", parents=[common],
                       help=_("check the vault's integrity (exit code 5 when damaged)"))
    p.add_argument("--json", action="store_true", help=_("print the report as JSON"))
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("audit", parents=[common], help=_("show or verify the audit log"))
    p.add_argument("--verify", action="store_true", help=_("verify the hash chain (exit code 5 if broken)"))
    p.add_argument("--limit", type=int, default=None, help=_("show only the last N rows"))
    p.add_argument("--by", dest="actor", default="", metavar="USER", help=_("show only what USER did"))
    p.add_argument("--action", default="", help=_("show only rows of this action (e.g. client_created)"))
    p.add_argument("--since", default="", metavar="YYYY-MM-DD",
                   help=_("show only rows from this day on (UTC)"))
    p.add_argument("--until", default="", metavar="YYYY-MM-DD",
                   help=_("show only rows up to this day, included (UTC)"))
    p.add_argument("--json", action="store_true", help=_("print rows as JSON"))
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("recover", parents=[common],
                       help=_("set a new admin passphrase with the recovery key "
                              "(stdin: recovery key, then the new passphrase)"))
    p.set_defaults(func=cmd_recover)


def cmd_init(ctx: CliContext) -> int:
    user = ctx.args.user or ""
    if not user:
        raise UsageError(_("init needs --user NAME for the first (admin) user."))
    passphrase = ctx.secrets.read(_("New passphrase for {user}").format(user=user), confirm=True)
    if ctx.args.kdf_profile == "fast":
        print(_("Warning: the fast key-derivation profile is for tests only."), file=sys.stderr)
    session, recovery = sessions.create_vault(ctx.folder, admin=user, passphrase=passphrase,
                                              kdf_profile=ctx.args.kdf_profile)
    session.lock()
    print(_("Created a vault in {folder} with admin {user}.").format(folder=ctx.folder, user=user))
    print()
    print(_("Recovery key (shown only once; print it or write it down and keep it in the clinic's safe):"))
    print()
    print("    " + recovery)
    print()
    print(_("Anyone with this key can open the vault. Without it, a forgotten admin passphrase "
            "cannot be recovered."))
    return ExitCode.OK


def cmd_check(ctx: CliContext) -> int:
    with ctx.unlock() as session:
        report = vault_check.check(session)
    if ctx.args.json:
        emit_json({"ok": report.ok, "schema_version": report.schema_version,
                   "database_problems": list(report.database_problems),
                   "audit_problems": list(report.audit_problems), "user_problems": list(report.user_problems)})
    else:
        for problem in report.database_problems + report.audit_problems + report.user_problems:
            print(problem)
        if report.ok:
            print(_("Vault is intact (schema {version}).").format(version=report.schema_version))
        elif not report.only_user_problems:
            print(_("The vault is damaged. Restore it from a backup."))
    return ExitCode.OK if report.ok else ExitCode.DAMAGED


def cmd_audit(ctx: CliContext) -> int:
    since = _day(ctx.args.since) if ctx.args.since else None
    until = _day(ctx.args.until) if ctx.args.until else None
    with ctx.unlock() as session:
        if ctx.args.verify:
            report = audit_log.check(session)
            problems, count = report.problems, report.rows
            if report.server_note:
                print(_("Note: the clinic's server could not be reached ({detail}); only this laptop's audit log "
                        "was checked.").format(detail=report.server_note), file=sys.stderr)
            if ctx.args.json:
                emit_json({"ok": not problems, "rows": count, "problems": problems})
            else:
                for problem in problems:
                    print(problem)
                print(ngettext("Audit log intact: {count} row.", "Audit log intact: {count} rows.", count).format(
                    count=count) if not problems
                      else _("The audit log has been altered."))
            return ExitCode.OK if not problems else ExitCode.DAMAGED
        rows = audit_log.entries(session, limit=ctx.args.limit, actor=ctx.args.actor, action=ctx.args.action,
                                 since=since, until=until)
    filtered = bool(ctx.args.actor or ctx.args.action or ctx.args.since or ctx.args.until)
    if ctx.args.json:
        emit_json([{"seq": e.seq, "at": e.at, "actor": e.actor, "action": e.action,
                    "target": e.target, "detail": e.detail} for e in rows])
    else:
        emit_table([_("#"), _("When (UTC)"), _("Who"), _("Action"), _("Target")],
                   [(e.seq, e.at[:19], e.actor, e.action, e.target) for e in rows],
                   empty=_("No row of the audit log matches.") if filtered else _("The audit log is empty."))
    return ExitCode.OK


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(_("Not a date (use YYYY-MM-DD): {value}").format(value=text)) from None


def cmd_recover(ctx: CliContext) -> int:
    admin = ctx.user_name()
    key = ctx.secrets.read(_("Recovery key"))
    new = ctx.secrets.read(_("New passphrase for {user}").format(user=admin), confirm=True)
    users.recover(ctx.folder, recovery_key=key, admin=admin, new_passphrase=new)
    print(_("{user} has a new passphrase.").format(user=admin))
    return ExitCode.OK


__all__ = ["register", "VaultDamaged"]
