"""Pre-flight: refuses while a required item is missing, lists problems, --force builds;
stored item statuses and attachments; drafts never count; roles."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import timedelta

import pytest

from clinic_app.domain.document import DocumentCategory, DocumentMeta
from clinic_app.domain.letter import LetterStatus
from clinic_app.domain.packages import ItemStatus, PackageNotReady
from clinic_app.domain.translation import TranslationLink
from clinic_app.errors import PermissionDenied, ValidationError
from clinic_app.services import case_record, evidence, packages
from clinic_app.vault import audit

from .seed import TODAY, d, marker_pdf


def _store(session, ref: str, title: str, matter: str, *, tags=(), category=DocumentCategory.OTHER,  # type: ignore[no-untyped-def]
           lang: str = "en") -> None:
    meta = DocumentMeta(ref=ref, title=title, category=category, tags=tags, language=lang, doc_date=d(-3))
    evidence.store_document(session, io.BytesIO(marker_pdf(ref)), meta, [matter])


def _codes(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.code for p in report.problems]


def test_complete_fixture_is_ready(fresh) -> None:
    session = fresh("hc_application")
    report = packages.preflight(session, "m-hc", "hc_application", today=TODAY)
    assert report.ready and report.errors == []
    assert "letter_not_ready" in _codes(report)  # l-hc-pend is only "received"
    assert report.checklist.entry("imm5476").required  # counsel acts: IMM 5476 is required


def test_missing_required_item_refuses_then_force_builds(fresh, tmp_path, readback) -> None:
    session = fresh("hc_application", without=("d-hc-imm5283",))
    conn = session.vault.conn
    report = packages.preflight(session, "m-hc", "hc_application", today=TODAY)
    assert not report.ready
    missing = [p for p in report.errors if p.code == "missing_item"]
    assert [p.item for p in missing] == ["imm5283"]
    assert "IMM 5283" in missing[0].message and "does not fill official forms" in missing[0].message
    out = tmp_path / "hc.pdf"
    with pytest.raises(PackageNotReady) as refused:
        packages.build_package(session, "m-hc", "hc_application", out, today=TODAY)
    assert "IMM 5283" in str(refused.value) and "1 problem" in str(refused.value)
    assert not out.exists() and list(tmp_path.glob(".haven-tmp*")) == []
    built = packages.build_package(session, "m-hc", "hc_application", out, today=TODAY, force=True)
    assert built.forced and any(p.code == "missing_item" for p in built.problems)
    assert "MARK-d-hc-imm0008-p1" in readback(out).all_text()
    last = [e for e in audit.entries(conn) if e.action == "package_built"][-1]
    assert last.detail["forced"] is True and last.detail["errors"] == 1


def test_a_draft_never_satisfies_a_signed_item(fresh) -> None:
    session = fresh("fc_record", without=("d-fc-aff",))
    _store(session, "d-fc-aff-draft", "Affidavit (draft)", "m-fc", tags=("affidavit", "draft"))
    packages.attach_document(session, "m-fc", "fc_record", "affidavit", "d-fc-aff-draft")
    report = packages.preflight(session, "m-fc", "fc_record", today=TODAY)
    assert [p.item for p in report.errors if p.code == "missing_item"] == ["affidavit"]
    assert "signed or sworn" in report.errors[0].message
    assert "draft_attached" in _codes(report)
    _store(session, "d-memo-draft", "Memorandum (draft)", "m-fc", tags=("memorandum", "draft"))
    report = packages.preflight(session, "m-fc", "fc_record", today=TODAY)
    assert [p.ref for p in report.problems if p.code == "draft_left_out"] == ["d-memo-draft"]
    assert report.checklist.entry("memorandum").documents == ("d-fc-memo",)
    _store(session, "d-fc-aff-signed", "Affidavit (sworn)", "m-fc")
    packages.attach_document(session, "m-fc", "fc_record", "affidavit", "d-fc-aff-signed")
    assert packages.preflight(session, "m-fc", "fc_record", today=TODAY).ready


def test_attachments_and_statuses_are_stored_per_matter(fresh) -> None:
    session = fresh("stca_exception")
    entry = packages.checklist(session, "m-stca", "stca_exception").entry("cohabitation")
    assert (entry.status, entry.stored, entry.satisfied) == (ItemStatus.MISSING, False, False)
    packages.set_item_status(session, "m-stca", "stca_exception", "cohabitation", "requested",
                             note="asked the client on Monday")
    entry = packages.checklist(session, "m-stca", "stca_exception").entry("cohabitation")
    assert (entry.status, entry.stored, entry.note) == (ItemStatus.REQUESTED, True, "asked the client on Monday")
    _store(session, "d-lease", "Joint lease", "m-stca")
    packages.attach_document(session, "m-stca", "stca_exception", "cohabitation", "d-lease")
    entry = packages.checklist(session, "m-stca", "stca_exception").entry("cohabitation")
    assert entry.documents == ("d-lease",) and entry.satisfied
    packages.clear_item_status(session, "m-stca", "stca_exception", "cohabitation")
    entry = packages.checklist(session, "m-stca", "stca_exception").entry("cohabitation")
    assert (entry.status, entry.stored) == (ItemStatus.READY, False)
    packages.detach_document(session, "m-stca", "stca_exception", "cohabitation", "d-lease")
    assert packages.checklist(session, "m-stca", "stca_exception").entry("other").documents == ("d-lease",)
    with pytest.raises(ValidationError, match="no checklist item"):
        packages.set_item_status(session, "m-stca", "stca_exception", "nope", "ready")
    with pytest.raises(ValidationError):
        packages.set_item_status(session, "m-stca", "stca_exception", "cohabitation", "done")
    actions = [e.action for e in audit.entries(session.vault.conn)]
    assert actions.count("package_item_updated") == 2 and "package_document_attached" in actions


def test_marked_ready_without_a_document_is_flagged(fresh) -> None:
    session = fresh("stca_exception")
    packages.set_item_status(session, "m-stca", "stca_exception", "cohabitation", ItemStatus.READY)
    report = packages.preflight(session, "m-stca", "stca_exception", today=TODAY)
    assert "marked_ready_empty" in _codes(report)


def test_untranslated_and_undeclared_documents(fresh) -> None:
    session = fresh("rpd_disclosure", "hc_application")
    _store(session, "d-es", "Denuncia", "m-rpd", category=DocumentCategory.POLICE, lang="es")
    report = packages.preflight(session, "m-rpd", "rpd_disclosure", today=TODAY)
    untranslated = [p for p in report.errors if p.code == "untranslated"]
    assert [p.ref for p in untranslated] == ["d-es"] and not report.ready
    _store(session, "d-es-en", "Police complaint (translation)", "m-rpd", category=DocumentCategory.TRANSLATION)
    case_record.link_translation(session, TranslationLink("d-es", "d-es-en"))
    report = packages.preflight(session, "m-rpd", "rpd_disclosure", today=TODAY)
    assert [(p.code, p.severity) for p in report.problems if p.ref == "d-es"] == [("no_declaration", "error")]
    _store(session, "d-hc-es", "Carta", "m-hc", category=DocumentCategory.TAX, lang="es")
    _store(session, "d-hc-es-en", "Letter (translation)", "m-hc", category=DocumentCategory.TRANSLATION)
    case_record.link_translation(session, TranslationLink("d-hc-es", "d-hc-es-en"))
    report = packages.preflight(session, "m-hc", "hc_application", today=TODAY)
    assert [(p.code, p.severity) for p in report.problems if p.ref == "d-hc-es"] == [("no_declaration", "warning")]
    assert "affidavit" in next(p.message for p in report.problems if p.ref == "d-hc-es")
    assert report.ready


def test_deadline_passed_is_listed_but_does_not_block(fresh, tmp_path) -> None:
    session = fresh("rpd_disclosure")
    matter = case_record.get_matter(session, "m-rpd")
    case_record.save_matter(session, replace(matter, dates=replace(matter.dates, hearing=TODAY + timedelta(days=5))))
    report = packages.preflight(session, "m-rpd", "rpd_disclosure", today=TODAY)
    passed = [p for p in report.problems if p.code == "deadline_passed"]
    assert len(passed) == 1 and "r. 34(3)(a)" in passed[0].message and passed[0].severity == "warning"
    assert report.ready
    later = packages.preflight(session, "m-rpd", "rpd_disclosure", today=TODAY - timedelta(days=30))
    assert "deadline_passed" not in _codes(later)
    built = packages.build_package(session, "m-rpd", "rpd_disclosure", tmp_path / "late.pdf", today=TODAY)
    assert "deadline_passed" in [p.code for p in built.problems]


def test_letters_not_ready_are_left_out(fresh, tmp_path, readback) -> None:
    session = fresh("rpd_disclosure")
    letter = case_record.letters(session, "m-rpd")[0]
    case_record.save_letter(session, replace(letter, status=LetterStatus.REVIEWED))
    report = packages.preflight(session, "m-rpd", "rpd_disclosure", today=TODAY)
    assert [p.ref for p in report.problems if p.code == "letter_not_ready"] == ["l-rpd-1"]
    built = packages.build_package(session, "m-rpd", "rpd_disclosure", tmp_path / "p.pdf", today=TODAY)
    assert "MARK-d-rpd-l1" not in readback(built.files[0]).all_text()
    assert "MARK-d-rpd-police" in readback(built.files[0]).all_text()


def test_wrong_matter_type_and_dependent_items(fresh) -> None:
    session = fresh("rad_record")
    report = packages.preflight(session, "m-rad", "stay_motion", today=TODAY)
    assert "wrong_matter_type" in _codes(report) and not report.ready
    assert not packages.checklist(session, "m-rad", "rad_record").entry("transcriber_declaration").required
    _store(session, "d-transcript", "Transcript", "m-rad", tags=("transcript",))
    report = packages.preflight(session, "m-rad", "rad_record", today=TODAY)
    assert [p.item for p in report.errors] == ["transcriber_declaration"]


def test_volunteers_cannot_build_and_staff_can(fresh, role_sessions, tmp_path) -> None:
    fresh("prra_submissions", open_session=False)
    with role_sessions("volunteer") as volunteer:
        with pytest.raises(PermissionDenied):
            packages.build_package(volunteer, "m-prra", "prra_submissions", tmp_path / "v.pdf", today=TODAY)
        with pytest.raises(PermissionDenied):
            packages.preflight(volunteer, "m-prra", "prra_submissions", today=TODAY)
        with pytest.raises(PermissionDenied):
            packages.set_item_status(volunteer, "m-prra", "prra_submissions", "submissions", "ready")
    assert not (tmp_path / "v.pdf").exists()
    with role_sessions("staff") as staff:
        built = packages.build_package(staff, "m-prra", "prra_submissions", tmp_path / "s.pdf", today=TODAY)
    assert built.files[0].is_file() and built.pages > 3


def test_cancel_leaves_no_output_and_progress_names_no_client(fresh, tmp_path) -> None:
    from clinic_app.domain.progress import CancelToken
    from clinic_app.errors import Cancelled

    session = fresh("stca_exception")
    labels: list[str] = []
    token = CancelToken()

    def progress(done: int, total: int, label: str) -> None:
        labels.append(label)
        if done >= 3 and total > 3:
            token.cancel()

    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(Cancelled):
        packages.build_package(session, "m-stca", "stca_exception", out / "c.pdf", today=TODAY,
                               progress=progress, cancel=token)
    assert sorted(p.name for p in out.iterdir()) == []
    assert len(labels) >= 3 and not any("Li" in label.split() or "Wei" in label for label in labels)
    assert "package_built" not in [e.action for e in audit.entries(session.vault.conn)]
