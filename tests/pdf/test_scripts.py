"""Clients' names and documents' titles in their own scripts, on every generated page.

A bundle whose client and titles are Arabic, Persian, Hebrew, Russian, Chinese and Hindi:
pdfium renders its cover and index; the glyphs the file really draws (read from the
content stream and the embedded fonts) are the ones HarfBuzz gives for the same string in
the same font, in the same order; pdftotext, pypdf and pdfium give the typed text back.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from clinic_app.domain.bundle import BundleSpec, DocumentPart, Section, Tab
from clinic_app.typeset import fonts, shaping, textdraw

from .conftest import Doc, check_bundle, make_pdf
from .glyph_readback import drawn_glyphs, shaped_outlines

FONTS = Path(__file__).resolve().parents[2] / "resources" / "fonts"
CLIENT = "محمد رضا پرویزی"  # Persian (with پ and ی)
TITLES = {
    "arabic": "ملف الأدلة",  # lam-alef ligature, joined forms
    "persian": "گواهی ولادت",
    "hebrew": "תעודת זהות",
    "russian": "Справка о несудимости",
    "chinese": "出生证明",
    "hindi": "पहचान पत्र",
}
# Names a clinic may print, one per supported script (Urdu, Bengali and Tamil included).
NAMES = [
    "José Ñúñez Çelik", "Юлия Жукова", "Ελένη Παπαδοπούλου", "محمد الأحمد", "زهرا حسینی",
    "عائشہ خان", "אביגיל כהן", "सुनीता शर्मा", "রহিম উদ্দিন", "முருகன் செல்வம்", "王小明",
    "Nguyễn Thị Hằng", "Ayşe Yılmaz", "Dawit Tesfaye ዳዊት",
]
# Scripts that came out as empty boxes (no font shipped for them): one name each.
MORE_NAMES = {
    "NotoSansGurmukhi-Regular": "ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ", "NotoSansGujarati-Regular": "હેમંત પટેલ",
    "NotoSansSinhala-Regular": "කමල් පෙරේරා", "NotoSansMyanmar-Regular": "အောင်ဆန်းစုကြည်",
    "NotoSerifTibetan-Regular": "བསྟན་འཛིན་རྒྱ་མཚོ", "NotoSansThai-Regular": "สมชาย ใจดี",
    "NotoSansKhmer-Regular": "សុខ ដារ៉ា", "NotoSansLao-Regular": "ສົມພອນ", "NotoSansMalayalam-Regular": "അനിൽ കുമാർ",
    "NotoSansTelugu-Regular": "రాజేష్ రెడ్డి", "NotoSansKannada-Regular": "ರವಿ ಕುಮಾರ್",
    "NotoSansOriya-Regular": "ସୁରେଶ ମହାପାତ୍ର", "NotoSansSyriac-Regular": "ܐܦܪܝܡ",
}


def _spec() -> BundleSpec:
    tabs = [Tab(title, None, [DocumentPart(key)]) for key, title in TITLES.items()]
    return BundleSpec(title=TITLES["arabic"], file_number="TB1-00001", parties=[CLIENT],
                      sections=[Section("", tabs)])


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from clinic_app.pdf.engine import build_bundle

    docs = {key: make_pdf(Doc(key)) for key in TITLES}
    out = tmp_path_factory.mktemp("scripts") / "bundle.pdf"
    result = build_bundle(_spec(), lambda doc_id: docs[doc_id], out)
    return result.files[0]


def _runs(glyphs, face: str) -> list[tuple[object, ...]]:
    """Outlines drawn in `face`, blank glyphs (spaces) left out."""
    return [g.shape for g in glyphs if g.face == face and g.shape]


def _expected(font_file: str, text: str, direction: str) -> list[tuple[object, ...]]:
    return [s for s in shaped_outlines(FONTS / font_file, text, direction) if s]


def test_cover_and_index_draw_harfbuzz_glyphs_in_order(bundle: Path) -> None:
    import pikepdf
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(bundle)
    for i in (0, 1):  # cover, index: pdfium renders them, with ink
        image = doc[i].render(scale=1).to_pil().convert("L")
        assert image.getextrema()[0] < 100
    with pikepdf.open(bundle) as pdf:
        cover, index = drawn_glyphs(pdf, 0), drawn_glyphs(pdf, 1)
    # the cover: the Arabic title in bold, the Persian client in regular
    assert _runs(cover, "NotoSansArabic-Bold") == _expected("NotoSansArabic-Bold.ttf", TITLES["arabic"], "rtl")
    assert _runs(cover, "NotoSansArabic-Regular") == _expected("NotoSansArabic-Regular.ttf", CLIENT, "rtl")
    # the index: each title's run in its own font, in the order of the rows
    arabic = _expected("NotoSansArabic-Regular.ttf", TITLES["arabic"], "rtl")
    persian = _expected("NotoSansArabic-Regular.ttf", TITLES["persian"], "rtl")
    assert _runs(index, "NotoSansArabic-Regular") == arabic + persian
    assert _runs(index, "NotoSansHebrew-Regular") == _expected("NotoSansHebrew-Regular.ttf", TITLES["hebrew"], "rtl")
    assert _runs(index, "NotoSansDevanagari-Regular") == _expected(
        "NotoSansDevanagari-Regular.ttf", TITLES["hindi"], "ltr")
    assert all(g.gid != 0 for g in cover + index)  # no .notdef box anywhere
    # joined, not isolated: the shaped Arabic differs from drawing each letter alone
    alone = [s for ch in TITLES["arabic"][::-1] for s in _expected("NotoSansArabic-Regular.ttf", ch, "rtl")]
    assert arabic != alone


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")
def test_pdftotext_reads_the_logical_text(bundle: Path) -> None:
    cover = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(bundle), "-"], capture_output=True,
                           text=True, check=True).stdout
    index = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(bundle), "-"], capture_output=True,
                           text=True, check=True).stdout
    for text in (CLIENT, TITLES["arabic"]):
        assert text in _flat(cover), text
    for text in TITLES.values():
        assert text in _flat(index), text


def test_pypdf_and_pdfium_read_the_logical_text(bundle: Path) -> None:
    import pypdfium2 as pdfium

    reader = pypdf.PdfReader(bundle)
    doc = pdfium.PdfDocument(bundle)

    def by_pdfium(page: int) -> str:
        textpage = doc[page].get_textpage()
        return _flat(textpage.get_text_range(0, textpage.count_chars()))

    for page, wanted in ((0, (CLIENT, TITLES["arabic"])), (1, tuple(TITLES.values()))):
        for text in wanted:
            assert text in _flat(reader.pages[page].extract_text()), ("pypdf", page, text)
    for text in (CLIENT, TITLES["arabic"]):
        assert text in by_pdfium(0), text
    # pdfium keeps a right-to-left cell's words whole but, sharing a line with the index's
    # left-to-right columns, lists them left to right: every word reads back as typed
    index = by_pdfium(1).split()
    for text in TITLES.values():
        assert all(word in index for word in text.split()), text


def test_tab_pages_and_stamps_share_the_shaping(build) -> None:  # type: ignore[no-untyped-def]
    """Tab pages are drawn by their own content streams with the cover's fonts: same glyphs."""
    spec = _spec()
    spec.sections[0].tabs = spec.sections[0].tabs[:1]  # the Arabic tab
    result, rb = build(spec, {"arabic": make_pdf(Doc("arabic"))})
    separator = result.tabs[0].separator_physical - 1
    glyphs = drawn_glyphs(rb.pike, separator)
    assert _runs(glyphs, "NotoSansArabic-Bold") == _expected("NotoSansArabic-Bold.ttf", TITLES["arabic"], "rtl")
    assert TITLES["arabic"] in _flat(rb.text(separator))
    check_bundle(rb)


def test_every_supported_script_has_its_glyphs() -> None:
    """A page of names in each script, regular and bold: no glyph is .notdef."""
    buf = io.BytesIO()
    canvas = Canvas(buf, invariant=1)
    y = 800.0
    for base in (fonts.SANS, fonts.SANS_BOLD):
        for name in [*NAMES, *MORE_NAMES.values()]:
            textdraw.draw(canvas, 40, y, name, base, 11)
            y -= 16
    canvas.showPage()
    canvas.save()
    import pikepdf

    with pikepdf.open(io.BytesIO(buf.getvalue())) as pdf:
        glyphs = drawn_glyphs(pdf, 0)
    missing = [g for g in glyphs if g.gid == 0]
    assert glyphs and missing == []
    faces = {g.face for g in glyphs}
    assert {"NotoSansArabic-Regular", "NotoSansHebrew-Bold", "NotoSansBengali-Regular", "NotoSansTamil-Regular", "NotoSansEthiopic-Regular",
            "DroidSansFallback", "DejaVuSans", *MORE_NAMES} <= faces
    for face, name in MORE_NAMES.items():  # each drawn as HarfBuzz shapes it in its own font
        way = "rtl" if face == "NotoSansSyriac-Regular" else "ltr"
        words = [_expected(f"{face}.ttf", word, way) for word in name.split(" ")]
        assert _runs(glyphs, face) == 2 * [shape for word in words for shape in word], face
    text = _flat(pypdf.PdfReader(io.BytesIO(buf.getvalue())).pages[0].extract_text())
    for name in NAMES[:8]:
        assert name in text, name


def test_right_to_left_runs_follow_the_bidi_algorithm() -> None:
    """Runs come out in python-bidi's visual order; brackets in right-to-left text mirror."""
    from bidi import get_display

    hebrew = "\u05e9\u05dc\u05d5\u05dd"
    for text in (f"Avi {hebrew} 12", f"{hebrew} Avi 12", TITLES["arabic"] + " 2024 A-1", "Tab 3 " + CLIENT):
        line = shaping.layout(text, fonts.SANS)
        visual = "".join(run.text[::-1] if run.rtl else run.text for run in line.runs)
        assert visual == get_display(text), text
    first = shaping.layout(f"{hebrew} (x)", fonts.SANS).runs[0]  # ")" ends the line, at its left
    face = pdfmetrics.getFont(first.font).face
    assert first.text == ")" and first.rtl
    assert face.charToGlyph[ord(first.keys)] == face.charToGlyph[ord("(")]  # drawn mirrored
    assert shaping.layout("Plain ASCII, drawn fast", fonts.SANS).shaped is False


def test_a_script_no_font_has_falls_back_visibly() -> None:
    """Characters no bundled font has (emoji) draw as a box and keep their text."""
    line = shaping.layout("Ana \U0001f600", fonts.SANS)
    assert "".join(run.text for run in line.runs) == "Ana \U0001f600"


_FONTS_LOADED = """
import io, sys
from pathlib import Path
from reportlab.pdfgen.canvas import Canvas
from clinic_app.domain.bundle import BundleSpec, DocumentPart, Section, Tab
from clinic_app.typeset import fonts
from clinic_app.pdf.engine import build_bundle
buf = io.BytesIO()
page = Canvas(buf)
page.drawString(72, 720, "evidence")
page.showPage()
page.save()
title, client = sys.argv[1], sys.argv[2]
spec = BundleSpec(title=title, file_number="TB1-00001", parties=[client],
                  sections=[Section("", [Tab("Exhibit", None, [DocumentPart("d")])])])
build_bundle(spec, lambda _doc: buf.getvalue(), Path(sys.argv[3]))
print(" ".join(sorted(fonts._coverage)))
"""


@pytest.mark.parametrize("title, client, loaded", [
    ("Applicant's Record", "José Ñúñez", {fonts.SANS, fonts.SANS_BOLD}),
    ("Applicant's Record", CLIENT, {fonts.SANS, fonts.SANS_BOLD, fonts.ARABIC, fonts.ARABIC_BOLD}),
    (TITLES["chinese"], "José Ñúñez", {fonts.SANS, fonts.SANS_BOLD, fonts.CJK}),
])
def test_a_build_registers_only_the_fonts_its_text_needs(tmp_path: Path, title: str, client: str,
                                                         loaded: set[str]) -> None:
    """Script and CJK fonts are registered when text first needs them: parsed by reportlab
    they hold about 30 MB, which a Latin-only bundle of 5,000 pages need not carry."""
    import sys

    out = tmp_path / "b.pdf"
    done = subprocess.run([sys.executable, "-c", _FONTS_LOADED, title, client, str(out)],
                          capture_output=True, text=True, timeout=120, check=True)
    assert set(done.stdout.split()) == loaded
    text = "".join(p.extract_text() for p in pypdf.PdfReader(out).pages[:1])
    assert title.split()[0] in text
