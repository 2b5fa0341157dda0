"""A realistic manifest with files, shared by service and CLI tests."""

from __future__ import annotations

from pathlib import Path

import yaml
from reportlab.pdfgen import canvas


def _pdf(path: Path, text: str, pages: int = 1) -> None:
    """A small real PDF, so the intake sandbox accepts it."""
    c = canvas.Canvas(str(path), invariant=1)
    for i in range(pages):
        c.drawString(72, 720, f"{text}, page {i + 1}")
        c.showPage()
    c.save()


def write_manifest(folder: Path, *, bad_last_letter: bool = False, title: str = "García: refugee claim") -> Path:
    (folder / "docs").mkdir(exist_ok=True)
    _pdf(folder / "docs" / "report.pdf", "Fictional country report", pages=4)
    _pdf(folder / "docs" / "passport.pdf", "Pasaporte ficticio")
    _pdf(folder / "docs" / "passport-en.pdf", "Fictional passport (translation)")
    _pdf(folder / "docs" / "letter.pdf", "Fictional support letter")
    data = {
        "version": 1,
        "clients": [
            {"ref": "c-garcia", "name": "María García", "aliases": ["Majo"], "birth_date": "1990-05-17",
             "country": "Honduras", "languages": ["Spanish"]},
            {"ref": "c-cruz", "name": "Marvin Cruz", "country": "Honduras"},
        ],
        "matters": [
            {"ref": "m-garcia", "client": "c-garcia", "type": "rpd_claim", "title": title,
             "file_numbers": {"irb": "TB1-12345"}, "language": "en", "dates": {"hearing": "2027-02-01"}},
            {"ref": "m-cruz", "client": "c-cruz", "type": "rpd_claim", "title": "Cruz: claim"},
        ],
        "documents": [
            {"ref": "d-report", "matters": ["m-garcia", "m-cruz"], "file": "docs/report.pdf",
             "title": "Country report", "category": "country_conditions"},
            {"ref": "d-passport", "matter": "m-garcia", "file": "docs/passport.pdf", "title": "Passport",
             "language": "es", "category": "identity"},
            {"ref": "d-passport-en", "matter": "m-garcia", "file": "docs/passport-en.pdf",
             "title": "Passport (translation)", "language": "en", "translation_of": "d-passport"},
        ],
        "letters": [
            {"ref": "l-1", "matter": "m-garcia", "writer": "Jean Dupont", "relationship": "employer",
             "date": "2026-03-01", "signed": True, "themes": ["employment"], "status": "received",
             "file": "docs/letter.pdf"},
            {"ref": "l-2", "matter": "m-garcia", "writer": "Ana Paz",
             "date": "2026-13-45" if bad_last_letter else "2026-04-01"},
        ],
        "bundles": [
            {"ref": "b-1", "matter": "m-garcia", "title": "Claimant's Disclosure",
             "tabs": ["d-passport", {"doc": "d-report", "pages": "1-2"},
                      {"reference": "NDP Honduras, item 7.3", "title": "NDP"}]},
        ],
    }
    path = folder / "manifest.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path
