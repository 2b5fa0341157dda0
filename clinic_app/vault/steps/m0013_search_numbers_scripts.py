"""Schema 13: the search index holds numbers without their dashes and Chinese, Japanese
and Korean characters as words of their own (vault/search_text.py).

A UCI typed without its dashes (`12345678`) found nothing, and `张伟` did not find
`王张伟`. Every row is indexed again as `search.put` now indexes it: `search_index` is
rebuilt (same columns, tokenizer, prefixes, rowids and ranking weights; one row in memory
at a time), and the parts of a long body are cut again where its text changed. Labels
and the list of long bodies are unchanged. Local, derived data: never shared.
"""

from __future__ import annotations

from clinic_app.vault.connection import Connection

VERSION = 13


def apply(conn: Connection) -> None:
    from clinic_app.vault import search, search_text
    from clinic_app.vault.steps.m0010_search_speed import TOKENIZE

    conn.execute(
        "CREATE VIRTUAL TABLE search_index_new USING fts5("
        f"kind UNINDEXED, entity_id UNINDEXED, title, body, {TOKENIZE})")
    conn.execute("INSERT INTO search_index_new (search_index_new, rank) VALUES ('rank', 'bm25(0.0, 0.0, 10.0, 1.0)')")
    long_rows = {int(r) for (r,) in conn.execute("SELECT rowid FROM search_index_long")}
    rows = conn.execute("SELECT rowid, kind, entity_id, title, body FROM search_index ORDER BY rowid")
    for rowid, kind, entity_id, title, body in rows:
        new_body = search_text.body(search_text.as_written(str(body)))
        conn.execute("INSERT INTO search_index_new (rowid, kind, entity_id, title, body) VALUES (?, ?, ?, ?, ?)",
                     (rowid, kind, entity_id, search_text.title(search_text.as_written(str(title))), new_body))
        if int(rowid) in long_rows and new_body != body:
            low = int(rowid) * search.MAX_PARTS
            conn.execute("DELETE FROM search_index_parts WHERE rowid BETWEEN ? AND ?", (low, low + search.MAX_PARTS - 1))
            conn.executemany("INSERT INTO search_index_parts (rowid, body) VALUES (?, ?)",
                             ((low + n, part) for n, part in enumerate(search.split_parts(new_body))))
    conn.execute("DROP TABLE search_index")
    conn.execute("ALTER TABLE search_index_new RENAME TO search_index")
