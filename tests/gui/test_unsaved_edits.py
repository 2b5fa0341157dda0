"""A support letter typed and not saved, or a bundle edit not saved, is never thrown away
without asking: a new letter (Ctrl+Shift+L), another letter opened from the list, closing the
matter (Ctrl+F4, the tab's ×) and switching the language all ask first, and Cancel keeps it.
Driven through the real window on a real vault."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_helpers import MARKER, activate, bundles_page, unlock, wait_idle
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QTabBar

from support import ADMIN, ADMIN_PASS

WRITER = "Soeur Marguerite of Eglise St-Jean"
QUOTE = "They have been the heart of our parish food bank for three years."


class Answers:
    """Stands in for QMessageBox.question: records each question and gives the next answer."""

    def __init__(self) -> None:
        self.next = QMessageBox.StandardButton.Cancel
        self.asked: list[tuple[str, str, QMessageBox.StandardButton, QMessageBox.StandardButton]] = []

    def __call__(self, _parent, title, text, buttons, default):  # type: ignore[no-untyped-def]
        self.asked.append((title, text, buttons, default))
        return self.next


@pytest.fixture
def answers(monkeypatch) -> Answers:
    found = Answers()
    monkeypatch.setattr(QMessageBox, "question", found)
    return found


@pytest.fixture
def two_letters(marked_vault: Path) -> Path:
    """The marked vault with a second letter in m-001, and a two-section bundle there."""
    from clinic_app.domain.bundle import BundleSpec, DocumentPart, Section, Tab
    from clinic_app.domain.letter import SupportLetter
    from clinic_app.services import bundles, case_record
    from clinic_app.services.session import unlock as open_vault

    with open_vault(marked_vault, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_letter(s, SupportLetter(ref="l-002", matter_ref="m-001", writer="Pastor Dumont"))
        bundles.save_project(s, "b-001", "m-001", BundleSpec("Disclosure", sections=[
            Section("Evidence", [Tab("Report 1", parts=[DocumentPart("d-001", pages="1")]),
                                 Tab("Report 2", parts=[DocumentPart("d-001", pages="2")])]),
            Section("Letters", [])]))
    return marked_vault


def _type_a_letter(qtbot, window):  # type: ignore[no-untyped-def]
    """Open m-001's support letters and type a new letter without saving it."""
    window.open_matter("m-001")
    wait_idle(qtbot, window)
    ws = window.desk.current_workspace()
    ws.setCurrentWidget(ws.letters)
    qtbot.waitUntil(lambda: ws.letters.model.rowCount() == 2, timeout=5000)
    activate(qtbot, window)
    form = ws.letters.form
    form.writer.setFocus()
    QTest.keyClicks(form.writer, WRITER)
    QTest.keyClicks(form.quote, QUOTE)
    assert ws.letters.has_unsaved()
    return ws, form


def _still_typed(form) -> bool:  # type: ignore[no-untyped-def]
    return form.writer.text() == WRITER and form.quote.text() == QUOTE and form.editing is None


def _press(qtbot, window, key: Qt.Key, shift: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+key (Ctrl+Shift+key) on the window, as a person presses it."""
    activate(qtbot, window)
    modifiers = Qt.KeyboardModifier.ControlModifier
    if shift:
        modifiers |= Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(window, key, modifiers)


def _open_refs(window) -> list[str]:  # type: ignore[no-untyped-def]
    return [ws.ref for ws in window.desk.workspaces()]


def test_ctrl_shift_l_asks_before_blanking_a_typed_letter(qtbot, make_window, two_letters: Path,
                                                          answers: Answers) -> None:
    window = make_window(two_letters)
    unlock(qtbot, window)
    ws, form = _type_a_letter(qtbot, window)
    ws.setCurrentWidget(ws.overview)
    _press(qtbot, window, Qt.Key.Key_L, shift=True)  # Support letters
    assert ws.currentWidget() is ws.letters  # the letters are shown all the same
    (title, text, buttons, default), = answers.asked
    assert title == "Unsaved letter" and "not saved" in text
    assert buttons & QMessageBox.StandardButton.Save and buttons & QMessageBox.StandardButton.Discard
    assert default == QMessageBox.StandardButton.Cancel  # Enter keeps the letter
    assert _still_typed(form) and ws.letters.has_unsaved()

    answers.next = QMessageBox.StandardButton.Discard  # asked again, and this time it goes
    _press(qtbot, window, Qt.Key.Key_L, shift=True)  # Support letters
    assert len(answers.asked) == 2
    assert form.writer.text() == "" and form.quote.text() == "" and not ws.letters.has_unsaved()

    # a blank form is replaced without a question
    _press(qtbot, window, Qt.Key.Key_L, shift=True)  # Support letters
    assert len(answers.asked) == 2


def test_opening_another_letter_asks_and_save_keeps_the_typed_one(qtbot, make_window, two_letters: Path,
                                                                  answers: Answers) -> None:
    window = make_window(two_letters)
    unlock(qtbot, window)
    ws, form = _type_a_letter(qtbot, window)
    table = ws.letters.table
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))  # l-001
    QTest.keyClick(table, Qt.Key.Key_Return)
    (_title, text, buttons, _default), = answers.asked
    assert "l-001" in text and buttons & QMessageBox.StandardButton.Save
    assert _still_typed(form)  # Cancel: the typed letter stays

    # Save, with a date that is not one: nothing is replaced, the reason shows
    form.letter_date.setText("yesterday")
    answers.next = QMessageBox.StandardButton.Save
    table.setFocus()
    QTest.keyClick(table, Qt.Key.Key_Return)
    assert form.writer.text() == WRITER and form.editing is None and ws.letters.message.text()

    # Save with a valid letter: it goes to the vault and l-001 opens
    form.letter_date.setText("2026-01-15")
    table.setFocus()
    QTest.keyClick(table, Qt.Key.Key_Return)
    assert form.editing is not None and form.editing.ref == "l-001" and form.writer.text() == f"Writer {MARKER}"
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: ws.letters.model.rowCount() == 3, timeout=5000)
    writers = [ws.letters.model.row(r).writer for r in range(ws.letters.model.rowCount())]
    assert WRITER in writers

    # Discard: the next letter replaces the one being edited only when asked for
    QTest.keyClicks(form.writer, " (edited)")
    answers.next = QMessageBox.StandardButton.Discard
    table.setFocus()
    table.setCurrentIndex(table.model().index(1, 0))  # l-002
    QTest.keyClick(table, Qt.Key.Key_Return)
    assert len(answers.asked) == 4 and form.editing.ref == "l-002" and form.writer.text() == "Pastor Dumont"


def test_closing_the_matter_asks_about_a_typed_letter(qtbot, make_window, two_letters: Path,
                                                      answers: Answers) -> None:
    window = make_window(two_letters)
    unlock(qtbot, window)
    ws, form = _type_a_letter(qtbot, window)
    _press(qtbot, window, Qt.Key.Key_F4)  # Close matter
    (title, text, buttons, default), = answers.asked
    assert "m-001" in title and "Discard them and close the matter?" in text
    assert buttons & QMessageBox.StandardButton.Discard and default == QMessageBox.StandardButton.Cancel
    assert _open_refs(window) == ["m-001"] and _still_typed(form)

    # the tab's × asks the same way
    bar = window.desk.tabBar()
    index = window.desk.indexOf(ws)
    close_button = bar.tabButton(index, QTabBar.ButtonPosition.RightSide) \
        or bar.tabButton(index, QTabBar.ButtonPosition.LeftSide)
    close_button.click()
    assert len(answers.asked) == 2 and _open_refs(window) == ["m-001"] and _still_typed(form)

    answers.next = QMessageBox.StandardButton.Discard
    _press(qtbot, window, Qt.Key.Key_F4)
    assert len(answers.asked) == 3 and _open_refs(window) == []

    # a matter with nothing unsaved closes without a question
    window.open_matter("m-001")
    wait_idle(qtbot, window)
    _press(qtbot, window, Qt.Key.Key_F4)
    assert len(answers.asked) == 3 and _open_refs(window) == []


def test_closing_the_matter_asks_about_an_unsaved_bundle_edit(qtbot, make_window, two_letters: Path,
                                                              answers: Answers) -> None:
    window = make_window(two_letters)
    unlock(qtbot, window)
    tab = bundles_page(window)
    qtbot.waitUntil(lambda: tab.tabs.count() == 2, timeout=5000)
    wait_idle(qtbot, window)
    tab.tabs.setCurrentRow(0)
    tab.move_target.setCurrentIndex(1)
    tab.move_button.click()  # Report 1 into Letters: not saved yet
    assert tab.has_unsaved()
    _press(qtbot, window, Qt.Key.Key_F4)
    assert len(answers.asked) == 1 and _open_refs(window) == ["m-001"] and tab.has_unsaved()
    tab.save_button.click()  # saved: the matter closes without a question
    wait_idle(qtbot, window)
    assert not tab.has_unsaved()
    _press(qtbot, window, Qt.Key.Key_F4)
    assert len(answers.asked) == 1 and _open_refs(window) == []


def test_switching_language_asks_about_a_typed_letter(qtbot, make_window, two_letters: Path,
                                                      answers: Answers) -> None:
    from clinic_app.gui.application import apply_language
    from clinic_app.gui.dialogs.settings_dialog import SettingsDialog

    window = make_window(two_letters)
    unlock(qtbot, window)
    _ws, form = _type_a_letter(qtbot, window)
    before = window.settings.language

    def choose_french() -> None:
        window.action_map["settings"].trigger()
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, SettingsDialog) and w.isVisible())
        dialog.language.setCurrentIndex(dialog.language.findData("fr"))
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
        wait_idle(qtbot, window)

    try:
        choose_french()
        (title, text, buttons, _default), = answers.asked
        assert "Discard them and switch the language?" in text
        assert window.settings.language == before  # Cancel: no new language, the letter stays
        assert window.desk.current_workspace().letters.form is form and _still_typed(form)
        assert "not changed" in window.statusBar().currentMessage()
        assert window.action_map["lock"].text() == "&Lock"

        answers.next = QMessageBox.StandardButton.Discard
        choose_french()
        assert len(answers.asked) == 2 and window.settings.language == "fr"
        qtbot.waitUntil(lambda: window.desk.current_workspace() is not None, timeout=5000)
        assert window.desk.current_workspace().letters.form.writer.text() == ""
        assert window.action_map["lock"].text() != "&Lock"  # rebuilt in French
    finally:
        apply_language("en")
