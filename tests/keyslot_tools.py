"""What an attacker with write access to a vault folder can do to keyslots.json with public code."""

from __future__ import annotations

from typing import Any

from clinic_app.vault import keyslots


def seal_to_every_slot(doc: dict[str, Any], key: bytes) -> None:
    """Seal `key` to each slot's public half (no secret needed) and mark it as the pending rekey."""
    for slot in doc["slots"]:
        aad = f"haven-slot\0{doc['vault_id']}\0{slot['id']}\0{slot['kind']}\0{slot['user'] or ''}".encode()
        sealed = keyslots.seal(keyslots._unb64(slot["public_key"]), key, aad)
        slot["data_keys"].append({"key_id": sealed.key_id, "ephemeral_public": keyslots._b64(sealed.ephemeral_public),
                                  "nonce": keyslots._b64(sealed.nonce), "ciphertext": keyslots._b64(sealed.ciphertext)})
    doc["pending_key_id"] = keyslots.key_id(key)
