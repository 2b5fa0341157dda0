"""The bundle editor's spec edits: plain functions on a copy, no window, no vault."""

from __future__ import annotations

from datetime import date

import pytest

from clinic_app.domain.bundle import BundleSpec, BundleSpecError, DocumentPart, Section, Tab, tab_labels, validate_spec
from clinic_app.gui.operations import bundle_edit as edit


def _spec() -> BundleSpec:
    return BundleSpec("Disclosure", sections=[
        Section("Evidence", [Tab("Report", parts=[DocumentPart("d-001")]),
                             Tab("Letter", parts=[DocumentPart("d-002", pages="1-2")])]),
        Section("Identity", [Tab("Passport", parts=[DocumentPart("d-003")])]),
    ])


def _titles(spec: BundleSpec) -> list[list[str]]:
    return [[t.title for t in s.tabs] for s in spec.sections]


def test_add_tabs_appends_copies_to_the_section_and_leaves_the_original() -> None:
    spec = _spec()
    new = [Tab("Birth certificate", parts=[DocumentPart("d-004"), DocumentPart("d-005", role="translation")])]
    edited = edit.add_tabs(spec, 1, new)
    assert _titles(edited) == [["Report", "Letter"], ["Passport", "Birth certificate"]]
    assert _titles(spec) == [["Report", "Letter"], ["Passport"]]  # the given spec is untouched
    assert edited.sections[1].tabs[1] is not new[0] and len(edited.sections[1].tabs[1].parts) == 2
    with pytest.raises(IndexError):
        edit.add_tabs(spec, 2, new)


def test_remove_tab_by_bundle_row_renumbers() -> None:
    spec = _spec()
    edited = edit.remove_tab(spec, 1)  # "Letter", second row
    assert _titles(edited) == [["Report"], ["Passport"]]
    assert tab_labels(edited) == ["1", "2"]
    edited = edit.remove_tab(spec, 2)  # the first tab of the second section
    assert _titles(edited) == [["Report", "Letter"], []]
    assert _titles(spec) == [["Report", "Letter"], ["Passport"]]
    with pytest.raises(IndexError):
        edit.remove_tab(spec, 3)


def test_sections_add_rename_and_remove_only_when_empty() -> None:
    spec = edit.add_section(_spec(), "  Country conditions ")
    assert [s.title for s in spec.sections] == ["Evidence", "Identity", "Country conditions"]
    spec = edit.rename_section(spec, 0, "Personal evidence")
    assert [s.title for s in spec.sections] == ["Personal evidence", "Identity", "Country conditions"]
    with pytest.raises(BundleSpecError, match="Only an empty section"):
        edit.remove_section(spec, 1)
    spec = edit.remove_section(spec, 2)
    assert [s.title for s in spec.sections] == ["Personal evidence", "Identity"]
    lone = BundleSpec("Empty", sections=[Section("Only")])
    with pytest.raises(BundleSpecError, match="at least one section"):
        edit.remove_section(lone, 0)
    assert edit.first_row_of(spec, 1) == 2


def test_tab_details_title_date_and_citation_rules() -> None:
    spec = _spec()
    edited = edit.set_tab_details(spec, 2, " Passport (all pages) ", date(2024, 3, 1))
    tab = edited.sections[1].tabs[0]
    assert (tab.title, tab.date, tab.reference) == ("Passport (all pages)", date(2024, 3, 1), "")
    assert spec.sections[1].tabs[0].title == "Passport"
    with pytest.raises(BundleSpecError, match="needs a title"):
        edit.set_tab_details(spec, 0, "  ", None)
    with pytest.raises(BundleSpecError, match="not both"):
        edit.set_tab_details(spec, 0, "Report", None, "NDP 1.1")
    ref = edit.add_reference_entry(spec, 0, "", "NDP item 7.3", date(2023, 5, 4))
    assert ref.sections[0].tabs[2].reference == "NDP item 7.3" and ref.sections[0].tabs[2].title == "NDP item 7.3"
    assert ref.sections[0].tabs[2].reference_only and tab_labels(ref) == ["1", "2", "3", "4"]
    ref = edit.set_tab_details(ref, 2, "Country report", None, "NDP item 2.1")
    assert (ref.sections[0].tabs[2].title, ref.sections[0].tabs[2].reference) == ("Country report", "NDP item 2.1")
    with pytest.raises(BundleSpecError, match="citation"):
        edit.set_tab_details(ref, 2, "Country report", None, "")
    with pytest.raises(BundleSpecError, match="citation"):
        edit.add_reference_entry(spec, 0, "NDP", "   ")
    validate_spec(ref)  # what the edits make is a buildable spec


def test_drop_grouped_leaves_out_a_translation_chosen_with_its_original() -> None:
    original = Tab("Acta", parts=[DocumentPart("d-1"), DocumentPart("d-2", role="translation"),
                                  DocumentPart("d-3", role="declaration")])
    translation, other = Tab("Acta (English)", parts=[DocumentPart("d-2")]), Tab("Report", parts=[DocumentPart("d-9")])
    assert [t.title for t in edit.drop_grouped([translation, original, other])] == ["Acta", "Report"]
    assert [t.title for t in edit.drop_grouped([translation, other])] == ["Acta (English)", "Report"]
