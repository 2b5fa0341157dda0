"""Filled forms keep their values in the bundle, whoever filled them.

LibreOffice, web browsers and many other fillers set /NeedAppearances: the appearances of
the fields may be stale, a viewer should draw them again from the values. qpdf then flattens
none of the form's fields, only warns, and Haven dropped the fields with the rest of the
annotations: a client's filled-in form reached the tribunal blank. Each case builds a real
bundle and reads the page back with pypdf and with poppler's pdftotext.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pypdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from clinic_app.domain.bundle import BundleSpec, DocumentPart, Section, Tab
from clinic_app.pdf.engine import build_bundle

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) is not installed")
DOC_PAGE = 4  # cover, index, tab page, then the document's page (1-based)


def _form(*, need_appearances: bool, with_appearance: bool, value: str) -> bytes:
    """One page with a label and one filled text field (its appearance drawn, or not)."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
    page = pikepdf.Page(Dictionary(Type=Name.Page, MediaBox=Array([0, 0, 612, 792]),
                                   Contents=pdf.make_stream(b"BT /F1 14 Tf 72 700 Td (Family name:) Tj ET"),
                                   Resources=Dictionary(Font=Dictionary(F1=font))))
    pdf.pages.append(page)
    field = Dictionary(Type=Name.Annot, Subtype=Name.Widget, FT=Name.Tx, T=String("family"), V=String(value),
                       DA=String("/Helv 12 Tf 0 g"), Rect=Array([180, 690, 420, 712]), F=4, P=pdf.pages[0].obj)
    if with_appearance:
        field.AP = Dictionary(N=pdf.make_stream(
            f"/Tx BMC BT /Helv 12 Tf 2 6 Td ({value}) Tj ET EMC".encode(), Type=Name.XObject, Subtype=Name.Form,
            BBox=Array([0, 0, 240, 22]), Resources=Dictionary(Font=Dictionary(Helv=font))))
    field = pdf.make_indirect(field)
    pdf.pages[0].obj.Annots = Array([field])
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]), DR=Dictionary(Font=Dictionary(Helv=font)),
                                   DA=String("/Helv 12 Tf 0 g"))
    if need_appearances:
        pdf.Root.AcroForm.NeedAppearances = True
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@needs_poppler
@pytest.mark.parametrize(("need_appearances", "with_appearance"), [(True, True), (True, False), (False, True)],
                         ids=["needs-appearances", "needs-appearances-none-drawn", "drawn"])
def test_a_filled_field_is_on_the_bundle_page(tmp_path: Path, need_appearances: bool, with_appearance: bool) -> None:
    value = "HADDAD-FORMVALUE"
    source = _form(need_appearances=need_appearances, with_appearance=with_appearance, value=value)
    spec = BundleSpec("Forms", sections=[Section("", [Tab("Application form", parts=[DocumentPart("d")])])])
    out = tmp_path / "bundle.pdf"
    build_bundle(spec, lambda _doc: source, out)
    page = pypdf.PdfReader(out).pages[DOC_PAGE - 1]
    assert value in page.extract_text()
    poppler = subprocess.run(["pdftotext", "-f", str(DOC_PAGE), "-l", str(DOC_PAGE), str(out), "-"],
                             capture_output=True, text=True, check=True).stdout
    assert value in poppler and "Family name:" in poppler
    with pikepdf.open(out) as bundle:  # drawn into the page: no live field is left to edit or hide it
        annots = bundle.pages[DOC_PAGE - 1].obj.get("/Annots") or []
        assert not [a for a in annots if a.get("/Subtype") == Name.Widget]
        assert "/AcroForm" not in bundle.Root


def _annotated(*, drawn: bool) -> bytes:
    """One page with a yellow highlight and a free-text note, with appearances drawn or bare."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
    pdf.pages.append(pikepdf.Page(Dictionary(
        Type=Name.Page, MediaBox=Array([0, 0, 612, 792]), Resources=Dictionary(Font=Dictionary(F1=font)),
        Contents=pdf.make_stream(b"BT /F1 14 Tf 72 700 Td (The officer said no.) Tj ET"))))
    highlight = Dictionary(Type=Name.Annot, Subtype=Name.Highlight, Rect=Array([70, 695, 230, 715]), F=4,
                           C=Array([1, 1, 0]), QuadPoints=Array([70, 715, 230, 715, 70, 695, 230, 695]))
    note = Dictionary(Type=Name.Annot, Subtype=Name.FreeText, Rect=Array([72, 600, 300, 630]), F=4,
                      Contents=String("QXZNOTE asked twice"), DA=String("/Helv 12 Tf 1 0 0 rg"))
    hidden = Dictionary(Type=Name.Annot, Subtype=Name.Square, Rect=Array([72, 500, 100, 530]), F=2)
    if drawn:
        for annot, ops in ((highlight, b"1 1 0 rg 0 0 160 20 re f"), (note, b"BT /Helv 12 Tf 2 10 Td (QXZNOTE) Tj ET")):
            annot.AP = Dictionary(N=pdf.make_stream(ops, Type=Name.XObject, Subtype=Name.Form,
                                                    BBox=Array([0, 0, 228, 30]),
                                                    Resources=Dictionary(Font=Dictionary(Helv=font))))
    pdf.pages[0].obj.Annots = Array([pdf.make_indirect(a) for a in (highlight, note, hidden)])
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.mark.parametrize("drawn", [False, True], ids=["bare", "drawn"])
def test_annotations_with_nothing_to_draw_are_named_in_the_build_warnings(tmp_path: Path, drawn: bool) -> None:
    """A highlight or note written without an appearance (some tools leave it to the viewer) had
    nothing to flatten and vanished from the bundle without a word."""
    source = _annotated(drawn=drawn)
    spec = BundleSpec("Notes", sections=[Section("", [Tab("Refusal letter", parts=[DocumentPart("d")])])])
    result = build_bundle(spec, lambda _doc: source, tmp_path / "bundle.pdf")
    text = pypdf.PdfReader(tmp_path / "bundle.pdf").pages[DOC_PAGE - 1].extract_text()
    assert "The officer said no." in text
    if drawn:
        assert result.warnings == () and "QXZNOTE" in text
    else:
        (warning,) = result.warnings
        assert warning.startswith("Tab 1, part 1, page 1: 2 notes or highlights have no drawn appearance")
        assert "QXZNOTE" not in text
