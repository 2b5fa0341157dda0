"""Creating and editing a bundle in the window on a real vault: a new bundle, documents as
tabs (a translation grouped with its original), sections, a reference-only entry, tab
details, settings, removing a tab, discarding, saving, then building it."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pypdf
import pytest
from gui_helpers import activate, bundles_page, unlock, wait_idle
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox

from support import ADMIN, ADMIN_PASS


@pytest.fixture(autouse=True)
def _discard_on_close(monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Discard)


@pytest.fixture
def matter_vault(new_vault) -> Path:
    """A matter with four documents and no bundle: d-004 is the English translation of d-003."""
    from clinic_app.domain.client import Client
    from clinic_app.domain.document import DocumentMeta
    from clinic_app.domain.matter import Matter, MatterType
    from clinic_app.domain.translation import TranslationLink
    from clinic_app.pdf.demo_pages import fictional_pdf
    from clinic_app.services import case_record, evidence
    from clinic_app.services.session import unlock as open_vault

    folder, _key = new_vault()
    with open_vault(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-001", legal_name="Ana Ruiz", public_initials="A.R."))
        case_record.save_matter(s, Matter(ref="m-001", client_ref="c-001", type=MatterType.HC, title="H&C"))
        for ref, title, pages, lang in (("d-001", "Medical report", 2, "en"), ("d-002", "Support letter", 3, "en"),
                                        ("d-003", "Acta de nacimiento", 1, "es"),
                                        ("d-004", "Birth certificate (English)", 1, "en")):
            data = fictional_pdf(title, [f"{title} text"], pages=pages)
            evidence.store_document(s, io.BytesIO(data), DocumentMeta(ref=ref, title=title, page_count=pages,
                                                                     language=lang), ["m-001"],
                                    original_filename=f"{ref}.pdf")
        case_record.link_translation(s, TranslationLink("d-003", "d-004"))
    return folder


def _in_vault(qtbot, window, fn) -> Any:  # type: ignore[no-untyped-def]
    from clinic_app.gui.tasks import Op

    op = Op(window.runner, lambda job: fn(job.session)).run()
    qtbot.waitUntil(lambda: op.done, timeout=10000)
    assert op.error is None, op.error
    return op.result


def _texts(tab) -> list[str]:  # type: ignore[no-untyped-def]
    """The tab list's lines, without the isolates around each title (test_bidi_isolation.py)."""
    return [tab.tabs.item(i).text().replace("\u2068", "").replace("\u2069", "") for i in range(tab.tabs.count())]


def _ok(dialog) -> None:  # type: ignore[no-untyped-def]
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_create_edit_save_and_build_a_bundle(qtbot, make_window, matter_vault: Path, tmp_path: Path,
                                             monkeypatch) -> None:
    from clinic_app.domain.bundle import PAPER_SIZES
    from clinic_app.gui.pages import bundle_editing
    from clinic_app.services import bundles

    window = make_window(matter_vault)
    unlock(qtbot, window)
    tab = bundles_page(window)
    editor = tab.editor
    qtbot.waitUntil(lambda: len(tab.documents) == 4, timeout=10000)
    assert tab.choice.count() == 0 and editor.new_button.isEnabled()
    assert not editor.add_documents_button.isEnabled() and not editor.settings_button.isEnabled()

    # a new bundle: saved at once under the next free ref, and shown
    answers = iter([("Claimant's disclosure", True), ("Country conditions", True)])
    monkeypatch.setattr(bundle_editing.QInputDialog, "getText", lambda *_a, **_k: next(answers))
    editor.new_button.click()
    qtbot.waitUntil(lambda: tab.current_ref() == "b-001", timeout=10000)
    wait_idle(qtbot, window)
    assert tab.tabs.count() == 0 and editor.add_documents_button.isEnabled() and not editor.remove_button.isEnabled()
    assert not tab.has_unsaved()

    # three documents, the translation checked too: it joins its original's tab, not a tab of its own
    dialog = editor.add_documents()
    assert dialog is not None and dialog.documents.count() == 4 and not dialog.add_button.isEnabled()
    dialog.set_checked(["d-001", "d-002", "d-003", "d-004"])
    assert dialog.chosen() == ["d-001", "d-002", "d-003", "d-004"] and dialog.add_button.isEnabled()
    dialog.add_button.click()
    qtbot.waitUntil(lambda: tab.tabs.count() == 3, timeout=10000)
    assert _texts(tab) == ["1. Medical report  (all pages)", "2. Support letter  (all pages)",
                           "3. Acta de nacimiento  (all pages)"]
    assert tab.has_unsaved() and editor.discard_button.isEnabled()
    assert tab.count.text().startswith("7 pages")  # 2 + 3 + (1 original + 1 translation)

    # a second section, a reference-only entry in it (the citation is required)
    editor.add_section_button.click()
    assert [tab.move_target.itemText(i) for i in range(tab.move_target.count())] == ["A", "B – Country conditions"]
    assert tab.move_target.currentIndex() == 1
    dialog = editor.add_reference()
    dialog.title.setText("UK Home Office country report")
    _ok(dialog)
    assert dialog.isVisible() and "citation" in dialog.error.text() and tab.tabs.count() == 3
    dialog.citation.setText("NDP item 7.3")
    _ok(dialog)
    assert not dialog.isVisible()
    assert _texts(tab)[3] == "4. UK Home Office country report  (reference only)" and tab.tabs.currentRow() == 3

    # rename and date a tab; a wrong date is refused in the dialog
    tab.tabs.setCurrentRow(0)
    dialog = editor.tab_details()
    assert dialog.title.text() == "Medical report" and not dialog.citation.isVisible()
    dialog.title.setText("Psychological report")
    dialog.date.setText("2024-02-30")
    _ok(dialog)
    assert dialog.isVisible() and "not a date" in dialog.error.text()
    dialog.date.setText("2024-02-03")
    _ok(dialog)
    assert _texts(tab)[0] == "1. Psychological report  (all pages)"

    # the Delete key removes the selected tab
    activate(qtbot, window)
    tab.tabs.setCurrentRow(1)
    tab.tabs.setFocus()
    QTest.keyClick(tab.tabs, Qt.Key.Key_Delete)
    assert [t.split("  ")[0] for t in _texts(tab)] == ["1. Psychological report", "2. Acta de nacimiento",
                                                        "3. UK Home Office country report"]
    assert "Support letter" in tab.note.text()

    # settings: A4 and section prefixes; a page limit of 0 is refused in the dialog
    dialog = editor.settings()
    assert dialog.title.text() == "Claimant's disclosure" and dialog.paper.currentData() == "letter"
    dialog.paper.setCurrentIndex(dialog.paper.findData("a4"))
    dialog.section_prefixes.setChecked(True)
    dialog.max_pages.setText("0")
    _ok(dialog)
    assert dialog.isVisible() and "at least 1" in dialog.error.text() and dialog.focusWidget() is dialog.max_pages
    dialog.max_pages.setText("")
    _ok(dialog)
    assert not dialog.isVisible()
    assert [t.split("  ")[0] for t in _texts(tab)] == ["A-1. Psychological report", "A-2. Acta de nacimiento",
                                                        "B-1. UK Home Office country report"]

    # save, and read back what the vault holds
    tab.save_button.click()
    wait_idle(qtbot, window)
    assert tab.note.text() == "Bundle saved." and not tab.has_unsaved() and not editor.discard_button.isEnabled()
    matter_ref, spec = _in_vault(qtbot, window, lambda s: bundles.load_project(s, "b-001"))
    assert matter_ref == "m-001" and spec.title == "Claimant's disclosure"
    assert [s.title for s in spec.sections] == ["", "Country conditions"]
    first, acta = spec.sections[0].tabs
    assert (first.title, first.date, [p.document_id for p in first.parts]) == (
        "Psychological report", date(2024, 2, 3), ["d-001"])
    assert [(p.document_id, p.role) for p in acta.parts] == [("d-003", "document"), ("d-004", "translation")]
    (ref_tab,) = spec.sections[1].tabs
    assert ref_tab.reference_only and (ref_tab.title, ref_tab.reference) == ("UK Home Office country report",
                                                                              "NDP item 7.3")
    assert spec.settings.paper == "a4" and spec.settings.section_prefixes and spec.settings.max_pages is None
    assert "d-002" not in spec.document_ids()

    # discarding an unsaved edit shows the saved bundle again
    tab.tabs.setCurrentRow(0)
    editor.remove_button.click()
    assert tab.tabs.count() == 2 and tab.has_unsaved()
    editor.discard_button.click()
    qtbot.waitUntil(lambda: tab.tabs.count() == 3, timeout=10000)
    wait_idle(qtbot, window)
    assert not tab.has_unsaved() and _texts(tab)[0].startswith("A-1. Psychological report")

    # build from the window and read the PDF back
    out = tmp_path / "out" / "bundle.pdf"
    out.parent.mkdir()
    op = tab.build(out)
    qtbot.waitUntil(lambda: op.done, timeout=30000)
    assert op.error is None, op.error
    result = op.result
    reader = pypdf.PdfReader(out)
    assert len(reader.pages) == result.total_pages
    assert result.total_pages >= 4 + 2  # 4 document pages, 2 separators, plus cover and index
    box = reader.pages[0].mediabox
    width, height = PAPER_SIZES["a4"]
    assert abs(float(box.width) - width) < 1 and abs(float(box.height) - height) < 1
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "NDP item 7.3" in text and "Psychological report" in text and "Support letter" not in text


def test_editing_is_refused_for_a_served_bundle_and_sections_must_be_empty(qtbot, make_window, matter_vault: Path,
                                                                           monkeypatch) -> None:
    from clinic_app.domain.bundle import BundleSpec, DocumentPart, Section, Tab
    from clinic_app.gui.pages import bundle_editing
    from clinic_app.services import bundles

    window = make_window(matter_vault)
    unlock(qtbot, window)
    _in_vault(qtbot, window, lambda s: bundles.save_project(s, "b-001", "m-001", BundleSpec("Disclosure", sections=[
            Section("Evidence", [Tab("Report", parts=[DocumentPart("d-001")])]), Section("Empty")])))
    tab = bundles_page(window)
    editor = tab.editor
    qtbot.waitUntil(lambda: tab.tabs.count() == 1, timeout=10000)
    tab.move_target.setCurrentIndex(0)
    assert editor.remove_section() is False and "Only an empty section" in tab.note.text()
    tab.move_target.setCurrentIndex(1)
    monkeypatch.setattr(bundle_editing.QInputDialog, "getText", lambda *_a, **_k: ("Later", True))
    assert editor.rename_section() is True
    assert [tab.move_target.itemText(i) for i in range(tab.move_target.count())] == ["A – Evidence", "B – Later"]
    tab.move_target.setCurrentIndex(1)
    assert editor.remove_section() is True and tab.move_target.count() == 1 and tab.has_unsaved()

    # once served, nothing can be edited (only a new bundle can be started)
    monkeypatch.setattr(tab, "is_frozen", lambda: True)
    editor.refresh()
    assert editor.new_button.isEnabled()
    for b in (editor.add_documents_button, editor.reference_button, editor.settings_button, editor.remove_button,
              editor.details_button, editor.add_section_button, editor.discard_button):
        assert not b.isEnabled(), b.text()
    tab.tabs.setCurrentRow(0)
    assert editor.remove_tab() is False and tab.tabs.count() == 1
    assert editor.add_documents() is None and editor.settings() is None
