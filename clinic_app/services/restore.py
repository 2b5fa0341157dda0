"""Restoring a vault from a backup file: verify everything first, replace nothing until then.

The backup is unpacked into a staging folder beside the target, opened with the
user's passphrase (or the recovery key) through the backup's own key slots, and
checked: SQLite `integrity_check`, SQLCipher `cipher_integrity_check`, the audit
chain, and the SHA-256 of every stored document. The date reported is the header's
only when its MAC verifies under the key that opened the backup; otherwise (an older
Haven's backup, or a relabelled one) it is the newest audit entry inside the backup,
which the page HMACs vouch for, and a warning says so. Only then is anything moved: an
existing vault folder is renamed aside (`<name>.replaced-<UTC time>`), never
deleted, and the staging folder is renamed into place.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from clinic_app import temp_journal
from clinic_app.domain.progress import Progress, no_progress
from clinic_app.domain.roles import PERMISSION_LABELS, Permission, Role, allows
from clinic_app.errors import PermissionDenied, VaultDamaged
from clinic_app.i18n import _
from clinic_app.services import vault_history
from clinic_app.services.location_guard import guard_vault_folder
from clinic_app.vault import audit, blobs, connection, records, users
from clinic_app.vault import backup as backup_file
from clinic_app.vault.errors import BackupInvalid, RestoreRefused, storage_error
from clinic_app.vault.lockfile import LOCK_NAME, VaultLock
from clinic_app.vault.store import DB_NAME, SLOTS_NAME, Vault


@dataclass(frozen=True)
class RestoreResult:
    folder: Path
    moved_aside: Path | None
    documents_verified: int
    backup_created_at: str
    warnings: tuple[str, ...] = ()


def folder_state(folder: Path) -> str:
    """"missing", "empty", "vault" (a vault, maybe damaged) or "other" (files that are not a vault)."""
    folder = Path(folder)
    if not folder.exists():
        return "missing"
    if not folder.is_dir():
        return "other"
    names = {p.name for p in folder.iterdir()}
    if not names:
        return "empty"
    if names & {DB_NAME, SLOTS_NAME}:
        return "vault"
    return "other"


def users_in_backup(path: Path) -> list[str]:
    """Login names whose passphrases open the backup (from its key slots; no key needed)."""
    from clinic_app.vault import keyslots

    return keyslots.loads(backup_file.read_header(Path(path)).keyslots).users()


def _verify(vault: Vault, name: str, progress: Progress) -> int:
    try:
        return _verify_all(vault, name, progress)
    except connection.DatabaseError as exc:
        raise BackupInvalid(name, "the database is damaged") from exc


def _verify_all(vault: Vault, name: str, progress: Progress) -> int:
    problems = connection.integrity_problems(vault.conn)
    problems += audit.verify(vault.conn, vault.vault_id)
    docs = records.document_blob_ids(vault.conn)
    for i, (ref, blob_id) in enumerate(docs):
        progress(i, len(docs), _("Checking document {n} of {total}").format(n=i + 1, total=len(docs)))
        if not blobs.verify(vault.conn, blob_id):
            problems.append(_("document {ref}: bytes do not match their SHA-256").format(ref=ref))
    if problems:
        raise BackupInvalid(name, "; ".join(problems[:5]))
    return len(docs)


def _aside_name(folder: Path) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    aside, n = folder.with_name(f"{folder.name}.replaced-{stamp}"), 1
    while aside.exists():
        n += 1
        aside = folder.with_name(f"{folder.name}.replaced-{stamp}-{n}")
    return aside


def restore(backup: Path, folder: Path, *, user: str | None = None, passphrase: str | None = None,
            recovery_key: str | None = None, replace: bool = False,
            progress: Progress = no_progress) -> RestoreResult:
    """Restore `backup` into `folder` (missing, empty, or a vault to replace with `replace=True`)."""
    backup, folder = Path(backup), Path(os.path.abspath(Path(folder).expanduser()))
    header = backup_file.read_header(backup)
    state = folder_state(folder)
    if state == "other":
        raise RestoreRefused(_("{folder} holds files that are not a Haven vault; restore into an empty "
                               "or new folder.").format(folder=folder))
    if state == "vault" and not replace:
        raise RestoreRefused(_("{folder} already holds a vault. To replace it with the backup, confirm "
                               "with --replace (the current vault is kept, renamed).").format(folder=folder))
    warnings = guard_vault_folder(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging, entry = temp_journal.make_staging(folder.parent, temp_journal.RESTORE_PREFIX)
    try:
        progress(0, 1, _("Unpacking the backup"))
        backup_file.extract(backup, header, staging, DB_NAME, SLOTS_NAME)
        vault, actor = _open_staged(staging, backup.name, user, passphrase, recovery_key)
        with vault:
            if vault.vault_id != header.vault_id:
                raise BackupInvalid(backup.name, "vault id")
            record = users.get(vault.conn, actor) if recovery_key is None else None
            if recovery_key is None and (record is None or not allows(record.role, Permission.BACKUP)):
                role = record.role.value if record else Role.VOLUNTEER.value
                raise PermissionDenied(role, _(PERMISSION_LABELS[Permission.BACKUP]))
            count = _verify(vault, backup.name, progress)
            made, verified = _made_at(vault, header)
            if not verified:
                warnings.append(_("The backup's label could not be verified (it was made by an older Haven, or "
                                  "changed since): the date shown is that of the newest entry in its audit log, "
                                  "{when} UTC.").format(when=made[:19].replace("T", " ")))
            with vault.transaction():
                audit.append(vault.conn, vault.vault_id, actor=actor, action="vault_restored",
                             detail={"backup_created_at": made, "header_verified": verified, "documents": count})
            vault.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            mark = vault_history.mark_of(vault.conn)
        with contextlib.suppress(OSError):
            (staging / LOCK_NAME).unlink()
        aside = _swap_in(staging, folder, state)
        temp_journal.forget(entry)  # renamed into place: nothing of it is left to sweep
        vault_history.save(header.vault_id, folder, mark)  # a deliberate restore resets the mark
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if not staging.exists():
            temp_journal.forget(entry)
        mapped = storage_error(exc, str(folder.parent)) if isinstance(exc, OSError) else None
        if mapped is not None:
            raise mapped from exc
        raise
    return RestoreResult(folder, aside, count, made, tuple(warnings))


def _made_at(vault: Vault, header: backup_file.BackupHeader) -> tuple[str, bool]:
    """When the backup was made, and whether its header said so under the backup's key.

    Anyone can rewrite the header's date; the audit rows inside the database are
    covered by its page HMACs (and the chain was just verified).
    """
    if vault.backup_verifier()(header):
        return header.created_at, True
    row = vault.conn.execute("SELECT at FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    return (str(row[0]) if row else ""), False


def _open_staged(staging: Path, name: str, user: str | None, passphrase: str | None,
                 recovery_key: str | None) -> tuple[Vault, str]:
    """Open the unpacked backup through its own key slots; damage becomes BackupInvalid."""
    try:
        if recovery_key is not None:
            return Vault.open_with_recovery(staging, recovery_key), "recovery-key"
        return Vault.open(staging, user=user or "", passphrase=passphrase or ""), user or ""
    except (VaultDamaged, connection.DatabaseError) as exc:
        raise BackupInvalid(name, "the database does not open") from exc


def _swap_in(staging: Path, folder: Path, state: str) -> Path | None:
    """Move the old vault aside (after making sure no Haven has it open), then the new one in."""
    aside = None
    if state == "vault":
        lock = VaultLock(folder)
        lock.acquire()  # VaultInUse if another Haven has it open
        lock.release()
        aside = _aside_name(folder)
        os.rename(folder, aside)
    elif state == "empty":
        folder.rmdir()
    os.rename(staging, folder)
    if os.name == "posix":
        fd = os.open(folder.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    return aside
