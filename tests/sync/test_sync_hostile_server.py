"""A hostile server operator (any SQL on the `haven` schema, as its superuser) against the laptops.

- key grants: a grant the operator writes (sealed to a member's public key, which the
  membership log publishes) is never taken, whatever its epoch, so no laptop encrypts
  under a key the operator knows and no record-id key is replaced;
- membership rollback: a log shorter than, or branching from, the one a laptop already
  verified stops the sync with nothing applied, and no admin appends to it.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import psycopg
import pytest

from clinic_app.domain.client import Client
from clinic_app.domain.roles import Role
from clinic_app.services import case_record, users
from clinic_app.services.sync import enrol, envelope, grants, local, membership
from clinic_app.services.sync.engine import SyncFailed
from clinic_app.vault import records

from laptops import Laptop, admin_laptop, join_laptop


def _device_of(lap: Laptop) -> tuple[str, str]:
    with lap.session() as s:
        st = local.settings(s.vault.conn)
        return st.clinic_id, st.device_id


def _kx_pub(server_url: str, device_id: str) -> bytes:
    """What the operator reads: a member's public key, from the membership log."""
    with psycopg.connect(server_url) as pg:
        for (raw,) in pg.execute("SELECT entry FROM haven.membership ORDER BY seq"):
            entry = membership.Entry.from_bytes(bytes(raw))
            if entry.content.get("device") == device_id and "kx_pub" in entry.content:
                return bytes.fromhex(entry.content["kx_pub"])
    raise AssertionError("device not in the log")


def _log(server_url: str) -> list[bytes]:
    with psycopg.connect(server_url) as pg:
        return [bytes(r[0]) for r in pg.execute("SELECT entry FROM haven.membership ORDER BY seq")]


def _forge_grant(server_url: str, clinic_id: str, device_id: str, scope: str, epoch: int,
                 key: bytes, id_key: bytes, *, replace: bool = False) -> None:
    sealed = envelope.seal_to(_kx_pub(server_url, device_id), key + id_key,
                              envelope.grant_label(clinic_id, device_id, scope, epoch))
    with psycopg.connect(server_url) as pg:
        if replace:
            pg.execute("UPDATE haven.grants SET sealed = %s WHERE device_id = %s AND scope = %s AND epoch = %s",
                       (sealed, device_id, scope, epoch))
        else:
            pg.execute("INSERT INTO haven.grants VALUES (%s, %s, %s, %s)", (device_id, scope, epoch, sealed))
        pg.commit()


def test_a_grant_the_operator_writes_for_a_new_epoch_is_never_used(tmp_path: Path, server_url: str) -> None:
    admin = admin_laptop(tmp_path, server_url, users_to_add={"lena": Role.LAWYER})
    lena = join_laptop(admin, tmp_path, "lena", Role.LAWYER)
    clinic_id, device = _device_of(lena)
    with lena.session() as s:
        before = local.scope_keys(s.vault.conn)
    evil_key, evil_id = secrets.token_bytes(32), secrets.token_bytes(32)
    for scope in ("all", "letters"):
        _forge_grant(server_url, clinic_id, device, scope, 50, evil_key, evil_id)
    with lena.session() as s:
        case_record.save_client(s, Client(ref="c-secret", legal_name="Secret Person", narrative="a story"))
    lena.sync()
    with lena.session() as s:
        after = local.scope_keys(s.vault.conn)
    assert after == before  # no epoch 50, and the record-id keys are the ones granted by the admin
    evil = envelope.ScopeKey("all", 50, evil_key, evil_id)
    with psycopg.connect(server_url) as pg:
        rows = pg.execute("SELECT scope, record_id, epoch, body FROM haven.records").fetchall()
    assert rows and all(epoch != 50 for _s, _r, epoch, _b in rows)
    for scope, record_id, _epoch, body in rows:
        with pytest.raises(envelope.EnvelopeError):
            envelope.open_row(clinic_id, evil if scope == "all" else envelope.ScopeKey(scope, 50, evil_key, evil_id),
                              record_id, bytes(body))
    admin.sync()
    with admin.session() as s:
        assert case_record.get_client(s, "c-secret").legal_name == "Secret Person"


def test_a_grant_the_operator_swaps_before_a_laptop_joins_is_refused(tmp_path: Path, server_url: str) -> None:
    admin = admin_laptop(tmp_path, server_url, users_to_add={"lena": Role.LAWYER})
    with admin.session() as s:
        case_record.save_client(s, Client(ref="c-1", legal_name="Person"))
    admin.sync()
    clinic_id, _admin_device = _device_of(admin)
    invitation = tmp_path / "lena.haveninvite"
    with admin.session() as s:
        made = enrol.invite(s, "lena", invitation)
    evil_key, evil_id = secrets.token_bytes(32), secrets.token_bytes(32)
    _forge_grant(server_url, clinic_id, made.device_id, "all", 1, evil_key, evil_id, replace=True)
    joined = enrol.join(tmp_path / "laptop-lena", invitation, made.code, "a long passphrase for lena",
                        kdf_profile="fast")
    try:
        keys = local.scope_keys(joined.session.vault.conn)
        assert ("all", 1) not in keys  # the operator's key is not taken
        assert all(k.key != evil_key and k.id_key != evil_id for k in keys.values())
        assert "c-1" not in records.all_refs(joined.session.vault.conn, "clients")
    finally:
        joined.session.lock()


def test_a_signed_grant_counts_only_from_an_admin_for_an_epoch_the_log_names(tmp_path: Path,
                                                                             server_url: str) -> None:
    """Signed grants the server could obtain: one signed by a member who is not an admin (lena),
    one signed by the admin for an epoch the membership log never named."""
    admin = admin_laptop(tmp_path, server_url, users_to_add={"lena": Role.LAWYER, "sam": Role.STAFF})
    lena = join_laptop(admin, tmp_path, "lena", Role.LAWYER)
    clinic_id, lena_device = _device_of(lena)
    with lena.session() as s:
        lena_me, before = local.identity(s.vault.conn), local.scope_keys(s.vault.conn)
    with admin.session() as s:
        admin_me = local.identity(s.vault.conn)
    invitation = tmp_path / "sam.haveninvite"
    with admin.session() as s:
        made = enrol.invite(s, "sam", invitation)
    at_seq = len(_log(server_url))
    sam = membership.Member(made.device_id, "sam", "staff", b"", _kx_pub(server_url, made.device_id), at_seq)
    lena_m = membership.Member(lena_device, "lena", "lawyer", b"", _kx_pub(server_url, lena_device), 0)
    evil = secrets.token_bytes(32)
    by_lena = grants.make(lena_me, clinic_id, at_seq, sam, envelope.ScopeKey("all", 1, evil, evil))
    too_new = grants.make(admin_me, clinic_id, at_seq, lena_m,
                          envelope.ScopeKey("all", 50, evil, before[("all", 1)].id_key))
    with psycopg.connect(server_url) as pg:
        pg.execute("UPDATE haven.grants SET sealed = %s WHERE device_id = %s AND scope = 'all' AND epoch = 1",
                   (by_lena, made.device_id))
        pg.execute("INSERT INTO haven.grants VALUES (%s, 'all', 50, %s)", (lena_device, too_new))
        pg.commit()
    lena.sync()
    with lena.session() as s:
        assert local.scope_keys(s.vault.conn) == before
    joined = enrol.join(tmp_path / "laptop-sam", invitation, made.code, "a long passphrase for sam",
                        kdf_profile="fast")
    try:
        keys = local.scope_keys(joined.session.vault.conn)
        assert ("all", 1) not in keys and ("letters", 1) in keys
    finally:
        joined.session.lock()


def _removed_bob(tmp_path: Path, server_url: str, extra: dict[str, Role] | None = None
                 ) -> tuple[Laptop, Laptop, dict[str, Laptop]]:
    """Admin, lena and (given) others joined; bob joined, then removed; lena has verified the removal."""
    admin = admin_laptop(tmp_path, server_url, users_to_add={"bob": Role.STAFF, "lena": Role.LAWYER, **(extra or {})})
    join_laptop(admin, tmp_path, "bob", Role.STAFF)
    others = {name: join_laptop(admin, tmp_path, name, role) for name, role in (extra or {}).items()}
    lena = join_laptop(admin, tmp_path, "lena", Role.LAWYER)
    with admin.session() as s:
        users.remove_user(s, "bob")
    lena.sync()
    return admin, lena, others


def _bob_removed(lap: Laptop) -> int:
    with lap.session() as s:
        known = local.known_membership(s.vault.conn, local.settings(s.vault.conn))
    assert known is not None
    bob = next(m for m in known.members.values() if m.user == "bob")
    assert bob.removed_at is not None
    return known.seq


def test_a_membership_log_cut_short_is_refused(tmp_path: Path, server_url: str) -> None:
    admin, lena, _ = _removed_bob(tmp_path, server_url)
    seq = _bob_removed(lena)
    with psycopg.connect(server_url) as pg:  # the operator drops bob's removal
        pg.execute("DELETE FROM haven.membership WHERE seq = (SELECT max(seq) FROM haven.membership)")
        pg.commit()
    cut = _log(server_url)
    with pytest.raises(SyncFailed, match="older than, or different from"):
        lena.sync()
    assert _bob_removed(lena) == seq  # nothing applied
    with pytest.raises(SyncFailed, match="older than, or different from"):
        admin.sync()
    with admin.session() as s:
        users.add_user(s, "zed", Role.STAFF, "a long passphrase for zed")
        with pytest.raises(SyncFailed, match="older than, or different from"):
            enrol.invite(s, "zed", tmp_path / "zed.haveninvite")
    assert _log(server_url) == cut  # no admin appended where the removal was
    assert _bob_removed(admin) == seq


def test_a_membership_log_that_branches_is_refused(tmp_path: Path, server_url: str) -> None:
    """The operator drops bob's removal, then a second admin who had not seen it yet signs a
    genuine entry at its place: the log is as long as before, but not the one lena verified."""
    _admin, lena, others = _removed_bob(tmp_path, server_url, {"ada": Role.ADMIN})
    ada = others["ada"]
    seq = _bob_removed(lena)
    with psycopg.connect(server_url) as pg:
        pg.execute("DELETE FROM haven.membership WHERE seq = %s", (seq,))
        pg.commit()
    with ada.session() as s:
        users.add_user(s, "zed", Role.STAFF, "a long passphrase for zed")
        enrol.invite(s, "zed", tmp_path / "zed.haveninvite")
    assert len(_log(server_url)) == seq
    with pytest.raises(SyncFailed, match="older than, or different from"):
        lena.sync()
    assert _bob_removed(lena) == seq
