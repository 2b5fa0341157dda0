"""Issue 16, point 2: stamps print in clear space, never over the page's own text.

Sources whose text reaches all four edges (A4, Legal, Letter, landscape Letter, a
receipt, a 2000 x 3000 pt poster, /Rotate 90/180/270, a negative-origin MediaBox and
an offset CropBox) are imported into a real vault through the sandboxed intake and
built through the bundle service on every paper size. Each output is read back by
pdfium (glyph boxes and fonts) and, independently, by pypdf (text runs): no stamp
touches any content, the content sits inside the margin and fills it, and every
source page's four corner marks are still on its page, in the corner they were in.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from stamp_readback import (
    Box, PageText, corner_marks, edge_to_edge_pdf, overlaps, pdfium_pages, pypdf_runs, seen, union,
)

from support import ADMIN, ADMIN_PASS

MM = 72 / 25.4
# tag -> (width, height, /Rotate, MediaBox, CropBox); tags are letters, stamps are digits
SOURCES: dict[str, tuple[float, float, int, Box | None, Box | None]] = {
    "AFOUR": (595.2756, 841.8898, 0, None, None),
    "LEGAL": (612, 1008, 0, None, None),
    "LETTER": (612, 792, 0, None, None),
    "LAND": (792, 612, 0, None, None),
    "RECEIPT": (80 * MM, 200 * MM, 0, None, None),
    "POSTER": (2000, 3000, 0, None, None),
    "ROTA": (612, 792, 90, None, None),
    "ROTB": (595.2756, 841.8898, 180, None, None),
    "ROTC": (792, 612, 270, None, None),
    "NEG": (612, 792, 0, (-300, -150, 312, 642), None),
    "CROP": (612, 792, 90, (0, 0, 900, 1100), (100, 200, 712, 992)),
}
TOL = 0.5  # points: rounding in the readers


@pytest.fixture
def edge_vault(vault_folder: Path, tmp_path: Path) -> Path:
    """A matter with one edge-to-edge source per geometry, imported through the intake,
    and a bundle project b-edge with one tab each."""
    from clinic_app.domain.bundle import BundleSpec, Section
    from clinic_app.domain.client import Client
    from clinic_app.domain.identifiers import FileNumbers
    from clinic_app.domain.matter import Matter, MatterType
    from clinic_app.services import bundles, case_record
    from clinic_app.services.bundle_specs import tab_for_document
    from clinic_app.services.import_files import IMPORTED, import_files
    from clinic_app.services.session import unlock

    src = tmp_path / "sources"
    src.mkdir()
    for n, (tag, (w, h, rot, media, crop)) in enumerate(SOURCES.items()):
        (src / f"{n:02d}.pdf").write_bytes(edge_to_edge_pdf([(tag, w, h)], rotate=rot, media=media, crop=crop))
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-1", legal_name="Test Client"))
        case_record.save_matter(s, Matter(ref="m-1", client_ref="c-1", type=MatterType.RPD_CLAIM, title="Claim",
                                          file_numbers=FileNumbers(irb="TB1-12345")))
        report = import_files(s, "m-1", sorted(src.iterdir()))
        assert [f.outcome for f in report.files] == [IMPORTED] * len(SOURCES)
        tabs = [tab_for_document(s.vault.conn, f.document_ref) for f in report.files if f.document_ref]
        bundles.save_project(s, "b-edge", "m-1", BundleSpec(title="Edges", sections=[Section("Evidence", tabs)]))
    return vault_folder


def _build(folder: Path, out: Path, **settings: object) -> Path:
    import dataclasses

    from clinic_app.services import bundles
    from clinic_app.services.session import unlock

    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        matter, spec = bundles.load_project(s, "b-edge")
        spec = dataclasses.replace(spec, settings=dataclasses.replace(spec.settings, **settings))
        bundles.save_project(s, "b-edge", matter, spec)
        result = bundles.build(s, "b-edge", out)
    assert result.files == [out]
    return out


def _corner(tag: str, mark: str) -> tuple[bool, bool]:
    """(right, top) of the seen page where a source corner lands, from its /Rotate."""
    w, h, rot, _media, _crop = SOURCES[tag]
    x, y = {"NW": (0, h), "NE": (w, h), "SW": (0, 0), "SE": (w, 0)}[mark[len(tag):]]
    sx, sy = seen(x, y, rot, w, h)
    sw, sh = (h, w) if rot in (90, 270) else (w, h)
    return sx > sw / 2, sy > sh / 2


def _low_text(page: PageText) -> tuple[str, list[Box]]:
    """What prints in the bottom 54 pt (the generated pages' own margin), left to right."""
    low = sorted(((c, b) for c, b in page.stamps + page.content if b[1] < 54), key=lambda t: t[1][0])
    return "".join(c for c, _b in low), [b for _c, b in low]


def check_clear_space(path: Path, band: float) -> dict[str, int]:
    """Every check on one output; returns source tag -> the page it landed on."""
    pages = pdfium_pages(path)
    found: dict[str, int] = {}
    for i, page in enumerate(pages):
        w, h = page.width, page.height
        text = page.content_text()
        tags = [t for t in SOURCES if corner_marks(t)[0] in text]
        if not tags:  # cover, index, tab pages: nothing but the page number near the bottom
            number, boxes = _low_text(page)
            assert number == "" or number.isdigit() or set(number) <= set("ivxlcdm"), (i, number)
            assert all(b[3] <= band + TOL for b in boxes), (i, boxes)
            continue
        (tag,) = tags
        found[tag] = i
        assert page.stamp_text(top=False).isdigit(), (tag, page.stamps)
        assert page.stamp_text(top=True).endswith(f"Tab{len(found)}"), (tag, page.stamp_text(top=True))
        content = [b for _c, b in page.content]
        region = union(content)
        for char, box in page.stamps:  # the stamps: in the bands, clear of every glyph of the page
            assert not overlaps(box, region), (tag, char, box, region)
            assert 0 <= box[1] and box[3] <= h and (box[3] <= band + TOL or box[1] >= h - band - TOL), (tag, box)
        # the content: inside the margin, and filling it one way (shrunk no more than needed)
        assert band - TOL <= region[0] and region[2] <= w - band + TOL, (tag, region, w)
        assert band - TOL <= region[1] and region[3] <= h - band + TOL, (tag, region, h)
        assert (region[2] - region[0]) / (w - 2 * band) > 0.96 or (region[3] - region[1]) / (h - 2 * band) > 0.96
        for mark in corner_marks(tag):  # not cropped, and still in its corner
            assert mark in text, (tag, mark)
            start = text.index(mark)
            mark_box = union(content[start:start + len(mark)])
            centre = ((mark_box[0] + mark_box[2]) / 2, (mark_box[1] + mark_box[3]) / 2)
            assert (centre[0] > w / 2, centre[1] > h / 2) == _corner(tag, mark), (tag, mark, centre)
    assert sorted(found) == sorted(SOURCES)
    _check_with_pypdf(path, band, found)
    return found


def _check_with_pypdf(path: Path, band: float, found: dict[str, int]) -> None:
    """The second reader: stamp runs lie in the bands, content origins inside the margin."""
    pages = pypdf_runs(path)
    for tag, i in found.items():
        w, h, runs = pages[i]
        stamps = [r for r in runs if r.haven]
        content = [r for r in runs if not r.haven]
        assert len(stamps) == 2, (tag, stamps)
        for r in stamps:
            bottom, top = r.y - 0.3 * r.size, r.y + r.size  # generous: any glyph of the font
            assert top <= band or bottom >= h - band, (tag, r)
            assert 0 <= r.x <= w - band + TOL
        for r in content:
            assert band - TOL <= r.x <= w - band + TOL and band - TOL <= r.y <= h - band + TOL, (tag, r)
        joined = "".join(r.text for r in content)
        assert all(mark in joined for mark in corner_marks(tag)), (tag, joined)


@pytest.mark.parametrize("paper", ["letter", "a4", "legal"])
def test_stamps_never_cover_content_that_reaches_the_edges(edge_vault: Path, tmp_path: Path, paper: str) -> None:
    from clinic_app.domain.bundle import DEFAULT_MARGIN_MM

    out = _build(edge_vault, tmp_path / f"{paper}.pdf", paper=paper)
    check_clear_space(out, DEFAULT_MARGIN_MM * MM)
    if paper == "letter":  # deterministic: the same inputs give the same bytes
        again = _build(edge_vault, tmp_path / "again.pdf", paper=paper)
        assert again.read_bytes() == out.read_bytes()


def test_a_wider_margin_shrinks_the_pages_further_and_keeps_roman_front_matter_clear(
        edge_vault: Path, tmp_path: Path) -> None:
    narrow = pdfium_pages(_build(edge_vault, tmp_path / "narrow.pdf", margin_mm=6.0))
    out = _build(edge_vault, tmp_path / "wide.pdf", margin_mm=30.0, front_matter_numbering="roman")
    found = check_clear_space(out, 30 * MM)
    wide = pdfium_pages(out)
    for tag, i in found.items():
        a, b = union([x for _c, x in narrow[i].content]), union([x for _c, x in wide[i].content])
        assert b[2] - b[0] < a[2] - a[0] and a[0] < b[0], (tag, a, b)  # smaller, and further in
    assert _low_text(wide[1])[0] == "ii"  # the index page's roman number, checked clear above
