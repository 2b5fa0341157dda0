"""What each record contributes to full-text search (one place, so every save path agrees)."""

from __future__ import annotations

import dataclasses

from clinic_app.domain.client import Client
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.letter import SupportLetter
from clinic_app.domain.matter import Matter
from clinic_app.vault import search
from clinic_app.vault.connection import Connection


def _join(*parts: object) -> str:
    return " ".join(str(p) for p in parts if p)


def index_client(conn: Connection, client_id: int, c: Client) -> None:
    title = _join(c.legal_name, *c.aliases, c.public_initials, c.uci, c.ref)
    body = _join(c.country, *c.languages, c.notes, c.narrative, *(r.name for r in c.relatives))
    search.put(conn, "client", client_id, title, body, ref=c.ref, label=c.legal_name)


def index_matter(conn: Connection, matter_id: int, m: Matter) -> None:
    numbers = [v for v in dataclasses.asdict(m.file_numbers).values() if v]
    title = _join(m.title, m.ref, *numbers)
    body = _join(m.counsel, *(p.name for p in m.adverse_parties), *(p.description for p in m.adverse_parties))
    search.put(conn, "matter", matter_id, title, body, ref=m.ref, label=m.title)


def index_document(conn: Connection, document_id: int, d: DocumentMeta, text: str) -> None:
    search.put(conn, "document", document_id, _join(d.title, d.source, d.original_filename, d.ref), text,
               ref=d.ref, label=d.title)


def index_letter(conn: Connection, letter_id: int, letter: SupportLetter) -> None:
    title = _join(letter.writer, letter.organisation, letter.ref)
    body = _join(letter.relationship, letter.key_quote, letter.contact, *letter.themes)
    search.put(conn, "letter", letter_id, title, body, ref=letter.ref, label=letter.writer)
