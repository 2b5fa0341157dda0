"""The backup file: one self-contained file per backup (format in docs/backups.md).

    [ SQLCipher database, exported under the vault's data key ]   db_len bytes
    [ header: UTF-8 JSON, including the key-slot file verbatim ]  header_len bytes
    [ footer, 56 bytes: sha256(header) | db_len u64 | header_len u32 |
      version u16 | flags u16 | magic "HAVENBK1" ]

The header carries an HMAC-SHA256 (`mac`) keyed from the data key the database is
under (HKDF, bound to the vault id): anyone can write the backup folder and fix the
footer's checksum, so only a header whose MAC verifies may decide what rotation keeps
or deletes, which backup `check` recommends, or which date a restore names. Backups
written before the MAC existed have none: they read and restore, but never verify.

The database is written by `sqlcipher_export` straight into a temporary file in
the target folder (created 0600 first), the header and footer are appended, the
file is fsynced and renamed into place, then the folder is fsynced. A file is
therefore either absent or complete; a truncated one has no valid footer. The
header carries the SHA-256 of the database bytes, so damage is found without a
key; the page HMACs find tampering once the file is opened with a key.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import struct
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path

from clinic_app.errors import HavenError
from clinic_app.i18n import _
from clinic_app.fsutil import fsync_dir, named_temp, open_input, sweep_stale_temps
from clinic_app.vault.errors import BackupInvalid, storage_error
from clinic_app.vault.keyslot_auth import mac_key_for

MAGIC = b"HAVENBK1"
VERSION = 1
FORMAT = "haven-backup"
EXTENSION = ".havenbak"
FOOTER = struct.Struct(">32sQIHH8s")
MAX_HEADER = 16 * 1024 * 1024
COPY = 1024 * 1024
MAC_INFO = b"haven/backup-header-mac/v1\0"
_HEX = frozenset("0123456789abcdef")


class BadHeader(ValueError):
    """A header field that cannot be trusted to mean anything; str() is the reason shown."""


def parse_time(value: object) -> datetime:
    """An ISO 8601 time with a time zone, or BadHeader.

    The header is written by anyone who can write the backup folder: a date that does
    not parse (or has no zone, so it cannot be compared) makes the file not a backup,
    rather than an exception in rotation, `check` or restore.
    """
    if isinstance(value, str) and len(value) <= 64:
        with contextlib.suppress(ValueError):
            when = datetime.fromisoformat(value)
            if when.tzinfo is not None and when.utcoffset() is not None:
                return when
    raise BadHeader(_("its date is not a time with a time zone"))


@dataclass(frozen=True)
class BackupHeader:
    vault_id: str
    created_at: str  # ISO 8601, UTC
    schema_version: int
    db_size: int
    db_sha256: str
    keyslots: bytes = field(repr=False)  # the vault's keyslots.json, byte for byte
    app_version: str = ""
    automatic: bool = False
    audit_head: int = 0  # seq of the newest audit row inside the backup
    mac: str = ""  # hex HMAC of `signed` under mac_key(data key); "" before header MACs existed
    signed: bytes = field(default=b"", repr=False, compare=False)  # the bytes `mac` covers

    @property
    def created(self) -> datetime:
        """`created_at` as a time (from_json has checked it parses, with a zone)."""
        return parse_time(self.created_at)

    def to_json(self, key: bytes | None = None) -> bytes:
        """The header's bytes; with `key` (see mac_key) they carry a MAC over every other field."""
        doc = asdict(self)
        del doc["mac"], doc["signed"]
        doc["keyslots"] = base64.b64encode(self.keyslots).decode("ascii")
        doc.update(format=FORMAT, version=VERSION)
        if key is not None:
            doc["mac"] = hmac.new(key, _signed_part(doc), hashlib.sha256).hexdigest()
        return json.dumps(doc, sort_keys=True).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> BackupHeader:
        doc = json.loads(raw.decode("utf-8"))
        if doc.get("format") != FORMAT or int(doc.get("version", 0)) != VERSION:
            raise ValueError("format")
        parse_time(doc.get("created_at"))
        mac = doc.get("mac")
        if not (isinstance(mac, str) and len(mac) == 64 and set(mac) <= _HEX):
            mac = ""  # absent (an older Haven) or not a MAC: the header is simply unverified
        return cls(
            vault_id=str(doc["vault_id"]), created_at=doc["created_at"],
            schema_version=int(doc["schema_version"]), db_size=int(doc["db_size"]),
            db_sha256=str(doc["db_sha256"]), keyslots=base64.b64decode(doc["keyslots"], validate=True),
            app_version=str(doc.get("app_version", "")), automatic=bool(doc.get("automatic", False)),
            audit_head=int(doc.get("audit_head", 0)),
            mac=mac, signed=_signed_part(doc) if mac else b"",
        )


def _signed_part(doc: dict[str, object]) -> bytes:
    """Every field but the MAC, canonical: a field added later is covered too."""
    return json.dumps({k: v for k, v in doc.items() if k != "mac"}, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def mac_key(data_key: bytes, vault_id: str) -> bytes:
    """The header MAC key: only a holder of the data key (an open vault) can make or check one."""
    return mac_key_for(MAC_INFO, data_key, vault_id)


def verify_header(header: BackupHeader, key: bytes) -> bool:
    """Whether `header` was written under `key` (mac_key of the vault's data key)."""
    if not header.mac:
        return False
    return hmac.compare_digest(header.mac, hmac.new(key, header.signed, hashlib.sha256).hexdigest())


def write(target: Path, export: Callable[[Path], bytes | None], header: BackupHeader,
          key: bytes | None = None) -> BackupHeader:
    """Export into a temp file beside `target`, append header and footer, fsync, rename.

    The temp file is `fsutil.named_temp`'s (SQLite needs a name): recorded until the
    rename, so a kill leaves it only until the next start of a Haven process.
    `header.db_size` and `header.db_sha256` are filled in here from the bytes on disk;
    `export` may return the key-slot file that belongs with the copy it wrote; `key`
    (mac_key of the data key the copy is under) signs the header.
    """
    target = Path(target)
    folder = target.parent
    sweep_stale_temps(folder)
    try:
        with named_temp(folder) as (tmp, fd):
            os.close(fd)
            slots = export(tmp)
            with open(tmp, "r+b") as fh:
                digest, size = hashlib.sha256(), 0
                while chunk := fh.read(COPY):
                    digest.update(chunk)
                    size += len(chunk)
                header = replace(header, db_size=size, db_sha256=digest.hexdigest(),
                                 keyslots=slots if isinstance(slots, bytes) else header.keyslots)
                raw = header.to_json(key)
                fh.write(raw)
                fh.write(FOOTER.pack(hashlib.sha256(raw).digest(), size, len(raw), VERSION, 0, MAGIC))
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        fsync_dir(folder)
    except HavenError:
        raise
    except BaseException as exc:
        mapped = storage_error(exc, str(folder))
        if mapped is not None:
            raise mapped from exc
        raise
    return BackupHeader.from_json(raw)


def read_header(path: Path) -> BackupHeader:
    """The header of a backup file; BackupInvalid when the file is not a whole backup."""
    path = Path(path)
    try:
        with open_input(path) as fh:
            end = fh.seek(0, os.SEEK_END)
            if end < FOOTER.size:
                raise BackupInvalid(path.name, "too short")
            fh.seek(end - FOOTER.size)
            sha, db_len, header_len, version, _flags, magic = FOOTER.unpack(fh.read(FOOTER.size))
            if magic != MAGIC or version != VERSION:
                raise BackupInvalid(path.name, "no backup footer")
            if header_len > MAX_HEADER or db_len + header_len + FOOTER.size != end:
                raise BackupInvalid(path.name, "sizes do not match")
            fh.seek(db_len)
            raw = fh.read(header_len)
    except OSError as exc:
        raise BackupInvalid(path.name, exc.strerror or "unreadable") from exc
    if hashlib.sha256(raw).digest() != sha:
        raise BackupInvalid(path.name, "header checksum")
    try:
        header = BackupHeader.from_json(raw)
    except BadHeader as exc:
        raise BackupInvalid(path.name, str(exc)) from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupInvalid(path.name, "header") from exc
    if header.db_size != db_len:
        raise BackupInvalid(path.name, "sizes do not match")
    return header


def _db_chunks(path: Path, size: int) -> Iterator[bytes]:
    with open_input(path) as fh:
        left = size
        while left > 0:
            chunk = fh.read(min(COPY, left))
            if not chunk:
                raise BackupInvalid(path.name, "truncated")
            left -= len(chunk)
            yield chunk


def verify_data(path: Path, header: BackupHeader) -> bool:
    """True when the database bytes still hash to what the header recorded (no key needed)."""
    digest = hashlib.sha256()
    for chunk in _db_chunks(Path(path), header.db_size):
        digest.update(chunk)
    return digest.hexdigest() == header.db_sha256


def extract(path: Path, header: BackupHeader, folder: Path, db_name: str, slots_name: str) -> None:
    """Write the database and the key-slot file into `folder`, hashing as it goes."""
    path, folder = Path(path), Path(folder)
    digest = hashlib.sha256()
    try:
        fd = os.open(folder / db_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as out:
            for chunk in _db_chunks(path, header.db_size):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != header.db_sha256:
            raise BackupInvalid(path.name, "database checksum")
        fd = os.open(folder / slots_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(header.keyslots)
            out.flush()
            os.fsync(out.fileno())
        fsync_dir(folder)
    except HavenError:
        raise
    except OSError as exc:
        mapped = storage_error(exc, str(folder))
        if mapped is not None:
            raise mapped from exc
        raise
