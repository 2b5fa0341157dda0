"""Pre-flight check: what would go wrong if the bundle were built or filed as it is.

Pure: the caller supplies what it knows about each document (from the vault's
import records), so this runs instantly in the GUI while the lawyer edits the bundle.
Errors block the build; warnings are things a lawyer must decide about (an undated
letter, a deadline already passed). Messages are in the user's language and name
tabs and parts, never client data.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass

from clinic_app.domain.bundle import (
    MB,
    OFFICIAL_LANGUAGES,
    BundleSpec,
    DocumentPart,
    PageRangeError,
    estimate_front_pages,
    resolve_pages,
    tab_labels,
)
from clinic_app.i18n import _, ngettext

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class DocumentFacts:
    """What the vault recorded about one document at import."""

    present: bool = True
    encrypted: bool = False
    page_count: int = 0
    pages_without_text: int = 0
    sha256: str = ""
    language: str = ""  # ISO 639-1 of the content, "" if unknown
    size_bytes: int = 0


@dataclass(frozen=True)
class Problem:
    severity: str  # error | warning
    code: str  # stable identifier for the GUI, e.g. "missing"
    message: str
    tab: str = ""  # tab label; "" for the whole bundle
    part: int | None = None  # 1-based


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == ERROR for p in problems)


def by_tab(problems: list[Problem]) -> dict[str, list[Problem]]:
    """Problems grouped by tab label, in the order they were found ("" = bundle-wide)."""
    grouped: dict[str, list[Problem]] = {}
    for problem in problems:
        grouped.setdefault(problem.tab, []).append(problem)
    return grouped


def preflight(
    spec: BundleSpec,
    facts: Mapping[str, DocumentFacts],
    *,
    deadline: _dt.date | None = None,
    today: _dt.date | None = None,
) -> list[Problem]:
    """Every problem found, bundle-wide ones first, then tab by tab in bundle order."""
    out: list[Problem] = []
    if deadline is not None and today is not None and today > deadline:
        out.append(
            Problem(
                WARNING,
                "deadline_passed",
                _(
                    "The disclosure deadline ({deadline}) has passed. The tribunal may refuse late "
                    "documents unless you explain the delay."
                ).format(deadline=deadline.isoformat()),
            )
        )
    labels = tab_labels(spec)
    seen_docs: dict[str, str] = {}
    seen_hash: dict[str, str] = {}
    front = estimate_front_pages(spec)
    for label, (_s, tab) in zip(labels, spec.iter_tabs()):
        if tab.date is None:
            out.append(Problem(WARNING, "undated", _("The document has no date."), label))
        if not tab.parts:
            if not tab.reference.strip():
                out.append(
                    Problem(
                        ERROR, "empty_tab", _("The tab has no document and no citation."), label
                    )
                )
            continue
        tab_pages = 0
        tab_bytes = 0.0
        for n, part in enumerate(tab.parts, start=1):
            fact = facts.get(part.document_id)
            pages, size = _check_part(
                out, label, n, part.document_id, part.pages, fact, seen_docs, seen_hash
            )
            tab_pages += pages
            tab_bytes += size
        _check_translation(out, label, tab.parts, facts)
        _check_volume(out, spec, label, tab_pages, tab_bytes, front)
    return out


def _check_part(
    out: list[Problem],
    label: str,
    n: int,
    doc_id: str,
    pages_text: str,
    fact: DocumentFacts | None,
    seen_docs: dict[str, str],
    seen_hash: dict[str, str],
) -> tuple[int, float]:
    """Checks on one part; returns (pages used, estimated bytes) for the volume check."""
    if fact is None or not fact.present:
        out.append(
            Problem(ERROR, "missing", _("The document is missing from the vault."), label, n)
        )
        return 0, 0.0
    if fact.encrypted:
        out.append(
            Problem(
                ERROR,
                "encrypted",
                _("The document is protected by a password. Import an unprotected copy."),
                label,
                n,
            )
        )
    try:
        used = resolve_pages(pages_text, fact.page_count) if fact.page_count else ()
    except PageRangeError as exc:
        out.append(Problem(ERROR, "page_range", str(exc), label, n))
        used = ()
    if fact.pages_without_text:
        out.append(
            Problem(
                WARNING,
                "no_text",
                ngettext(
                    "{count} page has no text layer and cannot be searched; consider OCR.",
                    "{count} pages have no text layer and cannot be searched; consider OCR.",
                    fact.pages_without_text,
                ).format(count=fact.pages_without_text),
                label,
                n,
            )
        )
    where = _("Tab {tab}, part {part}").format(tab=label, part=n)
    if doc_id in seen_docs:
        out.append(
            Problem(
                WARNING,
                "duplicate",
                _("The same document is already in {where}.").format(where=seen_docs[doc_id]),
                label,
                n,
            )
        )
    elif fact.sha256 and fact.sha256 in seen_hash:
        out.append(
            Problem(
                WARNING,
                "duplicate_content",
                _("An identical file is already in {where}.").format(where=seen_hash[fact.sha256]),
                label,
                n,
            )
        )
    seen_docs.setdefault(doc_id, where)
    if fact.sha256:
        seen_hash.setdefault(fact.sha256, where)
    size = fact.size_bytes * len(used) / fact.page_count if fact.page_count else 0.0
    return len(used), size


def _check_translation(
    out: list[Problem], label: str, parts: list[DocumentPart], facts: Mapping[str, DocumentFacts]
) -> None:
    """A document in another language needs a translation in the same tab (IRB r.31, FC)."""
    languages = [(facts.get(p.document_id) or DocumentFacts()).language for p in parts]
    foreign = [
        n for n, lang in enumerate(languages, start=1) if lang and lang not in OFFICIAL_LANGUAGES
    ]
    translated = any(
        p.role == "translation" or lang in OFFICIAL_LANGUAGES for p, lang in zip(parts, languages)
    )
    for n in foreign:
        if not translated:
            out.append(
                Problem(
                    ERROR,
                    "untranslated",
                    _("The document is not in English or French and the tab has no translation."),
                    label,
                    n,
                )
            )
    if any(p.role == "translation" for p in parts) and not any(
        p.role == "declaration" for p in parts
    ):
        out.append(
            Problem(
                WARNING,
                "no_declaration",
                _("The tab has a translation but no translator's declaration."),
                label,
            )
        )


def _check_volume(
    out: list[Problem], spec: BundleSpec, label: str, pages: int, size: float, front: int
) -> None:
    st = spec.settings
    physical = pages + (1 if st.separator_pages else 0)
    if st.max_pages is not None and front + physical > st.max_pages:
        out.append(
            Problem(
                ERROR,
                "volume_pages",
                _(
                    "The tab has {pages} pages and cannot fit in a volume of {limit} pages with the "
                    "index."
                ).format(pages=physical, limit=st.max_pages),
                label,
            )
        )
    if st.max_mb is not None and size > st.max_mb * MB:
        out.append(
            Problem(
                ERROR,
                "volume_size",
                _("The tab is about {size} MB, more than the volume limit of {limit} MB.").format(
                    size=round(size / MB, 1), limit=st.max_mb
                ),
                label,
            )
        )
