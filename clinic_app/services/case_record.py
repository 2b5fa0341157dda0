"""Saving and reading clients, matters, letters, translations and bundle projects.

Every save: permission check, one transaction holding the row, its search entry
and its audit row, and a `Changes` value for the window to refresh from.
Volunteers get letters only; narratives are blanked for roles that may not read them.
"""

from __future__ import annotations

import dataclasses
from clinic_app.domain.changes import Changes
from clinic_app.domain.client import Client
from clinic_app.domain.conflicts import ConflictMatch, find_conflicts, people_from_records
from clinic_app.domain.ids import ClientId, LetterId, MatterId
from clinic_app.domain.letter import STATUS_PERMISSION, SupportLetter, transition
from clinic_app.domain.matter import Matter
from clinic_app.domain.roles import Permission
from clinic_app.domain.translation import TranslationLink
from clinic_app.services import indexing
from clinic_app.services.deadline_options import check_options
from clinic_app.services.deadline_rules import LoadedRules, load_rules_cached
from clinic_app.services.deadline_settings import rules_folder
from clinic_app.services.session import Session
from clinic_app.vault import records
from clinic_app.vault.connection import Connection


def save_client(session: Session, client: Client) -> Changes:
    session.require(Permission.EDIT_RECORDS)
    with session.transaction() as conn:
        client_id, created = records.save_client(conn, client)
        indexing.index_client(conn, client_id, client)
        session.audit("client_created" if created else "client_updated", target=f"client:{client_id}")
    return Changes(clients=frozenset({ClientId(client_id)}))


def save_matter(session: Session, matter: Matter, *, rules: LoadedRules | None = None,
                check_rules: bool = True) -> Changes:
    """A deadline option that changed must be one the rules in force offer (`rules`, loaded
    when needed). `check_rules=False` keeps options as they come: a case file from another
    clinic may name an option this clinic's rules dropped, and the deadlines then say so."""
    session.require(Permission.EDIT_RECORDS)
    with session.transaction() as conn:
        if check_rules:
            _check_deadline_options(conn, matter, rules)
        matter_id, created = records.save_matter(conn, matter)
        indexing.index_matter(conn, matter_id, matter)
        session.audit("matter_created" if created else "matter_updated", target=f"matter:{matter_id}")
    return Changes(matters=frozenset({MatterId(matter_id)}))


def _check_deadline_options(conn: Connection, matter: Matter, rules: LoadedRules | None) -> None:
    known = records.id_for(conn, "matters", matter.ref)
    before = records.load(conn, Matter, known) if known is not None else None
    if before is not None and before.type is matter.type and before.deadline_options == matter.deadline_options:
        return
    if matter.deadline_options:
        check_options(matter, rules or load_rules_cached(rules_folder()), before)


def save_letter(session: Session, letter: SupportLetter) -> Changes:
    """Roles decide which statuses a person may set (domain.letter.STATUS_PERMISSION), and a
    saved letter changes status one step at a time, whoever saves it and from wherever."""
    session.require(Permission.MANAGE_LETTERS)
    with session.transaction() as conn:
        _check_letter_status(session, conn, letter)
        letter_id, created = records.save_letter(conn, letter)
        indexing.index_letter(conn, letter_id, letter)
        session.audit("letter_created" if created else "letter_updated", target=f"letter:{letter_id}",
                      detail={"status": letter.status.value})
    return Changes(letters=frozenset({LetterId(letter_id)}))


def _check_letter_status(session: Session, conn: Connection, letter: SupportLetter) -> None:
    session.require(STATUS_PERMISSION[letter.status])
    letter_id = records.id_for(conn, "letters", letter.ref)
    if letter_id is None:
        return
    before = records.load(conn, SupportLetter, letter_id)
    session.require(STATUS_PERMISSION[before.status])
    if before.status is not letter.status:
        transition(before, letter.status)  # one step forward or back, else ValidationError


def link_translation(session: Session, link: TranslationLink) -> Changes:
    session.require(Permission.EDIT_RECORDS)
    with session.transaction() as conn:
        records.save_translation(conn, link)
        session.audit("translation_linked", target=f"document:{records.require_id(conn, 'documents', link.original_ref)}")
    return Changes(links=True)


def attach_declaration(session: Session, translation_ref: str, declaration_ref: str) -> Changes:
    """Record that `declaration_ref` is the translator's declaration for `translation_ref`."""
    from clinic_app.errors import ValidationError
    from clinic_app.i18n import _

    session.require(Permission.EDIT_RECORDS)
    with session.transaction() as conn:
        if not records.set_declaration(conn, translation_ref, declaration_ref):
            raise ValidationError(_("{ref} is not linked as a translation of any document").format(
                ref=translation_ref), item=declaration_ref, field="declaration_for")
        session.audit("translation_linked", target=f"document:{records.require_id(conn, 'documents', translation_ref)}")
    return Changes(links=True)


# --- reading --------------------------------------------------------------------------


def _visible(session: Session, client: Client) -> Client:
    if session.can(Permission.READ_NARRATIVES):
        return client
    return dataclasses.replace(client, narrative="")


def get_client(session: Session, ref: str) -> Client:
    session.require(Permission.READ_RECORDS)
    conn = session.vault.conn
    return _visible(session, records.load(conn, Client, records.require_id(conn, "clients", ref)))


def clients(session: Session) -> list[Client]:
    session.require(Permission.READ_RECORDS)
    return [_visible(session, c) for c in records.load_all(session.vault.conn, Client)]


def get_matter(session: Session, ref: str) -> Matter:
    session.require(Permission.READ_RECORDS)
    conn = session.vault.conn
    return records.load(conn, Matter, records.require_id(conn, "matters", ref))


def matters(session: Session) -> list[Matter]:
    session.require(Permission.READ_RECORDS)
    return records.load_all(session.vault.conn, Matter)


def letters(session: Session, matter_ref: str | None = None) -> list[SupportLetter]:
    session.require(Permission.MANAGE_LETTERS)
    conn = session.vault.conn
    if matter_ref:
        return records.letters_of_matter(conn, records.require_id(conn, "matters", matter_ref))
    return records.load_all(conn, SupportLetter)


def conflicts_for(session: Session, name: str) -> list[ConflictMatch]:
    """People already in the vault whose names resemble `name` (run at intake)."""
    session.require(Permission.READ_RECORDS)
    conn = session.vault.conn
    people = people_from_records(records.load_all(conn, Client), records.load_all(conn, Matter))
    return find_conflicts(name, people)
