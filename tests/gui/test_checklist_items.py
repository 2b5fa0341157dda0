"""The window's checklist and letter actions beyond the deferral workflow: a letter's scan linked
and unlinked from the letter list, a document attached and detached on an H&C item, the drafts
the H&C package offers."""

from __future__ import annotations

from pathlib import Path

from gui_helpers import press_ok, unlock, wait_idle
from PySide6.QtCore import Qt
from PySide6.QtGui import QDropEvent


def _packages(qtbot, window):  # type: ignore[no-untyped-def]
    window.open_matter("m-001")
    ws = window.desk.current_workspace()
    ws.setCurrentWidget(ws.packages)
    qtbot.waitUntil(lambda: ws.packages.checklist is not None and ws.packages.source.count() == 1, timeout=10000)
    return ws.packages


def test_scan_of_a_letter_is_linked_and_unlinked_in_the_letter_list(qtbot, make_window, marked_vault: Path) -> None:
    window = make_window(marked_vault)
    unlock(qtbot, window)
    window.open_matter("m-001")
    ws = window.desk.current_workspace()
    letters = ws.letters
    ws.setCurrentWidget(letters)
    qtbot.waitUntil(lambda: letters.model.rowCount() == 1 and letters.scans.documents != [], timeout=10000)
    scan_column = next(c for c in range(letters.model.columnCount()) if
                       letters.model.headerData(c, Qt.Orientation.Horizontal) == "Scanned letter")
    assert letters.model.index(0, scan_column).data() == ""
    letters.table.selectRow(0)
    letters.scans.button.click()
    chooser = letters.scans.chooser
    assert chooser is not None and chooser.isVisible()
    assert chooser.list.count() == 0 and chooser.clear_button is None  # no support letter yet; nothing to unlink
    chooser.show_all.setChecked(True)
    chooser.list.setCurrentRow(0)
    press_ok(chooser)
    qtbot.waitUntil(lambda: letters.model.index(0, scan_column).data() == "d-001", timeout=10000)
    assert "d-001 linked" in letters.message.text()

    letters.table.selectRow(0)
    letters.scans.button.click()
    chooser = letters.scans.chooser
    assert chooser.clear_button is not None
    chooser.clear_button.click()
    qtbot.waitUntil(lambda: letters.model.index(0, scan_column).data() == "", timeout=10000)


def test_attach_by_drop_then_detach_and_the_hc_drafts(qtbot, make_window, marked_vault: Path) -> None:
    from clinic_app.gui.widgets.document_drag import DOCUMENT_MIME

    window = make_window(marked_vault)
    unlock(qtbot, window)
    tab = _packages(qtbot, window)
    assert [a.data() for a in tab.items.draft_menu.actions()] == ["hc_submissions", "translator_affidavit"]
    row = next(r for r, e in enumerate(tab.checklist.entries) if e.item.id == "imm5283")
    assert "IMM 5283" in tab.readiness.toolTip() and tab.readiness.text().startswith("10 required items missing")
    rect = tab.table.visualItemRect(tab.table.item(row, 0))
    mime = tab.source.mimeData([tab.source.item(0)])  # what dragging d-001 from the list carries (kept alive)
    assert bytes(mime.data(DOCUMENT_MIME).data()) == b"d-001"
    event = QDropEvent(rect.center(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    tab.table.dropEvent(event)
    assert event.isAccepted()
    qtbot.waitUntil(lambda: tab.checklist.entry("imm5283").attached == ("d-001",), timeout=10000)
    assert "IMM 5283" not in tab.readiness.toolTip() and tab.readiness.text().startswith("9 required items missing")
    tab.table.selectRow(row)
    tab.items.detach_menu.aboutToShow.emit()
    (take_off,) = tab.items.detach_menu.actions()
    assert "d-001" in take_off.text()
    take_off.trigger()
    qtbot.waitUntil(lambda: tab.checklist.entry("imm5283").attached == (), timeout=10000)
    wait_idle(qtbot, window)
    assert "Taken off" in tab.note.text()

    # the cover letter is written by Haven: nothing can be attached to it
    generated = next(r for r, e in enumerate(tab.checklist.entries) if e.item.id == "cover_letter")
    tab.table.selectRow(generated)
    assert tab.items.choose_for_selected() is None and "nothing can be attached" in tab.note.text()

