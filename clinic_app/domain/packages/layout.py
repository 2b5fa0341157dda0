"""A filled checklist as a BundleSpec: sections in the package's order, one tab per
document (its translations and declaration as parts of the same tab), one per letter,
one per generated document. Pure: the bundle engine numbers and draws it.

Evidence of an exhibit item goes into the affidavit's tab as its exhibits (after the
exhibits recorded for that affidavit), in checklist order, or in date order for a delay
chronology; only when there is no affidavit yet does it fall back to loose tabs, which
pre-flight refuses in a Federal Court record.

Document ids in the spec say where the bytes come from: "doc:<ref>" is a document in
the vault, "gen:<kind>" a document Haven renders for this build.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from clinic_app.domain.bundle import BundleSettings, BundleSpec, DocumentPart, Section, Tab, tab_labels
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.exhibits import AFFIDAVIT, EXHIBIT_ROLE, exhibits_by_affidavit, part_marks
from clinic_app.domain.letter import SupportLetter
from clinic_app.domain.packages.checklist import Checklist, Entry, PackageInputs
from clinic_app.domain.packages.model import Forum, Generated, PackageDef, Source
from clinic_app.domain.packages.output import Enclosure, ExhibitLine
from clinic_app.domain.packages.parties import parties_line
from clinic_app.domain.translation import TranslationLink, links_by_original
from clinic_app.i18n import N_, translate_for

DOC, GEN = "doc:", "gen:"
LETTER_FROM = N_("Letter from {writer}")
LETTER_FROM_REL = N_("Letter from {writer} ({relationship})")
ORIGINAL, TRANSLATION = N_("Original"), N_("Translation")
DECLARATION, TRANSLATOR_AFFIDAVIT = N_("Translator's declaration"), N_("Translator's affidavit")


@dataclass(frozen=True)
class PackageLayout:
    spec: BundleSpec
    generated: tuple[Generated, ...]  # rendered at build time, in order of appearance
    tabs: dict[str, str]  # document or letter ref -> tab label
    enclosures: tuple[Enclosure, ...]  # what the cover letter lists (everything but itself)
    items: dict[str, str]  # document ref -> id of the checklist item it fills
    exhibits: tuple[ExhibitLine, ...] = ()  # the affidavit's exhibits, marked, in order


def layout_package(checklist: Checklist, inputs: PackageInputs, *, lang: str, today: date, client_name: str,
                   include_cover_letter: bool = True) -> PackageLayout:
    """The spec of the whole package, its tab labels, and the list of enclosures."""
    package = checklist.package
    docs = {d.ref: d for d in inputs.documents}
    letters = {x.ref: x for x in inputs.letters}
    by_original = links_by_original(inputs.links)
    recorded = exhibits_by_affidavit(inputs.exhibits)
    affidavit = _affidavit(package, checklist)
    sections: list[Section] = []
    owners: list[tuple[int, int, str]] = []  # (section, tab, ref) to label afterwards
    generated: list[Generated] = []
    items: dict[str, str] = {}
    found: list[tuple[str, str]] = []  # (document or letter ref, item id) becoming exhibits
    sworn: tuple[int, int, Tab] | None = None  # where the affidavit's tab is
    for section in package.sections:
        tabs: list[Tab] = []
        for entry in (e for e in checklist.entries if e.section is section):
            item = entry.item
            if item.source is Source.GENERATED and item.generated is not None:
                if item.generated is Generated.COVER_LETTER and not include_cover_letter:
                    continue
                generated.append(item.generated)
                tabs.append(Tab(item.label_in(lang), today, [DocumentPart(GEN + item.generated.value)]))
            if item.exhibit and affidavit is not None:
                found += [(ref, item.id) for ref in (*entry.documents, *entry.letters)]
                continue
            for ref in entry.documents:
                items[ref] = item.id
                owners.append((len(sections), len(tabs), ref))
                tab = _document_tab(docs[ref], by_original, lang, package.declaration_kind)
                if ref == affidavit:
                    sworn = (len(sections), len(tabs), tab)
                for exhibit in recorded.get(ref, ()):
                    if exhibit in docs:
                        tab.parts += _exhibit_parts(exhibit, docs, letters, by_original, lang, package)
                        owners.append((len(sections), len(tabs), exhibit))
                _as_affidavit(tab, docs[ref], client_name, lang)
                tabs.append(tab)
            for ref in entry.letters:
                owners.append((len(sections), len(tabs), ref))
                tabs.append(_letter_tab(letters[ref], docs, by_original, lang, package.declaration_kind))
        if tabs:
            sections.append(Section(section.title_in(lang), tabs))
    if sworn is not None:
        s_pos, t_pos, tab = sworn
        for ref, item_id in _in_order(found, package, inputs, docs, letters):
            items[ref] = item_id
            tab.parts += _exhibit_parts(ref, docs, letters, by_original, lang, package)
            owners.append((s_pos, t_pos, ref))
        _as_affidavit(tab, docs[affidavit] if affidavit else None, client_name, lang)
    numbered = package.forum is Forum.FC
    spec = BundleSpec(
        title=f"{package.title_in(lang)} \u2014 {client_name}" if not package.adversarial else package.title_in(lang),
        forum=package.forum_in(lang), file_number=inputs.matter.forum_file_number or "",
        parties=parties_line(inputs.matter, client_name, lang) if package.adversarial else [],
        counsel=inputs.matter.counsel, date=today, language=lang,
        settings=BundleSettings(separator_pages=package.forum in (Forum.RPD, Forum.RAD, Forum.FC),
                                front_matter_numbering="arabic" if numbered else "none",
                                index_heading="contents" if numbered else "index",
                                exhibit_marks=package.exhibit_marks),
        sections=sections,
    )
    labels = tab_labels(spec) if sections else []
    positions = [(s, t) for s, section in enumerate(sections) for t in range(len(section.tabs))]
    label_at = dict(zip(positions, labels))
    tab_of = {ref: label_at[(s, t)] for s, t, ref in owners}
    enclosures = tuple(
        Enclosure(section.title, tuple((label_at[(s, t)], tab.title, tab.date) for t, tab in enumerate(section.tabs)
                                       if tab.parts[0].document_id != GEN + Generated.COVER_LETTER.value))
        for s, section in enumerate(sections))
    exhibits = _exhibit_lines(sworn[2] if sworn else None, package)
    return PackageLayout(spec, tuple(generated), tab_of, tuple(e for e in enclosures if e.tabs), items, exhibits)


def _affidavit(package: PackageDef, checklist: Checklist) -> str | None:
    """The document the package's exhibits attach to: the first one filling its affidavit item."""
    item = package.affidavit_item()
    entry: Entry | None = checklist.entry(item.id) if item is not None else None
    return entry.documents[0] if entry is not None and entry.documents else None


def _in_order(found: list[tuple[str, str]], package: PackageDef, inputs: PackageInputs,
              docs: Mapping[str, DocumentMeta], letters: Mapping[str, SupportLetter]) -> list[tuple[str, str]]:
    """Exhibits in checklist order, or in date order for a delay chronology (the day the
    correspondence log records for a document, else the document's own date)."""
    if not package.chronological_exhibits:
        return found
    logged = {e.document_ref: e.day for e in inputs.correspondence if e.document_ref}

    def day(ref: str) -> date:
        if ref in letters:
            return letters[ref].letter_date or date.max
        return logged.get(ref) or docs[ref].doc_date or date.max

    return sorted(found, key=lambda pair: day(pair[0]))


def _exhibit_parts(ref: str, docs: Mapping[str, DocumentMeta], letters: Mapping[str, SupportLetter],
                   by_original: Mapping[str, tuple[TranslationLink, ...]], lang: str,
                   package: PackageDef) -> list[DocumentPart]:
    """An exhibit (a document, or a letter's scan) and its translation and declaration."""
    if ref in letters:
        letter = letters[ref]
        assert letter.document_ref is not None
        title, when, source = _letter_title(letter, lang), letter.letter_date, letter.document_ref
    else:
        title, when, source = docs[ref].title, docs[ref].doc_date, ref
    first = DocumentPart(DOC + source, label=title, role=EXHIBIT_ROLE, date=when)
    return [first, *_companions(source, by_original, lang, package.declaration_kind)]


def _as_affidavit(tab: Tab, doc: DocumentMeta | None, client_name: str, lang: str) -> None:
    """A tab with exhibits names its deponent (the applicant: a package's affidavit is theirs,
    named as the cover names them) and the day it was sworn, for the exhibit stamps."""
    if not any(part.role == EXHIBIT_ROLE for part in tab.parts):
        return
    if not tab.parts[0].label:
        tab.parts[0].label = translate_for(lang, AFFIDAVIT)
    tab.deponent = client_name
    tab.sworn = doc.doc_date if doc is not None else None


def _exhibit_lines(tab: Tab | None, package: PackageDef) -> tuple[ExhibitLine, ...]:
    if tab is None:
        return ()
    marks = part_marks([p.role for p in tab.parts], package.exhibit_marks)
    return tuple(ExhibitLine(mark, part.document_id.removeprefix(DOC), part.label, part.date)
                 for part, mark in zip(tab.parts, marks) if part.role == EXHIBIT_ROLE)


def _companions(ref: str, by_original: Mapping[str, tuple[TranslationLink, ...]], lang: str,
                declaration: Generated) -> list[DocumentPart]:
    parts = []
    for link in by_original.get(ref, ()):
        parts.append(DocumentPart(DOC + link.translation_ref, label=translate_for(lang, TRANSLATION),
                                  role="translation"))
        if link.declaration_ref:
            label = TRANSLATOR_AFFIDAVIT if declaration is Generated.TRANSLATOR_AFFIDAVIT else DECLARATION
            parts.append(DocumentPart(DOC + link.declaration_ref, label=translate_for(lang, label),
                                      role="declaration"))
    return parts


def _document_tab(doc: DocumentMeta, by_original: Mapping[str, tuple[TranslationLink, ...]], lang: str,
                  declaration: Generated) -> Tab:
    extra = _companions(doc.ref, by_original, lang, declaration)
    first = DocumentPart(DOC + doc.ref, label=translate_for(lang, ORIGINAL) if extra else "")
    return Tab(doc.title, doc.doc_date, [first, *extra])


def _letter_tab(letter: SupportLetter, docs: dict[str, DocumentMeta],
                by_original: Mapping[str, tuple[TranslationLink, ...]], lang: str, declaration: Generated) -> Tab:
    assert letter.document_ref is not None
    title = _letter_title(letter, lang)
    extra = _companions(letter.document_ref, by_original, lang, declaration)
    first = DocumentPart(DOC + letter.document_ref, label=translate_for(lang, ORIGINAL) if extra else "")
    when = letter.letter_date or (docs[letter.document_ref].doc_date if letter.document_ref in docs else None)
    return Tab(title, when, [first, *extra])


def _letter_title(letter: SupportLetter, lang: str) -> str:
    return (translate_for(lang, LETTER_FROM_REL).format(writer=letter.writer, relationship=letter.relationship)
            if letter.relationship else translate_for(lang, LETTER_FROM).format(writer=letter.writer))


PLACEHOLDER = "haven.draft.placeholder"  # never a vault ref: refs are chosen by people or "d-NNN"


def reserve_item(checklist: Checklist, inputs: PackageInputs, item_id: str, title: str,
                 today: date) -> tuple[Checklist, PackageInputs]:
    """The checklist as it will be once the document a draft becomes is attached to
    `item_id`: a draft written now then cites the tabs the filed package will have."""
    entry = checklist.entry(item_id)
    if entry.documents:
        return checklist, inputs
    filled = replace(entry, documents=(PLACEHOLDER,), satisfied=True)
    entries = tuple(filled if e is entry else e for e in checklist.entries)
    doc = DocumentMeta(ref=PLACEHOLDER, title=title, doc_date=today)
    return replace(checklist, entries=entries), replace(inputs, documents=(*inputs.documents, doc))
