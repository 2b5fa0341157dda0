"""Schema 9: exhibits to affidavits, and each matter's correspondence log.

- `document_exhibits`: document `exhibit_id` is an exhibit to affidavit `affidavit_id`, at
  `position` (its mark, A, B, C…, comes from the position when a record is built). An
  exhibit belongs to one affidavit; deleting either document removes the row.
- `correspondence`: letters, emails and web forms sent to or received from an authority
  about a matter (the mandamus delay chronology is drawn from it). `entry` names the row
  within its matter on every laptop (rows are shared between laptops by it); a linked
  document that is deleted leaves the entry without its link.
"""

from __future__ import annotations

VERSION = 9

SQL = """
CREATE TABLE document_exhibits (
    affidavit_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    exhibit_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    PRIMARY KEY (affidavit_id, exhibit_id)
) WITHOUT ROWID;
CREATE INDEX document_exhibits_exhibit ON document_exhibits(exhibit_id);

CREATE TABLE correspondence (
    id          INTEGER PRIMARY KEY,
    matter_id   INTEGER NOT NULL REFERENCES matters(id) ON DELETE CASCADE,
    entry       TEXT NOT NULL,
    day         TEXT NOT NULL,
    direction   TEXT NOT NULL CHECK (direction IN ('sent', 'received')),
    party       TEXT NOT NULL,
    subject     TEXT NOT NULL,
    document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
    note        TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL,
    UNIQUE (matter_id, entry)
);
CREATE INDEX correspondence_document ON correspondence(document_id);
"""
