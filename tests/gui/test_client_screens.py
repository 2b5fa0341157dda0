"""The client form's contacts and relatives tabs, and deleting a client for good, on a real vault."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gui_helpers import MARKER, marker_visible, unlock, wait_idle
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit
from support import ADMIN, ADMIN_PASS, PASSES


def _run(qtbot, window, work) -> Any:  # type: ignore[no-untyped-def]
    """Run a service call on the window's vault thread (the GUI may not touch the session)."""
    from clinic_app.gui.tasks import Op

    op = Op(window.runner, work).run()
    qtbot.waitUntil(lambda: op.done, timeout=10000)
    if op.error is not None:
        return op.error
    return op.result


def _client(qtbot, window, ref: str = "c-001") -> Any:
    from clinic_app.services.case_record import get_client

    return _run(qtbot, window, lambda job: get_client(job.session, ref))


def _open_form(qtbot, window, ref: str = "c-001"):  # type: ignore[no-untyped-def]
    from clinic_app.gui.dialogs.client_form import ClientForm

    window.desk.home.edit_client(ref)
    qtbot.waitUntil(lambda: any(isinstance(w, ClientForm) and w.isVisible() for w in QApplication.topLevelWidgets()),
                    timeout=5000)
    form = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ClientForm) and w.isVisible())
    form.activateWindow()  # offscreen does not activate a new dialog; a desktop does (editors need it)
    qtbot.waitUntil(form.isActiveWindow, timeout=5000)
    return form


def _editor(table, row: int, column: int):  # type: ignore[no-untyped-def]
    editor = table.indexWidget(table.model().index(row, column))
    assert editor is not None, "no editor open on that cell"
    return editor


def _type(table, row: int, column: int, text: str) -> None:
    """F2 on the current cell, type, Enter: what a keyboard user does."""
    assert (table.currentRow(), table.currentColumn()) == (row, column)
    QTest.keyClick(table, Qt.Key.Key_F2)
    editor = _editor(table, row, column)
    assert isinstance(editor, QLineEdit)
    QTest.keyClicks(editor, text)
    _enter(editor)


def _choose(table, row: int, column: int, steps: int) -> None:
    """In the combo editor the Add button opened, go `steps` down and commit with Enter."""
    combo = _editor(table, row, column)
    assert isinstance(combo, QComboBox)
    for _ in range(steps):
        QTest.keyClick(combo, Qt.Key.Key_Down)
    _enter(combo)


def _enter(editor) -> None:  # type: ignore[no-untyped-def]
    """Enter commits through a queued call: let it run, as it does between a person's keystrokes."""
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()


def _right(table, times: int = 1) -> None:
    for _ in range(times):
        QTest.keyClick(table, Qt.Key.Key_Right)


def _save(qtbot, form) -> None:  # type: ignore[no-untyped-def]
    form.buttons.button(form.buttons.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=10000)


def test_contacts_and_relatives_are_edited_saved_undone_and_removed(qtbot, make_window, marked_vault: Path) -> None:
    from clinic_app.domain.client import ContactKind

    window = make_window(marked_vault)
    unlock(qtbot, window)
    form = _open_form(qtbot, window)
    assert [form.tabs.tabText(i) for i in range(3)] == ["&Identity", "C&ontacts", "&Relatives"]
    form.tabs.setCurrentWidget(form.contacts)
    contacts = form.contacts
    table = contacts.table
    assert table.rowCount() == 0 and not contacts.remove_button.isEnabled()
    contacts.add_button.click()  # opens the kind combo at once
    _choose(table, 0, 0, 1)  # address -> phone
    _right(table)
    _type(table, 0, 1, "+1 514 555 0100")
    _right(table)
    QTest.keyClick(table, Qt.Key.Key_Space)  # safe to contact
    contacts.add_button.click()
    _choose(table, 1, 0, 2)  # address -> email
    _right(table)
    _type(table, 1, 1, "ana@example.org")
    _right(table)
    QTest.keyClick(table, Qt.Key.Key_Space)  # safe to contact, then...
    _right(table)
    QTest.keyClick(table, Qt.Key.Key_Space)  # ...do not contact: unticks "safe" (they exclude each other)
    assert table.item(1, 2).checkState() == Qt.CheckState.Unchecked
    assert table.item(1, 3).checkState() == Qt.CheckState.Checked
    _right(table)
    _type(table, 1, 4, "shared with her brother")
    form.tabs.setCurrentWidget(form.relatives)
    relatives = form.relatives
    relatives.add_button.click()  # opens the name cell at once
    QTest.keyClicks(_editor(relatives.table, 0, 0), "Rosa Example")
    _enter(_editor(relatives.table, 0, 0))
    _right(relatives.table)
    _type(relatives.table, 0, 1, "sister")
    _right(relatives.table, 2)
    _type(relatives.table, 0, 3, "Honduras")
    _right(relatives.table, 2)
    QTest.keyClick(relatives.table, Qt.Key.Key_Space)  # in the country of origin
    assert "stay out of every generated document" in relatives.note.text()
    _right(relatives.table)
    QTest.keyClick(relatives.table, Qt.Key.Key_Space)  # include in outputs: warned...
    assert "still in the country of origin" in relatives.note.text()
    QTest.keyClick(relatives.table, Qt.Key.Key_Space)  # ...and untick it again
    assert "stay out of every generated document" in relatives.note.text()
    _save(qtbot, form)
    wait_idle(qtbot, window)
    saved = _client(qtbot, window)
    assert [(c.kind, c.value, c.safe_to_contact, c.do_not_contact, c.note) for c in saved.contacts] == [
        (ContactKind.PHONE, "+1 514 555 0100", True, False, ""),
        (ContactKind.EMAIL, "ana@example.org", False, True, "shared with her brother"),
    ]
    assert [(r.name, r.relationship, r.country, r.in_country_of_origin, r.include_in_outputs)
            for r in saved.relatives] == [("Rosa Example", "sister", "Honduras", True, False)]
    assert saved.legal_name == f"Ana {MARKER}" and saved.narrative == f"story {MARKER}"  # the rest is kept

    # one save, one undo step, covering contacts and relatives alike
    assert window.undo.count() == 1 and window.undo.undoText() == "Edit client c-001"
    window.undo.undo()
    wait_idle(qtbot, window)
    undone = _client(qtbot, window)
    assert undone.contacts == () and undone.relatives == ()
    window.undo.redo()
    wait_idle(qtbot, window)
    assert len(_client(qtbot, window).contacts) == 2

    form = _open_form(qtbot, window)
    table = form.contacts.table
    assert [table.item(r, 1).text() for r in range(table.rowCount())] == ["+1 514 555 0100", "ana@example.org"]
    assert table.item(0, 0).text() == "Phone" and form.relatives.table.item(0, 0).text() == "Rosa Example"
    table.setCurrentCell(0, 1)
    form.contacts.remove_button.click()
    assert table.rowCount() == 1
    _save(qtbot, form)
    wait_idle(qtbot, window)
    after = _client(qtbot, window)
    assert [c.value for c in after.contacts] == ["ana@example.org"] and after.contacts[0].do_not_contact
    assert [r.name for r in after.relatives] == ["Rosa Example"]


def test_a_bad_contact_or_relative_is_shown_at_its_cell_and_nothing_is_saved(qtbot, make_window,
                                                                          marked_vault: Path) -> None:
    from clinic_app.gui.widgets.client_people import PROBLEM_BACKGROUND

    window = make_window(marked_vault)
    unlock(qtbot, window)
    form = _open_form(qtbot, window)
    assert form.tabs.currentWidget() is form.identity
    form.tabs.setCurrentWidget(form.relatives)
    form.birth.setText("1990-13-01")
    form.save()
    assert "not a date" in form.error.text()
    assert form.tabs.currentWidget() is form.identity and QApplication.focusWidget() is form.birth
    form.birth.clear()
    table = form.contacts.table
    form.tabs.setCurrentWidget(form.contacts)
    form.contacts.add_button.click()
    _choose(table, 0, 0, 2)  # email
    _right(table)
    _type(table, 0, 1, "ana-at-example")
    form.tabs.setCurrentWidget(form.identity)
    form.save()
    assert form.isVisible()
    assert "Contact 1, Address, phone or email: not an email address" in form.error.text()
    assert form.tabs.currentWidget() is form.contacts  # the form shows where the problem is
    assert (table.currentRow(), table.currentColumn()) == (0, 1)
    assert table.item(0, 1).background().color() == PROBLEM_BACKGROUND
    assert table.item(0, 1).toolTip() == "not an email address"
    table.item(0, 1).setText("ana@example.org")
    relatives = form.relatives.table
    form.tabs.setCurrentWidget(form.relatives)
    form.relatives.add_button.click()
    _enter(_editor(relatives, 0, 0))  # leave the name empty...
    _right(relatives)
    _type(relatives, 0, 1, "brother")  # ...but fill in the relationship
    form.tabs.setCurrentWidget(form.identity)
    form.save()
    assert "Relative 1, Name: is required" in form.error.text()
    assert form.tabs.currentWidget() is form.relatives and relatives.currentColumn() == 0
    assert table.item(0, 1).toolTip() == ""  # the fixed contact is no longer marked
    wait_idle(qtbot, window)
    assert _client(qtbot, window).contacts == ()  # nothing reached the vault
    form.relatives.remove_button.click()
    _save(qtbot, form)
    wait_idle(qtbot, window)
    assert [c.value for c in _client(qtbot, window).contacts] == ["ana@example.org"]


def test_delete_a_client_after_typing_its_ref(qtbot, make_window, marked_vault: Path) -> None:
    from clinic_app.errors import NotFound
    from clinic_app.gui.dialogs.client_form import ClientForm
    from clinic_app.gui.dialogs.delete_client import DeleteClientDialog
    from clinic_app.services.records import listing

    window = make_window(marked_vault)
    unlock(qtbot, window)
    window.open_matter("m-001")
    wait_idle(qtbot, window)
    ws = window.desk.current_workspace()
    assert [w.ref for w in window.desk.workspaces()] == ["m-001"]
    qtbot.waitUntil(lambda: window.desk.home.recent.count() == 1, timeout=5000)
    ws.overview.edit_client.click()
    form = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ClientForm) and w.isVisible())
    form.country.setText("Honduras")
    _save(qtbot, form)
    wait_idle(qtbot, window)
    assert window.undo.count() == 1  # an undo step that would save the client back
    ws.overview.edit_client.click()
    form = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ClientForm) and w.isVisible())
    assert form.country.text() == "Honduras"
    assert form.delete_button is not None and form.delete_button.text() == "Delete client…"
    form.delete_button.click()
    qtbot.waitUntil(lambda: form.delete_dialog is not None and form.delete_dialog.isVisible(), timeout=5000)
    dialog: DeleteClientDialog = form.delete_dialog
    lines = [dialog.contents.item(i).text() for i in range(dialog.contents.count())]
    assert lines == ["Matters: m-001", "Documents: 1", "Support letters: 1", "Bundle projects: 0"]
    texts = " ".join(w.text() for w in dialog.findChildren(type(form.error)))
    assert "cannot be undone" in texts and "Backups made before now still hold" in texts
    assert not dialog.delete_button.isEnabled()
    QTest.keyClicks(dialog.typed, "c-00")
    assert not dialog.delete_button.isEnabled()
    QTest.keyClick(dialog.typed, Qt.Key.Key_Return)  # Enter does nothing until the ref is typed
    assert not dialog.progress.isVisible()
    assert [w.ref for w in window.desk.workspaces()] == ["m-001"]
    QTest.keyClicks(dialog.typed, "1")
    assert dialog.delete_button.isEnabled()
    progress: list[int] = []
    dialog.progress.valueChanged.connect(progress.append)
    with qtbot.waitSignal(form.deleted, timeout=30000) as deleted:
        dialog.delete_button.click()
        assert window.desk.workspaces() == []  # the open matter tab closed
    assert deleted.args == ["c-001"]
    wait_idle(qtbot, window)
    assert progress and progress[-1] == 2  # the deletion reported its steps
    assert window.desk.workspaces() == [] and window.desk.count() == 1
    assert window.desk.home.recent.count() == 0
    assert "Deleted client c-001" in window.statusBar().currentMessage()
    assert window.undo.count() == 0
    assert window.presenter.last == ""  # no error popped up (e.g. a closed tab reloading)
    assert isinstance(_client(qtbot, window), NotFound)
    for kind in ("clients", "matters", "documents", "letters"):
        assert _run(qtbot, window, lambda job, k=kind: listing(job.session, k).rows) == [], kind
    qtbot.waitUntil(lambda: window.desk.home.model.rows == [], timeout=5000)
    assert not marker_visible()  # no widget kept the deleted client's text


def test_staff_cannot_delete_clients(qtbot, make_window, marked_vault: Path) -> None:
    from clinic_app.domain.roles import Role
    from clinic_app.services.session import unlock as open_vault
    from clinic_app.services.users import add_user

    with open_vault(marked_vault, user=ADMIN, passphrase=ADMIN_PASS) as admin:
        add_user(admin, "staff", Role.STAFF, PASSES["staff"])
    window = make_window(marked_vault)
    unlock(qtbot, window, "staff", PASSES["staff"])
    form = _open_form(qtbot, window)
    assert form.delete_button is None
    assert form.contacts.add_button.isEnabled()  # staff still edit contacts and relatives
