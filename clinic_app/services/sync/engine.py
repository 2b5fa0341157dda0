"""`Sync now`: check membership, capture local edits, pull, push, and share the audit chain.

One call does a whole round against the clinic's server: (1) read the membership log
and verify it from the pinned first entry, take any newly granted scope keys; (2) turn
local edits into the outbox; (3) pull and merge what others pushed; (4) push the outbox,
pulling again when another laptop's version won a swap; (5) push this laptop's new audit
rows and record, as a witness, how far every other laptop's chain has reached. A server
that goes away mid-round loses nothing: every step commits locally only what the server
confirmed, and the next round picks up where this one stopped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any


from clinic_app.domain.progress import CancelToken, Progress, no_progress
from clinic_app.domain.roles import Permission
from clinic_app.errors import HavenError
from clinic_app.i18n import _
from clinic_app.services.session import Session
from clinic_app.services.sync import audit_share, grants, incoming, local, membership, outgoing, server
from clinic_app.services.sync.envelope import ScopeKey
from clinic_app.vault import audit, blobs, purge, sync_rows, sync_state

if TYPE_CHECKING:
    import psycopg

MAX_ROUNDS = 5


class SyncFailed(HavenError):
    """The round could not finish (server unreachable, refused, or a log that does not verify)."""

    def __init__(self, detail: str) -> None:
        super().__init__(_("Sharing with the clinic's server did not finish: {detail}. Nothing was lost: "
                           "what was not sent is sent at the next sync.").format(detail=detail))


@dataclass
class SyncReport:
    pulled: int = 0
    applied: int = 0
    deleted: int = 0
    rejected: int = 0
    waiting: int = 0
    pushed: int = 0
    chunks_uploaded: int = 0
    chunks_already_there: int = 0
    conflicts_found: int = 0
    open_conflicts: int = 0
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, old, new): created twice offline
    renamed_after_deletion: list[tuple[str, str, str]] = field(default_factory=list)  # the ref was a deleted record's


def verified_membership(pg: psycopg.Connection[Any], settings: local.Settings,
                        known: membership.State | None = None) -> membership.State:
    """The server's membership log, verified. Once this laptop has verified a log (`known`), the
    server's must extend it from its head: a shorter log (a removal dropped) or one that differs
    at that head (a branch) is refused, never replayed, else the server could bring a removed
    member back and an admin's next entry would bury the removal for good."""
    raw = server.entries(pg)
    pg.commit()
    try:
        entries = [membership.Entry.from_bytes(r) for r in raw]
        if known is None:
            return membership.replay(settings.clinic_id, settings.root_sign_pub, entries)
        if len(entries) < known.seq or entries[known.seq - 1].digest != known.head:
            raise SyncFailed(_("the server's membership log is older than, or different from, the one this laptop "
                               "already verified (entry {seq}): the server may have been tampered with or restored "
                               "from an old backup; nothing was applied").format(seq=known.seq))
        state = known
        for entry in entries[known.seq:]:
            state = membership.apply(state, entry)
        return state
    except (membership.MembershipError, ValueError, KeyError) as exc:
        raise SyncFailed(_("the server's membership log does not verify ({detail}); nothing was applied").format(
            detail=str(exc))) from exc


def refresh(conn: Any, pg: psycopg.Connection[Any], settings: local.Settings) -> tuple[membership.State,
                                                                                        dict[tuple[str, int], ScopeKey]]:
    """The verified membership, saved locally, and every scope key granted to this laptop: only
    grants an admin of that log signed (`grants.accept`); the server may write others."""
    known = local.known_membership(conn, settings)
    state = verified_membership(pg, settings, known)
    me = local.identity(conn)
    mine = state.member(me.device_id)
    if mine is None or mine.removed_at is not None:
        raise SyncFailed(_("this laptop is no longer a member of the clinic"))
    held = local.scope_keys(conn)
    id_keys = {k.scope: k.id_key for k in held.values()}
    rows = [g for g in server.my_grants(pg, me.device_id) if (g[0], g[1]) not in held]
    pg.commit()
    if rows or known is None or known.head != state.head:
        conn.execute("BEGIN IMMEDIATE")
        try:
            local.save_members(conn, state)
            for scope, epoch, raw in rows:
                key = grants.accept(raw, clinic_id=settings.clinic_id, me=me, state=state, scope=scope, epoch=epoch,
                                    held_id_key=id_keys.get(scope))
                if key is None:
                    continue  # not signed by an admin of the verified log, or not ours: never used
                local.save_scope_key(conn, key)
                id_keys[scope] = key.id_key
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return state, local.scope_keys(conn)


def sync_now(session: Session, *, progress: Progress = no_progress, cancel: CancelToken | None = None) -> SyncReport:
    """One full round (see the module docstring)."""
    session.require(Permission.MANAGE_LETTERS)  # every role that may open a vault may share what it holds
    conn = session.vault.conn
    _finish_claim(session)
    settings = local.settings(conn)
    me = local.identity(conn)
    sync_rows.install_triggers(conn)
    report = SyncReport()
    try:
        with server.connect(settings.url) as pg:
            progress(0, 4, _("Checking the clinic's members"))
            state, keys = refresh(conn, pg, settings)
            clock = local.clock(conn, me.device_id)
            with session.transaction():
                report.renamed_after_deletion += incoming.rename_over_deletions(conn, clock, settings.role)
                outgoing.capture(conn, clock, settings.role)
                local.save_clock(conn, clock)
            for round_no in range(MAX_ROUNDS):
                progress(1, 4, _("Receiving changes"))
                pulled = incoming.pull(conn, pg, settings.clinic_id, settings.role, state, keys, clock,
                                       local.cursor(conn), reload=lambda: refresh(conn, pg, settings))
                _add_pull(report, pulled)
                if pulled.deleted:  # deleted elsewhere for good: their bytes and free pages go here too
                    with session.transaction():
                        blobs.delete_unreferenced(conn)
                    purge.scrub(conn)
                progress(2, 4, _("Sending changes"))
                with session.transaction():
                    pushed = outgoing.push(conn, pg, me, settings.clinic_id, settings.role, keys, cancel=cancel)
                    if pushed.deleted_records:
                        pushed.deleted_chunks = outgoing.delete_orphan_chunks(conn, pg, pushed.deleted_records)
                report.pushed += pushed.pushed
                report.chunks_uploaded += pushed.chunks_uploaded
                report.chunks_already_there += pushed.chunks_present
                if not pushed.retry:
                    break
                del round_no
            progress(3, 4, _("Sharing the audit log"))
            audit_share.share(session, pg, settings, keys, state)
    except server.ServerError as exc:
        raise SyncFailed(str(exc)) from exc
    report.open_conflicts = len(sync_state.conflicts(conn))
    with session.transaction():
        sync_state.put(conn, "last_sync", audit.now_utc())
        session.audit("sync", detail={"pulled": report.pulled, "pushed": report.pushed,
                                      "conflicts": report.conflicts_found, "rejected": report.rejected})
    progress(4, 4, _("Done"))
    return report


def _finish_claim(session: Session) -> None:
    """A laptop that joined while the server was away claims its invitation's login first."""
    from clinic_app.services.sync.enrol import InvitationUsed, finish_claim

    try:
        finish_claim(session)
    except server.ServerError as exc:
        raise SyncFailed(str(exc)) from exc
    except InvitationUsed as exc:
        raise SyncFailed(_("the invitation this laptop joined with was already used on another laptop; ask an "
                           "admin for a new invitation")) from exc


def _add_pull(report: SyncReport, pulled: incoming.PullReport) -> None:
    report.pulled += pulled.received
    report.applied += pulled.applied
    report.deleted += pulled.deleted
    report.rejected += pulled.rejected
    report.waiting = pulled.waiting
    report.conflicts_found += pulled.conflicts
    report.renamed += pulled.renamed
