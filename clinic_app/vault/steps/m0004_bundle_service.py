"""Schema 4: the service log of bundles. A served bundle's pagination is frozen:
the snapshot holds the spec and page map exactly as served."""

from __future__ import annotations

VERSION = 4

SQL = """
CREATE TABLE bundle_service (
    id            INTEGER PRIMARY KEY,
    bundle_id     INTEGER NOT NULL REFERENCES bundles(id) ON DELETE CASCADE,
    served_on     TEXT NOT NULL,
    served_to     TEXT NOT NULL,
    method        TEXT NOT NULL,
    first_page    INTEGER NOT NULL,
    last_page     INTEGER NOT NULL,
    output_sha256 TEXT NOT NULL DEFAULT '',
    snapshot      TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    recorded_by   TEXT NOT NULL
);
CREATE INDEX bundle_service_bundle ON bundle_service(bundle_id);
"""
