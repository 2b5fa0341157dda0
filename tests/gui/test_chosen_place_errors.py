"""Saving a bundle where it cannot be written: the window names the place the person chose,
and never writes into a vault's folder.

Before, a build whose folder had gone (a USB stick pulled out after the save dialog closed)
said "The bundle build stopped unexpectedly ... Try again", which trying again never fixes.
"""

from __future__ import annotations

from pathlib import Path

from gui_helpers import bundles_page, unlock, wait_idle

from clinic_app.gui import file_dialogs


def test_a_bundle_saved_to_a_folder_that_is_gone_says_which_folder(qtbot, make_window, marked_vault: Path,
                                                                   tmp_path: Path, monkeypatch) -> None:
    from clinic_app.domain.bundle import BundleSpec, DocumentPart, Section, Tab
    from clinic_app.services import bundles
    from clinic_app.services.session import unlock as open_vault

    from support import ADMIN, ADMIN_PASS

    with open_vault(marked_vault, user=ADMIN, passphrase=ADMIN_PASS) as s:
        bundles.save_project(s, "b-001", "m-001", BundleSpec(
            "Disclosure", sections=[Section("Evidence", [Tab("Report", parts=[DocumentPart("d-001")])])]))
    stick = tmp_path / "USB stick"
    chosen: list[Path] = [stick / "Disclosure.pdf"]
    monkeypatch.setattr(file_dialogs, "save_file", lambda *_a: str(chosen[0]))
    window = make_window(marked_vault)
    unlock(qtbot, window)
    tab = bundles_page(window)
    qtbot.waitUntil(lambda: tab.tabs.count() == 1, timeout=5000)

    tab.build_button.click()  # the dialog "returns" a folder that is no longer there
    qtbot.waitUntil(lambda: "does not exist" in tab.note.text(), timeout=30000)
    note = tab.note.text()
    assert f"The folder {stick} does not exist" in note and "Nothing was written" in note, note
    assert "unexpectedly" not in note and str(marked_vault) not in note
    assert not stick.exists() and not tab.open_button.isEnabled()

    chosen[0] = marked_vault / "vault.db"  # the person wandered into Haven's own folder
    wait_idle(qtbot, window)
    tab.build_button.click()
    qtbot.waitUntil(lambda: "holds a Haven vault" in tab.note.text(), timeout=30000)
    assert not (marked_vault / "vault.db").read_bytes().startswith(b"%PDF")  # the vault was not replaced

    chosen[0] = stick / "Disclosure.pdf"
    stick.mkdir()  # the stick is back: the same button now builds
    wait_idle(qtbot, window)
    tab.build_button.click()
    qtbot.waitUntil(lambda: "Bundle built" in tab.note.text(), timeout=30000)
    assert chosen[0].read_bytes().startswith(b"%PDF") and tab.open_button.isEnabled()
