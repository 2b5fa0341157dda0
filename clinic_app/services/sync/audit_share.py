"""Each laptop's audit chain on the server, and witnesses that catch a server dropping rows.

Every laptop pushes its own hash-chained audit rows (sealed under its scope key; the
row's hash and its predecessor's stay readable so the chain can be checked without
opening anything). After each round a laptop appends a witness row to its own chain
naming the newest row it has seen from every other laptop. `verify` then fetches every
chain and checks, per laptop, that it links from row 1, that each row's hash is the hash
of its contents, and that every row a witness named is still there, unchanged: a server
that truncates, drops or rewrites audit rows is named.
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
    """Problems with the audit chains on the server, as text (empty when they are intact)."""
    conn = session.vault.conn
    settings = local.settings(conn)
    problems: list[str] = []
    with server.connect(settings.url) as pg:
        state = membership.replay(settings.clinic_id, settings.root_sign_pub,
                                  [membership.Entry.from_bytes(r) for r in server.entries(pg)])
        pg.commit()
        keys = local.scope_keys(conn)
        chains: dict[str, list[tuple[int, str, str, str, bytes]]] = {}
        for chain_id, seq, scope, prev, digest, body in server.audit_rows(pg):
            chains.setdefault(chain_id, []).append((seq, scope, prev, digest, body))
    for device, (seq, digest) in sorted(sync_state.peer_heads(conn).items()):
        rows = {r[0]: r for r in chains.get(device, [])}
        if rows.get(seq, (0, "", "", ""))[3] != digest:
            problems.append(_("laptop {device}: audit row {seq}, witnessed here, is missing or changed on the "
                              "server").format(device=device, seq=seq))
    for device, rows in sorted(chains.items()):
        problems += _check_chain(settings.clinic_id, device, rows, keys, state)
    return problems


def _check_chain(clinic_id: str, chain_id: str, rows: list[tuple[int, str, str, str, bytes]],
                 keys: dict[tuple[str, int], ScopeKey], state: membership.State) -> list[str]:
    problems: list[str] = []
    device = chain_id.split("/")[0]
    member = state.member(device)
    expected_seq, expected_prev = 1, None
    for seq, scope, prev, digest, body in sorted(rows):
        if seq != expected_seq or (expected_prev is not None and prev != expected_prev):
            problems.append(_("laptop {device}: audit row {seq} does not follow the row before it").format(
                device=device, seq=seq))
        expected_seq, expected_prev = seq + 1, digest
        row_id = f"{chain_id}:{seq}"
        key = next((k for (s, _e), k in keys.items() if s == scope and _opens(clinic_id, k, row_id, body)), None)
        if key is None or member is None:
            continue  # a scope this laptop cannot read: the links above are all it can check
        author, content, signature = envelope.open_row(clinic_id, key, row_id, body, what="audit")
        recomputed = audit._row_hash(seq, content["at"], content["actor"], content["action"], content["target"],
                                     content["detail"], prev)
        if author != device or recomputed != digest or not envelope.verify_row(
                key, row_id, content, signature, member.sign_pub, what="audit"):
            problems.append(_("laptop {device}: audit row {seq} was changed on the server").format(
                device=device, seq=seq))
    return problems


def _opens(clinic_id: str, key: ScopeKey, row_id: str, body: bytes) -> bool:
    try:
        envelope.open_row(clinic_id, key, row_id, body, what="audit")
    except envelope.EnvelopeError:
        return False
    return True
