"""H&C factors: which documents and letters support each, and what is still missing.

A document supports a factor when it is tagged with it; an untagged document counts
through its category (a CRA notice of assessment speaks to establishment). A letter
supports factors through its themes. The completeness view lists, per factor, the
kinds of evidence decision makers expect (IRCC establishment guidance; docs/domain-rules.md
"H&C") and which of them the matter has no evidence of yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from clinic_app.domain.document import DocumentCategory as C
from clinic_app.domain.document import DocumentMeta, HcFactor
from clinic_app.domain.letter import LetterStatus, SupportLetter
from clinic_app.i18n import N_

F = HcFactor

THEME_FACTORS: dict[str, HcFactor] = {
    "employment": F.ESTABLISHMENT,
    "volunteering": F.ESTABLISHMENT,
    "community": F.ESTABLISHMENT,
    "family": F.FAMILY_TIES,
    "hardship": F.HARDSHIP_COUNTRY_CONDITIONS,
}

CATEGORY_FACTORS: dict[C, HcFactor] = {
    C.EMPLOYMENT: F.ESTABLISHMENT,
    C.TAX: F.ESTABLISHMENT,
    C.EDUCATION: F.ESTABLISHMENT,
    C.COUNTRY_CONDITIONS: F.HARDSHIP_COUNTRY_CONDITIONS,
    C.MEDICAL: F.HEALTH,
    C.PSYCHOLOGICAL: F.HEALTH,
}


@dataclass(frozen=True)
class Expected:
    """A kind of evidence expected for a factor: met by a category, a tag or a letter theme."""

    label: str  # N_() message id
    categories: tuple[C, ...] = ()
    tags: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()


EXPECTED: dict[HcFactor, tuple[Expected, ...]] = {
    F.ESTABLISHMENT: (
        Expected(N_("Employment or pay records"), categories=(C.EMPLOYMENT,)),
        Expected(N_("Tax records (CRA notices of assessment)"), categories=(C.TAX,)),
        Expected(N_("Letters from employers, volunteer groups or the community"),
                 themes=("employment", "volunteering", "community")),
    ),
    F.BEST_INTERESTS_CHILD: (
        Expected(N_("School or daycare records"), categories=(C.EDUCATION,), tags=("best_interests_child",)),
        Expected(N_("Evidence of the child's needs and ties in Canada"), tags=("best_interests_child",)),
    ),
    F.HARDSHIP_COUNTRY_CONDITIONS: (
        Expected(N_("Country condition reports"), categories=(C.COUNTRY_CONDITIONS,)),
        Expected(N_("Evidence of personal hardship on return"), tags=("hardship_country_conditions",),
                 themes=("hardship",)),
    ),
    F.FAMILY_TIES: (
        Expected(N_("Proof of family relationships in Canada"), tags=("family_ties",)),
        Expected(N_("Letters from family members"), themes=("family",)),
    ),
    F.HEALTH: (
        Expected(N_("Medical reports"), categories=(C.MEDICAL,)),
        Expected(N_("Psychological reports"), categories=(C.PSYCHOLOGICAL,)),
    ),
}


def document_factors(doc: DocumentMeta) -> frozenset[HcFactor]:
    """The factors a document supports: its factor tags, else its category's factor."""
    if doc.factors:
        return doc.factors
    factor = CATEGORY_FACTORS.get(doc.category)
    return frozenset({factor}) if factor else frozenset()


def letter_factors(letter: SupportLetter) -> frozenset[HcFactor]:
    return frozenset(THEME_FACTORS[t] for t in letter.themes if t in THEME_FACTORS)


@dataclass(frozen=True)
class FactorCompleteness:
    factor: HcFactor
    documents: tuple[str, ...]  # refs
    letters_ready: tuple[str, ...]
    letters_pending: tuple[str, ...]  # requested, received or reviewed: not yet fileable
    missing: tuple[str, ...]  # labels (N_ ids) of expected evidence with nothing yet

    @property
    def supported(self) -> bool:
        return bool(self.documents or self.letters_ready)


def completeness(documents: Iterable[DocumentMeta], letters: Iterable[SupportLetter]
                 ) -> list[FactorCompleteness]:
    """Per factor (in HcFactor order): supporting documents and letters, and what is missing."""
    documents, letters = list(documents), list(letters)
    out: list[FactorCompleteness] = []
    for factor in HcFactor:
        docs = [d for d in documents if factor in document_factors(d)]
        mine = [x for x in letters if factor in letter_factors(x)]
        ready = [x for x in mine if x.status is LetterStatus.READY_TO_FILE]
        missing = []
        for expected in EXPECTED[factor]:
            met = any(d.category in expected.categories or set(d.tags) & set(expected.tags) for d in docs) or \
                any(set(x.themes) & set(expected.themes) for x in ready)
            if not met:
                missing.append(expected.label)
        out.append(FactorCompleteness(
            factor, tuple(d.ref for d in docs), tuple(x.ref for x in ready),
            tuple(x.ref for x in mine if x.status is not LetterStatus.READY_TO_FILE), tuple(missing)))
    return out
