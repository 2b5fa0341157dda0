"""The membership log: who belongs to the clinic, with which role and keys, signed by admins.

The server stores the log but cannot write it: every entry is signed by a laptop that was
an admin as of the entry before, entries are hash-chained, and the first entry is pinned
by every laptop (it arrives inside the invitation). So the server cannot add a member,
substitute a key, or change a role; it can only withhold entries, which the laptops notice
as a broken chain or, through the audit witnesses, as missing rows. Pure logic: no I/O.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Any

from clinic_app.services.sync.envelope import Identity, canonical, verify_signature

GENESIS, ADD, REMOVE = "genesis", "add", "remove"


class MembershipError(Exception):
    """The log does not verify: a forged, reordered or altered entry."""


@dataclass(frozen=True)
class Member:
    device_id: str
    user: str
    role: str
    sign_pub: bytes
    kx_pub: bytes
    added_at: int  # seq of the entry that added it
    removed_at: int | None = None

    def active_at(self, seq: int) -> bool:
        return self.added_at <= seq and (self.removed_at is None or seq < self.removed_at)


@dataclass(frozen=True)
class Entry:
    content: dict[str, Any]
    signature: bytes

    @property
    def seq(self) -> int:
        return int(self.content["seq"])

    @property
    def digest(self) -> str:
        return hashlib.sha256(canonical(self.content) + self.signature).hexdigest()

    def to_bytes(self) -> bytes:
        return canonical({"content": self.content, "signature": self.signature.hex()})

    @classmethod
    def from_bytes(cls, raw: bytes) -> Entry:
        import json

        doc = json.loads(raw)
        return cls(dict(doc["content"]), bytes.fromhex(doc["signature"]))


@dataclass
class State:
    clinic_id: str
    root_sign_pub: bytes
    members: dict[str, Member] = field(default_factory=dict)
    epoch: int = 1
    seq: int = 0
    head: str = ""

    def member(self, device_id: str) -> Member | None:
        return self.members.get(device_id)

    def active(self) -> list[Member]:
        return [m for m in self.members.values() if m.removed_at is None]

    def is_admin(self, device_id: str, at_seq: int | None = None) -> bool:
        m = self.members.get(device_id)
        seq = self.seq if at_seq is None else at_seq
        return m is not None and m.role == "admin" and m.active_at(seq)

    def epoch_at(self, seq: int) -> int:
        """The epoch as of entry `seq`: every removal raises it by exactly one (`apply`), so it is
        today's less the removals since. Lets a laptop check a key grant made at that entry."""
        return self.epoch - sum(1 for m in self.members.values() if m.removed_at is not None and m.removed_at > seq)


def sign_entry(signer: Identity, content: dict[str, Any]) -> Entry:
    return Entry(content, signer.sign.sign(canonical(content)))


def next_entry(state: State, signer: Identity, kind: str, *, member: Member | None = None, device_id: str = "",
               epoch: int | None = None, at: str = "") -> Entry:
    content: dict[str, Any] = {"clinic": state.clinic_id, "seq": state.seq + 1, "prev": state.head, "type": kind,
                               "by": signer.device_id, "epoch": epoch or state.epoch, "at": at}
    if member is not None:
        content.update(device=member.device_id, user=member.user, role=member.role,
                       sign_pub=member.sign_pub.hex(), kx_pub=member.kx_pub.hex())
    else:
        content["device"] = device_id
    return sign_entry(signer, content)


def apply(state: State, entry: Entry) -> State:
    """The state after `entry`, or MembershipError when the entry may not follow it."""
    c = entry.content
    try:
        if c["clinic"] != state.clinic_id or entry.seq != state.seq + 1 or c["prev"] != state.head:
            raise MembershipError("entry out of order or from another clinic")
        kind, by, device = c["type"], c["by"], c["device"]
        if kind == GENESIS:
            if state.seq != 0 or by != device or c["role"] != "admin":
                raise MembershipError("bad first entry")
            signer_pub = bytes.fromhex(c["sign_pub"])
            if signer_pub != state.root_sign_pub:
                raise MembershipError("the first entry is not the clinic's")
        else:
            if not state.is_admin(by):
                raise MembershipError("signed by someone who is not an admin")
            signer_pub = state.members[by].sign_pub
        if not verify_signature(signer_pub, entry.signature, canonical(c)):
            raise MembershipError("signature does not verify")
        members = dict(state.members)
        epoch = int(c["epoch"])
        if kind in (GENESIS, ADD):
            if device in members or c["role"] not in ("admin", "lawyer", "staff", "volunteer"):
                raise MembershipError("device added twice, or an unknown role")
            members[device] = Member(device, str(c["user"]), str(c["role"]), bytes.fromhex(c["sign_pub"]),
                                     bytes.fromhex(c["kx_pub"]), entry.seq)
            if epoch != state.epoch and kind != GENESIS:
                raise MembershipError("adding a member does not change the epoch")
        elif kind == REMOVE:
            old = members.get(device)
            if old is None or old.removed_at is not None or epoch != state.epoch + 1:
                raise MembershipError("bad removal")
            members[device] = replace(old, removed_at=entry.seq)
        else:
            raise MembershipError("unknown entry type")
    except (KeyError, TypeError, ValueError) as exc:
        raise MembershipError("malformed entry") from exc
    return State(state.clinic_id, state.root_sign_pub, members, epoch, entry.seq, entry.digest)


def replay(clinic_id: str, root_sign_pub: bytes, entries: list[Entry]) -> State:
    state = State(clinic_id, root_sign_pub)
    for entry in entries:
        state = apply(state, entry)
    return state
