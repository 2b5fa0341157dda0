"""The conflict check, run when a client or an adverse party is created or renamed.

A clinic must not act against a client, nor take as a client the agent of
persecution named in another file. So before a client (legal name, aliases) or a
matter's adverse parties are saved with a name that is new or changed, the names are
compared (`domain.conflicts`) with the people recorded under every *other* client:
clients, aliases, relatives and, for a client's names, adverse parties. An adverse
party is not compared with other adverse parties (the same cartel in two files is no
conflict). A person then decides: save anyway or go back, and the decision is audited
with counts and record ids, never names.

The window asks (`save_client_checked` / `save_matter_checked` with `accept_conflicts`
False, then True), a manifest import refuses unless its caller accepts
(`manifest_import`), and `clinic-app conflicts NAME...` just looks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from clinic_app.domain.changes import NO_CHANGES, Changes
from clinic_app.domain.client import Client
from clinic_app.domain.conflicts import ConflictMatch, KnownPerson, PersonKind, find_conflicts, people_from_records
from clinic_app.domain.matter import Matter
from clinic_app.domain.roles import Permission
from clinic_app.errors import ExitCode, HavenError
from clinic_app.i18n import ngettext
from clinic_app.services import case_record
from clinic_app.services.session import Session
from clinic_app.vault import records

SAVED_ANYWAY = "saved_anyway"
WENT_BACK = "went_back"
IMPORTED_ANYWAY = "imported_anyway"


@dataclass(frozen=True)
class NameConflict:
    """One new or changed name and the people already recorded whose names resemble it."""

    name: str
    kind: PersonKind | None  # what the name is on the record being saved (None: a plain search)
    record_ref: str  # the client or matter being saved ("" for a plain search)
    matches: tuple[ConflictMatch, ...]


@dataclass(frozen=True)
class CheckedSave:
    """The outcome of a checked save: saved, or held back because of `conflicts`."""

    saved: bool
    ref: str
    conflicts: tuple[NameConflict, ...] = ()
    changes: Changes = NO_CHANGES


class ConflictsFound(HavenError):
    """Similar names were found and nobody accepted them: nothing was written."""

    exit_code = ExitCode.FAILED

    def __init__(self, conflicts: Iterable[NameConflict], hint: str = "") -> None:
        self.conflicts = tuple(conflicts)
        text = ngettext("{count} name resembles someone already in the vault (a possible conflict of interest); "
                        "nothing was written.",
                        "{count} names resemble people already in the vault (possible conflicts of interest); "
                        "nothing was written.", len(self.conflicts)).format(count=len(self.conflicts))
        super().__init__(f"{text} {hint}".strip())


def search(session: Session, names: Iterable[str]) -> list[NameConflict]:
    """Everyone whose name resembles each of `names` (clients, aliases, relatives, adverse parties)."""
    return [NameConflict(name, None, "", tuple(case_record.conflicts_for(session, name))) for name in names]


def client_conflicts(session: Session, client: Client, people: list[KnownPerson] | None = None,
                     before: Client | None = None) -> list[NameConflict]:
    """The conflicts of `client`'s legal name and aliases that are new or changed."""
    session.require(Permission.READ_RECORDS)
    if before is None:
        before = _stored(session, Client, "clients", client.ref)
    old = {n.casefold() for n in before.all_names} if before else set()
    wanted = [(name, PersonKind.CLIENT if name == client.legal_name else PersonKind.ALIAS)
              for name in client.all_names if name.casefold() not in old]
    return _check(wanted, client.ref, client.ref, people if people is not None else _people(session), None)


def matter_conflicts(session: Session, matter: Matter, people: list[KnownPerson] | None = None,
                     before: Matter | None = None) -> list[NameConflict]:
    """The conflicts of `matter`'s adverse parties that are new or renamed."""
    session.require(Permission.READ_RECORDS)
    if before is None:
        before = _stored(session, Matter, "matters", matter.ref)
    old = {p.name.casefold() for p in before.adverse_parties} if before else set()
    wanted = [(p.name, PersonKind.ADVERSE_PARTY) for p in matter.adverse_parties if p.name.casefold() not in old]
    kinds = {PersonKind.CLIENT, PersonKind.ALIAS, PersonKind.RELATIVE}
    return _check(wanted, matter.ref, matter.client_ref, people if people is not None else _people(session), kinds)


def save_client_checked(session: Session, client: Client, *, accept_conflicts: bool = False) -> CheckedSave:
    """Save `client` unless a new or changed name resembles someone else's; with
    `accept_conflicts` save anyway, auditing that decision with the save."""
    return _save_checked(session, client, client_conflicts, case_record.save_client, accept_conflicts)


def save_matter_checked(session: Session, matter: Matter, *, accept_conflicts: bool = False) -> CheckedSave:
    """As `save_client_checked`, for a matter's adverse parties."""
    return _save_checked(session, matter, matter_conflicts, case_record.save_matter, accept_conflicts)


def _save_checked(session: Session, record: Client | Matter, check: Callable[..., list[NameConflict]],
                  save: Callable[..., Changes], accept: bool) -> CheckedSave:
    session.require(Permission.EDIT_RECORDS)
    with session.transaction():
        found = check(session, record)
        if found and not accept:
            return CheckedSave(False, record.ref, tuple(found))
        changes = save(session, record)
        if found:
            kind, ids = ("client", changes.clients) if isinstance(record, Client) else ("matter", changes.matters)
            record_decision(session, found, SAVED_ANYWAY, target=f"{kind}:{next(iter(ids))}")
    return CheckedSave(True, record.ref, tuple(found), changes)


def record_decision(session: Session, conflicts: Iterable[NameConflict], decision: str, target: str = "") -> None:
    """Audit what the person decided about `conflicts`: counts, kinds and client ids only."""
    found = list(conflicts)
    conn = session.vault.conn
    matched = sorted({cid for c in found for m in c.matches
                      if (cid := records.id_for(conn, "clients", m.person.client_ref)) is not None})
    kinds = sorted({m.person.kind.value for c in found for m in c.matches})
    with session.transaction():
        session.audit("conflict_check", target=target, detail={
            "decision": decision, "names": len(found), "matches": sum(len(c.matches) for c in found),
            "matched_kinds": kinds, "matched_clients": matched})


def manifest_conflicts(session: Session, clients: list[Client], matters: list[Matter]) -> list[NameConflict]:
    """The conflicts a manifest would bring: its new or renamed clients and adverse parties,
    compared with the vault as it would be after the import (so two new clients of the
    same manifest are compared with each other too)."""
    session.require(Permission.READ_RECORDS)
    conn = session.vault.conn
    stored_clients = {c.ref: c for c in records.load_all(conn, Client)}
    stored_matters = {m.ref: m for m in records.load_all(conn, Matter)}
    people = people_from_records({**stored_clients, **{c.ref: c for c in clients}}.values(),
                                 {**stored_matters, **{m.ref: m for m in matters}}.values())
    found: list[NameConflict] = []
    for client in clients:
        found += client_conflicts(session, client, people, stored_clients.get(client.ref) or _NEW_CLIENT)
    for matter in matters:
        found += matter_conflicts(session, matter, people, stored_matters.get(matter.ref) or _NEW_MATTER)
    return found


# --- helpers ----------------------------------------------------------------------------------

_NEW_CLIENT = Client(ref="new", legal_name="-")  # "no stored version": every name is new
_NEW_MATTER = Matter(ref="new", client_ref="new", type="rpd_claim", title="-")  # type: ignore[arg-type]


def _people(session: Session) -> list[KnownPerson]:
    session.require(Permission.READ_RECORDS)
    conn = session.vault.conn
    return people_from_records(records.load_all(conn, Client), records.load_all(conn, Matter))


def _stored(session: Session, cls: type, table: str, ref: str):  # type: ignore[no-untyped-def]
    conn = session.vault.conn
    record_id = records.id_for(conn, table, ref)
    return None if record_id is None else records.load(conn, cls, record_id)


def _check(wanted: list[tuple[str, PersonKind]], record_ref: str, own_client: str, people: list[KnownPerson],
           kinds: set[PersonKind] | None) -> list[NameConflict]:
    others = [p for p in people if p.client_ref != own_client and (kinds is None or p.kind in kinds)]
    found = []
    for name, kind in wanted:
        matches = find_conflicts(name, others)
        if matches:
            found.append(NameConflict(name, kind, record_ref, tuple(matches)))
    return found

