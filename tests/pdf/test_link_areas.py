"""A source's web link keeps to the part of the page it was seen on.

Links are moved and shrunk with the content. One drawn larger than its page used to grow
over the whole bundle page, margin and page number included, so a click on the number
opened the sender's address; one wholly off its page was kept, clickable on nothing seen.
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pypdf
from pikepdf import Array, Dictionary, Name

from clinic_app.domain.bundle import BundleSettings, BundleSpec, DocumentPart, Section, Tab
from clinic_app.pdf.engine import build_bundle

DOC_PAGE = -1  # the document's page comes last


def _link(rect: list[float], url: str) -> Dictionary:
    return Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array(rect),
                      A=Dictionary(S=Name.URI, URI=pikepdf.String(url)))


def test_links_are_cut_to_the_page_they_were_seen_on(tmp_path: Path) -> None:
    pdf = pikepdf.new()
    font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    page = Dictionary(Type=Name.Page, MediaBox=Array([0, 0, 612, 792]), CropBox=Array([50, 50, 562, 742]),
                      Contents=pdf.make_stream(b"BT /F1 20 Tf 72 700 Td (Report) Tj ET"),
                      Resources=Dictionary(Font=Dictionary(F1=font)))
    page.Annots = Array([pdf.make_indirect(_link([-5000, -5000, 5000, 5000], "https://everywhere.example")),
                         pdf.make_indirect(_link([70, 690, 200, 720], "https://inside.example")),
                         pdf.make_indirect(_link([600, 10, 640, 40], "https://cropped-away.example"))])
    pdf.pages.append(pikepdf.Page(page))
    source = io.BytesIO()
    pdf.save(source)
    out = tmp_path / "bundle.pdf"
    spec = BundleSpec("Links", sections=[Section("A", [Tab("t", parts=[DocumentPart("d")])])],
                      settings=BundleSettings(separator_pages=False))
    build_bundle(spec, lambda _d: source.getvalue(), out)

    bundle_page = pypdf.PdfReader(out).pages[DOC_PAGE]
    width, height = float(bundle_page.mediabox.width), float(bundle_page.mediabox.height)
    links = {str(a.get_object()["/A"]["/URI"]): [float(v) for v in a.get_object()["/Rect"]]
             for a in bundle_page.get("/Annots", [])}
    assert set(links) == {"https://everywhere.example", "https://inside.example"}
    left, bottom, right, top = links["https://everywhere.example"]
    margin = 20.0  # the stamps' band is wider than this at every edge (12 mm by default)
    assert left > margin and bottom > margin and right < width - margin and top < height - margin
    inside = links["https://inside.example"]
    assert left <= inside[0] < inside[2] <= right and bottom <= inside[1] < inside[3] <= top
    # the whole-page link is exactly what was seen of the old page: the crop box, moved and shrunk
    scale = (right - left) / 512
    assert abs((top - bottom) / 692 - scale) < 1e-3
