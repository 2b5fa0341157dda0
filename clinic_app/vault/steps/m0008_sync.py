"""Schema 8: the local state of sharing between laptops (unused until a vault is connected).

- `sync_config`: the connection, this laptop's ids, the pull cursor, the clock;
- `sync_keys`: scope keys per epoch, and this laptop's own signing and agreement keys;
- `sync_members`: the verified membership log (who may sign what, as of which entry);
- `sync_dirty`: which records a local write touched (filled by triggers installed when the
  vault is connected, in the same transaction as the write);
- `sync_base`: each record as last agreed with the server (fields with their clock stamps)
  and its version per scope: a local change is what differs from it;
- `sync_outbox`: this laptop's edits not on the server yet, each field stamped by the clock;
- `sync_pending`: records pulled but not applicable yet (they name one not here yet);
- `sync_conflicts`: the losing side of every same-field edit, for a person to look at;
- `sync_row_ids`: which record each server row (scope, record id) holds;
- `sync_peer_audit`: the newest audit row seen from each other laptop (witnesses).
"""

from __future__ import annotations

VERSION = 8

SQL = """
CREATE TABLE sync_config (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE sync_keys (
    scope TEXT NOT NULL,
    epoch INTEGER NOT NULL,
    key   BLOB NOT NULL,
    PRIMARY KEY (scope, epoch)
);

CREATE TABLE sync_members (
    device_id  TEXT PRIMARY KEY,
    user_name  TEXT NOT NULL,
    role       TEXT NOT NULL,
    sign_pub   BLOB NOT NULL,
    kx_pub     BLOB NOT NULL,
    added_at   INTEGER NOT NULL,
    removed_at INTEGER
);

CREATE TABLE sync_dirty (
    id   INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    ref  TEXT NOT NULL,
    at   TEXT NOT NULL
);

CREATE TABLE sync_base (
    kind     TEXT NOT NULL,
    ref      TEXT NOT NULL,
    record   TEXT NOT NULL,
    versions TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (kind, ref)
) WITHOUT ROWID;

CREATE TABLE sync_outbox (
    kind   TEXT NOT NULL,
    ref    TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (kind, ref)
) WITHOUT ROWID;

CREATE TABLE sync_pending (
    kind   TEXT NOT NULL,
    ref    TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (kind, ref)
) WITHOUT ROWID;

CREATE TABLE sync_conflicts (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    ref          TEXT NOT NULL,
    field        TEXT NOT NULL,
    kept_value   TEXT,
    other_value  TEXT,
    kept_stamp   TEXT NOT NULL,
    other_stamp  TEXT NOT NULL,
    other_author TEXT NOT NULL,
    found_at     TEXT NOT NULL,
    resolved_at  TEXT
);

CREATE TABLE sync_row_ids (
    scope     TEXT NOT NULL,
    record_id TEXT NOT NULL,
    kind      TEXT NOT NULL,
    ref       TEXT NOT NULL,
    PRIMARY KEY (scope, record_id)
) WITHOUT ROWID;

CREATE TABLE sync_peer_audit (
    device_id TEXT PRIMARY KEY,
    seq       INTEGER NOT NULL,
    hash      TEXT NOT NULL
);
"""
