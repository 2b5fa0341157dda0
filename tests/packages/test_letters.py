"""The support-letter workflow: one step at a time, translation before "ready to file",
completeness per H&C factor, letters chosen by theme, volunteers' rights."""

from __future__ import annotations

from dataclasses import replace

import pytest

from clinic_app.domain.document import HcFactor
from clinic_app.domain.letter import (
    LetterStatus, SupportLetter, TranslationStatus, allowed_transitions, readiness_problems,
)
from clinic_app.errors import PermissionDenied, ValidationError
from clinic_app.services import case_record, letters_workflow, packages
from clinic_app.vault import audit

from .seed import TODAY


def test_letters_move_one_step_at_a_time(fresh) -> None:
    session = fresh("hc_application")
    pending = letters_workflow.get_letter(session, "l-hc-pend").status
    assert sorted(allowed_transitions(pending), key=list(LetterStatus).index) == [LetterStatus.REQUESTED,
                                                                                 LetterStatus.REVIEWED]
    with pytest.raises(ValidationError, match="cannot move"):
        letters_workflow.move_letter(session, "l-hc-pend", LetterStatus.READY_TO_FILE)
    letters_workflow.move_letter(session, "l-hc-pend", "reviewed")
    letters_workflow.move_letter(session, "l-hc-pend", LetterStatus.READY_TO_FILE)
    assert letters_workflow.get_letter(session, "l-hc-pend").status is LetterStatus.READY_TO_FILE
    statuses = [e.detail.get("status") for e in audit.entries(session.vault.conn) if e.target.startswith("letter:")]
    assert statuses[-2:] == ["reviewed", "ready_to_file"]
    report = packages.preflight(session, "m-hc", "hc_application", today=TODAY)
    assert "letter_not_ready" not in [p.code for p in report.problems]
    assert "l-hc-pend" in report.checklist.entry("letters").letters


def test_a_letter_waiting_for_translation_cannot_be_ready(fresh) -> None:
    session = fresh("hc_application")
    case_record.save_letter(session, SupportLetter(
        ref="l-es", matter_ref="m-hc", writer="Rosa", language="es", themes=("family",),
        translation_status=TranslationStatus.IN_PROGRESS, status=LetterStatus.REVIEWED))
    waiting = letters_workflow.get_letter(session, "l-es")
    assert readiness_problems(waiting) and waiting.status is LetterStatus.REVIEWED
    with pytest.raises(ValidationError, match="translation"):
        letters_workflow.move_letter(session, "l-es", LetterStatus.READY_TO_FILE)


def test_completeness_per_factor(fresh) -> None:
    session = fresh("hc_application")
    view = {f.factor: f for f in letters_workflow.factor_completeness(session, "m-hc").factors}
    est = view[HcFactor.ESTABLISHMENT]
    assert est.documents == ("d-hc-noa",) and est.letters_ready == ("l-hc-emp",)
    assert est.letters_pending == ("l-hc-pend",)
    assert est.missing == ("Employment or pay records",)
    assert view[HcFactor.HEALTH].documents == ("d-hc-psych",)
    assert view[HcFactor.HEALTH].missing == ("Medical reports",)
    assert view[HcFactor.FAMILY_TIES].letters_ready == ("l-hc-fam",)
    assert view[HcFactor.BEST_INTERESTS_CHILD].supported and not view[HcFactor.BEST_INTERESTS_CHILD].missing
    assert [f.factor for f in letters_workflow.factor_completeness(session, "m-hc").factors] == list(HcFactor)


def test_letters_selected_by_theme(fresh, tmp_path, readback) -> None:
    session = fresh("hc_application")
    def chosen(themes: list[str] | None) -> list[str]:
        listed = packages.checklist(session, "m-hc", "hc_application", letter_themes=themes)
        return sorted(ref for entry in listed.entries for ref in entry.letters)

    assert chosen(["Family"]) == ["l-hc-fam"]
    assert chosen(None) == ["l-hc-emp", "l-hc-fam"]
    built = packages.build_package(session, "m-hc", "hc_application", tmp_path / "f.pdf", today=TODAY,
                                   letter_themes=["family"])
    text = readback(built.files[0]).all_text()
    assert "MARK-d-hc-l2" in text and "MARK-d-hc-l1" not in text
    assert [p.ref for p in built.problems if p.code == "letter_not_selected"] == ["l-hc-emp"]


def test_volunteers_work_letters_but_see_no_documents(fresh, role_sessions, tmp_path) -> None:
    fresh("hc_application", open_session=False)
    with role_sessions("volunteer") as volunteer:
        with pytest.raises(PermissionDenied):  # reviewing is for staff and lawyers (guide, chapter 5)
            letters_workflow.move_letter(volunteer, "l-hc-pend", "reviewed")
        assert letters_workflow.status_choices(volunteer, "l-hc-pend") == [LetterStatus.REQUESTED,
                                                                            LetterStatus.RECEIVED]
        letters_workflow.move_letter(volunteer, "l-hc-pend", "requested")
        view = letters_workflow.factor_completeness(volunteer, "m-hc")
        assert not view.documents_visible
        assert all(f.documents == () for f in view.factors)
        assert view.factors[0].letters_ready == ("l-hc-emp",)
        path = letters_workflow.write_guidance_sheet(volunteer, "es", tmp_path / "guia.pdf")
        assert path.read_bytes().startswith(b"%PDF")
        with pytest.raises(PermissionDenied):
            packages.render_document(volunteer, "m-hc", "hc_submissions", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_roles_decide_who_reviews_and_files_and_saves_go_one_step(fresh, role_sessions) -> None:
    fresh("hc_application", open_session=False)  # l-hc-pend is "received"
    base = SupportLetter(ref="l-new", matter_ref="m-hc", writer="Fictional Neighbour")
    with role_sessions("volunteer") as volunteer:
        with pytest.raises(PermissionDenied):  # not even created already reviewed
            case_record.save_letter(volunteer, replace(base, status=LetterStatus.REVIEWED))
        case_record.save_letter(volunteer, base)
        assert letters_workflow.status_choices(volunteer, None) == [LetterStatus.REQUESTED, LetterStatus.RECEIVED]
    with role_sessions("staff") as staff:
        letters_workflow.move_letter(staff, "l-hc-pend", "reviewed")
        with pytest.raises(PermissionDenied):  # ready to file is the lawyers' step
            letters_workflow.move_letter(staff, "l-hc-pend", "ready_to_file")
        letter = letters_workflow.get_letter(staff, "l-new")
        with pytest.raises(ValidationError, match="cannot move"):  # a save, too, goes one step at a time
            case_record.save_letter(staff, replace(letter, status=LetterStatus.REVIEWED))
    with role_sessions("lawyer") as lawyer:
        letters_workflow.move_letter(lawyer, "l-hc-pend", "ready_to_file")
    with role_sessions("volunteer") as volunteer, pytest.raises(PermissionDenied):  # nor edit a filed letter
        letters_workflow.move_letter(volunteer, "l-hc-pend", "reviewed")
