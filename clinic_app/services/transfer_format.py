"""The case-file container: a passphrase-sealed, streamed, authenticated byte stream.

    "HAVNCASE" | header length (u32, big-endian) | header (UTF-8 JSON: format,
    version, Argon2id parameters and salt, chunk size)
    then chunks: length (u32; the top bit marks the last chunk) | AES-256-GCM ciphertext

The key is HKDF-SHA256 over Argon2id(passphrase, salt); every chunk's nonce is
its counter (11 bytes) plus a last-chunk flag byte, and its associated data is
the SHA-256 of everything before the first chunk. So a changed header, a
reordered, dropped, altered or truncated chunk, or bytes after the last one all
fail authentication, and no byte is handed out before its chunk verified. The
plaintext is streamed: a 500 MB document never sits whole in memory.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from clinic_app.errors import VaultDamaged
from clinic_app.vault.errors import TransferInvalid, TransferTooNew, WrongTransferPassphrase
from clinic_app.vault.kdf import KdfParams, derive_key, for_sealing

MAGIC = b"HAVNCASE"
FORMAT = "haven-case-container"
VERSION = 1
CHUNK = 1024 * 1024
LAST = 0x8000_0000
TAG = 16
MAX_HEADER = 64 * 1024


def _file_key(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    stretched = derive_key(passphrase, salt, params)
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"haven/case-transfer/v1").derive(stretched)


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class SealedWriter:
    """Encrypts everything written to it into `out`; call close() to seal the end."""

    def __init__(self, out: BinaryIO, passphrase: str, params: KdfParams) -> None:
        params = for_sealing(params)  # never weaker than the floor, whatever the vault's defaults say
        salt = os.urandom(16)
        header = json.dumps({"format": FORMAT, "version": VERSION, "chunk_size": CHUNK,
                             "kdf": {**params.to_dict(), "salt": base64.b64encode(salt).decode("ascii")}},
                            sort_keys=True).encode("utf-8")
        prefix = MAGIC + struct.pack(">I", len(header)) + header
        out.write(prefix)
        self._out = out
        self._aead = AESGCM(_file_key(passphrase, salt, params))
        self._aad = hashlib.sha256(prefix).digest()
        self._buffer = bytearray()
        self._counter = 0
        self.plain_bytes = 0

    def write(self, data: bytes) -> None:
        self._buffer += data
        self.plain_bytes += len(data)
        while len(self._buffer) > CHUNK:  # keep the tail so the last chunk can carry the flag
            self._emit(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]

    def _emit(self, data: bytes, *, last: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._counter, last), data, self._aad)
        self._out.write(struct.pack(">I", len(sealed) | (LAST if last else 0)) + sealed)
        self._counter += 1

    def close(self) -> None:
        self._emit(bytes(self._buffer), last=True)
        self._buffer.clear()


class SealedReader:
    """Decrypts a sealed stream; read() returns only authenticated bytes."""

    def __init__(self, source: BinaryIO, passphrase: str, name: str) -> None:
        self._in, self._name = source, name
        magic = source.read(len(MAGIC))
        length = source.read(4)
        if magic != MAGIC or len(length) != 4:
            raise TransferInvalid(name, "not a case file")
        (size,) = struct.unpack(">I", length)
        header = source.read(size) if size <= MAX_HEADER else b""
        if len(header) != size or not header:
            raise TransferInvalid(name, "header")
        try:
            doc = json.loads(header.decode("utf-8"))
            found = doc.get("version") if isinstance(doc, dict) and doc.get("format") == FORMAT else None
            if type(found) is int and found > VERSION:  # a newer Haven's container: not a damaged one
                raise TransferTooNew(name, found)
            if doc.get("format") != FORMAT or int(doc.get("version", 0)) != VERSION:
                raise ValueError("format")
            kdf = dict(doc["kdf"])
            salt = base64.b64decode(kdf.pop("salt"), validate=True)
            params = KdfParams.from_dict(kdf)  # bounded memory and passes: a header cannot ask for 100 GB
        except (ValueError, KeyError, TypeError, UnicodeDecodeError, VaultDamaged) as exc:
            raise TransferInvalid(name, "header") from exc
        self._aead = AESGCM(_file_key(passphrase, salt, params))
        self._aad = hashlib.sha256(magic + length + header).digest()
        self._pending = bytearray()
        self._counter = 0
        self._ended = False

    @property
    def name(self) -> str:
        return self._name

    def _next_chunk(self) -> None:
        raw = self._in.read(4)
        if len(raw) != 4:
            raise TransferInvalid(self._name, "truncated")
        (word,) = struct.unpack(">I", raw)
        last, size = bool(word & LAST), word & ~LAST
        if size < TAG or size > CHUNK + TAG:
            raise TransferInvalid(self._name, "chunk size")
        sealed = self._in.read(size)
        if len(sealed) != size:
            raise TransferInvalid(self._name, "truncated")
        try:
            plain = self._aead.decrypt(_nonce(self._counter, last), sealed, self._aad)
        except InvalidTag:
            if self._counter == 0:
                raise WrongTransferPassphrase() from None
            raise TransferInvalid(self._name, f"chunk {self._counter}") from None
        self._counter += 1
        if last:
            if self._in.read(1):
                raise TransferInvalid(self._name, "data after the end")
            self._ended = True
        self._pending += plain

    def read(self, n: int = -1) -> bytes:
        while (n < 0 or len(self._pending) < n) and not self._ended:
            self._next_chunk()
        if n < 0:
            n = len(self._pending)
        out = bytes(self._pending[:n])
        del self._pending[:n]
        return out

    def read_exact(self, n: int) -> bytes:
        data = self.read(n)
        if len(data) != n:
            raise TransferInvalid(self._name, "truncated")
        return data

    def finish(self) -> None:
        """Require that the whole stream was read and its last chunk verified."""
        if self.read(1) or not self._ended:
            raise TransferInvalid(self._name, "unexpected data")


class LimitedReader:
    """Exactly `size` bytes of a SealedReader, as a file object for blob storage."""

    def __init__(self, source: SealedReader, size: int) -> None:
        self._source, self._left = source, size

    def read(self, n: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        want = self._left if n < 0 else min(n, self._left)
        data = self._source.read_exact(want)
        self._left -= len(data)
        return data

    def drain(self) -> None:
        while self.read(CHUNK):
            pass
