"""Schema 7: deadlines marked done, or not applicable with a reason.

Deadlines are computed from rules and a matter's dates, never stored; a mark records
what the clinic did about one rule's deadline on one matter, and for which due date
(a mark stops applying when the matter's dates move that deadline).
"""

from __future__ import annotations

VERSION = 7

SQL = """
CREATE TABLE deadline_marks (
    id         INTEGER PRIMARY KEY,
    matter_id  INTEGER NOT NULL REFERENCES matters(id) ON DELETE CASCADE,
    rule_id    TEXT NOT NULL,
    due        TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('done', 'not_applicable')),
    reason     TEXT NOT NULL DEFAULT '',
    marked_by  TEXT NOT NULL,
    marked_at  TEXT NOT NULL,
    UNIQUE (matter_id, rule_id)
);
"""
