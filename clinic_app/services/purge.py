"""Deleting a client for good, after the user saw exactly what goes and confirmed.

`plan_deletion` lists what will be deleted (matters, letters, bundle projects,
documents only this client uses) and what stays because another client's matter
uses it too. `delete_client` takes that plan back: if the records changed in the
meantime it refuses, so the user never confirms one thing and loses another.
The deletion, its search entries and the audit row are one transaction; then the
vault file is scrubbed (vault/purge.py) so no trace stays in free pages or the WAL.
Backups made before the deletion still hold the client: that is what they are
for, and the user is told so.
"""

from __future__ import annotations

from dataclasses import dataclass

from clinic_app.domain.changes import Changes
from clinic_app.domain.client import Client
from clinic_app.domain.ids import ClientId, DocumentId, LetterId, MatterId
from clinic_app.domain.progress import Progress, no_progress
from clinic_app.domain.roles import Permission
from clinic_app.errors import BadInput
from clinic_app.i18n import _
from clinic_app.services.session import Session
from clinic_app.services.sync.outgoing import forget_for_sharing
from clinic_app.vault import purge, records


@dataclass(frozen=True)
class DeletionPlan:
    client_ref: str
    matters: tuple[str, ...]
    documents_deleted: tuple[str, ...]
    documents_kept: tuple[str, ...]  # also used by another client's matter
    letters: int
    bundles: int

    def describe(self) -> list[str]:
        """Lines for the confirmation prompt (refs and counts only)."""
        lines = [
            _("Client {ref} will be deleted for good, with:").format(ref=self.client_ref),
            _("  matters: {refs}").format(refs=", ".join(self.matters) or "-"),
            _("  documents: {count}").format(count=len(self.documents_deleted)),
            _("  support letters: {count}; bundle projects: {bundles}").format(
                count=self.letters, bundles=self.bundles),
        ]
        if self.documents_kept:
            lines.append(_("  kept, because another client's matter uses them: {refs}").format(
                refs=", ".join(self.documents_kept)))
        lines.append(_("Backups made before now still hold this client's records."))
        return lines


@dataclass(frozen=True)
class DeletionResult:
    plan: DeletionPlan
    files_removed: int
    scrubbed: bool
    changes: Changes


def _footprint(session: Session, client_ref: str) -> tuple[purge.ClientFootprint, DeletionPlan]:
    conn = session.vault.conn
    client_id = records.require_id(conn, "clients", client_ref)
    fp = purge.footprint(conn, client_id)
    ref = records.load(conn, Client, client_id).ref
    plan = DeletionPlan(
        client_ref=ref,
        matters=tuple(r for _i, r in fp.matters),
        documents_deleted=tuple(r for _i, r in fp.documents_deleted),
        documents_kept=tuple(r for _i, r in fp.documents_kept),
        letters=len(fp.letter_ids),
        bundles=fp.bundle_count,
    )
    return fp, plan


def plan_deletion(session: Session, client_ref: str) -> DeletionPlan:
    session.require(Permission.DELETE_RECORDS)
    return _footprint(session, client_ref)[1]


def delete_client(session: Session, confirmed: DeletionPlan, *, progress: Progress = no_progress) -> DeletionResult:
    """Delete the client `confirmed` describes, then scrub the file. Audited ("client_deleted")."""
    session.require(Permission.DELETE_RECORDS)
    progress(0, 2, _("Deleting the records"))
    with session.transaction():
        fp, plan = _footprint(session, confirmed.client_ref)
        if plan != confirmed:
            raise BadInput(_("The records of {ref} changed since the deletion was confirmed; nothing was "
                             "deleted. Review and confirm again.").format(ref=confirmed.client_ref))
        removed = purge.delete_client(session.vault.conn, fp)
        session.audit("client_deleted", target=f"client:{fp.client_id}",
                      detail={"matters": len(plan.matters), "documents": len(plan.documents_deleted),
                              "documents_kept": len(plan.documents_kept), "letters": plan.letters,
                              "bundles": plan.bundles, "files": removed})
        forget_for_sharing(session.vault.conn)  # a connected vault's copy for sharing goes too
    progress(1, 2, _("Wiping free space in the vault file"))
    scrubbed = purge.scrub(session.vault.conn)
    progress(2, 2, _("Deletion complete"))
    changes = Changes(
        clients=frozenset({ClientId(fp.client_id)}),
        matters=frozenset(MatterId(i) for i, _r in fp.matters),
        documents=frozenset(DocumentId(i) for i, _r in fp.documents_deleted),
        letters=frozenset(LetterId(i) for i in fp.letter_ids),
        links=bool(fp.documents_kept),
    )
    return DeletionResult(plan, removed, scrubbed, changes)
