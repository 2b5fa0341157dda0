"""Read-only views of the case record shaped for the CLI and the window:
listings, one matter in full, and search."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clinic_app.domain.client import Client
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.letter import SupportLetter
from clinic_app.domain.matter import Matter
from clinic_app.domain.roles import Permission
from clinic_app.i18n import _
from clinic_app.services.session import Session
from clinic_app.vault import codec, records, search


@dataclass(frozen=True)
class Listing:
    headers: list[str]
    keys: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)


def _client_row(c: Client) -> dict[str, Any]:
    return {"id": c.id, "ref": c.ref, "name": c.legal_name, "aliases": list(c.aliases),
            "public_initials": c.initials_for_outputs, "country": c.country,
            "birth_date": c.birth_date.isoformat() if c.birth_date else None}


def _matter_row(m: Matter) -> dict[str, Any]:
    return {"id": m.id, "ref": m.ref, "client": m.client_ref, "type": m.type.value, "title": m.title,
            "language": m.language.value, "file_numbers": codec.to_plain(m.file_numbers),
            "status": m.status.value}


def _document_row(conn: Any, d: DocumentMeta) -> dict[str, Any]:
    return {"id": d.id, "ref": d.ref, "title": d.title, "sha256": d.sha256, "size": d.size,
            "pages": d.page_count, "language": d.language, "category": d.category.value, "tags": list(d.tags),
            "date": d.doc_date.isoformat() if d.doc_date else None,
            "original_filename": d.original_filename,
            "matters": records.matters_of_document(conn, int(d.id or 0))}


def _letter_row(x: SupportLetter) -> dict[str, Any]:
    return {"id": x.id, "ref": x.ref, "matter": x.matter_ref, "writer": x.writer,
            "organisation": x.organisation, "status": x.status.value, "signed": x.signed,
            "date": x.letter_date.isoformat() if x.letter_date else None, "themes": list(x.themes)}


def listing(session: Session, kind: str) -> Listing:
    """Rows for `kind`; volunteers see only support letters."""
    session.require(Permission.MANAGE_LETTERS if kind == "letters" else Permission.READ_RECORDS)
    conn = session.vault.conn
    if kind == "clients":
        return Listing([_("Ref"), _("Name"), _("Initials"), _("Country")],
                       ["ref", "name", "public_initials", "country"],
                       [_client_row(c) for c in records.load_all(conn, Client)])
    if kind == "matters":
        return Listing([_("Ref"), _("Client"), _("Type"), _("Title")], ["ref", "client", "type", "title"],
                       [_matter_row(m) for m in records.load_all(conn, Matter)])
    if kind == "documents":
        rows = [_document_row(conn, d) for d in records.load_all(conn, DocumentMeta)]
        for row in rows:
            row["matter_refs"] = ", ".join(row["matters"])
        return Listing([_("Ref"), _("Title"), _("SHA-256"), _("Matters")], ["ref", "title", "sha256", "matter_refs"],
                       rows)
    return Listing([_("Ref"), _("Matter"), _("Writer"), _("Status")], ["ref", "matter", "writer", "status"],
                   [_letter_row(x) for x in records.load_all(conn, SupportLetter)])


def show_matter(session: Session, ref: str) -> dict[str, Any]:
    """Everything about one matter, as plain data (the CLI prints it; --json dumps it)."""
    session.require(Permission.READ_RECORDS)
    conn = session.vault.conn
    matter_id = records.require_id(conn, "matters", ref)
    matter = records.load(conn, Matter, matter_id)
    client = records.load(conn, Client, records.require_id(conn, "clients", matter.client_ref))
    view = _matter_row(matter)
    view.update(
        client={"ref": client.ref, "name": client.legal_name, "public_initials": client.initials_for_outputs},
        dates={k: v for k, v in codec.to_plain(matter.dates).items() if v},
        counsel=matter.counsel,
        documents=[_document_row(conn, d) for d in records.documents_of_matter(conn, matter_id)],
        letters=[_letter_row(x) for x in records.letters_of_matter(conn, matter_id)],
        translations=[codec.to_plain(t) for t in records.translations_of_matter(conn, matter_id)],
        bundles=[ref for ref, _spec in records.bundles_of_matter(conn, matter_id)],
    )
    return view


@dataclass(frozen=True)
class SearchResult:
    kind: str
    ref: str
    label: str
    parts: tuple[tuple[str, bool], ...] = ()  # the snippet: (text, is a match) in reading order
    pending: bool = False  # the snippet is not made yet: `search_snippets` makes it when shown

    @property
    def text(self) -> str:
        """The snippet as plain text."""
        return "".join(text for text, _match in self.parts)

    @property
    def snippet(self) -> str:
        """The snippet for a terminal: matches in [brackets]."""
        return "".join(f"[{text}]" if match else text for text, match in self.parts)


def snippet_parts(snippet: str) -> tuple[tuple[str, bool], ...]:
    """(text, is a match) runs of a snippet marked by the search index, on one line."""
    parts: list[tuple[str, bool]] = []
    snippet = " ".join(snippet.splitlines())
    for i, chunk in enumerate(snippet.split(search.MATCH_START)):
        match, _sep, rest = chunk.partition(search.MATCH_END) if i else ("", "", chunk)
        parts += [(t, m) for t, m in ((match, True), (rest, False)) if t]
    return tuple(parts)


SCREENFUL = 30  # results a window shows at once: their snippets come with the results


def search_records(session: Session, query: str, *, limit: int = 50,
                   snippets: int | None = None) -> list[SearchResult]:
    """Names, aliases, file numbers, titles and document text; results limited by role.
    Only the first `snippets` results get their snippet now (None: all); the others are
    `pending` until `search_snippets` makes theirs."""
    kinds = _searchable_kinds(session)
    conn = session.vault.conn
    hits = search.search(conn, query, kinds=kinds, limit=limit, snippets=snippets)
    # Each kind's refs and labels in one statement: a hit never loads its whole record
    # (a client's narrative can be 200,000 characters).
    labels = {kind: search.labels(conn, kind, [h.entity_id for h in hits if h.kind == kind])
              for kind in {h.kind for h in hits}}
    return [SearchResult(hit.kind, *labels[hit.kind][hit.entity_id], snippet_parts(hit.snippet or ""),
                         pending=hit.snippet is None)
            for hit in hits if hit.entity_id in labels[hit.kind]]


def search_snippets(session: Session, query: str,
                    results: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[tuple[str, bool], ...]]:
    """(kind, ref) -> snippet parts of results `search_records` left pending, as a list shows them."""
    kinds = _searchable_kinds(session)
    conn = session.vault.conn
    rowids: dict[int, tuple[str, str]] = {}
    for kind, ref in results:
        entity_id = records.id_for(conn, search.LABELS[kind][0], ref) if kind in kinds else None
        if entity_id is not None:
            rowids[search.Hit(kind, entity_id, None, 0.0).rowid] = (kind, ref)
    found = search.snippets_of(conn, query, list(rowids))
    return {rowids[rowid]: snippet_parts(snippet) for rowid, snippet in found.items()}


def _searchable_kinds(session: Session) -> tuple[str, ...]:
    if session.can(Permission.READ_RECORDS):
        return ("client", "matter", "document", "letter")
    session.require(Permission.MANAGE_LETTERS)
    return ("letter",)