"""Edit → Conflict check…: names checked against the vault before a case is taken, from the
window, as `clinic-app conflicts NAME...` does; nothing typed is kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_helpers import unlock, wait_idle
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from support import ADMIN, ADMIN_PASS


@pytest.fixture
def people_vault(new_vault) -> Path:
    from clinic_app.domain.client import Client
    from clinic_app.domain.matter import AdverseParty, Matter, MatterType
    from clinic_app.services import case_record
    from clinic_app.services.session import unlock as open_vault

    folder, _key = new_vault()
    with open_vault(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-001", legal_name="María García", aliases=("Mari Garcia",)))
        case_record.save_matter(s, Matter(ref="m-001", client_ref="c-001", type=MatterType.RPD_CLAIM, title="Claim",
                                          adverse_parties=(AdverseParty("Marvin Cruz"),)))
    return folder


def _dialog():  # type: ignore[no-untyped-def]
    from clinic_app.gui.dialogs.conflict_search import ConflictSearchDialog

    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, ConflictSearchDialog) and w.isVisible())


def test_conflict_check_from_the_edit_menu(qtbot, make_window, people_vault: Path) -> None:
    window = make_window(people_vault)
    unlock(qtbot, window)
    window.action_map["conflict_check"].trigger()
    dialog = _dialog()
    dialog.check_button.click()
    assert "at least one name" in dialog.result.text()
    QTest.keyClicks(dialog.names, "Maria Garsia")
    dialog.names.appendPlainText("Marvin  cruz\nNobody Similar Here")
    dialog.check_button.click()
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 0, timeout=10000)
    wait_idle(qtbot, window)
    rows = [[dialog.table.item(r, c).text() for c in range(4)] for r in range(dialog.table.rowCount())]
    assert any(r[0] == "Maria Garsia" and r[1] == "María García" and "c-001" in r[2] for r in rows)
    assert any(r[0] == "Marvin  cruz" and r[1] == "Marvin Cruz" and "m-001" in r[2] for r in rows)
    assert "Nobody Similar Here" in dialog.result.text() and "Similar names found" in dialog.result.text()
    dialog.reject()
    assert dialog.names.toPlainText() == "" and dialog.table.rowCount() == 0  # nothing kept once closed


def test_no_match_says_so_and_a_volunteer_has_no_conflict_check(qtbot, make_window, people_vault: Path) -> None:
    from clinic_app.domain.roles import Role
    from clinic_app.services.session import unlock as open_vault
    from clinic_app.services.users import add_user

    window = make_window(people_vault)
    unlock(qtbot, window)
    window.action_map["conflict_check"].trigger()
    dialog = _dialog()
    QTest.keyClicks(dialog.names, "Zebulon Quartermaine")
    dialog.check_button.click()
    qtbot.waitUntil(lambda: dialog.result.text() == "No similar name in the vault.", timeout=10000)
    assert dialog.table.rowCount() == 0
    dialog.reject()
    window.lock_now("manual")
    wait_idle(qtbot, window)
    with open_vault(people_vault, user=ADMIN, passphrase=ADMIN_PASS) as s:
        add_user(s, "vol", Role.VOLUNTEER, "a volunteer passphrase 123")
    unlock(qtbot, window, user="vol", passphrase="a volunteer passphrase 123")
    assert not window.action_map["conflict_check"].isEnabled() or not window.action_map["conflict_check"].isVisible()


def test_long_names_do_not_push_the_dialog_off_the_screen(qtbot, make_window, people_vault: Path) -> None:
    """Names pasted without spaces (a list of e-mail addresses, a scan's OCR line) and found
    like no one were listed under the table, and the dialog grew to fit them on one line:
    22,885 pixels wide for five names of 3,000 letters, its Close button off the screen."""
    window = make_window(people_vault)
    unlock(qtbot, window)
    window.action_map["conflict_check"].trigger()
    dialog = _dialog()
    long_names = ["Zed" + "q" * 3000 + str(i) for i in range(5)]
    dialog.names.setPlainText("\n".join(["Maria Garcia", *long_names]))
    dialog.check_button.click()
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 0 and dialog.check_button.isEnabled(), timeout=30000)
    wait_idle(qtbot, window)
    qtbot.wait(50)
    assert all(name in dialog.result.text() for name in long_names)  # still said
    assert dialog.width() <= 1200 and dialog.minimumSizeHint().width() <= 1200, dialog.width()
