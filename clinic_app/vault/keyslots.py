"""The key-slot file: the vault's data key, wrapped once per user and once for recovery.

Each slot holds an X25519 key pair. Its private half is encrypted with a key derived
from the slot's secret (a user's passphrase or the printed recovery key) by Argon2id;
the data key is sealed to its public half. So an admin can hand a *new* data key to
every remaining slot during a rekey without knowing anyone's passphrase, and a
passphrase change rewrites one slot and nothing else.

Sealing to a public key needs no secret, so on its own it would let anyone who can
write the folder add a slot or offer a key of their choosing. Version 2 of the file
therefore carries a MAC over every field, keyed from the data key itself
(`keyslot_auth.py`; the construction and what each field is bound by are in
docs/keyslots.md). This module is the format: strict parsing, canonical bytes,
sealing and unwrapping. The file holds no client data: login names, KDF
parameters, public keys and ciphertext.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from clinic_app.errors import VaultDamaged, WrongPassphrase
from clinic_app.fsutil import atomic_write_bytes
from clinic_app.i18n import _
from clinic_app.vault.errors import KeySlotsAltered
from clinic_app.vault.kdf import KdfParams, derive_key

FORMAT = "haven-keyslots"
VERSION = 2
LEGACY_VERSION = 1  # read once, upgraded at the first unlock (docs/keyslots.md)
RECOVERY = "recovery"
USER = "user"
MAX_FILE_BYTES = 1024 * 1024  # a vault with hundreds of users stays far below this
MAX_SLOTS = 1000


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object, size: int | None = None) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    raw = base64.b64decode(text.encode("ascii"), validate=True)
    if size is not None and len(raw) != size:
        raise ValueError("wrong length")
    return raw


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
    check: bytes = b""  # tells a wrong secret from an altered slot; empty in version-1 slots

    def aad(self, vault_id: str) -> bytes:
        return f"haven-slot\0{vault_id}\0{self.slot_id}\0{self.kind}\0{self.user or ''}".encode()


@dataclass(frozen=True)
class SlotFile:
    vault_id: str
    kdf_defaults: KdfParams
    slots: tuple[Slot, ...] = ()
    pending_key_id: str | None = None  # set while a rekey is under way
    generation: int = 0  # raised by every write; the database remembers the newest it saw
    key_changed_at: str | None = None  # when the data key last changed (UTC, ISO 8601)
    db_salt: bytes | None = None  # the database file's first 16 bytes: which file these keys open
    macs: tuple[tuple[str, bytes], ...] = ()  # (key id, MAC under that data key)
    version: int = VERSION  # the version read from disk; always written as VERSION

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

    def mac_for(self, kid: str) -> bytes | None:
        return next((mac for k, mac in self.macs if k == kid), None)


# --- sealing the data key to a slot's public key -------------------------------------


def _hkdf(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)


def _wrap_key(shared: bytes, eph_pub: bytes, slot_pub: bytes) -> bytes:
    return _hkdf(shared, b"haven/dek-wrap/v1\0" + eph_pub + slot_pub)


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
        key = AESGCM(_wrap_key(shared, sealed.ephemeral_public, slot_pub)).decrypt(
            sealed.nonce, sealed.ciphertext, aad
        )
    except InvalidTag as exc:
        raise KeySlotsAltered(_("a sealed data key does not open")) from exc
    if len(key) != 32 or key_id(key) != sealed.key_id:
        raise KeySlotsAltered(_("a sealed data key is not the key it claims to be"))
    return key


# --- creating and opening slots -----------------------------------------------------


def _secret_keys(kek: bytes) -> tuple[bytes, bytes]:
    """(key that wraps the private half, check value) from the Argon2id output (version 2)."""
    return _hkdf(kek, b"haven/slot-wrap/v2"), _hkdf(kek, b"haven/slot-check/v2")[:16]


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


def rewrap_secret(vault_id: str, slot: Slot, private: X25519PrivateKey, secret: str,
                  kdf: KdfParams | None = None) -> Slot:
    """Protect the slot's private key with a new secret (fresh salt, same key pair)."""
    params = kdf or slot.kdf
    salt = os.urandom(16)
    wrap, check = _secret_keys(derive_key(secret, salt, params))
    nonce = os.urandom(12)
    raw_private = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    slot = replace(slot, kdf=params)
    ct = AESGCM(wrap).encrypt(nonce, raw_private, slot.aad(vault_id))
    return replace(slot, salt=salt, private_nonce=nonce, private_ciphertext=ct, check=check)


def add_keys(vault_id: str, slot: Slot, data_keys: list[bytes]) -> Slot:
    have = {s.key_id for s in slot.sealed}
    extra = tuple(seal(slot.public_key, k, slot.aad(vault_id)) for k in data_keys if key_id(k) not in have)
    return replace(slot, sealed=slot.sealed + extra)


def keep_only_key(slot: Slot, kid: str) -> Slot:
    return replace(slot, sealed=tuple(s for s in slot.sealed if s.key_id == kid))


def open_private(vault_id: str, slot: Slot, secret: str, error: Exception | None = None) -> X25519PrivateKey:
    """Derive the slot key from `secret`; a wrong secret raises WrongPassphrase (or `error`).

    A version-2 slot also tells an altered slot from a wrong secret: when the check value
    matches, the secret is right, so a ciphertext that does not open was changed.
    """
    kek = derive_key(secret, slot.salt, slot.kdf)
    if slot.check:
        wrap, check = _secret_keys(kek)
        if not secrets.compare_digest(check, slot.check):
            raise (error or WrongPassphrase())
    else:
        wrap = kek
    try:
        raw = AESGCM(wrap).decrypt(slot.private_nonce, slot.private_ciphertext, slot.aad(vault_id))
    except InvalidTag:
        if slot.check:
            raise KeySlotsAltered(_("the key slot of {who} was changed").format(
                who=slot.user or _("the recovery key"))) from None
        raise (error or WrongPassphrase()) from None
    return X25519PrivateKey.from_private_bytes(raw)


def data_keys(vault_id: str, slot: Slot, private: X25519PrivateKey) -> dict[str, bytes]:
    """Every data key sealed to this slot, by key id (each checked against its id)."""
    return {s.key_id: unseal(private, s, slot.aad(vault_id)) for s in slot.sealed}


# --- the file -------------------------------------------------------------------------


def _slot_to_json(slot: Slot) -> dict[str, Any]:
    private: dict[str, Any] = {"nonce": _b64(slot.private_nonce), "ciphertext": _b64(slot.private_ciphertext)}
    if slot.check:
        private["check"] = _b64(slot.check)
    return {
        "id": slot.slot_id,
        "kind": slot.kind,
        "user": slot.user,
        "kdf": {**slot.kdf.to_dict(), "salt": _b64(slot.salt)},
        "public_key": _b64(slot.public_key),
        "private_key": private,
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


def _keys(data: object, required: set[str], optional: frozenset[str] | set[str] = frozenset()) -> dict[str, Any]:
    if not isinstance(data, dict) or not required <= set(data) or set(data) - required - optional:
        raise ValueError("unexpected fields")
    return data


def _text(value: object, limit: int = 200) -> str:
    if not isinstance(value, str) or not value or len(value) > limit:
        raise ValueError("text")
    return value


def _key_id_text(value: object) -> str:
    text = _text(value, 64)
    if any(c not in "0123456789abcdef" for c in text):
        raise ValueError("key id")
    return text


def _slot_from_json(data: object) -> Slot:
    doc = _keys(data, {"id", "kind", "user", "kdf", "public_key", "private_key", "data_keys"})
    kind = doc["kind"]
    if kind not in (USER, RECOVERY):
        raise ValueError("slot kind")
    user = doc["user"]
    if (kind == USER) != isinstance(user, str) or (user is not None and not _text(user)):
        raise ValueError("slot user")
    kdf = _keys(doc["kdf"], {"memory_kib", "iterations", "parallelism", "salt"}, {"algorithm"})
    private = _keys(doc["private_key"], {"nonce", "ciphertext"}, {"check"})
    sealed = doc["data_keys"]
    if not isinstance(sealed, list) or len(sealed) > 8:
        raise ValueError("data keys")
    return Slot(
        slot_id=_text(doc["id"], 64),
        kind=kind,
        user=user,
        kdf=KdfParams.from_dict({k: v for k, v in kdf.items() if k != "salt"}),
        salt=_unb64(kdf["salt"], 16),
        public_key=_unb64(doc["public_key"], 32),
        private_nonce=_unb64(private["nonce"], 12),
        private_ciphertext=_unb64(private["ciphertext"], 48),
        check=_unb64(private["check"], 16) if "check" in private else b"",
        sealed=tuple(_sealed_from_json(s) for s in sealed),
    )


def _sealed_from_json(data: object) -> SealedKey:
    doc = _keys(data, {"key_id", "ephemeral_public", "nonce", "ciphertext"})
    return SealedKey(_key_id_text(doc["key_id"]), _unb64(doc["ephemeral_public"], 32), _unb64(doc["nonce"], 12),
                     _unb64(doc["ciphertext"], 48))


def _document(slot_file: SlotFile) -> dict[str, Any]:
    """The version-2 document without its MACs: exactly what the MACs cover."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "vault_id": slot_file.vault_id,
        "generation": slot_file.generation,
        "kdf_defaults": slot_file.kdf_defaults.to_dict(),
        "pending_key_id": slot_file.pending_key_id,
        "key_changed_at": slot_file.key_changed_at,
        "db_salt": _b64(slot_file.db_salt) if slot_file.db_salt is not None else None,
        "slots": [_slot_to_json(s) for s in slot_file.slots],
    }


def canonical(slot_file: SlotFile) -> bytes:
    """The bytes the MACs are computed over: sorted keys, no spaces, ASCII only."""
    return json.dumps(_document(slot_file), sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def dumps(slot_file: SlotFile) -> bytes:
    if not slot_file.macs:
        raise ValueError("a key-slot file is never written without its MAC")
    doc = {**_document(slot_file), "macs": {kid: _b64(mac) for kid, mac in slot_file.macs}}
    return (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _v in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("a field appears twice")
    return dict(pairs)


def _parse(raw: bytes) -> SlotFile:
    if len(raw) > MAX_FILE_BYTES:
        raise ValueError("too large")
    doc = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicates)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValueError("format")
    version = doc.get("version")
    if version == LEGACY_VERSION:
        doc = _keys(doc, {"format", "version", "vault_id", "kdf_defaults", "slots"}, {"pending_key_id"})
    elif version == VERSION:
        doc = _keys(doc, {"format", "version", "vault_id", "generation", "kdf_defaults", "pending_key_id",
                          "key_changed_at", "db_salt", "slots", "macs"})
    else:
        raise ValueError("version")
    slots = doc["slots"]
    if not isinstance(slots, list) or len(slots) > MAX_SLOTS:
        raise ValueError("slots")
    pending = doc.get("pending_key_id")
    generation = doc.get("generation", 0)
    if type(generation) is not int or generation < 0:  # noqa: E721 - a bool is not a generation
        raise ValueError("generation")
    macs = doc.get("macs", {})
    if not isinstance(macs, dict) or len(macs) > 2:
        raise ValueError("macs")
    changed = doc.get("key_changed_at")
    return SlotFile(
        vault_id=_text(doc["vault_id"], 64),
        kdf_defaults=KdfParams.from_dict(doc["kdf_defaults"]),
        slots=tuple(_slot_from_json(s) for s in slots),
        pending_key_id=_key_id_text(pending) if pending is not None else None,
        generation=generation,
        key_changed_at=_text(changed, 40) if changed is not None else None,
        db_salt=_unb64(doc["db_salt"], 16) if doc.get("db_salt") is not None else None,
        macs=tuple((_key_id_text(k), _unb64(v, 32)) for k, v in sorted(macs.items())),
        version=version,
    )


def loads(raw: bytes) -> SlotFile:
    """Parse strictly: unknown, missing, repeated or mistyped fields are refused, as is
    anything deeper or larger than Haven ever writes, before any key derivation runs."""
    try:
        return _parse(raw)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError, VaultDamaged) as exc:
        raise KeySlotsAltered(_("it is not a key-slot file Haven wrote")) from exc


def read(path: Path) -> SlotFile:
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError as exc:
        raise VaultDamaged("key-slot file missing") from exc
    return loads(raw)


def write(path: Path, slot_file: SlotFile) -> None:
    atomic_write_bytes(path, dumps(slot_file))
