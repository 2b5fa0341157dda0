"""A served bundle is rebuilt from the content it froze, never from the live records.

The service log keeps, for each served bundle, the spec as drawn (cover filled, dated)
and each source's SHA-256 (`domain.bundle_content`). Blob storage is content-addressed
and keeps those bytes while a snapshot names them (`vault.blobs.delete_unreferenced`),
so a document replaced by a longer file, retitled or renamed by a transfer cannot move
a served page. When the bytes are gone all the same (a vault upgraded after the change,
a damaged or hand-edited vault), the build refuses and names each document.
"""

from __future__ import annotations

from datetime import date

from clinic_app.domain.bundle import BundleSpec
from clinic_app.domain.bundle_content import BundleContent, SourceContent, content_of, is_frozen
from clinic_app.domain.client import Client
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.matter import Matter
from clinic_app.errors import BadInput
from clinic_app.i18n import _
from clinic_app.services.bundle_specs import fill_cover
from clinic_app.vault import blobs, records
from clinic_app.vault.bundle_service import ServiceEntry
from clinic_app.vault.connection import Connection


class ServedContentMissing(BadInput):
    """The exact content a bundle was served with is no longer in the vault."""


class ServedDateFixed(BadInput):
    """A served bundle is always drawn with the date it was served with."""


def frozen_content(entry: ServiceEntry, matter: Matter, client: Client) -> BundleContent:
    """What the first service froze. Bundles served before content was frozen kept an
    unfilled spec: their cover is filled from the matter, dated the day of service."""
    content = content_of(entry.snapshot)
    if is_frozen(entry.snapshot):
        return content
    return BundleContent(fill_cover(content.spec, matter, client, date.fromisoformat(entry.served_on)),
                         content.sources)


def _title(conn: Connection, ref: str, content: BundleContent) -> str:
    """How the person knows the document: its title now, else when served, else its tab's."""
    doc_id = records.id_for(conn, "documents", ref)
    if doc_id is not None:
        return records.load(conn, DocumentMeta, doc_id).title
    source = content.sources.get(ref)
    if source is not None and source.title:
        return source.title
    return next((tab.title for _s, tab in content.spec.iter_tabs() if any(p.document_id == ref for p in tab.parts)),
                "")


def _named(conn: Connection, ref: str, content: BundleContent) -> str:
    title = _title(conn, ref, content)
    if records.id_for(conn, "documents", ref) is None:
        return _("{ref} “{title}” (no longer in the vault)").format(ref=ref, title=title)
    return _("{ref} “{title}” (changed since it was served)").format(ref=ref, title=title)


def locate(conn: Connection, bundle_ref: str, entry: ServiceEntry,
           content: BundleContent) -> tuple[dict[str, int], dict[str, int], dict[str, str]]:
    """(blob ids, page counts, fingerprints) of the frozen content, found by SHA-256;
    ServedContentMissing naming every document whose served version is gone."""
    blob_ids: dict[str, int] = {}
    page_counts: dict[str, int] = {}
    fingerprints: dict[str, str] = {}
    missing: list[str] = []
    for ref in content.spec.document_ids():
        source = content.sources.get(ref)
        blob_id = blobs.find(conn, source.sha256) if source is not None else None
        if source is None or blob_id is None:
            missing.append(ref)
            continue
        blob_ids[ref] = blob_id
        fingerprints[ref] = source.sha256
        if source.pages:
            page_counts[ref] = source.pages
    if missing:
        raise ServedContentMissing(_(
            "Bundle {bundle} was served on {day}, and a served bundle is only ever rebuilt from the exact "
            "documents that were served. This vault no longer holds the served version of: {documents}. "
            "Nothing was written. Use the PDF that was served, and put the current version in a "
            "supplementary bundle.").format(bundle=bundle_ref, day=entry.served_on,
                                             documents="; ".join(_named(conn, r, content) for r in missing)))
    return blob_ids, page_counts, fingerprints


def check_date(bundle_ref: str, spec: BundleSpec, today: date | None) -> None:
    """A date asked for a served bundle must be the one it was served with."""
    if today is not None and spec.date is not None and today != spec.date:
        raise ServedDateFixed(_(
            "Bundle {ref} was served, so it is rebuilt exactly as served, dated {day} on its cover. Build it "
            "without another date, or start a supplementary bundle.").format(ref=bundle_ref,
                                                                             day=spec.date.isoformat()))


def changed_documents(conn: Connection, content: BundleContent) -> list[tuple[str, str]]:
    """(ref, title) of each source whose current version is not the one served."""
    now = records.document_sources(conn, content.spec.document_ids())
    changed = []
    for ref in content.spec.document_ids():
        source = content.sources.get(ref)
        current = now.get(ref)
        if source is None or current is None or current[3] != source.sha256:
            changed.append((ref, _title(conn, ref, content)))
    return changed


def current_sources(conn: Connection, refs: list[str]) -> dict[str, SourceContent]:
    """The content the vault holds now for each existing ref (working copy, else original)."""
    titles = records.document_titles(conn, refs)
    return {ref: SourceContent(sha, pages, titles.get(ref, ""))
            for ref, (_blob, _working, pages, sha) in records.document_sources(conn, refs).items()}


def content_built(spec: BundleSpec, fingerprints: dict[str, str], page_counts: dict[str, int],
                  titles: dict[str, str]) -> BundleContent:
    """The content record of a build about to run (only what the vault found)."""
    return BundleContent(spec, {ref: SourceContent(sha, page_counts.get(ref), titles.get(ref, ""))
                                for ref, sha in fingerprints.items()})


def next_numbers(entries: list[ServiceEntry]) -> tuple[int, int]:
    """(first page, first tab number) of a bundle that continues everything served."""
    last_page = max(e.last_page for e in entries)
    next_tab = 1
    for entry in entries:
        spec = entry.snapshot.get("spec")
        tabs = entry.snapshot.get("tabs")
        settings = spec.get("settings") if isinstance(spec, dict) else None
        first = settings.get("first_tab_number") if isinstance(settings, dict) else None
        if isinstance(first, int) and isinstance(tabs, list):
            next_tab = max(next_tab, first + len(tabs))
    return last_page + 1, next_tab
