"""move_tab: moving a tab to another section is a pure spec edit, and the numbering follows."""

from __future__ import annotations

import pytest

from clinic_app.domain.bundle import BundleSpec, BundleSettings, DocumentPart, Section, Tab, tab_labels
from clinic_app.gui.operations.bundles import move_tab, section_names, tab_rows


def _spec(prefixes: bool = False) -> BundleSpec:
    def tab(name: str) -> Tab:
        return Tab(name, parts=[DocumentPart(f"d-{name}")])

    return BundleSpec("Record", settings=BundleSettings(section_prefixes=prefixes),
                      sections=[Section("Evidence", [tab("a"), tab("b"), tab("c")]), Section("Letters", [tab("d")]),
                                Section("", [])])


def _titles(spec: BundleSpec) -> list[list[str]]:
    return [[t.title for t in s.tabs] for s in spec.sections]


def test_moves_to_the_end_of_another_section_and_leaves_the_original_alone() -> None:
    spec = _spec()
    moved, row = move_tab(spec, 0, 1)
    assert _titles(moved) == [["b", "c"], ["d", "a"], []]
    assert row == 3 and tab_rows(moved)[row].section == 1
    assert _titles(spec) == [["a", "b", "c"], ["d"], []]  # pure: the input is unchanged
    assert moved.sections[1].tabs[1] is not spec.sections[0].tabs[0]


def test_position_inside_the_target_and_clamping() -> None:
    spec = _spec()
    moved, row = move_tab(spec, 3, 0, 1)  # "d" between "a" and "b"
    assert _titles(moved) == [["a", "d", "b", "c"], [], []] and row == 1
    moved, row = move_tab(spec, 1, 1, 99)  # past the end: appended
    assert _titles(moved) == [["a", "c"], ["d", "b"], []] and row == 3
    moved, row = move_tab(spec, 2, 1, -5)  # before the start: first
    assert _titles(moved) == [["a", "b"], ["c", "d"], []] and row == 2


def test_into_an_empty_section_and_labels_follow() -> None:
    spec = _spec(prefixes=True)
    assert tab_labels(spec) == ["A-1", "A-2", "A-3", "B-1"]
    moved, row = move_tab(spec, 1, 2, 0)
    assert _titles(moved) == [["a", "c"], ["d"], ["b"]] and row == 3
    assert tab_labels(moved) == ["A-1", "A-2", "B-1", "C-1"]
    assert tab_rows(moved)[row].label == "C-1"


def test_parts_and_ranges_travel_with_the_tab() -> None:
    spec = _spec()
    spec.sections[0].tabs[2].parts[0].pages = "2-4"
    moved, _row = move_tab(spec, 2, 1, 0)
    assert moved.sections[1].tabs[0].parts[0].pages == "2-4"
    assert BundleSpec.from_dict(moved.to_dict()) == moved  # still a valid, saveable spec


def test_refuses_rows_and_sections_that_do_not_exist() -> None:
    spec = _spec()
    with pytest.raises(IndexError):
        move_tab(spec, 4, 0)
    with pytest.raises(IndexError):
        move_tab(spec, -1, 0)
    with pytest.raises(IndexError):
        move_tab(spec, 0, 3)


def test_section_names_show_the_letter_and_title() -> None:
    assert section_names(_spec()) == ["A – Evidence", "B – Letters", "C"]
