"""Keys, encryption and signatures of everything a laptop puts on the clinic's server.

- **Scope keys**: each scope ("all": every record; "letters": support letters and their
  documents) has a random key per epoch, and one record-id key for its whole life.
  Sub-keys come from HKDF with a label per use.
- **Records**: the record (fields with clock stamps) is signed by its author's Ed25519
  key, then sealed with AES-256-GCM under the scope's epoch key; the associated data binds
  the clinic, scope, record id and epoch, so a row moved elsewhere fails to open.
- **Record ids** are HMACs of "kind:ref" under the scope's id key: the server never sees refs.
- **Document chunks**: convergent encryption keyed by a clinic secret. A chunk's id and key
  are HMACs of its content under the epoch's chunk key, so the same file imported on two
  laptops is stored once, yet the server (without the key) cannot test for a known file.
  Chunks are padded to a few fixed sizes so their length says little.
- **Sealing** a scope key to a member: ephemeral X25519, HKDF, AES-GCM, bound to a label.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import struct
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


SCOPES = ("all", "letters")
CHUNK_BUCKETS = (*(4096 << i for i in range(8)), (1 << 20) + 4096)  # 4 KiB .. 512 KiB, then 1 MiB + 4 KiB
MAX_CHUNK = 1 << 20  # the vault's own chunk size (vault/blobs.py): one stored chunk, one server chunk


class EnvelopeError(Exception):
    """A row from the server does not open, or its signature does not verify."""


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _sub(key: bytes, label: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"haven/sync/" + label.encode()).derive(key)


def raw_public(key: Ed25519PublicKey | Any) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def raw_private(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())


@dataclass(frozen=True)
class Identity:
    """A laptop's own keys: Ed25519 to sign, X25519 to receive scope keys."""

    device_id: str
    sign: Ed25519PrivateKey
    kx: X25519PrivateKey

    @classmethod
    def generate(cls, device_id: str) -> Identity:
        return cls(device_id, Ed25519PrivateKey.generate(), X25519PrivateKey.generate())

    @property
    def sign_pub(self) -> bytes:
        return raw_public(self.sign.public_key())

    @property
    def kx_pub(self) -> bytes:
        return raw_public(self.kx.public_key())


def verify_signature(public: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


# --- scope keys ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScopeKey:
    scope: str
    epoch: int
    key: bytes  # the epoch key
    id_key: bytes  # the scope's record-id key (the same in every epoch)

    def record_id(self, kind: str, ref: str) -> str:
        return hmac.new(_sub(self.id_key, "record-id"), f"{kind}:{ref}".encode(), hashlib.sha256).hexdigest()[:40]


def _aad(clinic_id: str, scope: str, row_id: str, epoch: int, what: str) -> bytes:
    return f"haven-{what}\0{clinic_id}\0{scope}\0{row_id}\0{epoch}".encode()


def _signed_message(what: str, scope: str, row_id: str, epoch: int, body: bytes) -> bytes:
    return f"haven-{what}-signature\0{scope}\0{row_id}\0{epoch}\0".encode() + hashlib.sha256(body).digest()


def seal_row(clinic_id: str, key: ScopeKey, row_id: str, content: dict[str, Any], author: Identity,
             what: str = "record") -> bytes:
    """Sign `content` as `author`, then encrypt it for everyone holding the scope key."""
    body = canonical(content)
    signature = author.sign.sign(_signed_message(what, key.scope, row_id, key.epoch, body))
    inner = canonical({"author": author.device_id, "body": body.decode("utf-8"), "signature": signature.hex()})
    nonce = os.urandom(12)
    aead = AESGCM(_sub(key.key, what))
    return nonce + aead.encrypt(nonce, inner, _aad(clinic_id, key.scope, row_id, key.epoch, what))


def open_row(clinic_id: str, key: ScopeKey, row_id: str, sealed: bytes, what: str = "record"
             ) -> tuple[str, dict[str, Any], bytes]:
    """(author device id, content, signature) of a sealed row; the caller checks the signature
    against the author's key as of the membership log (`verify_row`)."""
    try:
        inner = AESGCM(_sub(key.key, what)).decrypt(sealed[:12], sealed[12:],
                                                   _aad(clinic_id, key.scope, row_id, key.epoch, what))
        doc = json.loads(inner)
        return str(doc["author"]), json.loads(doc["body"]), bytes.fromhex(doc["signature"])
    except (InvalidTag, ValueError, KeyError, TypeError) as exc:
        raise EnvelopeError("a row does not open with the scope key") from exc


def verify_row(key: ScopeKey, row_id: str, content: dict[str, Any], signature: bytes, author_sign_pub: bytes,
               what: str = "record") -> bool:
    return verify_signature(author_sign_pub, signature,
                            _signed_message(what, key.scope, row_id, key.epoch, canonical(content)))


# --- document chunks -----------------------------------------------------------------------------


def _bucket(size: int) -> int:
    return next(b for b in CHUNK_BUCKETS if b >= size + 4)


def chunk_id_and_key(key: ScopeKey, plain: bytes) -> tuple[str, bytes]:
    dedup = _sub(key.key, "chunk")
    return (hmac.new(dedup, b"id\0" + plain, hashlib.sha256).hexdigest()[:48],
            hmac.new(dedup, b"key\0" + plain, hashlib.sha256).digest())


def seal_chunk(chunk_key: bytes, plain: bytes) -> bytes:
    """Deterministic (one key per content): the same chunk seals to the same bytes everywhere."""
    if len(plain) > MAX_CHUNK:
        raise ValueError("chunk too large")
    padded = struct.pack(">I", len(plain)) + plain
    padded += b"\0" * (_bucket(len(plain)) - len(padded))
    return AESGCM(chunk_key).encrypt(b"\0" * 12, padded, b"haven-chunk")


def open_chunk(chunk_key: bytes, sealed: bytes) -> bytes:
    try:
        padded = AESGCM(chunk_key).decrypt(b"\0" * 12, sealed, b"haven-chunk")
    except InvalidTag as exc:
        raise EnvelopeError("a document chunk does not open") from exc
    (size,) = struct.unpack(">I", padded[:4])
    return padded[4:4 + size]


# --- sealing keys to members ---------------------------------------------------------------------


def grant_label(clinic_id: str, device_id: str, scope: str, epoch: int) -> str:
    """What a scope-key grant is bound to: a grant copied to another laptop, scope or epoch fails."""
    return f"haven-grant\0{clinic_id}\0{device_id}\0{scope}\0{epoch}"


def seal_to(kx_pub: bytes, secret: bytes, label: str) -> bytes:
    """Encrypt `secret` to one member's X25519 public key (ephemeral ECDH, HKDF, AES-GCM),
    bound to `label` (clinic, device, scope, epoch): a grant moved elsewhere fails to open."""
    eph = X25519PrivateKey.generate()
    eph_pub = raw_public(eph.public_key())
    shared = eph.exchange(X25519PublicKey.from_public_bytes(kx_pub))
    wrap = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"haven/sync/grant\0" + eph_pub + kx_pub).derive(shared)
    nonce = os.urandom(12)
    return eph_pub + nonce + AESGCM(wrap).encrypt(nonce, secret, label.encode())


def unseal_from(identity: Identity, sealed: bytes, label: str) -> bytes:
    try:
        eph_pub, nonce, body = sealed[:32], sealed[32:44], sealed[44:]
        shared = identity.kx.exchange(X25519PublicKey.from_public_bytes(eph_pub))
        wrap = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                    info=b"haven/sync/grant\0" + eph_pub + identity.kx_pub).derive(shared)
        return AESGCM(wrap).decrypt(nonce, body, label.encode())
    except (InvalidTag, ValueError) as exc:
        raise EnvelopeError("a key grant does not open") from exc
