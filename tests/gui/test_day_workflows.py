"""A lawyer's and a volunteer's day in the real window (issue 17, acceptance workflows 1, 3, 4, 5).

Each test drives the window only through its widgets and real key events, on a real
vault; the vault is prepared beforehand and read back afterwards with the command line.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from gui_helpers import activate, unlock, wait_idle
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QInputDialog
from support import ADMIN, ADMIN_PASS, PASSES, run_cli


@pytest.fixture
def day_vault(new_vault) -> Path:
    """Ana Lucía Reyes Mejía with a refugee claim whose Basis of Claim is overdue, and a volunteer."""
    from clinic_app.domain.client import Client
    from clinic_app.domain.matter import KeyDates, Matter, MatterType
    from clinic_app.domain.roles import Role
    from clinic_app.services import case_record
    from clinic_app.services.session import unlock as open_vault
    from clinic_app.services.users import add_user

    folder, _key = new_vault()
    today = date.today()
    with open_vault(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-001", legal_name="Ana Lucía Reyes Mejía"))
        case_record.save_matter(s, Matter(ref="m-001", client_ref="c-001", type=MatterType.RPD_CLAIM,
                                          title="Refugee claim",
                                          dates=KeyDates(referral=today - timedelta(days=40),
                                                         hearing=today + timedelta(days=60))))
        add_user(s, "volunteer", Role.VOLUNTEER, PASSES["volunteer"])
    return folder


def _dialog(qtbot, kind):  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: any(isinstance(w, kind) and w.isVisible() for w in QApplication.topLevelWidgets()),
                    timeout=10000)
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible())


def _audit(folder: Path, *actions: str) -> list[dict]:
    """The audit rows of those actions, read back with `clinic-app audit` (the window is locked)."""
    done = run_cli("--vault", str(folder), "--user", ADMIN, "--passphrase-stdin", "audit", "--json",
                   stdin=ADMIN_PASS + "\n")
    assert done.returncode == 0, done.stderr
    return [row for row in json.loads(done.stdout) if row["action"] in actions]


def _lock_with_keys(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    activate(qtbot, window)
    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.desk is None, timeout=10000)
    wait_idle(qtbot, window)


def _new_client(qtbot, window, name: str):  # type: ignore[no-untyped-def]
    from clinic_app.gui.dialogs.client_form import ClientForm
    from clinic_app.gui.dialogs.conflicts import ConflictDialog

    QTest.mouseClick(window.desk.home.new_client_button, Qt.MouseButton.LeftButton)
    form = _dialog(qtbot, ClientForm)
    QTest.keyClicks(form.name, name)
    QTest.mouseClick(form.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    warning = _dialog(qtbot, ConflictDialog)
    similar = [warning.table.item(r, 1).text() for r in range(warning.table.rowCount())]
    assert "Ana Lucía Reyes Mejía" in similar
    return form, warning


def _search(qtbot, window, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    home = window.desk.home
    home.search.clear()
    QTest.keyClicks(home.search, text)
    qtbot.wait(300)  # the search waits 150 ms for more typing
    wait_idle(qtbot, window)
    return sorted(r.ref for r in home.model.rows if r.kind == "client")


def test_1_near_duplicate_client_warns_then_go_back_or_save_anyway(qtbot, make_window, day_vault: Path) -> None:
    window = make_window(day_vault)
    unlock(qtbot, window)
    form, warning = _new_client(qtbot, window, "Ana Lucia Reyes Mejia")
    QTest.mouseClick(warning.back_button, Qt.MouseButton.LeftButton)  # go back: nothing saved
    qtbot.waitUntil(lambda: "Not saved" in form.error.text(), timeout=5000)
    assert form.isVisible() and form.buttons.isEnabled()
    form.reject()
    wait_idle(qtbot, window)
    assert _search(qtbot, window, "Reyes") == ["c-001"]
    form, warning = _new_client(qtbot, window, "Ana Lucia Reyes Mejia")
    QTest.mouseClick(warning.save_button, Qt.MouseButton.LeftButton)  # save anyway
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=10000)
    assert form.saved_ref == "c-002"
    assert _search(qtbot, window, "Reyes") == ["c-001", "c-002"]
    _lock_with_keys(qtbot, window)
    decisions = [(row["detail"]["decision"], row["detail"]["matches"], row["target"])
                 for row in _audit(day_vault, "conflict_check")]
    assert [d[0] for d in decisions] == ["went_back", "saved_anyway"]
    assert decisions[0][1] >= 1 and decisions[1][2].startswith("client:")


def test_3_volunteer_enters_three_letters_and_cannot_pass_received(qtbot, make_window, day_vault: Path) -> None:
    window = make_window(day_vault)
    unlock(qtbot, window, "volunteer", PASSES["volunteer"])
    tab = window.desk.letters
    form = tab.form
    assert [form.status.itemText(i) for i in range(form.status.count())] == ["Requested", "Received"]
    for writer in ("Fictional Employer", "Fictional Neighbour", "Fictional Teacher"):
        activate(qtbot, window)
        form.matter.setFocus()
        QTest.keyClick(form.matter, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClicks(form.matter, "m-001")
        QTest.keyClick(form.matter, Qt.Key.Key_Tab)
        QTest.keyClicks(QApplication.focusWidget(), writer)
        form.status.setFocus()
        for _ in range(4):  # as far down the list as it goes
            QTest.keyClick(form.status, Qt.Key.Key_Down)
        assert form.status.currentText() == "Received"
        QTest.keyClick(form.status, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: len(tab.model.rows) == 3, timeout=5000)
    assert {x.status.value for x in tab.model.rows} == {"received"}
    tab.table.setFocus()
    tab.table.setCurrentIndex(tab.proxy.index(0, 0))
    QTest.keyClick(tab.table, Qt.Key.Key_Return)  # open the first letter in the form
    assert form.editing is not None
    assert [form.status.itemText(i) for i in range(form.status.count())] == ["Requested", "Received"]


def test_4_switch_to_french_in_settings_then_lock_with_ctrl_l(qtbot, make_window, day_vault: Path) -> None:
    from PySide6.QtGui import QKeySequence

    from clinic_app.gui.application import apply_language
    from clinic_app.gui.dialogs.client_form import ClientForm
    from clinic_app.gui.dialogs.settings_dialog import SettingsDialog

    window = make_window(day_vault)
    unlock(qtbot, window)
    try:
        QTest.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
        dialog = _dialog(qtbot, SettingsDialog)
        dialog.language.setCurrentIndex(dialog.language.findData("fr"))
        dialog.accept()
        wait_idle(qtbot, window)
        assert window.action_map["lock"].text() != "&Lock"  # the menus speak French now
        for keys in ("Ctrl+L", "Ctrl+Q", "Ctrl+,", "Ctrl+Shift+N"):  # one action per shortcut: no ambiguity
            owners = [a for a in window.actions() if a.shortcut() == QKeySequence(keys)]
            assert len(owners) == 1, keys
        activate(qtbot, window)
        QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        _dialog(qtbot, ClientForm).reject()
        _lock_with_keys(qtbot, window)
        assert window.stack.currentWidget() is window.unlock_page
    finally:
        window.settings.language = ""
        apply_language("en")


def test_5_mark_a_deadline_done_and_undo_it(qtbot, make_window, day_vault: Path) -> None:
    window = make_window(day_vault)
    unlock(qtbot, window)
    home = window.desk.home

    def agenda_rules() -> list[str]:
        return [row[1].deadline.rule_id for row in home.agenda_model.rows]

    qtbot.waitUntil(lambda: "rpd.boc" in agenda_rules(), timeout=5000)
    home.agenda.setFocus()
    home.agenda.selectRow(agenda_rules().index("rpd.boc"))
    QTest.mouseClick(home.marker.done_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "rpd.boc" not in agenda_rules(), timeout=5000)
    assert "Undo" in window.statusBar().currentMessage()
    activate(qtbot, window)
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # Edit → Undo
    qtbot.waitUntil(lambda: "rpd.boc" in agenda_rules(), timeout=5000)

    window.open_matter("m-001")  # the matter's own list: not applicable with a reason, then reopen
    ws = window.desk.current_workspace()
    ws.setCurrentWidget(ws.deadlines)
    tab = ws.deadlines
    qtbot.waitUntil(lambda: any(d.rule_id == "rpd.boc" for d in tab.model.rows), timeout=5000)
    row = next(i for i, d in enumerate(tab.model.rows) if d.rule_id == "rpd.boc")
    tab.table.selectRow(row)
    QTest.mouseClick(tab.marker.na_button, Qt.MouseButton.LeftButton)
    question = _dialog(qtbot, QInputDialog)
    question.setTextValue("claim made inland: BOC handed in at eligibility")
    question.accept()

    def status() -> str:
        return tab.model.data(tab.model.index(row, 2))

    qtbot.waitUntil(lambda: status().startswith("Not applicable: claim made inland"), timeout=5000)
    assert "rpd.boc" not in agenda_rules()
    tab.table.selectRow(row)
    QTest.mouseClick(tab.reopen_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: status() == "To do", timeout=5000)
    qtbot.waitUntil(lambda: "rpd.boc" in agenda_rules(), timeout=5000)
    _lock_with_keys(qtbot, window)
    marks = [(r["action"], r["detail"].get("state")) for r in _audit(day_vault, "deadline_marked",
                                                                        "deadline_reopened")]
    assert marks == [("deadline_marked", "done"), ("deadline_reopened", None),
                     ("deadline_marked", "not_applicable"), ("deadline_reopened", None)]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_agenda_deadlines_are_readable_at_1024_by_700(qtbot, make_window, day_vault: Path, lang: str) -> None:
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QStyle

    from clinic_app.gui.application import apply_language

    apply_language(lang)
    try:
        window = make_window(day_vault)
        window.resize(1024, 700)
        unlock(qtbot, window)
        agenda, model = window.desk.home.agenda, window.desk.home.agenda_model
        qtbot.waitUntil(lambda: model.rowCount() >= 3, timeout=5000)
        qtbot.wait(50)  # rows take their height from the wrapped text
        metrics = agenda.fontMetrics()
        margin = agenda.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, agenda) + 1
        for row in range(model.rowCount()):
            for column in range(model.columnCount()):
                text = model.data(model.index(row, column))
                width = agenda.columnWidth(column) - 2 * margin  # where the item delegate lays text out
                wrapped = metrics.boundingRect(QRect(0, 0, width, 10000), int(Qt.TextFlag.TextWordWrap), text)
                assert all(metrics.horizontalAdvance(word) <= width for word in text.split()), (text, width)
                assert wrapped.height() <= agenda.rowHeight(row), (text, wrapped.height(), agenda.rowHeight(row))
        titles = [model.data(model.index(r, 2)) for r in range(model.rowCount())]
        assert any(t.startswith("Formulaire Fondement" if lang == "fr" else "Basis of Claim") for t in titles)
    finally:
        apply_language("en")
