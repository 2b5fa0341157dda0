"""Clients, matters and search: the actions of the home page and the matter overview."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from clinic_app.domain.changes import Changes
from clinic_app.domain.client import Client
from clinic_app.domain.common import next_ref
from clinic_app.domain.matter import Matter
from clinic_app.domain.roles import Permission
from clinic_app.gui.operations import adapters
from clinic_app.gui.tasks import Job, Op, TaskRunner


@dataclass(frozen=True)
class Row:
    """One line of the home page: a client, matter, document or letter."""

    kind: str
    ref: str
    label: str
    detail: str = ""
    matches: tuple[tuple[str, bool], ...] = ()  # a search snippet's (text, is a match) runs; detail is its text
    pending: bool = False  # its snippet is made when the row is shown (`snippets`)


def _refs(session: Any, kind: str) -> list[str]:
    from clinic_app.services.records import listing

    return [row["ref"] for row in listing(session, kind).rows]


def search(runner: TaskRunner, *, query: str, limit: int = 200) -> Op:
    """Instant search; an empty query lists every client and matter (letters for volunteers)."""

    def work(job: Job) -> list[Row]:
        from clinic_app.services.records import SCREENFUL, listing, search_records

        session = job.session
        if query.strip():
            return [Row(r.kind, r.ref, r.label, r.text, r.parts, r.pending)
                    for r in search_records(session, query, limit=limit, snippets=SCREENFUL)]  # the rest when shown
        if not session.can(Permission.READ_RECORDS):
            rows = listing(session, "letters").rows
            return [Row("letter", r["ref"], r["writer"], r["matter"]) for r in rows]
        clients = [Row("client", r["ref"], r["name"], r["country"] or "") for r in listing(session, "clients").rows]
        matters = [Row("matter", r["ref"], r["title"], r["client"]) for r in listing(session, "matters").rows]
        return clients + matters

    return Op(runner, work)


def snippets(runner: TaskRunner, *, query: str, rows: list[Row]) -> Op:
    """The pending rows of a search, with their snippets (rows whose record is gone stay as they were)."""

    def work(job: Job) -> list[Row]:
        from clinic_app.services.records import search_snippets

        found = search_snippets(job.session, query, [(row.kind, row.ref) for row in rows])
        return [dataclasses.replace(row, detail="".join(t for t, _m in found[key]), matches=found[key],
                                    pending=False) if (key := (row.kind, row.ref)) in found
                else dataclasses.replace(row, pending=False) for row in rows]

    return Op(runner, work)


def matters_of_document(runner: TaskRunner, *, ref: str) -> Op:
    def work(job: Job) -> list[str]:
        from clinic_app.services.records import listing

        for row in listing(job.session, "documents").rows:
            if row["ref"] == ref:
                return list(row["matters"])
        return []

    return Op(runner, work)


@dataclass
class MatterView:
    """Everything the matter workspace shows, loaded in one trip to the vault thread."""

    matter: Matter
    client: Client
    shown: dict[str, Any]
    deadlines: list[Any] = field(default_factory=list)
    deadlines_note: str = ""


def load_matter(runner: TaskRunner, *, ref: str) -> Op:
    def work(job: Job) -> MatterView:
        from clinic_app.services import case_record, records

        session = job.session
        shown = records.show_matter(session, ref)
        matter = case_record.get_matter(session, ref)
        view = MatterView(matter, case_record.get_client(session, matter.client_ref), shown)
        try:
            view.deadlines = adapters.matter_deadlines(session, ref)
        except adapters.NotAvailable as exc:
            view.deadlines_note = str(exc)
        return view

    return Op(runner, work)


def agenda(runner: TaskRunner, *, today: date) -> Op:
    return Op(runner, lambda job: adapters.agenda(job.session, today))


def load_client(runner: TaskRunner, *, ref: str) -> Op:
    def work(job: Job) -> Client:
        from clinic_app.services.case_record import get_client

        return get_client(job.session, ref)

    return Op(runner, work)


def client_choices(runner: TaskRunner) -> Op:
    """(ref, name) of every client, for the matter form."""

    def work(job: Job) -> list[tuple[str, str]]:
        from clinic_app.services.records import listing

        return [(r["ref"], r["name"]) for r in listing(job.session, "clients").rows]

    return Op(runner, work)


@dataclass(frozen=True)
class Saved:
    ref: str
    changes: Changes


def client_ref_for(session: Any) -> str:
    """The ref a new client gets: the next free "c-NNN" (on the vault thread)."""
    return next_ref("c", _refs(session, "clients"))


def matter_ref_for(session: Any) -> str:
    return next_ref("m", _refs(session, "matters"))


def save_client(runner: TaskRunner, *, client: Client, new: bool) -> Op:
    """Save a client as it is (undo steps; a form's save goes through clients.save_checked)."""

    def work(job: Job) -> Saved:
        from clinic_app.services.case_record import save_client as save

        record = dataclasses.replace(client, ref=client_ref_for(job.session)) if new else client
        return Saved(record.ref, save(job.session, record))

    return Op(runner, work, writes=True)


def save_matter(runner: TaskRunner, *, matter: Matter, new: bool) -> Op:
    def work(job: Job) -> Saved:
        from clinic_app.services.case_record import save_matter as save

        record = dataclasses.replace(matter, ref=matter_ref_for(job.session)) if new else matter
        return Saved(record.ref, save(job.session, record))

    return Op(runner, work, writes=True)
