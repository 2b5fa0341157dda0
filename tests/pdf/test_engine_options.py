"""Settings that change numbering and layout: volumes, frozen numbering, roman front matter,
section prefixes, paper sizes, French output; and clean failure (errors, cancel)."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pikepdf
import pytest
from reportlab.lib.pagesizes import A4, legal

from clinic_app.domain.bundle import (
    BundleSettings,
    BundleSpec,
    DocumentPart,
    PageRangeError,
    Section,
    Tab,
    VolumeLimitError,
)
from clinic_app.domain.progress import CancelToken
from clinic_app.errors import Cancelled
from clinic_app.pdf.engine import build_bundle
from clinic_app.pdf.errors import SourceChanged, SourceEncrypted, SourceMissing, SourceUnreadable

from .conftest import Doc, P, Readback, check_bundle, make_pdf

SIZES = {"a": 3, "b": 5, "c": 2, "d": 6, "e": 4}


@pytest.fixture(scope="module")
def docs() -> dict[str, bytes]:
    return {k: make_pdf(Doc(k, [P() for _ in range(n)])) for k, n in SIZES.items()}


def simple(**settings: object) -> BundleSpec:
    return BundleSpec(
        title="Record",
        file_number="IMM-5360-23",
        date=dt.date(2025, 1, 15),
        settings=BundleSettings(**settings),  # type: ignore[arg-type]
        sections=[
            Section(
                "Decision",
                [
                    Tab("Decision", dt.date(2024, 1, 1), [DocumentPart("a")]),
                    Tab("Reasons", dt.date(2024, 1, 2), [DocumentPart("b")]),
                ],
            ),
            Section(
                "Affidavits",
                [
                    Tab("Affidavit", dt.date(2024, 2, 1), [DocumentPart("c")]),
                    Tab("NDP", None, reference="NDP item 1.1"),
                    Tab("Exhibits", dt.date(2024, 2, 2), [DocumentPart("d")]),
                    Tab("Letters", dt.date(2024, 3, 1), [DocumentPart("e")]),
                ],
            ),
        ],
    )


def test_volumes_split_with_continuous_numbering(docs: dict[str, bytes], tmp_path: Path) -> None:
    result = build_bundle(simple(max_pages=10), docs.__getitem__, tmp_path / "rec.pdf")
    assert len(result.volumes) >= 2
    assert [p.name for p in result.files] == [
        f"rec-vol{n}.pdf" for n in range(1, len(result.volumes) + 1)
    ]
    assert not (tmp_path / "rec.pdf").exists()
    next_number = 1
    indexes = []
    for vol in result.volumes:
        rb = Readback(vol.path)
        try:
            assert len(rb) == vol.pages <= 10
            tab_pages = check_bundle(rb, first_number=next_number, volume_column=True)
            # numbered: every page after the front matter, its first tab's separator first
            front = next(i for i, label in enumerate(rb.labels()) if label.isdigit())
            assert rb.stamp(front) == str(next_number) and rb.header(front) == ""
            own_tabs = [t for t in result.tabs if t.volume == vol.number]
            assert front == own_tabs[0].separator_physical - 1
            stamped = sum(rb.stamp(i).isdigit() for i in range(len(rb)))
            assert stamped == len(rb) - front
            assert stamped == sum(len(v) for v in tab_pages.values()) + len(own_tabs)
            next_number += stamped
            indexes.append(" ".join("".join(rb.text(i) for i in range(1, front)).split()))
            assert f"Volume {vol.number} of {len(result.volumes)}" in " ".join(rb.text(0).split())
            own = {t.label for t in own_tabs}
            titles = [title for _d, title, _p in rb.outline() if title.startswith("Tab ")]
            assert {t.split()[1] for t in titles if "Reference" not in t} == own
            linked = {
                rb.text_in(i, rect).split()[0] for i in range(1, front) for rect, _t in rb.links(i)
            }
            assert linked == own  # rows of tabs in other volumes carry no link
        finally:
            rb.close()
    with_documents = [t for _s, t in simple().iter_tabs() if t.parts]  # one separator each
    assert next_number - 1 == sum(SIZES.values()) + len(with_documents) == result.numbered_pages
    assert len(set(i.split("Index", 1)[1] for i in indexes)) == 1  # one master index
    vol_column = re.findall(r"\u2013\d+ (\d)", indexes[0])
    assert vol_column and set(vol_column) == {str(v.number) for v in result.volumes}


def test_volume_limit_that_no_split_can_meet(docs: dict[str, bytes], tmp_path: Path) -> None:
    with pytest.raises(VolumeLimitError, match="Tab 2 alone"):
        build_bundle(simple(max_pages=6), docs.__getitem__, tmp_path / "x.pdf")
    assert list(tmp_path.iterdir()) == []


def test_size_limit_splits_volumes(tmp_path: Path) -> None:
    big = {
        k: make_pdf(Doc(k, [P(image=True, noise=True) for _ in range(n)])) for k, n in SIZES.items()
    }
    limit = 0.2 + 2 * max(len(b) for b in big.values()) / 1e6
    result = build_bundle(simple(max_mb=limit), big.__getitem__, tmp_path / "rec.pdf")
    assert len(result.volumes) >= 2
    for vol in result.volumes:
        assert vol.size_bytes == vol.path.stat().st_size <= limit * 1e6
    assert result.warnings == ()


def test_frozen_numbering_continues_a_served_bundle(docs: dict[str, bytes], build) -> None:  # type: ignore[no-untyped-def]
    first = 241
    result, rb = build(simple(first_page_number=first, first_tab_number=12), docs)
    tab_pages = check_bundle(rb, first_number=first)
    separator = result.tabs[0].separator_physical - 1  # the first numbered page
    assert rb.stamp(separator) == rb.labels()[separator] == str(first)
    assert "Tab 12" in rb.text(separator)
    assert min(tab_pages["12"]) == first + 1
    separators = sum(1 for _s, t in simple().iter_tabs() if t.parts)
    assert result.tabs[0].label == "12"
    assert result.tabs[-1].last_number == first - 1 + sum(SIZES.values()) + separators
    assert rb.labels()[result.tabs[0].first_physical - 1] == str(first + 1)


def test_roman_front_matter_and_numbered_separators(docs: dict[str, bytes], build) -> None:  # type: ignore[no-untyped-def]
    result, rb = build(simple(front_matter_numbering="roman", number_separator_pages=True), docs)
    labels = rb.labels()
    assert labels[0] == "i" and rb.stamp(0) == ""  # the cover is counted, not stamped
    assert labels[1] == "ii" and rb.stamp(1) == "ii"
    first_sep = result.tabs[0].separator_physical - 1
    assert rb.stamp(first_sep) == "1" and labels[first_sep] == "1"
    assert result.tabs[0].first_number == 2  # the index range starts after the tab page
    check_bundle(rb)


def test_section_prefixes_and_no_separators_or_header(docs: dict[str, bytes], build) -> None:  # type: ignore[no-untyped-def]
    result, rb = build(simple(section_prefixes=True, separator_pages=False, header=False), docs)
    assert [t.label for t in result.tabs] == ["A-1", "A-2", "B-1", "B-2", "B-3", "B-4"]
    assert all(t.separator_physical is None for t in result.tabs)
    front = result.tabs[0].first_physical - 1
    assert len(rb) == front + sum(SIZES.values())
    assert all(rb.header(i) == "" for i in range(len(rb)))
    index = " ".join(rb.text(1).split())
    assert "A. Decision" in index and "B-3" in index
    assert [title for _d, title, _p in rb.outline()][:3] == [
        "Index",
        "A. Decision",
        "Tab A-1 \u2013 Decision",
    ]
    for i in range(1, front):
        for rect, target in rb.links(i):
            label = rb.text_in(i, rect).split()[0]
            tab = next(t for t in result.tabs if t.label == label)
            assert target == tab.first_physical - 1


@pytest.mark.parametrize("paper", ["a4", "legal"])
def test_other_paper_sizes(paper: str, build) -> None:  # type: ignore[no-untyped-def]
    docs = {"x": make_pdf(Doc("x", [P(), P(A4, 90), P(legal)]))}
    spec = BundleSpec(
        title="T",
        settings=BundleSettings(paper=paper),
        sections=[Section("", [Tab("X", None, [DocumentPart("x")])])],
    )
    _result, rb = build(spec, docs)
    check_bundle(rb, paper=paper)


def test_excerpts_in_any_order(build) -> None:  # type: ignore[no-untyped-def]
    doc = Doc("r", [P() for _ in range(20)])
    spec = BundleSpec(
        title="T",
        sections=[Section("", [Tab("Report", None, [DocumentPart("r", pages="12-14, 3 ,18")])])],
    )
    result, rb = build(spec, {"r": make_pdf(doc)})
    markers = [
        re.search(r"MARK-r-p\d+", rb.text(i)).group()
        for i in range(result.tabs[0].first_physical - 1, len(rb))
    ]
    assert markers == [doc.marker(n) for n in (12, 13, 14, 3, 18)]
    assert "excerpt, original pp. 12\u201314, 3, 18" in " ".join(rb.text(1).split())


def test_french_bundle(docs: dict[str, bytes], build, french_catalog: None) -> None:  # type: ignore[no-untyped-def]
    spec = simple()
    spec.language = "fr"
    spec.date = dt.date(2025, 4, 1)
    result, rb = build(spec, docs)
    cover = " ".join(rb.text(0).split())
    assert "Dossier no IMM-5360-23" in cover and "1er avril 2025" in cover
    index = " ".join(rb.text(1).split())
    assert index.startswith("Index Onglet Document Date Pages")
    assert "Référence seulement" in index and "1er janvier 2024" in index
    assert rb.header(result.tabs[0].first_physical - 1) == "IMM-5360-23\u00b7Onglet1"
    assert rb.labels()[0] == "Couverture"
    assert str(rb.pike.Root.Lang) == "fr-CA"


def test_progress_reaches_every_page(docs: dict[str, bytes], tmp_path: Path) -> None:
    seen: list[tuple[int, int, str]] = []
    result = build_bundle(
        simple(),
        docs.__getitem__,
        tmp_path / "p.pdf",
        progress=lambda d, t, label: seen.append((d, t, label)),
    )
    pages = [s for s in seen if s[2].startswith("Adding")]
    assert [d for d, _t, _l in pages] == list(range(1, result.total_pages + 1))
    assert all(t == result.total_pages for _d, t, _l in pages)
    assert all("Decision" not in label for _d, _t, label in seen)  # labels carry no content


def test_cancel_leaves_no_output_and_no_temp_file(docs: dict[str, bytes], tmp_path: Path) -> None:
    token = CancelToken()

    def progress(done: int, total: int, label: str) -> None:
        if label.startswith("Adding") and done == 5:
            token.cancel()

    with pytest.raises(Cancelled):
        build_bundle(
            simple(max_pages=10),
            docs.__getitem__,
            tmp_path / "c.pdf",
            progress=progress,
            cancel=token,
        )
    assert list(tmp_path.iterdir()) == []


def test_page_counts_skip_the_first_pass_but_are_checked(
    docs: dict[str, bytes], tmp_path: Path
) -> None:
    calls: list[str] = []

    def sources(doc_id: str) -> bytes:
        calls.append(doc_id)
        return docs[doc_id]

    build_bundle(simple(), sources, tmp_path / "ok.pdf", page_counts=SIZES)
    assert sorted(calls) == sorted(SIZES)  # each source fetched once
    reference = build_bundle(simple(), docs.__getitem__, tmp_path / "ref.pdf")
    assert (tmp_path / "ok.pdf").read_bytes() == reference.files[0].read_bytes()
    with pytest.raises(SourceChanged, match="Tab 2, part 1"):
        build_bundle(
            simple(), docs.__getitem__, tmp_path / "bad.pdf", page_counts={**SIZES, "b": 4}
        )
    assert not (tmp_path / "bad.pdf").exists()


def _encrypted() -> bytes:
    pdf = pikepdf.open(io.BytesIO(make_pdf(Doc("s"))))
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(user="secret", owner="owner"))
    return out.getvalue()


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        ("missing", SourceMissing),
        (b"%PDF-1.4 garbage", SourceUnreadable),
        (b"not a pdf at all", SourceUnreadable),
        ("encrypted", SourceEncrypted),
    ],
)
def test_bad_sources_fail_clearly(
    docs: dict[str, bytes], tmp_path: Path, bad: object, error: type[Exception]
) -> None:
    sources = dict(docs)
    if bad == "encrypted":
        sources["c"] = _encrypted()
    elif bad == "missing":
        del sources["c"]
    else:
        sources["c"] = bad  # type: ignore[assignment]
    with pytest.raises(error, match="Tab 3, part 1"):
        build_bundle(simple(), sources.__getitem__, tmp_path / "x.pdf")
    assert list(tmp_path.iterdir()) == []


def test_page_range_beyond_the_document(docs: dict[str, bytes], tmp_path: Path) -> None:
    spec = simple()
    spec.sections[0].tabs[0].parts[0].pages = "2-9"
    with pytest.raises(PageRangeError, match="Tab 1, part 1.*page 9.*3 pages"):
        build_bundle(spec, docs.__getitem__, tmp_path / "x.pdf")


def test_sources_may_be_streams(docs: dict[str, bytes], tmp_path: Path) -> None:
    opened: list[io.BytesIO] = []

    def sources(doc_id: str) -> io.BytesIO:
        stream = io.BytesIO(docs[doc_id])
        opened.append(stream)
        return stream

    result = build_bundle(simple(), sources, tmp_path / "s.pdf")
    separators = sum(1 for _s, t in simple().iter_tabs() if t.parts)
    assert result.numbered_pages == sum(SIZES.values()) + separators
    assert all(s.closed for s in opened)


def test_size_limit_holds_when_excerpts_share_large_resources(tmp_path: Path) -> None:
    """Estimates come from source size per page; a one-page excerpt of a document whose
    pages share one large scan is underestimated tenfold, so the engine re-plans."""
    import random

    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    def shared_scan(seed: int) -> bytes:
        random.seed(seed)
        img = Image.frombytes("L", (500, 600), random.randbytes(500 * 600)).convert("RGB")
        jpeg = io.BytesIO()
        img.save(jpeg, "JPEG", quality=80)
        buf = io.BytesIO()
        c = canvas.Canvas(buf, invariant=1)
        reader = ImageReader(io.BytesIO(jpeg.getvalue()))
        for _ in range(10):
            c.drawImage(reader, 50, 50, 500, 600)  # one XObject, drawn on every page
            c.showPage()
        c.save()
        return buf.getvalue()

    docs = {f"s{n}": shared_scan(n) for n in range(5)}
    one = len(docs["s0"])
    spec = BundleSpec(
        title="T",
        settings=BundleSettings(max_mb=(2.2 * one + 60_000) / 1e6),
        sections=[
            Section(
                "", [Tab(f"Scan {n}", None, [DocumentPart(f"s{n}", pages="1")]) for n in range(5)]
            )
        ],
    )
    result = build_bundle(spec, docs.__getitem__, tmp_path / "scan.pdf")
    assert len(result.volumes) >= 3
    assert result.warnings == ()
    for vol in result.volumes:
        assert vol.path.stat().st_size <= spec.settings.max_mb * 1e6
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in result.files)


def test_sources_close_once_copied_and_the_spare_budget_changes_nothing(
    docs: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each source is closed as soon as its pages are copied (their stream data comes
    along), so one is open at a time; sources opened to count pages (a size limit asks
    for that pass) are kept for the copy only within the budget. Same bytes either way."""
    from clinic_app.pdf import pool

    opened: list[io.BytesIO] = []
    still_open: list[int] = []  # sources not yet closed whenever another is fetched

    def sources(doc_id: str) -> io.BytesIO:
        still_open.append(sum(not s.closed for s in opened))
        opened.append(io.BytesIO(docs[doc_id]))
        return opened[-1]

    streamed = build_bundle(simple(), sources, tmp_path / "streamed.pdf", page_counts=dict(SIZES))
    assert len(opened) == len(docs) and max(still_open) == 0 and all(s.closed for s in opened)
    counted = build_bundle(simple(), docs.__getitem__, tmp_path / "counted.pdf")  # spares kept open
    assert streamed.files[0].read_bytes() == counted.files[0].read_bytes()
    kept = build_bundle(simple(max_mb=50), docs.__getitem__, tmp_path / "kept.pdf")
    monkeypatch.setattr(pool, "DEFAULT_BUDGET", 0)
    opened.clear()
    still_open.clear()
    tight = build_bundle(simple(max_mb=50), sources, tmp_path / "tight.pdf")
    assert len(opened) == 2 * len(docs)  # counted and closed, opened again for the copy
    assert max(still_open) == 0
    assert tight.files[0].read_bytes() == kept.files[0].read_bytes()
