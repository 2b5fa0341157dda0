"""Links between an original, its translation and the translator's declaration.

Tribunals take a document in another language only with its translation and a
declaration (IRB) or affidavit (IRCC), and bundles keep the three together as one
tab, so the links must be unambiguous: three distinct documents, no chains, one
declaration per translation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from clinic_app.domain.common import is_official, set_attr, validate_ref
from clinic_app.domain.document import DocumentMeta
from clinic_app.errors import ValidationError
from clinic_app.i18n import _


@dataclass(frozen=True)
class TranslationLink:
    """`translation_ref` translates `original_ref`; `declaration_ref` is the
    translator's declaration or affidavit for it (None = not yet received)."""

    original_ref: str
    translation_ref: str
    declaration_ref: str | None = None

    def __post_init__(self) -> None:
        set_attr(self, "original_ref", validate_ref(self.original_ref, "translation_of"))
        set_attr(self, "translation_ref", validate_ref(self.translation_ref, "ref"))
        if self.declaration_ref is not None:
            set_attr(self, "declaration_ref", validate_ref(self.declaration_ref, "declaration_for"))
        if self.original_ref == self.translation_ref:
            raise ValidationError(_("a document cannot be its own translation"), field="translation_of")
        if self.declaration_ref in (self.original_ref, self.translation_ref):
            raise ValidationError(
                _("the translator's declaration must be a separate document from the original and the translation"),
                field="declaration_for",
            )


@dataclass(frozen=True)
class LinkProblem:
    """A problem found across several links, attributed to one document."""

    document_ref: str
    field: str
    message: str


def check_links(links: Iterable[TranslationLink]) -> list[LinkProblem]:
    """Problems that only show across links: chains, two declarations for one
    translation, one declaration for two translations, a document translating two."""
    links = list(links)
    problems: list[LinkProblem] = []
    translations = {link.translation_ref for link in links}
    originals = {link.original_ref for link in links}
    seen_translation: set[str] = set()
    seen_declaration: set[str] = set()
    for link in links:
        if link.translation_ref in seen_translation:
            problems.append(LinkProblem(link.translation_ref, "translation_of", _("is linked as a translation twice")))
        seen_translation.add(link.translation_ref)
        if link.original_ref in translations:
            problems.append(
                LinkProblem(
                    link.translation_ref,
                    "translation_of",
                    _("{ref} is itself a translation; link to the original document").format(ref=link.original_ref),
                )
            )
        if link.declaration_ref is None:
            continue
        if link.declaration_ref in seen_declaration:
            problems.append(
                LinkProblem(
                    link.declaration_ref,
                    "declaration_for",
                    _("a translator's declaration covers one translation; this one is used twice"),
                )
            )
        seen_declaration.add(link.declaration_ref)
        if link.declaration_ref in translations or link.declaration_ref in originals:
            problems.append(
                LinkProblem(
                    link.declaration_ref,
                    "declaration_for",
                    _("a translator's declaration cannot also be an original or a translation"),
                )
            )
    return problems


def untranslated(documents: Iterable[DocumentMeta], links: Iterable[TranslationLink]) -> list[DocumentMeta]:
    """Documents in a language other than English or French with no translation:
    the bundle pre-flight flags them before building."""
    translated = {link.original_ref for link in links}
    used_as_translation = {link.translation_ref for link in links}
    out: list[DocumentMeta] = []
    for doc in documents:
        lang = doc.effective_language
        if lang and not is_official(lang) and doc.ref not in translated and doc.ref not in used_as_translation:
            out.append(doc)
    return out


def links_by_original(links: Iterable[TranslationLink]) -> Mapping[str, tuple[TranslationLink, ...]]:
    """Each original's translations (an original may have an English and a French one)."""
    grouped: dict[str, list[TranslationLink]] = {}
    for link in links:
        grouped.setdefault(link.original_ref, []).append(link)
    return {ref: tuple(items) for ref, items in grouped.items()}
