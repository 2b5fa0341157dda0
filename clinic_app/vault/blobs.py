"""Document bytes inside the encrypted database, content-addressed by SHA-256.

Bytes are written and read in 1 MiB chunks, so a 200 MB file never sits whole in
memory, and stored once however many documents or matters link to them. Writing
is one pass: chunks go in under a provisional name, and if the finished hash is
already stored the new copy is dropped inside the same transaction.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import itertools
import json
import secrets
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from clinic_app.errors import NotFound, VaultDamaged
from clinic_app.domain.progress import CancelToken
from clinic_app.vault.audit import now_utc
from clinic_app.vault.bundle_service import SERVED_CONTENT_SQL
from clinic_app.vault.connection import Connection, DatabaseError

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class StoredBlob:
    blob_id: int
    sha256: str
    size: int
    already_stored: bool


def put_stream(conn: Connection, stream: BinaryIO, *, cancel: CancelToken | None = None) -> StoredBlob:
    """Store everything `stream` yields; call inside a transaction."""
    provisional = "pending-" + secrets.token_hex(16)
    cur = conn.execute(
        "INSERT INTO blobs (sha256, size, chunks, created_at) VALUES (?, 0, 0, ?)", (provisional, now_utc())
    )
    blob_id = int(cur.lastrowid)
    digest, size, seq = hashlib.sha256(), 0, 0
    while True:
        if cancel is not None:
            cancel.raise_if_cancelled()
        chunk = stream.read(CHUNK)
        if not chunk:
            break
        digest.update(chunk)
        size += len(chunk)
        conn.execute("INSERT INTO blob_chunks (blob_id, seq, data, digest) VALUES (?, ?, ?, ?)",
                     (blob_id, seq, chunk, hashlib.sha256(chunk).digest()))
        seq += 1
    sha = digest.hexdigest()
    existing = conn.execute("SELECT id, size FROM blobs WHERE sha256 = ?", (sha,)).fetchone()
    if existing:
        conn.execute("DELETE FROM blobs WHERE id = ?", (blob_id,))
        return StoredBlob(int(existing[0]), sha, int(existing[1]), True)
    conn.execute("UPDATE blobs SET sha256 = ?, size = ?, chunks = ? WHERE id = ?", (sha, size, seq, blob_id))
    return StoredBlob(blob_id, sha, size, False)


def put_bytes(conn: Connection, data: bytes) -> StoredBlob:
    return put_stream(conn, io.BytesIO(data))


def find(conn: Connection, sha256: str) -> int | None:
    row = conn.execute("SELECT id FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
    return int(row[0]) if row else None


def info(conn: Connection, blob_id: int) -> tuple[str, int]:
    row = conn.execute("SELECT sha256, size FROM blobs WHERE id = ?", (blob_id,)).fetchone()
    if row is None:
        raise NotFound(f"blob {blob_id}")
    return str(row[0]), int(row[1])


def iter_chunks(conn: Connection, blob_id: int) -> Iterator[bytes]:
    """Yield the stored bytes chunk by chunk, checking the count against the record."""
    row = conn.execute("SELECT chunks FROM blobs WHERE id = ?", (blob_id,)).fetchone()
    if row is None:
        raise NotFound(f"blob {blob_id}")
    for seq in range(int(row[0])):
        yield _checked_chunk(conn, blob_id, seq)


def _checked_chunk(conn: Connection, blob_id: int, seq: int) -> bytes:
    """One chunk, refused as damage when it is missing or its digest does not match."""
    row = conn.execute(
        "SELECT data, digest FROM blob_chunks WHERE blob_id = ? AND seq = ?", (blob_id, seq)
    ).fetchone()
    if row is None:
        raise VaultDamaged(f"document bytes missing (chunk {seq})")
    data = bytes(row[0])
    if row[1] is not None and hashlib.sha256(data).digest() != bytes(row[1]):
        raise VaultDamaged(f"document bytes changed (chunk {seq})")
    return data


def read_all(conn: Connection, blob_id: int) -> bytes:
    """The whole blob, checked against its SHA-256 (which also covers undigested old chunks)."""
    rows = conn.execute("SELECT data FROM blob_chunks WHERE blob_id = ? ORDER BY seq", (blob_id,)).fetchall()
    expected = conn.execute("SELECT chunks, sha256 FROM blobs WHERE id = ?", (blob_id,)).fetchone()
    if expected is None:
        raise NotFound(f"blob {blob_id}")
    data = b"".join(r[0] for r in rows)
    if len(rows) != int(expected[0]) or hashlib.sha256(data).hexdigest() != expected[1]:
        raise VaultDamaged("document bytes changed or missing")
    return data


_MANY = (
    "SELECT b.id, b.chunks, b.sha256, c.seq, c.data FROM json_each(?) AS j "
    "CROSS JOIN blobs AS b ON b.id = j.value CROSS JOIN blob_chunks AS c ON c.blob_id = b.id"
)


def read_many(conn: Connection, blob_ids: Iterable[int]) -> Generator[tuple[int, bytes | Exception], None, None]:
    """Each distinct blob of `blob_ids`, in that order, whole and checked as `read_all` checks it.

    One statement streams every chunk (CROSS JOIN keeps the list's order). Reading blob
    by blob costs two statements per blob, and each step hands the GIL back and forth:
    on a reader thread beside the bundle engine that slowed the engine by 10-15%, and
    the reading itself by a third. A blob that fails is yielded with its error and the
    rest still follow;
    should rows ever come in another order, the rest are read one by one.
    """
    order = list(dict.fromkeys(blob_ids))
    done = 0
    rows = None
    try:
        rows = conn.execute(_MANY, (json.dumps(order),))
        for blob_id, group in itertools.groupby(rows, key=lambda row: row[0]):
            while done < len(order) and order[done] != blob_id:  # no chunk rows at all
                yield order[done], read_or_error(conn, order[done])
                done += 1
            if done == len(order):
                break
            yield blob_id, _assembled(group)
            done += 1
    except DatabaseError as exc:  # the statement failed part-way: this blob has the error
        if done < len(order):
            yield order[done], exc
            done += 1
    finally:
        if rows is not None:
            with contextlib.suppress(DatabaseError):  # the caller may have closed the connection first
                rows.close()
    for blob_id in order[done:]:
        yield blob_id, read_or_error(conn, blob_id)


def _assembled(rows: Iterable[tuple[int, int, str, int, bytes]]) -> bytes | Exception:
    """One blob's chunk rows joined, or VaultDamaged when any is missing or changed."""
    chunks: list[tuple[int, bytes]] = []
    expected_count, expected_sha = 0, ""
    for _blob_id, count, sha, seq, data in rows:
        expected_count, expected_sha = int(count), str(sha)
        chunks.append((int(seq), data))
    chunks.sort(key=lambda chunk: chunk[0])
    data = b"".join(chunk for _seq, chunk in chunks)
    if [seq for seq, _chunk in chunks] != list(range(expected_count)) or (
        hashlib.sha256(data).hexdigest() != expected_sha
    ):
        return VaultDamaged("document bytes changed or missing")
    return data


def read_or_error(conn: Connection, blob_id: int) -> bytes | Exception:
    """`read_all`, with any failure returned rather than raised, for a caller (a reader
    thread) that hands it on to whoever asked for the blob."""
    try:
        return read_all(conn, blob_id)
    except Exception as exc:  # any failure goes to whoever asked, not up the reader thread
        return exc


def verify(conn: Connection, blob_id: int) -> bool:
    """Re-hash the stored bytes: True when they still match their name."""
    sha, size = info(conn, blob_id)
    digest, total = hashlib.sha256(), 0
    for chunk in iter_chunks(conn, blob_id):
        digest.update(chunk)
        total += len(chunk)
    return digest.hexdigest() == sha and total == size


class BlobReader(io.RawIOBase):
    """A read-only, seekable file object over a stored blob (one chunk in memory)."""

    def __init__(self, conn: Connection, blob_id: int) -> None:
        self._conn = conn
        self._blob_id = blob_id
        _sha, self._size = info(conn, blob_id)
        self._pos = 0
        self._cached: tuple[int, bytes] | None = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def _chunk(self, seq: int) -> bytes:
        if self._cached is None or self._cached[0] != seq:
            self._cached = (seq, _checked_chunk(self._conn, self._blob_id, seq))
        return self._cached[1]

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        if self._pos >= self._size:
            return 0
        seq, offset = divmod(self._pos, CHUNK)
        data = self._chunk(seq)[offset : offset + len(buffer)]
        buffer[: len(data)] = data
        self._pos += len(data)
        return len(data)


def open_reader(conn: Connection, blob_id: int) -> BinaryIO:
    return io.BufferedReader(BlobReader(conn, blob_id), buffer_size=CHUNK)  # type: ignore[return-value]


def delete_unreferenced(conn: Connection) -> int:
    """Drop blobs no document points at and no served bundle froze (after a replacement or a
    deletion); returns how many. A served bundle keeps the bytes it was served with."""
    cur = conn.execute(
        "DELETE FROM blobs WHERE id NOT IN (SELECT blob_id FROM documents) "
        "AND id NOT IN (SELECT working_blob_id FROM documents WHERE working_blob_id IS NOT NULL) "
        f"AND sha256 NOT IN ({SERVED_CONTENT_SQL})"
    )
    return int(cur.rowcount)
