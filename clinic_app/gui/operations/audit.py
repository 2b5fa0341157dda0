"""Vault > Audit log: read a page of the log and verify it, each an Op on the vault thread.

The same service calls as `clinic-app audit` (services/audit_log.py). A page holds at most
PAGE rows, newest first, so a long log never arrives in one piece; `below_seq` pages back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from clinic_app.gui.tasks import Job, Op, TaskRunner

PAGE = 500


@dataclass(frozen=True)
class AuditPage:
    rows: tuple[Any, ...]  # vault.audit.AuditEntry, newest first
    more: bool  # older rows match the same filters
    users: tuple[str, ...]  # every user and every action the log names: the filters' choices
    actions: tuple[str, ...]


def load(runner: TaskRunner, *, actor: str = "", action: str = "", since: date | None = None,
         until: date | None = None, below_seq: int | None = None) -> Op:
    def work(job: Job) -> AuditPage:
        from clinic_app.services import audit_log

        session = job.session
        rows = audit_log.entries(session, limit=PAGE + 1, actor=actor, action=action, since=since, until=until,
                                 below_seq=below_seq)
        users, actions = audit_log.filter_choices(session)
        return AuditPage(tuple(reversed(rows[-PAGE:])), len(rows) > PAGE, tuple(users), tuple(actions))

    return Op(runner, work)


def verify(runner: TaskRunner, *, server: bool) -> Op:
    """services.audit_log.check: this laptop's chain and, with `server`, the clinic server's chains."""

    def work(job: Job) -> Any:
        from clinic_app.services import audit_log

        return audit_log.check(job.session, server=server)

    return Op(runner, work)
