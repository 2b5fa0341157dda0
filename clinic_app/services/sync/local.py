"""This vault's side of sharing: its identity, keys, members and settings, inside the vault.

Everything secret (the laptop's private keys, the scope keys, the database password) is
stored inside the encrypted vault, never in a file beside it. A vault is "connected" once
`setup` or `join` has written its clinic id here.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from clinic_app.errors import BadInput
from clinic_app.i18n import _
from clinic_app.services.sync import membership
from clinic_app.services.sync.envelope import Identity, ScopeKey, raw_private
from clinic_app.services.sync.hlc import ZERO, Clock
from clinic_app.vault import sync_state
from clinic_app.vault.connection import Connection


class NotConnected(BadInput):
    def __init__(self) -> None:
        super().__init__(_("This vault is not connected to a clinic server. An admin connects it with "
                           "'clinic-app sync setup --server URL', or joins it with 'clinic-app sync join FILE'."))


@dataclass(frozen=True)
class Settings:
    clinic_id: str
    device_id: str
    user: str
    role: str
    url: str  # with this laptop's own login and password
    root_sign_pub: bytes


def save_identity(conn: Connection, identity: Identity) -> None:
    sync_state.put(conn, "device_id", identity.device_id)
    sync_state.put(conn, "sign_key", raw_private(identity.sign).hex())
    sync_state.put(conn, "kx_key", raw_private(identity.kx).hex())


def identity(conn: Connection) -> Identity:
    device = sync_state.get(conn, "device_id")
    if device is None:
        raise NotConnected()
    return Identity(device, Ed25519PrivateKey.from_private_bytes(bytes.fromhex(sync_state.get(conn, "sign_key") or "")),
                    X25519PrivateKey.from_private_bytes(bytes.fromhex(sync_state.get(conn, "kx_key") or "")))


def save_settings(conn: Connection, s: Settings) -> None:
    for key, value in (("clinic_id", s.clinic_id), ("device_id", s.device_id), ("user", s.user), ("role", s.role),
                       ("url", s.url), ("root_sign_pub", s.root_sign_pub.hex())):
        sync_state.put(conn, key, value)


def settings(conn: Connection) -> Settings:
    clinic = sync_state.get(conn, "clinic_id")
    if clinic is None:
        raise NotConnected()
    get = lambda k: sync_state.get(conn, k) or ""  # noqa: E731
    return Settings(clinic, get("device_id"), get("user"), get("role"), get("url"), bytes.fromhex(get("root_sign_pub")))


def is_connected(conn: Connection) -> bool:
    return sync_state.connected(conn)


def clock(conn: Connection, device_id: str) -> Clock:
    return Clock(device_id, sync_state.get(conn, "clock") or ZERO)


def save_clock(conn: Connection, c: Clock) -> None:
    sync_state.put(conn, "clock", c.last)


def cursor(conn: Connection) -> int:
    return int(sync_state.get(conn, "cursor") or 0)


def scope_keys(conn: Connection) -> dict[tuple[str, int], ScopeKey]:
    """Every scope key this laptop holds, by (scope, epoch)."""
    raw = sync_state.keys(conn)
    out = {}
    for (scope, epoch), key in raw.items():
        if scope.startswith("id:"):
            continue
        id_key = raw.get((f"id:{scope}", 0))
        if id_key is not None:
            out[(scope, epoch)] = ScopeKey(scope, epoch, key, id_key)
    return out


def save_scope_key(conn: Connection, key: ScopeKey) -> None:
    """The epoch key, and the scope's record-id key only when none is held yet: that one lasts
    the scope's whole life, and replacing it would move every record to other row ids."""
    sync_state.put_key(conn, key.scope, key.epoch, key.key)
    if (f"id:{key.scope}", 0) not in sync_state.keys(conn):
        sync_state.put_key(conn, f"id:{key.scope}", 0, key.id_key)


def current_key(keys: dict[tuple[str, int], ScopeKey], scope: str) -> ScopeKey | None:
    mine = [k for (s, _e), k in keys.items() if s == scope]
    return max(mine, key=lambda k: k.epoch) if mine else None


def save_members(conn: Connection, state: membership.State) -> None:
    sync_state.put_members(conn, [sync_state.MemberRow(m.device_id, m.user, m.role, m.sign_pub, m.kx_pub, m.added_at,
                                                        m.removed_at) for m in state.members.values()])
    sync_state.put(conn, "epoch", str(state.epoch))
    sync_state.put(conn, "membership_seq", str(state.seq))
    sync_state.put(conn, "membership_head", state.head)


def known_membership(conn: Connection, s: Settings) -> membership.State | None:
    """The membership this laptop verified last time (None before the first time)."""
    seq = int(sync_state.get(conn, "membership_seq") or 0)
    if not seq:
        return None
    members = {m.device_id: membership.Member(m.device_id, m.user_name, m.role, m.sign_pub, m.kx_pub, m.added_at,
                                             m.removed_at) for m in sync_state.members(conn)}
    return membership.State(s.clinic_id, s.root_sign_pub, members, int(sync_state.get(conn, "epoch") or 1), seq,
                            sync_state.get(conn, "membership_head") or "")
