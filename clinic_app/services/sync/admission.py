"""What a received row must be before anything in it is used, beyond its key and signature.

Its shape and clock stamps (`check_record`), and, for a volunteer's row, that it stays
within the letters as this laptop holds them (`within_letters`). Kept apart from the pull
itself so the rules read in one place.
"""

from __future__ import annotations

from typing import Any

from clinic_app.services.sync import hlc, merge, scopes
from clinic_app.services.sync.outgoing import in_letters
from clinic_app.vault import sync_rows, sync_state
from clinic_app.vault.connection import Connection


def check_record(record: Any) -> None:
    """The record's shape, and every clock stamp in it: a stamp that is not one used to stop
    every later sync on every laptop (the clock could not move past it)."""
    if not isinstance(record, dict) or not isinstance(record.get("fields"), dict):
        raise ValueError("record")
    for value in record["fields"].values():
        if not isinstance(value, list) or len(value) != 3 or not isinstance(value[1], str) \
                or not isinstance(value[2], str):
            raise ValueError("field")
        hlc.check_received(value[1])
    deleted = record.get("deleted")
    if deleted is not None and (not isinstance(deleted, list) or len(deleted) != 2
                                or not isinstance(deleted[0], str) or not isinstance(deleted[1], str)):
        raise ValueError("deleted")
    if deleted is not None:
        hlc.check_received(deleted[0])


def within_letters(conn: Connection, kind: str, ref: str, remote: merge.Record) -> bool:
    """Whether a volunteer's row stays inside the letters scope as this laptop holds it.

    The scope rule alone let a volunteer write any `document` ref (refs are guessable): a
    tombstone for `d-1` deleted confidential evidence on every staff laptop, and a letter
    pointed at `d-1` made the staff laptops publish it to the letters scope. So a volunteer
    may write a document only when it is new here or already travels with letters (and delete
    only one held here), and may point a letter only at such a document."""
    if kind == "document":
        if remote["deleted"] and sync_rows.root_id(conn, "document", ref) is None:
            return False  # a tombstone laid in advance would delete a document made later
        return _letters_document(conn, ref)
    if kind == "letter":
        named = remote["fields"].get("col.document_id")
        return named is None or named[0] is None or _letters_document(conn, str(named[0]))
    return True


def _letters_document(conn: Connection, ref: str) -> bool:
    if sync_rows.root_id(conn, "document", ref) is None:
        return True  # new here: it can only have come through the letters scope
    _base, versions = sync_state.base(conn, "document", ref)
    return scopes.LETTERS in versions or in_letters(conn, "document", ref)
