"""What a mutation changed, so each view refreshes only what it shows.

Every service mutation returns a `Changes`; the GUI emits it once and views check
`touches(...)`. Ids cover records created, updated or deleted alike: a view just
reloads them (a deleted id simply no longer loads). Modelled on Anki's OpChanges.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum

from clinic_app.domain.ids import BundleId, ClientId, DocumentId, LetterId, MatterId, RelativeId


class EntityKind(StrEnum):
    CLIENTS = "clients"
    MATTERS = "matters"
    DOCUMENTS = "documents"
    LETTERS = "letters"
    RELATIVES = "relatives"
    BUNDLES = "bundles"


@dataclass(frozen=True)
class Changes:
    """Ids changed per kind; `links` is set when matter-document or translation
    links changed without any record changing (ids alone would miss it)."""

    clients: frozenset[ClientId] = frozenset()
    matters: frozenset[MatterId] = frozenset()
    documents: frozenset[DocumentId] = frozenset()
    letters: frozenset[LetterId] = frozenset()
    relatives: frozenset[RelativeId] = frozenset()
    bundles: frozenset[BundleId] = frozenset()
    links: bool = False

    def __post_init__(self) -> None:
        for kind in EntityKind:
            object.__setattr__(self, kind.value, frozenset(getattr(self, kind.value)))

    def __or__(self, other: Changes) -> Changes:
        """Both sets of changes, for an operation made of several steps."""
        merged = {kind.value: getattr(self, kind.value) | getattr(other, kind.value) for kind in EntityKind}
        return Changes(**merged, links=self.links or other.links)

    @property
    def is_empty(self) -> bool:
        return not self.links and not any(getattr(self, f.name) for f in fields(self) if f.name != "links")

    def touches(self, kind: EntityKind) -> bool:
        return bool(getattr(self, EntityKind(kind).value))

    def kinds(self) -> frozenset[EntityKind]:
        return frozenset(kind for kind in EntityKind if self.touches(kind))


NO_CHANGES = Changes()
