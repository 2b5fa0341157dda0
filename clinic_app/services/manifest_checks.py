"""Checks across manifest items: unique refs, known cross-references, UCI
agreement between a client and their matters, translation links, bundle tabs.

Runs after every item has been parsed on its own, so it knows every ref. An item
that failed to parse still "declares" its ref, so one broken matter does not also
flood the report with "unknown matter" errors for each of its letters.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from clinic_app.domain.common import is_official, message_of
from clinic_app.domain.identifiers import UCI_NONE
from clinic_app.domain.translation import TranslationLink, check_links
from clinic_app.errors import ValidationError
from clinic_app.i18n import N_, _
from clinic_app.services.manifest_bundles import BundleEntry, TabKind
from clinic_app.services.manifest_items import DocumentEntry

if TYPE_CHECKING:
    from clinic_app.services.manifest import ExistingRefs

Report = Callable[[ValidationError], None]

_UNKNOWN = {
    "clients": N_("no client with ref {ref} in this manifest or in the vault"),
    "matters": N_("no matter with ref {ref} in this manifest or in the vault"),
    "documents": N_("no document with ref {ref} in this manifest or in the vault"),
}


def label(kind: str, index: int, ref: str) -> str:
    return f"{kind}[{index}] (ref {ref})"


class _Refs:
    """Which refs exist, per kind, in the manifest (parsed or not) and the vault."""

    def __init__(
        self, parsed: Mapping[str, list[tuple[int, Any]]], declared: Mapping[str, str], existing: ExistingRefs
    ):
        self.declared = declared
        self.vault = {"clients": existing.clients, "matters": existing.matters, "documents": existing.documents}
        self.entries: dict[str, dict[str, tuple[int, Any]]] = {
            kind: {entry.ref: (index, entry) for index, entry in items} for kind, items in parsed.items()
        }

    def known(self, kind: str, ref: str) -> bool:
        return self.declared.get(ref) == kind or ref in self.vault.get(kind, frozenset())

    def check(self, kind: str, ref: str | None, item: str, field: str, report: Report) -> None:
        if ref and not self.known(kind, ref):
            report(ValidationError(_(_UNKNOWN[kind]).format(ref=ref), item=item, field=field))


def check_references(
    parsed: Mapping[str, list[tuple[int, Any]]],
    declared: Mapping[str, str],
    existing: ExistingRefs,
    report: Report,
) -> None:
    """Report every cross-item problem through `report`."""
    _unique_refs(parsed, report)
    refs = _Refs(parsed, declared, existing)
    clients = refs.entries["clients"]
    for index, entry in parsed["matters"]:
        matter = entry.matter
        item = label("matters", index, matter.ref)
        _check_correspondence(refs, item, entry, report)
        refs.check("clients", matter.client_ref, item, "client", report)
        client = clients.get(matter.client_ref, (0, None))[1]
        theirs, ours = client.uci if client else None, matter.file_numbers.uci
        if theirs and ours and UCI_NONE not in (theirs, ours) and theirs != ours:
            report(
                ValidationError(
                    _("differs from the UCI of client {ref}").format(ref=matter.client_ref),
                    item=item,
                    field="file_numbers.uci",
                )
            )
    for index, doc in parsed["documents"]:
        _check_document(refs, label("documents", index, doc.ref), doc, report)
    for index, entry in parsed["letters"]:
        letter = entry.letter
        item = label("letters", index, letter.ref)
        refs.check("matters", letter.matter_ref, item, "matter", report)
        refs.check("documents", letter.document_ref, item, "document", report)
    for index, bundle in parsed["bundles"]:
        _check_bundle(refs, label("bundles", index, bundle.ref), bundle, report)
    _check_translation_links(refs, parsed["documents"], report)


def _unique_refs(parsed: Mapping[str, list[tuple[int, Any]]], report: Report) -> None:
    """Refs are unique across the whole manifest, ignoring case ("M-1" and "m-1" clash)."""
    first: dict[str, str] = {}
    for kind, items in parsed.items():
        for index, entry in items:
            item = label(kind, index, entry.ref)
            other = first.setdefault(entry.ref.casefold(), item)
            if other != item:
                report(
                    ValidationError(
                        _("the ref {ref} is already used by {other}").format(ref=entry.ref, other=other),
                        item=item,
                        field="ref",
                    )
                )


def _check_document(refs: _Refs, item: str, doc: DocumentEntry, report: Report) -> None:
    for i, matter_ref in enumerate(doc.matter_refs):
        field = "matter" if len(doc.matter_refs) == 1 else f"matters[{i}]"
        refs.check("matters", matter_ref, item, field, report)
    refs.check("documents", doc.translation_of, item, "translation_of", report)
    refs.check("documents", doc.declaration_for, item, "declaration_for", report)
    _check_exhibit(refs, item, doc, report)
    language = doc.meta.language
    if doc.translation_of and language and not is_official(language):
        report(
            ValidationError(
                _("a translation filed in Canada is in English or French, not {language}").format(language=language),
                item=item,
                field="language",
            )
        )
    target = refs.entries["documents"].get(doc.declaration_for or "")
    if target and not target[1].translation_of:
        report(
            ValidationError(
                _(
                    "{ref} is not a translation (it has no translation_of); a declaration goes with a translation"
                ).format(ref=doc.declaration_for),
                item=item,
                field="declaration_for",
            )
        )


def _check_exhibit(refs: _Refs, item: str, doc: DocumentEntry, report: Report) -> None:
    """An exhibit names a document that is not itself an exhibit, and shares a matter with it."""
    if not doc.exhibit_of:
        return
    refs.check("documents", doc.exhibit_of, item, "exhibit_of", report)
    target = refs.entries["documents"].get(doc.exhibit_of)
    if target is None:
        return
    affidavit = target[1]
    if affidavit.exhibit_of:
        report(ValidationError(_("{ref} is itself an exhibit: an exhibit belongs to an affidavit, not to another "
                                 "exhibit").format(ref=doc.exhibit_of), item=item, field="exhibit_of"))
    if not set(affidavit.matter_refs) & set(doc.matter_refs):
        report(ValidationError(_("{ref} shares no matter with this document: an exhibit belongs to the same matter "
                                 "as its affidavit").format(ref=doc.exhibit_of), item=item, field="exhibit_of"))


def _check_correspondence(refs: _Refs, item: str, entry: Any, report: Report) -> None:
    """Each entry's document exists; one in this manifest must be linked to the matter."""
    for i, line in enumerate(entry.correspondence):
        field = f"correspondence[{i}].document"
        refs.check("documents", line.document_ref, item, field, report)
        doc = refs.entries["documents"].get(line.document_ref or "")
        if doc is not None and entry.ref not in doc[1].matter_refs:
            report(ValidationError(_("{ref} is not linked to matter {matter}: add the matter to the document's "
                                     "matters").format(ref=line.document_ref, matter=entry.ref),
                                   item=item, field=field))


def _check_bundle(refs: _Refs, item: str, bundle: BundleEntry, report: Report) -> None:
    refs.check("matters", bundle.matter_ref, item, "matter", report)
    seen: set[tuple[str, tuple[tuple[int, int], ...]]] = set()
    documents = refs.entries["documents"]
    for i, tab in enumerate(bundle.tabs):
        if tab.kind is not TabKind.DOCUMENT or not tab.doc_ref:
            continue
        field = f"tabs[{i}]"
        refs.check("documents", tab.doc_ref, item, field, report)
        if (tab.doc_ref, tab.pages) in seen:
            report(
                ValidationError(
                    _("{ref} is listed twice with the same pages").format(ref=tab.doc_ref), item=item, field=field
                )
            )
        seen.add((tab.doc_ref, tab.pages))
        doc = documents.get(tab.doc_ref, (0, None))[1]
        if doc is None:
            continue
        if bundle.matter_ref not in doc.matter_refs:
            report(
                ValidationError(
                    _("{ref} is not linked to matter {matter}: add the matter to the document's matters").format(
                        ref=tab.doc_ref, matter=bundle.matter_ref
                    ),
                    item=item,
                    field=field,
                )
            )
        if doc.translation_of or doc.declaration_for:
            report(
                ValidationError(
                    _(
                        "{ref} is a translation or a translator's declaration: list the original, they travel with it"
                    ).format(ref=tab.doc_ref),
                    item=item,
                    field=field,
                )
            )


def _check_translation_links(refs: _Refs, documents: list[tuple[int, DocumentEntry]], report: Report) -> None:
    labels = {doc.ref: label("documents", index, doc.ref) for index, doc in documents}
    declarations = {doc.declaration_for: doc.ref for _i, doc in documents if doc.declaration_for}
    links: list[TranslationLink] = []
    for _i, doc in documents:
        if not doc.translation_of:
            continue
        try:
            links.append(TranslationLink(doc.translation_of, doc.ref, declarations.get(doc.ref)))
        except ValidationError as err:
            report(ValidationError(message_of(err), item=labels[doc.ref], field=err.field))
    counts: dict[str, int] = {}
    for _i, doc in documents:
        if doc.declaration_for:
            counts[doc.declaration_for] = counts.get(doc.declaration_for, 0) + 1
    for _i, doc in documents:
        if doc.declaration_for and counts[doc.declaration_for] > 1:
            report(
                ValidationError(
                    _("{ref} already has a translator's declaration; a translation has one").format(
                        ref=doc.declaration_for
                    ),
                    item=labels[doc.ref],
                    field="declaration_for",
                )
            )
    for problem in check_links(links):
        report(
            ValidationError(
                problem.message, item=labels.get(problem.document_ref, problem.document_ref), field=problem.field
            )
        )
