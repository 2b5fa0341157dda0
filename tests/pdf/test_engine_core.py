"""A mixed bundle (sizes, rotations, scans, excerpts, translations) read back three ways."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pikepdf
import pytest
from reportlab.lib.pagesizes import A4, landscape, legal, letter

from clinic_app.domain.bundle import DEFAULT_MARGIN_MM, BundleSettings, BundleSpec, DocumentPart, Section, Tab
from clinic_app.pdf.engine import build_bundle

from .conftest import Doc, P, Readback, check_bundle, make_pdf

BAND = DEFAULT_MARGIN_MM * 72 / 25.4  # the stamps' margin at the bottom of every page
NAMES = ["José Ñandú Pérez", "Жуков Иван Петрович", "王小明", "Élodie Côté-Lévesque"]

DOCS = [
    Doc("letter3", [P(), P(), P()]),
    Doc("a4rot", [P(A4, 0), P(A4, 90), P(A4, 180), P(A4, 270)]),
    Doc("legal", [P(legal), P(legal, 90)]),
    Doc("weird", [P(letter, 360), P(letter, -90), P(letter, 450)]),
    Doc("inherit", [P(A4), P(A4)], inherited_rotate=90),
    Doc("scan", [P(letter, image=True), P(A4, 90, image=True)]),
    Doc("wide", [P(landscape(letter))]),
    Doc("crop", [P(letter)], crop=(0, 420, 612, 792)),  # the marker (y=396) is cropped away
    Doc("multi", [P(letter, text="José Ñandú Жуков 王小明")]),
    Doc("report", [P() for _ in range(10)]),
    Doc("orig", [P(), P()]),
    Doc("trans", [P(), P()]),
    Doc("decl", [P()]),
]


def spec(**settings: object) -> BundleSpec:
    return BundleSpec(
        title="Claimant's Disclosure",
        forum="Immigration and Refugee Board of Canada, Refugee Protection Division",
        file_number="TB1-12345",
        parties=NAMES,
        counsel="Me Anne-Marie Tremblay\nClinique juridique",
        date=dt.date(2025, 4, 30),
        settings=BundleSettings(**settings),  # type: ignore[arg-type]
        sections=[
            Section(
                "Identity documents",
                [
                    Tab("Passport", dt.date(2019, 3, 1), [DocumentPart("letter3")]),
                    Tab(
                        "Mixed sizes",
                        dt.date(2020, 1, 2),
                        [DocumentPart("a4rot"), DocumentPart("legal")],
                    ),
                    Tab("Odd rotations", None, [DocumentPart("weird"), DocumentPart("inherit")]),
                ],
            ),
            Section(
                "Evidence",
                [
                    Tab(
                        "Scans",
                        dt.date(2021, 5, 6),
                        [DocumentPart("scan"), DocumentPart("wide"), DocumentPart("crop")],
                    ),
                    Tab("Statement", dt.date(2024, 12, 1), [DocumentPart("multi")]),
                    Tab(
                        "NDP Honduras",
                        dt.date(2025, 4, 30),
                        reference="NDP Honduras, 30 April 2025, item 7.3",
                    ),
                    Tab(
                        "Country report (excerpt)",
                        dt.date(2023, 7, 8),
                        [DocumentPart("report", pages="2-3,7")],
                    ),
                    Tab(
                        "Birth certificate",
                        dt.date(1990, 2, 3),
                        [
                            DocumentPart("orig", label="Original (Spanish)"),
                            DocumentPart("trans", label="Translation", role="translation"),
                            DocumentPart(
                                "decl", label="Translator's declaration", role="declaration"
                            ),
                        ],
                    ),
                ],
            ),
        ],
    )


def expected_pages(s: BundleSpec) -> list[tuple[str, str | None]]:
    """Independent of the engine: (tab label, marker or None for a separator) in order."""
    by_id = {d.doc_id: d for d in DOCS}
    out: list[tuple[str, str | None]] = []
    number = 0
    for _sec in s.sections:
        for tab in _sec.tabs:
            number += 1
            if not tab.parts:
                continue
            if s.settings.separator_pages:
                out.append((str(number), None))
            for part in tab.parts:
                doc = by_id[part.document_id]
                pages = range(1, len(doc.pages) + 1)
                if part.pages == "2-3,7":
                    pages = [2, 3, 7]
                out.extend(
                    (str(number), "IMAGE" if doc.pages[n - 1].image else doc.marker(n))
                    for n in pages
                )
    return out


@pytest.fixture(scope="module")
def docs() -> dict[str, bytes]:
    return {d.doc_id: make_pdf(d) for d in DOCS}


@pytest.fixture(scope="module")
def bundle(docs: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("core") / "bundle.pdf"
    result = build_bundle(spec(), docs.__getitem__, out)
    rb = Readback(out)
    yield result, rb
    rb.close()


def test_invariants_hold(bundle) -> None:  # type: ignore[no-untyped-def]
    result, rb = bundle
    assert len(rb) == result.total_pages
    tab_pages = check_bundle(rb)
    assert sorted(tab_pages) == ["1", "2", "3", "4", "5", "7", "8"]
    # Every page after the front matter is numbered, separators included (check_bundle
    # counts document pages by their header; separators carry no header).
    pages = expected_pages(spec())
    separators = [label for label, marker in pages if marker is None]
    assert sorted(separators) == sorted(tab_pages)
    assert sum(len(v) for v in tab_pages.values()) == len(pages) - len(separators)
    assert result.numbered_pages == len(pages)
    assert sum(rb.stamp(i).isdigit() for i in range(len(rb))) == result.numbered_pages


def test_every_source_page_is_where_the_index_says(bundle) -> None:  # type: ignore[no-untyped-def]
    result, rb = bundle
    front = result.tabs[0].separator_physical - 1
    pages = expected_pages(spec())
    assert len(rb) == front + len(pages)
    number = 0
    for offset, (label, marker) in enumerate(pages):
        i = front + offset
        number += 1  # separators are numbered too
        if marker is None:
            assert f"Tab {label}" in rb.text(i) and rb.header(i) == ""
            assert rb.stamp(i) == str(number)
            continue
        if marker == "IMAGE":  # a scan: no text, but its image is drawn on the page
            assert "MARK" not in rb.text(i) and rb.pike.pages[i].get_images()
        else:
            assert marker in rb.text(i), (i, marker)
        assert rb.stamp(i) == str(number)
        assert rb.header(i) == f"TB1-12345\u00b7Tab{label}"  # pdfium chars, spaces dropped
    for tab in result.tabs:
        if tab.reference_only:
            assert tab.first_physical is None and tab.volume is None
            continue
        assert rb.stamp(tab.first_physical - 1) == str(tab.first_number)
        assert rb.stamp(tab.last_physical - 1) == str(tab.last_number)
        assert tab.separator_physical == tab.first_physical - 1
        assert rb.stamp(tab.separator_physical - 1) == str(tab.first_number - 1)


def test_rotations_are_normalised_and_kept(bundle) -> None:  # type: ignore[no-untyped-def]
    _result, rb = bundle
    rotation = {}
    for i in range(len(rb)):
        for marker in ("a4rot", "weird", "inherit", "legal"):
            for n in range(1, 5):
                if f"MARK-{marker}-p{n}" in rb.text(i):
                    rotation[(marker, n)] = rb.pdfium[i].get_rotation()
                    assert rb.pike.pages[i].obj.Rotate in (0, 90, 180, 270)
    assert rotation == {
        ("a4rot", 1): 0,
        ("a4rot", 2): 90,
        ("a4rot", 3): 180,
        ("a4rot", 4): 270,
        ("weird", 1): 0,
        ("weird", 2): 270,
        ("weird", 3): 90,
        ("inherit", 1): 90,
        ("inherit", 2): 90,
        ("legal", 1): 0,
        ("legal", 2): 90,
    }


def test_orientation_follows_the_seen_page(bundle) -> None:  # type: ignore[no-untyped-def]
    _result, rb = bundle
    for i in range(len(rb)):
        text = rb.text(i)
        w, h = rb.seen_size(i)
        if "MARK-wide-p1" in text:
            assert (w, h) == (792, 612)  # a landscape page stays landscape
        if "MARK-a4rot-p2" in text:  # A4 portrait shown rotated: landscape, letter-sized
            assert (round(w), round(h)) == (792, 612)
        if "MARK-a4rot-p1" in text:
            assert (round(w), round(h)) == (612, 792)


def test_source_text_layers_survive(bundle) -> None:  # type: ignore[no-untyped-def]
    _result, rb = bundle
    everything = "".join(rb.text(i) for i in range(len(rb)))
    for doc in DOCS:
        for n, page in enumerate(doc.pages, start=1):
            if doc.doc_id == "report" and n not in (2, 3, 7):
                assert doc.marker(n) not in everything
            elif not page.image:
                assert doc.marker(n) in everything, doc.marker(n)
    assert "José Ñandú Жуков 王小明" in everything
    pypdf_text = "".join(p.extract_text() for p in rb.pypdf.pages)
    assert "MARK-inherit-p2" in pypdf_text and "MARK-crop-p1" in pypdf_text


def test_cropped_content_stays_hidden(bundle) -> None:  # type: ignore[no-untyped-def]
    _result, rb = bundle
    i = next(i for i in range(len(rb)) if "MARK-crop-p1" in rb.text(i))
    # Scaled to fit, the marker would land inside the page, below the cropped area.
    w, h = rb.seen_size(i)
    ((x, y),) = [(x, y) for c, x, y, _size in rb.chars(i) if c == "M"]
    assert 0 < x < w and 0 < y < h
    image = rb.pdfium[i].render(scale=1).to_pil().convert("L")
    region = image.crop((int(x) - 10, int(h - y) - 10, int(x) + 80, int(h - y) + 10))
    assert min(region.get_flattened_data()) > 200, "text outside the CropBox became visible"
    unclipped = rb.pdfium[0].render(scale=1).to_pil().convert("L")  # sanity: renders ink
    assert min(unclipped.get_flattened_data()) < 100


def test_index_lists_ranges_parts_and_references(bundle) -> None:  # type: ignore[no-untyped-def]
    result, rb = bundle
    index = "".join(rb.text(i) for i in range(1, result.tabs[0].separator_physical - 1))
    flat = " ".join(index.split())
    assert "NDP Honduras, 30 April 2025, item 7.3" in flat
    assert "Reference only" in flat
    assert "excerpt, original pp. 2\u20133, 7" in flat
    assert "\u2013 Translator's declaration" in flat
    assert "30 April 2025" in flat and "3 February 1990" in flat
    first, last = result.tabs[7].first_number, result.tabs[7].last_number
    assert f"{first}\u2013{last}" in flat


def test_bookmarks_mirror_the_index(bundle) -> None:  # type: ignore[no-untyped-def]
    result, rb = bundle
    outline = rb.outline()
    titles = [(depth, title) for depth, title, _page in outline]
    assert titles[:2] == [(0, "Index"), (0, "Identity documents")]
    assert (1, "Tab 6 \u2013 NDP Honduras (Reference only)") in titles
    assert (2, "Translator's declaration") in titles
    index_links = {
        target
        for i in range(1, result.tabs[0].separator_physical - 1)
        for _rect, target in rb.links(i)
    }
    for depth, title, page in outline:
        if title.startswith("Tab ") and "Reference only" not in title:
            tab = result.tabs[int(title.split()[1]) - 1]
            assert page == tab.separator_physical - 1
            assert page in index_links
        if title == "Translator's declaration":
            assert "MARK-decl-p1" in rb.text(page)
    sections = {title: page for depth, title, page in outline if depth == 0}
    assert sections["Identity documents"] == result.tabs[0].separator_physical - 1
    assert sections["Evidence"] == result.tabs[3].separator_physical - 1


def test_page_labels_name_unnumbered_pages(docs: dict[str, bytes], build) -> None:  # type: ignore[no-untyped-def]
    result, rb = build(spec(number_separator_pages=False), docs)
    labels = rb.labels()
    assert labels[0] == "Cover" and labels[1] == "Index 1"
    for tab in result.tabs:
        if tab.reference_only:
            continue
        assert rb.stamp(tab.separator_physical - 1) == ""
        assert labels[tab.separator_physical - 1] == f"Tab {tab.label}"
        assert labels[tab.first_physical - 1] == rb.stamp(tab.first_physical - 1)
    assert labels[result.tabs[0].first_physical - 1] == "1"
    check_bundle(rb)


def test_metadata_comes_from_the_spec(bundle) -> None:  # type: ignore[no-untyped-def]
    _result, rb = bundle
    meta = rb.pypdf.metadata
    assert meta.title == "TB1-12345 \u2013 Claimant's Disclosure"
    assert meta.author == "Me Anne-Marie Tremblay"
    assert meta["/CreationDate"] == "D:20250430000000"
    assert rb.pdfium.get_metadata_value("Title") == meta.title
    assert str(rb.pike.Root.Lang) == "en-CA"


def test_names_in_every_script_are_extractable(bundle) -> None:  # type: ignore[no-untyped-def]
    _result, rb = bundle
    cover_pdfium = " ".join(rb.text(0).split())
    cover_pypdf = " ".join(rb.pypdf.pages[0].extract_text().split())
    for name in NAMES:
        assert name in cover_pdfium and name in cover_pypdf, name
    fonts = {str(f.get("/BaseFont")) for f in rb.pike.pages[0].obj.Resources.Font.values()}
    assert any(f.endswith("+DejaVuSans") for f in fonts)
    assert any(f.endswith("+DroidSansFallback") for f in fonts)
    for font in rb.pike.pages[0].obj.Resources.Font.values():
        descriptor = font.get("/FontDescriptor")
        if descriptor is not None:
            assert "/FontFile2" in descriptor, "fonts must be embedded"


def test_identical_inputs_give_identical_bytes(
    docs: dict[str, bytes], tmp_path: Path, bundle, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    _result, rb = bundle
    again = tmp_path / "again.pdf"
    saves: list[dict[str, object]] = []
    real_save = pikepdf.Pdf.save

    def counted(pdf, *args, **kwargs):  # type: ignore[no-untyped-def]
        saves.append(kwargs)
        return real_save(pdf, *args, **kwargs)

    monkeypatch.setattr(pikepdf.Pdf, "save", counted)
    build_bundle(spec(), docs.__getitem__, again)
    assert again.read_bytes() == rb.data
    # one pass: the content-derived /ID (tests/pdf/test_scale.py) was patched in place
    assert len(saves) == 1 and "deterministic_id" not in saves[0]
    other = tmp_path / "other.pdf"
    changed = spec()
    changed.date = dt.date(2025, 5, 1)
    build_bundle(changed, docs.__getitem__, other)
    assert other.read_bytes() != rb.data


def test_qpdf_finds_no_structural_problem(bundle) -> None:  # type: ignore[no-untyped-def]
    _result, rb = bundle
    assert rb.pike.check_pdf_syntax() == []
    assert rb.pike.trailer.ID[0] == rb.pike.trailer.ID[1]
    assert not rb.pike.is_encrypted


def _pypdf_stamp(rb: Readback, i: int) -> str:
    """The page-number stamp as pypdf reads it: 10 pt text in the bottom margin, right half.

    User-space coordinates: only for unrotated pages, such as separator pages."""
    page = rb.pypdf.pages[i]
    assert page.rotation == 0
    width = float(page.mediabox.width)
    found: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and abs(size * tm[3] * cm[3] - 10) < 0.3 and 0 < y < BAND and x > width / 2:
            found.append((x, text.strip()))

    page.extract_text(visitor_text=visit)
    return "".join(text for _x, text in sorted(found))


def test_separator_pages_are_numbered_by_default(bundle) -> None:  # type: ignore[no-untyped-def]
    """Every page after the front matter, separators included, carries its consecutive number;
    read back with pdfium (stamps, index text) and pypdf (stamps, labels, index links)."""
    result, rb = bundle
    first_page_number = spec().settings.first_page_number
    labels = rb.labels()  # pypdf and pdfium agree, or this fails
    front = sum(not label.isdigit() for label in labels)
    assert labels[:front] == ["Cover"] + [f"Index {n}" for n in range(1, front)]
    assert len(rb) == front + len(expected_pages(spec()))
    for i in range(front, len(rb)):  # number = physical position - front pages + first number
        number = str(i - front + first_page_number)
        assert rb.stamp(i) == labels[i] == number, i

    # Separator pages: found from the file (the tab page, no header), not from the result.
    separators: dict[int, str] = {}
    for i in range(front, len(rb)):
        if rb.header(i) == "":
            tab_lines = [line for line in rb.text(i).splitlines() if line.startswith("Tab ")]
            assert len(tab_lines) == 1, (i, tab_lines)
            separators[i] = tab_lines[0].removeprefix("Tab ")
    with_documents = [t for t in result.tabs if not t.reference_only]
    assert sorted(separators) == [t.separator_physical - 1 for t in with_documents]
    assert sorted(separators.values()) == sorted(t.label for t in with_documents)
    for i, label in separators.items():
        assert rb.stamp(i).isdigit() and rb.stamp(i) == _pypdf_stamp(rb, i) == labels[i]
        assert rb.header(i + 1).endswith(f"Tab{label}")  # its first document page follows

    # Index rows (links read by pypdf, row text by pdfium): each tab's range starts at its
    # first document page, the page after its numbered separator.
    objects = {page.indirect_reference.idnum: n for n, page in enumerate(rb.pypdf.pages)}
    rows: dict[str, tuple[int, int]] = {}
    for i in range(1, front):
        for annot in rb.pypdf.pages[i].get("/Annots", []):
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            target = objects[annot["/Dest"][0].idnum]
            row = rb.text_in(i, tuple(float(v) for v in annot["/Rect"])).split()
            if target in separators and row[0] == separators[target]:
                page_range = re.fullmatch(r"(\d+)(?:\u2013\d+)?", row[-1])
                assert page_range, row
                rows[row[0]] = (target, int(page_range.group(1)))
    assert sorted(rows) == sorted(separators.values())
    for label, (target, first) in rows.items():
        assert first == int(rb.stamp(target)) + 1 == int(rb.stamp(target + 1))
        tab = next(t for t in result.tabs if t.label == label)
        assert (tab.separator_physical - 1, tab.first_number) == (target, first)
