"""Page geometry (fit, rotation, stamp matrix), pre-flight rules, and the pdf layer's imports."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary

from clinic_app.domain.bundle import BundleSettings, BundleSpec, DocumentPart, Section, Tab
from clinic_app.pdf import normalize
from clinic_app.pdf.preflight import DocumentFacts, by_tab, has_errors, preflight

from .conftest import to_visible

LETTER = (612.0, 792.0)


def page(box: list[float], rotate: object = None, crop: list[float] | None = None) -> Dictionary:
    d = Dictionary(Type=pikepdf.Name.Page, MediaBox=Array(box))
    if rotate is not None:
        d.Rotate = rotate
    if crop:
        d.CropBox = Array(crop)
    return d


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, 0),
        (0, 0),
        (90, 90),
        (180, 180),
        (270, 270),
        (360, 0),
        (-90, 270),
        (450, 90),
        (720, 0),
        (89, 90),
    ],
)
def test_rotation_is_normalised(value: object, expected: int) -> None:
    assert normalize.rotation(page([0, 0, 612, 792], value)) == expected


def test_inherited_attributes_are_found_through_parents() -> None:
    pdf = pikepdf.new()
    root = pdf.Root.Pages
    root.Rotate = 270
    kid = pdf.make_indirect(page([0, 0, 10, 10]))
    kid.Parent = root
    assert normalize.inherited(kid, "/Rotate") == 270
    assert normalize.inherited(kid, "/CropBox") is None


@pytest.mark.parametrize(
    ("box", "rot", "seen"),
    [
        ([0, 0, 595.28, 841.89], 0, (612, 792)),  # A4 portrait
        ([0, 0, 612, 1008], 0, (612, 792)),  # legal
        ([0, 0, 792, 612], 0, (792, 612)),  # landscape stays landscape
        ([0, 0, 595.28, 841.89], 90, (792, 612)),  # portrait shown rotated
        ([0, 0, 841.89, 595.28], 270, (612, 792)),
        ([-100, 50, 512, 842], 180, (612, 792)),  # offset origin
        ([0, 0, 4, 4], 0, (612, 792)),  # tiny square: scaled up, letter portrait
        ([0, 0, 1, 1], 0, (612, 792)),  # the smallest page intake accepts (was taken for Letter: a speck)
        ([0, 0, 1, 300], 0, (612, 792)),
    ],
)
def test_fit_fills_the_paper_and_keeps_aspect(
    box: list[float], rot: int, seen: tuple[int, int]
) -> None:
    frame, (scale, tx, ty, x0, y0, w, h) = normalize.fit(page(box, rot), LETTER)
    assert (x0, y0, w, h) == pytest.approx((min(box[0], box[2]), min(box[1], box[3]), abs(box[2] - box[0]),
                                            abs(box[3] - box[1])))  # the page's own box, not a stand-in
    assert frame.rotate == rot
    assert tuple(round(v) for v in frame.visible) == seen
    # The scaled box lies inside the new MediaBox, touching two opposite edges, centred.
    left, bottom = scale * x0 + tx, scale * y0 + ty
    right, top = left + scale * w, bottom + scale * h
    assert left >= -1e-6 and bottom >= -1e-6
    assert right <= frame.width + 1e-6 and top <= frame.height + 1e-6
    assert (abs(left) < 1e-6 and abs(right - frame.width) < 1e-6) or (
        abs(bottom) < 1e-6 and abs(top - frame.height) < 1e-6
    )
    assert abs(left - (frame.width - right)) < 1e-6 and abs(bottom - (frame.height - top)) < 1e-6


def test_crop_box_defines_the_visible_area() -> None:
    frame, placement = normalize.fit(page([0, 0, 612, 792], 0, [100, 100, 400, 500]), LETTER)
    assert placement[3:] == (100, 100, 300, 400)
    assert b"100 100 300 400 re W n q" in normalize.prefix_ops(placement)


@pytest.mark.parametrize("rot", [0, 90, 180, 270])
def test_stamp_matrix_is_upright_on_the_seen_page(rot: int) -> None:
    frame = normalize.Frame(rot, *((792.0, 612.0) if rot in (90, 270) else (612.0, 792.0)))
    a, b, c, d, e, f = frame.matrix(500, 20)
    # The text origin lands at seen point (500, 20) ...
    assert to_visible(e, f, rot, frame.width, frame.height) == pytest.approx((500, 20))
    # ... and the text's x axis points right on the seen page, its y axis up.
    ox, oy = to_visible(e, f, rot, frame.width, frame.height)
    xx, xy = to_visible(e + a, f + b, rot, frame.width, frame.height)
    yx, yy = to_visible(e + c, f + d, rot, frame.width, frame.height)
    assert (xx - ox, xy - oy) == pytest.approx((1, 0))
    assert (yx - ox, yy - oy) == pytest.approx((0, 1))


def test_numbers_in_content_streams_are_short_and_stable() -> None:
    assert [normalize.num(v) for v in (0, 1.0, -0.00001, 0.94074, 26.000007, -3.5)] == [
        "0",
        "1",
        "0",
        "0.9407",
        "26",
        "-3.5",
    ]


# ----------------------------------------------------------------------------- preflight


def pf_spec(**settings: object) -> BundleSpec:
    return BundleSpec(
        title="T",
        settings=BundleSettings(**settings),  # type: ignore[arg-type]
        sections=[
            Section(
                "",
                [
                    Tab("Passport", dt.date(2020, 1, 1), [DocumentPart("ok")]),
                    Tab("Letter", None, [DocumentPart("es"), DocumentPart("scan")]),
                    Tab(
                        "Birth",
                        dt.date(1990, 1, 1),
                        [DocumentPart("es2"), DocumentPart("tr", role="translation")],
                    ),
                    Tab("Copy", dt.date(2021, 1, 1), [DocumentPart("ok")]),
                    Tab("Dup", dt.date(2021, 1, 1), [DocumentPart("same")]),
                    Tab(
                        "Gone",
                        dt.date(2021, 1, 1),
                        [DocumentPart("gone"), DocumentPart("locked", pages="9")],
                    ),
                    Tab("NDP", None, reference="NDP item 1"),
                ],
            )
        ],
    )


FACTS = {
    "ok": DocumentFacts(page_count=3, sha256="aa", language="en", size_bytes=30_000),
    "es": DocumentFacts(page_count=2, sha256="bb", language="es"),
    "scan": DocumentFacts(page_count=4, pages_without_text=4, sha256="cc", language=""),
    "es2": DocumentFacts(page_count=1, sha256="dd", language="es"),
    "tr": DocumentFacts(page_count=1, sha256="ee", language="en"),
    "same": DocumentFacts(page_count=3, sha256="aa"),
    "locked": DocumentFacts(page_count=2, encrypted=True, sha256="ff"),
}


def test_preflight_lists_problems_by_tab() -> None:
    problems = preflight(
        pf_spec(), FACTS, deadline=dt.date(2025, 1, 10), today=dt.date(2025, 1, 11)
    )
    found = {(p.tab, p.part, p.code, p.severity) for p in problems}
    assert found == {
        ("", None, "deadline_passed", "warning"),
        ("2", None, "undated", "warning"),
        ("2", 1, "untranslated", "error"),
        ("2", 2, "no_text", "warning"),
        ("3", None, "no_declaration", "warning"),
        ("4", 1, "duplicate", "warning"),
        ("5", 1, "duplicate_content", "warning"),
        ("6", 1, "missing", "error"),
        ("6", 2, "encrypted", "error"),
        ("6", 2, "page_range", "error"),
        ("7", None, "undated", "warning"),
    }
    assert has_errors(problems)
    assert list(by_tab(problems)) == ["", "2", "3", "4", "5", "6", "7"]
    messages = {p.code: p.message for p in problems}
    assert messages["no_text"] == "4 pages have no text layer and cannot be searched; consider OCR."
    assert "Tab 1, part 1" in messages["duplicate"]
    assert "2025-01-10" in messages["deadline_passed"]


def test_preflight_clean_bundle_and_deadline_today() -> None:
    spec = BundleSpec(
        title="T",
        sections=[Section("", [Tab("Passport", dt.date(2020, 1, 1), [DocumentPart("ok")])])],
    )
    assert preflight(spec, FACTS, deadline=dt.date(2025, 1, 10), today=dt.date(2025, 1, 10)) == []


def test_preflight_volume_limits() -> None:
    spec = BundleSpec(
        title="T",
        settings=BundleSettings(max_pages=4, max_mb=0.02),
        sections=[Section("", [Tab("Big", dt.date(2020, 1, 1), [DocumentPart("ok")])])],
    )
    codes = {p.code for p in preflight(spec, FACTS)}
    assert codes == {"volume_pages", "volume_size"}


def test_pdf_layer_imports_only_what_it_may() -> None:
    allowed_internal = (
        "clinic_app.domain",
        "clinic_app.errors",
        "clinic_app.i18n",
        "clinic_app.fsutil",
        "clinic_app.output_files",  # fsutil's writer for files the person chose, with clear errors
        "clinic_app.paths",
        "clinic_app.pdf",
        "clinic_app.typeset",  # fonts, bidi and shaping, shared with intake's text files
    )
    folder = Path(normalize.__file__).parent
    bad = []
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else ([node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            )
            for name in names:
                if name == "clinic_app":  # the package root: its version, nothing else
                    continue
                if name.startswith("clinic_app") and not name.startswith(allowed_internal):
                    bad.append(f"{path.name}: {name}")
                if name.split(".")[0] in ("PySide6", "shiboken6", "sqlcipher3", "sqlite3"):
                    bad.append(f"{path.name}: {name}")
    assert bad == []
