"""Connecting a vault to the clinic's server, inviting a laptop, joining, and removing a person.

- **setup** (an admin, once per clinic): creates the server's schema, logins and row-level
  security, this laptop's identity, the first epoch's scope keys and the first, self-signed
  membership entry (its public key is the clinic's root of trust), then uploads the vault.
- **invite**: a new laptop for an existing user. Its keys are made here, its login created,
  its membership entry signed and its scope keys granted; all it needs goes into a file
  sealed with a one-time code (160 random bits) that is printed, never stored (HKDF, AES-GCM).
- **join**: on the new laptop, the code opens the file, the laptop claims its login on the
  server (once: a second join with the same invitation is refused) and gives it a password
  only it knows, a vault is created for that user, and the first sync pulls what the user's
  role may see.
- **remove**: every laptop of a person is removed from the log, their logins cut at once,
  and each scope moves to a new epoch whose keys they never receive; the next round
  re-seals every record under the new keys.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import shutil
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from clinic_app.domain.roles import Permission, Role
from clinic_app.errors import AuthError, BadInput, NotFound
from clinic_app.fsutil import open_input
from clinic_app.i18n import _
from clinic_app.output_files import output_write_bytes
from clinic_app.services import session as sessions
from clinic_app.services.session import Session
from clinic_app.services.sync import envelope, grants, local, membership, scopes, server
from clinic_app.services.sync.envelope import Identity, ScopeKey, raw_private
from clinic_app.vault import audit, recovery_key, sync_rows, sync_state
from clinic_app.vault import users as user_rows

INVITE_FORMAT = "haven-invitation"
INVITE_VERSION = 1


class WrongInviteCode(AuthError):
    def __init__(self) -> None:
        super().__init__(_("That code does not open this invitation, or the file was changed. Nothing was created."))


class InvitationUsed(AuthError):
    def __init__(self) -> None:
        super().__init__(_("This invitation was already used on another laptop (or withdrawn): it opens one laptop "
                           "only. Ask an admin for a new invitation. Nothing was created."))


def _grant(pg: Any, clinic_id: str, signer: Identity, at_seq: int, member: membership.Member, key: ScopeKey) -> None:
    """Seal `key` to `member`, signed as an admin at membership entry `at_seq` (laptops take no other)."""
    server.put_grant(pg, member.device_id, key.scope, key.epoch, grants.make(signer, clinic_id, at_seq, member, key))


def _mark_everything(conn: Any) -> None:
    """Every record of the vault into the outbox at the next capture (a first upload)."""
    now = audit.now_utc()[:23]
    for kind in sync_rows.ORDER:
        for ref in sync_rows.all_refs(conn, kind):
            conn.execute("INSERT INTO sync_dirty (kind, ref, at) VALUES (?, ?, ?)", (kind, ref, now))


# --- setup -------------------------------------------------------------------------------------


def setup(session: Session, url: str, *, reseed: bool = False) -> local.Settings:
    """Connect this vault to an empty clinic server (see the module docstring).

    With `reseed`, a vault already connected (its server lost) starts a new clinic on the new,
    empty server from everything it holds; the other laptops are invited again (their own
    unsent edits reach it as case files, or after they join and re-import)."""
    session.require(Permission.MANAGE_USERS)
    if not server.is_address(url):
        raise BadInput(_("This is not a valid server address. Write it as a PostgreSQL connection URI, such as "
                         "postgresql://owner@db.clinic.example:5432/haven?sslmode=verify-full (the login, the "
                         "server's name, its port if not 5432, the database)."))
    conn = session.vault.conn
    if local.is_connected(conn) and not reseed:
        raise BadInput(_("This vault is already connected to a clinic server. If that server is lost, "
                         "start a new one from this laptop with 'clinic-app sync setup --server URL --reseed'."))
    clinic_id, device_id = uuid.uuid4().hex, secrets.token_hex(8)
    me = Identity.generate(device_id)
    keys = [ScopeKey(scope, 1, secrets.token_bytes(32), secrets.token_bytes(32)) for scope in envelope.SCOPES]
    myself = membership.Member(device_id, session.user.name, "admin", me.sign_pub, me.kx_pub, 1)
    with server.connect(url) as pg:
        if server.clinic_of(pg) is not None:
            raise BadInput(_("The server {server} already holds a clinic. To add this laptop, ask an admin "
                             "for an invitation ('clinic-app sync invite').").format(server=server.describe(url)))
        pg.rollback()
        server.install(pg, clinic_id)
        password = server.create_login(pg, clinic_id, device_id, list(envelope.SCOPES), admin=True)
        first = membership.next_entry(membership.State(clinic_id, me.sign_pub), me, membership.GENESIS,
                                      member=myself, at=audit.now_utc())
        server.append_entry(pg, first.seq, first.to_bytes())
        for key in keys:
            _grant(pg, clinic_id, me, first.seq, myself, key)
        pg.commit()
    settings = local.Settings(clinic_id, device_id, session.user.name, "admin",
                              server.device_url(url, device_id, password), me.sign_pub)
    with session.transaction():
        if reseed:  # the old clinic's keys, members, cursor and shared copies: none apply any more
            sync_rows.remove_triggers(conn)
            sync_state.forget_everything(conn)
        local.save_settings(conn, settings)
        local.save_identity(conn, me)
        for key in keys:
            local.save_scope_key(conn, key)
        sync_rows.install_triggers(conn)
        _mark_everything(conn)
        session.audit("sync_setup", detail={"server": server.describe(url)})
    return settings


# --- invitations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Invitation:
    path: Path
    code: str
    user: str
    role: str
    device_id: str


def invite(session: Session, user: str, out: Path) -> Invitation:
    session.require(Permission.MANAGE_USERS)
    conn = session.vault.conn
    settings = local.settings(conn)
    record = user_rows.get(conn, user)
    if record is None:
        raise NotFound(_("There is no user called {name}. Add them first ('clinic-app user add').").format(name=user))
    me = local.identity(conn)
    device_id = secrets.token_hex(8)
    guest = Identity.generate(device_id)
    role = record.role.value
    member = membership.Member(device_id, user, role, guest.sign_pub, guest.kx_pub, 0)
    with server.connect(settings.url) as pg:
        from clinic_app.services.sync.engine import refresh

        state, keys = refresh(conn, pg, settings)
        password = server.create_login(pg, settings.clinic_id, device_id, list(scopes.scopes_for_role(role)),
                                       admin=role == "admin")
        entry = membership.next_entry(state, me, membership.ADD, member=member, at=audit.now_utc())
        server.append_entry(pg, entry.seq, entry.to_bytes())
        for (scope, _epoch), key in sorted(keys.items()):
            if scope in scopes.scopes_for_role(role):
                _grant(pg, settings.clinic_id, me, entry.seq, member, key)
        pg.commit()
    payload = {"format": INVITE_FORMAT, "version": INVITE_VERSION, "clinic_id": settings.clinic_id,
               "root_sign_pub": settings.root_sign_pub.hex(), "url": server.device_url(settings.url, device_id, password),
               "device_id": device_id, "user": user, "role": role, "sign_key": raw_private(guest.sign).hex(),
               "kx_key": raw_private(guest.kx).hex()}
    code = recovery_key.generate()
    output_write_bytes(Path(out), _seal_invitation(payload, code))
    with session.transaction():
        session.audit("sync_invite", target=user, detail={"device": device_id, "role": role})
    return Invitation(Path(out), code, user, role, device_id)


def _code_key(code: str, salt: bytes) -> bytes:
    """The code is 160 random bits (not a password a person chose): HKDF is enough, no slow KDF."""
    raw = base64.b32decode(recovery_key.normalise(code).replace("-", ""))
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"haven/sync/invitation").derive(raw)


def _seal_invitation(payload: dict[str, Any], code: str) -> bytes:
    salt, nonce = os.urandom(16), os.urandom(12)
    key = _code_key(code, salt)
    header = {"format": INVITE_FORMAT, "version": INVITE_VERSION,
              "salt": base64.b64encode(salt).decode(), "nonce": base64.b64encode(nonce).decode()}
    head = envelope.canonical(header)
    body = AESGCM(key).encrypt(nonce, envelope.canonical(payload), head)
    return envelope.canonical({"header": header, "body": base64.b64encode(body).decode()})


_PAYLOAD_FIELDS = ("clinic_id", "root_sign_pub", "url", "device_id", "user", "role", "sign_key", "kx_key")


def _open_invitation(path: Path, code: str) -> dict[str, Any]:
    """The invitation's contents. Anything but an intact invitation file is named as such (a
    missing file as missing), never left to fail later as an internal error."""
    not_one = BadInput(_("{name} is not a Haven invitation.").format(name=Path(path).name))
    try:
        with open_input(Path(path)) as fh:
            raw = fh.read(1 << 20)
    except FileNotFoundError as exc:
        raise NotFound(_("The invitation file {path} does not exist.").format(path=path)) from exc
    except OSError as exc:
        raise not_one from exc
    try:
        doc = json.loads(raw)
        header = doc["header"]
        if header.get("format") != INVITE_FORMAT or header.get("version") != INVITE_VERSION:
            raise ValueError("format")
        salt, nonce = base64.b64decode(header["salt"]), base64.b64decode(header["nonce"])
        body = base64.b64decode(doc["body"])
        if len(nonce) != 12:
            raise ValueError("nonce")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:  # AttributeError: a header that is no object
        raise not_one from exc
    try:
        key = _code_key(code, salt)
        payload = json.loads(AESGCM(key).decrypt(nonce, body, envelope.canonical(header)))
    except (InvalidTag, AuthError) as exc:
        raise WrongInviteCode() from exc
    if not isinstance(payload, dict) or not all(isinstance(payload.get(k), str) for k in _PAYLOAD_FIELDS):
        raise not_one
    return payload


# --- joining -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Joined:
    session: Session  # open: the caller locks it
    recovery_key: str  # of this laptop's new vault: shown once, whatever happened after
    first_sync_error: str = ""  # the first sync did not finish: the vault is connected, the next round retries


def join(folder: Path, invitation: Path, code: str, passphrase: str, *, kdf_profile: str = "standard") -> Joined:
    """Create this laptop's vault from an invitation and pull what its role may see. A first
    sync that does not finish (the server away) keeps the vault, connected, and says so: the
    recovery key must still reach the person, and the next round catches up."""
    payload = _open_invitation(invitation, code)
    session, recovery = _claim_and_create(Path(folder), payload, passphrase, kdf_profile)
    from clinic_app.services.sync.engine import SyncFailed, sync_now

    try:
        sync_now(session)
    except SyncFailed as exc:
        return Joined(session, recovery, str(exc))
    return Joined(session, recovery)


CLAIM_PENDING = "claim_password"  # sync_state: the login's next password while its claim is unfinished


def _claim_and_create(folder: Path, payload: dict[str, Any], passphrase: str,
                      kdf_profile: str) -> tuple[Session, str]:
    """The invitation works once: its login is claimed on the server (`server.claim_login`) in a
    transaction held open while the vault is made, so a second join, even one racing this one,
    is refused and leaves nothing behind. The vault first keeps the invitation's login and the
    new password as pending, and takes the new one once the claim has committed: a crash in
    between, or a server that does not answer (the vault is then made all the same, offline),
    leaves a claim that the next sync finishes (`finish_claim`)."""
    role = Role(str(payload["role"]))
    me = Identity(str(payload["device_id"]), Ed25519PrivateKey.from_private_bytes(bytes.fromhex(payload["sign_key"])),
                  X25519PrivateKey.from_private_bytes(bytes.fromhex(payload["kx_key"])))
    settings = local.Settings(str(payload["clinic_id"]), me.device_id, str(payload["user"]), role.value,
                              str(payload["url"]), bytes.fromhex(payload["root_sign_pub"]))
    password = secrets.token_urlsafe(32)
    was_there = folder.is_dir()
    made: list[tuple[Session, str]] = []

    def new_vault() -> None:
        session, recovery = sessions.create_vault(folder, admin=settings.user, passphrase=passphrase,
                                                  kdf_profile=kdf_profile, role=role)
        made.append((session, recovery))
        with session.transaction():
            local.save_settings(session.vault.conn, settings)
            local.save_identity(session.vault.conn, me)
            sync_state.put(session.vault.conn, CLAIM_PENDING, password)
            sync_rows.install_triggers(session.vault.conn)
            session.audit("sync_join", detail={"device": me.device_id})

    try:
        try:
            with server.connect(settings.url) as pg:
                server.claim_login(pg, me.device_id, password)
                new_vault()
                pg.commit()
        except server.LoginRefused as exc:
            raise server.AlreadyClaimed(me.device_id) from exc
        except server.ServerError:
            if not made:  # the server is away: joined offline, claimed at the first sync
                new_vault()
            return made[0]
    except BaseException as exc:
        for session, _recovery in made:  # the claim did not commit: the new, empty vault goes too
            session.lock()
            _remove_new_vault(folder, was_there)
        if isinstance(exc, server.AlreadyClaimed):
            raise InvitationUsed() from exc
        raise
    try:
        _claimed(made[0][0], settings, password)
    except BaseException:
        made[0][0].lock()  # the vault stays: its pending claim is finished by the next sync
        raise
    return made[0]


def _claimed(session: Session, settings: local.Settings, password: str) -> None:
    """The claim committed: this laptop's login now has the new password."""
    with session.transaction():
        local.save_settings(session.vault.conn, replace(settings, url=server.device_url(
            settings.url, settings.device_id, password)))
        sync_state.put(session.vault.conn, CLAIM_PENDING, "")


def finish_claim(session: Session) -> None:
    """Claim this laptop's login if its join could not (see `_claim_and_create`). A login that
    refuses the invitation's password was claimed by this laptop before a crash (the pending
    password opens it) or by another one (InvitationUsed)."""
    conn = session.vault.conn
    password = sync_state.get(conn, CLAIM_PENDING)
    if not password:
        return
    settings = local.settings(conn)
    try:
        with server.connect(settings.url) as pg:
            server.claim_login(pg, settings.device_id, password)
            pg.commit()
    except server.LoginRefused:
        try:
            with server.connect(server.device_url(settings.url, settings.device_id, password)):
                pass
        except server.LoginRefused as exc:
            raise InvitationUsed() from exc
    except server.AlreadyClaimed as exc:
        raise InvitationUsed() from exc
    _claimed(session, settings, password)


def _remove_new_vault(folder: Path, was_there: bool) -> None:
    """The vault `join` made a moment ago (Vault.create takes only an absent or empty folder)."""
    shutil.rmtree(folder, ignore_errors=True)
    if was_there:
        folder.mkdir(exist_ok=True)


# --- removing a person -------------------------------------------------------------------------


def remove_member(session: Session, user: str) -> int:
    """Remove every laptop of `user` from the clinic: new epoch, logins cut; returns how many."""
    session.require(Permission.MANAGE_USERS)
    conn = session.vault.conn
    settings = local.settings(conn)
    me = local.identity(conn)
    from clinic_app.services.sync.engine import refresh, sync_now

    sync_now(session)  # everything they pushed before, merged, so the re-sealing below keeps it
    removed = 0
    with server.connect(settings.url) as pg:
        state, keys = refresh(conn, pg, settings)
        for member in [m for m in state.active() if m.user == user]:
            entry = membership.next_entry(state, me, membership.REMOVE, device_id=member.device_id,
                                          epoch=state.epoch + 1, at=audit.now_utc())
            server.append_entry(pg, entry.seq, entry.to_bytes())
            state = membership.apply(state, entry)
            server.disable_login(pg, member.device_id)
            removed += 1
        if removed:
            fresh = []
            for scope in envelope.SCOPES:
                old = max((k for (s, _e), k in keys.items() if s == scope), key=lambda k: k.epoch, default=None)
                if old is None:
                    continue
                fresh.append(ScopeKey(scope, state.epoch, secrets.token_bytes(32), old.id_key))
            for member in state.active():
                for key in fresh:
                    if key.scope in scopes.scopes_for_role(member.role):
                        _grant(pg, settings.clinic_id, me, state.seq, member, key)
        pg.commit()
    if removed:
        with session.transaction():
            for kind, ref in sync_state.base_keys(conn):
                out = sync_state.outbox(conn, kind, ref) or {"fields": {}, "deleted": None}
                sync_state.put_outbox(conn, kind, ref, {**out, "republish": True})
            session.audit("sync_member_removed", target=user, detail={"laptops": removed})
        sync_now(session)  # picks up the new keys and re-seals every record under them
    return removed
