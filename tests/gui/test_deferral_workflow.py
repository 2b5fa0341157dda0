"""Acceptance, workflow 2 of issue 17: a deferral request from an empty matter, in the window only.

A new client and deferral matter (removal date set) through the File menu; three files
dropped on the Documents tab; one attached by dragging it onto its checklist item, one
through the Attach… chooser, one found by the tag typed in its details; the request
drafted (DRAFT on every page, the removal date, the evidence under each ground with the
tab it will have); the "signed" request dropped on its item; pre-flight clean; build;
the PDF read back with pypdf and pdftotext. Only the OS file dialogs are stubbed.
"""

from __future__ import annotations

import calendar
import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pypdf
import pytest
from gui_helpers import drop_on_documents, press_ok, unlock, wait_idle
from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from clinic_app.gui import file_dialogs
from clinic_app.pdf.demo_pages import fictional_pdf

REMOVAL = date.today() + timedelta(days=23)
EVIDENCE = {  # file name -> (title printed on its pages, text that marks each of its pages)
    "medical.pdf": ("Report of Dr. Fictional", "EVIDENCE-MEDICAL"),
    "receipt.pdf": ("Acknowledgment of receipt", "EVIDENCE-RECEIPT"),
    "direction.pdf": ("Direction to report", "EVIDENCE-DIRECTION"),
}


def _long_date(d: date) -> str:
    return f"{d.day} {calendar.month_name[d.month]} {d.year}"


def _visible(kind):  # type: ignore[no-untyped-def]
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)


def _dialog(qtbot, kind):  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: _visible(kind) is not None, timeout=5000)
    return _visible(kind)


def _row_of(tab, item_id: str) -> int:  # type: ignore[no-untyped-def]
    return next(r for r, e in enumerate(tab.checklist.entries) if e.item.id == item_id)


def _drop_on_row(tab, row: int, mime) -> None:  # type: ignore[no-untyped-def]
    """What a person's drop on that row delivers to the checklist."""
    table = tab.table
    table.scrollToItem(table.item(row, 0))
    rect = table.visualItemRect(table.item(row, 0))
    event = QDropEvent(rect.center(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    table.dropEvent(event)
    assert event.isAccepted()


def _pdftotext(path: Path) -> list[str]:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return out.stdout.split("\f")[:-1]


def _new_client_and_matter(qtbot, window) -> str:  # type: ignore[no-untyped-def]
    from clinic_app.gui.dialogs.client_form import ClientForm
    from clinic_app.gui.dialogs.matter_form import MatterForm

    window.action_map["new_client"].trigger()
    form = _dialog(qtbot, ClientForm)
    form.name.setText("Rosa Fictitia Example")
    form.uci.setText("1111-2222")
    form.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=10000)
    window.action_map["new_matter"].trigger()
    matter = _dialog(qtbot, MatterForm)
    qtbot.waitUntil(lambda: matter.client.count() == 1, timeout=5000)
    matter.type.setCurrentIndex(matter.type.findData("deferral"))
    matter.title.setText("Deferral of removal")
    matter.counsel.setText("Me Fictional Counsel")
    from clinic_app.domain.matter import KeyDate

    matter.dates[KeyDate.REMOVAL].setText(REMOVAL.isoformat())
    matter.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: window.desk.current_workspace() is not None, timeout=10000)
    return window.desk.current_workspace().ref


def test_deferral_request_from_an_empty_matter(qtbot, make_window, new_vault, tmp_path: Path, monkeypatch) -> None:
    folder, _key = new_vault()
    window = make_window(folder)
    unlock(qtbot, window)
    ref = _new_client_and_matter(qtbot, window)

    # three files dropped on the Documents tab
    files = tmp_path / "scans"
    files.mkdir()
    for name, (title, marker) in EVIDENCE.items():
        (files / name).write_bytes(fictional_pdf(title, [f"{marker} page {n}" for n in (1, 2)], pages=2))
    docs = drop_on_documents(qtbot, window, [files / n for n in EVIDENCE], matter_ref=ref)
    qtbot.waitUntil(lambda: docs.model.rowCount() == 3, timeout=60000)
    wait_idle(qtbot, window)
    by_file = {docs.model.row(r)["original_filename"]: docs.model.row(r) for r in range(3)}
    refs = {name: by_file[name]["ref"] for name in EVIDENCE}

    # the receipt is found by the tag typed in its details
    receipt_row = next(r for r in range(3) if docs.model.row(r)["ref"] == refs["receipt.pdf"])
    docs.table.selectRow(receipt_row)
    docs.tags.setText("hc_receipt")
    docs.save_button.click()
    qtbot.waitUntil(lambda: "saved" in docs.detail_message.text(), timeout=10000)

    ws = window.desk.current_workspace()
    tab = ws.packages
    ws.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.checklist is not None and refs["receipt.pdf"] in
                    tab.checklist.entry("pending").documents, timeout=15000)
    assert "Request for deferral of removal" in tab.readiness.text()

    # the medical report dragged from the matter's documents onto "Medical and psychological evidence"
    qtbot.waitUntil(lambda: tab.source.count() == 3, timeout=5000)
    source = next(tab.source.item(i) for i in range(3)
                  if tab.source.item(i).data(Qt.ItemDataRole.UserRole) == refs["medical.pdf"])
    _drop_on_row(tab, _row_of(tab, "medical"), tab.source.mimeData([source]))
    qtbot.waitUntil(lambda: refs["medical.pdf"] in tab.checklist.entry("medical").documents, timeout=15000)

    # the direction through Attach…: the chooser offers removal directions first (none yet), then all
    tab.table.selectRow(_row_of(tab, "removal_direction"))
    tab.items.attach_button.click()
    chooser = tab.items.chooser
    assert chooser is not None and chooser.isVisible() and chooser.list.count() == 0
    chooser.show_all.setChecked(True)
    assert chooser.list.count() == 3
    chooser.list.setCurrentRow(next(i for i in range(3) if refs["direction.pdf"] in chooser.list.item(i).text()))
    press_ok(chooser)
    qtbot.waitUntil(lambda: refs["direction.pdf"] in tab.checklist.entry("removal_direction").documents,
                    timeout=15000)

    # draft the request: the menu offers it; the save dialog is the only thing stubbed
    draft = tmp_path / "out" / "request-draft.pdf"
    draft.parent.mkdir()
    monkeypatch.setattr(file_dialogs, "save_file", lambda *_a, **_k: str(draft))
    action = next(a for a in tab.items.draft_menu.actions() if a.data() == "deferral_request")
    action.trigger()
    qtbot.waitUntil(draft.exists, timeout=30000)
    wait_idle(qtbot, window)
    assert tab.open_button.isEnabled() and tab.result_path == draft
    reader = pypdf.PdfReader(draft)
    pages = [" ".join((p.extract_text() or "").split()) for p in reader.pages]
    assert all("DRAFT" in p for p in pages), pages
    text = " ".join(pages)
    assert _long_date(REMOVAL) in text and "Me Fictional Counsel" in text
    medical, pending = text.index("Medical grounds"), text.index("Pending applications")
    children = text.index("Best interests of the child")
    # the request will be tab 1, the direction tab 2, the medical report tab 3, the receipt tab 4:
    # the draft cites each piece of evidence under its ground with the tab it will have
    assert re.search(r"\b3 " + re.escape(by_file["medical.pdf"]["title"]), text[medical:pending]), text
    assert re.search(r"\b4 " + re.escape(by_file["receipt.pdf"]["title"]), text[pending:children]), text

    # "sign" it: the text of the draft, without its DRAFT banner, as the scan a lawyer would return
    signed = tmp_path / "signed-request.pdf"
    lines = [line for page in reader.pages for line in (page.extract_text() or "").splitlines()
             if line.strip() and "DRAFT" not in line and "filed as it is" not in line]
    signed.write_bytes(fictional_pdf("Request to defer removal (signed)", lines + ["Signed: Me Fictional Counsel"],
                                     pages=1))
    files_mime = QMimeData()
    files_mime.setUrls([QUrl.fromLocalFile(str(signed))])
    _drop_on_row(tab, _row_of(tab, "request"), files_mime)
    qtbot.waitUntil(lambda: bool(tab.checklist.entry("request").documents), timeout=60000)
    wait_idle(qtbot, window)
    assert tab.readiness.text().startswith("Every required item is filled")

    # pre-flight passes
    tab.check_button.click()
    qtbot.waitUntil(lambda: tab.problems.count() > 0, timeout=10000)
    wait_idle(qtbot, window)
    problems = [tab.problems.item(i).text() for i in range(tab.problems.count())]
    assert not [p for p in problems if p.startswith("Error")], problems

    # build (not forced)
    out = tmp_path / "out" / "deferral.pdf"
    monkeypatch.setattr(file_dialogs, "save_file", lambda *_a, **_k: str(out))
    assert not tab.force.isChecked()
    tab.build_button.click()
    qtbot.waitUntil(lambda: "Package built" in tab.note.text(), timeout=60000)
    assert tab.result_path == out

    texts = _pdftotext(out)
    reader = pypdf.PdfReader(out)
    assert len(texts) == len(reader.pages)
    whole = "\n".join(texts)
    assert _long_date(REMOVAL) in " ".join(whole.split())
    assert "not ready to file" not in whole  # a real filing, not a forced draft
    for _name, (_title, marker) in EVIDENCE.items():
        pages_with = [i for i, t in enumerate(texts) if marker in t]
        assert len(pages_with) == 2, (marker, pages_with)  # both pages of each file are in
        for i in pages_with:
            assert marker in (reader.pages[i].extract_text() or "")
    medical_page = next(i for i, t in enumerate(texts) if "EVIDENCE-MEDICAL page 1" in t)
    assert "Tab 3" in texts[medical_page]  # the tab the draft cited
