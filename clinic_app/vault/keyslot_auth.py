"""Authenticating the key-slot file with the data key it protects.

Anyone who can write the vault folder can rewrite keyslots.json, and sealing a key to a
slot needs only the slot's public half. So every field of the file is covered by an
HMAC-SHA256 keyed from the data key (HKDF, bound to the vault id). Only someone who
holds the data key can write a file that verifies, and the data key is only trusted
once it has opened the database (SQLCipher checks every page's HMAC with it): a key an
attacker sealed to the slots opens nothing, and a MAC made under it proves nothing.

During a rekey the file carries two MACs, one under the old key and one under the new,
so whichever key the database is under after a crash verifies the file, and the
pending key is proved by the key that opens the database (docs/keyslots.md).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import replace

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from clinic_app.vault.keyslots import SlotFile, canonical, key_id

_INFO = b"haven/keyslots-mac/v2\0"


def mac_key_for(purpose: bytes, data_key: bytes, vault_id: str) -> bytes:
    """A MAC key for one purpose (key slots, backup headers), derived from the data key and
    bound to the vault: only a holder of the data key can make or check such a MAC."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose + vault_id.encode()).derive(data_key)


def _mac_key(data_key: bytes, vault_id: str) -> bytes:
    return mac_key_for(_INFO, data_key, vault_id)


def _mac(slot_file: SlotFile, data_key: bytes) -> bytes:
    return hmac.new(_mac_key(data_key, slot_file.vault_id), canonical(slot_file), hashlib.sha256).digest()


def sign(slot_file: SlotFile, data_keys: list[bytes]) -> SlotFile:
    """The file with one MAC per data key in `data_keys` (one normally, two during a rekey)."""
    unsigned = replace(slot_file, macs=())
    return replace(slot_file, macs=tuple(sorted((key_id(k), _mac(unsigned, k)) for k in data_keys)))


def verify(slot_file: SlotFile, data_key: bytes) -> bool:
    """Whether the file carries a valid MAC under `data_key` (a version-1 file never does)."""
    expected = slot_file.mac_for(key_id(data_key))
    return expected is not None and hmac.compare_digest(expected, _mac(replace(slot_file, macs=()), data_key))
