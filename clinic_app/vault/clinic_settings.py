"""The clinic's own settings, kept in the vault's `meta` table (one key-value row each).

A setting lives in the vault, not on the computer, so the window and the command line
read the same value. Keys carry a "setting." prefix, apart from the vault's own entries
there (its id, the key-slot generation). The table stays on this laptop: sharing
does not send it (vault/sync_rows.py LOCAL_TABLES).
"""

from __future__ import annotations

from clinic_app.vault.connection import Connection

_PREFIX = "setting."


def get(conn: Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (_PREFIX + key,)).fetchone()
    return str(row[0]) if row is not None else None


def put(conn: Connection, key: str, value: str) -> None:
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                 (_PREFIX + key, value))
