"""Metadata of one piece of documentary evidence, and the facts found at intake.

The bytes live in the vault; this record says what the document is (title,
source, date, category, H&C factor tags) and what intake learned about the file
(hash, pages without a text layer, whether it was encrypted), which the bundle
pre-flight check reads. A document can serve many matters (one country report,
many claimants), so matter links are kept outside this record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from clinic_app.domain.common import (
    MAX_NAME,
    SafeRepr,
    clean_line,
    clean_names,
    language_code,
    parse_enum,
    set_attr,
    validate_ref,
)
from clinic_app.domain.ids import DocumentId
from clinic_app.errors import ValidationError
from clinic_app.i18n import N_, _

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
MEDIA_TYPE_RE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")
MAX_TAGS = 50


class DocumentCategory(StrEnum):
    IDENTITY = "identity"
    COUNTRY_CONDITIONS = "country_conditions"
    MEDICAL = "medical"
    PSYCHOLOGICAL = "psychological"
    EMPLOYMENT = "employment"
    TAX = "tax"
    EDUCATION = "education"
    POLICE = "police"
    LEGAL = "legal"
    CORRESPONDENCE = "correspondence"
    PHOTO = "photo"
    TRANSLATION = "translation"
    DECLARATION = "declaration"
    SUPPORT_LETTER = "support_letter"
    DECISION = "decision"  # a decision or reasons (RPD, IRCC, CBSA, a court)
    REMOVAL_DIRECTION = "removal_direction"  # CBSA's direction to report for removal
    FORM = "form"  # a completed government or court form (IMM 5283, Form IR-1...)
    NOTICE = "notice"  # a notice or receipt from an authority (call-in, acknowledgment of receipt)
    OTHER = "other"

    @property
    def label(self) -> str:
        return _(CATEGORY_LABELS[self])


CATEGORY_LABELS = {
    DocumentCategory.IDENTITY: N_("Identity"),
    DocumentCategory.COUNTRY_CONDITIONS: N_("Country conditions"),
    DocumentCategory.MEDICAL: N_("Medical"),
    DocumentCategory.PSYCHOLOGICAL: N_("Psychological"),
    DocumentCategory.EMPLOYMENT: N_("Employment"),
    DocumentCategory.TAX: N_("Tax"),
    DocumentCategory.EDUCATION: N_("Education"),
    DocumentCategory.POLICE: N_("Police"),
    DocumentCategory.LEGAL: N_("Legal"),
    DocumentCategory.CORRESPONDENCE: N_("Correspondence"),
    DocumentCategory.PHOTO: N_("Photo"),
    DocumentCategory.TRANSLATION: N_("Translation"),
    DocumentCategory.DECLARATION: N_("Translator's declaration"),
    DocumentCategory.SUPPORT_LETTER: N_("Support letter"),
    DocumentCategory.DECISION: N_("Decision or reasons"),
    DocumentCategory.REMOVAL_DIRECTION: N_("Removal direction"),
    DocumentCategory.FORM: N_("Form"),
    DocumentCategory.NOTICE: N_("Notice or receipt"),
    DocumentCategory.OTHER: N_("Other"),
}


class HcFactor(StrEnum):
    """Tags for the H&C factors submissions and evidence indexes are organised by."""

    ESTABLISHMENT = "establishment"
    BEST_INTERESTS_CHILD = "best_interests_child"
    HARDSHIP_COUNTRY_CONDITIONS = "hardship_country_conditions"
    FAMILY_TIES = "family_ties"
    HEALTH = "health"

    @property
    def label(self) -> str:
        return _(HC_FACTOR_LABELS[self])


HC_FACTOR_LABELS = {
    HcFactor.ESTABLISHMENT: N_("Establishment in Canada"),
    HcFactor.BEST_INTERESTS_CHILD: N_("Best interests of the child"),
    HcFactor.HARDSHIP_COUNTRY_CONDITIONS: N_("Hardship and country conditions"),
    HcFactor.FAMILY_TIES: N_("Family ties"),
    HcFactor.HEALTH: N_("Health"),
}


def normalise_tags(tags: tuple[str, ...], field: str = "tags") -> tuple[str, ...]:
    """Tags are lower-case, trimmed, without duplicates; H&C factor tags are among them."""
    if len(tags) > MAX_TAGS:
        raise ValidationError(
            _("has too many entries ({count}; at most {limit})").format(count=len(tags), limit=MAX_TAGS),
            field=field,
        )
    out: list[str] = []
    for i, tag in enumerate(clean_names(tags, field, max_items=MAX_TAGS)):
        value = tag.casefold()
        if len(value) > 60 or "," in value:
            raise ValidationError(_("a tag has at most 60 characters and no commas"), field=f"{field}[{i}]")
        if value not in out:
            out.append(value)
    return tuple(out)


@dataclass(frozen=True, repr=False)
class DocumentMeta(SafeRepr):
    """What a document is, and what intake found in its file.

    Intake facts (sha256 onwards) are None/empty until the importer has read the
    bytes; `pages_without_text` lists 1-based page numbers with no text layer.
    """

    _repr_fields = ("ref", "category", "id")

    ref: str
    title: str
    source: str = ""  # author or issuing body ("UNHCR", "Dr. A. Tremblay")
    doc_date: date | None = None
    language: str = ""
    category: DocumentCategory = DocumentCategory.OTHER
    tags: tuple[str, ...] = ()
    page_count: int | None = None
    sha256: str | None = None
    original_filename: str = ""
    media_type: str = ""
    size: int | None = None
    pages_without_text: tuple[int, ...] = ()
    was_encrypted: bool = False
    language_guess: str = ""
    id: DocumentId | None = None

    def __post_init__(self) -> None:
        set_attr(self, "ref", validate_ref(self.ref))
        set_attr(self, "title", clean_line(self.title, "title", required=True, max_len=500))
        set_attr(self, "source", clean_line(self.source, "source", max_len=MAX_NAME))
        set_attr(self, "language", language_code(self.language))
        set_attr(self, "language_guess", language_code(self.language_guess, "language_guess"))
        set_attr(self, "category", parse_enum(DocumentCategory, self.category, "category"))
        set_attr(self, "tags", normalise_tags(tuple(self.tags)))
        set_attr(self, "original_filename", clean_line(self.original_filename, "original_filename", max_len=255))
        set_attr(self, "media_type", self.media_type.strip().lower())
        if self.doc_date is not None and type(self.doc_date) is not date:
            raise ValidationError(_("must be a date"), field="date")
        if self.sha256 is not None:
            set_attr(self, "sha256", self.sha256.strip().lower())
            if not SHA256_RE.match(self.sha256):
                raise ValidationError(_("not a SHA-256 digest (64 hexadecimal characters)"), field="sha256")
        if self.media_type and not MEDIA_TYPE_RE.match(self.media_type):
            raise ValidationError(_("not a media type such as application/pdf"), field="media_type")
        for name in ("page_count", "size"):
            value = getattr(self, name)
            if value is not None and (type(value) is not int or value < 0):
                raise ValidationError(_("must be a whole number, zero or more"), field=name)
        pages = tuple(sorted(set(self.pages_without_text)))
        set_attr(self, "pages_without_text", pages)
        if pages and (pages[0] < 1 or (self.page_count is not None and pages[-1] > self.page_count)):
            raise ValidationError(_("lists a page that is not in the document"), field="pages_without_text")

    @property
    def factors(self) -> frozenset[HcFactor]:
        """The H&C factors this document is tagged with."""
        codes = {f.value for f in HcFactor}
        return frozenset(HcFactor(t) for t in self.tags if t in codes)

    @property
    def effective_language(self) -> str:
        """The stated language, else intake's guess ("" when neither is known)."""
        return self.language or self.language_guess
