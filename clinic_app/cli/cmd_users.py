"""user add | remove | passwd | list."""

from __future__ import annotations

import argparse

from clinic_app.cli.context import CliContext
from clinic_app.cli.output import emit_json, emit_table
from clinic_app.domain.roles import parse_role
from clinic_app.errors import ExitCode
from clinic_app.i18n import _
from clinic_app.services import users


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("user", parents=[common], help=_("manage the people who can open the vault"))
    usub = p.add_subparsers(dest="user_command", required=True, metavar="COMMAND")

    a = usub.add_parser("add", parents=[common],
                        help=_("add a user (stdin: your passphrase, then the new user's)"))
    a.add_argument("name", help=_("the new user's login name"))
    a.add_argument("--role", required=True, help=_("admin, lawyer, staff or volunteer"))
    a.set_defaults(func=cmd_add)

    r = usub.add_parser("remove", parents=[common],
                        help=_("remove a user and re-encrypt the vault under a new key"))
    r.add_argument("name")
    r.set_defaults(func=cmd_remove)

    w = usub.add_parser("passwd", parents=[common],
                        help=_("change your passphrase (stdin: current, then new)"))
    w.set_defaults(func=cmd_passwd)

    lst = usub.add_parser("list", parents=[common], help=_("list users and roles"))
    lst.add_argument("--json", action="store_true", help=_("print as JSON"))
    lst.set_defaults(func=cmd_list)


def cmd_add(ctx: CliContext) -> int:
    role = parse_role(ctx.args.role)
    with ctx.unlock() as session:
        passphrase = ctx.secrets.read(_("Passphrase for the new user {user}").format(user=ctx.args.name),
                                      confirm=True)
        user = users.add_user(session, ctx.args.name, role, passphrase)
    print(_("Added {user} as {role}.").format(user=user.name, role=user.role.value))
    return ExitCode.OK


def cmd_remove(ctx: CliContext) -> int:
    with ctx.unlock() as session:
        users.remove_user(session, ctx.args.name)
    print(_("Removed {user}; the vault now uses a new encryption key.").format(user=ctx.args.name))
    return ExitCode.OK


def cmd_passwd(ctx: CliContext) -> int:
    current = ctx.read_passphrase()
    with ctx.unlock(current) as session:
        new = ctx.secrets.read(_("New passphrase"), confirm=True)
        users.change_passphrase(session, current, new)
    print(_("Passphrase changed."))
    return ExitCode.OK


def cmd_list(ctx: CliContext) -> int:
    with ctx.unlock() as session:
        rows = users.list_users(session)
    if ctx.args.json:
        emit_json([{"name": u.name, "role": u.role.value, "created_at": u.created_at} for u in rows])
    else:
        emit_table([_("User"), _("Role"), _("Since")], [(u.name, u.role.value, u.created_at[:10]) for u in rows],
                   empty=_("No users."))
    return ExitCode.OK
