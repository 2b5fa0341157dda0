"""The smaller things issue 17 saw on screen, each checked in the real window on a real vault:
import progress, readable document refs, the bundle page's buttons and selector, the
Translations tab's defaults, search highlights, deadline countdowns, the lock screen's
user, where save dialogs start, "Open the result" without a viewer, wrapped pre-flight
lines, and errors and citations in French."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from gui_helpers import activate, bundles_page, drop_on_documents, unlock, wait_idle
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from support import ADMIN, ADMIN_PASS, PASSES, open_original

from clinic_app.gui import file_dialogs

CLIENT = "Ana Fictional Example"


@pytest.fixture
def detail_vault(new_vault) -> Path:
    """An H&C matter whose 12-month bar ended two months ago (three documents, one a
    translation of another, and a letter in Spanish), a stay motion, and a volunteer."""
    import io

    from clinic_app.domain.client import Client
    from clinic_app.domain.document import DocumentMeta
    from clinic_app.domain.letter import LetterStatus, SupportLetter, TranslationStatus
    from clinic_app.domain.matter import KeyDates, Matter, MatterType
    from clinic_app.domain.roles import Role
    from clinic_app.domain.translation import TranslationLink
    from clinic_app.pdf.demo_pages import fictional_pdf
    from clinic_app.services import case_record, evidence
    from clinic_app.services.evidence import Analysis
    from clinic_app.services.session import unlock as open_vault
    from clinic_app.services.users import add_user

    folder, _key = new_vault()
    with open_vault(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-001", legal_name=CLIENT))
        case_record.save_matter(s, Matter(ref="m-001", client_ref="c-001", type=MatterType.HC, title="H&C",
                                          dates=KeyDates(decision=date.today() - timedelta(days=430))))
        case_record.save_matter(s, Matter(ref="m-002", client_ref="c-001", type=MatterType.STAY_MOTION,
                                          title="Stay of removal"))
        for ref, title, lang in (("d-a", "Acta de nacimiento", "es"), ("d-b", "Birth certificate (translation)", "en"),
                                 ("d-c", "Police report [draft 2]", "en")):
            lines = [f"text of {title}", "zebra crossing near the station"]
            facts = Analysis(text="\n".join(lines), page_count=1, media_type="application/pdf", language_guess=lang)
            evidence.store_document(s, io.BytesIO(fictional_pdf(title, lines, pages=1)),
                                    DocumentMeta(ref=ref, title=title, page_count=1, language=lang), ["m-001"],
                                    original_filename=f"{ref}.pdf", analysis=facts)
        case_record.link_translation(s, TranslationLink("d-a", "d-b"))
        case_record.save_letter(s, SupportLetter(ref="l-001", matter_ref="m-001", writer="Rosa Example",
                                                 language="es", translation_status=TranslationStatus.NEEDED,
                                                 status=LetterStatus.REVIEWED))
        add_user(s, "volunteer", Role.VOLUNTEER, PASSES["volunteer"])
    return folder


@pytest.fixture
def french():  # type: ignore[no-untyped-def]
    from clinic_app.gui.application import apply_language

    apply_language("fr")
    yield
    apply_language("en")


def _workspace(qtbot, window, ref: str = "m-001"):  # type: ignore[no-untyped-def]
    window.open_matter(ref)
    wait_idle(qtbot, window)
    return window.desk.current_workspace()


# --- importing -----------------------------------------------------------------------------------


def test_import_never_says_complete_while_files_wait(qtbot, make_window, detail_vault: Path, tmp_path: Path) -> None:
    """Twelve copies of one file: the first is stored, the others are linked so fast that the
    runner passes few of their progress reports. Whenever the bar is full, no file waits."""
    drop = tmp_path / "drop"
    drop.mkdir()
    for n in range(12):
        (drop / f"copy_{n:02d}.txt").write_text("1234 5678 9012\n")  # no words: the title comes from the name
    window = make_window(detail_vault)
    unlock(qtbot, window)
    window.open_matter("m-001")
    docs = window.desk.current_workspace().documents
    seen: list[tuple[int, int, str, list[str]]] = []
    shown = docs._progress

    def watch(files, done, total, label):  # type: ignore[no-untyped-def]
        shown(files, done, total, label)
        seen.append((docs.progress.value(), docs.progress.maximum(), docs.progress.format(),
                     [docs.outcomes.item(i).text() for i in range(docs.outcomes.count())]))

    docs._progress = watch  # observe what the screen shows at each report; the import itself is untouched
    drop_on_documents(qtbot, window, [drop])
    qtbot.waitUntil(lambda: docs.import_op is not None and docs.import_op.done, timeout=30000)
    assert seen and seen[-1][0] == seen[-1][1] == 12
    for value, maximum, text, lines in seen:
        if value == maximum:
            assert text != "Import complete" and not any(line.endswith(("waiting", "importing…")) for line in lines)
    assert docs.progress.format() == "Import complete"
    lines = [docs.outcomes.item(i).text() for i in range(docs.outcomes.count())]
    assert len(lines) == 12 and sum(": imported" in line for line in lines) == 1, lines
    assert sum("already in the vault" in line for line in lines) == 11
    assert "1 of 12" not in window.statusBar().currentMessage()

    # the stored document has a readable ref and a title from the file's name
    qtbot.waitUntil(lambda: len(docs.model.rows) == 4, timeout=5000)
    new = next(r for r in docs.model.rows if r["ref"] not in ("d-a", "d-b", "d-c"))
    assert re.fullmatch(r"d-\d{3}", new["ref"]) and new["title"] == "copy 00", new


def test_a_hostile_file_name_becomes_a_one_line_title(qtbot, make_window, detail_vault: Path, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "report_of\u202eexe.txt").write_text("1234 5678\n")
    window = make_window(detail_vault)
    unlock(qtbot, window)
    docs = drop_on_documents(qtbot, window, [drop / "report_of\u202eexe.txt"])
    qtbot.waitUntil(lambda: docs.import_op is not None and docs.import_op.done, timeout=30000)
    qtbot.waitUntil(lambda: len(docs.model.rows) == 4, timeout=5000)
    titles = [docs.model.data(docs.model.index(r, 1)) for r in range(docs.model.rowCount())]
    assert "report of\\u202eexe" in titles and not any("\u202e" in t for t in titles), titles


# --- bundles -------------------------------------------------------------------------------------


def test_bundle_buttons_follow_the_bundle_shown(qtbot, make_window, detail_vault: Path, monkeypatch) -> None:
    from clinic_app.gui.pages import bundle_editing

    window = make_window(detail_vault)
    unlock(qtbot, window)
    tab = bundles_page(window)
    wait_idle(qtbot, window)
    assert tab.choice.count() == 0
    for button in (tab.save_button, tab.check_button, tab.build_button, tab.serve_button):
        assert not button.isEnabled(), button.text()  # no bundle: nothing to save, check, build or serve
    tab.check()  # even if reached some other way: no "No bundle with the reference ."
    wait_idle(qtbot, window)
    assert tab.problems.count() == 0 and "reference" not in tab.note.text()

    monkeypatch.setattr(bundle_editing.QInputDialog, "getText", lambda *_a, **_k: ("Disclosure for the hearing", True))
    tab.editor.new_button.click()
    qtbot.waitUntil(lambda: tab.current_ref() == "b-001", timeout=10000)
    wait_idle(qtbot, window)
    assert tab.choice.currentText() == "\u2068Disclosure for the hearing\u2069 (b-001)"  # the title (isolated), and the ref
    assert tab.check_button.isEnabled() and tab.build_button.isEnabled()
    assert not tab.serve_button.isEnabled()  # an empty bundle: nothing to serve
    assert tab.mark_served() is None and "no tabs" in tab.note.text()


def test_save_dialogs_start_in_documents_with_a_name_from_refs(qtbot, make_window, detail_vault: Path,
                                                               tmp_path: Path, monkeypatch) -> None:
    from clinic_app.gui import save_paths
    from clinic_app.services import bundles
    from clinic_app.services.bundle_specs import tab_for_document
    from clinic_app.services.session import unlock as open_vault

    with open_vault(detail_vault, user=ADMIN, passphrase=ADMIN_PASS) as s:
        from clinic_app.domain.bundle import BundleSpec, Section

        spec = BundleSpec(title=f"Record of {CLIENT}", sections=[Section("Evidence", [
            tab_for_document(s.vault.conn, "d-c")])])
        bundles.save_project(s, "b-001", "m-001", spec)
    asked: list[str] = []
    out = tmp_path / "chosen" / "bundle.pdf"
    out.parent.mkdir()
    monkeypatch.setattr(file_dialogs, "save_file", lambda _p, _c, start, _f="": asked.append(start) or "")
    monkeypatch.setattr(save_paths, "_last_folder", None)
    window = make_window(detail_vault)
    unlock(qtbot, window)
    tab = bundles_page(window)
    qtbot.waitUntil(lambda: tab.current_ref() == "b-001", timeout=10000)
    QTest.mouseClick(tab.build_button, Qt.MouseButton.LeftButton)
    start = Path(asked[-1])
    assert start.is_absolute() and start.parent == save_paths.start_folder() and start.parent != Path.cwd()
    assert start.name == "m-001 - Bundle b-001.pdf" and "Fictional" not in start.name  # never the client's name

    monkeypatch.setattr(file_dialogs, "save_file", lambda _p, _c, start, _f="": asked.append(start) or str(out))
    tab.choose_statement()  # saved in chosen/ (the bundle was never served: the statement is refused, no matter)
    assert Path(asked[-1]).name == "m-001 - Statement of service b-001.pdf"
    monkeypatch.setattr(file_dialogs, "save_file", lambda _p, _c, start, _f="": asked.append(start) or "")
    QTest.mouseClick(tab.build_button, Qt.MouseButton.LeftButton)
    assert Path(asked[-1]) == out.parent / "m-001 - Bundle b-001.pdf"  # the next dialog starts where the last saved
    wait_idle(qtbot, window)

    packages = window.desk.current_workspace().packages
    window.desk.current_workspace().setCurrentWidget(packages)
    qtbot.waitUntil(lambda: packages.build_button.isEnabled() or packages.package() != "", timeout=10000)
    packages.force.setChecked(True)
    monkeypatch.setattr(file_dialogs, "save_file", lambda _p, _c, start, _f="": asked.append(start) or "")
    packages.choose_and_build()
    assert Path(asked[-1]).name == f"m-001 - {packages.choice.currentText()}.pdf"


def test_open_the_result_without_a_pdf_viewer_says_so(qtbot, make_window, detail_vault: Path, tmp_path: Path,
                                                     monkeypatch) -> None:
    from PySide6.QtGui import QDesktopServices

    from clinic_app.services import bundles
    from clinic_app.services.bundle_specs import tab_for_document
    from clinic_app.services.session import unlock as open_vault

    with open_vault(detail_vault, user=ADMIN, passphrase=ADMIN_PASS) as s:
        from clinic_app.domain.bundle import BundleSpec, Section

        bundles.save_project(s, "b-001", "m-001", BundleSpec(title="Record", sections=[Section("Evidence", [
            tab_for_document(s.vault.conn, "d-c")])]))
    asked: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: asked.append(url.toLocalFile()) and False)
    window = make_window(detail_vault)
    unlock(qtbot, window)
    tab = bundles_page(window)
    qtbot.waitUntil(lambda: tab.current_ref() == "b-001", timeout=10000)
    out = tmp_path / "out" / "bundle.pdf"
    out.parent.mkdir()
    op = tab.build(out)
    qtbot.waitUntil(lambda: op.done, timeout=60000)
    assert op.error is None and tab.open_button.isEnabled()
    QTest.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    def shown():  # type: ignore[no-untyped-def]
        return next((w for w in QApplication.topLevelWidgets() if w.objectName() == "no_viewer" and w.isVisible()),
                    None)

    qtbot.waitUntil(lambda: shown() is not None, timeout=5000)
    box = shown()
    assert asked == [str(out)] and "bundle.pdf" in box.text() and str(out.parent) in box.text()
    show = next(b for b in box.buttons() if b.text() == "Show the folder")
    show.click()
    assert asked == [str(out), str(out.parent)]
    box.close()


def test_preflight_lines_wrap_in_a_narrow_window(qtbot, make_window, detail_vault: Path) -> None:
    window = make_window(detail_vault)
    window.resize(800, 700)
    unlock(qtbot, window)
    ws = _workspace(qtbot, window)
    packages = ws.packages
    ws.setCurrentWidget(packages)
    qtbot.waitUntil(lambda: packages.checklist is not None, timeout=10000)
    QTest.mouseClick(packages.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: packages.problems.count() > 0, timeout=10000)
    qtbot.wait(50)
    view = packages.problems
    width = view.viewport().width()
    rects = [view.visualItemRect(view.item(i)) for i in range(view.count())]
    longest = max(range(view.count()), key=lambda i: len(view.item(i).text()))
    assert view.fontMetrics().horizontalAdvance(view.item(longest).text()) > width  # a line too long for one row
    assert all(r.width() <= width for r in rects)  # ... and yet nothing runs off the list's edge
    assert rects[longest].height() >= 2 * view.fontMetrics().lineSpacing()


# --- translations and search ---------------------------------------------------------------------


def test_translations_tab_chooses_nothing_in_advance(qtbot, make_window, detail_vault: Path) -> None:
    window = make_window(detail_vault)
    unlock(qtbot, window)
    tab = _workspace(qtbot, window).translations
    qtbot.waitUntil(lambda: tab.original.count() == 4, timeout=10000)
    assert tab.original.currentData() == "" and tab.translation.currentData() == ""
    assert not tab.link_button.isEnabled()
    tab.original.setCurrentIndex(tab.original.findData("d-c"))
    tab.translation.setCurrentIndex(tab.translation.findData("d-c"))
    assert not tab.link_button.isEnabled()  # a document is never its own translation
    tab.translation.setCurrentIndex(tab.translation.findData("d-a"))
    assert tab.link_button.isEnabled()


def test_search_shows_matches_in_bold_not_in_brackets(qtbot, make_window, detail_vault: Path) -> None:
    window = make_window(detail_vault)
    unlock(qtbot, window)
    home = window.desk.home
    QTest.keyClicks(home.search, "zebra")
    qtbot.waitUntil(lambda: home.model.rowCount() == 3 and all(r.kind == "document" for r in home.model.rows),
                    timeout=5000)
    delegate = home.table.itemDelegateForColumn(3)
    for row in range(3):
        index = home.model.index(row, 3)
        text = home.model.data(index)
        assert "zebra" in text and "[zebra]" not in text, text
        assert "<b>zebra</b>" in delegate.html(index)
    police = next(r for r in range(3) if home.model.row(r).ref == "d-c")
    assert "[draft 2]" in home.model.data(home.model.index(police, 3))  # the document's own brackets stay
    assert "[draft 2]" in delegate.html(home.model.index(police, 3))  # and are not a match
    assert "<b>[" not in delegate.html(home.model.index(police, 3))
    home.table.grab()  # the delegate paints


# --- deadlines, lock screen ----------------------------------------------------------------------


def test_passed_earliest_dates_never_count_negative_days(qtbot, make_window, detail_vault: Path) -> None:
    window = make_window(detail_vault)
    unlock(qtbot, window)
    ws = _workspace(qtbot, window)
    qtbot.waitUntil(lambda: "Deadlines" in ws.overview.text.toPlainText(), timeout=10000)
    overview = ws.overview.text.toPlainText()
    model = ws.deadlines.model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=10000)
    when = [model.data(model.index(r, 1)) for r in range(model.rowCount())]
    allowed = re.compile(r"Allowed for \d+ days now")
    assert allowed.search(overview) and any(allowed.fullmatch(w) for w in when), (overview, when)
    assert not re.search(r"-\d+ day", overview + " ".join(when))


def test_the_lock_screen_offers_whoever_locked(qtbot, make_window, detail_vault: Path) -> None:
    window = make_window(detail_vault)
    assert window.unlock_page.user.currentText() == ADMIN  # the first user, before anyone unlocked
    unlock(qtbot, window, "volunteer", PASSES["volunteer"])
    activate(qtbot, window)
    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.desk is None, timeout=10000)
    wait_idle(qtbot, window)
    assert window.unlock_page.user.currentText() == "volunteer"


# --- French --------------------------------------------------------------------------------------


def test_errors_name_fields_as_the_window_does_in_french(qtbot, make_window, detail_vault: Path, french,
                                                          discard_on_close) -> None:
    window = make_window(detail_vault)
    unlock(qtbot, window)
    ws = _workspace(qtbot, window)

    # a letter whose translation is not done cannot be ready to file: "Statut", not "status"
    letters = ws.letters
    qtbot.waitUntil(lambda: letters.model.rowCount() == 1, timeout=10000)
    letters.table.activated.emit(letters.proxy.index(0, 0))
    form = letters.form
    form.status.setCurrentIndex(form.status.findData("ready_to_file"))
    letters.save()
    assert letters.message.text().startswith("Statut\u00a0: ")
    assert "status" not in letters.message.text()

    # a date typed wrong in a document's details: "Date", not "date"
    docs = ws.documents
    ws.setCurrentWidget(docs)
    qtbot.waitUntil(lambda: docs.model.rowCount() == 3, timeout=10000)
    docs.table.selectRow(0)
    docs.date.setText("7 déc.")
    QTest.mouseClick(docs.save_button, Qt.MouseButton.LeftButton)
    assert docs.detail_message.text().startswith("Date\u00a0: ") and "date:" not in docs.detail_message.text()


def test_french_window_shows_french_themes_forms_and_citations(qtbot, make_window, detail_vault: Path,
                                                               french) -> None:
    window = make_window(detail_vault)
    unlock(qtbot, window)
    ws = _workspace(qtbot, window)
    assert ws.letters.form.themes.placeholderText() == "emploi; bénévolat; communauté; famille; difficultés"
    deadlines = ws.deadlines.model
    qtbot.waitUntil(lambda: deadlines.rowCount() > 0, timeout=10000)
    tips = [deadlines.data(deadlines.index(r, 3), Qt.ItemDataRole.ToolTipRole) for r in range(deadlines.rowCount())]
    assert any("LIPR, art. 25(1.2)(c)" in t for t in tips) and not any("IRPA" in t for t in tips), tips

    stay = _workspace(qtbot, window, "m-002").packages
    window.desk.current_workspace().setCurrentWidget(stay)
    qtbot.waitUntil(lambda: stay.checklist is not None and stay.table.rowCount() > 0, timeout=10000)
    needs = [stay.table.item(r, 3).text() for r in range(stay.table.rowCount())]
    tips = [stay.table.item(r, 0).toolTip() for r in range(stay.table.rowCount())]
    assert any("formule 359" in n for n in needs) and not any("Form 359" in n for n in needs), needs
    assert any("Règles des Cours fédérales" in t for t in tips) and not any("FCR" in t for t in tips), tips


def test_switching_language_on_the_lock_screen_keeps_the_user(qtbot, make_window, detail_vault: Path) -> None:
    from clinic_app.gui.application import apply_language

    window = make_window(detail_vault)
    window.unlock_page.user.setCurrentText("volunteer")
    try:
        apply_language("fr")
        window.retranslate()
        assert window.unlock_page.user.currentText() == "volunteer"
    finally:
        apply_language("en")


# --- services the window had no way to (issue 17: every change to the record is reachable) -------


def test_save_a_copy_of_an_original_from_the_documents_tab(qtbot, make_window, detail_vault: Path, tmp_path: Path,
                                                          monkeypatch) -> None:
    from clinic_app.services.audit_log import entries
    from clinic_app.services.session import unlock as open_vault

    asked: list[str] = []
    out = tmp_path / "copies" / "chosen.pdf"
    out.parent.mkdir()
    monkeypatch.setattr(file_dialogs, "save_file", lambda _p, _c, start, _f="": asked.append(start) or str(out))
    window = make_window(detail_vault)
    unlock(qtbot, window)
    ws = _workspace(qtbot, window)
    docs = ws.documents
    ws.setCurrentWidget(docs)
    qtbot.waitUntil(lambda: docs.model.rowCount() == 3, timeout=10000)
    row = next(r for r in range(3) if docs.model.row(r)["ref"] == "d-c")
    docs.table.selectRow(row)
    assert docs.export_button.isVisible()
    QTest.mouseClick(docs.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: out.exists() and "Copy saved" in docs.detail_message.text(), timeout=10000)
    assert Path(asked[0]).name == "d-c.pdf"  # the ref and the file type: never the file's own name
    wait_idle(qtbot, window)
    window.lock_now()
    qtbot.waitUntil(lambda: window.desk is None, timeout=10000)
    wait_idle(qtbot, window)
    with open_vault(detail_vault, user=ADMIN, passphrase=ADMIN_PASS) as s:
        with open_original(s, "d-c") as original:
            assert out.read_bytes() == original.read()
        assert "document_exported" in [e.action for e in entries(s)]


def test_an_item_status_goes_back_to_automatic(qtbot, make_window, detail_vault: Path) -> None:
    window = make_window(detail_vault)
    unlock(qtbot, window)
    ws = _workspace(qtbot, window)
    packages = ws.packages
    ws.setCurrentWidget(packages)
    qtbot.waitUntil(lambda: packages.checklist is not None and packages.table.rowCount() > 0, timeout=10000)
    row = next(r for r, e in enumerate(packages.checklist.entries) if e.item.id == "imm5283")
    combo = packages.table.cellWidget(row, 2)
    assert combo.currentIndex() == 0 and combo.currentText().startswith("Automatic: ")
    combo.setCurrentIndex(combo.findData("requested"))
    qtbot.waitUntil(lambda: packages.note.text() == "Status saved.", timeout=10000)
    packages._load_checklist()
    qtbot.waitUntil(lambda: packages.checklist.entry("imm5283").stored, timeout=10000)
    combo = packages.table.cellWidget(row, 2)
    assert combo.currentData() == "requested"
    combo.setCurrentIndex(0)  # "Automatic"
    qtbot.waitUntil(lambda: packages.note.text() == "Status set back to automatic.", timeout=10000)
    qtbot.waitUntil(lambda: not packages.checklist.entry("imm5283").stored, timeout=10000)
    assert packages.table.cellWidget(row, 2).currentText().startswith("Automatic: ")
