"""The conflicts list: edits made to the same field on two laptops before they met.

The later edit already won everywhere; the other value is kept here until a person
looks. Settling keeps the winner, or writes the other value back as a new edit (which
then wins everywhere at the next sync). Either way the choice is audited.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from clinic_app.domain.roles import Permission
from clinic_app.errors import BadInput, NotFound
from clinic_app.i18n import _
from clinic_app.services.session import Session
from clinic_app.vault import audit, purge, sync_rows, sync_state


@dataclass(frozen=True)
class ConflictView:
    id: int
    kind: str
    ref: str
    field: str
    kept: Any
    other: Any
    other_author: str
    found_at: str

    @property
    def kept_text(self) -> str:
        return _text(self.kept)

    @property
    def other_text(self) -> str:
        return _text(self.other)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "ref": self.ref, "field": self.field, "kept": self.kept,
                "other": self.other, "other_author": self.other_author, "found_at": self.found_at}


def _text(value: Any) -> str:
    if value is None:
        return _("(deleted)")
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "…"


def open_conflicts(session: Session) -> list[ConflictView]:
    session.require(Permission.MANAGE_LETTERS)
    return [ConflictView(c.id, c.kind, c.ref, c.field, c.kept_value, c.other_value, c.other_author, c.found_at)
            for c in sync_state.conflicts(session.vault.conn)]


def resolve(session: Session, conflict_id: int, *, keep: str) -> None:
    """Settle one conflict: keep the winner ("kept"), or make the other value the new edit ("other")."""
    session.require(Permission.MANAGE_LETTERS)
    conn = session.vault.conn
    found = next((c for c in sync_state.conflicts(conn) if c.id == conflict_id), None)
    if found is None:
        raise NotFound(_("There is no open conflict {id}.").format(id=conflict_id))
    gone = found.kind in sync_rows.TABLE_OF and sync_rows.read_record(conn, found.kind, found.ref) is None
    if keep == "other" and found.field != "ref" and (gone or found.field == "*"):
        raise BadInput(_("{ref} was deleted for good, so its other value cannot be written back. Copy what "
                         "you need from this conflict into another record, then keep the deletion.").format(
                             ref=found.ref))  # it used to say "settled" and keep nothing
    with session.transaction():
        if keep == "other" and found.field != "ref" and found.kind in sync_rows.TABLE_OF:
            fields = sync_rows.read_record(conn, found.kind, found.ref)
            assert fields is not None
            fields[found.field] = found.other_value
            sync_rows.write_record(conn, found.kind, found.ref, fields, audit.now_utc())
        sync_state.resolve_conflict(conn, conflict_id, audit.now_utc())
        session.audit("sync_conflict_settled", target=f"{found.kind} {found.ref}",
                      detail={"field": found.field, "kept": keep})
    if gone:  # what the deleted record said leaves the file's free pages too, as the deletion did
        purge.scrub(conn)
