"""Full-text search (FTS5) inside the encrypted database.

One row per searchable entity: a title (names, aliases, file numbers, document
titles) and a body (notes, extracted text). Diacritics are folded, so "Garcia"
finds "García". The query language is not exposed: user input is split into
words and each is quoted, so punctuation can never become FTS syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clinic_app.vault.connection import Connection

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Hit:
    kind: str
    entity_id: int
    snippet: str
    rank: float


KIND_CODES = {"client": 1, "matter": 2, "document": 3, "letter": 4}


def _rowid(kind: str, entity_id: int) -> int:
    return int(entity_id) * 8 + KIND_CODES[kind]


def put(conn: Connection, kind: str, entity_id: int, title: str, body: str) -> None:
    """Index (or re-index) one entity; call inside the transaction that changed it."""
    remove(conn, kind, entity_id)
    conn.execute(
        "INSERT INTO search_index (rowid, kind, entity_id, title, body) VALUES (?, ?, ?, ?, ?)",
        (_rowid(kind, entity_id), kind, str(entity_id), title, body),
    )


def remove(conn: Connection, kind: str, entity_id: int) -> None:
    conn.execute("DELETE FROM search_index WHERE rowid = ?", (_rowid(kind, entity_id),))


def to_match(query: str) -> str:
    """User text to a safe FTS5 expression: every word must appear (prefix match on the last)."""
    words = _WORD.findall(query)
    if not words:
        return ""
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    quoted[-1] += "*"
    return " AND ".join(quoted)


def search(conn: Connection, query: str, *, kinds: tuple[str, ...], limit: int = 50) -> list[Hit]:
    expr = to_match(query)
    if not expr or not kinds:
        return []
    marks = ",".join("?" for _ in kinds)
    # "ORDER BY rank" lets FTS5 sort inside the index, so snippet() runs only for the
    # rows returned; titles weigh ten times the body (see ensure_rank in the schema).
    rows = conn.execute(
        f"SELECT kind, entity_id, snippet(search_index, -1, '[', ']', '…', 12), rank "
        f"FROM search_index WHERE search_index MATCH ? AND kind IN ({marks}) ORDER BY rank LIMIT ?",
        (expr, *kinds, limit),
    ).fetchall()
    return [Hit(str(r[0]), int(r[1]), str(r[2]), float(r[3])) for r in rows]
