"""Vault > Deadline rules, driven through the real window on a real vault.

The clinic's copy of a rules file (config_dir()/rules, redirected by tests/conftest.py) is
listed as the clinic's and changes the agenda's date; the province chosen in the dialog is
saved in the vault and the agenda's Family Day note goes with Ontario; a broken copy shows
the loader's message in the dialog and on the agenda, which lists nothing until it is fixed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from gui_helpers import unlock, wait_idle
from PySide6.QtCore import Qt

from support import ADMIN, ADMIN_PASS

from clinic_app.paths import config_dir, resources_dir

RAD_TEXT = (resources_dir() / "rules" / "rad.yaml").read_text(encoding="utf-8")


@pytest.fixture
def rad_vault(vault_folder: Path) -> Path:
    """Two RAD appeals: reasons received 1 March 2027 (notice due the 16th under Haven's rule, the
    17th under a 16-day copy) and 30 January 2027 (due 15 February either way: Family Day)."""
    from clinic_app.domain.client import Client
    from clinic_app.domain.matter import KeyDates, Matter, MatterType
    from clinic_app.services import case_record
    from clinic_app.services.session import unlock as open_vault

    with open_vault(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-1", legal_name="Test Client"))
        for ref, received in (("m-march", date(2027, 3, 1)), ("m-family", date(2027, 1, 30))):
            case_record.save_matter(s, Matter(ref=ref, client_ref="c-1", type=MatterType.RAD_APPEAL, title="Appeal",
                                              dates=KeyDates(reasons_received=received)))
    return vault_folder


def _clinic_copy(old: str, new: str) -> Path:
    folder = config_dir() / "rules"
    folder.mkdir(parents=True, exist_ok=True)
    edited = RAD_TEXT.replace(old, new, 1)
    assert edited != RAD_TEXT
    (folder / "rad.yaml").write_text(edited, encoding="utf-8")
    return folder / "rad.yaml"


def _notices(window) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """matter ref -> its RAD notice deadline as the home page's agenda holds it."""
    return {item.deadline.matter_ref: item.deadline for _group, item in window.desk.home.agenda_model.rows
            if item.deadline.rule_id == "rad.notice"}


def _open_dialog(qtbot, window):  # type: ignore[no-untyped-def]
    action = window.action_map["deadline_rules"]
    assert action.isVisible() and action.isEnabled()
    assert "Deadline &rules" in action.text()
    action.trigger()
    dialog = window.rules_dialog
    qtbot.waitUntil(lambda: dialog.shown is not None, timeout=10000)
    return dialog


def _cell(model, row: int, column: int) -> str:  # type: ignore[no-untyped-def]
    return model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)


def test_the_clinics_copy_is_listed_and_the_province_is_saved(qtbot, make_window, rad_vault: Path,
                                                               monkeypatch) -> None:
    from PySide6.QtGui import QDesktopServices

    from clinic_app.domain.deadlines import describe_flags
    from clinic_app.services import audit_log, deadline_settings
    from clinic_app.services.session import unlock as open_vault

    copy = _clinic_copy("offset_days: 15", "offset_days: 16")
    window = make_window(rad_vault)
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: len(_notices(window)) == 2, timeout=10000)
    notices = _notices(window)
    assert notices["m-march"].due == date(2027, 3, 17)  # the clinic's 16 days, not Haven's 15
    assert any("Family Day" in f for f in describe_flags(notices["m-family"], "en"))  # Ontario by default

    dialog = _open_dialog(qtbot, window)
    assert dialog.folder.text() == str(config_dir() / "rules")
    files = {_cell(dialog.files_model, r, 0): _cell(dialog.files_model, r, 2)
             for r in range(dialog.files_model.rowCount())}
    assert files["rad.yaml"] == "the clinic's copy" and files["rpd.yaml"] == "Haven's own"
    unconfirmed = {_cell(dialog.unconfirmed_model, r, 0) for r in range(dialog.unconfirmed_model.rowCount())}
    assert "rad.record" in unconfirmed and "rpd.boc" not in unconfirmed
    assert not dialog.error.isVisible()

    assert dialog.province.currentData() == "ON" and dialog.province.isEnabled()
    assert not dialog.save_button.isEnabled()
    dialog.province.setCurrentIndex(dialog.province.findData("QC"))
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Saved" in dialog.note.text(), timeout=10000)
    wait_idle(qtbot, window)
    assert "Quebec" in dialog.note.text() and dialog.province.currentData() == "QC"
    qtbot.waitUntil(lambda: not any("Family Day" in f for f in describe_flags(_notices(window)["m-family"], "en")),
                    timeout=10000)  # the agenda follows the new province

    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    copy.unlink()
    copy.parent.rmdir()
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened), timeout=10000)
    assert opened == [str(config_dir() / "rules")] and (config_dir() / "rules").is_dir()  # made when missing

    dialog.close()
    window.lock_now()
    wait_idle(qtbot, window)
    with open_vault(rad_vault, user=ADMIN, passphrase=ADMIN_PASS) as s:
        assert deadline_settings.clinic_province(s) == "QC"
        assert [e.detail for e in audit_log.entries(s) if e.action == "clinic_province_set"] == [
            {"province": "QC", "previous": "ON"}]


def test_a_broken_copy_is_shown_on_the_agenda_and_in_the_dialog(qtbot, make_window, rad_vault: Path) -> None:
    copy = _clinic_copy("offset_days: 15", "offset_days: 16")
    window = make_window(rad_vault)
    unlock(qtbot, window)
    home = window.desk.home
    qtbot.waitUntil(lambda: len(_notices(window)) == 2, timeout=10000)
    window.open_matter("m-march")
    tab = window.desk.current_workspace().deadlines
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0, timeout=10000)

    copy.write_text(RAD_TEXT.replace("roll: forward", "roll: later", 1), encoding="utf-8")  # a slip while editing
    dialog = _open_dialog(qtbot, window)
    expected = f"In {copy}, rule rad.notice, field roll:"
    assert dialog.error.isVisible() and expected in dialog.error.text()
    assert dialog.files_model.rowCount() == 0
    dialog.province.setCurrentIndex(dialog.province.findData("BC"))  # saving still works: every view reloads
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: expected in tab.note.text(), timeout=10000)
    assert tab.model.rowCount() == 0  # the matter's tab keeps no date from rules no longer in force
    qtbot.waitUntil(lambda: expected in home.agenda_note.text(), timeout=10000)
    assert home.agenda_note.text().startswith("In ")  # the loader's words, not prefixed again
    assert home.agenda_model.rowCount() == 0  # nor does the agenda, and it does not fall back to Haven's file

    copy.write_text(RAD_TEXT, encoding="utf-8")  # the lawyer fixes the file, then closes the dialog
    dialog.close()
    qtbot.waitUntil(lambda: len(_notices(window)) == 2, timeout=10000)
    assert home.agenda_note.text() == "" and _notices(window)["m-march"].due == date(2027, 3, 16)
