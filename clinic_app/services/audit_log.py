"""Reading and verifying the audit log (admins and lawyers)."""

from __future__ import annotations

from clinic_app.domain.roles import Permission
from clinic_app.services.session import Session
from clinic_app.vault import audit
from clinic_app.vault.audit import AuditEntry


def entries(session: Session, *, limit: int | None = None) -> list[AuditEntry]:
    session.require(Permission.READ_AUDIT)
    return audit.entries(session.vault.conn, limit=limit)


def verify(session: Session) -> list[str]:
    session.require(Permission.READ_AUDIT)
    return audit.verify(session.vault.conn, session.vault.vault_id)
