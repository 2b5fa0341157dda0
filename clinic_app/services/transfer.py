"""Moving one matter to another vault in a passphrase-protected case file.

The file (format in docs/backups.md, container in transfer_format.py) holds the
matter, its client, every document (original bytes, working copy, text), support
letters, translation links, bundle projects and their service log, with the exact
content each served bundle froze (older versions of replaced documents included).
Export needs the EXPORT permission and is audited ("matter_exported"). Import reads
the records first, compares them with the vault (transfer_conflicts.py) and writes
nothing unless every conflict has an explicit answer; then one transaction imports
everything, and it commits only after the file's last chunk authenticated.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import struct
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, BinaryIO

from clinic_app.domain.bundle import BundleSpec
from clinic_app.domain.bundle_content import sources_of
from clinic_app.domain.changes import Changes
from clinic_app.domain.client import Client
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.ids import MatterId
from clinic_app.domain.letter import SupportLetter
from clinic_app.domain.matter import Matter
from clinic_app.domain.progress import CancelToken, Progress, no_progress
from clinic_app.domain.roles import Permission
from clinic_app.errors import BadInput, UsageError, VaultDamaged
from clinic_app.fsutil import open_input
from clinic_app.i18n import _
from clinic_app.output_files import output_writer
from clinic_app.services import conflict_check, transfer_payload
from clinic_app.services.conflict_check import NameConflict
from clinic_app.services.passphrase_policy import require_strong
from clinic_app.services.session import Session
from clinic_app.services.transfer_conflicts import (
    TABLES, Conflict, Resolution, bundle_doc_refs, bundle_refs, fold_name, resolve)
from clinic_app.services.transfer_apply import apply
from clinic_app.services.transfer_format import SealedReader, SealedWriter
from clinic_app.vault import blobs, bundle_service, codec, records
from clinic_app.vault.errors import TransferConflicts, TransferInvalid

FORMAT = "haven-case"
VERSION = 2  # 2: served bundles carry the content they froze ("served_content" streams)
READABLE = (1, 2)
CHOICES = ("skip", "rename")
_U64 = struct.Struct(">Q")


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    matter_ref: str
    documents: int
    size: int


@dataclass
class ImportResult:
    matter_ref: str
    conflicts: list[Conflict]
    created: dict[str, int] = field(default_factory=dict)
    reused: dict[str, int] = field(default_factory=dict)
    renamed: dict[str, str] = field(default_factory=dict)  # "kind old" -> new ref
    skipped: list[str] = field(default_factory=list)  # "kind ref"
    changes: Changes = field(default_factory=Changes)  # for the window's views
    names_accepted: tuple[NameConflict, ...] = ()  # imported despite the conflict check


@dataclass(frozen=True)
class CasePreview:
    """What a case file holds and how it meets this vault, read before anything is written
    (only its records are decrypted: a damaged document stream is found by the import)."""

    matter_ref: str
    client_ref: str
    exported_at: str
    counts: dict[str, int]  # documents, letters, translations, bundles
    conflicts: list[str]  # Conflict.describe(): refs only, never a person's name
    already_here: int  # records present with the same content (reused, not conflicts)
    # names in the file like people in this vault (a possible conflict of interest)
    name_conflicts: tuple[NameConflict, ...] = ()


# --- export ---------------------------------------------------------------------------


def _served_content(conn: Any, served: dict[str, list[dict[str, Any]]],
                    exported: set[str]) -> tuple[list[dict[str, Any]], list[int]]:
    """Content served bundles froze that no exported document holds any more (the version a
    document had when it was served, before it was replaced): described, and its blobs."""
    items, blob_ids = [], []
    for entries in served.values():
        for entry in entries:
            for source in sources_of(entry["snapshot"]).values():
                blob_id = blobs.find(conn, source.sha256)
                if source.sha256 in exported or blob_id is None:
                    continue
                exported.add(source.sha256)
                items.append({"sha256": source.sha256, "size": blobs.info(conn, blob_id)[1]})
                blob_ids.append(blob_id)
    return items, blob_ids


def _collect(session: Session, matter_ref: str) -> tuple[dict[str, Any], list[tuple[int, int | None]], list[int]]:
    conn = session.vault.conn
    matter_id = records.require_id(conn, "matters", matter_ref)
    matter = records.load(conn, Matter, matter_id)
    client = records.load(conn, Client, records.require_id(conn, "clients", matter.client_ref))
    linked = records.documents_of_matter(conn, matter_id)
    letters = records.letters_of_matter(conn, matter_id)
    links = records.translations_of_matter(conn, matter_id)
    bundles = records.bundles_of_matter(conn, matter_id)
    wanted = {t.translation_ref for t in links} | {t.declaration_ref for t in links if t.declaration_ref}
    wanted |= {x.document_ref for x in letters if x.document_ref}
    wanted |= {ref for _r, spec in bundles for ref in bundle_doc_refs(spec)}
    extra = [records.load(conn, DocumentMeta, i) for ref in sorted(wanted - {d.ref for d in linked})
             if (i := records.id_for(conn, "documents", ref)) is not None]
    docs, streams = [], []
    for doc, is_linked in [(d, True) for d in linked] + [(d, False) for d in extra]:
        blob_id, working_id = records.document_blobs(conn, int(doc.id or 0))
        sha, size = blobs.info(conn, blob_id)
        working = dict(zip(("sha256", "size"), blobs.info(conn, working_id), strict=True)) if working_id else None
        docs.append({"meta": codec.to_plain(doc), "linked": is_linked, "working": working,
                     "text": records.document_text(conn, int(doc.id or 0)),
                     "original": {"sha256": sha, "size": size}})
        streams.append((blob_id, working_id))
    served = {ref: [dataclasses.asdict(e) for e in bundle_service.entries(conn, bundle_id=records.bundle_id(conn, ref))]
              for ref, _spec in bundles}
    exported = {d["original"]["sha256"] for d in docs} | {d["working"]["sha256"] for d in docs if d["working"]}
    served_items, served_blobs = _served_content(conn, served, exported)
    payload = {
        "format": FORMAT, "version": VERSION, "exported_at": datetime.now(timezone.utc).isoformat(),
        "client": codec.to_plain(client), "matter": codec.to_plain(matter), "documents": docs,
        "letters": [codec.to_plain(x) for x in letters], "translations": [codec.to_plain(t) for t in links],
        "bundles": [{"ref": ref, "spec": spec, "served": served[ref]} for ref, spec in bundles],
        "served_content": served_items,
    }
    return payload, streams, served_blobs


def _seal_blob(conn: Any, writer: SealedWriter, blob_id: int, cancel: CancelToken | None) -> None:
    """Stream one stored file into the case file, re-hashed: damaged bytes are never passed on."""
    digest = hashlib.sha256()
    for chunk in blobs.iter_chunks(conn, blob_id):
        if cancel is not None:
            cancel.raise_if_cancelled()
        digest.update(chunk)
        writer.write(chunk)
    if digest.hexdigest() != blobs.info(conn, blob_id)[0]:
        raise VaultDamaged(_("a stored document no longer matches its SHA-256"))


def export_matter(session: Session, matter_ref: str, target: Path, passphrase: str, *,
                  progress: Progress = no_progress, cancel: CancelToken | None = None) -> ExportSummary:
    """Write one matter, with everything it needs, to a case file sealed by `passphrase`."""
    session.require(Permission.EXPORT)
    session.require(Permission.READ_NARRATIVES)
    require_strong(passphrase)
    target = Path(target).expanduser()
    if target.exists():
        raise BadInput(_("{name} already exists; choose a new file name.").format(name=target))
    conn = session.vault.conn
    payload, streams, served_blobs = _collect(session, matter_ref)
    raw = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    with output_writer(target) as out:
        writer = SealedWriter(out, passphrase, session.vault.slots.kdf_defaults)
        writer.write(_U64.pack(len(raw)) + raw)
        for i, (blob_id, working_id) in enumerate(streams):
            progress(i, len(streams), _("Sealing document {n} of {total}").format(n=i + 1, total=len(streams)))
            for source in ([working_id] if working_id else []) + [blob_id]:
                _seal_blob(conn, writer, source, cancel)
        for blob_id in served_blobs:
            _seal_blob(conn, writer, blob_id, cancel)
        if cancel is not None:  # a matter with no document is never checked above: no file either way
            cancel.raise_if_cancelled()
        writer.close()
        size = writer.plain_bytes
    with session.transaction():
        session.audit("matter_exported", target=f"matter:{records.require_id(conn, 'matters', matter_ref)}",
                      detail={"documents": len(streams), "size": size})
    return ExportSummary(target, payload["matter"]["ref"], len(streams), size)


# --- import ---------------------------------------------------------------------------


def _read_payload(reader: SealedReader, name: str) -> dict[str, Any]:
    """The file's records, their whole structure checked (transfer_payload.py): a hostile or
    buggy sender's file is refused as invalid before anything is compared or written."""
    (size,) = _U64.unpack(reader.read_exact(_U64.size))
    if size > 512 * 1024 * 1024:
        raise TransferInvalid(name, "records too large")
    try:
        payload = json.loads(reader.read_exact(size).decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise TransferInvalid(name, "records") from exc
    return transfer_payload.check(payload, name, format_name=FORMAT, readable=READABLE)


def _existing(session: Session, kind: str, ref: str) -> Any:
    """The vault's record for (kind, ref) in comparable plain form, or None."""
    conn = session.vault.conn
    record_id = records.id_for(conn, TABLES[kind], ref)
    if record_id is None:
        return None
    if kind == "bundle":
        _id, matter_ref, spec = records.load_bundle(conn, ref)
        return {"matter": matter_ref, "spec": spec}
    cls = {"client": Client, "matter": Matter, "document": DocumentMeta, "letter": SupportLetter}[kind]
    return codec.to_plain(records.load(conn, cls, record_id))


def _incoming(payload: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """(kind, ref, comparable plain form) for every record in the file, validated."""
    client = codec.from_plain(Client, payload["client"])
    matter = codec.from_plain(Matter, payload["matter"])
    items = [("client", client.ref, codec.to_plain(client)), ("matter", matter.ref, codec.to_plain(matter))]
    for doc in payload["documents"]:
        meta = codec.from_plain(DocumentMeta, doc["meta"])
        items.append(("document", meta.ref, codec.to_plain(meta)))
    for raw in payload["letters"]:
        letter = codec.from_plain(SupportLetter, raw)
        items.append(("letter", letter.ref, codec.to_plain(letter)))
    for bundle in payload["bundles"]:
        spec = BundleSpec.from_dict(bundle["spec"]).to_dict()  # validated, in its saved form
        items.append(("bundle", str(bundle["ref"]), {"matter": matter.ref, "spec": spec}))
    return items


def find_conflicts(session: Session, payload: dict[str, Any]) -> tuple[list[Conflict], set[tuple[str, str]]]:
    """Conflicts, and the (kind, ref) records already present with the same content."""
    conflicts, same = [], set()
    for kind, ref, plain in _incoming(payload):
        existing = _existing(session, kind, ref)
        if existing is None:
            continue
        if existing == plain:
            same.add((kind, ref))
        else:
            conflicts.append(Conflict(kind, ref, "different"))
    held = {doc["meta"]["ref"] for doc in payload["documents"]}
    absent: dict[str, str] = {}  # a bundle names it, the file lacks it, this vault has another one
    for bundle in payload["bundles"]:
        for ref in sorted(bundle_refs(bundle) - held):
            if ref not in absent and records.id_for(session.vault.conn, "documents", ref) is not None:
                absent[ref] = str(bundle["ref"])
    conflicts += [Conflict("document", ref, "absent", bundle) for ref, bundle in absent.items()]
    client = payload["client"]
    if ("client", client["ref"]) not in same:
        wanted = fold_name(client["legal_name"])
        for other in records.load_all(session.vault.conn, Client):
            if other.ref != client["ref"] and fold_name(other.legal_name) == wanted:
                conflicts.append(Conflict("client", client["ref"], "same_name", other.ref))
    return conflicts, same


def _require_import(session: Session, payload: dict[str, Any]) -> None:
    session.require(Permission.EDIT_RECORDS)
    session.require(Permission.IMPORT_DOCUMENTS)
    if payload["letters"]:
        session.require(Permission.MANAGE_LETTERS)
    if payload["bundles"]:
        session.require(Permission.BUILD)


def _open_case_file(path: Path) -> BinaryIO:
    """The case file, opened without blocking on a pipe or device given in its place."""
    try:
        return open_input(path)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise TransferInvalid(path.name, exc.strerror or "unreadable") from exc


def preview_import(session: Session, path: Path, passphrase: str) -> CasePreview:
    """Open a case file, check its records and whether this user may import them, and compare
    them with the vault; nothing is written (the window shows this before asking)."""
    path = Path(path)
    with _open_case_file(path) as fh:
        payload = _read_payload(SealedReader(fh, passphrase, path.name), path.name)
    _require_import(session, payload)
    conflicts, same = find_conflicts(session, payload)
    counts = {key: len(payload[key]) for key in ("documents", "letters", "translations", "bundles")}
    return CasePreview(payload["matter"]["ref"], payload["client"]["ref"], str(payload.get("exported_at", "")),
                       counts, [c.describe() for c in conflicts], len(same), tuple(_name_conflicts(session, payload)))


def _name_conflicts(session: Session, payload: dict[str, Any],
                    dropped: frozenset[tuple[str, str]] | set[tuple[str, str]] = frozenset()) -> list[NameConflict]:
    """The conflict check a manifest import runs: the file's client (and aliases) and the
    matter's adverse parties, against everyone already in this vault; a record skipped
    (`dropped`, the "skip" answer to a ref conflict) brings no names in."""
    client = codec.from_plain(Client, payload["client"])
    matter = codec.from_plain(Matter, payload["matter"])
    return conflict_check.manifest_conflicts(
        session, [] if ("client", client.ref) in dropped else [client],
        [] if ("matter", matter.ref) in dropped else [matter])


def import_matter(session: Session, path: Path, passphrase: str, *, on_conflict: str | None = None,
                  accept_conflicts: bool = False, progress: Progress = no_progress,
                  cancel: CancelToken | None = None) -> ImportResult:
    """Import a case file; conflicts stop it unless `on_conflict` is "skip" or "rename".

    Names like people already in the vault (a possible conflict of interest) stop it too,
    as they stop a manifest import, unless `accept_conflicts`, which is audited."""
    if on_conflict not in (None, *CHOICES):
        raise UsageError(_("Choose skip or rename for conflicts."))
    path = Path(path)
    with _open_case_file(path) as fh:
        reader = SealedReader(fh, passphrase, path.name)
        payload = _read_payload(reader, path.name)
        _require_import(session, payload)
        conflicts, same = find_conflicts(session, payload)
        if conflicts and on_conflict is None:
            raise TransferConflicts([c.describe() for c in conflicts])
        taken = {k: {r.casefold() for r in records.all_refs(session.vault.conn, t)} for k, t in TABLES.items()}
        res = resolve(payload, conflicts, on_conflict or "skip", taken) if conflicts else Resolution()
        names = _name_conflicts(session, payload, res.dropped)
        if names and not accept_conflicts:
            raise conflict_check.ConflictsFound(names)
        result = ImportResult(payload["matter"]["ref"], conflicts, names_accepted=tuple(names))
        result.renamed = {f"{k} {old}": new for (k, old), new in res.renamed.items()}
        result.skipped = sorted(f"{k} {r}" for k, r in res.dropped)
        with session.transaction():
            if names:
                conflict_check.record_decision(session, names, conflict_check.IMPORTED_ANYWAY)
            apply(session, payload, reader, res, same, result, progress=progress, cancel=cancel)
            reader.finish()  # the last chunk must verify before anything commits
            if cancel is not None:  # cancelled at the last moment: the transaction still rolls back
                cancel.raise_if_cancelled()
    imported = records.id_for(session.vault.conn, "matters", result.renamed.get(
        f"matter {result.matter_ref}", result.matter_ref))
    result.changes = Changes(matters=frozenset({MatterId(imported)} if imported is not None else ()), links=True)
    return result
