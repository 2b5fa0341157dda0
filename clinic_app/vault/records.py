"""Rows <-> domain records for clients, matters, documents, letters and bundles.

Each table keeps the record as JSON (`data`) plus the columns that relations and
lookups need; refs are the stable keys the manifest and the CLI use.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from clinic_app.domain.client import Client
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.letter import SupportLetter
from clinic_app.domain.matter import Matter
from clinic_app.domain.translation import TranslationLink
from clinic_app.errors import NotFound
from clinic_app.i18n import N_, _
from clinic_app.vault import codec
from clinic_app.vault.audit import now_utc
from clinic_app.vault.connection import Connection

T = TypeVar("T")

TABLES = {Client: "clients", Matter: "matters", DocumentMeta: "documents", SupportLetter: "letters"}

# What a missing record is called in messages, per table (translated when shown).
KIND_NAMES = {"clients": N_("client"), "matters": N_("matter"), "documents": N_("document"),
              "letters": N_("support letter"), "bundles": N_("bundle")}


def _kind(table: str) -> str:
    return _(KIND_NAMES.get(table, table))


def id_for(conn: Connection, table: str, ref: str) -> int | None:
    row = conn.execute(f"SELECT id FROM {table} WHERE ref = ?", (ref,)).fetchone()
    return int(row[0]) if row else None


def require_id(conn: Connection, table: str, ref_or_id: str) -> int:
    """A record named by ref, or by numeric id as the CLI allows."""
    found = id_for(conn, table, ref_or_id)
    if found is None and ref_or_id.isdigit():
        row = conn.execute(f"SELECT id FROM {table} WHERE id = ?", (int(ref_or_id),)).fetchone()
        found = int(row[0]) if row else None
    if found is None:
        raise NotFound(_("No {kind} with ref or id {ref}.").format(kind=_kind(table), ref=ref_or_id))
    return found


def _upsert(conn: Connection, table: str, ref: str, data: str, extra: dict[str, Any]) -> tuple[int, bool]:
    """Insert or update by ref; returns (id, created)."""
    now = now_utc()
    existing = id_for(conn, table, ref)
    cols = dict(extra, data=data, updated_at=now)
    if existing is None:
        cols.update(ref=ref, created_at=now)
        names = ", ".join(cols)
        marks = ", ".join("?" for _ in cols)
        cur = conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(cols.values()))
        return int(cur.lastrowid), True
    sets = ", ".join(f"{k} = ?" for k in cols)
    conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?", (*cols.values(), existing))
    return existing, False


def save_client(conn: Connection, client: Client) -> tuple[int, bool]:
    return _upsert(conn, "clients", client.ref, codec.dumps(client), {})


def save_matter(conn: Connection, matter: Matter) -> tuple[int, bool]:
    client_id = require_id(conn, "clients", matter.client_ref)
    return _upsert(conn, "matters", matter.ref, codec.dumps(matter),
                   {"client_id": client_id, "type": matter.type.value})


def save_document(conn: Connection, doc: DocumentMeta, *, blob_id: int, working_blob_id: int | None,
                  text_fingerprint: str = "") -> tuple[int, bool]:
    return _upsert(conn, "documents", doc.ref, codec.dumps(doc),
                   {"blob_id": blob_id, "working_blob_id": working_blob_id,
                    "text_fingerprint": text_fingerprint})


def update_document_meta(conn: Connection, doc: DocumentMeta) -> int:
    doc_id = require_id(conn, "documents", doc.ref)
    conn.execute("UPDATE documents SET data = ?, updated_at = ? WHERE id = ?",
                 (codec.dumps(doc), now_utc(), doc_id))
    return doc_id


def save_letter(conn: Connection, letter: SupportLetter) -> tuple[int, bool]:
    matter_id = require_id(conn, "matters", letter.matter_ref)
    document_id = require_id(conn, "documents", letter.document_ref) if letter.document_ref else None
    return _upsert(conn, "letters", letter.ref, codec.dumps(letter),
                   {"matter_id": matter_id, "document_id": document_id, "status": letter.status.value})


def save_bundle(conn: Connection, ref: str, matter_ref: str, spec: dict[str, Any]) -> tuple[int, bool]:
    matter_id = require_id(conn, "matters", matter_ref)
    data = json.dumps(spec, ensure_ascii=False, sort_keys=True)
    return _upsert(conn, "bundles", ref, data, {"matter_id": matter_id})


def link_document(conn: Connection, document_id: int, matter_id: int) -> bool:
    cur = conn.execute("INSERT OR IGNORE INTO document_matters (document_id, matter_id) VALUES (?, ?)",
                       (document_id, matter_id))
    return cur.rowcount > 0


def save_translation(conn: Connection, link: TranslationLink) -> None:
    original = require_id(conn, "documents", link.original_ref)
    translation = require_id(conn, "documents", link.translation_ref)
    declaration = require_id(conn, "documents", link.declaration_ref) if link.declaration_ref else None
    conn.execute(
        "INSERT INTO translations (original_id, translation_id, declaration_id) VALUES (?, ?, ?) "
        "ON CONFLICT (original_id, translation_id) DO UPDATE SET declaration_id = excluded.declaration_id",
        (original, translation, declaration),
    )


def set_declaration(conn: Connection, translation_ref: str, declaration_ref: str) -> bool:
    """Attach a translator's declaration to an existing translation link."""
    cur = conn.execute(
        "UPDATE translations SET declaration_id = ? WHERE translation_id = ?",
        (require_id(conn, "documents", declaration_ref), require_id(conn, "documents", translation_ref)))
    return cur.rowcount > 0


# --- reading -------------------------------------------------------------------------


def load(conn: Connection, cls: type[T], record_id: int) -> T:
    table = TABLES[cls]
    row = conn.execute(f"SELECT data FROM {table} WHERE id = ?", (record_id,)).fetchone()
    if row is None:
        raise NotFound(_("No {kind} with id {ref}.").format(kind=_kind(table), ref=record_id))
    return codec.loads(cls, row[0], id=record_id)


def load_all(conn: Connection, cls: type[T], where: str = "", params: tuple[Any, ...] = ()) -> list[T]:
    table = TABLES[cls]
    rows = conn.execute(f"SELECT id, data FROM {table} {where} ORDER BY ref", params).fetchall()
    return [codec.loads(cls, r[1], id=int(r[0])) for r in rows]


def matters_of_document(conn: Connection, document_id: int) -> list[str]:
    rows = conn.execute(
        "SELECT m.ref FROM document_matters dm JOIN matters m ON m.id = dm.matter_id "
        "WHERE dm.document_id = ? ORDER BY m.ref", (document_id,)).fetchall()
    return [r[0] for r in rows]


def documents_of_matter(conn: Connection, matter_id: int) -> list[DocumentMeta]:
    return load_all(conn, DocumentMeta,
                    "WHERE id IN (SELECT document_id FROM document_matters WHERE matter_id = ?)", (matter_id,))


def letters_of_matter(conn: Connection, matter_id: int) -> list[SupportLetter]:
    return load_all(conn, SupportLetter, "WHERE matter_id = ?", (matter_id,))


def letters_with_document(conn: Connection, document_id: int) -> list[str]:
    """Refs of the letters whose scan is this document."""
    return [r[0] for r in conn.execute("SELECT ref FROM letters WHERE document_id = ? ORDER BY ref", (document_id,))]


def translations_of_matter(conn: Connection, matter_id: int) -> list[TranslationLink]:
    rows = conn.execute(
        "SELECT o.ref, t.ref, d.ref FROM translations tr "
        "JOIN documents o ON o.id = tr.original_id JOIN documents t ON t.id = tr.translation_id "
        "LEFT JOIN documents d ON d.id = tr.declaration_id "
        "WHERE tr.original_id IN (SELECT document_id FROM document_matters WHERE matter_id = ?) "
        "ORDER BY o.ref, t.ref", (matter_id,)).fetchall()
    return [TranslationLink(r[0], r[1], r[2]) for r in rows]


def translations_of_document(conn: Connection, original_ref: str) -> list[TranslationLink]:
    rows = conn.execute(
        "SELECT o.ref, t.ref, d.ref FROM translations tr "
        "JOIN documents o ON o.id = tr.original_id JOIN documents t ON t.id = tr.translation_id "
        "LEFT JOIN documents d ON d.id = tr.declaration_id WHERE o.ref = ? ORDER BY tr.id", (original_ref,)).fetchall()
    return [TranslationLink(r[0], r[1], r[2]) for r in rows]


def translated_refs(conn: Connection) -> set[str]:
    """Refs of documents that have at least one translation linked."""
    rows = conn.execute("SELECT DISTINCT o.ref FROM translations tr JOIN documents o ON o.id = tr.original_id")
    return {str(r[0]) for r in rows}


def bundle_id(conn: Connection, ref: str) -> int | None:
    return id_for(conn, "bundles", ref)


def bundles_of_matter(conn: Connection, matter_id: int) -> list[tuple[str, dict[str, Any]]]:
    rows = conn.execute("SELECT ref, data FROM bundles WHERE matter_id = ? ORDER BY ref", (matter_id,))
    return [(r[0], json.loads(r[1])) for r in rows]


def load_bundle(conn: Connection, ref: str) -> tuple[int, str, dict[str, Any]]:
    row = conn.execute(
        "SELECT b.id, m.ref, b.data FROM bundles b JOIN matters m ON m.id = b.matter_id WHERE b.ref = ?",
        (ref,)).fetchone()
    if row is None:
        raise NotFound(_("No bundle with ref {ref}.").format(ref=ref))
    return int(row[0]), str(row[1]), json.loads(row[2])


def document_blobs(conn: Connection, document_id: int) -> tuple[int, int | None]:
    row = conn.execute("SELECT blob_id, working_blob_id FROM documents WHERE id = ?", (document_id,)).fetchone()
    if row is None:
        raise NotFound(_("No document with id {ref}.").format(ref=document_id))
    return int(row[0]), (int(row[1]) if row[1] is not None else None)


def document_sources(conn: Connection, refs: list[str]) -> dict[str, tuple[int, int | None, int | None, str]]:
    """ref -> (blob, working blob, recorded page count, SHA-256 of the working copy, else of
    the original) of each existing document, in one query: a bundle build needs only
    these, and the engine re-checks every page count."""
    found: dict[str, tuple[int, int | None, int | None, str]] = {}
    for start in range(0, len(refs), 500):  # stay under SQLite's bound-parameter limit
        batch = refs[start:start + 500]
        marks = ",".join("?" * len(batch))
        rows = conn.execute(f"SELECT d.ref, d.blob_id, d.working_blob_id, json_extract(d.data, '$.page_count'), "
                            f"b.sha256 FROM documents AS d LEFT JOIN blobs AS b "
                            f"ON b.id = COALESCE(d.working_blob_id, d.blob_id) WHERE d.ref IN ({marks})",
                            batch).fetchall()
        for ref, blob, working, pages, sha in rows:
            found[str(ref)] = (int(blob), None if working is None else int(working),
                               int(pages) if isinstance(pages, int) else None, str(sha or ""))
    return found


def document_titles(conn: Connection, refs: list[str]) -> dict[str, str]:
    """ref -> title of each existing document, in one query per 500 refs."""
    found: dict[str, str] = {}
    for start in range(0, len(refs), 500):
        batch = refs[start:start + 500]
        marks = ",".join("?" * len(batch))
        for ref, title in conn.execute(f"SELECT ref, json_extract(data, '$.title') FROM documents "
                                       f"WHERE ref IN ({marks})", batch):
            found[str(ref)] = str(title or "")
    return found


def document_by_fingerprint(conn: Connection, fingerprint: str, exclude_id: int | None = None) -> str | None:
    if not fingerprint:
        return None
    row = conn.execute("SELECT ref FROM documents WHERE text_fingerprint = ? AND id IS NOT ? LIMIT 1",
                       (fingerprint, exclude_id)).fetchone()
    return str(row[0]) if row else None


def document_ref_by_sha256(conn: Connection, sha256: str) -> str | None:
    row = conn.execute("SELECT d.ref FROM documents d JOIN blobs b ON b.id = d.blob_id "
                       "WHERE b.sha256 = ? ORDER BY d.id LIMIT 1", (sha256,)).fetchone()
    return str(row[0]) if row else None


def document_blob_ids(conn: Connection) -> list[tuple[str, int]]:
    return [(str(r[0]), int(r[1])) for r in conn.execute("SELECT ref, blob_id FROM documents ORDER BY id")]


def set_document_text(conn: Connection, document_id: int, text: str) -> None:
    conn.execute("INSERT INTO document_text (document_id, text) VALUES (?, ?) "
                 "ON CONFLICT (document_id) DO UPDATE SET text = excluded.text", (document_id, text))


def document_text(conn: Connection, document_id: int) -> str:
    row = conn.execute("SELECT text FROM document_text WHERE document_id = ?", (document_id,)).fetchone()
    return str(row[0]) if row else ""


def all_refs(conn: Connection, table: str) -> list[str]:
    if table not in ("clients", "matters", "documents", "letters", "bundles"):
        raise ValueError(table)
    return [str(r[0]) for r in conn.execute(f"SELECT ref FROM {table} ORDER BY ref")]


def count(conn: Connection, table: str) -> int:
    if table not in ("clients", "matters", "documents", "letters", "bundles", "blobs"):
        raise ValueError(table)
    return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
