"""Everything on the cover stays inside its margins, whatever the lengths.

Titles of 500 characters, names and counsel of 300 (the longest the manifest takes), in
Latin, Arabic, Chinese and Ge'ez script: the text shrinks until it fits and, only when it
still would not, the longest blocks end in an ellipsis. Read back with poppler (pdftotext
-bbox: each word's box) and pypdf (each run's baseline).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pypdf
import pytest

from clinic_app.domain.bundle import BundleSpec, DocumentPart, Section, Tab
from clinic_app.domain.draft_notice import DraftNotice
from clinic_app.pdf.engine import build_bundle
from clinic_app.pdf.front_matter import MARGIN

from .conftest import Doc, make_pdf

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")


def _fill(unit: str, length: int) -> str:
    return (unit * (length // len(unit) + 1))[:length].strip()


LATIN = {
    "title": _fill("Record of the applicant in the application for leave and judicial review of the refusal ", 500),
    "client": _fill("Ana Example ", 300),
    "counsel": " ".join(f"Counsel{i} Example Legal Clinic" for i in range(1, 11))[:300],
}
SCRIPTS = {
    "title": _fill("سجل مقدم الطلب في طلب الإذن والمراجعة القضائية لرفض اللجوء ", 500),
    "client": _fill("王小明 ", 150) + " " + _fill("ዳዊት ተስፋዬ ", 149),
    "counsel": _fill("محمد رضا پرویزی وکیل دادگستری ", 300),
}
FORUM = "Immigration and Refugee Board of Canada, Refugee Protection Division"


def _spec(texts: dict[str, str], parties: int = 1) -> BundleSpec:
    return BundleSpec(title=texts["title"], forum=FORUM, file_number="TB1-00001",
                      parties=[texts["client"]] * parties + ["Minister of Citizenship and Immigration"],
                      counsel=texts["counsel"], date=date(2026, 1, 15),
                      sections=[Section("", [Tab("Doc", date(2024, 1, 2), [DocumentPart("a")])])])


def _build(tmp_path: Path, spec: BundleSpec, draft: DraftNotice | None = None) -> Path:
    out = tmp_path / "cover.pdf"
    build_bundle(spec, lambda _d: make_pdf(Doc("a")), out, draft=draft)
    return out


def _boxes(path: Path) -> tuple[list[tuple[str, float, float, float, float]], float, float]:
    """pdftotext's words on the cover: (word, xmin, ymin, xmax, ymax), y down from the top."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"],
                         capture_output=True, text=True, check=True).stdout
    w, h = map(float, re.search(r'<page width="([\d.]+)" height="([\d.]+)"', out).groups())
    words = [(t, float(a), float(b), float(c), float(d)) for a, b, c, d, t in
             re.findall(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>', out)]
    return words, w, h


def _baselines(path: Path) -> list[tuple[str, float, float]]:
    """pypdf's runs on the cover: (text, x, baseline y up from the bottom)."""
    runs: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, _size: float) -> None:
        if text.strip():
            m = pypdf.mult(tm, cm)
            runs.append((text, m[4], m[5]))

    pypdf.PdfReader(path).pages[0].extract_text(visitor_text=visit)
    return runs


def _inside(path: Path, stamp: str = "") -> str:
    """Every word and run is inside the margins; returns the cover's text (pdftotext).
    `stamp`: a draft's mark, which every page also carries in the margin band, by design."""
    words, w, h = _boxes(path)
    band = [word for word in words if word[0] == stamp and (word[1] < MARGIN or word[4] > h - MARGIN)]
    words = [word for word in words if word not in band]
    assert words and len(band) <= 1
    slack = 3.0  # a descender may reach a hair below the last line's box
    for word in words:
        _t, x0, y0, x1, y1 = word
        assert MARGIN - 0.5 <= x0 and x1 <= w - MARGIN + 0.5, word
        assert MARGIN - slack <= y0 and y1 <= h - MARGIN + slack, word
    runs = [run for run in _baselines(path) if not (run[0] == stamp and (run[1] < MARGIN or run[2] < MARGIN))]
    assert runs
    for run in runs:
        _t, x, y = run
        assert MARGIN - 0.5 <= x <= w - MARGIN and MARGIN <= y <= h - MARGIN, run
    return subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _squash(text: str) -> str:
    return "".join(text.translate(dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c"))).split())


def test_the_longest_latin_cover_fits_by_shrinking_and_loses_nothing(tmp_path: Path) -> None:
    path = _build(tmp_path, _spec(LATIN))
    text = _squash(_inside(path))
    pypdf_text = _squash(pypdf.PdfReader(path).pages[0].extract_text())
    for value in LATIN.values():  # shrunk, not cut: every word is there, with both readers
        assert _squash(value) in text and _squash(value) in pypdf_text, value
    assert "\u2026" not in text


@pytest.mark.parametrize("draft", [False, True])
def test_the_longest_covers_in_other_scripts_stay_inside_the_page(tmp_path: Path, draft: bool) -> None:
    notice = DraftNotice("DRAFT", "Still missing", ("the translation of tab 3", "the declaration")) if draft else None
    path = _build(tmp_path, _spec(SCRIPTS), notice)
    text = _squash(_inside(path, "DRAFT"))
    assert not draft or "DRAFT" in text and "Stillmissing" in text
    last = SCRIPTS["counsel"].split()[-3:]  # the foot's last line is there, in both readers
    assert all(word in text for word in last), last
    pypdf_text = _squash(pypdf.PdfReader(path).pages[0].extract_text())
    assert all(word in pypdf_text for word in last)
    assert "王小明" in text and "ዳዊት" in text and "ዳዊት" in pypdf_text


def test_when_shrinking_is_not_enough_the_longest_texts_end_in_an_ellipsis(tmp_path: Path) -> None:
    spec = _spec(SCRIPTS, parties=20)  # twenty 300-character parties: more than any size fits
    path = _build(tmp_path, spec)
    text = _inside(path)
    assert "\u2026" in text and "\u2026" in pypdf.PdfReader(path).pages[0].extract_text()
    assert _squash(FORUM) in _squash(text)  # the short blocks are whole
    sizes = {round(float(s), 1) for s in re.findall(r"/F\d+ ([\d.]+) Tf", _content(path))}
    assert min(sizes) >= 8.0, sizes  # never smaller than the floor


def _content(path: Path) -> str:
    import pikepdf

    with pikepdf.open(path) as pdf:
        return pdf.pages[0].Contents.read_bytes().decode("latin-1") if not isinstance(
            pdf.pages[0].Contents, pikepdf.Array) else b"".join(c.read_bytes() for c in pdf.pages[0].Contents).decode("latin-1")
