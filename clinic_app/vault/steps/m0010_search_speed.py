"""Schema 10: search that stays fast on short prefixes and long documents.

- `search_index` is rebuilt with prefix indexes of 1 and 2 characters: the instant
  search asks for "G*" and "Ga*" on the first keystrokes, and a UCI typed half-way
  ends in a short number prefix; without them FTS5 merges every term that starts so.
  Same columns, tokenizer, rowids and ranking weights, so results are unchanged.
- `search_index_long` lists the rows whose body is long, and `search_index_parts`
  holds those bodies cut into parts: FTS5's snippet() reads a whole body and grows
  with the square of its matches, so a long body's snippet comes from its first
  matching part instead (vault/search.py).
All three are local, derived data (sync_rows.LOCAL_PREFIXES): never shared.
"""

from __future__ import annotations

from clinic_app.vault.connection import Connection

VERSION = 10

TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2'"


def apply(conn: Connection) -> None:
    from clinic_app.vault import search

    conn.execute(
        "CREATE VIRTUAL TABLE search_index_new USING fts5("
        f"kind UNINDEXED, entity_id UNINDEXED, title, body, {TOKENIZE})")
    conn.execute("INSERT INTO search_index_new (search_index_new, rank) VALUES ('rank', 'bm25(0.0, 0.0, 10.0, 1.0)')")
    conn.execute("INSERT INTO search_index_new (rowid, kind, entity_id, title, body) "
                 "SELECT rowid, kind, entity_id, title, body FROM search_index")
    conn.execute("DROP TABLE search_index")
    conn.execute("ALTER TABLE search_index_new RENAME TO search_index")
    conn.execute("CREATE TABLE search_index_long (rowid INTEGER PRIMARY KEY)")
    conn.execute(f"CREATE VIRTUAL TABLE search_index_parts USING fts5(body, {TOKENIZE})")
    long_rows = conn.execute("SELECT rowid FROM search_index WHERE length(body) > ?", (search.LONG_BODY,)).fetchall()
    for (rowid,) in long_rows:  # one body in memory at a time
        body = conn.execute("SELECT body FROM search_index WHERE rowid = ?", (rowid,)).fetchone()[0]
        search.put_parts(conn, int(rowid), str(body))
