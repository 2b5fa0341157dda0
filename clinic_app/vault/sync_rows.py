"""The case record as sync sees it: one flat set of fields per record, read from and written to rows.

Sharing between laptops merges records field by field, so every aggregate (a client, a
matter, a document, a letter, a bundle) is read as a flat mapping of field names to JSON
values, built generically from its rows:

- the root row's columns (`col.<name>`), with `data` (the record's JSON) split into one
  field per top-level key (`data.<key>`), so two laptops editing two different fields of a
  client both keep their edit;
- one field per child row (`<table>:<key>`: a package item, a deadline mark, a link to a
  matter, a translation, a service-log entry), so each is merged on its own.

Foreign keys are written as the refs of what they point to (or a blob's SHA-256), found
with `PRAGMA foreign_key_list`, never as local row ids, which differ on every laptop.
Every table is either registered here or listed as local; a test keeps it that way, so a
table added later cannot silently stay out of sharing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from clinic_app.vault.connection import Connection

ROOTS = {"clients": "client", "matters": "matter", "documents": "document", "letters": "letter",
         "bundles": "bundle"}
TABLE_OF = {kind: table for table, kind in ROOTS.items()}
ORDER = ("client", "matter", "document", "letter", "bundle")  # parents before children
BLOBS = "blobs"
SKIPPED_COLUMNS = {"id", "ref", "updated_at"}  # local bookkeeping, never shared


@dataclass(frozen=True)
class Child:
    """A table whose rows belong to one root record (`owner` is its foreign-key column)."""

    owner: str
    key: tuple[str, ...]  # columns that name the row within its owner; () = one row; None = all
    whole_row_key: bool = False  # the key is a digest of every column (append-only entries)


CHILDREN: dict[str, Child] = {
    "document_text": Child("document_id", ()),
    "document_matters": Child("document_id", ("matter_id",)),
    "translations": Child("original_id", ("translation_id",)),
    "package_items": Child("matter_id", ("package", "item")),
    "package_attachments": Child("matter_id", ("package", "item", "document_id")),
    "bundle_service": Child("bundle_id", (), whole_row_key=True),
    "deadline_marks": Child("matter_id", ("rule_id",)),
    "document_exhibits": Child("affidavit_id", ("exhibit_id",)),
    "correspondence": Child("matter_id", ("entry",)),
}

# Tables that never leave the laptop: the vault's own keys and users, its audit chain
# (shared separately), derived search data, stored bytes (shared as chunks) and sync state.
LOCAL_TABLES = {"meta", "users", "audit", "blobs", "blob_chunks"}
LOCAL_PREFIXES = ("search_index", "sync_", "sqlite_")


class BadRecord(ValueError):
    """A received record names a column or child table this schema does not have, or holds a
    value no column can take. Field names reach SQL as identifiers, so only names read from
    the schema itself are ever written (a name carrying SQL was run on every laptop)."""


_SCALARS = (str, int, float, type(None))


def check_fields(conn: Connection, kind: str, fields: dict[str, Any]) -> None:
    """Raise BadRecord unless every field of a received `kind` record is one this schema can
    write: `col.<column>` with a plain value, `data.<key>`, `<child table>:<key>` holding a
    row of that table's columns, or (documents and bundles) `chunks.<scope>.<sha>`."""
    table = TABLE_OF[kind]
    columns = set(_columns(conn, table)) - SKIPPED_COLUMNS - {"data"}
    for name, value in fields.items():
        if not isinstance(name, str):
            raise BadRecord("field name")
        if name.startswith("col."):
            if name[4:] not in columns or not isinstance(value, _SCALARS):
                raise BadRecord("column")
        elif name.startswith("data."):
            if not name[5:]:
                raise BadRecord("data key")
        elif name.startswith("chunks."):
            if kind not in ("document", "bundle") or not (value is None or isinstance(value, dict)):
                raise BadRecord("chunks")
        else:
            _check_child(conn, table, name, value)


# The records are loaded from their JSON (`data`); these columns repeat what it says, for SQL.
# A received record whose two copies differ was trusted by the JSON side: a letter whose
# `data.document_ref` named evidence while its column named the scan was shown, and saved,
# as the evidence's letter; a document whose `data.ref` named another was listed as that one.
MIRRORS = {
    "matter": {"data.client_ref": "col.client_id", "data.type": "col.type"},
    "letter": {"data.matter_ref": "col.matter_id", "data.document_ref": "col.document_id",
               "data.status": "col.status"},
}


def check_mirrors(kind: str, ref: str, fields: dict[str, Any]) -> None:
    """Raise BadRecord unless the record's JSON names its own ref and agrees with its columns."""
    if fields.get("data.ref", ref) != ref:
        raise BadRecord("ref")
    for data_name, column in MIRRORS.get(kind, {}).items():
        if fields.get(data_name) != fields.get(column):
            raise BadRecord(data_name)


def _check_child(conn: Connection, table: str, name: str, value: Any) -> None:
    child_table = name.split(":", 1)[0]
    child = CHILDREN.get(child_table)
    if child is None or ":" not in name or _owner_table(conn, child_table, child) != table:
        raise BadRecord("child table")
    if value is None:
        return
    allowed = set(_columns(conn, child_table)) - {"id", child.owner, "updated_at"}
    if not isinstance(value, dict) or not set(value) <= allowed \
            or not all(isinstance(v, _SCALARS) for v in value.values()):
        raise BadRecord("child row")


class MissingReference(Exception):
    """A field names a record (or stored bytes) this laptop does not hold yet."""

    def __init__(self, table: str, key: str) -> None:
        super().__init__(f"{table}:{key}")
        self.table, self.key = table, key


def is_local(table: str) -> bool:
    return table in LOCAL_TABLES or table.startswith(LOCAL_PREFIXES)


def shared_tables(conn: Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            if not is_local(r[0])]


def unregistered_tables(conn: Connection) -> list[str]:
    """Tables that are neither a record, a registered child, nor local: each is a bug."""
    return [t for t in shared_tables(conn) if t not in ROOTS and t not in CHILDREN]


# --- columns, foreign keys ---------------------------------------------------------------------


# Every open vault is at the newest schema (migrated when opened), so a table's columns and
# foreign keys are the same in all of them: read once per process.
_COLUMNS: dict[str, list[str]] = {}
_FOREIGN_KEYS: dict[str, dict[str, str]] = {}


def _columns(conn: Connection, table: str) -> list[str]:
    if table not in _COLUMNS:
        _COLUMNS[table] = [str(r[1]) for r in conn.execute(f"PRAGMA table_info({table})")]
    return _COLUMNS[table]


def _foreign_keys(conn: Connection, table: str) -> dict[str, str]:
    """column -> referenced table."""
    if table not in _FOREIGN_KEYS:
        _FOREIGN_KEYS[table] = {str(r[3]): str(r[2]) for r in conn.execute(f"PRAGMA foreign_key_list({table})")}
    return _FOREIGN_KEYS[table]


def _ref_of(conn: Connection, table: str, row_id: Any) -> str | None:
    if row_id is None:
        return None
    column = "sha256" if table == BLOBS else "ref"
    row = conn.execute(f"SELECT {column} FROM {table} WHERE id = ?", (row_id,)).fetchone()
    return str(row[0]) if row else None


def _id_of(conn: Connection, table: str, ref: Any) -> int | None:
    if ref is None:
        return None
    column = "sha256" if table == BLOBS else "ref"
    row = conn.execute(f"SELECT id FROM {table} WHERE {column} = ?", (ref,)).fetchone()
    if row is None:
        raise MissingReference(table, str(ref))
    return int(row[0])


def _outward(conn: Connection, table: str, row: dict[str, Any]) -> dict[str, Any]:
    """A row's values as shared: foreign keys as refs."""
    fks = _foreign_keys(conn, table)
    return {c: (_ref_of(conn, fks[c], v) if c in fks else v) for c, v in row.items()}


def _inward(conn: Connection, table: str, values: dict[str, Any]) -> dict[str, Any]:
    fks = _foreign_keys(conn, table)
    return {c: (_id_of(conn, fks[c], v) if c in fks else v) for c, v in values.items()}


# --- reading a record --------------------------------------------------------------------------


def _child_key(child: Child, values: dict[str, Any]) -> str:
    if child.whole_row_key:
        return hashlib.sha256(json.dumps(values, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:24]
    return json.dumps([values[k] for k in child.key], ensure_ascii=False)


def root_id(conn: Connection, kind: str, ref: str) -> int | None:
    row = conn.execute(f"SELECT id FROM {TABLE_OF[kind]} WHERE ref = ?", (ref,)).fetchone()
    return int(row[0]) if row else None


def read_record(conn: Connection, kind: str, ref: str) -> dict[str, Any] | None:
    """The record's fields, or None when it is not (or no longer) in this vault."""
    table = TABLE_OF[kind]
    cols = _columns(conn, table)
    row = conn.execute(f"SELECT {', '.join(cols)} FROM {table} WHERE ref = ?", (ref,)).fetchone()
    if row is None:
        return None
    values = dict(zip(cols, row))
    rid = values["id"]
    fields: dict[str, Any] = {}
    for column, value in _outward(conn, table, values).items():
        if column in SKIPPED_COLUMNS:
            continue
        if column == "data":
            for key, item in json.loads(value).items():
                if item is not None:  # null and absent mean the same to the records (their default)
                    fields[f"data.{key}"] = item
        else:
            fields[f"col.{column}"] = value
    for name, child in CHILDREN.items():
        if _owner_table(conn, name, child) != table:
            continue
        ccols = [c for c in _columns(conn, name) if c not in ("id", child.owner, "updated_at")]
        for crow in conn.execute(f"SELECT {', '.join(ccols)} FROM {name} WHERE {child.owner} = ?", (rid,)):
            out = _outward(conn, name, dict(zip(ccols, crow)))
            fields[f"{name}:{_child_key(child, out)}"] = out
    return fields


def _owner_table(conn: Connection, name: str, child: Child) -> str:
    return _foreign_keys(conn, name)[child.owner]


# --- writing a record --------------------------------------------------------------------------


def write_record(conn: Connection, kind: str, ref: str, fields: dict[str, Any], now: str) -> int:
    """Make the rows of record (kind, ref) say exactly `fields` (None values are absent).

    Raises MissingReference, changing nothing more, when a field names a record or blob
    this vault does not hold yet (the caller applies parents first, or retries later).
    """
    table = TABLE_OF[kind]
    fields = {k: v for k, v in fields.items() if v is not None}
    check_fields(conn, kind, fields)
    check_mirrors(kind, ref, fields)
    data = {k[5:]: v for k, v in fields.items() if k.startswith("data.")}
    cols = {k[4:]: v for k, v in fields.items() if k.startswith("col.")}
    values = _inward(conn, table, cols)
    if "data" in _columns(conn, table):
        values["data"] = json.dumps(data, ensure_ascii=False, sort_keys=True)
    existing = root_id(conn, kind, ref)
    values["updated_at"] = now
    if existing is None:
        values.setdefault("created_at", now)
        names = ["ref", *values]
        conn.execute(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                     (ref, *values.values()))
        existing = root_id(conn, kind, ref)
        assert existing is not None
    else:
        sets = ", ".join(f"{c} = ?" for c in values)
        conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?", (*values.values(), existing))
    for name, child in CHILDREN.items():
        if _owner_table(conn, name, child) == table:
            _write_children(conn, name, child, existing, fields, now)
    return existing


def _write_children(conn: Connection, name: str, child: Child, owner_id: int, fields: dict[str, Any],
                    now: str) -> None:
    wanted = {k.split(":", 1)[1]: v for k, v in fields.items() if k.startswith(name + ":")}
    conn.execute(f"DELETE FROM {name} WHERE {child.owner} = ?", (owner_id,))
    has_updated = "updated_at" in _columns(conn, name)
    for _key, out in sorted(wanted.items()):
        row = _inward(conn, name, dict(out))
        row[child.owner] = owner_id
        if has_updated:
            row["updated_at"] = now
        conn.execute(f"INSERT INTO {name} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                     tuple(row.values()))


def delete_record(conn: Connection, kind: str, ref: str) -> bool:
    """Remove the record's rows (children go with it through ON DELETE CASCADE)."""
    return conn.execute(f"DELETE FROM {TABLE_OF[kind]} WHERE ref = ?", (ref,)).rowcount > 0


def all_refs(conn: Connection, kind: str) -> list[str]:
    return [str(r[0]) for r in conn.execute(f"SELECT ref FROM {TABLE_OF[kind]} ORDER BY id")]


def blob_shas(fields: dict[str, Any]) -> list[str]:
    """The stored bytes a record names: a document's original and working copy, and the content
    a bundle's served snapshots froze (kept for as long as a snapshot names it)."""
    found = [v for k, v in sorted(fields.items()) if k in ("col.blob_id", "col.working_blob_id") and v]
    for name, entry in sorted(fields.items()):
        if name.startswith("bundle_service:") and isinstance(entry, dict):
            try:
                sources = json.loads(entry.get("snapshot") or "{}").get("sources") or {}
            except (ValueError, AttributeError):
                continue
            for source in sources.values() if isinstance(sources, dict) else ():
                sha = source.get("sha256") if isinstance(source, dict) else None
                if isinstance(sha, str) and sha not in found:
                    found.append(sha)
    return found


# --- change capture ----------------------------------------------------------------------------


def _trigger_sql(conn: Connection, table: str) -> list[str]:
    """Triggers that note, in the same transaction, which record a write touched."""
    if table in ROOTS:
        kind = ROOTS[table]
        refs = {"INSERT": "NEW.ref", "UPDATE": "NEW.ref", "DELETE": "OLD.ref"}
        owner_table = None
    else:
        child = CHILDREN[table]
        owner_table = _owner_table(conn, table, child)
        kind = ROOTS[owner_table]
        refs = {op: f"(SELECT ref FROM {owner_table} WHERE id = {row}.{child.owner})"
                for op, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD"))}
    out = []
    for op, ref in refs.items():
        out.append(
            f"CREATE TRIGGER IF NOT EXISTS sync_mark_{table}_{op.lower()} AFTER {op} ON {table} BEGIN "
            f"INSERT INTO sync_dirty (kind, ref, at) SELECT '{kind}', r, strftime('%Y-%m-%dT%H:%M:%f', 'now') "
            f"FROM (SELECT {ref} AS r) WHERE r IS NOT NULL; END")
    if table == "letters":  # a letter's document travels with the letter: note it too
        out.append(
            "CREATE TRIGGER IF NOT EXISTS sync_mark_letters_document AFTER UPDATE OF document_id ON letters "
            "BEGIN INSERT INTO sync_dirty (kind, ref, at) SELECT 'document', d.ref, "
            "strftime('%Y-%m-%dT%H:%M:%f', 'now') FROM documents AS d WHERE d.id IN (NEW.document_id, "
            "OLD.document_id); END")
    return out


def install_triggers(conn: Connection) -> None:
    """Create the change-capture triggers on every shared table (idempotent)."""
    for table in [*ROOTS, *CHILDREN]:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone():
            for sql in _trigger_sql(conn, table):
                conn.execute(sql)


def remove_triggers(conn: Connection) -> None:
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                        "AND name LIKE 'sync_mark_%'")]
    for name in names:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")


# --- a ref created twice offline ----------------------------------------------------------------

REF_KEYS = {"client": {"client_ref"}, "matter": {"matter_ref"},
            "document": {"document_ref", "document_id", "doc_ref"}, "letter": {"letter_ref"},
            "bundle": {"bundle_ref", "supplement_to"}}


def _rewrite(value: Any, keys: set[str], old: str, new: str) -> tuple[Any, bool]:
    if isinstance(value, dict):
        changed, out = False, {}
        for k, v in value.items():
            if k in keys and v == old:
                out[k], changed = new, True
            else:
                out[k], c = _rewrite(v, keys, old, new)
                changed = changed or c
        return out, changed
    if isinstance(value, list):
        items = [_rewrite(v, keys, old, new) for v in value]
        return [v for v, _c in items], any(c for _v, c in items)
    return value, False


def free_ref(conn: Connection, kind: str, ref: str) -> str:
    n = 2
    while root_id(conn, kind, f"{ref}-{n}") is not None:
        n += 1
    return f"{ref}-{n}"


def rename_record(conn: Connection, kind: str, old: str, new: str) -> list[tuple[str, str]]:
    """Give a record a new ref and rewrite every record naming it in its JSON; returns the
    records whose rows changed (relations by row id need nothing)."""
    table = TABLE_OF[kind]
    row = conn.execute(f"SELECT id, data FROM {table} WHERE ref = ?", (old,)).fetchone()
    if row is None:
        return []
    data = json.loads(row[1])
    data["ref"] = new
    conn.execute(f"UPDATE {table} SET ref = ?, data = ? WHERE id = ?",
                 (new, json.dumps(data, ensure_ascii=False, sort_keys=True), row[0]))
    touched = [(kind, new)]
    keys = REF_KEYS.get(kind, set())
    for other_table, other_kind in ROOTS.items():
        for rid, ref, raw in conn.execute(f"SELECT id, ref, data FROM {other_table}").fetchall():
            doc, changed = _rewrite(json.loads(raw), keys, old, new)
            if changed:
                conn.execute(f"UPDATE {other_table} SET data = ? WHERE id = ?",
                             (json.dumps(doc, ensure_ascii=False, sort_keys=True), rid))
                touched.append((other_kind, str(ref)))
    return touched
