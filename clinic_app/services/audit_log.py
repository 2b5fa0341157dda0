"""Reading and verifying the audit log (admins and lawyers): `clinic-app audit` and Vault > Audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from clinic_app.domain.roles import Permission
from clinic_app.services.session import Session
from clinic_app.vault import audit
from clinic_app.vault.audit import AuditEntry, ChainBreak


def entries(session: Session, *, limit: int | None = None, actor: str = "", action: str = "",
            since: date | None = None, until: date | None = None,
            below_seq: int | None = None) -> list[AuditEntry]:
    """Rows in order, filtered by who, what and UTC day (`until` included); with `limit`, the
    newest that match, and `below_seq` pages back from the oldest row already shown."""
    session.require(Permission.READ_AUDIT)
    # the last day a date can hold (9999-12-31) has no day after it: it bounds nothing
    before = (until + timedelta(days=1)).isoformat() if until and until < date.max else ""
    return audit.entries(session.vault.conn, limit=limit, actor=actor, action=action,
                         since=since.isoformat() if since else "", before=before, below_seq=below_seq)


def filter_choices(session: Session) -> tuple[list[str], list[str]]:
    """(every user, every action) the log names: what the filters can offer."""
    session.require(Permission.READ_AUDIT)
    conn = session.vault.conn
    return audit.distinct(conn, "actor"), audit.distinct(conn, "action")


def verify(session: Session) -> list[str]:
    session.require(Permission.READ_AUDIT)
    return audit.verify(session.vault.conn, session.vault.vault_id)


@dataclass(frozen=True)
class AuditCheck:
    """The whole check: this laptop's chain and, on a vault connected to a clinic server,
    every laptop's chain there. `server_note` says why the server's chains were not checked."""

    rows: int
    breaks: tuple[ChainBreak, ...]
    shared_problems: tuple[str, ...] = ()
    server_checked: bool = False
    server_note: str = ""

    @property
    def ok(self) -> bool:
        return not (self.breaks or self.shared_problems)

    @property
    def problems(self) -> list[str]:
        """As `clinic-app audit --verify` prints them."""
        return [audit.describe_break(b) for b in self.breaks] + list(self.shared_problems)


def check(session: Session, *, server: bool = True) -> AuditCheck:
    """Verify the chain here and, when connected and `server`, the chains on the clinic's server
    (a server that cannot be reached leaves a note, not a failure: this laptop's log was checked)."""
    session.require(Permission.READ_AUDIT)
    conn = session.vault.conn
    found = tuple(audit.breaks(conn, session.vault.vault_id))
    rows = audit.count(conn)
    from clinic_app.services.sync import local

    if not server or not local.is_connected(conn):
        return AuditCheck(rows, found)
    from clinic_app.services.sync import audit_share
    from clinic_app.services.sync import server as sync_server

    try:
        shared = audit_share.verify(session)
    except sync_server.ServerError as exc:
        return AuditCheck(rows, found, server_note=str(exc))
    return AuditCheck(rows, found, tuple(shared), server_checked=True)
