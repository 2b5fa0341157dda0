"""A served-bundle case for the service, CLI and window tests: a manifest with two documents
(Alpha 10 pages, Bravo 8) and bundle b-s, and a second manifest that replaces Alpha with a
longer file, as the issue that froze served content describes."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pypdf
import yaml
from reportlab.pdfgen import canvas

SERVED_ON = "2030-01-02"
DAY = date.fromisoformat(SERVED_ON)


def pdf(path: Path, label: str, pages: int) -> Path:
    c = canvas.Canvas(str(path), invariant=1)
    for i in range(pages):
        c.drawString(72, 700, f"{label} page {i + 1}")
        c.showPage()
    c.save()
    return path


def write_case(folder: Path, name: str, *, alpha_pages: int = 10, alpha_label: str = "ALPHA",
               bundle: dict[str, Any] | None = None, extra_bundles: list[dict[str, Any]] | None = None) -> Path:
    """A manifest `name`.yaml: client c-1, matter m-1, d-alpha, d-bravo, and `bundle` (b-s by default;
    {} for none, as when only a document is re-imported)."""
    docs = folder / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    pdf(docs / f"{name}-alpha.pdf", alpha_label, alpha_pages)
    pdf(docs / "bravo.pdf", "BRAVO", 8)
    data: dict[str, Any] = {
        "version": 1,
        "clients": [{"ref": "c-1", "name": "Test Client"}],
        "matters": [{"ref": "m-1", "client": "c-1", "type": "rpd_claim", "title": "Claim",
                     "file_numbers": {"irb": "TB1-12345"}}],
        "documents": [{"ref": "d-alpha", "matter": "m-1", "file": f"docs/{name}-alpha.pdf", "title": "Alpha"},
                      {"ref": "d-bravo", "matter": "m-1", "file": "docs/bravo.pdf", "title": "Bravo"}],
    }
    if bundle is None:
        bundle = {"ref": "b-s", "matter": "m-1", "title": "Disclosure", "settings": {"paper": "a4"},
                  "tabs": ["d-alpha", "d-bravo"]}
    data["bundles"] = ([bundle] if bundle else []) + list(extra_bundles or [])
    if not data["bundles"]:
        del data["bundles"]
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def page_texts(path: Path) -> list[str]:
    """Each page's text by pypdf and, when installed, by pdftotext (two readers must agree)."""
    texts = [page.extract_text() for page in pypdf.PdfReader(path).pages]
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                             check=True).stdout
        for i, page in enumerate(out.split("\f")[: len(texts)]):
            texts[i] += "\n" + page
    return texts


def stamps(path: Path) -> list[str]:
    """The bare page-number line of every page (the stamp; "" when unnumbered), read by pypdf."""
    found = []
    for page in pypdf.PdfReader(path).pages:
        lines = [ln.strip() for ln in page.extract_text().splitlines() if ln.strip()]
        found.append(next((ln for ln in reversed(lines) if re.fullmatch(r"[0-9]+|[ivxlc]+", ln)), ""))
    return found


def labels(path: Path) -> list[str]:
    return list(pypdf.PdfReader(path).page_labels)


def serve_case(s: Any, folder: Path) -> tuple[Any, Path]:
    """Import the case through intake, build b-s and record its service; (entry, served PDF)."""
    from clinic_app.services import bundles
    from clinic_app.services.intake_bridge import analyzer
    from clinic_app.services.manifest_import import import_manifest

    with analyzer() as analyze:
        import_manifest(s, write_case(folder, "m1"), analyze=analyze)
    out = folder / "served.pdf"
    result = bundles.build(s, "b-s", out, today=DAY)
    entry = bundles.mark_served(s, "b-s", served_to="Minister's counsel", method="email", served_on=DAY,
                                result=result)
    return entry, out


def replace_alpha(s: Any, folder: Path) -> None:
    """Re-import the manifest entry for Alpha with a longer file (the manifest replaces the record)."""
    from clinic_app.services.intake_bridge import analyzer
    from clinic_app.services.manifest_import import import_manifest

    with analyzer() as analyze:
        import_manifest(s, write_case(folder, "m2", alpha_pages=12, alpha_label="NEWALPHA", bundle={}),
                        analyze=analyze)
