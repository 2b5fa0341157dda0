"""Federal Court records as the Court takes them (issue 18): a stay motion record for a refused
deferral names the Minister of Public Safety and Emergency Preparedness, opens on a table of
contents, and files its evidence as lettered exhibits after the affidavit, each first page
stamped, the table's page numbers equal to the stamps (pdfium, pypdf and pdftotext agree).
Pre-flight refuses loose evidence and warns about page limits and an unknown decision maker."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

import pytest

from clinic_app.domain.matter import DecisionMaker
from clinic_app.domain.packages import PackageNotReady
from clinic_app.services import case_record, packages

from .seed import TODAY

EXHIBITS = {"d-stay-dec": "A", "d-stay-dir": "B", "d-stay-mariage": "C"}  # decision, direction, evidence


def _refused_deferral(session: object, lang: str) -> str:
    matter = case_record.get_matter(session, "m-stay")  # type: ignore[arg-type]
    case_record.save_matter(session, dataclasses.replace(  # type: ignore[arg-type]
        matter, decision_maker=DecisionMaker.CBSA, language=lang))
    return "m-stay"


def _pdftotext(path: Path) -> list[str]:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


@pytest.mark.parametrize("lang, minister, contents, mark", [
    ("en", "The Minister of Public Safety and Emergency Preparedness, Respondent", "Table of contents",
     "Exhibit \u201c{m}\u201d"),
    ("fr", "Le ministre de la Sécurité publique et de la Protection civile, partie défenderesse",
     "Table des matières", "Pièce « {m} »"),
])
def test_stay_record_for_a_refused_deferral(fresh, readback, french_catalog, tmp_path: Path, lang: str,
                                            minister: str, contents: str, mark: str) -> None:
    session = fresh("stay_motion")
    matter = _refused_deferral(session, lang)
    built = packages.build_package(session, matter, "stay_motion", tmp_path / "stay.pdf", today=TODAY)
    assert not built.forced
    rb = readback(built.files[0])
    pages = _pdftotext(built.files[0])
    cover = " ".join(pages[0].split())
    assert minister in cover and "Citizenship" not in cover and "Citoyenneté" not in cover
    assert contents in pages[1]  # the table of contents follows the cover (FCR r. 364(2)(a))
    labels = rb.labels()
    assert labels[:2] == ["1", "2"]  # front matter numbered with the rest of the record
    affidavit = rb.page_of("MARK-d-stay-aff-p1")
    rows = rb.index_rows()
    own = next(r for r in rows if r[3] == affidavit)  # the affidavit's own part, above its exhibits
    assert own[0].split()[1] == "Affidavit" and not any(w in own[0] for w in ("Translator", "traducteur")), own
    for ref, letter in EXHIBITS.items():
        page = rb.page_of(f"MARK-{ref}-p1")
        assert page > affidavit  # evidence follows the affidavit, as its exhibits
        stamp = mark.format(m=letter)
        assert stamp in " ".join(rb.text(page).split()), ref
        assert stamp in " ".join(pages[page].split())  # poppler reads the same stamp
        assert stamp in (rb.pypdf.pages[page].extract_text() or "")
        row = next(r for r in rows if stamp in r[0])
        assert row[1] == int(labels[page]) and row[3] == page, (row, labels[page])  # listed page = stamped page
    order = [rb.page_of(f"MARK-{ref}-p1") for ref in EXHIBITS]
    assert order == sorted(order)
    assert rb.page_of("MARK-d-stay-aljr-p1") > order[-1]  # r. 364(2)(f): filed material, not an exhibit


def test_loose_evidence_is_refused_until_the_affidavit_is_sworn(fresh, tmp_path: Path) -> None:
    session = fresh("stay_motion", without=("d-stay-aff",))
    _refused_deferral(session, "en")
    report = packages.preflight(session, "m-stay", "stay_motion", today=TODAY)
    codes = [p.code for p in report.errors]
    assert "loose_evidence" in codes and not report.ready
    loose = next(p for p in report.errors if p.code == "loose_evidence")
    assert "IMM Rules r. 12(1)" in loose.message and "364(2)(c)" in loose.message
    with pytest.raises(PackageNotReady, match="loose"):
        packages.build_package(session, "m-stay", "stay_motion", tmp_path / "x.pdf", today=TODAY)


def test_record_warnings_page_limit_and_unknown_decision_maker(fresh) -> None:
    from clinic_app.domain.document import DocumentMeta
    from clinic_app.vault import records

    session = fresh("stay_motion")
    report = packages.preflight(session, "m-stay", "stay_motion", today=TODAY)
    assert "no_decision_maker" in [p.code for p in report.warnings]  # both Ministers named meanwhile
    assert "page_limit" not in [p.code for p in report.warnings]  # a one-page memorandum
    conn = session.vault.conn  # type: ignore[attr-defined]
    meta = records.load(conn, DocumentMeta, records.require_id(conn, "documents", "d-stay-memo"))
    with session.transaction():  # type: ignore[attr-defined]
        records.update_document_meta(conn, dataclasses.replace(meta, page_count=31))
    report = packages.preflight(session, "m-stay", "stay_motion", today=TODAY)
    limit = next(p for p in report.warnings if p.code == "page_limit")
    assert "31" in limit.message and "FCR r. 70(4)" in limit.message and "30" in limit.message


def test_language_statement_gives_hearing_and_document_language(fresh, readback, tmp_path: Path) -> None:
    session = fresh("fc_record")
    built = packages.build_package(session, "m-fc", "fc_record", tmp_path / "fc.pdf", today=TODAY)
    text = " ".join(readback(built.files[0]).all_text().split())
    assert "hearing of this application to be conducted in English" in text
    assert "documents are in English" in text and "10(2)(a)(vii)" in text


def test_draft_affidavit_lists_its_exhibits_with_their_marks(fresh, readback, tmp_path: Path) -> None:
    session = fresh("stay_motion")
    _refused_deferral(session, "en")
    path = packages.write_draft(session, "m-stay", "applicant_affidavit", tmp_path / "aff.pdf", today=TODAY)
    text = " ".join(readback(path).all_text().split())
    for title, letter in (("Refus de report", "A"), ("Directive de se présenter", "B"), ("Preuve de mariage", "C")):
        assert f"Attached as Exhibit \u201c{letter}\u201d is a true copy of {title}" in text, (title, text[:400])
    assert "Public Safety and Emergency Preparedness" in text and "DRAFT" in text


def test_translator_declaration_states_the_dialect(fresh, readback, tmp_path: Path) -> None:
    from clinic_app.domain.packages.output import dialect_of

    assert dialect_of(("French", "Spanish (Honduras)"), "es") == "Spanish (Honduras)"
    assert dialect_of(("Spanish",), "es") == "" and dialect_of(("Arabic (Levantine)",), "es") == ""
    session = fresh("rpd_disclosure")
    client = case_record.get_client(session, "c-garcia")
    case_record.save_client(session, dataclasses.replace(client, languages=("Spanish (Honduras)",)))
    path = packages.write_draft(session, "m-rpd", "translator_declaration", tmp_path / "decl.pdf", today=TODAY)
    text = " ".join(readback(path).all_text().split())
    assert "Language and dialect of the original: Spanish (Honduras)" in text
