"""Vault > Audit log, driven through the real window on a real vault.

The dialog lists what was done (a client created by the admin, a deadline marked by a staff
member) with who did it; the filters narrow the list; a bad date is refused naming its field;
a role without the permission has no such menu entry; "Verify the log" says intact, and after
a row was changed behind Haven's back (through a raw connection, its triggers dropped) says
the log was altered and names the entry.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from gui_helpers import unlock, wait_idle
from PySide6.QtCore import Qt

from support import ADMIN, ADMIN_PASS, PASSES


@pytest.fixture
def audited_vault(vault_folder: Path, role_sessions) -> Path:  # type: ignore[no-untyped-def]
    """A RAD appeal created by the admin; its notice deadline marked done by the staff member."""
    from clinic_app.domain.client import Client
    from clinic_app.domain.matter import KeyDates, Matter, MatterType
    from clinic_app.services import case_record, deadlines

    with role_sessions("admin") as s:
        case_record.save_client(s, Client(ref="c-1", legal_name="Test Client"))
        case_record.save_matter(s, Matter(ref="m-1", client_ref="c-1", type=MatterType.RAD_APPEAL, title="Appeal",
                                          dates=KeyDates(reasons_received=date(2027, 3, 1))))
    with role_sessions("staff") as s:
        deadlines.set_mark(s, "m-1", "rad.notice", "done")
    return vault_folder


def _open(qtbot, window):  # type: ignore[no-untyped-def]
    action = window.action_map["audit_log"]
    assert action.isVisible() and action.isEnabled()
    assert action.text() == "&Audit log…"
    action.trigger()
    dialog = window.admin_dialog
    qtbot.waitUntil(lambda: dialog.loaded and window.runner.pending == 0, timeout=10000)
    return dialog


def _rows(dialog) -> list[tuple[str, ...]]:  # type: ignore[no-untyped-def]
    t = dialog.table
    return [tuple(t.item(r, c).text() for c in range(t.columnCount())) for r in range(t.rowCount())]


def _reload(qtbot, window, dialog) -> None:  # type: ignore[no-untyped-def]
    dialog.loaded = False
    dialog.show_button.click()
    qtbot.waitUntil(lambda: dialog.loaded and window.runner.pending == 0, timeout=10000)


def test_lists_who_did_what_and_filters_narrow_it(qtbot, make_window, audited_vault: Path) -> None:
    window = make_window(audited_vault)
    unlock(qtbot, window)
    dialog = _open(qtbot, window)
    rows = _rows(dialog)
    whos_actions = {(r[2], r[3]) for r in rows}
    assert (ADMIN, "client_created") in whos_actions
    assert ("staff", "deadline_marked") in whos_actions
    marked = next(r for r in rows if r[3] == "deadline_marked")
    assert "rad.notice" in marked[5] and "done" in marked[5]  # the details column: rule and state
    assert not any("Test Client" in cell for r in rows for cell in r)  # no client text, by design
    assert [int(r[0]) for r in rows] == sorted((int(r[0]) for r in rows), reverse=True)  # newest first

    # by user: choosing "staff" reloads with only the staff member's rows
    dialog.loaded = False
    dialog.who.setCurrentIndex(dialog.who.findData("staff"))
    qtbot.waitUntil(lambda: dialog.loaded and window.runner.pending == 0, timeout=10000)
    staff_rows = _rows(dialog)
    assert staff_rows and len(staff_rows) < len(rows)
    assert {r[2] for r in staff_rows} == {"staff"}
    assert "deadline_marked" in {r[3] for r in staff_rows}

    # by action, over everyone
    dialog.loaded = False
    dialog.who.setCurrentIndex(0)
    qtbot.waitUntil(lambda: dialog.loaded and window.runner.pending == 0, timeout=10000)
    dialog.loaded = False
    dialog.action.setCurrentIndex(dialog.action.findData("client_created"))
    qtbot.waitUntil(lambda: dialog.loaded and window.runner.pending == 0, timeout=10000)
    assert [(r[2], r[3]) for r in _rows(dialog)] == [(ADMIN, "client_created")]

    # by UTC day: nothing was done tomorrow; today holds the row
    # (typed, then Enter: the rows are shown and the dialog stays open)
    dialog.since.setText((date.today() + timedelta(days=2)).isoformat())
    dialog.since.setFocus()
    dialog.loaded = False
    qtbot.keyClick(dialog.since, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.loaded and window.runner.pending == 0, timeout=10000)
    assert dialog.isVisible()
    assert _rows(dialog) == []
    assert dialog.message.text() == "No entry matches these filters."
    dialog.since.setText((date.today() - timedelta(days=2)).isoformat())
    dialog.until.setText((date.today() + timedelta(days=2)).isoformat())
    _reload(qtbot, window, dialog)
    assert len(_rows(dialog)) == 1

    # the last day a date can be (typed to mean "no end") shows every row, not an internal error
    dialog.since.setText("")
    dialog.until.setText("9999-12-31")
    _reload(qtbot, window, dialog)
    assert dialog.message.text() == "1 entry." and len(_rows(dialog)) == 1
    dialog.since.setText((date.today() - timedelta(days=2)).isoformat())

    # a date that is not one is refused, naming the field as labelled
    dialog.since.setText("2027-13-40")
    dialog.show_button.click()
    assert dialog.message.text().startswith("From: not a date")
    assert len(_rows(dialog)) == 1  # the list shown stays

    # keyboard: the table takes focus; Escape closes the dialog and empties it
    dialog.table.setFocus()
    qtbot.waitUntil(dialog.table.hasFocus, timeout=3000)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)
    assert dialog.table.rowCount() == 0


@pytest.mark.parametrize("role, sees", [("volunteer", False), ("staff", False), ("lawyer", True)])
def test_menu_entry_follows_the_permission(qtbot, make_window, audited_vault: Path, role: str, sees: bool) -> None:
    window = make_window(audited_vault)
    unlock(qtbot, window, role, PASSES[role])
    assert window.action_map["audit_log"].isVisible() is sees
    if sees:
        dialog = _open(qtbot, window)
        assert dialog.table.rowCount() > 0


def _tamper(folder: Path, seq: int) -> None:
    from clinic_app.services.session import unlock as open_vault

    with open_vault(folder, user=ADMIN, passphrase=ADMIN_PASS) as session:
        conn = session.vault.conn
        conn.execute("DROP TRIGGER audit_append_only_update")
        conn.execute("UPDATE audit SET detail = '{\"forged\": 1}' WHERE seq = ?", (seq,))


def _verify(qtbot, window, dialog) -> str:  # type: ignore[no-untyped-def]
    dialog.result.clear()
    dialog.verify_button.click()
    qtbot.waitUntil(lambda: dialog.verify_button.isEnabled() and window.runner.pending == 0, timeout=15000)
    return dialog.result.text()


def test_verify_says_intact_then_names_the_altered_entry(qtbot, make_window, audited_vault: Path) -> None:
    from clinic_app.services import audit_log
    from clinic_app.services.session import unlock as open_vault

    with open_vault(audited_vault, user=ADMIN, passphrase=ADMIN_PASS) as s:
        created = audit_log.entries(s, action="client_created")[0].seq
    window = make_window(audited_vault)
    unlock(qtbot, window)
    dialog = _open(qtbot, window)
    text = _verify(qtbot, window, dialog)
    assert text.startswith("The audit log is intact: its ") and "altered" not in text

    window.lock_now()
    qtbot.waitUntil(lambda: window.desk is None, timeout=10000)
    wait_idle(qtbot, window)
    _tamper(audited_vault, created)
    unlock(qtbot, window)
    dialog = _open(qtbot, window)
    text = _verify(qtbot, window, dialog)
    assert text.startswith("The audit log has been altered.")
    assert f"Entry {created} was changed after it was written." in text
    marked = [r for r in _rows(dialog) if r[0].endswith("(altered)")]
    assert [r[0] for r in marked] == [f"{created} (altered)"] and marked[0][3] == "client_created"
