"""Issue 18 from the command line, as a script would (real processes, a real vault): the
correspondence log (`correspondence … add/list/delete`), an affidavit's exhibits (`exhibits`),
a mandamus record built with its chronology as lettered exhibits, and the applicant's affidavit
drafted with its exhibits listed (read back with pypdf and pdftotext)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pypdf
import pytest
from support import ADMIN, ADMIN_PASS, run_cli

PASS = ADMIN_PASS + "\n"


@pytest.fixture
def vault(vault_folder: Path) -> tuple[str, ...]:
    """A mandamus matter: the signed items of its record, an application and a GCMS note."""
    from clinic_app.domain.client import Client
    from clinic_app.domain.document import DocumentCategory as C
    from clinic_app.domain.document import DocumentMeta
    from clinic_app.domain.identifiers import FileNumbers
    from clinic_app.domain.matter import DecisionMaker, Matter, MatterType
    from clinic_app.pdf.demo_pages import fictional_pdf
    from clinic_app.services import case_record, evidence
    from clinic_app.services.session import unlock

    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-1", legal_name="Lena Fictive"))
        case_record.save_matter(s, Matter(ref="m-1", client_ref="c-1", type=MatterType.MANDAMUS, title="Mandamus",
                                          file_numbers=FileNumbers(fc="IMM-77-26"), counsel="Me Fictive",
                                          decision_maker=DecisionMaker.IRCC))
        for ref, title, category, tags, day in (
                ("d-aljr", "Form IR-1", C.FORM, ("aljr",), date(2026, 10, 1)),
                ("d-aff", "Affidavit of Lena Fictive", C.LEGAL, ("affidavit",), date(2026, 10, 2)),
                ("d-memo", "Memorandum", C.LEGAL, ("memorandum",), date(2026, 10, 3)),
                ("d-aos", "Affidavit of service", C.LEGAL, ("affidavit_of_service",), date(2026, 10, 4)),
                ("d-gcms", "GCMS notes", C.OTHER, ("gcms",), date(2026, 5, 1)),
                ("d-app", "Application as sent", C.FORM, ("application",), date(2022, 3, 1))):
            evidence.store_document(s, io.BytesIO(fictional_pdf(title, [f"TEXT-{ref}"])),
                                    DocumentMeta(ref=ref, title=title, category=category, tags=tags, doc_date=day,
                                                 page_count=1), ["m-1"])
    return ("--vault", str(vault_folder), "--passphrase-stdin")


def _cli(vault: tuple[str, ...], *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*vault, "--user", ADMIN, *args, stdin=PASS)


def test_correspondence_exhibits_and_a_mandamus_record(vault: tuple[str, ...], tmp_path: Path) -> None:
    out = _cli(vault, "correspondence", "m-1", "add", "--date", "2026-05-01", "--direction", "received",
               "--party", "IRCC ATIP office", "--subject", "GCMS notes", "--document", "d-gcms", "--json")
    assert out.returncode == 0, out.stderr
    out = _cli(vault, "correspondence", "m-1", "add", "--date", "2022-03-01", "--direction", "sent",
               "--party", "IRCC", "--subject", "Application", "--document", "d-app", "--json")
    log = json.loads(out.stdout)["correspondence"]
    assert [(e["date"], e["direction"], e["document"]) for e in log] == [
        ("2022-03-01", "sent", "d-app"), ("2026-05-01", "received", "d-gcms")]
    bad = _cli(vault, "correspondence", "m-1", "add", "--date", "2026-05-02")
    assert bad.returncode == 2 and "--direction" in bad.stderr
    listed = _cli(vault, "correspondence", "m-1")
    assert "IRCC ATIP office" in listed.stdout and "GCMS notes" in listed.stdout

    built = _cli(vault, "build", "m-1", "--package", "mandamus_record", "--out", str(tmp_path / "r.pdf"),
                 "--today", "2026-12-07", "--json")
    assert built.returncode == 0, built.stderr + built.stdout
    text = [p.extract_text() or "" for p in pypdf.PdfReader(tmp_path / "r.pdf").pages]
    app = next(i for i, t in enumerate(text) if "TEXT-d-app" in t)
    gcms = next(i for i, t in enumerate(text) if "TEXT-d-gcms" in t)
    affidavit = next(i for i, t in enumerate(text) if "TEXT-d-aff" in t)
    assert affidavit < app < gcms  # the chronology follows the affidavit, in date order
    assert "Exhibit \u201cA\u201d" in text[app] and "Exhibit \u201cB\u201d" in text[gcms]
    if shutil.which("pdftotext"):
        poppler = subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True).stdout
        assert "Table of contents" in poppler and "Exhibit \u201cB\u201d \u2013 GCMS notes" in poppler

    out = _cli(vault, "exhibits", "d-aff", "d-gcms", "d-app", "--json")
    assert json.loads(out.stdout) == {"affidavit": "d-aff", "exhibits": ["d-gcms", "d-app"]}
    refused = _cli(vault, "exhibits", "d-aff", "d-aff")
    assert refused.returncode == 4 and "itself" in refused.stderr
    draft = _cli(vault, "draft", "m-1", "applicant_affidavit", "--out", str(tmp_path / "aff.pdf"), "--json")
    assert draft.returncode == 0, draft.stderr
    drafted = " ".join(" ".join(p.extract_text() or "" for p in pypdf.PdfReader(tmp_path / "aff.pdf").pages).split())
    # the recorded order now puts the GCMS notes first: A, then the application B
    assert "I received from IRCC ATIP office the following: GCMS notes. Attached as Exhibit \u201cA\u201d" in drafted
    assert "Attached as Exhibit \u201cB\u201d is a true copy of it." in drafted

    entry = log[0]["entry"]
    gone = _cli(vault, "correspondence", "m-1", "delete", entry, "--json")
    assert [e["subject"] for e in json.loads(gone.stdout)["correspondence"]] == ["GCMS notes"]
