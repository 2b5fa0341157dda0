"""The matter workspace's letter-writer guide, bundle service, supplementary bundles and
moving tabs between sections, through the window on a real vault."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pypdf
import pypdfium2 as pdfium
import pytest
from gui_helpers import MARKER, activate, bundles_page, unlock, wait_idle
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView

from support import ADMIN, ADMIN_PASS

from clinic_app.gui import file_dialogs


@pytest.fixture(autouse=True)
def _discard_on_close(monkeypatch) -> None:
    """A test that fails with edits pending must fail, not wait for an answer to "discard?"
    when pytest-qt closes the window."""
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Discard)


def _seed_bundle(folder: Path) -> None:
    """b-001 in two sections: Evidence (Report 1, Report 2) and Letters (Report 3)."""
    from clinic_app.domain.bundle import BundleSpec, DocumentPart, Section, Tab
    from clinic_app.services import bundles
    from clinic_app.services.session import unlock as open_vault

    evidence = [Tab("Report 1", parts=[DocumentPart("d-001", pages="1")]),
                Tab("Report 2", parts=[DocumentPart("d-001")])]
    letters = [Tab("Report 3", parts=[DocumentPart("d-001", pages="2")])]
    with open_vault(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        bundles.save_project(s, "b-001", "m-001", BundleSpec("Disclosure", sections=[Section("Evidence", evidence),
                                                                                     Section("Letters", letters)]))


def _in_vault(qtbot, window, fn) -> Any:  # type: ignore[no-untyped-def]
    """Run a service call on the window's vault thread (the vault is open there) and return its result."""
    from clinic_app.gui.tasks import Op

    op = Op(window.runner, lambda job: fn(job.session)).run()
    qtbot.waitUntil(lambda: op.done, timeout=10000)
    assert op.error is None, op.error
    return op.result


def _bundles_page(qtbot, make_window, folder: Path):  # type: ignore[no-untyped-def]
    window = make_window(folder)
    unlock(qtbot, window)
    tab = bundles_page(window)
    qtbot.waitUntil(lambda: tab.tabs.count() == 3, timeout=5000)
    return window, tab


def _texts(tab) -> list[str]:  # type: ignore[no-untyped-def]
    """The tab list's lines, without the isolates around each title (test_bidi_isolation.py)."""
    return [tab.tabs.item(i).text().replace("\u2068", "").replace("\u2069", "") for i in range(tab.tabs.count())]


def test_guidance_sheet_in_french(qtbot, make_window, marked_vault: Path, tmp_path: Path, monkeypatch) -> None:
    asked: list[str] = []
    out = tmp_path / "guide.pdf"

    def save_as(_parent, _caption, default, _filter):  # type: ignore[no-untyped-def]
        asked.append(default)
        return str(out)

    opened: list[str] = []
    monkeypatch.setattr(file_dialogs, "save_file", save_as)
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    window = make_window(marked_vault)
    unlock(qtbot, window)
    window.open_matter("m-001")
    wait_idle(qtbot, window)
    tab = window.desk.current_workspace().letters
    assert not tab.open_guidance.isEnabled()
    french = next(a for a in tab.guidance_menu.actions() if a.data() == "fr")
    assert french.text() == "French"
    french.trigger()
    qtbot.waitUntil(tab.open_guidance.isEnabled, timeout=10000)
    assert [Path(a).name for a in asked] == ["letter-writer-guidance-fr.pdf"] and MARKER not in asked[0]
    assert Path(asked[0]).is_absolute()  # in Documents (or the last folder used), not the working folder
    assert str(out) in tab.message.text() and str(out) in window.statusBar().currentMessage()
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(out).pages)
    assert "Veuillez indiquer" in text and "Please include" not in text
    assert MARKER not in text
    tab.open_guidance.click()
    assert opened == [str(out)]


def test_serve_log_frozen_list_and_supplementary(qtbot, make_window, marked_vault: Path, tmp_path: Path,
                                                 monkeypatch) -> None:
    from clinic_app.gui.pages import bundles as bundles_page
    from clinic_app.services import bundles

    _seed_bundle(marked_vault)
    window, tab = _bundles_page(qtbot, make_window, marked_vault)
    assert tab.serve_button.isEnabled() and not tab.statement_button.isEnabled()
    assert not tab.supplement_button.isEnabled() and not tab.frozen.isVisible()
    assert tab.mark_served() is None  # nothing built yet: nothing to record
    assert "Build the bundle first" in tab.note.text()

    out = tmp_path / "out" / "bundle.pdf"
    out.parent.mkdir()
    op = tab.build(out)
    qtbot.waitUntil(lambda: op.done, timeout=30000)
    assert op.error is None, op.error
    statement = tmp_path / "statement.pdf"
    monkeypatch.setattr(file_dialogs, "save_file", lambda *_a: str(statement))
    dialog = tab.mark_served()
    assert dialog is not None and dialog.isVisible()
    assert dialog.served_on.text() == date.today().isoformat()
    assert dialog.save() is None and "on whom" in dialog.error.text()  # nobody named: not recorded
    assert dialog.focusWidget() is dialog.served_to  # the cursor goes to what must be fixed
    QTest.keyClicks(dialog.served_to, "Minister's counsel")
    dialog.method.setCurrentText("email")
    dialog.choose_statement_path()
    assert dialog.write_statement.isChecked() and dialog.statement_path.text() == str(statement)
    op = dialog.save()
    qtbot.waitUntil(lambda: op.done, timeout=15000)
    assert op.error is None, op.error
    qtbot.waitUntil(lambda: not dialog.isVisible() and len(tab.log_model.rows) == 1, timeout=10000)

    entry = tab.log_model.rows[0]
    row = [tab.log_model.data(tab.log_model.index(0, c)) for c in range(tab.log_model.columnCount())]
    assert row[:4] == ["b-001", date.today().isoformat(), "Minister's counsel", "email"]
    assert row[4] == f"{entry.first_page}–{entry.last_page}" and entry.last_page > entry.first_page
    reader = pypdf.PdfReader(statement)
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Statement of service" in text and "Minister's counsel" in text
    assert f"{entry.first_page}" in text and f"{entry.last_page}" in text
    wait_idle(qtbot, window)  # PDFium is not thread-safe: no preview may be drawing meanwhile
    doc = pdfium.PdfDocument(statement.read_bytes())
    try:
        assert len(doc) == len(reader.pages) >= 1
        page = doc[0].get_textpage()
        assert "Minister's counsel" in page.get_text_range(0, page.count_chars())
    finally:
        doc.close()
    assert str(statement) in tab.note.text() and tab.open_button.text() == "Open the statement of service"

    # the served bundle's list is read-only, with a note that says why
    assert tab.frozen.isVisible() and "read-only" in tab.frozen.text() and "Minister's counsel" in tab.frozen.text()
    assert tab.tabs.dragDropMode() == QAbstractItemView.DragDropMode.NoDragDrop
    assert tab.ranges.isReadOnly() and not tab.save_button.isEnabled() and not tab.move_button.isEnabled()
    editor = tab.editor  # no editing of a served bundle: only a new one can be started
    assert editor.new_button.isEnabled() and not editor.add_documents_button.isEnabled()
    assert not editor.remove_button.isEnabled() and not editor.settings_button.isEnabled()
    before = _texts(tab)
    tab.tabs.setCurrentRow(0)
    assert tab.move_to(1) is False and _texts(tab) == before and not tab.has_unsaved()
    assert tab.statement_button.isEnabled() and tab.supplement_button.isEnabled()

    # a supplementary bundle continues after the served pages and is selected
    monkeypatch.setattr(bundles_page.QInputDialog, "getText", lambda *_a, **_k: ("Supplementary disclosure", True))
    tab.supplement_button.click()
    qtbot.waitUntil(lambda: tab.current_ref() == "b-002", timeout=10000)
    wait_idle(qtbot, window)
    assert tab.tabs.count() == 0 and not tab.frozen.isVisible() and tab.save_button.isEnabled()
    assert tab.tabs.dragDropMode() == QAbstractItemView.DragDropMode.InternalMove
    matter_ref, supp = _in_vault(qtbot, window, lambda s: bundles.load_project(s, "b-002"))
    assert matter_ref == "m-001" and supp.title == "Supplementary disclosure"
    assert supp.settings.first_page_number == entry.last_page + 1
    assert supp.settings.first_tab_number == 4  # three tabs were served
    log = _in_vault(qtbot, window, lambda s: bundles.service_log(s, "m-001"))
    assert [(e.bundle_ref, e.served_to, e.method) for e in log] == [("b-001", "Minister's counsel", "email")]


def test_move_tabs_between_sections_save_and_reload(qtbot, make_window, marked_vault: Path) -> None:
    from clinic_app.services import bundles

    _seed_bundle(marked_vault)
    window, tab = _bundles_page(qtbot, make_window, marked_vault)
    assert [tab.move_target.itemText(i) for i in range(tab.move_target.count())] == ["A – Evidence", "B – Letters"]
    model = tab.tabs.model()
    model.moveRow(model.index(1, 0).parent(), 1, model.index(0, 0).parent(), 0)  # a drag: Report 2 first
    assert tab.has_unsaved()
    tab.tabs.setCurrentRow(2)
    assert tab.move_target.currentIndex() == 1  # shows the section the tab is in
    tab.move_target.setCurrentIndex(0)
    tab.move_button.click()  # Report 3 to the end of Evidence, after the dragged order
    assert _texts(tab) == ["1. Report 2  (all pages)", "2. Report 1  (1)", "3. Report 3  (2)"]
    assert tab.tabs.currentRow() == 2 and "Save the order" in tab.note.text()
    activate(qtbot, window)
    tab.tabs.setCurrentRow(0)
    tab.tabs.setFocus()
    QTest.keyClick(tab.tabs, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier)
    assert _texts(tab) == ["1. Report 1  (1)", "2. Report 3  (2)", "3. Report 2  (all pages)"]
    assert tab.tabs.currentRow() == 2 and tab.move_target.currentIndex() == 1  # Report 2 now opens Letters
    tab.save()
    wait_idle(qtbot, window)
    assert tab.note.text() == "Bundle saved." and not tab.has_unsaved()
    _matter, spec = _in_vault(qtbot, window, lambda s: bundles.load_project(s, "b-001"))
    assert [[t.title for t in s.tabs] for s in spec.sections] == [["Report 1", "Report 3"], ["Report 2"]]
    assert spec.sections[0].tabs[1].parts[0].pages == "2"  # the range travelled with its tab
    tab.specs.clear()
    tab.reload()
    wait_idle(qtbot, window)
    assert _texts(tab) == ["1. Report 1  (1)", "2. Report 3  (2)", "3. Report 2  (all pages)"]


@pytest.mark.parametrize("served_on, message", [("2020-02-30", "YYYY-MM-DD"), ("2999-01-01", "future")])
def test_serve_dialog_refuses_bad_dates(qtbot, make_window, marked_vault: Path, served_on: str,
                                        message: str) -> None:
    from clinic_app.gui.dialogs.serve_bundle import ServeBundleDialog

    window = make_window(marked_vault)
    unlock(qtbot, window)
    dialog = ServeBundleDialog(window.desk.ctx, "b-001", object(), window)
    qtbot.addWidget(dialog)
    dialog.served_to.setText("Tribunal registry")
    dialog.served_on.setText(served_on)
    assert dialog.save() is None
    assert message in dialog.error.text() and window.runner.pending == 0  # nothing reached the vault
    dialog.served_on.setText(date.today().isoformat())
    dialog.write_statement.setChecked(True)
    assert dialog.save() is None and "statement" in dialog.error.text()
