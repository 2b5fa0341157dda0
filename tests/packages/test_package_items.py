"""The services behind the package view: attaching and importing for an item, tags, letter
scans, drafts (their kinds, their tabs, their language) and forced builds marked as drafts."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
from pathlib import Path

import pytest

from clinic_app.domain.document import DocumentCategory, DocumentMeta
from clinic_app.domain.letter import LetterStatus, SupportLetter
from clinic_app.domain.matter import ProceedingLanguage
from clinic_app.domain.packages import get_package
from clinic_app.errors import BadInput, ValidationError
from clinic_app.services import case_record, evidence, letters_workflow, packages

from .seed import TODAY, marker_pdf


def _pdftotext(path: Path) -> list[str]:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return [" ".join(page.split()) for page in done.stdout.split("\f")[:-1]]


def test_every_draft_is_offered_by_some_package_and_categories_narrow_choosers() -> None:
    from clinic_app.domain.packages import DRAFTS, PACKAGES

    assert {k for p in PACKAGES.values() for k in p.drafts()} == set(DRAFTS)
    assert get_package("deferral_request").drafts()[0].value == "deferral_request"
    stay = get_package("stay_motion")
    assert DocumentCategory.REMOVAL_DIRECTION in stay.item("removal_direction").categories
    assert DocumentCategory.DECISION in stay.item("decision").categories
    assert DocumentCategory.FORM in get_package("hc_application").item("imm5283").categories
    assert DocumentCategory.NOTICE in get_package("deferral_request").item("pending").categories


def test_a_category_places_a_document_and_attaching_moves_it(fresh) -> None:
    session = fresh("deferral_request", without=("d-def-dir",))
    data = marker_pdf("d-new-dir")
    evidence.store_document(session, io.BytesIO(data), DocumentMeta(
        ref="d-new-dir", title="Direction", category=DocumentCategory.REMOVAL_DIRECTION), ["m-def"])
    entry = packages.checklist(session, "m-def", "deferral_request").entry("removal_direction")
    assert entry.documents == ("d-new-dir",) and entry.attached == ()
    packages.attach_document(session, "m-def", "deferral_request", "other", "d-new-dir")
    checklist = packages.checklist(session, "m-def", "deferral_request")
    assert checklist.entry("other").attached == ("d-new-dir",)
    assert checklist.entry("removal_direction").documents == ()
    with pytest.raises(ValidationError) as err:
        packages.attach_document(session, "m-def", "deferral_request", "medicl", "d-new-dir")
    assert "removal_direction" in str(err.value) and "medical" in str(err.value)


def test_import_to_item_and_retag(fresh, tmp_path: Path) -> None:
    session = fresh("deferral_request", without=("d-def-req",))
    assert [e.item.id for e in packages.checklist(session, "m-def", "deferral_request").missing()] == ["request"]
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(marker_pdf("signed-request"))
    report = packages.import_to_item(session, "m-def", "deferral_request", "request", [signed])
    (outcome,) = report.files
    assert outcome.outcome == "imported" and outcome.document_ref
    checklist = packages.checklist(session, "m-def", "deferral_request")
    assert checklist.complete and checklist.entry("request").documents == (outcome.document_ref,)
    doc = evidence.retag(session, outcome.document_ref, add=["Signed", "deferral_request"], category="legal")
    assert doc.tags == ("signed", "deferral_request") and doc.category is DocumentCategory.LEGAL
    assert evidence.retag(session, doc.ref, remove=["signed"]).tags == ("deferral_request",)
    assert evidence.retag(session, doc.ref) == evidence.retag(session, doc.ref)  # nothing to change


def test_a_letter_scan_is_linked_once_and_takes_the_letter_into_the_package(fresh) -> None:
    session = fresh("deferral_request")
    case_record.save_letter(session, SupportLetter(ref="l-x", matter_ref="m-def", writer="Ana Neighbour",
                                                   status=LetterStatus.READY_TO_FILE, signed=True, letter_date=TODAY))
    case_record.save_letter(session, SupportLetter(ref="l-y", matter_ref="m-def", writer="Bo Friend"))
    assert packages.checklist(session, "m-def", "deferral_request").letters_without_document == ("l-x",)
    letters_workflow.link_scan(session, "l-x", "d-def-hc")
    checklist = packages.checklist(session, "m-def", "deferral_request")
    assert checklist.entry("letters").letters == ("l-x",)
    assert "d-def-hc" not in checklist.entry("pending").documents  # a letter's scan is filed as the letter
    with pytest.raises(BadInput) as err:
        letters_workflow.link_scan(session, "l-y", "d-def-hc")
    assert "l-x" in str(err.value)
    letters_workflow.link_scan(session, "l-x", None)
    assert letters_workflow.get_letter(session, "l-x").document_ref is None


def test_drafts_cite_the_tabs_the_filed_package_will_have(fresh, tmp_path: Path, readback) -> None:
    session = fresh("deferral_request", without=("d-def-req",))
    assert [k.value for k in packages.draft_kinds(session, "m-def")] == ["deferral_request", "translator_declaration"]
    out = tmp_path / "draft.pdf"
    packages.write_draft(session, "m-def", "deferral_request", out, today=TODAY)
    text = " ".join(readback(out).all_text().split())
    medical = text.index("Medical grounds")
    # filed package: request (tab 1), direction (2), medical report (3), H&C receipt (4)
    assert "3 Medical report" in text[medical:text.index("Pending applications")]
    assert "4 H&C acknowledgment of receipt" in text[text.index("Pending applications"):]
    build = packages.build_package(session, "m-def", "deferral_request", tmp_path / "pkg.pdf", force=True,
                                   today=TODAY)
    labels = {t.label: t for t in build.result.tabs}
    assert set(labels) == {"1", "2", "3"}  # without the request, the tabs are one lower: the draft knew
    with pytest.raises(BadInput):
        packages.write_draft(session, "m-def", "hc_submissions", tmp_path / "no.pdf")
    with pytest.raises(BadInput):
        packages.write_draft(session, "m-def", "cover_letter", tmp_path / "no.pdf")
    assert not (tmp_path / "no.pdf").exists()


def test_french_forced_build_and_draft_say_projet(fresh, tmp_path: Path, french_catalog) -> None:
    session = fresh("deferral_request", without=("d-def-req",))
    matter = case_record.get_matter(session, "m-def")
    case_record.save_matter(session, dataclasses.replace(matter, language=ProceedingLanguage.FR))
    out = tmp_path / "fr.pdf"
    build = packages.build_package(session, "m-def", "deferral_request", out, force=True, today=TODAY)
    assert build.forced
    pages = _pdftotext(out)
    assert len(pages) == build.pages and all("PROJET \u2014 ne pas déposer" in p for p in pages)
    assert "Manquant : Demande de report du renvoi" in pages[0] and "DRAFT" not in " ".join(pages)
    draft = tmp_path / "projet.pdf"
    packages.write_draft(session, "m-def", "deferral_request", draft, today=TODAY)
    pages = _pdftotext(draft)
    assert pages and all("PROJET" in p for p in pages) and "DRAFT" not in " ".join(pages)
    assert "Motifs médicaux" in " ".join(pages)


def test_a_package_that_passes_preflight_carries_no_mark(fresh, tmp_path: Path) -> None:
    session = fresh("deferral_request")
    out = tmp_path / "final.pdf"
    build = packages.build_package(session, "m-def", "deferral_request", out, today=TODAY)
    assert not build.forced
    assert not any("not ready" in p for p in _pdftotext(out))


def test_a_manifest_letter_document_is_linked_like_a_scan(fresh, tmp_path: Path) -> None:
    from clinic_app.services.manifest_import import import_manifest

    session = fresh("deferral_request")
    manifest = tmp_path / "letters.yaml"
    body = """letters:
  - ref: l-a
    matter: m-def
    writer: Ana Neighbour
    status: requested
    document: d-def-hc
"""
    manifest.write_text(body, encoding="utf-8")
    import_manifest(session, manifest)
    assert letters_workflow.get_letter(session, "l-a").document_ref == "d-def-hc"
    manifest.write_text(body + body.split("\n", 1)[1].replace("l-a", "l-b"), encoding="utf-8")
    with pytest.raises(BadInput) as err:
        import_manifest(session, manifest)  # one scan, two letters: refused, nothing imported
    assert "l-a" in str(err.value)
    assert [x.ref for x in case_record.letters(session, "m-def")] == ["l-a"]
