"""Layers a source hides stay hidden in the bundle; layers it shows stay shown.

A bundle carries no /OCProperties, so before this every layer of a copied page was drawn by
every viewer, including the ones its author had turned off. Each case here builds a real
bundle and reads it back with two independent readers (pypdf, and poppler's pdftotext). The
drawing check renders pages with poppler's pdftoppm: the bundle page of a layered source must
be pixel-identical to the bundle page of the same source written as a viewer draws it.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pypdf
import pytest
from pikepdf import Array, Dictionary, Name

from clinic_app.domain.bundle import BundleSpec, DocumentPart, Section, Tab
from clinic_app.pdf import optional_content
from clinic_app.pdf.engine import build_bundle

POPPLER = shutil.which("pdftotext") and shutil.which("pdftoppm")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdftoppm) is not installed")
FONT = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
DOC_PAGE = 4  # cover, index, tab page, then the document's first page (1-based)


def _text(y: int, word: str) -> bytes:
    return f"BT /F1 28 Tf 72 {y} Td ({word}) Tj ET\n".encode()


def _layered(content: bytes, *, groups: dict[str, bool], base_off: bool = False, extra=None) -> bytes:  # type: ignore[no-untyped-def]
    """A one-page PDF whose /Properties name each group; `groups`: name -> shown by default."""
    pdf = pikepdf.new()
    ocgs = {name: pdf.make_indirect(Dictionary(Type=Name.OCG, Name=pikepdf.String(name))) for name in groups}
    props = Dictionary({f"/{n}": g for n, g in ocgs.items()})
    resources = Dictionary(Font=Dictionary(F1=FONT), Properties=props)
    page = Dictionary(Type=Name.Page, MediaBox=Array([0, 0, 612, 792]), Resources=resources,
                      Contents=pdf.make_stream(content))
    pdf.pages.append(pikepdf.Page(page))
    if extra is not None:
        extra(pdf, pdf.pages[0].obj, ocgs)
    config = Dictionary(ON=Array([g for n, g in ocgs.items() if groups[n]]),
                        OFF=Array([g for n, g in ocgs.items() if not groups[n]]))
    if base_off:
        config.BaseState = Name.OFF
        config.OFF = Array()
    pdf.Root.OCProperties = Dictionary(OCGs=Array(list(ocgs.values())), D=config)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _plain(content: bytes, extra=None) -> bytes:  # type: ignore[no-untyped-def]
    pdf = pikepdf.new()
    page = Dictionary(Type=Name.Page, MediaBox=Array([0, 0, 612, 792]),
                      Resources=Dictionary(Font=Dictionary(F1=FONT)), Contents=pdf.make_stream(content))
    pdf.pages.append(pikepdf.Page(page))
    if extra is not None:
        extra(pdf, pdf.pages[0].obj, {})
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _bundle(tmp_path: Path, source: bytes, name: str = "bundle.pdf") -> Path:
    out = tmp_path / name
    spec = BundleSpec("Layers", sections=[Section("Evidence", [Tab("Layered", parts=[DocumentPart("d")])])])
    build_bundle(spec, lambda _d: source, out)
    return out


def _texts(path: Path) -> tuple[str, str]:
    """The document page's text by pypdf and by pdftotext."""
    first = pypdf.PdfReader(path).pages[DOC_PAGE - 1].extract_text()
    second = subprocess.run(["pdftotext", "-f", str(DOC_PAGE), "-l", str(DOC_PAGE), str(path), "-"],
                            capture_output=True, text=True, check=True).stdout
    return first, second


def _pixels(path: Path, tmp_path: Path, stem: str) -> bytes:
    subprocess.run(["pdftoppm", "-r", "50", "-gray", "-f", str(DOC_PAGE), "-l", str(DOC_PAGE), str(path),
                    str(tmp_path / stem)], check=True, capture_output=True)
    (image,) = tmp_path.glob(f"{stem}*.pgm")
    return image.read_bytes()


@needs_poppler
def test_a_hidden_layer_is_left_out_and_a_shown_one_kept(tmp_path: Path) -> None:
    content = (_text(700, "ALWAYSHERE") + b"/OC /Draft BDC\n" + _text(600, "DRAFTNOTE") + b"EMC\n"
               + b"/OC /Final BDC\n" + _text(500, "FINALTEXT") + b"EMC\n")
    out = _bundle(tmp_path, _layered(content, groups={"Draft": False, "Final": True}))
    for text in _texts(out):
        assert "ALWAYSHERE" in text and "FINALTEXT" in text
        assert "DRAFTNOTE" not in text
    with pikepdf.open(out) as bundle:
        assert not any(b"DRAFTNOTE" in s.read_bytes() for s in bundle.pages[DOC_PAGE - 1].obj.Contents)


@needs_poppler
def test_hidden_content_keeps_its_effect_on_the_graphics_state(tmp_path: Path) -> None:
    """A viewer that hides a section still applies its state changes (here a move, a colour and
    a clip left unbalanced): the bundle page must draw exactly what that viewer draws."""
    hidden_part = (b"1 0 0 1 40 -60 cm 0.5 g 0 0 400 700 re W n "
                   b"0 0 1 rg 100 100 200 200 re f BT /F1 40 Tf 72 300 Td (SECRET) Tj ET ")
    after = b"BT /F1 28 Tf 72 650 Td (AFTERWARDS) Tj ET 50 50 100 100 re f\n"
    layered = _layered(b"/OC /Notes BDC " + hidden_part + b"EMC\n" + after, groups={"Notes": False})
    as_drawn = _plain(b"1 0 0 1 40 -60 cm 0.5 g 0 0 400 700 re W n 0 0 1 rg 100 100 200 200 re n "
                      b"BT /F1 40 Tf 72 300 Td ET " + after)
    got, want = _bundle(tmp_path, layered, "layered.pdf"), _bundle(tmp_path, as_drawn, "drawn.pdf")
    assert _pixels(got, tmp_path, "got") == _pixels(want, tmp_path, "want")
    for text in _texts(got):
        assert "AFTERWARDS" in text and "SECRET" not in text


@needs_poppler
def test_base_state_off_and_membership_dictionaries(tmp_path: Path) -> None:
    def memberships(pdf, page, ocgs):  # type: ignore[no-untyped-def]
        props = page.Resources.Properties
        props.AllOn = pdf.make_indirect(Dictionary(Type=Name.OCMD, OCGs=Array([ocgs["A"], ocgs["B"]]), P=Name.AllOn))
        props.AnyOn = pdf.make_indirect(Dictionary(Type=Name.OCMD, OCGs=Array([ocgs["A"], ocgs["B"]])))
        props.NotB = pdf.make_indirect(Dictionary(Type=Name.OCMD, VE=Array([Name.Not, ocgs["B"]])))
        props.AOrB = pdf.make_indirect(Dictionary(Type=Name.OCMD,
                                                  VE=Array([Name.And, ocgs["A"], Array([Name.Not, ocgs["B"]])])))

    content = b"".join(f"/OC /{tag} BDC ".encode() + _text(700 - 60 * i, word) + b"EMC\n"
                       for i, (tag, word) in enumerate([("A", "GROUPA"), ("B", "GROUPB"), ("AllOn", "BOTHON"),
                                                        ("AnyOn", "EITHERON"), ("NotB", "NOTB"),
                                                        ("AOrB", "AANDNOTB")]))
    # BaseState OFF with only A listed as ON: B is hidden
    out = _bundle(tmp_path, _layered(content, groups={"A": True, "B": False}, base_off=True,
                                     extra=memberships))
    for text in _texts(out):
        for shown in ("GROUPA", "EITHERON", "NOTB", "AANDNOTB"):
            assert shown in text, (shown, text)
        for hidden in ("GROUPB", "BOTHON"):
            assert hidden not in text, (hidden, text)


@needs_poppler
def test_hidden_images_forms_and_annotations_are_not_drawn(tmp_path: Path) -> None:
    def objects(pdf, page, ocgs):  # type: ignore[no-untyped-def]
        hidden_form = pdf.make_stream(_text(600, "HIDDENFORM"), Type=Name.XObject, Subtype=Name.Form,
                                      BBox=Array([0, 0, 612, 792]), OC=ocgs["Off"],
                                      Resources=Dictionary(Font=Dictionary(F1=FONT)))
        inner = pdf.make_stream(b"/OC /Off BDC " + _text(500, "INSIDEFORM") + b"EMC " + _text(450, "FORMSHOWN"),
                                Type=Name.XObject, Subtype=Name.Form, BBox=Array([0, 0, 612, 792]),
                                Resources=Dictionary(Font=Dictionary(F1=FONT), Properties=Dictionary(Off=ocgs["Off"])))
        page.Resources.XObject = Dictionary(Hid=hidden_form, Shown=inner)
        appearance = pdf.make_stream(b"BT /F1 20 Tf 5 5 Td (HIDDENNOTE) Tj ET", Type=Name.XObject,
                                     Subtype=Name.Form, BBox=Array([0, 0, 300, 40]),
                                     Resources=Dictionary(Font=Dictionary(F1=FONT)))
        page.Annots = Array([pdf.make_indirect(Dictionary(
            Type=Name.Annot, Subtype=Name.FreeText, Rect=Array([72, 300, 372, 340]), OC=ocgs["Off"],
            Contents=pikepdf.String("HIDDENNOTE"), DA=pikepdf.String("/F1 20 Tf"), AP=Dictionary(N=appearance)))])

    content = _text(700, "PAGETEXT") + b"q /Hid Do Q q /Shown Do Q\n"
    out = _bundle(tmp_path, _layered(content, groups={"Off": False}, extra=objects))
    for text in _texts(out):
        assert "PAGETEXT" in text and "FORMSHOWN" in text
        for hidden in ("HIDDENFORM", "INSIDEFORM", "HIDDENNOTE"):
            assert hidden not in text, (hidden, text)


def test_a_source_that_hides_nothing_is_not_touched(tmp_path: Path) -> None:
    content = _text(700, "ALWAYSHERE") + b"/OC /Shown BDC\n" + _text(600, "SHOWN") + b"EMC\n"
    layered = _layered(content, groups={"Shown": True})
    with pikepdf.open(io.BytesIO(layered)) as pdf:
        assert optional_content.hider(pdf) is None
    out = _bundle(tmp_path, layered)
    with pikepdf.open(out) as bundle:
        streams = bundle.pages[DOC_PAGE - 1].obj.Contents
        assert any(s.read_bytes() == content for s in streams)  # the source's own stream, as it was
    assert "SHOWN" in pypdf.PdfReader(out).pages[DOC_PAGE - 1].extract_text()


def test_a_looping_visibility_expression_ends_and_counts_as_hidden(tmp_path: Path) -> None:
    """A hostile /VE that contains itself (twice, so each level doubles) must not hang the build."""
    def looping(pdf, page, ocgs):  # type: ignore[no-untyped-def]
        expression = pdf.make_indirect(Array([Name.Or, ocgs["A"]]))
        expression.append(expression)
        expression.append(expression)
        page.Resources.Properties.Loop = pdf.make_indirect(Dictionary(Type=Name.OCMD, VE=expression))

    content = _text(700, "PLAIN") + b"/OC /Loop BDC " + _text(600, "LOOPED") + b"EMC\n"
    out = _bundle(tmp_path, _layered(content, groups={"A": True, "B": False}, extra=looping))
    text = pypdf.PdfReader(out).pages[DOC_PAGE - 1].extract_text()
    assert "PLAIN" in text and "LOOPED" not in text
