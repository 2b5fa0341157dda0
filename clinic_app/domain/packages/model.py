"""What a filing package is made of: sections in the required order, and checklist items.

A package definition is plain data (see `defs_tribunals.py`, `defs_applications.py`):
each section cites the rule that fixes its place, each item says how it is satisfied.
Four ways, deliberately few:

* DOCUMENT: any document linked to the matter with one of the item's tags or categories;
* ATTACHED: a document the user attached to this item, or one carrying the item's own
  tag (e.g. "imm5283"). Items that must be signed or sworn are always ATTACHED: Haven
  may draft an affidavit, but only the signed one counts. Their categories only narrow
  the window's chooser (a form item offers documents of category "form" first);
* LETTERS: support letters whose status is "ready to file";
* GENERATED: a document Haven writes at build time (cover letter, evidence index).

In a court record evidence is not filed loose: an `exhibit` item's documents go in as
exhibits to the package's affidavit (its `affidavit` item), after it, marked A, B, C…
(`PackageDef.exhibit_marks`); see layout.py. A `page_limit` is warned about, never enforced.

A document tagged "draft" never satisfies an item and is never filed, whatever the item.
IRCC and CBSA forms are XFA PDFs that cannot be filled reliably outside Adobe: they are
ATTACHED items with a `form` number, never generated.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from clinic_app.domain.document import DocumentCategory
from clinic_app.domain.matter import MatterType
from clinic_app.i18n import N_, _, translate_for

DRAFT_TAG = "draft"


class PackageType(StrEnum):
    RPD_DISCLOSURE = "rpd_disclosure"
    RAD_RECORD = "rad_record"
    FC_RECORD = "fc_record"
    STAY_MOTION = "stay_motion"
    HC_APPLICATION = "hc_application"
    PRRA_SUBMISSIONS = "prra_submissions"
    DEFERRAL_REQUEST = "deferral_request"
    MINISTERIAL_RELIEF = "ministerial_relief"
    STCA_EXCEPTION = "stca_exception"
    MANDAMUS_RECORD = "mandamus_record"


class ItemStatus(StrEnum):
    """Where an item stands, as the clinic tracks it (stored per matter, editable)."""

    MISSING = "missing"
    REQUESTED = "requested"
    RECEIVED = "received"
    TRANSLATED = "translated"
    READY = "ready"

    @property
    def label(self) -> str:
        return _(ITEM_STATUS_LABELS[self])


ITEM_STATUS_LABELS = {
    ItemStatus.MISSING: N_("Missing"),
    ItemStatus.REQUESTED: N_("Requested"),
    ItemStatus.RECEIVED: N_("Received"),
    ItemStatus.TRANSLATED: N_("Translated"),
    ItemStatus.READY: N_("Ready"),
}


class Source(StrEnum):
    DOCUMENT = "document"
    ATTACHED = "attached"
    LETTERS = "letters"
    GENERATED = "generated"


class Generated(StrEnum):
    """Documents Haven writes (see clinic_app/pdf/generated)."""

    COVER_LETTER = "cover_letter"
    DOCUMENT_LIST = "document_list"
    TRANSLATOR_DECLARATION = "translator_declaration"
    TRANSLATOR_AFFIDAVIT = "translator_affidavit"
    SERVICE_STATEMENT = "service_statement"
    AFFIDAVIT_OF_SERVICE = "affidavit_of_service"
    LANGUAGE_STATEMENT = "language_statement"
    HC_EVIDENCE_INDEX = "hc_evidence_index"
    HC_SUBMISSIONS = "hc_submissions"
    DEFERRAL_REQUEST = "deferral_request"
    LETTER_GUIDANCE = "letter_guidance"
    APPLICANT_AFFIDAVIT = "applicant_affidavit"
    MANDAMUS_MEMORANDUM = "mandamus_memorandum"


# Generated documents that are drafts for a person to finish, sign or swear: they are
# never placed in a package and never satisfy an item.
DRAFTS = frozenset({
    Generated.TRANSLATOR_DECLARATION, Generated.TRANSLATOR_AFFIDAVIT, Generated.SERVICE_STATEMENT,
    Generated.AFFIDAVIT_OF_SERVICE, Generated.HC_SUBMISSIONS, Generated.DEFERRAL_REQUEST,
    Generated.APPLICANT_AFFIDAVIT, Generated.MANDAMUS_MEMORANDUM,
})


DRAFT_LABELS = {
    Generated.DEFERRAL_REQUEST: N_("Request to defer removal"),
    Generated.HC_SUBMISSIONS: N_("Submissions on humanitarian and compassionate grounds"),
    Generated.SERVICE_STATEMENT: N_("Statement of service"),
    Generated.AFFIDAVIT_OF_SERVICE: N_("Affidavit of service"),
    Generated.TRANSLATOR_DECLARATION: N_("Translator's declaration"),
    Generated.TRANSLATOR_AFFIDAVIT: N_("Affidavit of translator"),
    Generated.APPLICANT_AFFIDAVIT: N_("Affidavit of the applicant"),
    Generated.MANDAMUS_MEMORANDUM: N_("Memorandum of argument (mandamus)"),
}
assert set(DRAFT_LABELS) == DRAFTS


class Forum(StrEnum):
    RPD = "rpd"
    RAD = "rad"
    FC = "fc"
    IRCC = "ircc"
    CBSA = "cbsa"


FORUM_NAMES = {
    Forum.RPD: N_("Immigration and Refugee Board of Canada, Refugee Protection Division"),
    Forum.RAD: N_("Immigration and Refugee Board of Canada, Refugee Appeal Division"),
    Forum.FC: N_("Federal Court"),
    Forum.IRCC: N_("Immigration, Refugees and Citizenship Canada"),
    Forum.CBSA: N_("Canada Border Services Agency"),
}


@dataclass(frozen=True)
class Item:
    """One line of the checklist. `title` and `note` are N_() message ids."""

    id: str
    title: str
    source: Source
    required: bool = True
    categories: tuple[DocumentCategory, ...] = ()
    tags: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()  # LETTERS: only letters with one of these themes ("" = any)
    generated: Generated | None = None  # GENERATED: what Haven writes
    draft: Generated | None = None  # ATTACHED: Haven can draft it; the draft never counts
    signed: bool = False  # must be signed or sworn by a person
    form: str = ""  # "IMM 5283": a completed form the user attaches
    citation: str = ""
    note: str = ""
    recommended: bool = False  # not required, but its absence is worth a warning
    required_when_represented: bool = False  # e.g. IMM 5476 when counsel acts
    required_with: str = ""  # required when this other item is satisfied (transcript -> declaration)
    catch_all: bool = False  # DOCUMENT: takes the matter's documents no other item took
    affidavit: bool = False  # the affidavit the package's exhibits are attached to
    exhibit: bool = False  # its documents go in as exhibits to the affidavit, never loose
    page_limit: int = 0  # pages allowed (a warning when over), 0: none
    page_limit_citation: str = ""

    def __post_init__(self) -> None:
        if self.signed and self.source is not Source.ATTACHED:
            raise ValueError(f"{self.id}: a signed or sworn item must be attached by the user")
        if self.form and self.source is not Source.ATTACHED:
            raise ValueError(f"{self.id}: forms are attached, never generated")
        if (self.source is Source.GENERATED) != (self.generated is not None):
            raise ValueError(f"{self.id}: generated items name what is generated, and only they do")
        if self.generated in DRAFTS:
            raise ValueError(f"{self.id}: a draft cannot be placed in a package")
        if self.catch_all and (self.source is not Source.DOCUMENT or self.required):
            raise ValueError(f"{self.id}: only an optional DOCUMENT item can take the leftovers")
        if self.affidavit and (self.exhibit or self.source is not Source.ATTACHED):
            raise ValueError(f"{self.id}: an affidavit is attached by the user, and is no exhibit")

    def label_in(self, lang: str) -> str:
        text = translate_for(lang, self.title)
        return f"{self.form}: {text}" if self.form else text


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    citation: str
    items: tuple[Item, ...]

    def title_in(self, lang: str) -> str:
        return translate_for(lang, self.title)


@dataclass(frozen=True)
class PackageDef:
    """A package type: its sections in the required order, and what it applies to."""

    type: PackageType
    title: str
    forum: Forum
    matter_types: tuple[MatterType, ...]
    citation: str
    sections: tuple[Section, ...]
    deadline_rules: tuple[str, ...] = ()
    declaration_kind: Generated = Generated.TRANSLATOR_DECLARATION
    declaration_required: bool = True  # False: IRCC waives the affidavit for certified translators
    adversarial: bool = False  # court records name the parties on the cover
    notes: tuple[str, ...] = ()
    exhibit_marks: str = "letters"  # letters (A, B, C) or numbers (1, 2, 3), per forum practice
    chronological_exhibits: bool = False  # exhibits in date order (a delay chronology)

    def __post_init__(self) -> None:
        ids = [item.id for _s, item in self.items()]
        if len(ids) != len(set(ids)):
            raise ValueError(f"{self.type}: item ids repeat")
        if len({s.id for s in self.sections}) != len(self.sections):
            raise ValueError(f"{self.type}: section ids repeat")
        for _s, item in self.items():
            if item.required_with and item.required_with not in ids:
                raise ValueError(f"{self.type}: {item.id} depends on an unknown item")
        if any(item.exhibit for _s, item in self.items()) and self.affidavit_item() is None:
            raise ValueError(f"{self.type}: exhibits need an affidavit item")

    def affidavit_item(self) -> Item | None:
        return next((item for _s, item in self.items() if item.affidavit), None)

    def items(self) -> list[tuple[Section, Item]]:
        return [(section, item) for section in self.sections for item in section.items]

    def drafts(self) -> tuple[Generated, ...]:
        """What Haven can draft for this package, in checklist order, then the translator's
        declaration or affidavit the forum takes."""
        found = [item.draft for _s, item in self.items() if item.draft is not None]
        return tuple(dict.fromkeys([*found, self.declaration_kind]))

    def item(self, item_id: str) -> Item:
        for _s, item in self.items():
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def title_in(self, lang: str) -> str:
        return translate_for(lang, self.title)

    def forum_in(self, lang: str) -> str:
        return translate_for(lang, FORUM_NAMES[self.forum])
