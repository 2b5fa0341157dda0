"""Turning what the user or a manifest said into a BundleSpec, and filling its cover
from the matter at build time (so a corrected file number reaches the next build)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from typing import Any

from clinic_app.domain.bundle import (
    BundleSettings, BundleSpec, BundleSpecError, DocumentPart, Section, Tab, validate_spec)
from clinic_app.domain.client import Client
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.forums import forum_name
from clinic_app.domain.matter import Matter
from clinic_app.domain.exhibits import AFFIDAVIT, EXHIBIT_ROLE
from clinic_app.i18n import translate_for
from clinic_app.services.manifest import BundleEntry, TabKind
from clinic_app.vault import correspondence as exhibit_rows
from clinic_app.vault import records
from clinic_app.vault.connection import Connection

# manifest and command-line setting -> BundleSettings field ("language" and "date" are the spec's own)
SETTING_NAMES = {"paper": "paper", "section_prefixes": "section_prefixes", "tab_sheets": "separator_pages",
                 "number_tab_sheets": "number_separator_pages", "header": "header",
                 "front_matter_numbering": "front_matter_numbering", "first_page": "first_page_number",
                 "split_max_mb": "max_mb", "split_max_pages": "max_pages", "margin_mm": "margin_mm",
                 "exhibit_marks": "exhibit_marks", "index_heading": "index_heading"}
SPEC_SETTINGS = ("language", "date")


def settings_of(spec: BundleSpec) -> dict[str, Any]:
    """Every setting under its manifest / command-line name."""
    values = {name: getattr(spec.settings, field) for name, field in SETTING_NAMES.items()}
    return {**values, "language": spec.language, "date": spec.date}


def check_settings(spec: BundleSpec) -> None:
    """The domain's rules for the settings alone (a project with no tabs yet is fine)."""
    try:
        validate_spec(spec)
    except BundleSpecError as exc:
        if exc.field and not exc.item:  # a tab's problem, or no tab yet, is the pre-flight's to report
            raise


def with_settings(spec: BundleSpec, given: Mapping[str, Any]) -> BundleSpec:
    """`spec` with the named settings (manifest / command-line names) changed, the rest kept."""
    settings = dataclasses.replace(spec.settings, **{SETTING_NAMES[k]: v for k, v in given.items()
                                                     if k in SETTING_NAMES})
    return dataclasses.replace(spec, settings=settings, **{k: v for k, v in given.items() if k in SPEC_SETTINGS})


def pages_text(pages: tuple[tuple[int, int], ...]) -> str:
    return ",".join(f"{a}-{b}" if a != b else str(a) for a, b in pages)


def _translated(conn: Connection, ref: str, language: str) -> list[DocumentPart]:
    """The parts a document's translation and translator's declaration add after it."""
    parts = []
    for link in records.translations_of_document(conn, ref):
        parts.append(DocumentPart(link.translation_ref, label=translate_for(language, "Translation"),
                                  role="translation"))
        if link.declaration_ref:
            parts.append(DocumentPart(link.declaration_ref, label=translate_for(language, "Translator's declaration"),
                                      role="declaration"))
    return parts


def tab_for_document(conn: Connection, ref: str, *, title: str = "", when: date | None = None,
                     pages: str = "", language: str = "en", deponent: str = "", sworn: date | None = None) -> Tab:
    """A document tab; its translation and translator's declaration travel with it, and so do the
    exhibits recorded for it (an affidavit), each with its own translation."""
    doc = records.load(conn, DocumentMeta, records.require_id(conn, "documents", ref))
    parts = [DocumentPart(ref, pages), *_translated(conn, ref, language)]
    if len(parts) > 1:
        parts[0].label = translate_for(language, "Original")
    exhibits = exhibit_rows.exhibits_of(conn, records.require_id(conn, "documents", ref))
    if exhibits and not parts[0].label:
        parts[0].label = translate_for(language, AFFIDAVIT)
    for exhibit in exhibits:
        meta = records.load(conn, DocumentMeta, records.require_id(conn, "documents", exhibit))
        parts.append(DocumentPart(exhibit, label=meta.title, role=EXHIBIT_ROLE, date=meta.doc_date))
        parts += _translated(conn, exhibit, language)
    return Tab(title=title or doc.title, date=when or doc.doc_date, parts=parts,
               deponent=(deponent or doc.source) if exhibits else deponent, sworn=sworn)


def spec_from_manifest(conn: Connection, entry: BundleEntry, language: str,
                       base: BundleSpec | None = None) -> BundleSpec:
    """The project a manifest item describes. A supplementary bundle starts from `base` (the
    served bundle's settings, numbering continued): the manifest changes only what it names."""
    spec = with_settings(base or BundleSpec(title=entry.title, language=language, settings=BundleSettings()),
                         entry.settings)
    language = spec.language
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
                                                      pages=pages_text(tab.pages), language=language,
                                                      deponent=tab.deponent, sworn=tab.sworn))
    return dataclasses.replace(spec, title=entry.title, sections=sections)


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
