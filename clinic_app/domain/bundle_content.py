"""What a bundle build read, to the byte: the spec as drawn (cover filled, dated) and the
content of each source, named by its SHA-256.

Serving freezes this record in the service log. Every later build of the served bundle
reads exactly these bytes, whatever became of the documents (replaced by a longer file,
retitled, renamed by a transfer), or refuses and names the document: the pages the other
side was served must never change. Pure data, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from clinic_app.domain.bundle import BundleSpec, BundleSpecError

FROZEN_VERSION = 2  # snapshots without it (served before content was frozen) fill their cover when built


@dataclass(frozen=True)
class SourceContent:
    """One source as a build read it."""

    sha256: str  # of the working copy (else the original) the build read
    pages: int | None  # as recorded at import; the engine checks it again
    title: str = ""  # the document's title then: how a refusal names it

    def to_dict(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "pages": self.pages, "title": self.title}


@dataclass(frozen=True)
class BundleContent:
    """A build's inputs: enough to draw the same PDF again without the live records."""

    spec: BundleSpec
    sources: Mapping[str, SourceContent]  # document ref -> content

    def to_dict(self) -> dict[str, Any]:
        """The snapshot fields (merged with the page map by the service log)."""
        return {"frozen": FROZEN_VERSION, "spec": self.spec.to_dict(),
                "sources": {ref: src.to_dict() for ref, src in sorted(self.sources.items())}}


def rename_parts(spec: BundleSpec, refs: Mapping[str, str]) -> BundleSpec:
    """A copy of `spec` whose parts name documents by their new refs."""
    copy = BundleSpec.from_dict(spec.to_dict())
    for _s, tab in copy.iter_tabs():
        for part in tab.parts:
            part.document_id = refs.get(part.document_id, part.document_id)
    return copy


def sources_of(snapshot: Mapping[str, Any]) -> dict[str, SourceContent]:
    """The sources a saved snapshot froze ({} when it froze none). Malformed entries are left
    out, so the build names them as missing rather than guessing."""
    raw = snapshot.get("sources")
    found: dict[str, SourceContent] = {}
    if not isinstance(raw, dict):
        return found
    for ref, item in raw.items():
        if isinstance(ref, str) and isinstance(item, dict) and isinstance(item.get("sha256"), str):
            pages = item.get("pages")
            title = item.get("title")
            found[ref] = SourceContent(item["sha256"], pages if isinstance(pages, int) else None,
                                       title if isinstance(title, str) else "")
    return found


def is_frozen(snapshot: Mapping[str, Any]) -> bool:
    """True when the snapshot's spec is the one drawn (cover filled, dated)."""
    return snapshot.get("frozen") == FROZEN_VERSION


def content_of(snapshot: Mapping[str, Any]) -> BundleContent:
    """The content a snapshot froze; BundleSpecError when its spec is damaged."""
    return BundleContent(BundleSpec.from_dict(snapshot.get("spec") or {}), sources_of(snapshot))


def renamed_snapshot(snapshot: Mapping[str, Any], refs: Mapping[str, str]) -> dict[str, Any]:
    """A service-log snapshot with document refs renamed everywhere they appear (its spec and
    its sources); a spec that does not parse is kept as it is (it names nothing buildable)."""
    out = dict(snapshot)
    if isinstance(snapshot.get("sources"), dict):
        out["sources"] = {refs.get(r, r): v for r, v in snapshot["sources"].items()}
    try:
        out["spec"] = rename_parts(BundleSpec.from_dict(snapshot.get("spec") or {}), refs).to_dict()
    except BundleSpecError:
        pass
    return out
