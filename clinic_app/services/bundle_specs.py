"""Turning what the user or a manifest said into a BundleSpec, and filling its cover
from the matter at build time (so a corrected file number reaches the next build)."""

from __future__ import annotations

import dataclasses
from datetime import date

from clinic_app.domain.bundle import BundleSettings, BundleSpec, DocumentPart, Section, Tab
from clinic_app.domain.client import Client
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.forums import forum_name
from clinic_app.domain.matter import Matter
from clinic_app.i18n import translate_for
from clinic_app.services.manifest import BundleEntry, TabKind
from clinic_app.vault import records
from clinic_app.vault.connection import Connection

SETTING_NAMES = {"section_prefixes": "section_prefixes", "tab_sheets": "separator_pages",
                 "front_matter_numbering": "front_matter_numbering", "first_page": "first_page_number",
                 "split_max_mb": "max_mb", "split_max_pages": "max_pages"}


def pages_text(pages: tuple[tuple[int, int], ...]) -> str:
    return ",".join(f"{a}-{b}" if a != b else str(a) for a, b in pages)


def tab_for_document(conn: Connection, ref: str, *, title: str = "", when: date | None = None,
                     pages: str = "", language: str = "en") -> Tab:
    """A document tab; its translation and translator's declaration travel with it."""
    doc = records.load(conn, DocumentMeta, records.require_id(conn, "documents", ref))
    parts = [DocumentPart(ref, pages)]
    links = records.translations_of_document(conn, ref)
    if links:
        parts[0].label = translate_for(language, "Original")
    for link in links:
        parts.append(DocumentPart(link.translation_ref, label=translate_for(language, "Translation"),
                                  role="translation"))
        if link.declaration_ref:
            parts.append(DocumentPart(link.declaration_ref, label=translate_for(language, "Translator's declaration"),
                                      role="declaration"))
    return Tab(title=title or doc.title, date=when or doc.doc_date, parts=parts)


def spec_from_manifest(conn: Connection, entry: BundleEntry, language: str) -> BundleSpec:
    settings = BundleSettings(**{SETTING_NAMES[k]: v for k, v in entry.settings.items()})
    sections = [Section()]
    for tab in entry.tabs:
        if tab.kind is TabKind.SECTION:
            if sections[-1].tabs or sections[-1].title:
                sections.append(Section(title=tab.title))
            else:
                sections[-1].title = tab.title
        elif tab.kind is TabKind.REFERENCE:
            sections[-1].tabs.append(Tab(title=tab.title or tab.reference, date=tab.tab_date,
                                         reference=tab.reference))
        else:
            assert tab.doc_ref is not None
            sections[-1].tabs.append(tab_for_document(conn, tab.doc_ref, title=tab.title, when=tab.tab_date,
                                                      pages=pages_text(tab.pages), language=language))
    return BundleSpec(title=entry.title, language=language, settings=settings, sections=sections)


def fill_cover(spec: BundleSpec, matter: Matter, client: Client, today: date) -> BundleSpec:
    """Cover fields the project left blank, from the matter: forum, file number, parties, counsel."""
    party = client.initials_for_outputs if client.public_initials else client.legal_name
    return dataclasses.replace(
        spec,
        forum=spec.forum or forum_name(matter.type, spec.language),
        file_number=spec.file_number or (matter.forum_file_number or ""),
        parties=spec.parties or [party],
        counsel=spec.counsel or matter.counsel,
        date=spec.date or today,
    )
