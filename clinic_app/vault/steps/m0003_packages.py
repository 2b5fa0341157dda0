"""Schema 3: per-matter state of package checklists.

`package_items` keeps the status the clinic set for an item (missing, requested,
received, translated, ready) and a note; `package_attachments` the documents a user
attached to an item, in order. Both are keyed by package type and item id, which
are stable names from clinic_app/domain/packages (never renamed once released).
Deleting a matter or a document removes its rows.
"""

from __future__ import annotations

VERSION = 3

SQL = """
CREATE TABLE package_items (
    matter_id  INTEGER NOT NULL REFERENCES matters(id) ON DELETE CASCADE,
    package    TEXT NOT NULL,
    item       TEXT NOT NULL,
    status     TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (matter_id, package, item)
) WITHOUT ROWID;

CREATE TABLE package_attachments (
    matter_id   INTEGER NOT NULL REFERENCES matters(id) ON DELETE CASCADE,
    package     TEXT NOT NULL,
    item        TEXT NOT NULL,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    PRIMARY KEY (matter_id, package, item, document_id)
) WITHOUT ROWID;
CREATE INDEX package_attachments_document ON package_attachments(document_id);
"""
