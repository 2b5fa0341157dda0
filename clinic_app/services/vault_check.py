"""`check`: is the vault intact? Both integrity checks plus the audit chain."""

from __future__ import annotations

from dataclasses import dataclass

from clinic_app.services.session import Session
from clinic_app.vault import audit, connection, migrations


@dataclass(frozen=True)
class CheckReport:
    schema_version: int
    database_problems: tuple[str, ...]
    audit_problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.database_problems and not self.audit_problems


def check(session: Session) -> CheckReport:
    conn = session.vault.conn
    report = CheckReport(
        schema_version=migrations.current_version(conn),
        database_problems=tuple(connection.integrity_problems(conn)),
        audit_problems=tuple(audit.verify(conn, session.vault.vault_id)),
    )
    with session.transaction():
        session.audit("check", detail={"ok": report.ok})
    return report
