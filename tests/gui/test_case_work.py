"""Clients, matters, search, document import and the keyboard-only letter form."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from gui_helpers import MARKER, activate, bundles_page, drop_on_documents, unlock, wait_idle
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


def test_add_client_and_matter_then_find_them(qtbot, make_window, vault_folder: Path) -> None:
    from clinic_app.gui.dialogs.client_form import ClientForm
    from clinic_app.gui.dialogs.matter_form import MatterForm

    window = make_window(vault_folder)
    unlock(qtbot, window)
    window.action_map["new_client"].trigger()
    form = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ClientForm) and w.isVisible())
    QTest.keyClicks(form.name, "Moussa Diallo")
    QTest.keyClicks(form.aliases, "Mousa Dialo; M. D.")
    form.birth.setText("1990-13-01")
    form.save()
    assert "not a date" in form.error.text()
    form.birth.setText("1990-04-21")
    form.save()
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=10000)
    assert form.saved_ref == "c-001"
    window.action_map["new_matter"].trigger()
    mform = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MatterForm) and w.isVisible())
    qtbot.waitUntil(lambda: mform.client.count() == 1, timeout=5000)
    QTest.keyClicks(mform.title, "Diallo: deferral request")
    mform.numbers["fc"].setText("IMM-1234-26")
    mform.save()
    qtbot.waitUntil(lambda: not mform.isVisible(), timeout=10000)
    qtbot.waitUntil(lambda: window.desk.current_workspace() is not None, timeout=5000)
    ws = window.desk.current_workspace()
    qtbot.waitUntil(lambda: "IMM-1234-26" in ws.overview.text.toPlainText(), timeout=5000)
    assert "M.D." in ws.overview.text.toPlainText()  # public initials beside the name
    home = window.desk.home
    window.desk.focus_search()
    QTest.keyClicks(home.search, "Mousa")
    qtbot.waitUntil(lambda: [r.ref for r in home.model.rows] == ["c-001"], timeout=5000)
    home.search.clear()
    QTest.keyClicks(home.search, "IMM-1234-26")
    qtbot.waitUntil(lambda: any(r.ref == "m-001" for r in home.model.rows), timeout=5000)


def test_import_dropped_files_with_per_file_outcomes_and_preview(qtbot, make_window, marked_vault: Path,
                                                                 tmp_path: Path) -> None:
    from clinic_app.pdf.demo_pages import fictional_pdf

    good = tmp_path / "police_report.pdf"
    good.write_bytes(fictional_pdf("Police report", ["fictional"], pages=3))
    same = tmp_path / "copy.pdf"
    same.write_bytes(good.read_bytes())
    window = make_window(marked_vault)
    unlock(qtbot, window)
    docs = drop_on_documents(qtbot, window, [good, same, tmp_path / "gone.pdf"])
    op = docs.import_op
    assert op is not None
    assert docs.outcomes.count() == 3  # every file listed at once, each gets its own outcome
    qtbot.waitUntil(lambda: op.done, timeout=30000)
    texts = [docs.outcomes.item(i).text() for i in range(docs.outcomes.count())]
    assert texts[0].startswith("police_report.pdf: imported"), texts
    assert texts[1].startswith("copy.pdf: already in the vault"), texts
    assert texts[2].startswith("gone.pdf: not imported"), texts
    qtbot.waitUntil(lambda: len(docs.model.rows) == 2, timeout=5000)
    row = next(i for i, d in enumerate(docs.model.rows) if d["original_filename"] == "police_report.pdf")
    docs.table.selectRow(row)
    qtbot.waitUntil(lambda: docs.preview.thumbs.count() == 1 or docs.preview.page.pixmap() is not None
                    and not docs.preview.page.pixmap().isNull(), timeout=10000)


def test_three_support_letters_with_the_keyboard_only(qtbot, make_window, marked_vault: Path) -> None:
    window = make_window(marked_vault)
    unlock(qtbot, window)
    window.open_matter("m-001")
    wait_idle(qtbot, window)
    activate(qtbot, window)
    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    tab = window.desk.current_workspace().letters
    form = tab.form
    assert QApplication.focusWidget() is form.writer
    QTest.keyClicks(form.writer, "Fictional Employer")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    QTest.keyClicks(QApplication.focusWidget(), "employer since 2022")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert QApplication.focusWidget() is form.writer and form.writer.text() == ""
    QTest.keyClicks(form.writer, "Fictional Neighbour")
    for _ in range(6):  # relationship, organisation, writer status, contact, date -> language
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.language
    QTest.keyClick(form.language, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(form.language, "es")
    QTest.keyClick(form.language, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(form.writer, "Fictional Teacher")
    QTest.keyClick(form.writer, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: len(tab.model.rows) == 4, timeout=5000)
    new = {x.writer: x for x in tab.model.rows if x.ref != "l-001"}
    assert set(new) == {"Fictional Employer", "Fictional Neighbour", "Fictional Teacher"}
    employer = new["Fictional Employer"]
    assert employer.relationship == "employer since 2022" and employer.status.value == "requested"
    assert employer.letter_date == date.today() and employer.language == "en"
    assert new["Fictional Neighbour"].translation_status.value == "needed"  # switched by the language rule
    assert sorted(x.ref for x in new.values()) == ["l-002", "l-003", "l-004"]


def test_undo_a_letter_edit(qtbot, make_window, marked_vault: Path) -> None:
    window = make_window(marked_vault)
    unlock(qtbot, window)
    window.open_matter("m-001")
    wait_idle(qtbot, window)
    tab = window.desk.current_workspace().letters
    qtbot.waitUntil(lambda: len(tab.model.rows) == 1, timeout=5000)
    tab.form.load(tab.model.rows[0])
    tab.form.writer.setText("Corrected Writer")
    tab.save()
    qtbot.waitUntil(lambda: window.undo.canUndo() and tab.model.rows[0].writer == "Corrected Writer", timeout=5000)
    activate(qtbot, window)
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: tab.model.rows[0].writer == f"Writer {MARKER}", timeout=5000)
    window.undo.redo()
    qtbot.waitUntil(lambda: tab.model.rows[0].writer == "Corrected Writer", timeout=5000)


def test_bundle_reorder_preflight_build_and_cancel(qtbot, make_window, marked_vault: Path, tmp_path: Path) -> None:
    from clinic_app.domain.bundle import BundleSpec, DocumentPart, Section, Tab
    from clinic_app.errors import Cancelled
    from clinic_app.services import bundles
    from clinic_app.services.session import unlock as open_vault

    from support import ADMIN, ADMIN_PASS

    tabs = [Tab(f"Report {n}", parts=[DocumentPart("d-001", pages="1" if n == 1 else "")]) for n in (1, 2, 3)]
    with open_vault(marked_vault, user=ADMIN, passphrase=ADMIN_PASS) as s:
        bundles.save_project(s, "b-001", "m-001", BundleSpec("Disclosure", sections=[Section("Evidence", tabs)]))
    window = make_window(marked_vault)
    unlock(qtbot, window)
    tab = bundles_page(window)
    qtbot.waitUntil(lambda: tab.tabs.count() == 3, timeout=5000)
    assert tab.build_button.isEnabled()
    assert tab.count.text().startswith("5 pages")  # 1 + 2 + 2, live from the page ranges
    tab.tabs.setCurrentRow(2)
    tab.ranges.setText("5-9")  # beyond the document: refused on the spot
    tab._ranges_edited()
    assert "2 pages" in tab.note.text() and tab.ranges.text() == ""
    tab.tabs.model().moveRow(tab.tabs.model().index(2, 0).parent(), 2, tab.tabs.model().index(0, 0).parent(), 0)
    assert tab.tabs.item(0).text().startswith("3.")
    tab.save()
    wait_idle(qtbot, window)
    assert "saved" in tab.note.text()
    tab.check()
    wait_idle(qtbot, window)
    assert tab.problems.count() >= 1
    out = tmp_path / "out" / "bundle.pdf"
    out.parent.mkdir()
    op = tab.build(out)
    qtbot.waitUntil(lambda: op.done, timeout=30000)
    assert op.error is None, op.error
    assert out.read_bytes().startswith(b"%PDF") and tab.open_button.isEnabled()
    assert "Report 3" in tab.tabs.item(0).text()
    cancelled = tmp_path / "out" / "cancelled.pdf"
    op = tab.build(cancelled)
    op.cancel.cancel()
    qtbot.waitUntil(lambda: op.done, timeout=30000)
    assert isinstance(op.error, Cancelled) and not cancelled.exists()
    assert sorted(p.name for p in out.parent.iterdir()) == ["bundle.pdf"]  # no partial output left
