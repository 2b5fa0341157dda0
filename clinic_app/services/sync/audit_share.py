"""Each laptop's audit chain on the server, and witnesses that catch a server dropping rows.

Every laptop pushes its own hash-chained audit rows (sealed under its scope key; the
row's hash and its predecessor's stay readable so the chain can be checked without
opening anything). After each round a laptop appends a witness row to its own chain
naming the newest row it has seen from every other laptop. `verify` then fetches every
chain and checks, per laptop, that it links from row 1, that each row's hash is the hash
of its contents, and that every row a witness named is still there, unchanged: a server
that truncates, drops or rewrites audit rows is named. A row this laptop's scopes cover
that no key opens counts as rewritten: this laptop holds every epoch's key of its scopes.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any


from clinic_app.i18n import _
from clinic_app.services.session import Session
from clinic_app.services.sync import envelope, local, membership, scopes, server
from clinic_app.services.sync.local import current_key
from clinic_app.services.sync.envelope import ScopeKey
from clinic_app.vault import audit, sync_state

if TYPE_CHECKING:
    import psycopg


def _scope_for(role: str) -> str:
    return scopes.LETTERS if role == "volunteer" else scopes.ALL



def share(session: Session, pg: psycopg.Connection[Any], settings: local.Settings,
          keys: dict[tuple[str, int], ScopeKey], state: membership.State) -> None:
    conn = session.vault.conn
    me = local.identity(conn)
    scope = _scope_for(settings.role)
    key = current_key(keys, scope)
    if key is None:
        return
    chain = int(sync_state.get(conn, "audit_chain") or 0)
    mine = f"{me.device_id}/{chain}"
    fresh = {d: h for d, h in server.audit_heads(pg).items()
             if not d.startswith(me.device_id + "/") and sync_state.peer_heads(conn).get(d) != h}
    if fresh:
        with session.transaction():
            for device, (seq, digest) in fresh.items():
                sync_state.put_peer_head(conn, device, seq, digest)
            session.audit("sync_witness", detail={d: [s, h] for d, (s, h) in sorted(fresh.items())})
    local_rows = audit.entries(conn)
    by_seq = {e.seq: e for e in local_rows}
    after, digest = server.audit_head(pg, me.device_id, chain)
    if after and (after not in by_seq or by_seq[after].hash != digest):
        # this vault was restored from a backup: its chain on the server went further than the
        # chain it has now. Both are history; the new one goes up as a new chain, whole.
        chain += 1
        with session.transaction():
            sync_state.put(conn, "audit_chain", str(chain))
        after = 0
        mine = f"{me.device_id}/{chain}"
    rows = []
    for e in local_rows:
        if e.seq <= after:
            continue
        content = {"seq": e.seq, "at": e.at, "actor": e.actor, "action": e.action, "target": e.target,
                   "detail": json.dumps(e.detail, sort_keys=True, ensure_ascii=False)}
        body = envelope.seal_row(settings.clinic_id, key, f"{mine}:{e.seq}", {**content, "epoch": key.epoch}, me,
                                 what="audit")
        rows.append((e.seq, scope, e.prev_hash, e.hash, body))
    if rows:
        server.push_audit(pg, me.device_id, chain, rows)


def verify(session: Session) -> list[str]:
    """Problems with the audit chains on the server, as text (empty when they are intact).

    Every row the server shows this laptop is in one of its role's scopes, and every key of
    that scope, of every epoch, is granted to each member entitled to it (`enrol.invite`
    grants the old epochs, a removal seals the new one to everyone left): after fetching its
    newest grants, a row no key opens, or whose contents do not give its hash, was changed."""
    from clinic_app.services.sync.engine import refresh

    conn = session.vault.conn
    settings = local.settings(conn)
    problems: list[str] = []
    with server.connect(settings.url) as pg:
        state, keys = refresh(conn, pg, settings)
        chains: dict[str, list[tuple[int, str, str, str, bytes]]] = {}
        for chain_id, seq, scope, prev, digest, body in server.audit_rows(pg):
            chains.setdefault(chain_id, []).append((seq, scope, prev, digest, body))
    for device, (seq, digest) in sorted(sync_state.peer_heads(conn).items()):
        rows = {r[0]: r for r in chains.get(device, [])}
        if rows.get(seq, (0, "", "", ""))[3] != digest:
            problems.append(_("laptop {device}: audit row {seq}, witnessed here, is missing or changed on the "
                              "server").format(device=device, seq=seq))
    readable = scopes.scopes_for_role(settings.role)
    for device, rows in sorted(chains.items()):
        problems += _check_chain(settings.clinic_id, device, rows, keys, state, readable)
    return problems


def _check_chain(clinic_id: str, chain_id: str, rows: list[tuple[int, str, str, str, bytes]],
                 keys: dict[tuple[str, int], ScopeKey], state: membership.State,
                 readable: tuple[str, ...]) -> list[str]:
    problems: list[str] = []
    device = chain_id.split("/")[0]
    member = state.member(device)
    if member is None:
        return [_("laptop {device}: its audit rows on the server come from a laptop that is not a member of the "
                  "clinic").format(device=device)]
    expected_seq, expected_prev = 1, None
    for seq, scope, prev, digest, body in sorted(rows):
        if seq != expected_seq or (expected_prev is not None and prev != expected_prev):
            problems.append(_("laptop {device}: audit row {seq} does not follow the row before it").format(
                device=device, seq=seq))
        expected_seq, expected_prev = seq + 1, digest
        if scope not in readable:
            continue  # shown to this laptop against its row-level security: it holds no key to check it
        if not _row_intact(clinic_id, f"{chain_id}:{seq}", seq, prev, digest, body, keys, scope, device, member):
            problems.append(_("laptop {device}: audit row {seq} was changed on the server").format(
                device=device, seq=seq))
    return problems


def _row_intact(clinic_id: str, row_id: str, seq: int, prev: str, digest: str, body: bytes,
                keys: dict[tuple[str, int], ScopeKey], scope: str, device: str, member: membership.Member) -> bool:
    """Whether a key of the row's scope opens it, its author signed it, and it gives its hash."""
    key = next((k for (s, _e), k in keys.items() if s == scope and _opens(clinic_id, k, row_id, body)), None)
    if key is None:
        return False
    author, content, signature = envelope.open_row(clinic_id, key, row_id, body, what="audit")
    try:
        recomputed = audit._row_hash(seq, content["at"], content["actor"], content["action"], content["target"],
                                     content["detail"], prev)
    except (KeyError, TypeError, ValueError):
        return False
    return author == device and recomputed == digest and envelope.verify_row(
        key, row_id, content, signature, member.sign_pub, what="audit")


def _opens(clinic_id: str, key: ScopeKey, row_id: str, body: bytes) -> bool:
    try:
        envelope.open_row(clinic_id, key, row_id, body, what="audit")
    except envelope.EnvelopeError:
        return False
    return True
