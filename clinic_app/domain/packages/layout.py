"""A filled checklist as a BundleSpec: sections in the package's order, one tab per
document (its translations and declaration as parts of the same tab), one per letter,
one per generated document. Pure: the bundle engine numbers and draws it.

Document ids in the spec say where the bytes come from: "doc:<ref>" is a document in
the vault, "gen:<kind>" a document Haven renders for this build.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from clinic_app.domain.bundle import BundleSettings, BundleSpec, DocumentPart, Section, Tab, tab_labels
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.letter import SupportLetter
from clinic_app.domain.packages.checklist import Checklist, PackageInputs
from clinic_app.domain.packages.model import Forum, Generated, PackageType, Source
from clinic_app.domain.packages.output import Enclosure
from clinic_app.domain.translation import TranslationLink, links_by_original
from clinic_app.i18n import N_, translate_for

DOC, GEN = "doc:", "gen:"
APPLICANT = N_("{name}, Applicant")
MCI = N_("The Minister of Citizenship and Immigration, Respondent")
BOTH_MINISTERS = N_("The Minister of Citizenship and Immigration and the Minister of Public Safety and "
                    "Emergency Preparedness, Respondents")
LETTER_FROM = N_("Letter from {writer}")
LETTER_FROM_REL = N_("Letter from {writer} ({relationship})")
ORIGINAL, TRANSLATION = N_("Original"), N_("Translation")
DECLARATION, AFFIDAVIT = N_("Translator's declaration"), N_("Translator's affidavit")


@dataclass(frozen=True)
class PackageLayout:
    spec: BundleSpec
    generated: tuple[Generated, ...]  # rendered at build time, in order of appearance
    tabs: dict[str, str]  # document or letter ref -> tab label
    enclosures: tuple[Enclosure, ...]  # what the cover letter lists (everything but itself)


def layout_package(checklist: Checklist, inputs: PackageInputs, *, lang: str, today: date, client_name: str,
                   include_cover_letter: bool = True) -> PackageLayout:
    """The spec of the whole package, its tab labels, and the list of enclosures."""
    package = checklist.package
    docs = {d.ref: d for d in inputs.documents}
    letters = {x.ref: x for x in inputs.letters}
    by_original = links_by_original(inputs.links)
    sections: list[Section] = []
    owners: list[tuple[int, int, str]] = []  # (section, tab, ref) to label afterwards
    generated: list[Generated] = []
    for section in package.sections:
        tabs: list[Tab] = []
        for entry in (e for e in checklist.entries if e.section is section):
            item = entry.item
            if item.source is Source.GENERATED and item.generated is not None:
                if item.generated is Generated.COVER_LETTER and not include_cover_letter:
                    continue
                generated.append(item.generated)
                tabs.append(Tab(item.label_in(lang), today, [DocumentPart(GEN + item.generated.value)]))
            for ref in entry.documents:
                owners.append((len(sections), len(tabs), ref))
                tabs.append(_document_tab(docs[ref], by_original, lang, package.declaration_kind))
            for ref in entry.letters:
                owners.append((len(sections), len(tabs), ref))
                tabs.append(_letter_tab(letters[ref], docs, by_original, lang, package.declaration_kind))
        if tabs:
            sections.append(Section(section.title_in(lang), tabs))
    spec = BundleSpec(
        title=f"{package.title_in(lang)} \u2014 {client_name}" if not package.adversarial else package.title_in(lang),
        forum=package.forum_in(lang), file_number=inputs.matter.forum_file_number or "",
        parties=_parties(package.type, client_name, lang) if package.adversarial else [],
        counsel=inputs.matter.counsel, date=today, language=lang,
        settings=BundleSettings(separator_pages=package.forum in (Forum.RPD, Forum.RAD, Forum.FC)),
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
    return PackageLayout(spec, tuple(generated), tab_of, tuple(e for e in enclosures if e.tabs))


def _parties(kind: PackageType, name: str, lang: str) -> list[str]:
    respondent = BOTH_MINISTERS if kind is PackageType.STAY_MOTION else MCI
    return [translate_for(lang, APPLICANT).format(name=name), translate_for(lang, respondent)]


def _companions(ref: str, by_original: Mapping[str, tuple[TranslationLink, ...]], lang: str,
                declaration: Generated) -> list[DocumentPart]:
    parts = []
    for link in by_original.get(ref, ()):
        parts.append(DocumentPart(DOC + link.translation_ref, label=translate_for(lang, TRANSLATION),
                                  role="translation"))
        if link.declaration_ref:
            label = AFFIDAVIT if declaration is Generated.TRANSLATOR_AFFIDAVIT else DECLARATION
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
    title = (translate_for(lang, LETTER_FROM_REL).format(writer=letter.writer, relationship=letter.relationship)
             if letter.relationship else translate_for(lang, LETTER_FROM).format(writer=letter.writer))
    extra = _companions(letter.document_ref, by_original, lang, declaration)
    first = DocumentPart(DOC + letter.document_ref, label=translate_for(lang, ORIGINAL) if extra else "")
    when = letter.letter_date or (docs[letter.document_ref].doc_date if letter.document_ref in docs else None)
    return Tab(title, when, [first, *extra])
