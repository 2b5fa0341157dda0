"""Scope-key grants: made and signed by an admin, taken by a laptop only when authentic.

Sealing a key to a member needs only their public key, which the membership log publishes,
so a sealed grant alone proves nothing: the server could seal a key of its own, and a
laptop that took it would encrypt what it sends under a key the server knows. So every
grant is signed (Ed25519) by the admin who made it, over the clinic, the receiving laptop,
scope, epoch, the membership entry it was made at and the sealed bytes. A laptop takes a
grant only when, in the membership log it verified, that signer was an active admin at
that entry, the laptop itself was a member by then, the epoch existed by then, the scope is
one its role reads, and the record-id key is the one it already holds (if any). Pure
logic: no I/O.
"""

from __future__ import annotations

import hashlib
import json

from clinic_app.services.sync import envelope, membership, scopes
from clinic_app.services.sync.envelope import Identity, ScopeKey

FORMAT = "haven-grant"
VERSION = 1


def _signed_message(clinic_id: str, device_id: str, scope: str, epoch: int, at_seq: int, by: str,
                    sealed: bytes) -> bytes:
    return (f"haven-grant-signature\0{clinic_id}\0{device_id}\0{scope}\0{epoch}\0{at_seq}\0{by}\0".encode()
            + hashlib.sha256(sealed).digest())


def make(signer: Identity, clinic_id: str, at_seq: int, member: membership.Member, key: ScopeKey) -> bytes:
    """`key` sealed to `member` and signed by `signer`, an admin as of membership entry `at_seq`."""
    sealed = envelope.seal_to(member.kx_pub, key.key + key.id_key,
                              envelope.grant_label(clinic_id, member.device_id, key.scope, key.epoch))
    signature = signer.sign.sign(_signed_message(clinic_id, member.device_id, key.scope, key.epoch, at_seq,
                                                 signer.device_id, sealed))
    return envelope.canonical({"format": FORMAT, "version": VERSION, "by": signer.device_id, "seq": at_seq,
                               "sealed": sealed.hex(), "signature": signature.hex()})


def accept(raw: bytes, *, clinic_id: str, me: Identity, state: membership.State, scope: str, epoch: int,
           held_id_key: bytes | None) -> ScopeKey | None:
    """The scope key in a grant row, or None when the grant is not authentic (see the module
    docstring): a grant that fails any check is never used, whoever wrote it."""
    try:
        doc = json.loads(raw)
        if doc["format"] != FORMAT or doc["version"] != VERSION:
            return None
        by, at_seq = str(doc["by"]), int(doc["seq"])
        sealed, signature = bytes.fromhex(doc["sealed"]), bytes.fromhex(doc["signature"])
    except (ValueError, KeyError, TypeError):  # not JSON (an unsigned grant of an older version) or malformed
        return None
    mine = state.member(me.device_id)
    if mine is None or not mine.active_at(at_seq) or not 0 < at_seq <= state.seq:
        return None
    if not state.is_admin(by, at_seq) or scope not in scopes.scopes_for_role(mine.role):
        return None
    if not 0 < epoch <= state.epoch_at(at_seq):
        return None
    if not envelope.verify_signature(state.members[by].sign_pub, signature,
                                     _signed_message(clinic_id, me.device_id, scope, epoch, at_seq, by, sealed)):
        return None
    try:
        secret = envelope.unseal_from(me, sealed, envelope.grant_label(clinic_id, me.device_id, scope, epoch))
    except envelope.EnvelopeError:
        return None
    if len(secret) != 64 or (held_id_key is not None and secret[32:] != held_id_key):
        return None
    return ScopeKey(scope, epoch, secret[:32], secret[32:])
