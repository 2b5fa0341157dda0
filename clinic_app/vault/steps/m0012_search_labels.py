"""Schema 12: each searchable record's ref and label beside the search index.

A results list shows every hit by its label (a client's name, a document's title), and
reading it from the record tables cost a page per hit, scattered over tables whose rows
hold the whole record: 200 hits read up to 200 pages of a 100,000-document vault
(p95 26 ms for the window's search, 19 ms with this table; benchmarks/search.py). Rows
here are small and keyed by the search rowid, so a screenful of labels sits on a few
pages. Kept by `search.put` and `search.remove` in the transaction that changes the
record. Local, derived data (sync_rows.LOCAL_PREFIXES): never shared.
"""

from __future__ import annotations

from clinic_app.vault.connection import Connection

VERSION = 12


def apply(conn: Connection) -> None:
    from clinic_app.vault import search

    conn.execute("CREATE TABLE search_index_labels (rowid INTEGER PRIMARY KEY, ref TEXT NOT NULL, label TEXT NOT NULL)")
    for kind, (table, field) in search.LABELS.items():
        conn.execute(f"INSERT INTO search_index_labels (rowid, ref, label) "
                     f"SELECT id * 8 + {search.KIND_CODES[kind]}, ref, coalesce(json_extract(data, '$.{field}'), '') "
                     f"FROM {table}")
