"""Plain-text files become PDF pages; any encoding; markup stays literal."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from clinic_app.intake import IntakeSandbox
from clinic_app.intake.text import decode_text, wrap_lines

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
    assert "<font color=" in drawn and '<img src="file:///etc/p' in drawn  # drawn, not interpreted
    if Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf").is_file():
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


def test_wrapping_counts_wide_characters_twice() -> None:
    assert list(wrap_lines("abcdef", 4)) == ["abcd", "ef"]
    assert list(wrap_lines("中文中文", 4)) == ["中文", "中文"]
    assert list(wrap_lines("a\n\nb", 10)) == ["a", "", "b"]


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
