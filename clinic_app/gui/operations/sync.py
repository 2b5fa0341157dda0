"""Sharing with the clinic's server (services/sync): the window's actions, each an Op.

A round runs on the vault thread, so it waits for any write queued before it and
nothing writes while it runs. Checking that the server answers runs first on the
network thread (services/sync/connection.py), so a server that does not answer never
holds the vault. Results are plain data; the connection address stays in memory only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clinic_app.domain.changes import NO_CHANGES, Changes
from clinic_app.errors import Cancelled
from clinic_app.gui.tasks import Job, Op, TaskRunner


@dataclass(frozen=True)
class SyncInfo:
    """`status.status` (connected, server, last_sync, open_conflicts...) and its lines for a tooltip."""

    info: dict[str, Any]
    lines: tuple[str, ...]
    url: str = field(default="", repr=False)  # this laptop's own login: for the reachability check only

    @property
    def connected(self) -> bool:
        return bool(self.info.get("connected"))


@dataclass(frozen=True)
class Synced:
    """One finished round: what it did, the status after it, and what views should reload."""

    report: Any  # services.sync.engine.SyncReport
    status: SyncInfo
    changes: Changes = NO_CHANGES


@dataclass(frozen=True)
class Connected:
    """Setup done; `report` is the first upload's, or None with `sync_error` when it did not finish."""

    server: str
    device: str
    status: SyncInfo
    report: Any = None
    sync_error: str = ""  # the first upload failed (SyncFailed's message)
    stopped: bool = False  # the person stopped the first upload


@dataclass(frozen=True)
class Invited:
    path: Path
    user: str
    role: str
    code: str = field(repr=False)


@dataclass(frozen=True)
class ConflictRow:
    conflict: Any  # services.sync.conflicts.ConflictView (id, kind, ref, field, kept_text, other_text...)
    laptop_user: str  # whose laptop the other value came from ("" when unknown)
    from_this_laptop: bool


def _status(session: Any) -> SyncInfo:
    from clinic_app.services.sync import connection

    if not connection.connected(session):  # without loading the PostgreSQL driver
        return SyncInfo({"connected": False}, ())
    from clinic_app.services.sync import status

    info = status.status(session)
    return SyncInfo(info, tuple(status.describe(info)), connection.address(session))


def load_status(runner: TaskRunner) -> Op:
    return Op(runner, lambda job: _status(job.session))


def check_server(runner: TaskRunner, *, url: str) -> Op:
    """Does the server answer this laptop's login? On the network thread: the vault stays free."""

    def work(job: Job) -> None:
        from clinic_app.services.sync import connection

        connection.check(url)

    return Op(runner, work, pool="network")


def sync_now(runner: TaskRunner) -> Op:
    def work(job: Job) -> Synced:
        from clinic_app.services.sync import status
        from clinic_app.services.sync.engine import sync_now as run_round

        session = job.session
        report = run_round(session, progress=job.progress, cancel=job.cancel)
        changed = report.applied or report.deleted or report.renamed or report.renamed_after_deletion
        return Synced(report, _status(session), status.every_record(session) if changed else NO_CHANGES)

    return Op(runner, work, writes=True)


def connect(runner: TaskRunner, *, url: str) -> Op:
    """Connect this vault to an empty clinic server and upload it (the first round)."""

    def work(job: Job) -> Connected:
        from clinic_app.services.sync import connection, enrol, status
        from clinic_app.services.sync.engine import SyncFailed
        from clinic_app.services.sync.engine import sync_now as run_round

        session = job.session
        with connection.server_errors():
            settings = enrol.setup(session, url)
        server, device = status.server_name(settings.url), settings.device_id
        try:
            report = run_round(session, progress=job.progress, cancel=job.cancel)
        except SyncFailed as exc:  # connected all the same: the next round sends the rest
            return Connected(server, device, _status(session), None, str(exc))
        except Cancelled:
            return Connected(server, device, _status(session), None, stopped=True)
        return Connected(server, device, _status(session), report)

    return Op(runner, work, writes=True)


def what_the_server_sees() -> list[str]:
    from clinic_app.services.sync import status

    return status.what_the_server_sees()


def invite(runner: TaskRunner, *, user: str, out: Path) -> Op:
    def work(job: Job) -> Invited:
        from clinic_app.services.sync import connection, enrol

        with connection.server_errors():
            made = enrol.invite(job.session, user, Path(out))
        return Invited(made.path, made.user, made.role, made.code)

    return Op(runner, work, writes=True)


def list_conflicts(runner: TaskRunner) -> Op:
    def work(job: Job) -> list[ConflictRow]:
        from clinic_app.services.sync import conflicts, status

        session = job.session
        names = status.laptops(session)
        me = status.status(session).get("device", "")
        return [ConflictRow(c, names.get(c.other_author, ""), c.other_author == me)
                for c in conflicts.open_conflicts(session)]

    return Op(runner, work)


def resolve(runner: TaskRunner, *, conflict_id: int, keep: str) -> Op:
    """keep="kept" or "other" (the other value becomes a new edit, sent at the next round)."""

    def work(job: Job) -> Changes:
        from clinic_app.services.sync import conflicts, status

        conflicts.resolve(job.session, conflict_id, keep=keep)
        return status.every_record(job.session) if keep == "other" else NO_CHANGES

    return Op(runner, work, writes=True)
