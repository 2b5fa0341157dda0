"""The letters tab's "Support for each H&C factor" table: per factor, the documents and letters
that support it and what is still missing, refreshed as letters are saved."""

from __future__ import annotations

from pathlib import Path

from gui_helpers import unlock, wait_idle
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest


def _row(model, label: str) -> list[str]:  # type: ignore[no-untyped-def]
    for r in range(model.rowCount()):
        if model.data(model.index(r, 0)) == label:
            return [model.data(model.index(r, c)) for c in range(model.columnCount())]
    raise AssertionError(label)


def test_the_letters_tab_shows_each_factors_support_and_follows_a_saved_letter(qtbot, make_window,
                                                                               marked_vault: Path) -> None:
    window = make_window(marked_vault)
    unlock(qtbot, window)
    window.open_matter("m-001")
    ws = window.desk.current_workspace()
    ws.setCurrentWidget(ws.letters)
    letters = ws.letters
    factors = letters.factors
    qtbot.waitUntil(lambda: factors.rowCount() == 5, timeout=10000)
    assert letters.factor_table.isVisibleTo(window) and letters.factor_table.model() is factors
    assert [factors.headerData(c, Qt.Orientation.Horizontal) for c in range(factors.columnCount())] == [
        "H&C factor", "Documents", "Letters ready", "Letters pending", "Still missing"]
    assert _row(factors, "Family ties")[3] == "" and _row(factors, "Establishment in Canada")[4]

    letters.form.reset()  # a new letter, typed as a volunteer would
    QTest.keyClicks(letters.form.writer, "Rosa Paz")
    QTest.keyClicks(letters.form.themes, "family")
    QTest.keyClick(letters.form.themes, Qt.Key.Key_Return)  # Enter saves the letter
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: _row(factors, "Family ties")[3] != "", timeout=10000)
    saved = [x for x in letters.model.rows if x.writer == "Rosa Paz"]
    assert len(saved) == 1 and _row(factors, "Family ties")[3] == saved[0].ref
    assert _row(factors, "Family ties")[2] == ""  # requested, not yet ready to file
