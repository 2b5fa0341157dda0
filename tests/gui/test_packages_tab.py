"""The Packages tab of a matter: packages of its type, item status, pre-flight, build (refused, forced)."""

from __future__ import annotations

from pathlib import Path

from gui_helpers import unlock, wait_idle
from PySide6.QtWidgets import QApplication, QComboBox
from support import ADMIN, ADMIN_PASS, PASSES


def _read_checklist(qtbot, window, package: str):  # type: ignore[no-untyped-def]
    """services.packages.checklist on the vault thread, the way the window itself reads."""
    from clinic_app.gui.tasks import Op
    from clinic_app.services import packages

    op = Op(window.runner, lambda job: packages.checklist(job.session, "m-001", package)).run()
    qtbot.waitUntil(lambda: op.done, timeout=10000)
    assert op.error is None, op.error
    return op.result


def test_packages_tab_status_preflight_and_build(qtbot, make_window, marked_vault: Path, tmp_path: Path) -> None:
    import pikepdf

    from clinic_app.domain.packages import PackageNotReady

    window = make_window(marked_vault)
    unlock(qtbot, window)
    window.open_matter("m-001")
    ws = window.desk.current_workspace()
    tab = ws.packages
    assert tab is not None and ws.indexOf(tab) >= 0
    ws.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.table.rowCount() > 0, timeout=10000)
    assert [tab.choice.itemData(i) for i in range(tab.choice.count())] == ["hc_application"]  # an H&C matter
    assert tab.package() == "hc_application"

    # change an item's status through its combo: it is saved and reads back from the vault
    row = next(r for r in range(tab.table.rowCount()) if tab.checklist.entries[r].item.id == "imm5283")
    combo = tab.table.cellWidget(row, 2)
    assert isinstance(combo, QComboBox) and combo.currentText() == "Automatic: Missing"  # derived, not recorded
    assert combo.accessibleName().startswith("Status of")
    combo.setCurrentIndex(combo.findData("requested"))
    wait_idle(qtbot, window)
    assert "saved" in tab.note.text()
    entry = _read_checklist(qtbot, window, "hc_application").entry("imm5283")
    assert entry.status.value == "requested" and entry.stored
    qtbot.waitUntil(lambda: tab.table.cellWidget(row, 2).currentData() == "requested", timeout=5000)

    # pre-flight lists the missing required items as errors
    tab.check()
    wait_idle(qtbot, window)
    texts = [tab.problems.item(i).text() for i in range(tab.problems.count())]
    assert any(t.startswith("Error: Missing required item") for t in texts), texts

    # building without "Build anyway" is refused, and the refusal lists the problems
    out = tmp_path / "out" / "package.pdf"
    out.parent.mkdir()
    assert not tab.force.isChecked()
    op = tab.build(out)
    qtbot.waitUntil(lambda: op.done, timeout=30000)
    assert isinstance(op.error, PackageNotReady)
    assert "Not built" in tab.note.text() and not out.exists()
    texts = [tab.problems.item(i).text() for i in range(tab.problems.count())]
    assert any("Missing required item" in t for t in texts), texts
    assert not tab.open_button.isEnabled()

    # forced: a draft PDF that opens
    tab.force.setChecked(True)
    op = tab.build(out)
    qtbot.waitUntil(lambda: op.done, timeout=60000)
    assert op.error is None, op.error
    assert op.result.forced
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) >= 1
    import pypdf

    pages = [" ".join((p.extract_text() or "").split()) for p in pypdf.PdfReader(out).pages]
    assert all("DRAFT \u2014 not ready to file" in p for p in pages), pages  # it can never pass for a filing
    assert "Missing: IMM 5283" in pages[0]
    assert tab.open_button.isEnabled() and tab.result_path == out
    assert "draft" in tab.note.text()


def test_volunteer_has_no_packages_tab(qtbot, make_window, marked_vault: Path) -> None:
    from clinic_app.domain.roles import Role
    from clinic_app.gui.pages.packages import PackagesTab
    from clinic_app.services.session import unlock as open_vault
    from clinic_app.services.users import add_user

    with open_vault(marked_vault, user=ADMIN, passphrase=ADMIN_PASS) as s:
        add_user(s, "volunteer", Role.VOLUNTEER, PASSES["volunteer"])
    window = make_window(marked_vault)
    unlock(qtbot, window, "volunteer", PASSES["volunteer"])
    window.open_matter("m-001")
    wait_idle(qtbot, window)
    assert not any(isinstance(w, PackagesTab) for w in QApplication.allWidgets())
