"""Completing a checklist from the command line, as a script would (real processes, real vault):
`tag`, `attach`, `import-files --item/--letter`, `draft`, and `build --force` marked as a draft
on every page with what is missing on its cover (read back with pypdf and pdftotext)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pypdf
import pytest
from support import ADMIN, ADMIN_PASS, run_cli

from clinic_app.pdf.demo_pages import fictional_pdf

REMOVAL = date.today() + timedelta(days=30)
PASS = ADMIN_PASS + "\n"


def _long_date(d: date, lang: str = "en") -> str:
    import calendar

    if lang == "en":
        return f"{d.day} {calendar.month_name[d.month]} {d.year}"
    months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
              "novembre", "décembre"]
    return f"{'1er' if d.day == 1 else d.day} {months[d.month - 1]} {d.year}"


@pytest.fixture
def vault(vault_folder: Path) -> tuple[str, ...]:
    """An English and a French deferral matter, with evidence and a letter ready to file, no scan."""
    from clinic_app.domain.client import Client
    from clinic_app.domain.document import DocumentCategory, DocumentMeta
    from clinic_app.domain.letter import LetterStatus, SupportLetter
    from clinic_app.domain.matter import KeyDates, Matter, MatterType, ProceedingLanguage
    from clinic_app.services import case_record, evidence
    from clinic_app.services.session import unlock

    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-1", legal_name="Lena Fictive Example", public_initials="L.F.E."))
        for ref, lang in (("m-en", "en"), ("m-fr", "fr")):
            case_record.save_matter(s, Matter(ref=ref, client_ref="c-1", type=MatterType.DEFERRAL, title="Deferral",
                                              language=ProceedingLanguage(lang), counsel="Me Fictive",
                                              dates=KeyDates(removal=REMOVAL)))
        for ref, title, category in (("d-med", "Medical report", DocumentCategory.MEDICAL),
                                     ("d-dir", "Direction to report", DocumentCategory.OTHER)):
            data = fictional_pdf(title, [f"TEXT-{ref}"], pages=2)
            evidence.store_document(s, io.BytesIO(data), DocumentMeta(ref=ref, title=title, category=category,
                                                                       page_count=2), ["m-en", "m-fr"])
        case_record.save_letter(s, SupportLetter(ref="l-1", matter_ref="m-en", writer="Paz Neighbour",
                                                 status=LetterStatus.READY_TO_FILE, signed=True,
                                                 letter_date=date.today(), themes=("community",)))
    return ("--vault", str(vault_folder), "--passphrase-stdin")


def _json(done: subprocess.CompletedProcess[str], code: int = 0):  # type: ignore[no-untyped-def]
    assert done.returncode == code, done.stderr
    return json.loads(done.stdout)


def _pdftotext(path: Path) -> list[str]:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return [" ".join(page.split()) for page in done.stdout.split("\f")[:-1]]


def _pypdf(path: Path) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in pypdf.PdfReader(path).pages]


def test_tag_attach_import_and_link_fill_the_checklist(vault, tmp_path: Path) -> None:
    # a tag and a category make the checklist find the direction by itself
    tagged = _json(run_cli(*vault, "tag", "d-dir", "Removal_Direction", "--category", "removal_direction", "--json",
                           stdin=PASS))
    assert tagged == {"document": "d-dir", "tags": ["removal_direction"], "category": "removal_direction"}
    # attach by hand (the medical report is also placed there by its category)
    attached = _json(run_cli(*vault, "attach", "m-en", "medical", "d-med", "--json", stdin=PASS))
    assert attached["documents"] == ["d-med"] and attached["missing"] == ["request"]
    # the signed request, imported straight onto its item; the letter's scan, imported and linked
    signed = tmp_path / "signed-request.pdf"
    signed.write_bytes(fictional_pdf("Request to defer removal", ["Signed by counsel"]))
    done = run_cli(*vault, "import-files", "m-en", str(signed), "--item", "request", stdin=PASS)
    assert done.returncode == 0 and "Attached to the checklist item request" in done.stdout, done.stderr
    scan = tmp_path / "neighbour.pdf"
    scan.write_bytes(fictional_pdf("Letter from a neighbour", ["SCAN-OF-L1"]))
    done = run_cli(*vault, "import-files", "m-en", str(scan), "--letter", "l-1", stdin=PASS)
    assert done.returncode == 0 and "Linked as the scanned letter of l-1" in done.stdout, done.stderr
    # the checklist is ready: every item filled, the letter in its place
    after = _json(run_cli(*vault, "checklist", "m-en", "--package", "deferral_request", "--json", stdin=PASS))
    items = {i["item"]: i for i in after["items"]}
    assert after["ready"] is True
    assert items["removal_direction"]["documents"] == ["d-dir"] and items["medical"]["documents"] == ["d-med"]
    assert len(items["request"]["documents"]) == 1 and items["letters"]["letters"] == ["l-1"]


def test_draft_command(vault, tmp_path: Path) -> None:
    out = tmp_path / "request.pdf"
    done = run_cli(*vault, "draft", "m-en", "deferral_request", "--out", str(out), stdin=PASS)
    assert done.returncode == 0, done.stderr
    for pages in (_pypdf(out), _pdftotext(out)):
        assert pages and all("DRAFT" in p for p in pages), pages
        text = " ".join(pages)
        assert _long_date(REMOVAL) in text and "Medical report" in text and "Baron" in text
        assert text.index("Medical grounds") < text.index("Medical report") < text.index("Pending applications")
    unknown = run_cli(*vault, "draft", "m-en", "poem", "--out", str(tmp_path / "y.pdf"), stdin=PASS)
    assert unknown.returncode == 2 and "deferral_request" in unknown.stderr and not (tmp_path / "y.pdf").exists()


def test_forced_build_is_marked_draft_on_every_page_and_lists_what_is_missing(vault, tmp_path: Path) -> None:
    out = tmp_path / "forced.pdf"
    done = run_cli(*vault, "build", "m-en", "--package", "deferral_request", "--out", str(out), "--force",
                   stdin=PASS)
    assert done.returncode == 0, done.stderr
    for pages in (_pdftotext(out), _pypdf(out)):
        assert len(pages) > 3 and all("DRAFT \u2014 not ready to file" in p for p in pages), pages
        assert "Missing: Request for deferral of removal" in pages[0]  # the cover says why
        assert not any("Missing:" in p for p in pages[1:])


@pytest.mark.slow
def test_refusals_and_french_through_the_command_line(vault, tmp_path: Path) -> None:
    bad = run_cli(*vault, "attach", "m-en", "medicl", "d-med", stdin=PASS)
    assert bad.returncode == 4 and "medicl" in bad.stderr and "removal_direction" in bad.stderr
    scan = tmp_path / "neighbour.pdf"
    scan.write_bytes(fictional_pdf("Letter from a neighbour", ["SCAN-OF-L1"]))
    wrong = run_cli(*vault, "import-files", "m-fr", str(scan), "--letter", "l-1", stdin=PASS)
    assert wrong.returncode == 4 and "m-en" in wrong.stderr
    two = run_cli(*vault, "import-files", "m-en", str(scan), str(scan), "--letter", "l-1", stdin=PASS)
    assert two.returncode == 2 and "--letter" in two.stderr
    other = run_cli(*vault, "draft", "m-en", "hc_submissions", "--out", str(tmp_path / "x.pdf"), stdin=PASS)
    assert other.returncode == 4 and "deferral_request" in other.stderr and not (tmp_path / "x.pdf").exists()
    french = tmp_path / "demande.pdf"
    assert run_cli(*vault, "draft", "m-fr", "deferral_request", "--out", str(french), stdin=PASS).returncode == 0
    pages = _pdftotext(french)
    assert pages and all("PROJET" in p for p in pages) and not any("DRAFT" in p for p in pages), pages
    assert _long_date(REMOVAL, "fr") in " ".join(pages)
    forced = tmp_path / "force-fr.pdf"
    assert run_cli(*vault, "build", "m-fr", "--package", "deferral_request", "--out", str(forced), "--force",
                   stdin=PASS).returncode == 0
    pages = _pdftotext(forced)
    assert all("PROJET \u2014 ne pas déposer" in p for p in pages) and not any("DRAFT" in p for p in pages)
    assert "Manquant : Demande de report du renvoi" in pages[0], pages[0]  # spaces normalised, no-break too
