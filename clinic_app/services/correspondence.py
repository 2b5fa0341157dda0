"""A matter's correspondence log, and exhibits to affidavits: read, add, edit, delete.

Both are part of the case record: each save checks the role, writes the rows, its audit
entry and returns `Changes` for the window. Entry keys are made here for new entries (or
from the content, for a manifest, so importing it again updates rather than duplicates).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from clinic_app.domain.changes import Changes
from clinic_app.domain.correspondence import CorrespondenceEntry, Direction, chronology, entry_key, new_entry_key
from clinic_app.domain.exhibits import check_exhibits
from clinic_app.domain.ids import DocumentId, MatterId
from clinic_app.domain.roles import Permission
from clinic_app.errors import NotFound, ValidationError
from clinic_app.i18n import _
from clinic_app.services.session import Session
from clinic_app.vault import correspondence as rows
from clinic_app.vault import records


def entries(session: Session, matter_ref: str) -> list[CorrespondenceEntry]:
    """The matter's log, in date order."""
    session.require(Permission.READ_RECORDS)
    conn = session.vault.conn
    return chronology(rows.entries(conn, records.require_id(conn, "matters", matter_ref)))


def make_entry(day: date, direction: Direction | str, party: str, subject: str, document_ref: str | None = None,
               note: str = "", entry: str | None = None) -> CorrespondenceEntry:
    """A checked entry; a new random key unless `entry` names an existing one."""
    return CorrespondenceEntry(entry or new_entry_key(), day, direction, party, subject, document_ref or None, note)


def save_entry(session: Session, matter_ref: str, entry: CorrespondenceEntry) -> Changes:
    """Add the entry, or replace the one with the same key. A linked document must belong to
    the matter (it becomes an exhibit of the matter's affidavit)."""
    session.require(Permission.EDIT_RECORDS)
    with session.transaction() as conn:
        matter_id = records.require_id(conn, "matters", matter_ref)
        if entry.document_ref and matter_ref not in _matter_refs(conn, entry.document_ref):
            raise ValidationError(_("document {ref} is not linked to matter {matter}").format(
                ref=entry.document_ref, matter=matter_ref), item=entry.entry, field="document")
        created = rows.save(conn, matter_id, entry)
        session.audit("correspondence_added" if created else "correspondence_updated", target=f"matter:{matter_id}",
                      detail={"entry": entry.entry, "direction": entry.direction.value})
    return Changes(matters=frozenset({MatterId(matter_id)}))


def _matter_refs(conn: object, document_ref: str) -> list[str]:
    return records.matters_of_document(conn, records.require_id(conn, "documents", document_ref))  # type: ignore[arg-type]


def delete_entry(session: Session, matter_ref: str, entry: str) -> Changes:
    session.require(Permission.EDIT_RECORDS)
    with session.transaction() as conn:
        matter_id = records.require_id(conn, "matters", matter_ref)
        if not rows.delete(conn, matter_id, entry):
            raise NotFound(_("Matter {matter} has no correspondence entry {entry}.").format(
                matter=matter_ref, entry=entry))
        session.audit("correspondence_deleted", target=f"matter:{matter_id}", detail={"entry": entry})
    return Changes(matters=frozenset({MatterId(matter_id)}))


def import_entries(session: Session, matter_ref: str, items: Sequence[CorrespondenceEntry]) -> int:
    """Entries from a manifest, keyed by what they say (re-importing updates them)."""
    for item in items:
        keyed = make_entry(item.day, item.direction, item.party, item.subject, item.document_ref, item.note,
                           entry=entry_key(item.day, item.direction, item.party, item.subject))
        save_entry(session, matter_ref, keyed)
    return len(items)


# --- exhibits ----------------------------------------------------------------------------------


def exhibits_of(session: Session, affidavit_ref: str) -> list[str]:
    session.require(Permission.READ_RECORDS)
    conn = session.vault.conn
    return rows.exhibits_of(conn, records.require_id(conn, "documents", affidavit_ref))


def set_exhibits(session: Session, affidavit_ref: str, exhibit_refs: Sequence[str]) -> Changes:
    """The affidavit's exhibits, in order (A, B, C… when a record is built); an empty list
    clears them. Each exhibit must share a matter with the affidavit, and leaves any other."""
    session.require(Permission.EDIT_RECORDS)
    with session.transaction() as conn:
        affidavit_id = records.require_id(conn, "documents", affidavit_ref)
        refs = check_exhibits(affidavit_ref, exhibit_refs, rows.affidavits_with_exhibits(conn))
        matters = set(records.matters_of_document(conn, affidavit_id))
        ids = []
        for ref in refs:
            exhibit_id = records.require_id(conn, "documents", ref)
            if matters and not matters & set(records.matters_of_document(conn, exhibit_id)):
                raise ValidationError(_("{ref} shares no matter with the affidavit {affidavit}").format(
                    ref=ref, affidavit=affidavit_ref), field="exhibits")
            ids.append(exhibit_id)
        rows.set_exhibits(conn, affidavit_id, ids)
        session.audit("exhibits_set", target=f"document:{affidavit_id}", detail={"exhibits": len(ids)})
    return Changes(documents=frozenset({DocumentId(affidavit_id)}), links=True)
