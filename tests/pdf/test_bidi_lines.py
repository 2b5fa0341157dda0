"""Wrapped lines keep their paragraph's direction (UAX #9 resolves it before lines break).

An English index title with an Arabic name that lands at the start of its second line must
still read left to right on that line (the name, then ", the applicant's daughter"), an
Arabic title whose line starts with an English name must still read right to left, and a
French commissioner's sentence with an Arabic deponent is a French sentence on every line.
Positions are read back with two readers: poppler (pdftotext -bbox: where each word is)
and pypdf (the order the runs are drawn in, which is left to right on the page).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pypdf
import pytest

from clinic_app.domain.bundle import BundleSettings, BundleSpec, DocumentPart, Section, Tab
from clinic_app.typeset import fonts, shaping, textdraw
from clinic_app.pdf.engine import build_bundle
from clinic_app.pdf.front_matter import PAD, SIZE, _columns
from clinic_app.pdf.stamp_area import BLOCK_PAD, BLOCK_SIZE, BLOCK_WIDTH

from .conftest import Doc, P, make_pdf

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")

NAME = "فاطمة الزهراء بنت محمد عبد الله"
EN_TITLE = f"Birth certificate issued by the civil registry of Aleppo for {NAME}, the applicant's daughter (certified translation)"
AR_TITLE = ("شهادة ميلاد صادرة عن السجل المدني في مدينة حلب الشهباء للطفلة "
            "Fatima Zahra Mohammed Abdullah ابنة مقدم الطلب مع ترجمة معتمدة")
DEPONENT = "محمد رضا پرویزی بن عبد الله"
ARABIC = re.compile("[\u0600-\u06ff]")
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))


def _bare(line: str) -> str:
    return line.translate(BIDI_CONTROLS)


def _words(path: Path, page: int) -> list[tuple[str, float, float]]:
    """(word, x centre, y centre) of every word pdftotext finds on a 1-based page; a word's
    letters as seen, left to right (an Arabic word comes back reversed)."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
                         capture_output=True, text=True, check=True).stdout
    import html

    return [(_bare(html.unescape(w)), (float(a) + float(c)) / 2, (float(b) + float(d)) / 2) for a, b, c, d, w in
            re.findall(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>', out)]


def _line_of(words: list[tuple[str, float, float]], needle: str) -> list[tuple[str, float]]:
    """The words on the same line as the word `needle`, left to right (seen on the page)."""
    y = next(yy for w, _x, yy in words if w == needle)
    return sorted(((w, x) for w, x, yy in words if abs(yy - y) < 3), key=lambda t: t[1])


def _drawn_runs(path: Path, page: int) -> list[tuple[float, str]]:
    """(baseline y, text) of every run pypdf meets on a 0-based page, in drawing order."""
    runs: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, _size: float) -> None:
        if text.strip():
            runs.append((round(pypdf.mult(tm, cm)[5], 1), text))

    pypdf.PdfReader(path).pages[page].extract_text(visitor_text=visit)
    return runs


def _flat(text: str) -> str:
    return " ".join(_bare(text).split())


def _squash(text: str) -> str:
    """Without spaces: poppler moves the space beside a right-to-left run inside it."""
    return "".join(_bare(text).split())


def _pdftotext(path: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def _index_bundle(tmp_path: Path, title: str) -> Path:
    spec = BundleSpec(title="Record", file_number="TB1-00001",
                      sections=[Section("", [Tab(title, date(2024, 1, 2), [DocumentPart("a")])])])
    out = tmp_path / "bundle.pdf"
    build_bundle(spec, lambda _d: make_pdf(Doc("a")), out)
    return out


def _index_lines(title: str) -> list[str]:
    width = _columns(612.0, False)[1][1] - 2 * PAD
    return [_bare(line) for line in textdraw.wrap(title, fonts.SANS, SIZE, width)]


def test_an_english_title_keeps_left_to_right_on_a_line_that_starts_with_arabic(tmp_path: Path) -> None:
    lines = _index_lines(EN_TITLE)
    assert lines[1].startswith(NAME), lines  # the case at hand: the name opens the second line
    path = _index_bundle(tmp_path, EN_TITLE)
    line = _line_of(_words(path, 2), "applicant's")  # poppler: where the words are
    arabic = [w.strip(",")[::-1] for w, _x in line if ARABIC.search(w)]
    assert arabic == NAME.split()[::-1], line  # the name reads right to left ...
    the = next(x for w, x in line if w == "the")
    assert all(x < the for w, x in line if ARABIC.search(w)), line  # ... and comes first
    assert [w for w, _x in line if not ARABIC.search(w)][-3:] == ["the", "applicant's", "daughter"]
    text = _flat(_pdftotext(path, 2))
    assert f"{NAME}, the applicant's daughter" in text or f"{NAME} , the applicant's daughter" in text, text
    drawn = [t for y, t in _drawn_runs(path, 1)]  # pypdf: runs in the order drawn, left to right
    first_arabic = next(n for n, t in enumerate(drawn) if ARABIC.search(t))
    daughter = next(n for n, t in enumerate(drawn) if "the applicant's daughter" in t)
    assert first_arabic < daughter, drawn
    assert _flat(drawn[first_arabic]) == NAME  # pypdf gives the name back as typed


def test_an_arabic_title_keeps_right_to_left_on_a_line_that_starts_with_latin(tmp_path: Path) -> None:
    lines = _index_lines(AR_TITLE)
    second = next(n for n, line in enumerate(lines) if line.startswith("Fatima"))
    assert second > 0 and ARABIC.search(lines[second]), lines  # a Latin-first line with Arabic after
    path = _index_bundle(tmp_path, AR_TITLE)
    line = _line_of(_words(path, 2), "Fatima")
    fatima = next(x for w, x in line if w == "Fatima")
    after = lines[second].split("Abdullah", 1)[1].split()
    arabic = [(w, x) for w, x in line if ARABIC.search(w)]
    assert [w[::-1] for w, _x in arabic] == after[::-1], line  # right to left ...
    assert all(x < fatima for _w, x in arabic), line  # ... with the English name at the right
    latin = [w for w, _x in line if not ARABIC.search(w)]
    assert latin == ["Fatima", "Zahra", "Mohammed", "Abdullah"][: len(latin)] and len(latin) >= 2
    drawn = [t for _y, t in _drawn_runs(path, 1)]
    fatima_run = next(n for n, t in enumerate(drawn) if t.startswith("Fatima"))
    assert ARABIC.search(drawn[fatima_run - 1]), drawn  # drawn after (right of) the Arabic of its line


def test_a_french_jurat_with_an_arabic_deponent_reads_left_to_right(tmp_path: Path, french_catalog: None) -> None:
    parts = [DocumentPart("aff"), DocumentPart("ex", label="Passeport", role="exhibit", date=date(2025, 2, 20))]
    spec = BundleSpec(title="Dossier", language="fr", file_number="IMM-1234-25",
                      settings=BundleSettings(exhibit_marks="letters"),
                      sections=[Section("", [Tab("Affidavit", date(2025, 2, 25), parts, deponent=DEPONENT,
                                                 sworn=date(2025, 2, 25))])])
    from clinic_app.pdf import vocab

    _h, sentence, _c = vocab.commissioner_block("fr", "A", DEPONENT, date(2025, 2, 25))
    lines = [_bare(t) for t in textdraw.wrap(sentence, fonts.SANS, BLOCK_SIZE, BLOCK_WIDTH - 2 * BLOCK_PAD)]
    split = next(n for n, t in enumerate(lines) if "souscrit" in t)
    assert ARABIC.search(lines[split].split()[0]), lines  # the name runs over onto this line
    out = tmp_path / "fr.pdf"
    sources = {"aff": make_pdf(Doc("aff", [P()])), "ex": make_pdf(Doc("ex", [P()]))}
    build_bundle(spec, lambda d: sources[d], out, today=date(2025, 3, 1))
    page = next(n for n in range(1, len(pypdf.PdfReader(out).pages) + 1) if "MARK-ex-p1" in _pdftotext(out, n))
    line = _line_of(_words(out, page), "souscrit")
    souscrit = next(x for w, x in line if w == "souscrit")
    assert [w.strip(",")[::-1] for w, x in line if x < souscrit] == lines[split].split("souscrit")[0].replace(",", "").split()[::-1]
    assert [w for w, x in line if x > souscrit] == lines[split].split("souscrit")[1].split()  # "… le 25 février"
    text = _flat(_pdftotext(out, page))
    assert "souscrit (ou affirmé solennellement) devant moi le 25 février" in text, text
    assert "février ," not in text and "février, " not in text
    drawn = [t for _y, t in _drawn_runs(out, page - 1)]
    name_run = next(n for n, t in enumerate(drawn) if "عبد الله" in t)
    souscrit_run = next(n for n, t in enumerate(drawn) if t.lstrip(", ").startswith("souscrit"))
    assert name_run < souscrit_run, drawn


def test_a_sentence_of_the_bundle_language_is_left_to_right_even_when_a_name_opens_it() -> None:
    sentence = f"{DEPONENT} a souscrit cet affidavit devant moi le 25 février 2025."
    assert shaping.paragraph_direction(sentence) == "R"  # on its own, rule P2 would say so
    for line in textdraw.wrap(sentence, fonts.SANS, 8, 120, direction="L"):
        laid = shaping.layout(line, fonts.SANS)
        if ARABIC.search(line):
            assert laid.runs[0].rtl and not laid.runs[-1].rtl, line  # the name at the left
    alone = shaping.layout(shaping.directed("a b " + DEPONENT, "R"), fonts.SANS)
    assert alone.runs[-1].text.strip() == "a b" and not alone.runs[-1].rtl  # "a b" at the right
    assert shaping.directed("Plain text", "L") == "Plain text"  # nothing to mark, nothing changes


def test_a_generated_sentence_opening_with_an_arabic_name_stays_in_its_language(tmp_path: Path) -> None:
    from clinic_app.pdf.generated.base import Doc as Generated

    doc = Generated("en", "Cover letter")
    doc.add(doc.t("{name} is the applicant's daughter and lives with her in Toronto.", name=NAME))
    path = tmp_path / "letter.pdf"
    path.write_bytes(doc.render())
    line = _line_of(_words(path, 1), "applicant's")
    is_x = next(x for w, x in line if w == "is")
    assert [w[::-1] for w, x in line if x < is_x] == NAME.split()[::-1], line  # the name first, at the left
    assert _squash(f"{NAME} is the applicant's daughter") in _squash(_pdftotext(path, 1))
    drawn = [t for _y, t in _drawn_runs(path, 0)]
    name_run = next(n for n, t in enumerate(drawn) if ARABIC.search(t))
    assert _flat(drawn[name_run]) == NAME and "applicant's" in drawn[name_run + 1], drawn
    assert "\u200e" not in pypdf.PdfReader(path).pages[0].extract_text()  # the mark is never text
