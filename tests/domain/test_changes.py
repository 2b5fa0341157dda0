"""Changes returned by mutations."""

from __future__ import annotations

from clinic_app.domain.changes import NO_CHANGES, Changes, EntityKind
from clinic_app.domain.ids import ClientId, DocumentId, MatterId


def test_merge_keeps_both_sides() -> None:
    merged = Changes(clients=frozenset({ClientId(1)})) | Changes(matters=frozenset({MatterId(2)}), links=True)
    assert merged.clients == {1} and merged.matters == {2} and merged.links
    assert merged.kinds() == {EntityKind.CLIENTS, EntityKind.MATTERS}
    assert merged.touches(EntityKind.MATTERS) and not merged.touches(EntityKind.LETTERS)


def test_empty_and_links_only() -> None:
    assert NO_CHANGES.is_empty
    assert not Changes(links=True).is_empty
    assert not Changes(documents=frozenset({DocumentId(5)})).is_empty


def test_ids_given_as_a_list_become_a_frozenset() -> None:
    changes = Changes(clients=[ClientId(3), ClientId(3)])  # type: ignore[arg-type]
    assert changes.clients == frozenset({3})
    hash(changes)  # usable as a dict key / signal payload
