"""Plain-text files become PDF pages; any encoding; markup stays literal."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from clinic_app.intake import IntakeSandbox
from clinic_app.intake.text import decode_text

MULTILINGUAL = (
    "Señora jueza: llegué a Canadá el 3 de mayo de 2021.\n"
    "Je m'appelle Zoé; j'ai fui en décembre.\n"
    "Меня зовут Иван. Я боюсь вернуться домой.\n"
)
MARKUP = '<font color="[[[getattr(pow, Word(\'__globals__\'))]]]">x</font> & <img src="file:///etc/passwd"/>'


def _working_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_utf8_multilingual_text_becomes_a_page(tmp_path: Path, sandbox: IntakeSandbox) -> None:
    note = tmp_path / "note.txt"
    note.write_text(MULTILINGUAL + MARKUP + "\n", encoding="utf-8")
    result = sandbox.parse(note)
    assert (result.kind, result.media_type, result.page_count) == ("text", "text/plain", 1)
    assert (
        result.text.startswith("Señora jueza") and "Иван" in result.text and MARKUP in result.text
    )
    assert result.pages_without_text == () and result.warnings == ()
    assert result.date_suggestion == "2021-05-03"
    drawn = _working_text(result.working_pdf)
    assert MARKUP in " ".join(drawn.split())  # drawn, not interpreted (wrapped at a space)
    assert "Иван" in drawn and "Señora" in drawn
    with pikepdf.open(io.BytesIO(result.working_pdf)) as pdf:
        assert "/URI" not in str(pdf.pages[0].obj.get("/Annots", ""))


def test_long_text_runs_over_several_pages(tmp_path: Path, sandbox: IntakeSandbox) -> None:
    note = tmp_path / "chat.txt"
    note.write_text("\n".join(f"Line {n}: message text" for n in range(300)), encoding="utf-8")
    result = sandbox.parse(note)
    assert result.page_count >= 5
    with pikepdf.open(io.BytesIO(result.working_pdf)) as pdf:
        assert len(pdf.pages) == result.page_count
    assert "Line 299" in _working_text(result.working_pdf)


@pytest.mark.parametrize(
    ("encoded", "expected", "encoding"),
    [
        ("\ufeffÉté à Montréal".encode("utf-8"), "Été à Montréal", "utf-8"),
        ("Été à Montréal".encode("utf-16"), "Été à Montréal", "utf-16-le"),
        (
            "Été à Montréal".encode("utf-16-be").join([b"\xfe\xff", b""]),
            "Été à Montréal",
            "utf-16-be",
        ),
        ("Été à Montréal – “quotes”".encode("cp1252"), "Été à Montréal – “quotes”", "cp1252"),
        (b"caf\xe9 \x81", "café \x81", "latin-1"),
    ],
)
def test_decoding(encoded: bytes, expected: str, encoding: str) -> None:
    assert decode_text(encoded) == (expected, encoding)


def test_utf16_file_and_latin1_warning(tmp_path: Path, sandbox: IntakeSandbox) -> None:
    wide = tmp_path / "wide.txt"
    wide.write_bytes("Привет, мир. Это тест.".encode("utf-16"))
    assert sandbox.parse(wide).text == "Привет, мир. Это тест."
    old = tmp_path / "old.txt"
    old.write_bytes("Déclaration de réfugié".encode("cp1252"))
    result = sandbox.parse(old)
    assert result.text == "Déclaration de réfugié"
    assert any("UTF-8" in w for w in result.warnings)


def test_binary_junk_named_txt_is_refused(tmp_path: Path, sandbox: IntakeSandbox) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(Exception) as refused:
        sandbox.parse(junk)
    assert getattr(refused.value, "reason", None) == "damaged" and "notes.txt" in str(refused.value)


@pytest.mark.parametrize("body", [MULTILINGUAL + MARKUP, "Page one\f\fPage three after a blank one\n", "\n" * 400])
def test_a_text_files_answer_is_the_same_without_reading_text_back_from_its_pages(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> None:
    """The text is the file's own, so its drawn pages are not read for text: the answer
    (pages, sizes, text, warnings) and the working copy are those of a full read."""
    import time

    from clinic_app.intake import pdf_parse, pipeline
    from clinic_app.intake.limits import Limits

    data = body.encode("utf-8")
    quick = pipeline.parse_document(data, ".txt", None, Limits(), time.monotonic(), tmp_path)
    full_read = pdf_parse.read_facts
    monkeypatch.setattr(pdf_parse, "read_facts",
                        lambda reader, encrypted, limits, **_kw: full_read(reader, encrypted, limits))
    full = pipeline.parse_document(data, ".txt", None, Limits(), time.monotonic(), tmp_path)
    assert quick[1] == full[1]
    measured = ("elapsed_s", "peak_rss_mb")  # how long and how much memory, not what was found
    assert {k: v for k, v in quick[0].items() if k not in measured} == {
        k: v for k, v in full[0].items() if k not in measured}
    assert quick[0]["pages"] and all(page[-1] for page in quick[0]["pages"])  # every page has text


ARABIC_LINE = "مرحبا بك يا أخي"
LONG_ARABIC = " ".join(["وصلت إلى الحدود في الثالث من مايو ومعي أطفالي الثلاثة"] * 6)
CHINESE_LINE = "你好，我在边境"
LONG_CHINESE = "我们在边境等了三天没有食物也没有水孩子们都生病了" * 8
CHAT = (f"Message from José (café) — Жуков\n{ARABIC_LINE}\n{CHINESE_LINE}\n{LONG_ARABIC}\n"
        f"{LONG_CHINESE}\nשלום עליכם\nEnd.\n")
_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))


def _squash(text: str) -> str:
    return "".join(text.translate(_MARKS).split())


def _pdftotext(pdf: bytes, *args: str) -> str:
    import subprocess

    return subprocess.run(["pdftotext", *args, "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")
def test_arabic_and_chinese_text_files_are_drawn_shaped_in_order_and_read_back(
        tmp_path: Path, sandbox: IntakeSandbox) -> None:
    """Each line is a paragraph in its own direction, shaped, in a font that has its glyphs:
    both readers give back every line as typed, long lines wrapped, nothing lost."""
    chat = tmp_path / "chat.txt"
    chat.write_text(CHAT, encoding="utf-8")
    pdf = sandbox.parse(chat).working_pdf
    poppler = _pdftotext(pdf)
    ours = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for reader, text in (("pdftotext", poppler), ("pypdf", ours)):
        lines = [_squash(line) for line in text.splitlines() if line.strip()]
        for typed in CHAT.splitlines():  # logical order, line by line; long lines over several
            assert _squash(typed) in "".join(lines), (reader, typed)
        assert _squash(ARABIC_LINE) in lines and _squash(CHINESE_LINE) in lines, (reader, lines)
        assert sum(1 for line in lines if line in _squash(LONG_ARABIC)) >= 2, reader  # wrapped
        assert sum(1 for line in lines if line in _squash(LONG_CHINESE)) >= 2, reader
    import re

    boxes = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>',
                       _pdftotext(pdf, "-bbox"))
    row = sorted((float(x0), float(x1), w) for x0, y, x1, w in boxes
                 if abs(float(y) - next(float(b) for _a, b, _c, ww in boxes if ww == "ابحرم")) < 2)
    assert [w[::-1] for _x0, _x1, w in row] == ARABIC_LINE.split()[::-1]  # right to left, as seen
    assert abs(row[0][0] - 54) < 1.5  # at the left margin, like every line: readers keep the line order
    assert _squash(poppler).index(_squash(ARABIC_LINE)) > _squash(poppler).index("Жуков")
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        faces = {str(f.BaseFont).split("+")[-1] for p in doc.pages for f in p.obj.Resources.Font.values()}
        from pdf.glyph_readback import drawn_glyphs, shaped_outlines

        glyphs = drawn_glyphs(doc, 0)
    assert {"NotoSansArabic-Regular", "NotoSansHebrew-Regular", "DroidSansFallback"} <= faces, faces
    assert glyphs and all(g.gid != 0 for g in glyphs)  # no empty box anywhere
    fonts_dir = Path(__file__).resolve().parents[2] / "resources" / "fonts"
    joined = [s for s in shaped_outlines(fonts_dir / "NotoSansArabic-Regular.ttf", ARABIC_LINE, "rtl") if s]
    arabic = [g.shape for g in glyphs if g.face == "NotoSansArabic-Regular" and g.shape]
    assert arabic[: len(joined)] == joined  # HarfBuzz's joined forms, in visual order


def test_a_long_text_file_still_breaks_into_pages_inside_the_margins(sandbox: IntakeSandbox, tmp_path: Path) -> None:
    note = tmp_path / "long.txt"
    note.write_text("\n".join(f"{n} مرحبا {n} 你好 line" for n in range(400)), encoding="utf-8")
    result = sandbox.parse(note)
    reader = PdfReader(io.BytesIO(result.working_pdf))
    assert result.page_count == len(reader.pages) >= 6
    for page in reader.pages:
        ys: list[float] = []
        page.extract_text(visitor_text=lambda t, cm, tm, f, s: ys.append(tm[5]) if t.strip() else None)
        assert ys and min(ys) >= 54 - 3 and max(ys) <= 792 - 54
    assert "399" in reader.pages[-1].extract_text()


@pytest.mark.parametrize("line", ["0123456789abcdef" * 16_000, "中文字符" * 40_000], ids=["hex", "chinese"])
def test_a_very_long_line_is_cut_measuring_about_a_line_at_a_time(line: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A line with no spaces (a base64 attachment in an e-mail export, Chinese) is cut by
    characters. Each cut measured ever-longer prefixes of the whole rest of the line: a
    256,000-character line took 32 s and intake stops a file at 30. Counted, not timed: the
    characters measured must stay within a small multiple of the line's length."""
    from clinic_app.intake.text import FONT_SIZE, MARGIN, PAGE_W
    from clinic_app.typeset import fonts, textdraw

    fonts.ensure_fonts()
    measured = 0
    real_width = textdraw.width

    def counting(text: str, base: str, size: float) -> float:
        nonlocal measured
        measured += len(text)
        return real_width(text, base, size)

    monkeypatch.setattr(textdraw, "width", counting)
    lines = textdraw.wrap(line, fonts.MONO, FONT_SIZE, PAGE_W - 2 * MARGIN)
    assert "".join(lines).replace("\u200e", "") == line and len(lines) > 100
    assert all(real_width(one, fonts.MONO, FONT_SIZE) <= PAGE_W - 2 * MARGIN for one in lines)
    assert measured < 60 * len(line), measured


def test_persian_joiner_controls_are_kept_so_words_keep_their_spelling() -> None:
    """Persian, Dari and Urdu spell words with a zero-width non-joiner ("می‌خواهم"); it was dropped
    with the other format characters, so the letters joined and the bundle page misspelled the word."""
    from clinic_app.intake.text import clean_text, render_text_pdf

    spelled = "من می\u200cخواهم به خانه بروم"
    joined = spelled.replace("\u200c", "")
    assert clean_text(spelled) == spelled
    assert clean_text("a\u202eb\u2066c\u2069\u00ad") == "abc"  # overrides, isolates and soft hyphens still go
    assert render_text_pdf(spelled) != render_text_pdf(joined)
