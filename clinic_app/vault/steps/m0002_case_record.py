"""Schema 2: the case record (clients, matters, documents, letters, translations,
bundles), content-addressed document bytes in chunks, and full-text search.

Each aggregate is stored as a validated JSON document (`data`) beside the columns
that relations, uniqueness and lookups need; the domain dataclasses stay the one
description of the fields.
"""

from __future__ import annotations

VERSION = 2

SQL = """
CREATE TABLE clients (
    id         INTEGER PRIMARY KEY,
    ref        TEXT NOT NULL UNIQUE,
    data       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE matters (
    id         INTEGER PRIMARY KEY,
    ref        TEXT NOT NULL UNIQUE,
    client_id  INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    type       TEXT NOT NULL,
    data       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX matters_client ON matters(client_id);

CREATE TABLE blobs (
    id         INTEGER PRIMARY KEY,
    sha256     TEXT NOT NULL UNIQUE,
    size       INTEGER NOT NULL,
    chunks     INTEGER NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE blob_chunks (
    id      INTEGER PRIMARY KEY,
    blob_id INTEGER NOT NULL REFERENCES blobs(id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    data    BLOB NOT NULL,
    UNIQUE (blob_id, seq)
);

CREATE TABLE documents (
    id               INTEGER PRIMARY KEY,
    ref              TEXT NOT NULL UNIQUE,
    blob_id          INTEGER NOT NULL REFERENCES blobs(id),
    working_blob_id  INTEGER REFERENCES blobs(id),
    text_fingerprint TEXT NOT NULL DEFAULT '',
    data             TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX documents_blob ON documents(blob_id);
CREATE INDEX documents_fingerprint ON documents(text_fingerprint);

CREATE TABLE document_text (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    text        TEXT NOT NULL
);

CREATE TABLE document_matters (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    matter_id   INTEGER NOT NULL REFERENCES matters(id) ON DELETE CASCADE,
    PRIMARY KEY (document_id, matter_id)
) WITHOUT ROWID;
CREATE INDEX document_matters_matter ON document_matters(matter_id);

CREATE TABLE translations (
    id             INTEGER PRIMARY KEY,
    original_id    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    translation_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    declaration_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
    UNIQUE (original_id, translation_id)
);

CREATE TABLE letters (
    id          INTEGER PRIMARY KEY,
    ref         TEXT NOT NULL UNIQUE,
    matter_id   INTEGER NOT NULL REFERENCES matters(id) ON DELETE CASCADE,
    document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
    status      TEXT NOT NULL,
    data        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX letters_matter ON letters(matter_id);

CREATE TABLE bundles (
    id         INTEGER PRIMARY KEY,
    ref        TEXT NOT NULL UNIQUE,
    matter_id  INTEGER NOT NULL REFERENCES matters(id) ON DELETE CASCADE,
    data       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- rowid = entity_id * 8 + kind code (see vault/search.py), so re-indexing one
-- entity deletes by rowid instead of scanning the index.
CREATE VIRTUAL TABLE search_index USING fts5(
    kind UNINDEXED,
    entity_id UNINDEXED,
    title,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO search_index (search_index, rank) VALUES ('rank', 'bm25(0.0, 0.0, 10.0, 1.0)');
"""
