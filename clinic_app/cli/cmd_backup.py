"""backup, restore, check (page by page), export-matter, import-matter, delete-client.

Wire with `cmd_backup.register(sub, common)` AFTER `cmd_vault.register`: this
module extends the existing `check` command (adds --backups and the page report)
instead of defining a second one.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from pathlib import Path

from clinic_app.cli.context import CliContext
from clinic_app.cli.output import emit_json, file_to_write
from clinic_app.domain.roles import Permission
from clinic_app.errors import ExitCode, HavenError, UsageError, VaultDamaged, VaultNotFound
from clinic_app.i18n import _, ngettext
from clinic_app.services import backup as backups
from clinic_app.services import purge, restore, transfer, vault_check
from clinic_app.services.location_guard import guard_vault_folder
from clinic_app.services.session import Session
from clinic_app.vault.errors import VaultOlderCopy, storage_error


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("backup", parents=[common],
                       help=_("write an encrypted backup file (or into a folder, with automatic names)"))
    p.add_argument("target", type=Path, help=_("the backup file to create, or an existing folder"))
    p.add_argument("--rotate", action="store_true",
                   help=_("in a folder: keep the newest backup of the last 7 days and 4 weeks, delete older "
                          "automatic ones"))
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", parents=[common],
                       help=_("restore the vault folder (--vault) from a backup file, after checking it"))
    p.add_argument("backup", type=Path)
    p.add_argument("--replace", action="store_true",
                   help=_("replace an existing (e.g. damaged) vault; it is kept, renamed, never deleted"))
    p.add_argument("--recovery-key", action="store_true",
                   help=_("unlock the backup with the recovery key instead of a passphrase"))
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("export-matter", parents=[common],
                       help=_("export one matter to a case file protected by its own passphrase "
                              "(stdin: your passphrase, then the file's)"))
    p.add_argument("matter")
    p.add_argument("--out", type=file_to_write, required=True, help=_("the case file to create"))
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import-matter", parents=[common],
                       help=_("import a case file (stdin: your passphrase, then the file's)"))
    p.add_argument("file", type=Path)
    p.add_argument("--on-conflict", choices=transfer.CHOICES, default=None,
                   help=_("what to do with records that conflict: skip them, or import them under new refs"))
    p.add_argument("--accept-conflicts", action="store_true",
                   help=_("import even when the conflict check finds names like people in this vault "
                          "(the decision is audited)"))
    p.add_argument("--json", action="store_true", help=_("print the summary as JSON"))
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("delete-client", parents=[common],
                       help=_("delete a client and everything only they use, leaving no trace in the vault file"))
    p.add_argument("client")
    p.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    p.set_defaults(func=cmd_delete_client)

    check = sub.choices.get("check") if sub.choices else None
    if check is None:
        check = sub.add_parser("check", parents=[common],
                               help=_("check the vault's integrity (exit code 5 when damaged)"))
        check.add_argument("--json", action="store_true", help=_("print the report as JSON"))
    check.add_argument("--backups", type=Path, default=None, metavar="DIR",
                       help=_("your backup folder: name the newest good backup if the vault is damaged"))
    check.set_defaults(func=cmd_check)


def _clear_errors(command: Callable[[CliContext], int]) -> Callable[[CliContext], int]:
    """A disk that fails under SQLite (full, I/O error, read-only) becomes a clear message, not
    "Internal error". (cli/main.py could do this for every command.)"""

    @functools.wraps(command)
    def run(ctx: CliContext) -> int:
        try:
            return command(ctx)
        except HavenError:
            raise
        except Exception as exc:
            mapped = storage_error(exc, str(ctx.folder))
            if mapped is None:
                raise
            raise mapped from exc

    return run


def _warn(lines: list[str] | tuple[str, ...]) -> None:
    for line in lines:
        print(_("Warning: {text}").format(text=line), file=sys.stderr)


def _unlock(ctx: CliContext) -> Session:
    _warn(guard_vault_folder(ctx.folder))
    return ctx.unlock()


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        return False
    return input(question + " [y/N] ").strip().lower() in ("y", "yes", "o", "oui")


@_clear_errors
def cmd_backup(ctx: CliContext) -> int:
    target = Path(ctx.args.target).expanduser()
    with _unlock(ctx) as session:
        if ctx.args.rotate:
            if not target.is_dir():
                raise UsageError(_("--rotate needs a folder, not a file name."))
            session.require(Permission.BACKUP)
            result = backups.auto_backup(session, target)
        else:
            result = backups.make_backup(session, target)
    _warn(result.warnings)
    print(_("Backup written to {path} ({size} bytes).").format(path=result.path, size=result.header.db_size))
    if result.removed:
        print(ngettext("Removed {count} older automatic backup.", "Removed {count} older automatic backups.",
                       len(result.removed)).format(count=len(result.removed)))
    return ExitCode.OK


@_clear_errors
def cmd_restore(ctx: CliContext) -> int:
    folder = ctx.folder
    state = restore.folder_state(folder)
    if state == "vault" and ctx.args.replace and sys.stdin.isatty() and not _confirm(
            _("Replace the vault in {folder} with this backup? The current vault is kept, renamed.").format(
                folder=folder)):
        print(_("Nothing was changed."))
        return ExitCode.FAILED
    if ctx.args.recovery_key:
        key = ctx.secrets.read(_("Recovery key"))
        result = restore.restore(ctx.args.backup, folder, recovery_key=key, replace=ctx.args.replace)
    else:
        user = ctx.args.user
        if not user:
            names = restore.users_in_backup(ctx.args.backup)
            if len(names) != 1:
                raise UsageError(_("This backup has several users: say which one you are with --user NAME."))
            user = names[0]
        passphrase = ctx.secrets.read(_("Passphrase for {user}").format(user=user))
        result = restore.restore(ctx.args.backup, folder, user=user, passphrase=passphrase,
                                 replace=ctx.args.replace)
    _warn(result.warnings)
    print(ngettext("Restored the backup made {when} into {folder}; {count} document verified.",
                   "Restored the backup made {when} into {folder}; {count} documents verified.",
                   result.documents_verified).format(
        when=result.backup_created_at[:19].replace("T", " "), folder=result.folder, count=result.documents_verified))
    if result.moved_aside:
        print(_("The previous vault was kept as {path}.").format(path=result.moved_aside))
    return ExitCode.OK


@_clear_errors
def cmd_export(ctx: CliContext) -> int:
    with _unlock(ctx) as session:
        passphrase = ctx.secrets.read(_("Passphrase for the case file"), confirm=True)
        summary = transfer.export_matter(session, ctx.args.matter, ctx.args.out, passphrase)
    print(ngettext("Exported matter {ref} with {count} document to {path}.",
                   "Exported matter {ref} with {count} documents to {path}.", summary.documents).format(
        ref=summary.matter_ref, count=summary.documents, path=summary.path))
    print(_("Give the passphrase to the recipient another way than the file (in person or by phone)."))
    return ExitCode.OK


@_clear_errors
def cmd_import(ctx: CliContext) -> int:
    """Names like people already in the vault stop the import (exit 1, nothing imported),
    as they stop a manifest import, unless --accept-conflicts."""
    from clinic_app.cli.cmd_conflicts import conflict_rows, print_conflicts, refused_import
    from clinic_app.services.conflict_check import ConflictsFound

    try:
        with _unlock(ctx) as session:
            passphrase = ctx.secrets.read(_("Passphrase for the case file"))
            result = transfer.import_matter(session, ctx.args.file, passphrase, on_conflict=ctx.args.on_conflict,
                                            accept_conflicts=ctx.args.accept_conflicts)
    except ConflictsFound as exc:
        return refused_import(exc, ctx.args.json, "name_conflicts")
    if ctx.args.json:
        emit_json({"matter": result.matter_ref, "created": result.created, "reused": result.reused,
                   "renamed": result.renamed, "skipped": result.skipped,
                   "conflicts": [c.describe() for c in result.conflicts],
                   "names_accepted": conflict_rows(result.names_accepted)})
        return ExitCode.OK
    if result.names_accepted:
        print(_("Imported despite the conflict check (your decision was recorded in the audit log):"))
        print_conflicts(result.names_accepted)
    for conflict in result.conflicts:
        print(_("Conflict: {text}").format(text=conflict.describe()))
    for kind in sorted(set(result.created) | set(result.reused)):
        print(_("{kind}: {created} imported, {reused} already here").format(
            kind=kind, created=result.created.get(kind, 0), reused=result.reused.get(kind, 0)))
    for old, new in sorted(result.renamed.items()):
        print(_("Imported {old} as {new}.").format(old=old, new=new))
    for item in result.skipped:
        print(_("Skipped {item}.").format(item=item))
    return ExitCode.OK


@_clear_errors
def cmd_delete_client(ctx: CliContext) -> int:
    with _unlock(ctx) as session:
        plan = purge.plan_deletion(session, ctx.args.client)
        for line in plan.describe():
            print(line)
        if not ctx.args.yes:
            if not sys.stdin.isatty():
                raise UsageError(_("Deleting a client cannot be undone: confirm with --yes."))
            if not _confirm(_("Delete client {ref} for good?").format(ref=plan.client_ref)):
                print(_("Nothing was deleted."))
                return ExitCode.FAILED
        result = purge.delete_client(session, plan)
    print(_("Deleted client {ref}; the vault file was wiped of their records.").format(ref=plan.client_ref))
    return ExitCode.OK if result.scrubbed else ExitCode.FAILED


@_clear_errors
def cmd_check(ctx: CliContext) -> int:
    try:
        user = ctx.user_name()
    except (VaultDamaged, VaultNotFound) as exc:
        if isinstance(exc, VaultNotFound) and not (ctx.folder / "vault.db").exists():
            raise
        found = vault_check.check_without_key(ctx.folder, exc, backups_folder=ctx.args.backups)
    else:
        found = vault_check.check_folder(ctx.folder, user=user, passphrase=ctx.read_passphrase(),
                                         backups_folder=ctx.args.backups)
    if ctx.args.json:
        emit_json(_check_json(found))
    else:
        _print_check(found, ctx.folder)
    return ExitCode.OK if found.ok else ExitCode.DAMAGED


def _check_json(found: vault_check.FolderCheck) -> dict[str, object]:
    report = found.report
    return {
        "ok": found.ok, "opened": report is not None, "cannot_open": found.cannot_open,
        "schema_version": report.schema_version if report else None,
        "database_problems": list(report.database_problems) if report else [],
        "audit_problems": list(report.audit_problems) if report else [],
        "document_problems": list(report.document_problems) if report else [],
        "user_problems": list(report.user_problems) if report else [],
        "damaged_pages": list(found.damaged_pages),
        "location_problems": list(found.location_problems),
        "newest_good_backup": ({"path": str(found.backup.path), "created_at": found.backup.header.created_at,
                                "verified": found.backup.verified} if found.backup else None),
        "unverified_backups": [str(p) for p in found.unverified_backups],
        "older_copy": _older_json(found.older_copy),
        "damaged": not found.ok and found.suggest_restore,
    }


def _older_json(older: VaultOlderCopy | None) -> dict[str, object] | None:
    if older is None:
        return None
    return {"history_ends_at_row": older.ends_seq, "history_ends_at": older.ends_at,
            "computer_saw_row": older.seen_seq, "that_row_made_at": older.seen_entry_at,
            "computer_saw_it_on": older.seen_on, "different_history": older.diverged,
            "message": str(older)}


def _print_backups(found: vault_check.FolderCheck) -> None:
    """The backup to restore, and which files' dates are only what the files claim."""
    for line in vault_check.backup_lines(found):
        print(line)


def _print_check(found: vault_check.FolderCheck, folder: Path) -> None:
    report = found.report
    _warn(found.location_problems)
    for line in vault_check.findings(found):  # the window's Vault → Check vault shows the same lines
        print(line)
    if found.ok and report is not None:
        print(vault_check.intact_line(report))
        return
    if not found.suggest_restore:
        _print_backups(found)
        return
    print(vault_check.damaged_line())
    if found.backup is not None:
        _print_backups(found)
        print(_("Restore it with: clinic-app --vault {folder} restore {path} --replace").format(
            folder=folder, path=found.backup.path))
    elif found.backups_looked_in is not None:
        print(_("No good backup of this vault was found in {folder}.").format(folder=found.backups_looked_in))
    else:
        print(_("Say where your backups are with --backups DIR to find the newest good one."))
