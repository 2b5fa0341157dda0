"""A bundle built as a draft (a forced package) says so on every page, in the margin band,
never over the content, and its cover lists what is missing.

Each source page is filled edge to edge in blue; rendering the built pages with pdfium,
the red of the mark must appear on every page and never touch the blue. Portrait and
landscape sources, the narrowest margin and the default one.
"""

from __future__ import annotations

import datetime as _dt
import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.pdfgen import canvas

from clinic_app.domain.bundle import MARGIN_RANGE_MM, BundleSettings, BundleSpec, DocumentPart, Section, Tab
from clinic_app.domain.draft_notice import DraftNotice
from clinic_app.pdf.engine import build_bundle

NOTICE = DraftNotice("DRAFT \u2014 not ready to file", "Not ready to file. Missing or wrong:",
                     ("Missing: Notice of motion", "Missing: Supporting affidavit"))


def _blue_pages(size: tuple[float, float], pages: int) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=size, invariant=1)
    for _ in range(pages):
        c.setFillColorRGB(0, 0, 1)
        c.rect(0, 0, size[0], size[1], stroke=0, fill=1)
        c.showPage()
    c.save()
    return buf.getvalue()


def _box(image, colour: str) -> tuple[int, int, int, int] | None:  # type: ignore[no-untyped-def]
    """(left, top, right, bottom) of the pixels clearly of `colour` ("red" or "blue")."""
    from PIL import ImageChops

    r, g, b = image.convert("RGB").split()
    main, others = (r, (g, b)) if colour == "red" else (b, (r, g))
    mask = None
    for other in others:
        part = ImageChops.subtract(main, other).point(lambda v: 255 if v > 60 else 0)
        mask = part if mask is None else ImageChops.multiply(mask, part)
    return mask.getbbox()


@pytest.mark.parametrize("margin", [MARGIN_RANGE_MM[0], BundleSettings().margin_mm])
def test_the_mark_is_on_every_page_and_off_the_content(tmp_path: Path, margin: float) -> None:
    sources = {"portrait": _blue_pages(LETTER, 2), "wide": _blue_pages(landscape(LETTER), 1)}
    spec = BundleSpec(title="Motion record", file_number="IMM-1-26", language="en",
                      settings=BundleSettings(margin_mm=margin),
                      sections=[Section("Affidavits", [Tab("Portrait", _dt.date(2026, 1, 2), [DocumentPart("portrait")]),
                                                       Tab("Landscape", None, [DocumentPart("wide")])])])
    out = tmp_path / "draft.pdf"
    build_bundle(spec, sources.__getitem__, out, draft=NOTICE)
    pdf = pdfium.PdfDocument(out.read_bytes())
    try:
        content_pages = 0
        for i in range(len(pdf)):
            page = pdf[i]
            text = page.get_textpage().get_text_range()
            assert "DRAFT \u2014 not ready to file" in text, (i, text)
            image = page.render(scale=1.5).to_pil()
            red, blue = _box(image, "red"), _box(image, "blue")
            assert red is not None, i
            if blue is not None:  # a source page: the mark sits in the band, clear of the content
                content_pages += 1
                assert red[1] > blue[3] or red[3] < blue[1], (i, red, blue)  # getbbox: right/bottom exclusive
        assert content_pages == 3
        cover = pdf[0].get_textpage().get_text_range()
        assert "Missing: Notice of motion" in cover and "Missing: Supporting affidavit" in cover
    finally:
        pdf.close()


def test_without_a_notice_nothing_says_draft(tmp_path: Path) -> None:
    spec = BundleSpec(title="Record", sections=[Section("A", [Tab("Doc", None, [DocumentPart("a")])])])
    out = tmp_path / "final.pdf"
    build_bundle(spec, {"a": _blue_pages(LETTER, 1)}.__getitem__, out)
    pdf = pdfium.PdfDocument(out.read_bytes())
    try:
        for i in range(len(pdf)):
            assert "not ready" not in pdf[i].get_textpage().get_text_range()
            assert _box(pdf[i].render(scale=1).to_pil(), "red") is None
    finally:
        pdf.close()
