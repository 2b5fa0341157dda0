"""Exhibits to an affidavit: which documents, in which order, and what mark each carries.

In the Federal Court documentary evidence comes in as exhibits to an affidavit (IMM
Rules r. 12(1); FCR r. 364(2)(c)), and sworn evidence at the IRB and IRCC follows the
same form. An exhibit travels with its affidavit, like a translation with its original:
in a bundle it is a part of the affidavit's tab (role "exhibit"), its translation and
declaration parts follow it, and its mark (A, B, C… or 1, 2, 3…, per forum practice) is
given by its place, never stored, so moving an exhibit cannot leave two "B"s. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from clinic_app.domain.common import validate_ref
from clinic_app.errors import ValidationError
from clinic_app.i18n import N_, _

EXHIBIT_ROLE = "exhibit"
AFFIDAVIT = N_("Affidavit")  # how an index names the affidavit's own part, above its exhibits
MARK_STYLES = ("letters", "numbers")
MAX_EXHIBITS = 500


def letter_mark(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: spreadsheet-style, so long records never run out."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def mark(index: int, style: str = "letters") -> str:
    """The mark of the exhibit at 0-based `index`: "A" or "1"."""
    return str(index + 1) if style == "numbers" else letter_mark(index)


def part_marks(roles: Sequence[str], style: str = "letters") -> list[str]:
    """The exhibit mark of each part of a tab ("" for the affidavit's own parts): an "exhibit"
    part starts a new exhibit; the translation and declaration parts after it share its mark."""
    out: list[str] = []
    current, count = "", 0
    for role in roles:
        if role == EXHIBIT_ROLE:
            current, count = mark(count, style), count + 1
        out.append(current)
    return out


@dataclass(frozen=True)
class ExhibitLink:
    """Document `exhibit_ref` is exhibit number `position` (0-based) of affidavit `affidavit_ref`."""

    affidavit_ref: str
    exhibit_ref: str
    position: int = 0

    def __post_init__(self) -> None:
        validate_ref(self.affidavit_ref, "exhibit_of")
        validate_ref(self.exhibit_ref, "ref")
        if self.affidavit_ref == self.exhibit_ref:
            raise ValidationError(_("a document cannot be an exhibit to itself"), field="exhibit_of")


def check_exhibits(affidavit_ref: str, exhibit_refs: Iterable[str], affidavits: Iterable[str] = ()) -> list[str]:
    """The exhibit refs in order, once each; refuses an exhibit that is itself an affidavit with
    exhibits (`affidavits`), the affidavit itself, and more than MAX_EXHIBITS."""
    refs = list(dict.fromkeys(validate_ref(r, "exhibits") for r in exhibit_refs))
    if len(refs) > MAX_EXHIBITS:
        raise ValidationError(_("has too many entries ({count}; at most {limit})").format(
            count=len(refs), limit=MAX_EXHIBITS), field="exhibits")
    nested = set(affidavits) - {affidavit_ref}
    for ref in refs:
        ExhibitLink(affidavit_ref, ref)
        if ref in nested:
            raise ValidationError(_("{ref} has exhibits of its own: an exhibit cannot be an affidavit with "
                                    "exhibits").format(ref=ref), field="exhibits")
    return refs


def exhibits_by_affidavit(links: Iterable[ExhibitLink]) -> dict[str, tuple[str, ...]]:
    """affidavit ref -> its exhibit refs, in order."""
    out: dict[str, list[ExhibitLink]] = {}
    for link in links:
        out.setdefault(link.affidavit_ref, []).append(link)
    return {ref: tuple(x.exhibit_ref for x in sorted(items, key=lambda x: (x.position, x.exhibit_ref)))
            for ref, items in out.items()}
