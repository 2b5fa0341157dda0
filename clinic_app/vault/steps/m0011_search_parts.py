"""Schema 11: bodies over 8,000 characters (was 50,000) are also kept in parts.

A snippet made from a whole body costs its length: 0.4 ms for 40,000 characters, and
a query of several words finds dozens of such bodies. Their snippets now come from
their first matching part, as long reports' already did (vault/search.py). Only
parts are added, for the bodies between the old and the new length; the main index,
its rowids and its ranking are unchanged. Local, derived data: never shared.
"""

from __future__ import annotations

from clinic_app.vault.connection import Connection

VERSION = 11


def apply(conn: Connection) -> None:
    from clinic_app.vault import search

    rows = conn.execute("SELECT rowid FROM search_index WHERE length(body) > ? "
                        "AND rowid NOT IN (SELECT rowid FROM search_index_long)", (search.LONG_BODY,)).fetchall()
    for (rowid,) in rows:  # one body in memory at a time
        body = conn.execute("SELECT body FROM search_index WHERE rowid = ?", (rowid,)).fetchone()[0]
        search.put_parts(conn, int(rowid), str(body))
