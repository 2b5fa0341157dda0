"""BundleSpec rules and the pagination plan (pure; no PDF involved)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from clinic_app.domain.bundle import (
    BODY,
    COVER,
    INDEX,
    SEPARATOR,
    BundleSettings,
    BundleSpec,
    BundleSpecError,
    DocumentPart,
    PageRangeError,
    Section,
    Tab,
    VolumeLimitError,
    estimate_front_pages,
    parse_page_ranges,
    plan_bundle,
    resolve_pages,
    section_letter,
    tab_labels,
    to_roman,
    validate_spec,
)


def spec(**settings: object) -> BundleSpec:
    return BundleSpec(
        title="Disclosure",
        forum="IRB RPD",
        file_number="TB1-12345",
        parties=["A.B.", "王小明"],
        counsel="Me Tremblay\nClinique",
        date=dt.date(2025, 4, 30),
        language="fr",
        settings=BundleSettings(**settings),  # type: ignore[arg-type]
        sections=[
            Section(
                "Identity",
                [
                    Tab("Passport", dt.date(2020, 1, 1), [DocumentPart("p")]),
                    Tab(
                        "Birth",
                        None,
                        [
                            DocumentPart("b", label="Original"),
                            DocumentPart("t", "2-3", "Translation", "translation"),
                        ],
                    ),
                ],
            ),
            Section(
                "",
                [
                    Tab("NDP", dt.date(2025, 4, 30), reference="NDP Honduras, item 7.3"),
                    Tab("Letter", dt.date(2024, 6, 1), [DocumentPart("l", "1,4-5")]),
                ],
            ),
        ],
    )


COUNTS = {"p": 3, "b": 2, "t": 4, "l": 6}


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        ("", ()),
        ("all", ()),
        ("12-18", ((12, 18),)),
        ("1-3,7", ((1, 3), (7, 7))),
        (" 5 ", ((5, 5),)),
        ("1\u20133; 9 - 10", ((1, 3), (9, 10))),
        ("4\u20144", ((4, 4),)),
    ],
)
def test_page_ranges_parse(text: str, pairs: tuple[tuple[int, int], ...]) -> None:
    assert parse_page_ranges(text) == pairs


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("12-", "'12-' is not a page number"),
        ("a-b", "'a-b'"),
        ("0", "start at 1"),
        ("9-3", "first page comes after the last"),
        ("1,,2", "'' is not"),
        ("1.5", "'1.5'"),
    ],
)
def test_page_ranges_reject_nonsense(text: str, message: str) -> None:
    with pytest.raises(PageRangeError, match=message):
        parse_page_ranges(text)


def test_resolve_pages_checks_the_document() -> None:
    assert resolve_pages("", 3) == (1, 2, 3)
    assert resolve_pages("5,1-2", 5) == (5, 1, 2)
    with pytest.raises(PageRangeError, match="page 7 but the document has 6 pages"):
        resolve_pages("2-7", 6)
    with pytest.raises(PageRangeError, match="Page 3 is listed twice"):
        resolve_pages("1-3,3", 6)


def test_labels() -> None:
    assert [section_letter(i) for i in (0, 1, 25, 26, 27, 701, 702)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]
    assert [to_roman(n) for n in (1, 4, 9, 14, 40, 90, 400, 1994)] == [
        "i",
        "iv",
        "ix",
        "xiv",
        "xl",
        "xc",
        "cd",
        "mcmxciv",
    ]
    assert tab_labels(spec()) == ["1", "2", "3", "4"]
    assert tab_labels(spec(section_prefixes=True)) == ["A-1", "A-2", "B-1", "B-2"]
    assert tab_labels(spec(first_tab_number=9)) == ["9", "10", "11", "12"]


def test_spec_round_trips_through_json_exactly() -> None:
    original = spec(
        max_pages=300, max_mb=24.5, front_matter_numbering="roman", first_page_number=101
    )
    data = json.loads(json.dumps(original.to_dict()))
    again = BundleSpec.from_dict(data)
    assert again == original
    assert again.to_dict() == data
    assert json.dumps(again.to_dict(), sort_keys=True) == json.dumps(data, sort_keys=True)


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d.update(schema=2),
        lambda d: d.pop("sections"),
        lambda d: d["settings"].update(max_pages="300"),
        lambda d: d["settings"].update(header=1),
        lambda d: d["settings"].update(extra=True),
        lambda d: d.update(date="30/04/2025"),
        lambda d: d["sections"][0]["tabs"][0]["parts"][0].update(pages=7),
    ],
)
def test_damaged_saved_spec_is_refused(damage) -> None:  # type: ignore[no-untyped-def]
    data = spec().to_dict()
    damage(data)
    with pytest.raises(BundleSpecError):
        BundleSpec.from_dict(data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: setattr(s, "title", " "), "needs a title"),
        (lambda s: setattr(s, "language", "es"), "English or French"),
        (lambda s: setattr(s.settings, "paper", "a3"), "letter, A4 or legal"),
        (lambda s: setattr(s.settings, "max_pages", 0), "at least 1"),
        (lambda s: setattr(s.sections[1].tabs[0], "parts", [DocumentPart("x")]), "not both"),
        (lambda s: setattr(s.sections[1].tabs[0], "reference", ""), "no document and no citation"),
        (lambda s: setattr(s.sections[0].tabs[1].parts[1], "pages", "3-2"), "Tab 2, part 2"),
        (lambda s: setattr(s.sections[0].tabs[0].parts[0], "role", "copy"), "Unknown part role"),
        (lambda s: setattr(s, "sections", []), "no tabs"),
        (lambda s: setattr(s.settings, "first_page_number", 10**23), "first page number must be at most 999999"),
        (lambda s: setattr(s.settings, "first_tab_number", 10**7), "first tab number must be at most 999999"),
    ],
)
def test_validation_names_the_problem(change, message: str) -> None:  # type: ignore[no-untyped-def]
    s = spec()
    change(s)
    with pytest.raises(BundleSpecError, match=message):
        validate_spec(s)


def test_plan_numbers_every_page_once_and_in_order() -> None:
    plan = plan_bundle(spec(), COUNTS, front_pages=3)
    (vol,) = plan.volumes
    kinds = [p.kind for p in vol.pages]
    assert kinds[:3] == [COVER, INDEX, INDEX]
    # Pages each tab with documents brings, from the spec: p (all 3), b (all 2) + t "2-3",
    # l "1,4-5"; the reference-only tab (position 2) brings none.
    doc_pages = {0: COUNTS["p"], 1: COUNTS["b"] + 2, 3: 3}
    # By default every page after the front matter is numbered, separators included.
    numbered = [p for p in vol.pages if p.number is not None]
    assert numbered == list(vol.pages[3:])
    assert [p.kind for p in numbered].count(SEPARATOR) == len(doc_pages)
    assert [p.number for p in numbered] == list(
        range(1, sum(doc_pages.values()) + len(doc_pages) + 1)
    )
    assert all(p.stamp == p.label == str(p.number) for p in numbered)
    body = [p for p in vol.pages if p.kind == BODY]
    assert [(p.tab, p.part, p.source_page) for p in body] == [
        (0, 0, 1),
        (0, 0, 2),
        (0, 0, 3),
        (1, 0, 1),
        (1, 0, 2),
        (1, 1, 2),
        (1, 1, 3),
        (3, 0, 1),
        (3, 0, 4),
        (3, 0, 5),
    ]
    tabs = plan.tabs
    number = 1
    for pos, count in doc_pages.items():  # separator first, then the tab's documents
        tab = tabs[pos]
        assert tab.separator_number == number
        assert (tab.first_number, tab.last_number) == (number + 1, number + count)
        assert vol.pages[tab.separator_physical - 1].kind == SEPARATOR
        assert vol.pages[tab.separator_physical - 1].number == tab.separator_number
        assert vol.pages[tab.first_physical - 1].number == tab.first_number
        assert vol.pages[tab.last_physical - 1].number == tab.last_number
        number += 1 + count
    assert tabs[1].parts[1].excerpt and not tabs[1].parts[0].excerpt
    assert tabs[2].reference_only and tabs[2].volume is None and tabs[2].first_number is None
    assert tabs[2].separator_number is None
    assert plan.numbered_pages == len(numbered) == number - 1


def test_plan_with_unnumbered_separators() -> None:
    plan = plan_bundle(spec(number_separator_pages=False), COUNTS, front_pages=3)
    pages = plan.volumes[0].pages
    separators = [p for p in pages if p.kind == SEPARATOR]
    assert len(separators) == 3 and all(p.number is None and p.stamp == "" for p in separators)
    body = [p for p in pages if p.kind == BODY]
    assert [p.number for p in body] == list(range(1, len(body) + 1))
    assert plan.tabs[0].first_number == 1 and plan.tabs[0].separator_number is None
    assert plan.numbered_pages == len(body)


def test_plan_front_matter_and_separator_numbering() -> None:
    plan = plan_bundle(
        spec(front_matter_numbering="roman", number_separator_pages=True, first_page_number=50),
        COUNTS,
        front_pages=3,
    )
    pages = plan.volumes[0].pages
    assert [(p.stamp, p.label) for p in pages[:3]] == [("", "i"), ("ii", "ii"), ("iii", "iii")]
    assert pages[3].kind == SEPARATOR and pages[3].number == 50 and pages[3].stamp == "50"
    assert plan.tabs[0].first_number == 51
    numbers = [p.number for p in pages if p.number is not None]
    assert numbers == list(range(50, 50 + len(numbers)))


def test_plan_without_separators() -> None:
    plan = plan_bundle(spec(separator_pages=False), COUNTS, front_pages=2)
    assert not any(p.kind == SEPARATOR for p in plan.volumes[0].pages)
    assert plan.tabs[0].first_physical == 3


def test_volume_split_by_pages_never_splits_a_tab() -> None:
    plan = plan_bundle(spec(max_pages=8), COUNTS, front_pages=2)
    assert [v.tabs for v in plan.volumes] == [(0,), (1,), (3,)]
    for vol in plan.volumes:
        assert len(vol.pages) <= 8
        assert [p.kind for p in vol.pages[:2]] == [COVER, INDEX]
    numbers = [p.number for v in plan.volumes for p in v.pages if p.number]
    # 10 document pages and 3 separators, numbered straight through the volumes
    assert numbers == list(range(1, 10 + 3 + 1)) and plan.numbered_pages == len(numbers)
    for vol in plan.volumes:  # each volume's numbers open with its first tab's separator
        assert vol.pages[2].kind == SEPARATOR and vol.pages[2].number == vol.first_number
    assert [t.volume for t in plan.tabs] == [1, 2, None, 3]
    assert plan.tabs[3].separator_physical == 3  # positions restart in each volume file


def test_volume_split_by_size() -> None:
    plan = plan_bundle(
        spec(max_mb=1.0),
        COUNTS,
        front_pages=2,
        page_bytes={"p": 200_000, "b": 100_000, "t": 100_000, "l": 100_000},
        fixed_bytes=50_000,
    )
    assert [v.tabs for v in plan.volumes] == [(0,), (1, 3)]
    assert all(v.estimated_bytes <= 1_000_000 for v in plan.volumes)


def test_impossible_volume_limits() -> None:
    with pytest.raises(VolumeLimitError, match="Tab 2 alone"):
        plan_bundle(spec(max_pages=6), COUNTS, front_pages=2)
    with pytest.raises(VolumeLimitError, match="size limit"):
        plan_bundle(spec(max_mb=0.1), COUNTS, front_pages=2, page_bytes={"p": 50_000})


def test_plan_reports_missing_and_bad_ranges() -> None:
    with pytest.raises(BundleSpecError, match="Tab 4, part 1: The document is missing"):
        plan_bundle(spec(), {k: v for k, v in COUNTS.items() if k != "l"}, front_pages=2)
    with pytest.raises(PageRangeError, match="Tab 2, part 2"):
        plan_bundle(spec(), {**COUNTS, "t": 2}, front_pages=2)


def test_estimate_front_pages() -> None:
    assert estimate_front_pages(spec()) == 2
    big = spec()
    big.sections[0].tabs = [Tab(f"T{i}", None, [DocumentPart("p")]) for i in range(100)]
    assert estimate_front_pages(big) == 1 + 5
