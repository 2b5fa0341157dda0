"""Matter > Export as a case file, and File > Import a case file, through the real window.

A small matter (one document, one support letter) leaves one vault through the menu and
arrives in a second vault through the other window's menu; a wrong passphrase is said in
the dialog, naming the field, and imports nothing; a file imported again after the matter
changed here shows the conflict and its choices, and "skip" adds nothing; Cancel, pressed
while the work waits its turn on the vault thread, leaves no file and imports nothing.
"""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from gui_helpers import in_vault, unlock, wait_idle
from PySide6.QtWidgets import QDialogButtonBox

from support import ADMIN, ADMIN_PASS

FILE_PASS = "seven quiet rivers cross the old border"
DOC = b"passport page " * 40


@pytest.fixture
def source(new_vault) -> Path:
    from clinic_app.domain.client import Client
    from clinic_app.domain.document import DocumentMeta
    from clinic_app.domain.letter import SupportLetter
    from clinic_app.domain.matter import Matter
    from clinic_app.services import case_record, evidence
    from clinic_app.services.session import unlock as open_vault

    folder, _recovery = new_vault("source")
    with open_vault(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-a", legal_name="Ana Example"))
        case_record.save_matter(s, Matter(ref="m-a", client_ref="c-a", type="rpd_claim", title="Claim"))
        evidence.store_document(s, io.BytesIO(DOC), DocumentMeta(ref="d-1", title="Passport"), ["m-a"])
        case_record.save_letter(s, SupportLetter(ref="l-1", matter_ref="m-a", writer="Jean", document_ref="d-1"))
    return folder


def _button(dialog, which):  # type: ignore[no-untyped-def]
    return dialog.buttons.button(which)


def _hold_vault_thread(window):  # type: ignore[no-untyped-def]
    """Queue work that waits on the vault thread: what is queued next has not started."""
    from clinic_app.gui.tasks import Op

    gate = threading.Event()
    Op(window.runner, lambda job: gate.wait(10)).run()
    return gate


def _export(qtbot, window, target: Path, *, cancel: bool = False):  # type: ignore[no-untyped-def]
    window.open_matter("m-a")
    wait_idle(qtbot, window)
    action = window.action_map["export_case"]
    assert action.isVisible() and action.isEnabled()
    action.trigger()
    dialog = window.admin_dialog
    assert dialog.path.text().endswith("m-a.havencase") and "Ana" not in dialog.path.text()
    dialog.path.setText(str(target))
    dialog.new.passphrase.setText(FILE_PASS)
    dialog.new.confirm.setText(FILE_PASS)
    gate = _hold_vault_thread(window) if cancel else None
    _button(dialog, QDialogButtonBox.StandardButton.Ok).click()
    if gate is not None:
        _button(dialog, QDialogButtonBox.StandardButton.Cancel).click()
        gate.set()
    qtbot.waitUntil(lambda: dialog.op is not None and dialog.op.done, timeout=30000)
    return dialog


def _import_dialog(qtbot, window, path: Path, passphrase: str):  # type: ignore[no-untyped-def]
    action = window.action_map["import_case"]
    assert action.isVisible() and action.isEnabled()
    action.trigger()
    dialog = window.admin_dialog
    dialog.path.setText(str(path))
    dialog.passphrase.setText(passphrase)
    dialog.check_button.click()
    qtbot.waitUntil(lambda: dialog.op.done, timeout=30000)
    return dialog


def _press_import(qtbot, dialog, *, cancel_window=None) -> None:  # type: ignore[no-untyped-def]
    ok = _button(dialog, QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled()
    gate = _hold_vault_thread(cancel_window) if cancel_window is not None else None
    ok.click()
    if gate is not None:
        _button(dialog, QDialogButtonBox.StandardButton.Cancel).click()
        gate.set()
    qtbot.waitUntil(lambda: dialog.op.done, timeout=30000)


def _matter(qtbot, window) -> dict | None:  # type: ignore[type-arg]
    from clinic_app.services import records
    from clinic_app.vault import records as vault_records

    def read(s):  # type: ignore[no-untyped-def]
        if vault_records.id_for(s.vault.conn, "matters", "m-a") is None:
            return None
        return records.show_matter(s, "m-a")

    return in_vault(qtbot, window, read)


def test_a_matter_moves_to_another_vault_through_both_menus(qtbot, make_window, source: Path, new_vault,
                                                            tmp_path: Path) -> None:
    from clinic_app.domain.matter import Matter
    from clinic_app.services import case_record

    first = make_window(source)
    unlock(qtbot, first)
    first.open_matter("m-a")
    wait_idle(qtbot, first)
    first.desk.setCurrentIndex(0)  # the home page: no matter to export
    assert not first.action_map["export_case"].isEnabled()
    assert "&Export as a case file" in first.action_map["export_case"].text()
    target = tmp_path / "out" / "m-a.havencase"
    target.parent.mkdir()

    # a cancelled export leaves no file, not even a temporary one
    cancelled = _export(qtbot, first, target, cancel=True)
    assert "Cancelled" in cancelled.error.text() and "No case file was written" in cancelled.error.text()
    assert list(target.parent.iterdir()) == []
    cancelled.reject()

    dialog = _export(qtbot, first, target)
    assert dialog.op.error is None, dialog.op.error
    assert target.is_file() and b"passport page" not in target.read_bytes()
    assert "1 document" in dialog.outcome.text() and str(target) in dialog.outcome.text()
    assert "another way than the file" in dialog.outcome.text()
    dialog.reject()
    assert dialog.new.passphrase.text() == "" and dialog.new.confirm.text() == ""

    other, _recovery = new_vault("other")
    second = make_window(other)
    unlock(qtbot, second)

    # a wrong passphrase: said in the dialog, naming the field; nothing imported
    wrong = _import_dialog(qtbot, second, target, "not the right passphrase at all")
    assert wrong.error.text().startswith("Case file passphrase:"), wrong.error.text()
    assert not _button(wrong, QDialogButtonBox.StandardButton.Ok).isEnabled()
    # a file that is not a case file
    bogus = tmp_path / "notes.havencase"
    bogus.write_bytes(b"just some notes")
    wrong.path.setText(str(bogus))
    wrong.check_button.click()
    qtbot.waitUntil(lambda: wrong.op.done, timeout=30000)
    assert "not a complete Haven case file" in wrong.error.text(), wrong.error.text()
    wrong.reject()
    assert wrong.passphrase.text() == ""
    assert _matter(qtbot, second) is None

    # Cancel while the import waits its turn: nothing imported
    dialog = _import_dialog(qtbot, second, target, FILE_PASS)
    assert "Matter m-a of client c-a" in dialog.contents.text() and "1 support letter" in dialog.contents.text()
    assert "Ana" not in dialog.contents.text()
    assert "No conflict" in dialog.conflicts.text()
    _press_import(qtbot, dialog, cancel_window=second)
    assert "Cancelled" in dialog.error.text()
    assert _matter(qtbot, second) is None

    _press_import(qtbot, dialog)
    assert dialog.op.error is None, dialog.op.error
    assert "document: 1 imported" in dialog.outcome.text()
    dialog.reject()
    wait_idle(qtbot, second)
    assert second.desk.current_workspace() is not None and second.desk.current_workspace().ref == "m-a"
    view = _matter(qtbot, second)
    assert view is not None and view["client"]["ref"] == "c-a"
    assert [d["ref"] for d in view["documents"]] == ["d-1"] and [x["ref"] for x in view["letters"]] == ["l-1"]

    # the matter changed here, then the same file again: the conflict is shown, and skip adds nothing
    in_vault(qtbot, second, lambda s: case_record.save_matter(
        s, Matter(ref="m-a", client_ref="c-a", type="rpd_claim", title="Claim, edited here"), check_rules=False))
    again = _import_dialog(qtbot, second, target, FILE_PASS)
    assert "matter m-a is already in this vault with different content" in again.conflicts.text()
    ok = _button(again, QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # no choice yet: nothing can be imported by default
    assert again.choice_buttons["skip"].isVisible() and again.choice_buttons["rename"].isVisible()
    again.choice_buttons["skip"].click()
    _press_import(qtbot, again)
    assert again.op.error is None, again.op.error
    assert "Nothing new was imported" in again.outcome.text() and "Skipped matter m-a" in again.outcome.text()
    again.reject()
    view = _matter(qtbot, second)
    assert view is not None and view["title"] == "Claim, edited here"
    assert len(view["documents"]) == 1 and len(view["letters"]) == 1


def test_case_file_commands_follow_the_role(qtbot, make_window, source: Path) -> None:
    from clinic_app.domain.roles import Role
    from clinic_app.services.session import unlock as open_vault
    from clinic_app.services.users import add_user

    staff_pass = "staff member uses a long passphrase"
    with open_vault(source, user=ADMIN, passphrase=ADMIN_PASS) as s:
        add_user(s, "sam", Role.STAFF, staff_pass)
    window = make_window(source)
    unlock(qtbot, window, "sam", staff_pass)
    window.open_matter("m-a")
    wait_idle(qtbot, window)
    assert not window.action_map["export_case"].isVisible()  # staff may not export
    assert window.action_map["import_case"].isVisible() and window.action_map["import_case"].isEnabled()


@pytest.mark.parametrize("part", ["records", "container"])
def test_a_case_file_from_a_newer_haven_says_to_update_not_that_it_was_changed(
        qtbot, make_window, source: Path, new_vault, tmp_path: Path, monkeypatch, part: str) -> None:
    """A colleague on a newer Haven sends a case file: the window said it was 'not a complete
    Haven case file, or it was changed after it was made', sending the clinic to suspect
    tampering instead of installing the newer Haven."""
    from clinic_app.services import transfer, transfer_format
    from clinic_app.services.session import unlock as open_vault

    target = tmp_path / "from-newer.havencase"
    with monkeypatch.context() as m, open_vault(source, user=ADMIN, passphrase=ADMIN_PASS) as s:  # set-up
        m.setattr(*((transfer, "VERSION", transfer.VERSION + 1) if part == "records"
                    else (transfer_format, "VERSION", transfer_format.VERSION + 1)))
        transfer.export_matter(s, "m-a", target, FILE_PASS)
    other, _recovery = new_vault("other")
    window = make_window(other)
    unlock(qtbot, window)
    dialog = _import_dialog(qtbot, window, target, FILE_PASS)
    text = dialog.error.text()
    assert "newer version of Haven" in text and "from-newer.havencase" in text, text
    assert "changed after it was made" not in text, text
    assert not _button(dialog, QDialogButtonBox.StandardButton.Ok).isEnabled()
    assert _matter(qtbot, window) is None


def test_a_folder_typed_as_the_case_file_gets_the_file_inside_it(qtbot, make_window, source: Path,
                                                                 tmp_path: Path) -> None:
    """A person typed the USB stick's folder as where to save: the case file was written beside
    the folder ('USB stick.havencase' in its parent), not on the stick they then took away."""
    stick = tmp_path / "USB stick"
    stick.mkdir()
    window = make_window(source)
    unlock(qtbot, window)
    dialog = _export(qtbot, window, stick)
    assert dialog.op.error is None, dialog.op.error
    assert [p.name for p in stick.iterdir()] == ["m-a.havencase"]
    assert not (tmp_path / "USB stick.havencase").exists()
    assert dialog.path.text() == str(stick / "m-a.havencase")
    assert str(stick / "m-a.havencase") in dialog.outcome.text()


def test_a_conflict_arriving_after_the_check_is_shown_with_the_choices(qtbot, make_window, source: Path, new_vault,
                                                                       tmp_path: Path) -> None:
    """The vault changed between Check the file and Import (a colleague's matter m-a arrived by
    sync): the dialog said to choose 'with --on-conflict skip or --on-conflict rename', flags
    of the command line a window user cannot type anywhere."""
    from clinic_app.domain.client import Client
    from clinic_app.domain.matter import Matter
    from clinic_app.services import case_record, transfer
    from clinic_app.services.session import unlock as open_vault

    target = tmp_path / "m-a.havencase"
    with open_vault(source, user=ADMIN, passphrase=ADMIN_PASS) as s:  # set-up
        transfer.export_matter(s, "m-a", target, FILE_PASS)
    other, _recovery = new_vault("other")
    window = make_window(other)
    unlock(qtbot, window)
    dialog = _import_dialog(qtbot, window, target, FILE_PASS)
    assert "No conflict" in dialog.conflicts.text()

    def arrives(s):  # type: ignore[no-untyped-def]
        case_record.save_client(s, Client(ref="c-b", legal_name="Someone Else"))
        case_record.save_matter(s, Matter(ref="m-a", client_ref="c-b", type="rpd_claim", title="Theirs"),
                                check_rules=False)

    in_vault(qtbot, window, arrives)
    _press_import(qtbot, dialog)
    qtbot.waitUntil(lambda: "matter m-a is already in this vault" in dialog.conflicts.text(), timeout=30000)
    assert "--on-conflict" not in dialog.error.text() + dialog.conflicts.text(), dialog.error.text()
    assert "changed since" in dialog.error.text(), dialog.error.text()
    assert dialog.choice_buttons["skip"].isVisible() and dialog.choice_buttons["rename"].isVisible()
    assert not _button(dialog, QDialogButtonBox.StandardButton.Ok).isEnabled()
    view = _matter(qtbot, window)
    assert view is not None and view["title"] == "Theirs" and view["documents"] == []
    dialog.choice_buttons["rename"].click()
    _press_import(qtbot, dialog)
    assert "Imported matter m-a as m-a-imported." in dialog.outcome.text(), dialog.outcome.text()


def test_a_name_too_long_for_the_disk_is_said_in_the_dialogs(qtbot, make_window, source: Path,
                                                             tmp_path: Path) -> None:
    """A case file named with a long title in Arabic (each letter two bytes on disk) stopped
    the window with an OSError in its event loop: Export did nothing, with no word."""
    long_name = tmp_path / ("ملف قضية اللجوء " * 20 + ".havencase")
    window = make_window(source)
    unlock(qtbot, window)
    dialog = _export(qtbot, window, long_name)
    assert "too long" in dialog.error.text() and "No case file was written" in dialog.error.text(), \
        dialog.error.text()
    assert list(tmp_path.glob("*.havencase")) == [] and dialog.isVisible()
    dialog.reject()

    window.action_map["import_case"].trigger()
    importing = window.admin_dialog
    importing.path.setText(str(long_name))
    importing.passphrase.setText(FILE_PASS)
    importing.check_button.click()
    assert importing.error.text().startswith("Case file: there is no file at"), importing.error.text()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_each_field_of_the_case_file_dialogs_has_its_alt_letter(qtbot, make_window, source: Path, lang: str) -> None:
    """Keyboard only: the export and import dialogs' fields had no Alt letter (the calendar
    and manifest dialogs have), so reaching the passphrase meant counting Tab presses."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from clinic_app.gui.application import apply_language

    apply_language(lang)
    try:
        window = make_window(source)
        unlock(qtbot, window)
        window.open_matter("m-a")
        wait_idle(qtbot, window)

        def alt(dialog, letter):  # type: ignore[no-untyped-def]
            dialog.activateWindow()
            qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
            QTest.keyClick(dialog, getattr(Qt.Key, f"Key_{letter.upper()}"), Qt.KeyboardModifier.AltModifier)
            return dialog.focusWidget()

        letters = {"en": ("f", "p", "a"), "fr": ("f", "p", "c")}[lang]
        window.action_map["export_case"].trigger()
        export = window.admin_dialog
        assert alt(export, letters[0]) is export.path
        assert alt(export, letters[2]) is export.new.confirm
        assert alt(export, letters[1]) is export.new.passphrase
        export.reject()
        window.action_map["import_case"].trigger()
        importing = window.admin_dialog
        assert alt(importing, letters[1]) is importing.passphrase
        assert alt(importing, letters[0]) is importing.path
        importing.reject()
    finally:
        apply_language("en")


def test_names_like_people_in_this_vault_are_asked_about_before_importing(qtbot, make_window, source: Path,
                                                                         new_vault, tmp_path: Path) -> None:
    """The conflict check a manifest import runs: the file's client is an adverse party here.
    Before, the case file came in with one press and no question."""
    from clinic_app.domain.client import Client
    from clinic_app.domain.matter import AdverseParty, Matter
    from clinic_app.gui.dialogs.conflicts import ConflictDialog
    from clinic_app.services import audit_log, case_record
    from clinic_app.services.session import unlock as open_vault

    first = make_window(source)
    unlock(qtbot, first)
    target = tmp_path / "case.havencase"
    _export(qtbot, first, target)
    first.close()
    other, _key = new_vault("other")
    with open_vault(other, user=ADMIN, passphrase=ADMIN_PASS) as s:  # set-up: the other side's matter here
        case_record.save_client(s, Client(ref="c-9", legal_name="Bea Other"))
        case_record.save_matter(s, Matter(ref="m-9", client_ref="c-9", type="rpd_claim", title="Claim",
                                          adverse_parties=(AdverseParty("Ana Example"),)))
    window = make_window(other)
    unlock(qtbot, window)
    dialog = _import_dialog(qtbot, window, target, FILE_PASS)
    assert "possible conflict of interest" in dialog.contents.text()

    def asked() -> ConflictDialog:
        qtbot.waitUntil(lambda: getattr(dialog, "conflict_dialog", None) is not None
                        and dialog.conflict_dialog.isVisible(), timeout=10000)
        return dialog.conflict_dialog

    _button(dialog, QDialogButtonBox.StandardButton.Ok).click()
    question = asked()
    rows = [question.table.item(r, 1).text() for r in range(question.table.rowCount())]
    assert "Ana Example" in rows
    question.back_button.click()  # Go back: nothing imported
    wait_idle(qtbot, window)
    assert _matter(qtbot, window) is None and "Nothing was imported" in dialog.outcome.text()
    dialog.conflict_dialog = None
    _button(dialog, QDialogButtonBox.StandardButton.Ok).click()
    asked().save_button.click()  # Save anyway: imported, and the decision audited
    qtbot.waitUntil(lambda: dialog.op is not None and dialog.op.done, timeout=30000)
    wait_idle(qtbot, window)
    assert _matter(qtbot, window) is not None
    decisions = in_vault(qtbot, window, lambda s: [e.detail.get("decision") for e in audit_log.entries(s)
                                                   if e.action == "conflict_check"])
    assert sorted(decisions) == ["imported_anyway", "went_back"]
