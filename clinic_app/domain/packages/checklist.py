"""Which of the matter's documents and letters fill which checklist item. Pure.

Assignment runs in a fixed order so the same records always give the same package:
documents the user attached to an item first, then documents carrying an item's tag,
then documents of an item's category, then the leftovers to the package's catch-all
item. Each document lands once, in the first item that wants it. Translations and
translators' declarations are never placed on their own: they travel with their
original, as parts of the same tab; so do the exhibits recorded for an affidavit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from clinic_app.domain.common import is_official
from clinic_app.domain.correspondence import CorrespondenceEntry
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.exhibits import ExhibitLink
from clinic_app.domain.letter import LetterStatus, SupportLetter
from clinic_app.domain.matter import Matter
from clinic_app.domain.packages.model import DRAFT_TAG, Item, ItemStatus, PackageDef, Section, Source
from clinic_app.domain.translation import TranslationLink, links_by_original


@dataclass(frozen=True)
class ItemState:
    """What the clinic recorded for one item of one matter's package (stored in the vault)."""

    status: ItemStatus | None = None  # None: never set; the status is derived
    note: str = ""
    attached: tuple[str, ...] = ()  # document refs, in the order the user attached them


@dataclass(frozen=True)
class PackageInputs:
    matter: Matter
    documents: tuple[DocumentMeta, ...] = ()
    links: tuple[TranslationLink, ...] = ()
    letters: tuple[SupportLetter, ...] = ()
    states: Mapping[str, ItemState] = field(default_factory=dict)
    letter_themes: frozenset[str] | None = None  # None: every theme; else letters sharing one
    exhibits: tuple[ExhibitLink, ...] = ()  # exhibits recorded for the matter's affidavits
    correspondence: tuple[CorrespondenceEntry, ...] = ()  # the matter's correspondence log


@dataclass(frozen=True)
class Entry:
    section: Section
    item: Item
    required: bool
    satisfied: bool
    status: ItemStatus
    stored: bool  # the status was set by someone (else derived from the records)
    documents: tuple[str, ...] = ()  # refs of originals placed under this item
    letters: tuple[str, ...] = ()
    drafts: tuple[str, ...] = ()  # documents attached but tagged "draft": never counted, never filed
    note: str = ""
    attached: tuple[str, ...] = ()  # refs the user attached to this item (placed here or elsewhere)


@dataclass(frozen=True)
class Checklist:
    package: PackageDef
    entries: tuple[Entry, ...]
    left_out: tuple[str, ...] = ()  # documents of the matter no item took
    letters_not_ready: tuple[str, ...] = ()
    letters_without_document: tuple[str, ...] = ()
    letters_not_selected: tuple[str, ...] = ()  # ready, but not of the chosen themes

    def entry(self, item_id: str) -> Entry:
        return next(e for e in self.entries if e.item.id == item_id)

    def missing(self) -> list[Entry]:
        """Required items nothing satisfies yet."""
        return [e for e in self.entries if e.required and not e.satisfied]

    @property
    def complete(self) -> bool:
        return not self.missing()


def _sort_key(doc: DocumentMeta) -> tuple[bool, date, str]:
    return (doc.doc_date is None, doc.doc_date or date.min, doc.ref)


def evaluate(package: PackageDef, inputs: PackageInputs) -> Checklist:
    """Fill the checklist of `package` from one matter's records."""
    docs = {d.ref: d for d in inputs.documents}
    companions = {link.translation_ref for link in inputs.links} | {
        link.declaration_ref for link in inputs.links if link.declaration_ref} | {
        x.exhibit_ref for x in inputs.exhibits if x.affidavit_ref in docs}
    letter_docs = {x.document_ref for x in inputs.letters if x.document_ref}
    candidates = [d for d in sorted(docs.values(), key=_sort_key)
                  if d.ref not in companions and d.ref not in letter_docs]
    placed: dict[str, list[str]] = {item.id: [] for _s, item in package.items()}
    drafts: dict[str, list[str]] = {item.id: [] for _s, item in package.items()}
    used: set[str] = set()

    def place(item: Item, doc: DocumentMeta) -> None:
        used.add(doc.ref)
        if DRAFT_TAG in doc.tags:  # attached by hand: shown as a problem, never filed
            drafts[item.id].append(doc.ref)
        else:
            placed[item.id].append(doc.ref)

    takers = [item for _s, item in package.items() if item.source in (Source.DOCUMENT, Source.ATTACHED)]
    for item in takers:  # 1. attached by the user
        for ref in inputs.states.get(item.id, ItemState()).attached:
            if ref in docs and ref not in used and ref not in companions and ref not in letter_docs:
                place(item, docs[ref])
    usable = [d for d in candidates if DRAFT_TAG not in d.tags]
    for item in takers:  # 2. by tag
        for doc in usable:
            if doc.ref not in used and set(item.tags) & set(doc.tags):
                place(item, doc)
    for item in takers:  # 3. by category
        for doc in usable:
            if doc.ref not in used and item.source is Source.DOCUMENT and doc.category in item.categories:
                place(item, doc)
    catch_all = next((item for item in takers if item.catch_all), None)
    if catch_all is not None:  # 4. the leftovers
        for doc in usable:
            if doc.ref not in used:
                place(catch_all, doc)
    letters, not_ready, no_doc, not_selected = _assign_letters(package, inputs)
    entries = []
    for section, item in package.items():
        entries.append(_entry(section, item, inputs, docs, placed, drafts, letters))
    entries = [_with_dependency(e, entries) for e in entries]
    left_out = tuple(d.ref for d in candidates if d.ref not in used)
    return Checklist(package, tuple(entries), left_out, not_ready, no_doc, not_selected)


def _assign_letters(package: PackageDef, inputs: PackageInputs
                    ) -> tuple[dict[str, list[str]], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    wanted = inputs.letter_themes
    out: dict[str, list[str]] = {item.id: [] for _s, item in package.items() if item.source is Source.LETTERS}
    not_ready, no_doc, not_selected = [], [], []
    for letter in sorted(inputs.letters, key=lambda x: x.ref):
        if letter.status is not LetterStatus.READY_TO_FILE:
            not_ready.append(letter.ref)
            continue
        if not letter.document_ref:
            no_doc.append(letter.ref)
            continue
        if wanted is not None and not {t.casefold() for t in letter.themes} & wanted:
            not_selected.append(letter.ref)
            continue
        for _s, item in package.items():
            if item.source is Source.LETTERS and (not item.themes or set(item.themes) & set(letter.themes)):
                out[item.id].append(letter.ref)
                break
        else:
            not_selected.append(letter.ref)
    return out, tuple(not_ready), tuple(no_doc), tuple(not_selected)


def _entry(section: Section, item: Item, inputs: PackageInputs, docs: Mapping[str, DocumentMeta],
           placed: Mapping[str, list[str]], drafts: Mapping[str, list[str]],
           letters: Mapping[str, list[str]]) -> Entry:
    required = item.required or (item.required_when_represented and bool(inputs.matter.counsel))
    refs = tuple(placed.get(item.id, ()))
    letter_refs = tuple(letters.get(item.id, ()))
    if item.source is Source.GENERATED:
        satisfied = True
    elif item.source is Source.LETTERS:
        satisfied = bool(letter_refs)
    else:
        satisfied = bool(refs)
    state = inputs.states.get(item.id, ItemState())
    status = state.status or _derived(item, satisfied, [docs[r] for r in refs], inputs.links)
    return Entry(section, item, required, satisfied, status, state.status is not None, refs, letter_refs,
                 tuple(drafts.get(item.id, ())), state.note, tuple(r for r in state.attached if r in docs))


def _with_dependency(entry: Entry, entries: list[Entry]) -> Entry:
    """An item required only alongside another (a transcriber's declaration with a transcript)."""
    if entry.required or not entry.item.required_with:
        return entry
    other = next(e for e in entries if e.item.id == entry.item.required_with)
    if not other.satisfied:
        return entry
    return Entry(**{**entry.__dict__, "required": True})


def _derived(item: Item, satisfied: bool, docs: list[DocumentMeta], links: tuple[TranslationLink, ...]) -> ItemStatus:
    if not satisfied:
        return ItemStatus.MISSING
    if item.source in (Source.GENERATED, Source.LETTERS):
        return ItemStatus.READY
    by_original = links_by_original(links)
    foreign = [d for d in docs if d.effective_language and not is_official(d.effective_language)]
    if any(d.ref not in by_original for d in foreign):
        return ItemStatus.RECEIVED
    if any(link.declaration_ref is None for d in foreign for link in by_original[d.ref]):
        return ItemStatus.TRANSLATED
    return ItemStatus.READY
