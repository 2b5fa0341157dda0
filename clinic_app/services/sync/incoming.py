"""Pulled rows on their way in: open, check who signed them, merge, apply to the tables.

Every row is checked before anything in it is used: it must open with a scope key this
laptop was granted, carry a valid signature of a member who has not been removed, name
the record its id says, be of a kind the author's role may write in that scope, name only
fields this schema has (field names reach SQL), and carry clock stamps. A volunteer's row
must also stay within the letters (`admission.within_letters`). A signed row the tables still cannot
take is rolled back alone. Anything else is counted as rejected and never applied, and
the rows after it still come in. Rows are applied in the order
the server committed them; a record naming one not here yet (a letter before its matter)
waits in `sync_pending` and is applied as soon as it can be. The cursor advances in the
same vault transaction as the rows it covers, so a crash re-pulls, never skips.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass, field
from collections.abc import Callable
from typing import TYPE_CHECKING, Any


from clinic_app.domain.client import Client
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.letter import SupportLetter
from clinic_app.domain.matter import Matter, MatterType
from clinic_app.services import indexing
from clinic_app.services.sync import admission, envelope, membership, merge, scopes, server
from clinic_app.services.sync.envelope import EnvelopeError, ScopeKey
from clinic_app.services.sync.hlc import Clock
from clinic_app.services.sync.outgoing import in_letters
from clinic_app.vault import audit, blobs, records, search, sync_rows, sync_state
from clinic_app.errors import ValidationError
from clinic_app.vault.connection import Connection, IntegrityError, InterfaceError

if TYPE_CHECKING:
    import psycopg

BATCH = 500


@dataclass
class PullReport:
    received: int = 0
    applied: int = 0
    deleted: int = 0
    rejected: int = 0
    waiting: int = 0
    conflicts: int = 0
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, old ref, new ref)
    deleted_clients: bool = False


class _Context:
    def __init__(self, conn: Connection, pg: psycopg.Connection[Any], clinic_id: str, role: str,
                 state: membership.State, keys: dict[tuple[str, int], ScopeKey], clock: Clock) -> None:
        self.conn, self.pg, self.clinic_id, self.role = conn, pg, clinic_id, role
        self.clock = clock
        self.renew(state, keys)

    def renew(self, state: membership.State, keys: dict[tuple[str, int], ScopeKey]) -> None:
        self.state, self.keys = state, keys
        self.keys_by_scope = {scope: key for (scope, _e), key in sorted(keys.items(), key=lambda kv: kv[0][1])}

    def unknown(self, row: server.PulledRow) -> bool:
        """Whether `row` names an author or a key epoch this laptop has not read of yet."""
        return (row.scope, row.epoch) not in self.keys or self.state.member(row.author) is None


Reload = Callable[[], tuple[membership.State, dict[tuple[str, int], ScopeKey]]]


def pull(conn: Connection, pg: psycopg.Connection[Any], clinic_id: str, role: str, state: membership.State,
         keys: dict[tuple[str, int], ScopeKey], clock: Clock, cursor: int, reload: Reload | None = None) -> PullReport:
    """Apply every row after `cursor`. A row from a member who joined (or under keys granted)
    after this round read the membership log stops the batch before it; the log and grants
    are read again (`reload`, once a pull) and the row is handled then. It used to be refused
    and the cursor moved past it, so that laptop never received the record."""
    report = PullReport()
    ctx = _Context(conn, pg, clinic_id, role, state, keys, clock)
    while True:
        rows = server.pull(pg, cursor, BATCH)
        if not rows:
            break
        conn.execute("BEGIN IMMEDIATE")
        stalled = False
        try:
            before = sync_state.last_dirty_id(conn)
            for row in rows:
                if reload is not None and ctx.unknown(row):
                    stalled = True
                    break
                _handle(ctx, row, report)
                cursor = row.seq
            _retry_pending(ctx, report)
            sync_state.put(conn, "cursor", str(cursor))
            sync_state.put(conn, "clock", clock.last)
            conn.execute("DELETE FROM sync_dirty WHERE id > ?", (before,))  # our own writes, not edits
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        if stalled:
            assert reload is not None
            ctx.renew(*reload())
            reload = None  # rows still unknown after that are refused
    report.waiting = len(sync_state.pending(conn))
    return report


def _known(ctx: _Context, row: server.PulledRow) -> bool:
    """Whether the base already holds this row's version (our own push coming back)."""
    found = sync_state.row_record(ctx.conn, row.scope, row.record_id)
    if found is None:
        return False
    _base, versions = sync_state.base(ctx.conn, *found)
    return versions.get(row.scope, 0) >= row.version


def _open(ctx: _Context, row: server.PulledRow) -> tuple[str, str, merge.Record, membership.Member] | _Refused | None:
    key = ctx.keys.get((row.scope, row.epoch))
    if key is None:
        return None
    try:
        author, content, signature = envelope.open_row(ctx.clinic_id, key, row.record_id, row.body)
        kind, ref, record = str(content["kind"]), str(content["ref"]), content["record"]
        admission.check_record(record)
        if kind in sync_rows.TABLE_OF:
            sync_rows.check_fields(ctx.conn, kind, merge.values(record))
            sync_rows.check_mirrors(kind, ref, merge.values(record))
    except (EnvelopeError, KeyError, TypeError, ValueError):
        return None
    member = ctx.state.member(author)
    if member is None or member.removed_at is not None or author != row.author:
        return None
    if key.record_id(kind, ref) != row.record_id or kind not in (*sync_rows.ORDER, scopes.LABEL):
        return None
    if not envelope.verify_row(key, row.record_id, content, signature, member.sign_pub):
        return None
    if not scopes.may_write(member.role, row.scope, kind):
        return _Refused(kind, ref)
    return kind, ref, record, member


@dataclass(frozen=True)
class _Refused:
    """A row its signer really wrote but whose role may not write it (a volunteer's matter label,
    a letter reaching beyond the letters): it stands on the server in place of the record's
    last good version, which laptops joining later would then never receive."""

    kind: str
    ref: str


def _send_ours_again(ctx: _Context, row: server.PulledRow, refused: _Refused) -> None:
    """Put this laptop's own version of a record back on the server over a refused row, when
    this laptop may write it there: its base takes the row's version (so the swap succeeds) and
    the record goes in the outbox to be sent as it stands here."""
    kind, ref = refused.kind, refused.ref
    if not scopes.may_write(ctx.role, row.scope, kind):
        return
    base_rec, versions = sync_state.base(ctx.conn, kind, ref)
    if base_rec is None or row.scope not in versions or versions[row.scope] >= row.version:
        return  # never sent there by this laptop (evidence must not go to the letters), or ours is newer
    sync_state.put_base(ctx.conn, kind, ref, base_rec, {**versions, row.scope: row.version})
    out = sync_state.outbox(ctx.conn, kind, ref) or merge.empty()
    sync_state.put_outbox(ctx.conn, kind, ref, {**out, "republish": True})


def _handle(ctx: _Context, row: server.PulledRow, report: PullReport) -> None:
    report.received += 1
    if row.author == ctx.clock.device and _known(ctx, row):
        return  # our own push coming back: already the base here
    opened = _open(ctx, row)
    if opened is None or isinstance(opened, _Refused):
        report.rejected += 1
        if opened is not None:
            _send_ours_again(ctx, row, opened)
        return
    kind, ref, remote, member = opened
    if member.role == "volunteer" and not admission.within_letters(ctx.conn, kind, ref, remote):
        report.rejected += 1
        _send_ours_again(ctx, row, _Refused(kind, ref))
        return
    for value in remote["fields"].values():
        ctx.clock.observe(value[1])
    if remote["deleted"]:
        ctx.clock.observe(remote["deleted"][0])
    _merge_and_apply(ctx, kind, ref, remote, {row.scope: row.version}, report, from_scope=row.scope,
                     volunteer=member.role == "volunteer")


def _merge_and_apply(ctx: _Context, kind: str, ref: str, remote: merge.Record, versions: dict[str, int],
                     report: PullReport, from_scope: str = "", volunteer: bool = False) -> None:
    conn = ctx.conn
    base_rec, old_versions = sync_state.base(conn, kind, ref)
    outbox = sync_state.outbox(conn, kind, ref) or merge.empty()
    if base_rec is None and outbox["fields"] and outbox["deleted"] is None and remote["deleted"] is None \
            and kind != scopes.LABEL:
        _rename_created_twice(ctx, kind, ref, outbox, report)
        outbox = merge.empty()
    merged = merge.merge(base_rec or merge.empty(), outbox, remote)
    if kind == scopes.LABEL:
        if ctx.role == "volunteer" and merged.table is not None:
            _apply_label(conn, ref, merged.table)
    else:
        conn.execute("SAVEPOINT apply_record")
        try:
            _apply(ctx, kind, ref, merged.table, merged.base)
        except sync_rows.MissingReference:
            conn.execute("ROLLBACK TO apply_record")  # nothing half-written: no rows, no partial blob
            conn.execute("RELEASE apply_record")
            sync_state.put_pending(conn, kind, ref, {"record": remote, "versions": versions, "scope": from_scope,
                                                     "volunteer": volunteer})
            return
        except _UNAPPLICABLE:
            conn.execute("ROLLBACK TO apply_record")
            conn.execute("RELEASE apply_record")
            sync_state.drop_pending(conn, kind, ref)
            report.rejected += 1  # refused like a row that does not verify; the next rows still come in
            return
        conn.execute("RELEASE apply_record")
    sync_state.drop_pending(conn, kind, ref)
    sync_state.put_base(conn, kind, ref, merged.base, {**old_versions, **versions})
    if from_scope and from_scope in ctx.keys_by_scope:
        sync_state.put_row_record(conn, from_scope, ctx.keys_by_scope[from_scope].record_id(kind, ref), kind, ref)
    republish = (merged.changed and from_scope == scopes.LETTERS and ctx.role != "volunteer"
                 and merged.table is not None)
    out = merged.outbox
    if republish:
        out = {**out, "republish": True}  # the "all" copy is behind the letters copy: send the join there
    sync_state.put_outbox(conn, kind, ref, out)
    now = audit.now_utc()
    for c in merged.conflicts:
        sync_state.add_conflict(conn, kind, ref, c.field, c.kept, c.other, now)
    report.conflicts += len(merged.conflicts)
    if merged.table is None:
        report.deleted += 1
        report.deleted_clients = report.deleted_clients or kind == "client"
    else:
        report.applied += 1


# A signed row the tables cannot take: a required field missing (IntegrityError), a value of
# the wrong type, a record the domain refuses. One such row, from any member, used to stop
# every later sync of every other laptop ("Internal error"), for good. Storage failures
# (disk full, I/O) are not among these: they still stop the round, losing nothing.
_UNAPPLICABLE = (sync_rows.BadRecord, IntegrityError, InterfaceError, ValidationError, ValueError, TypeError,
                 KeyError, AttributeError, EnvelopeError, struct.error)  # the last two: chunks that do not open


def _retry_pending(ctx: _Context, report: PullReport) -> None:
    progress = True
    while progress:
        progress = False
        for kind, ref, entry in sync_state.pending(ctx.conn):
            before = len(sync_state.pending(ctx.conn))
            volunteer = bool(entry.get("volunteer"))
            if volunteer and not admission.within_letters(ctx.conn, kind, ref, entry["record"]):
                # checked again now that what it names is here: a letter parked on a ref no one held
                # yet named the evidence later stored under that ref, and this laptop published it to
                # the letters scope. It waits instead, applied only if the document comes to travel
                # with letters (its letters copy may simply not have arrived yet).
                continue
            _merge_and_apply(ctx, kind, ref, entry["record"], entry["versions"], report, entry.get("scope", ""),
                             volunteer=volunteer)
            progress = progress or len(sync_state.pending(ctx.conn)) < before


def _rename_created_twice(ctx: _Context, kind: str, ref: str, outbox: merge.Record, report: PullReport) -> None:
    """This laptop created `ref` offline and another laptop created the same ref: the other one
    is on the server already, so ours takes a new ref, and the person is told."""
    conn = ctx.conn
    new = sync_rows.free_ref(conn, kind, ref)
    touched = _rename(conn, kind, ref, new)
    sync_state.put_outbox(conn, kind, ref, None)
    stamp = ctx.clock.stamp()
    for t_kind, t_ref in touched:
        base_rec, _v = sync_state.base(conn, t_kind, t_ref)
        out = sync_state.outbox(conn, t_kind, t_ref) or merge.empty()
        current = sync_rows.read_record(conn, t_kind, t_ref)
        sync_state.put_outbox(conn, t_kind, t_ref,
                              merge.capture(base_rec or merge.empty(), out, current, stamp, ctx.clock.device))
    sync_state.add_conflict(conn, kind, new, "ref", [new, stamp, ctx.clock.device],
                            [ref, stamp, ctx.clock.device], audit.now_utc())
    report.renamed.append((kind, ref, new))


def _rename(conn: Connection, kind: str, old: str, new: str) -> list[tuple[str, str]]:
    """`sync_rows.rename_record`, and search lists each record it touched by its new ref."""
    touched = sync_rows.rename_record(conn, kind, old, new)
    for t_kind, t_ref in touched:
        if t_kind in search.KIND_CODES and (row_id := sync_rows.root_id(conn, t_kind, t_ref)) is not None:
            _reindex(conn, t_kind, row_id)  # search lists it by its new ref (and names it in its title)
    return touched


def rename_over_deletions(conn: Connection, clock: Clock, role: str) -> list[tuple[str, str, str]]:
    """Give a new ref to every record created here under the ref of a record deleted for good.

    A deletion is final on every laptop (its tombstone wins over any later edit), so a client
    made as `c-1` after `c-1` was deleted went out as that deletion again: it never reached
    another laptop, and nothing said so. Call before `outgoing.capture` (the renamed rows are
    then sent). Returns (kind, old ref, new ref); each also goes to the conflicts list."""
    _top, touched = sync_state.dirty(conn)
    renamed: list[tuple[str, str, str]] = []
    for kind, ref in sorted(touched):
        if kind not in sync_rows.TABLE_OF or (role == "volunteer" and kind not in scopes.LETTER_KINDS):
            continue
        base_rec, _versions = sync_state.base(conn, kind, ref)
        if base_rec is None or base_rec["deleted"] is None or sync_rows.root_id(conn, kind, ref) is None:
            continue
        n = 2  # a ref neither held here nor once shared (and maybe deleted) under that name
        while sync_rows.root_id(conn, kind, f"{ref}-{n}") is not None or \
                sync_state.base(conn, kind, f"{ref}-{n}")[0] is not None:
            n += 1
        new = f"{ref}-{n}"
        _rename(conn, kind, ref, new)  # the triggers mark its rows, and those naming it, to be sent
        stamp = clock.stamp()
        sync_state.add_conflict(conn, kind, new, "ref", [new, stamp, clock.device], [ref, stamp, clock.device],
                                audit.now_utc())
        renamed.append((kind, ref, new))
    return renamed


# --- writing into the tables ------------------------------------------------------------------


def _apply(ctx: _Context, kind: str, ref: str, table: dict[str, Any] | None, base: merge.Record) -> None:
    conn = ctx.conn
    if table is None:
        row_id = sync_rows.root_id(conn, kind, ref)
        if row_id is not None:
            search.remove(conn, kind, row_id)
            sync_rows.delete_record(conn, kind, ref)
        return
    if kind in ("document", "bundle"):
        for sha in sync_rows.blob_shas(table):
            try:
                _fetch_blob(ctx, sha, base)
            except sync_rows.MissingReference:
                if kind == "document":
                    raise  # a document without its bytes waits; a served bundle names its build's refusal
                continue
    fields = {k: v for k, v in table.items() if not k.startswith("chunks.")}
    row_id = sync_rows.write_record(conn, kind, ref, fields, audit.now_utc())
    _reindex(conn, kind, row_id)


def _fetch_blob(ctx: _Context, sha: str, base: merge.Record) -> None:
    """Bring stored bytes `sha` from the server's chunks (checked against the SHA-256)."""
    conn = ctx.conn
    if blobs.find(conn, sha) is not None:
        return
    listing = None
    for scope in (scopes.ALL, scopes.LETTERS):
        entry = base["fields"].get(f"chunks.{scope}.{sha}")
        if entry and entry[0] and (scope, int(entry[0]["epoch"])) in ctx.keys:
            listing = (scope, entry[0])
            break
    if listing is None:
        raise sync_rows.MissingReference("blobs", sha)
    scope, info = listing
    conn.execute("SAVEPOINT fetch_blob")
    try:
        stored = blobs.put_stream(conn, _ChunkStream(ctx, scope, info["chunks"]))
        if stored.sha256 != sha:  # the chunks verified one by one, yet the whole is not what was named
            raise sync_rows.MissingReference("blobs", sha)
    except BaseException:
        conn.execute("ROLLBACK TO fetch_blob")  # no half-stored bytes left behind
        conn.execute("RELEASE fetch_blob")
        raise
    conn.execute("RELEASE fetch_blob")


class _ChunkStream:
    """The document's bytes as a stream, one server chunk at a time, each checked against the
    SHA-256 its record names: a large document never sits whole in memory (chunks are fetched
    a few at a time, to save round trips)."""

    AHEAD = 8

    def __init__(self, ctx: _Context, scope: str, chunks: list[list[str]]) -> None:
        self._ctx, self._scope, self._chunks = ctx, scope, list(chunks)
        self._fetched: dict[str, bytes] = {}

    def read(self, _n: int = -1) -> bytes:
        if not self._chunks:
            return b""
        cid, key_hex, plain_sha = self._chunks.pop(0)
        if cid not in self._fetched:
            wanted = [cid, *(c[0] for c in self._chunks[: self.AHEAD - 1])]
            self._fetched = server.get_chunks(self._ctx.pg, self._scope, wanted)
        sealed = self._fetched.pop(cid, None)
        if sealed is None:
            raise sync_rows.MissingReference("chunks", cid)
        plain = envelope.open_chunk(bytes.fromhex(key_hex), sealed)
        if hashlib.sha256(plain).hexdigest() != plain_sha:
            raise sync_rows.MissingReference("chunks", cid)
        return plain


def _reindex(conn: Connection, kind: str, row_id: int) -> None:
    if kind == "client":
        indexing.index_client(conn, row_id, records.load(conn, Client, row_id))
    elif kind == "matter":
        indexing.index_matter(conn, row_id, records.load(conn, Matter, row_id))
    elif kind == "document":
        indexing.index_document(conn, row_id, records.load(conn, DocumentMeta, row_id),
                                records.document_text(conn, row_id))
    elif kind == "letter":
        indexing.index_letter(conn, row_id, records.load(conn, SupportLetter, row_id))


def _apply_label(conn: Connection, matter_ref: str, label: dict[str, Any]) -> None:
    """On a volunteer's laptop: the matter (and its client) as a stub that letters can hang on."""
    client_ref = str(label.get("client_ref") or f"client-of-{matter_ref}")
    initials = str(label.get("client_initials") or client_ref)
    if records.id_for(conn, "clients", client_ref) is None:
        records.save_client(conn, Client(ref=client_ref, legal_name=initials, public_initials=initials))
    try:
        mtype = MatterType(str(label.get("matter_type")))
    except ValueError:
        mtype = MatterType.HC
    if records.id_for(conn, "matters", matter_ref) is None:
        records.save_matter(conn, Matter(ref=matter_ref, client_ref=client_ref, type=mtype,
                                         title=f"{matter_ref} ({initials})"))


__all__ = ["PullReport", "pull", "in_letters"]
