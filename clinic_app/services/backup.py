"""Making backups: on demand, and automatically (on lock and exit) with rotation.

A backup is one self-contained file (vault/backup.py, docs/backups.md) that the
vault's own passphrases and recovery key open. Automatic backups go into a folder
the user chose, named `haven-<vault id prefix>-<UTC time>.havenbak`, and are
thinned by `keep_set`: the newest backup of each of the last 7 days that have
one, and of each of the last 4 ISO weeks that have one (the rule of restic's
--keep-daily/--keep-weekly). Rotation only ever deletes auto-named backups of the
same vault whose header MAC verifies under the vault's key and whose date is not in
the future, and never the backup just written; anything else in the folder (files an
older Haven wrote, files planted by whoever can write the folder) is left alone, and
is listed after the verified backups as "could not be verified".
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from clinic_app import __version__
from clinic_app.domain.roles import Permission
from clinic_app.errors import BadInput, HavenError
from clinic_app.i18n import _
from clinic_app.services.location_guard import backup_folder_warnings
from clinic_app.services.session import Session
from clinic_app.vault import backup as backup_file
from clinic_app.vault import connection
from clinic_app.vault.backup import EXTENSION, BackupHeader
from clinic_app.vault.errors import NotRecorded, storage_error

AUTO_NAME = re.compile(r"^haven-(?P<vault>[0-9a-f]{8})-(?P<stamp>\d{8}T\d{6}Z)(?:-\d+)?\.havenbak$")
STALE_TMP = re.compile(r"^\.haven-tmp-[0-9a-f]{16}(-journal)?$")
STALE_AFTER_S = 6 * 3600
FUTURE_SKEW = timedelta(hours=1)  # a verified date further ahead than this is a wrong clock: not trusted
Verifier = Callable[[BackupHeader], bool]  # Vault.backup_verifier()


@dataclass(frozen=True)
class RotationPolicy:
    daily: int = 7
    weekly: int = 4


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    header: BackupHeader
    verified: bool = False  # the header's MAC verifies under the vault's key: its date is true

    @property
    def created(self) -> datetime:
        return self.header.created

    def trusted(self, now: datetime) -> bool:
        """Verified, and not dated in the future (a clock once set ahead must not outrank today)."""
        return self.verified and self.created <= now + FUTURE_SKEW


@dataclass(frozen=True)
class BackupResult:
    path: Path
    header: BackupHeader
    warnings: tuple[str, ...] = ()
    removed: tuple[Path, ...] = ()


def keep_set(stamps: Iterable[datetime], policy: RotationPolicy = RotationPolicy()) -> set[datetime]:
    """Which backup times to keep: the newest overall, per recent day and per recent week."""
    ordered = sorted(set(stamps), reverse=True)
    keep: set[datetime] = set(ordered[:1])
    for limit, bucket in ((policy.daily, lambda t: t.date()), (policy.weekly, lambda t: t.isocalendar()[:2])):
        seen: set[object] = set()
        for stamp in ordered:
            key = bucket(stamp)
            if key in seen:
                continue
            if len(seen) >= limit:
                break
            seen.add(key)
            keep.add(stamp)
    return keep


def auto_name(vault_id: str, when: datetime, folder: Path) -> Path:
    stamp = when.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path, n = folder / f"haven-{vault_id[:8]}-{stamp}{EXTENSION}", 1
    while path.exists():
        n += 1
        path = folder / f"haven-{vault_id[:8]}-{stamp}-{n}{EXTENSION}"
    return path


def make_backup(session: Session, target: Path, *, automatic: bool = False,
                now: datetime | None = None) -> BackupResult:
    """Write one backup file to `target` (a file name, or an existing folder to name it in)."""
    if not automatic:
        session.require(Permission.BACKUP)
    vault = session.vault
    target = Path(target).expanduser()
    if target.is_dir():
        target = auto_name(vault.vault_id, datetime.now(timezone.utc), target)
    if not target.parent.is_dir():
        in_the_way = next((p for p in target.parents if p.exists() or p.is_symlink()), None)
        if in_the_way is not None and not in_the_way.is_dir():  # a file where a folder should be
            raise BadInput(_("{folder} is not a folder. Nothing was written; choose another place to save.").format(
                folder=in_the_way))
        raise BadInput(_("The folder {folder} does not exist.").format(folder=target.parent))
    if target.exists() or target.is_symlink():
        raise BadInput(_("{name} already exists; choose a new file name.").format(name=target))
    if target.resolve().parent == vault.folder.resolve():
        raise BadInput(_("Keep backups outside the vault folder, ideally on another disk."))
    header = vault.backup_to(target, automatic=automatic, app_version=__version__,
                             created_at=now.astimezone(timezone.utc).isoformat() if now else None)
    try:
        with session.transaction():
            session.audit("backup_created", detail={"automatic": automatic, "size": header.db_size})
    except connection.DatabaseError as exc:  # the backup is whole; the vault's disk is failing
        if storage_error(exc, str(vault.folder)) is None:
            raise
        raise NotRecorded(_("The backup {path} was written.").format(path=target)) from exc
    return BackupResult(target, header, tuple(backup_folder_warnings(target.parent)))


def auto_backup(session: Session, folder: Path, *, policy: RotationPolicy = RotationPolicy(),
                now: datetime | None = None) -> BackupResult:
    """Back up into `folder` and thin old automatic backups (the window calls this on lock and exit).

    Any role may trigger it: the file is encrypted exactly like the vault. Raises a
    HavenError (e.g. DiskFull) when the backup could not be written; the caller
    should show it and lock anyway.
    """
    folder = Path(folder).expanduser()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    now = now or datetime.now(timezone.utc)
    target = auto_name(session.vault.vault_id, now, folder)
    result = make_backup(session, target, automatic=True, now=now)
    remove_stale_temp_files(folder)
    removed = rotate(folder, session.vault.vault_id, policy, verify=session.vault.backup_verifier(),
                     now=now, keep=(result.path,))
    return BackupResult(result.path, result.header, result.warnings, tuple(removed))


def rotate(folder: Path, vault_id: str, policy: RotationPolicy = RotationPolicy(), *,
           verify: Verifier | None = None, now: datetime | None = None,
           keep: Iterable[Path] = ()) -> list[Path]:
    """Delete the automatic backups of `vault_id` in `folder` that `keep_set` drops.

    Only backups `verify` proves ours, dated no later than `now` (plus a small skew),
    take part: a planted or relabelled file neither pushes real backups out nor is
    deleted. Without `verify` nothing is deleted. Paths in `keep` are never deleted.
    """
    if verify is None:
        return []
    now = now or datetime.now(timezone.utc)
    spared = {Path(p).resolve() for p in keep}
    mine: dict[datetime, list[Path]] = {}
    for path in sorted(Path(folder).iterdir()):
        match = AUTO_NAME.match(path.name)
        if not match or match.group("vault") != vault_id[:8] or not path.is_file():
            continue
        try:
            header = backup_file.read_header(path)
        except HavenError:
            continue  # unreadable: never ours to delete
        info = BackupInfo(path, header, verify(header))
        if header.vault_id == vault_id and info.trusted(now):
            mine.setdefault(header.created, []).append(path)
    kept = keep_set(mine, policy)
    removed = []
    for stamp, paths in mine.items():
        if stamp not in kept:
            for path in paths:
                if path.resolve() in spared:
                    continue
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed.append(path)
    return removed


def remove_stale_temp_files(folder: Path) -> None:
    """Remove temp files that an interrupted backup left (encrypted, but useless).

    Only the names of older Haven versions (no process id); today's temp files are
    recorded and swept by clinic_app/temp_journal.py.
    """
    cutoff = time.time() - STALE_AFTER_S
    for path in Path(folder).iterdir():
        if STALE_TMP.match(path.name):
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()


def list_backups(folder: Path, vault_id: str | None = None, *, verify: Verifier | None = None,
                 now: datetime | None = None) -> tuple[list[BackupInfo], list[Path]]:
    """Whole backups in `folder` and `.havenbak` files that are not whole backups.

    Verified backups come first, newest first; then those that could not be verified
    (no `verify`, an older Haven's, another key's, or changed), by the date they claim,
    those claiming a future date last.
    """
    now = now or datetime.now(timezone.utc)
    good, bad = [], []
    folder = Path(folder)
    if not folder.is_dir():
        return [], []
    for path in folder.iterdir():
        if path.suffix != EXTENSION or not path.is_file():
            continue
        try:
            header = backup_file.read_header(path)
        except HavenError:
            bad.append(path)
            continue
        if vault_id is None or header.vault_id == vault_id:
            good.append(BackupInfo(path, header, verify is not None and verify(header)))
    good.sort(key=lambda b: (not b.trusted(now), b.created > now + FUTURE_SKEW, -b.created.timestamp(), b.path))
    return good, sorted(bad)


def newest_good_backup(folder: Path, vault_id: str | None = None, *,
                       verify: Verifier | None = None) -> BackupInfo | None:
    """The first backup in list_backups' order whose bytes still match their checksum.

    A verified one whenever there is one; otherwise an unverified one (its `verified`
    is False, so the caller says its date is only what the file claims).
    """
    for info in list_backups(folder, vault_id, verify=verify)[0]:
        with contextlib.suppress(HavenError, OSError):
            if backup_file.verify_data(info.path, info.header):
                return info
    return None
