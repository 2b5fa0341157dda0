"""Issue 18 in the window, through its widgets on a real vault: the correspondence log (add,
edit, delete), the matter's decision maker, an affidavit's exhibits set in the bundle editor
(and recorded for filing packages), and the applicant's affidavit drafted from the package view
with its exhibits listed."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from gui_helpers import in_vault as _in_vault
from gui_helpers import press_ok as _ok
from gui_helpers import unlock, wait_idle
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from support import ADMIN, ADMIN_PASS


@pytest.fixture(autouse=True)
def _answers(monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)


@pytest.fixture
def stay_vault(new_vault) -> Path:
    """A stay motion: a sworn affidavit, a refused deferral and a removal direction."""
    from clinic_app.domain.client import Client
    from clinic_app.domain.document import DocumentCategory, DocumentMeta
    from clinic_app.domain.matter import Matter, MatterType
    from clinic_app.pdf.demo_pages import fictional_pdf
    from clinic_app.services import case_record, evidence
    from clinic_app.services.session import unlock as open_vault

    folder, _key = new_vault()
    with open_vault(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-001", legal_name="Ana Ruiz"))
        case_record.save_matter(s, Matter(ref="m-001", client_ref="c-001", type=MatterType.STAY_MOTION,
                                          title="Stay"))
        for ref, title, category, tags in (
                ("d-001", "Affidavit of Ana Ruiz", DocumentCategory.LEGAL, ("affidavit",)),
                ("d-002", "Refusal to defer removal", DocumentCategory.DECISION, ("deferral_refusal",)),
                ("d-003", "Direction to report", DocumentCategory.REMOVAL_DIRECTION, ())):
            evidence.store_document(s, io.BytesIO(fictional_pdf(title, [title])),
                                    DocumentMeta(ref=ref, title=title, category=category, tags=tags, page_count=1),
                                    ["m-001"], original_filename=f"{ref}.pdf")
    return folder


def test_correspondence_log_and_decision_maker(qtbot, make_window, stay_vault: Path) -> None:
    from clinic_app.gui.dialogs.matter_form import MatterForm
    from clinic_app.services import case_record, correspondence

    window = make_window(stay_vault)
    unlock(qtbot, window)
    window.open_matter("m-001")
    ws = window.desk.current_workspace()
    log = ws.correspondence
    ws.setCurrentWidget(log)
    qtbot.waitUntil(lambda: len(log.documents) == 3, timeout=10000)
    dialog = log.add()
    dialog.date.setText("2026-02-30")
    dialog.party.setText("CBSA Inland Enforcement")
    dialog.subject.setText("Request to defer removal")
    _ok(dialog)
    assert dialog.isVisible() and dialog.error.text().startswith("Date")  # named as the dialog labels it
    dialog.date.setText("2026-11-02")
    dialog.document.setCurrentIndex(dialog.document.findData("d-002"))
    dialog.direction.setCurrentIndex(dialog.direction.findData("received"))
    _ok(dialog)
    qtbot.waitUntil(lambda: log.table.rowCount() == 1, timeout=10000)
    assert log.table.item(0, 1).text() == "Received" and "d-002" in log.table.item(0, 4).text()
    log.table.selectRow(0)
    dialog = log.edit_selected()
    dialog.subject.setText("Refusal to defer removal")
    _ok(dialog)
    qtbot.waitUntil(lambda: log.table.rowCount() == 1 and log.table.item(0, 3).text() == "Refusal to defer removal",
                    timeout=10000)
    (entry,) = _in_vault(qtbot, window, lambda s: correspondence.entries(s, "m-001"))
    assert (entry.subject, entry.document_ref, entry.direction.value) == ("Refusal to defer removal", "d-002",
                                                                        "received")
    log.table.selectRow(0)
    log.delete_button.click()
    qtbot.waitUntil(lambda: log.table.rowCount() == 0, timeout=10000)
    assert _in_vault(qtbot, window, lambda s: correspondence.entries(s, "m-001")) == []

    ws.setCurrentWidget(ws.overview)
    ws.overview.edit_matter.click()  # the overview's "Edit matter…"
    form = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MatterForm) and w.isVisible())
    qtbot.waitUntil(lambda: form.client.count() == 1, timeout=5000)
    assert form.decision_maker.currentData() == ""
    form.decision_maker.setCurrentIndex(form.decision_maker.findData("cbsa"))
    form.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    wait_idle(qtbot, window)
    saved = _in_vault(qtbot, window, lambda s: case_record.get_matter(s, "m-001"))
    assert saved.decision_maker is not None and saved.decision_maker.value == "cbsa"


def test_exhibits_in_the_bundle_editor_and_the_drafted_affidavit(qtbot, make_window, stay_vault: Path,
                                                                 tmp_path: Path) -> None:
    from clinic_app.services import bundles, correspondence

    window = make_window(stay_vault)
    unlock(qtbot, window)
    window.open_matter("m-001")
    ws = window.desk.current_workspace()
    tab = ws.bundles
    ws.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: len(tab.documents) == 3, timeout=10000)
    editor = tab.editor
    editor.create("Motion record", documents=["d-001"])
    qtbot.waitUntil(lambda: tab.tabs.count() == 1, timeout=10000)
    tab.tabs.setCurrentRow(0)
    assert editor.exhibits_button.isEnabled()
    dialog = editor.exhibits()
    for ref in ("d-003", "d-002"):
        dialog.choice.setCurrentIndex(dialog.choice.findData(ref))
        dialog.add_button.click()
    dialog.exhibits.setCurrentRow(1)
    dialog.up_button.click()  # the refusal first: Exhibit A
    _ok(dialog)
    assert dialog.isVisible() and "swore" in dialog.error.text()  # no deponent yet
    dialog.deponent.setText("Ana Ruiz")
    dialog.sworn.setText("2026-11-05")
    dialog.remember.setChecked(True)
    _ok(dialog)
    qtbot.waitUntil(lambda: "exhibits set" in tab.note.text(), timeout=10000)
    wait_idle(qtbot, window)
    tab.save_button.click()
    wait_idle(qtbot, window)
    _matter, spec = _in_vault(qtbot, window, lambda s: bundles.load_project(s, "b-001"))
    (affidavit,) = spec.sections[0].tabs
    assert [(p.document_id, p.role) for p in affidavit.parts] == [("d-001", "document"), ("d-002", "exhibit"),
                                                                  ("d-003", "exhibit")]
    assert affidavit.deponent == "Ana Ruiz" and affidavit.sworn.isoformat() == "2026-11-05"
    assert _in_vault(qtbot, window, lambda s: correspondence.exhibits_of(s, "d-001")) == ["d-002", "d-003"]

    packages = ws.packages
    ws.setCurrentWidget(packages)
    qtbot.waitUntil(lambda: packages.checklist is not None, timeout=10000)
    kinds = [a.data() for a in packages.items.draft_menu.actions()]
    assert "applicant_affidavit" in kinds
    out = tmp_path / "affidavit-draft.pdf"
    packages.items.write_draft("applicant_affidavit", out)
    qtbot.waitUntil(lambda: out.exists() and packages.items.draft_path == out, timeout=20000)
    text = " ".join(" ".join(p.extract_text() or "" for p in pypdf.PdfReader(out).pages).split())
    assert "Exhibit \u201cA\u201d is a true copy of Refusal to defer removal" in text
    assert "Exhibit \u201cB\u201d is a true copy of Direction to report" in text
