"""What a bundle that must never pass for a filing carries: a mark on every page, and on
its cover why it is not ready. Plain text, already in the bundle's language; the bundle
engine prints it (pdf/front_matter.py for the cover, pdf/stamp.py for the pages)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DraftNotice:
    mark: str  # "DRAFT — not ready to file": printed on every page, in the margin
    heading: str = ""  # on the cover, above `lines`
    lines: tuple[str, ...] = ()  # what is missing, one line each

    def __post_init__(self) -> None:
        if not self.mark.strip():
            raise ValueError("a draft notice needs its mark")
