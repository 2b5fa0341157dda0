"""The key-slot file: the vault's data key, wrapped once per user and once for recovery.

Each slot holds an X25519 key pair. Its private half is encrypted with a key derived
from the slot's secret (a user's passphrase or the printed recovery key) by Argon2id;
the data key is sealed to its public half. So an admin can hand a *new* data key to
every remaining slot during a rekey without knowing anyone's passphrase, and a
passphrase change rewrites one slot and nothing else.

The file holds no client data: user login names, KDF parameters and ciphertext.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from clinic_app.errors import VaultDamaged, WrongPassphrase
from clinic_app.fsutil import atomic_write_bytes
from clinic_app.vault.kdf import KdfParams, derive_key

FORMAT = "haven-keyslots"
VERSION = 1
RECOVERY = "recovery"
USER = "user"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _raw_public(key: X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(data_key: bytes) -> str:
    """A short, non-secret name for a data key, so slots can carry two during a rekey."""
    return hashlib.sha256(b"haven-key-id\0" + data_key).hexdigest()[:16]


@dataclass(frozen=True)
class SealedKey:
    key_id: str
    ephemeral_public: bytes
    nonce: bytes
    ciphertext: bytes


@dataclass(frozen=True)
class Slot:
    slot_id: str
    kind: str  # USER or RECOVERY
    user: str | None
    kdf: KdfParams
    salt: bytes
    public_key: bytes
    private_nonce: bytes
    private_ciphertext: bytes
    sealed: tuple[SealedKey, ...] = ()

    def aad(self, vault_id: str) -> bytes:
        return f"haven-slot\0{vault_id}\0{self.slot_id}\0{self.kind}\0{self.user or ''}".encode()


@dataclass(frozen=True)
class SlotFile:
    vault_id: str
    kdf_defaults: KdfParams
    slots: tuple[Slot, ...] = ()
    pending_key_id: str | None = None  # set while a rekey is under way
    extra: dict[str, Any] = field(default_factory=dict)

    def user_slot(self, user: str) -> Slot | None:
        return next((s for s in self.slots if s.kind == USER and s.user == user), None)

    def recovery_slot(self) -> Slot | None:
        return next((s for s in self.slots if s.kind == RECOVERY), None)

    def users(self) -> list[str]:
        return [s.user for s in self.slots if s.kind == USER and s.user]

    def with_slot(self, slot: Slot) -> SlotFile:
        others = tuple(s for s in self.slots if s.slot_id != slot.slot_id)
        return replace(self, slots=others + (slot,))

    def without_user(self, user: str) -> SlotFile:
        return replace(self, slots=tuple(s for s in self.slots if not (s.kind == USER and s.user == user)))


# --- sealing the data key to a slot's public key -------------------------------------


def _wrap_key(shared: bytes, eph_pub: bytes, slot_pub: bytes) -> bytes:
    info = b"haven/dek-wrap/v1\0" + eph_pub + slot_pub
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(shared)


def seal(slot_public: bytes, data_key: bytes, aad: bytes) -> SealedKey:
    eph = X25519PrivateKey.generate()
    eph_pub = _raw_public(eph.public_key())
    shared = eph.exchange(X25519PublicKey.from_public_bytes(slot_public))
    nonce = os.urandom(12)
    ct = AESGCM(_wrap_key(shared, eph_pub, slot_public)).encrypt(nonce, data_key, aad)
    return SealedKey(key_id(data_key), eph_pub, nonce, ct)


def unseal(private: X25519PrivateKey, sealed: SealedKey, aad: bytes) -> bytes:
    shared = private.exchange(X25519PublicKey.from_public_bytes(sealed.ephemeral_public))
    slot_pub = _raw_public(private.public_key())
    try:
        return AESGCM(_wrap_key(shared, sealed.ephemeral_public, slot_pub)).decrypt(
            sealed.nonce, sealed.ciphertext, aad
        )
    except InvalidTag as exc:
        raise VaultDamaged("key slot") from exc


# --- creating and opening slots -----------------------------------------------------


def new_slot(
    vault_id: str, kind: str, user: str | None, secret: str, kdf: KdfParams, data_keys: list[bytes]
) -> Slot:
    """A fresh slot whose secret is `secret`, holding every key in `data_keys`."""
    private = X25519PrivateKey.generate()
    slot = Slot(
        slot_id=secrets.token_hex(8),
        kind=kind,
        user=user,
        kdf=kdf,
        salt=b"",
        public_key=_raw_public(private.public_key()),
        private_nonce=b"",
        private_ciphertext=b"",
    )
    slot = rewrap_secret(vault_id, slot, private, secret)
    return add_keys(vault_id, slot, data_keys)


def rewrap_secret(vault_id: str, slot: Slot, private: X25519PrivateKey, secret: str) -> Slot:
    """Protect the slot's private key with a new secret (fresh salt, same key pair)."""
    salt = os.urandom(16)
    kek = derive_key(secret, salt, slot.kdf)
    nonce = os.urandom(12)
    raw_private = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    ct = AESGCM(kek).encrypt(nonce, raw_private, slot.aad(vault_id))
    return replace(slot, salt=salt, private_nonce=nonce, private_ciphertext=ct)


def add_keys(vault_id: str, slot: Slot, data_keys: list[bytes]) -> Slot:
    have = {s.key_id for s in slot.sealed}
    extra = tuple(seal(slot.public_key, k, slot.aad(vault_id)) for k in data_keys if key_id(k) not in have)
    return replace(slot, sealed=slot.sealed + extra)


def keep_only_key(slot: Slot, kid: str) -> Slot:
    return replace(slot, sealed=tuple(s for s in slot.sealed if s.key_id == kid))


def open_private(vault_id: str, slot: Slot, secret: str, error: Exception | None = None) -> X25519PrivateKey:
    """Derive the slot key from `secret`; a wrong secret raises WrongPassphrase (or `error`)."""
    kek = derive_key(secret, slot.salt, slot.kdf)
    try:
        raw = AESGCM(kek).decrypt(slot.private_nonce, slot.private_ciphertext, slot.aad(vault_id))
    except InvalidTag:
        raise (error or WrongPassphrase()) from None
    return X25519PrivateKey.from_private_bytes(raw)


def data_keys(vault_id: str, slot: Slot, private: X25519PrivateKey) -> dict[str, bytes]:
    return {s.key_id: unseal(private, s, slot.aad(vault_id)) for s in slot.sealed}


# --- the file -------------------------------------------------------------------------


def _slot_to_json(slot: Slot) -> dict[str, Any]:
    return {
        "id": slot.slot_id,
        "kind": slot.kind,
        "user": slot.user,
        "kdf": {**slot.kdf.to_dict(), "salt": _b64(slot.salt)},
        "public_key": _b64(slot.public_key),
        "private_key": {"nonce": _b64(slot.private_nonce), "ciphertext": _b64(slot.private_ciphertext)},
        "data_keys": [
            {
                "key_id": s.key_id,
                "ephemeral_public": _b64(s.ephemeral_public),
                "nonce": _b64(s.nonce),
                "ciphertext": _b64(s.ciphertext),
            }
            for s in slot.sealed
        ],
    }


def _slot_from_json(data: dict[str, Any]) -> Slot:
    kdf = dict(data["kdf"])
    return Slot(
        slot_id=str(data["id"]),
        kind=str(data["kind"]),
        user=data.get("user"),
        kdf=KdfParams.from_dict(kdf),
        salt=_unb64(kdf["salt"]),
        public_key=_unb64(data["public_key"]),
        private_nonce=_unb64(data["private_key"]["nonce"]),
        private_ciphertext=_unb64(data["private_key"]["ciphertext"]),
        sealed=tuple(
            SealedKey(
                str(s["key_id"]), _unb64(s["ephemeral_public"]), _unb64(s["nonce"]), _unb64(s["ciphertext"])
            )
            for s in data["data_keys"]
        ),
    )


def dumps(slot_file: SlotFile) -> bytes:
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "vault_id": slot_file.vault_id,
        "kdf_defaults": slot_file.kdf_defaults.to_dict(),
        "pending_key_id": slot_file.pending_key_id,
        "slots": [_slot_to_json(s) for s in slot_file.slots],
    }
    return (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode("utf-8")


def loads(raw: bytes) -> SlotFile:
    try:
        doc = json.loads(raw.decode("utf-8"))
        if doc.get("format") != FORMAT or int(doc.get("version", 0)) != VERSION:
            raise ValueError("format")
        return SlotFile(
            vault_id=str(doc["vault_id"]),
            kdf_defaults=KdfParams.from_dict(doc["kdf_defaults"]),
            slots=tuple(_slot_from_json(s) for s in doc["slots"]),
            pending_key_id=doc.get("pending_key_id"),
        )
    except VaultDamaged:
        raise
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise VaultDamaged("key-slot file") from exc


def read(path: Path) -> SlotFile:
    try:
        return loads(path.read_bytes())
    except FileNotFoundError as exc:
        raise VaultDamaged("key-slot file missing") from exc


def write(path: Path, slot_file: SlotFile) -> None:
    atomic_write_bytes(path, dumps(slot_file))
