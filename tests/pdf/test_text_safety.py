"""Fonts, literal user text and line wrapping, at the unit level (order and shaping of
right-to-left and complex scripts: test_shaping.py)."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from reportlab import rl_config
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import SimpleDocTemplate

from clinic_app.pdf import textblock
from clinic_app.typeset import fonts, markup, textdraw

EVIL = [
    "<font color=\"[[[__import__('os').system('id')]]]\">x</font>",
    '<img src="file:///etc/passwd" width="10" height="10"/>',
    '<a href="https://example.org/">link</a>',
    "&amp; & &lt; < > \" '",
    "<para><b>not bold</b></para>",
]


def test_fonts_load_from_resources_with_licences() -> None:
    folder = fonts.font_dir()
    sizes = sum(p.stat().st_size for p in folder.glob("*.ttf"))
    assert sizes < 10_000_000  # one face per script clients write (regular only for most), not all of Noto
    assert (folder / "README.md").is_file()
    assert {p.name for p in folder.glob("LICENSE*")} >= {
        "LICENSE-DejaVu.txt",
        "LICENSE-DroidSansFallback-Apache-2.0.txt",
        "LICENSE-Noto-OFL-1.1.txt",
    }
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert all(p.name in readme for p in folder.glob("*.ttf"))  # every file has its source
    fonts.ensure_fonts()
    assert fonts.covers(fonts.SANS, "Ж") and fonts.covers(fonts.CJK, "王")
    assert fonts.covers(fonts.ARABIC, "پ") and fonts.covers(fonts.HEBREW, "ש")
    assert not fonts.covers(fonts.SANS, "王")


def test_segment_switches_font_per_script() -> None:
    runs = fonts.segment("José 王小明 Жуков")
    assert runs == [(fonts.SANS, "José "), (fonts.CJK, "王小明 "), (fonts.SANS, "Жуков")]
    assert "".join(r for _f, r in runs) == "José 王小明 Жуков"
    assert fonts.segment("e\u0301\u200d") == [(fonts.SANS, "e\u0301\u200d")]  # marks attach
    assert fonts.segment("") == []


def test_segment_of_plain_ascii_is_one_run_in_every_base_font() -> None:
    """ASCII text takes a shortcut; it must give what the per-character walk gives."""
    import random
    import string

    rng = random.Random(5)
    samples = ["Tab 12", " ", "  a  ", "IMM-5360-23", string.printable[:94]]
    samples += ["".join(rng.choice(string.printable[:95]) for _ in range(rng.randint(1, 40))) for _ in range(200)]
    for base in (fonts.SANS, fonts.SANS_BOLD, fonts.CJK):
        for text in samples:
            assert fonts.segment(text, base) == fonts._walk(text, base), (base, text)
            assert "".join(run for _font, run in fonts.segment(text, base)) == text


def test_width_matches_reportlab() -> None:
    from reportlab.pdfbase import pdfmetrics

    text = "José 王小明 Жуков"
    expected = sum(pdfmetrics.stringWidth(r, f, 11) for f, r in fonts.segment(text))
    assert fonts.string_width(text, fonts.SANS, 11) == pytest.approx(expected)


def test_clean_drops_controls_but_keeps_text() -> None:
    assert markup.clean("a\x00b\x07c\td\r\ne\ud800") == "abc d\ne"
    assert markup.clean("Cafe\u0301") == "Café"  # NFC


def test_reportlab_fetches_nothing() -> None:
    assert rl_config.trustedSchemes == [] and rl_config.trustedHosts == []


def test_paragraphs_render_user_text_literally(tmp_path: Path) -> None:
    fonts.ensure_fonts()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, invariant=1)
    style = ParagraphStyle("p", fontName=fonts.SANS, fontSize=10)
    doc.build([textblock.paragraph(t, style) for t in EVIL])
    reader = pypdf.PdfReader(io.BytesIO(buf.getvalue()))
    text = " ".join(reader.pages[0].extract_text().split())
    for t in EVIL:
        assert " ".join(t.split()) in text, t
    assert not reader.pages[0].images
    assert "/Annots" not in reader.pages[0]  # the <a href> did not become a link


def test_wrap_keeps_every_character() -> None:
    text = "Affidavit of 王小明王小明王小明王小明王小明王小明 regarding events of 2019 and onward"
    lines = textdraw.wrap(text, fonts.SANS, 10, 90)
    assert len(lines) > 2
    assert all(textdraw.width(line, fonts.SANS, 10) <= 90 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
