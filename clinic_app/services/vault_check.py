"""`check`: is the vault intact, which pages are damaged, and where is a good backup?

`check(session)` runs on an open vault: SQLite `integrity_check`, SQLCipher
`cipher_integrity_check`, a page-by-page HMAC scan (vault/pages.py), the SHA-256
of every stored document and the audit chain. `check_folder` also works when the
vault does not open at all (page 1 or the schema damaged): it unwraps the data
key from the key slots and scans the pages without SQLite, so the user still
learns which pages are hurt, and it names the newest good backup to restore.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from clinic_app.errors import VaultDamaged
from clinic_app.i18n import _, ngettext
from clinic_app.services import backup as backups
from clinic_app.services import session as sessions
from clinic_app.services.location_guard import assess_vault_folder
from clinic_app.services.session import Session
from clinic_app.vault import audit, blobs, connection, migrations, records
from clinic_app.vault import users as user_rows
from clinic_app.vault.errors import (DatabaseBeforeKeyChange, KeySlotsAltered, KeySlotsMissing, KeySlotsOlder,
                                     VaultOlderCopy)
from clinic_app.vault.pages import PageReport
from clinic_app.vault.store import Vault

_PAGE = re.compile(r"HMAC verification failed for page (\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class CheckReport:
    schema_version: int
    database_problems: tuple[str, ...]
    audit_problems: tuple[str, ...]
    damaged_pages: tuple[int, ...] = ()
    document_problems: tuple[str, ...] = ()
    user_problems: tuple[str, ...] = ()  # users who cannot log in (a restore is not the cure)

    @property
    def ok(self) -> bool:
        return not (self.database_problems or self.audit_problems or self.damaged_pages
                    or self.document_problems or self.user_problems)

    @property
    def only_user_problems(self) -> bool:
        return bool(self.user_problems) and dataclasses.replace(self, user_problems=()).ok


def _pages_named(problems: list[str]) -> set[int]:
    """Pages cipher_integrity_check names; integrity_check's page numbers are not used, since
    after one HMAC failure SQLCipher reports unrelated pages too (sqlcipher issue #617)."""
    return {int(m.group(1)) for p in problems for m in _PAGE.finditer(p)}


def _safely(run: Callable[[], list[str]]) -> list[str]:
    """A check's findings; a read that fails on a damaged page is itself a finding."""
    try:
        return run()
    except connection.DatabaseError as exc:
        return [_("the check could not finish: {detail}").format(detail=str(exc))]


def users_without_slot(session: Session) -> list[str]:
    """Users the database knows who have no key slot, so cannot log in (a slot file written by
    a process that had not seen them, or a crash between a user's row and their slot)."""
    slots = session.vault.slots
    return [u.name for u in user_rows.all_users(session.vault.conn) if slots.user_slot(u.name) is None]


def _users_without_slot_safely(session: Session) -> list[str]:
    try:
        return users_without_slot(session)
    except connection.DatabaseError:
        return []  # the damaged page is already reported by the integrity checks


def check(session: Session, *, documents: bool = True, record: bool = True) -> CheckReport:
    """The full report; `record=False` writes nothing (an older copy nobody accepted yet)."""
    conn = session.vault.conn
    problems = _safely(lambda: connection.integrity_problems(conn))
    scan = session.vault.page_report()
    pages = sorted(_pages_named(problems) | set(scan.bad_pages) | set(scan.bad_wal_pages))
    doc_problems: list[str] = []
    if documents:
        try:
            stored = records.document_blob_ids(conn)
        except connection.DatabaseError as exc:
            stored = []
            doc_problems.append(_("the check could not finish: {detail}").format(detail=str(exc)))
        for ref, blob_id in stored:
            try:
                intact = blobs.verify(conn, blob_id)
            except (VaultDamaged, connection.DatabaseError):
                intact = False
            if not intact:
                doc_problems.append(_("document {ref}: stored bytes do not match their SHA-256").format(ref=ref))
    report = CheckReport(
        schema_version=migrations.current_version(conn),
        database_problems=tuple(problems),
        audit_problems=tuple(_safely(lambda: audit.verify(conn, session.vault.vault_id))),
        damaged_pages=tuple(pages),
        document_problems=tuple(doc_problems),
        user_problems=tuple(
            _("{name} is a user of this vault but has no key slot in keyslots.json, so {name} cannot log "
              "in. An admin can mend this by adding {name} again with a new passphrase.").format(name=name)
            for name in _users_without_slot_safely(session)),
    )
    if not record:
        return report
    try:
        with session.transaction():
            session.audit("check", detail={"ok": report.ok, "damaged_pages": len(pages)})
    except connection.DatabaseError:
        pass  # a damaged vault may refuse the write; the report matters more
    return report


@dataclass(frozen=True)
class FolderCheck:
    """The whole answer for `clinic-app check`, whether or not the vault opened."""

    report: CheckReport | None  # None when the vault did not open
    cannot_open: str  # why it did not open ("" when it did)
    pages: PageReport | None  # the page scan made without SQLite, when it did not open
    location_problems: tuple[str, ...]
    backup: backups.BackupInfo | None
    backups_looked_in: Path | None
    older_copy: VaultOlderCopy | None = None  # the vault opened, but it is older than this computer saw
    suggest_restore: bool = True  # False when restoring would not help (an altered key-slot file, an older copy)
    unverified_backups: tuple[Path, ...] = ()  # whole backup files whose header MAC did not verify

    @property
    def ok(self) -> bool:
        return self.report is not None and self.report.ok and self.older_copy is None

    @property
    def damaged_pages(self) -> tuple[int, ...]:
        if self.report is not None:
            return self.report.damaged_pages
        return tuple(sorted(set(self.pages.bad_pages) | set(self.pages.bad_wal_pages))) if self.pages else ()


# named as what they are, with their own remedy, not scanned
NOT_DAMAGE = (KeySlotsAltered, KeySlotsOlder, KeySlotsMissing, DatabaseBeforeKeyChange)


def check_folder(folder: Path, *, user: str, passphrase: str, backups_folder: Path | None = None,
                 mounts: str | None = None) -> FolderCheck:
    """Check the vault in `folder`; a wrong passphrase or a vault in use still raise as usual.

    The vault is opened first, which finishes what a crash left (an interrupted rekey, the
    WAL) exactly as the next unlock would, without adding an audit row; then every page is
    scanned, before the check's own audit row could reuse a damaged free page and hide it.
    A vault that does not open is scanned page by page without SQLite. A vault older than
    the copy this computer last opened is reported, not accepted.
    """
    folder = Path(folder)
    location = assess_vault_folder(folder, mounts=mounts)
    report, why, scan, vault_id = None, "", None, None
    older: list[VaultOlderCopy] = []
    restore_helps = True
    verifiers: list[backups.Verifier] = []  # from the data key, once a page or the database proved it
    try:
        vault_id = Vault.peek_slots(folder).vault_id
        try:
            vault = sessions.open_vault(folder, user=user, passphrase=passphrase, older=older)
        except (VaultDamaged, connection.DatabaseError) as exc:
            if not isinstance(exc, NOT_DAMAGE):
                scan = Vault.diagnose(folder, user=user, passphrase=passphrase, verifiers=verifiers)
            raise
        try:
            verifiers.append(vault.backup_verifier())
            opened_scan = vault.page_report()
        except BaseException:
            vault.close()
            raise
        with sessions.start_session(vault, user, look_only=bool(older)) as session:
            report = check(session, record=not older)
        if not opened_scan.ok:
            pages = sorted(set(report.damaged_pages) | set(opened_scan.bad_pages) | set(opened_scan.bad_wal_pages))
            report = dataclasses.replace(report, damaged_pages=tuple(pages))
    except (VaultDamaged, connection.DatabaseError) as exc:
        restore_helps = not isinstance(exc, NOT_DAMAGE)
        why = str(exc) if isinstance(exc, VaultDamaged) else _("the database cannot be read ({detail})").format(
            detail=str(exc))
    newest, unverified = None, ()
    if backups_folder is not None and (report is None or not report.ok):
        newest, unverified = _backups(Path(backups_folder), vault_id, verifiers[0] if verifiers else None)
    return FolderCheck(report, why, scan, location.refused + location.warnings, newest,
                       Path(backups_folder) if backups_folder else None, older[0] if older else None,
                       restore_helps and not older and not (report is not None and report.only_user_problems),
                       unverified)


def _backups(folder: Path, vault_id: str | None,
             verify: backups.Verifier | None) -> tuple[backups.BackupInfo | None, tuple[Path, ...]]:
    """The backup to recommend, and the files whose dates could not be verified (to say so)."""
    listed, _bad = backups.list_backups(folder, vault_id, verify=verify)
    return (backups.newest_good_backup(folder, vault_id, verify=verify),
            tuple(sorted(b.path for b in listed if not b.verified)))


def check_without_key(folder: Path, problem: Exception, *, backups_folder: Path | None = None,
                      mounts: str | None = None) -> FolderCheck:
    """The report when not even the key-slot file can be read: no key, so no page scan."""
    location = assess_vault_folder(Path(folder), mounts=mounts)
    newest, unverified = _backups(Path(backups_folder), None, None) if backups_folder is not None else (None, ())
    return FolderCheck(None, str(problem), None, location.refused + location.warnings, newest,
                       Path(backups_folder) if backups_folder else None,
                       suggest_restore=not isinstance(problem, NOT_DAMAGE), unverified_backups=unverified)


def check_open(session: Session, *, backups_folder: Path | None = None, mounts: str | None = None) -> FolderCheck:
    """`check_folder` for a vault this process has open (the window's Vault → Check vault): the
    same report, made on the open session, since the folder cannot be opened a second time."""
    vault = session.vault
    location = assess_vault_folder(Path(vault.folder), mounts=mounts)
    report = check(session)
    newest, unverified = None, ()
    if backups_folder is not None and not report.ok:
        try:
            verifier: backups.Verifier | None = vault.backup_verifier()
        except (VaultDamaged, connection.DatabaseError):
            verifier = None
        newest, unverified = _backups(Path(backups_folder), vault.vault_id, verifier)
    return FolderCheck(report, "", None, location.refused + location.warnings, newest,
                       Path(backups_folder) if backups_folder else None,
                       suggest_restore=not report.only_user_problems, unverified_backups=unverified)


def findings(found: FolderCheck) -> list[str]:
    """What is wrong, one line each, worded as `clinic-app check` prints it (the window shows the same)."""
    lines: list[str] = []
    report = found.report
    header_damaged = found.pages is not None and found.pages.header_damaged
    if report is None:
        lines.append(_("The vault cannot be opened: {reason}").format(reason=found.cannot_open))
        if header_damaged:
            lines.append(_("The file's first page (its header) is damaged: no page can be verified."))
    else:
        lines.extend(report.database_problems + report.audit_problems + report.document_problems
                     + report.user_problems)
    if found.damaged_pages and not header_damaged:
        lines.append(_("Damaged pages: {pages}").format(pages=", ".join(str(p) for p in found.damaged_pages)))
    if found.older_copy is not None:
        lines.append(str(found.older_copy))
    return lines


def intact_line(report: CheckReport) -> str:
    return _("Vault is intact (schema {version}).").format(version=report.schema_version)


def damaged_line() -> str:
    return _("The vault is damaged. Restore it from a backup.")


def backup_lines(found: FolderCheck) -> list[str]:
    """The backup to restore, and which files' dates are only what the files claim."""
    lines: list[str] = []
    backup = found.backup
    if backup is not None:
        when = backup.header.created_at[:19].replace("T", " ")
        if backup.verified:
            lines.append(_("Newest good backup: {path} (made {when} UTC).").format(path=backup.path, when=when))
        else:
            lines.append(_("Newest good backup: {path} (it says it was made {when} UTC, but this date could not "
                           "be verified: check it after restoring).").format(path=backup.path, when=when))
    if found.unverified_backups:
        shown = found.unverified_backups[:10]
        count = len(found.unverified_backups)
        lines.append(ngettext(
            "{count} backup file could not be verified with this vault's key (made by an older Haven, "
            "under an earlier key, or changed by someone): {names}",
            "{count} backup files could not be verified with this vault's key (made by an older "
            "Haven, under an earlier key, or changed by someone): {names}", count).format(
            count=count, names=", ".join(p.name for p in shown) + (" …" if count > len(shown) else "")))
    return lines
