"""What generated documents may show about a matter, with the safety rules applied once.

The PDF code never sees a Client: it gets an OutputContext built here, so no
generated page can forget a rule:

* the client's name is replaced by public initials when the clinic withholds it
  (by default, whenever public initials were recorded);
* relatives appear only if someone chose to include them (`include_in_outputs`);
* an address, phone or email appears only when marked safe to contact;
* the narrative, notes, the matter's own title (often a surname) and letter
  writers' contact details never appear.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from clinic_app.domain.client import Client, ContactKind
from clinic_app.domain.correspondence import CorrespondenceEntry, chronology
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.letter import LetterStatus, SupportLetter
from clinic_app.domain.matter import Matter
from clinic_app.domain.packages.factors import document_factors, letter_factors
from clinic_app.domain.packages.model import FORUM_NAMES, Forum, PackageDef
from clinic_app.domain.packages.parties import respondent_names
from clinic_app.domain.translation import TranslationLink
from clinic_app.i18n import translate_for


@dataclass(frozen=True)
class DocLine:
    ref: str
    title: str
    date: date | None
    source: str
    language: str
    factors: tuple[str, ...]  # HcFactor values
    category: str = ""
    tags: tuple[str, ...] = ()
    tab: str = ""  # tab label in the package, "" when not in it
    item: str = ""  # id of the checklist item it fills, "" when none


@dataclass(frozen=True)
class LetterLine:
    ref: str
    writer: str
    relationship: str
    organisation: str
    date: date | None
    themes: tuple[str, ...]
    factors: tuple[str, ...]
    key_quote: str
    ready: bool
    tab: str = ""


@dataclass(frozen=True)
class RelativeLine:
    name: str
    relationship: str
    status_in_canada: str


@dataclass(frozen=True)
class TranslationLine:
    original_ref: str
    original_title: str
    language: str  # code of the original
    translation_title: str
    has_declaration: bool
    dialect: str = ""  # the client's own words for it ("Spanish (Honduras)"), when one matches


@dataclass(frozen=True)
class ExhibitLine:
    """One exhibit to the package's affidavit, as the affidavit cites it."""

    mark: str  # "A" or "1"
    ref: str  # the document
    title: str
    date: date | None


@dataclass(frozen=True)
class Enclosure:
    section: str  # translated section title
    tabs: tuple[tuple[str, str, date | None], ...]  # (tab label, title, date)


@dataclass(frozen=True)
class OutputContext:
    lang: str
    today: date
    forum: Forum
    package_title: str  # translated; "" outside a package
    package: str  # PackageType value; "" outside a package
    matter_type: str  # translated label
    client_name: str  # initials when withheld
    name_withheld: bool
    uci: str
    file_number: str
    counsel: str
    hearing: date | None = None
    decision: date | None = None
    removal: date | None = None
    country: str = ""
    address: str = ""  # only a safe-to-contact address
    relatives: tuple[RelativeLine, ...] = ()
    documents: tuple[DocLine, ...] = ()
    letters: tuple[LetterLine, ...] = ()
    translations: tuple[TranslationLine, ...] = ()
    enclosures: tuple[Enclosure, ...] = ()
    respondents: tuple[str, ...] = ()  # the Ministers a court record names (IMM r. 5(2)), translated
    exhibits: tuple[ExhibitLine, ...] = ()  # the package affidavit's exhibits, marked
    correspondence: tuple[CorrespondenceEntry, ...] = ()  # the matter's log, in date order

    @property
    def forum_name(self) -> str:
        return translate_for(self.lang, FORUM_NAMES[self.forum])


def display_name(client: Client, withhold: bool | None = None) -> tuple[str, bool]:
    """(name for outputs, withheld?): initials when withheld; by default when initials were chosen."""
    withheld = bool(client.public_initials) if withhold is None else withhold
    return (client.initials_for_outputs if withheld else client.legal_name), withheld


def output_context(
    matter: Matter, client: Client, *, forum: Forum, today: date, package: PackageDef | None = None,
    lang: str | None = None, documents: Iterable[DocumentMeta] = (), letters: Iterable[SupportLetter] = (),
    links: Iterable[TranslationLink] = (), tabs: Mapping[str, str] | None = None,
    enclosures: Iterable[Enclosure] = (), withhold_name: bool | None = None,
    items: Mapping[str, str] | None = None, exhibits: Iterable[ExhibitLine] = (),
    correspondence: Iterable[CorrespondenceEntry] = (),
) -> OutputContext:
    """Everything a generated document may print for `matter`; `tabs` maps a document ref to its
    tab, `items` to the checklist item it fills."""
    lang = lang or matter.language.value
    tabs, items = tabs or {}, items or {}
    name, withheld = display_name(client, withhold_name)
    documents = list(documents)
    by_ref = {d.ref: d for d in documents}
    address = client.contact_for_output(ContactKind.ADDRESS)
    numbers = matter.file_numbers
    return OutputContext(
        lang=lang, today=today, forum=forum,
        package_title=package.title_in(lang) if package else "",
        package=package.type.value if package else "",
        matter_type=matter.type.label_in(lang),
        client_name=name, name_withheld=withheld,
        uci=numbers.uci or client.uci or "",
        file_number=matter.forum_file_number or "",
        counsel=matter.counsel,
        hearing=matter.dates.hearing, decision=matter.dates.decision, removal=matter.dates.removal,
        country=client.country,
        address=address.value if address else "",
        relatives=tuple(RelativeLine(r.name, r.relationship, r.status_in_canada)
                        for r in client.relatives_for_output()),
        documents=tuple(DocLine(d.ref, d.title, d.doc_date, d.source, d.effective_language,
                                tuple(sorted(f.value for f in document_factors(d))), d.category.value, d.tags,
                                tabs.get(d.ref, ""), items.get(d.ref, ""))
                        for d in documents),
        letters=tuple(_letter_line(x, tabs) for x in letters),
        translations=tuple(
            TranslationLine(link.original_ref, by_ref[link.original_ref].title,
                            by_ref[link.original_ref].effective_language,
                            by_ref[link.translation_ref].title, link.declaration_ref is not None,
                            dialect_of(client.languages, by_ref[link.original_ref].effective_language))
            for link in links if link.original_ref in by_ref and link.translation_ref in by_ref),
        enclosures=tuple(enclosures),
        respondents=respondent_names(matter, lang),
        exhibits=tuple(exhibits),
        correspondence=tuple(chronology(correspondence)),
    )


def dialect_of(languages: Iterable[str], code: str) -> str:
    """The client's language as they described it ("Spanish (Honduras)") when it names a dialect
    of the document's language `code`: a translator's declaration states the dialect."""
    names = LANGUAGE_WORDS.get(code.split("-")[0].lower(), ())
    for spoken in languages:
        low = spoken.casefold()
        if "(" in spoken and any(low.startswith(name) for name in names):
            return spoken.strip()
    return ""


# English and French names of the languages clients most often speak, to match "Spanish (Honduras)".
LANGUAGE_WORDS = {
    "es": ("spanish", "espagnol"), "ar": ("arabic", "arabe"), "fa": ("persian", "farsi", "dari", "persan"),
    "zh": ("chinese", "mandarin", "cantonese", "chinois"), "pt": ("portuguese", "portugais"),
    "ru": ("russian", "russe"), "uk": ("ukrainian", "ukrainien"), "tr": ("turkish", "turc"),
    "am": ("amharic", "amharique"), "ti": ("tigrinya", "tigrigna"), "so": ("somali",), "ur": ("urdu", "ourdou"),
    "hi": ("hindi",), "pa": ("punjabi", "pendjabi"), "ta": ("tamil", "tamoul"), "ht": ("haitian", "créole"),
    "sw": ("swahili",), "ku": ("kurdish", "kurde"), "ps": ("pashto", "pachto"),
}


def _letter_line(letter: SupportLetter, tabs: Mapping[str, str]) -> LetterLine:
    return LetterLine(letter.ref, letter.writer, letter.relationship, letter.organisation, letter.letter_date,
                      letter.themes, tuple(sorted(f.value for f in letter_factors(letter))), letter.key_quote,
                      letter.status is LetterStatus.READY_TO_FILE, tabs.get(letter.ref, ""))
