"""Refuse a vault on a network share; warn about one in a cloud-synced folder.

Both the window and the command line call `guard_vault_folder` before opening or
creating a vault, and `backup_folder_warnings` before writing backups. A network
file system breaks SQLite's locks and WAL, so it is refused. A sync client
(Dropbox, OneDrive, iCloud...) copies the file while it changes and uploads the
encrypted vault and its key slots to someone else's servers, so the user is
warned and may go on. Backups are single files written once and renamed, so a
synced or network backup folder only earns a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from clinic_app.i18n import _
from clinic_app.vault import location
from clinic_app.vault.errors import LocationRefused


@dataclass(frozen=True)
class LocationCheck:
    refused: tuple[str, ...]
    warnings: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.refused and not self.warnings


def _network_reason(detail: str) -> str:
    return _("it is on a network file system ({kind}), where file locks and SQLite's write-ahead log "
             "do not work reliably and the vault can be corrupted.").format(kind=detail)


def _cloud_warning(folder: Path, detail: str) -> str:
    return _("{folder} looks like a cloud-synced folder ({name}). Sync programs copy the vault while it "
             "changes, which can damage it, and upload the encrypted vault and its key slots to another "
             "company's servers. Keep the vault on this computer's own disk and put backups where you "
             "choose.").format(folder=folder, name=detail)


def assess_vault_folder(folder: Path, *, mounts: str | None = None) -> LocationCheck:
    """What the guard would say about keeping a vault in `folder` (nothing is raised)."""
    refused, warnings = [], []
    for finding in location.assess(Path(folder), mounts=mounts):
        if finding.kind == "network":
            refused.append(_network_reason(finding.detail))
        else:
            warnings.append(_cloud_warning(Path(folder), finding.detail))
    return LocationCheck(tuple(refused), tuple(warnings))


def guard_vault_folder(folder: Path, *, mounts: str | None = None) -> list[str]:
    """Raise LocationRefused on a network folder; return warnings (cloud folders) to show."""
    check = assess_vault_folder(folder, mounts=mounts)
    if check.refused:
        raise LocationRefused(str(folder), check.refused[0])
    return list(check.warnings)


def backup_folder_warnings(folder: Path, *, mounts: str | None = None) -> list[str]:
    """Warnings for a backup folder: never refused, since a backup is one file renamed into place."""
    out = []
    for finding in location.assess(Path(folder), mounts=mounts):
        if finding.kind == "network":
            out.append(_("{folder} is on a network file system ({kind}); a backup there is only as safe as "
                         "that server. Keep another backup on a local or removable disk.").format(
                folder=folder, kind=finding.detail))
        else:
            out.append(_("{folder} is synced to a cloud service ({name}): the encrypted backups and their key "
                         "slots will be stored on that company's servers.").format(
                folder=folder, name=finding.detail))
    return out
