"""File → Export deadlines to a calendar… and File → Import a case manifest…, driven through
the real window on a real vault.

Before, both existed only on the command line (`deadlines --ics`, `import MANIFEST`).
The calendar carries no client name, and matter refs only when someone with the export
permission asks for them; a staff member is not offered them. A manifest import shows
every problem with its item and field and imports nothing; a name like an existing
client's is asked about, and only "Save anyway" imports it; Cancel imports nothing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from gui_helpers import in_vault, unlock, wait_idle

from support import ADMIN, ADMIN_PASS, PASSES

CLIENT_NAME = "Ana Lucía Reyes Mejía"


@pytest.fixture
def rad_vault(role_sessions, vault_folder: Path) -> Path:
    """Users of every role, and a client with a RAD appeal whose reasons came today (deadlines ahead)."""
    from clinic_app.domain.client import Client
    from clinic_app.domain.matter import KeyDates, Matter, MatterType
    from clinic_app.services import case_record
    from clinic_app.services.session import unlock as open_vault

    with open_vault(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-1", legal_name=CLIENT_NAME))
        case_record.save_matter(s, Matter(ref="m-appeal", client_ref="c-1", type=MatterType.RAD_APPEAL,
                                          title="Appeal", dates=KeyDates(reasons_received=date.today())))
    return vault_folder


def _summaries(path: Path) -> list[str]:
    """The SUMMARY of every event, with folded lines joined (RFC 5545 3.1)."""
    text = path.read_text(encoding="utf-8").replace("\r\n ", "").replace("\r\n", "\n")
    return [line[len("SUMMARY:"):] for line in text.splitlines() if line.startswith("SUMMARY:")]


def _export_from_agenda(qtbot, window, target: Path, *, refs: bool | None):  # type: ignore[no-untyped-def]
    home = window.desk.home
    assert home.export_button.isVisible()
    home.export_button.click()
    dialog = home.calendar_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    suggested = Path(dialog.path.text())
    assert suggested.name == "haven-deadlines.ics" and "Reyes" not in str(suggested), suggested
    dialog.path.setText(str(target))
    if refs is not None:
        dialog.refs.setChecked(refs)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    return dialog


def test_export_from_the_agenda_with_and_without_refs(qtbot, make_window, rad_vault: Path, tmp_path: Path) -> None:
    window = make_window(rad_vault)
    unlock(qtbot, window)
    action = window.action_map["export_calendar"]
    assert action.isVisible() and action.isEnabled() and action.text() == "Export &deadlines to a calendar…"

    plain = tmp_path / "plain.ics"
    dialog = _export_from_agenda(qtbot, window, plain, refs=None)
    assert dialog.refs.isVisible() and not dialog.refs.isChecked()  # an admin may, but it is not the default
    qtbot.waitUntil(lambda: plain.exists() and not dialog.isVisible(), timeout=10000)
    summaries = _summaries(plain)
    assert summaries, plain.read_text()
    assert f"{len(summaries)} events written to {plain}" in window.statusBar().currentMessage()
    assert not any("m-appeal" in s or "Reyes" in s or "Ana" in s for s in summaries), summaries

    with_refs = tmp_path / "refs.ics"
    wait_idle(qtbot, window)
    dialog = _export_from_agenda(qtbot, window, with_refs, refs=True)
    qtbot.waitUntil(lambda: with_refs.exists() and not dialog.isVisible(), timeout=10000)
    summaries = _summaries(with_refs)
    assert summaries and all(s.startswith("m-appeal: ") for s in summaries), summaries
    assert not any("Reyes" in s or "Ana" in s for s in summaries), summaries


def test_export_names_the_refused_place_and_the_dialog_stays_open(qtbot, make_window, rad_vault: Path,
                                                                    tmp_path: Path, monkeypatch) -> None:
    from clinic_app.gui import file_dialogs

    window = make_window(rad_vault)
    unlock(qtbot, window)
    monkeypatch.setattr(file_dialogs, "save_file", lambda *_a, **_k: str(tmp_path / "chosen"))
    window.action_map["export_calendar"].trigger()  # the File menu opens the same dialog
    chosen = window.desk.home.calendar_dialog
    qtbot.waitUntil(chosen.isVisible, timeout=5000)
    chosen.browse.click()
    assert chosen.path.text() == str(tmp_path / "chosen.ics")
    chosen.reject()
    gone = tmp_path / "USB stick" / "deadlines.ics"
    dialog = _export_from_agenda(qtbot, window, gone, refs=None)
    qtbot.waitUntil(lambda: "does not exist" in dialog.error.text(), timeout=10000)
    assert dialog.isVisible() and str(gone.parent) in dialog.error.text() and not gone.parent.exists()

    dialog.path.setText(str(rad_vault / "deadlines.ics"))  # the vault's own folder: refused
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: "vault" in dialog.error.text(), timeout=10000)
    assert not (rad_vault / "deadlines.ics").exists() and dialog.isVisible()


def test_staff_without_export_is_not_offered_refs_and_a_matter_exports_its_own(qtbot, make_window, rad_vault: Path,
                                                                                tmp_path: Path) -> None:
    from clinic_app.domain.matter import KeyDates, Matter, MatterType
    from clinic_app.services import case_record

    window = make_window(rad_vault)
    unlock(qtbot, window, "staff", PASSES["staff"])
    in_vault(qtbot, window, lambda s: case_record.save_matter(s, Matter(
        ref="m-other", client_ref="c-1", type=MatterType.RAD_APPEAL, title="Other",
        dates=KeyDates(reasons_received=date.today()))))
    target = tmp_path / "staff.ics"
    dialog = _export_from_agenda(qtbot, window, target, refs=None)
    assert not dialog.refs.isVisible() and not dialog.refs.isEnabled()
    qtbot.waitUntil(lambda: target.exists() and not dialog.isVisible(), timeout=10000)
    everyone = _summaries(target)
    assert everyone and not any("m-appeal" in s or "m-other" in s or "Reyes" in s for s in everyone)

    window.open_matter("m-appeal")  # the Deadlines tab: that matter only
    wait_idle(qtbot, window)
    tab = window.desk.current_workspace().deadlines
    window.desk.current_workspace().setCurrentWidget(tab)
    tab.export_button.click()
    dialog = tab.calendar_dialog
    assert "m-appeal" in dialog.windowTitle() + " ".join(w.text() for w in dialog.findChildren(type(dialog.error)))
    one = tmp_path / "one.ics"
    dialog.path.setText(str(one))
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: one.exists() and not dialog.isVisible(), timeout=10000)
    assert 0 < len(_summaries(one)) < len(everyone)  # m-other's deadlines are not in it

    window.lock_now()
    unlock(qtbot, window, "volunteer", PASSES["volunteer"])  # no records: no calendar, no manifest import
    assert not window.action_map["export_calendar"].isVisible()
    assert not window.action_map["import_manifest"].isVisible()


# --- the case manifest ----------------------------------------------------------------------------


def _pdf(path: Path, title: str) -> None:
    from clinic_app.pdf.demo_pages import fictional_pdf

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(fictional_pdf(title, [f"text of {title}"], pages=1))


def _manifest(folder: Path, name: str, *, client_name: str = "Beatriz Solano Quirós", documents: int = 1,
              birth_date: str = "1990-05-04") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    docs = []
    for n in range(documents):
        _pdf(folder / "scans" / f"doc{n}.pdf", f"Country report {n}")
        docs.append(f"  - ref: d-new-{n}\n    matter: m-new\n    file: scans/doc{n}.pdf\n"
                    f"    title: Country report {n}\n    category: country_conditions\n")
    text = (f"version: 1\nclients:\n  - ref: c-new\n    name: {client_name}\n    birth_date: \"{birth_date}\"\n"
            f"matters:\n  - ref: m-new\n    client: c-new\n    type: rad_appeal\n    title: Appeal\n"
            f"    dates:\n      reasons_received: {date.today().isoformat()}\n"
            "documents:\n" + "".join(docs))
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _open_import(qtbot, window, path: Path | str):  # type: ignore[no-untyped-def]
    action = window.action_map["import_manifest"]
    assert action.isVisible() and action.isEnabled() and action.text() == "Import a case manifes&t…"
    action.trigger()
    dialog = window.admin_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    if path:
        dialog.path.setText(str(path))
    return dialog


def _refs(qtbot, window, table: str) -> set[str]:  # type: ignore[no-untyped-def]
    from clinic_app.vault import records

    return set(in_vault(qtbot, window, lambda s: records.all_refs(s.vault.conn, table)))


def _home_refs(window) -> set[str]:  # type: ignore[no-untyped-def]
    model = window.desk.home.model
    return {model.row(n).ref for n in range(model.rowCount())}


def test_import_a_manifest_shows_the_summary_and_refreshes_the_window(qtbot, make_window, rad_vault: Path,
                                                                      tmp_path: Path, monkeypatch) -> None:
    from clinic_app.gui import file_dialogs

    window = make_window(rad_vault)
    unlock(qtbot, window)
    assert "c-new" not in _home_refs(window)
    manifest = _manifest(tmp_path / "in", "case.yaml", documents=2)
    dialog = _open_import(qtbot, window, "")
    monkeypatch.setattr(file_dialogs, "open_file", lambda *_a, **_k: str(manifest))
    dialog.browse.click()
    assert dialog.path.text() == str(manifest)
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=60000)
    report = dialog.report.toPlainText()
    for line in ("clients: 1 created, 0 updated", "matters: 1 created, 0 updated", "documents: 2 created, 0 updated"):
        assert line in report, report
    assert dialog.report.isVisible() and not dialog.import_button.isEnabled() and dialog.cancel_button.text() == "Close"
    assert {"d-new-0", "d-new-1"} <= _refs(qtbot, window, "documents")
    qtbot.waitUntil(lambda: {"c-new", "m-new"} <= _home_refs(window), timeout=10000)  # the window refreshed
    qtbot.waitUntil(lambda: any(item.deadline.matter_ref == "m-new"
                                for _g, item in window.desk.home.agenda_model.rows), timeout=10000)


def test_a_manifest_with_problems_lists_item_and_field_and_imports_nothing(qtbot, make_window, rad_vault: Path,
                                                                           tmp_path: Path) -> None:
    window = make_window(rad_vault)
    unlock(qtbot, window)
    bad = _manifest(tmp_path / "bad", "case.yaml", birth_date="32/13/1990")
    bad.write_text(bad.read_text(encoding="utf-8").replace("type: rad_appeal", "type: appeal_of_sorts"),
                   encoding="utf-8")
    dialog = _open_import(qtbot, window, bad)
    dialog.import_button.click()
    qtbot.waitUntil(lambda: "nothing was imported" in dialog.report.toPlainText(), timeout=30000)
    lines = dialog.report.toPlainText().splitlines()
    assert lines[0] == "The manifest has 2 problems; nothing was imported.", lines
    assert any("clients[0]" in line and "birth_date" in line for line in lines), lines
    assert any("matters[0]" in line and "type" in line for line in lines), lines
    assert dialog.report.isReadOnly() and dialog.import_button.isEnabled() and dialog.isVisible()
    assert "c-new" not in _refs(qtbot, window, "clients") and "m-new" not in _refs(qtbot, window, "matters")

    dialog.path.setText(str(tmp_path / "missing.yaml"))
    dialog.import_button.click()
    qtbot.waitUntil(lambda: "missing.yaml" in dialog.report.toPlainText(), timeout=30000)


def test_a_name_like_an_existing_clients_is_asked_about(qtbot, make_window, rad_vault: Path, tmp_path: Path) -> None:
    window = make_window(rad_vault)
    unlock(qtbot, window)
    dialog = _open_import(qtbot, window, _manifest(tmp_path / "in", "case.yaml", client_name="Ana Lucia Reyes Mejia"))
    dialog.import_button.click()
    qtbot.waitUntil(lambda: getattr(dialog, "conflict_dialog", None) is not None
                    and dialog.conflict_dialog.isVisible(), timeout=30000)
    asked = dialog.conflict_dialog
    assert asked.table.rowCount() >= 1 and asked.table.item(0, 1).text() == CLIENT_NAME
    asked.back_button.click()
    qtbot.waitUntil(lambda: "Nothing was imported" in dialog.report.toPlainText(), timeout=10000)
    wait_idle(qtbot, window)
    assert "c-new" not in _refs(qtbot, window, "clients")

    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.conflict_dialog is not asked and dialog.conflict_dialog.isVisible(), timeout=30000)
    dialog.conflict_dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=60000)
    report = dialog.report.toPlainText()
    assert "Imported despite the conflict check" in report and f"like {CLIENT_NAME}" in report, report
    assert "c-new" in _refs(qtbot, window, "clients")


def test_cancel_imports_nothing(qtbot, make_window, rad_vault: Path, tmp_path: Path) -> None:
    window = make_window(rad_vault)
    unlock(qtbot, window)
    dialog = _open_import(qtbot, window, _manifest(tmp_path / "in", "case.yaml", documents=6))
    dialog.import_button.click()
    assert dialog.running and dialog.cancel_button.text() == "Cancel"
    dialog.cancel_button.click()
    assert dialog.isVisible()  # stays open to say what happened
    qtbot.waitUntil(lambda: not dialog.running, timeout=60000)
    assert "cancelled: nothing was imported" in dialog.report.toPlainText()
    assert dialog.summary is None and dialog.import_button.isEnabled()
    assert "c-new" not in _refs(qtbot, window, "clients") and not {"d-new-0"} & _refs(qtbot, window, "documents")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_file_menus_alt_letters_stay_unique(qtbot, make_window, rad_vault: Path, lang: str) -> None:
    import re

    from clinic_app.gui.application import apply_language

    apply_language(lang)
    try:
        window = make_window(rad_vault)
        unlock(qtbot, window)
        for menu_action in window.menuBar().actions():
            texts = [a.text() for a in menu_action.menu().actions() if a.isVisible() and a.text()]
            letters = [m.group(1).lower() for t in texts if (m := re.search(r"&([^&\s])", t))]
            assert len(letters) == len(set(letters)), (menu_action.text(), texts)
        texts = {window.action_map[k].text() for k in ("export_calendar", "import_manifest")}
        assert all("&" in t for t in texts) and (lang == "en") == ("Export &deadlines to a calendar…" in texts)
    finally:
        apply_language("en")


def test_a_file_that_exists_is_replaced_only_when_the_person_says_so(qtbot, make_window, rad_vault: Path,
                                                                       tmp_path: Path, monkeypatch) -> None:
    """Before, a typed path that named an existing file (a spreadsheet, last month's calendar)
    was replaced without a word; the Choose… dialog asked, the typed path did not."""
    from clinic_app.gui.dialogs import calendar_export

    asked: list[str] = []
    answers = [False, True]
    monkeypatch.setattr(calendar_export, "confirm", lambda _p, _t, text, _a: asked.append(text) or answers.pop(0))
    window = make_window(rad_vault)
    unlock(qtbot, window)
    precious = tmp_path / "Clinic budget.xlsx"
    precious.write_bytes(b"the clinic's budget")
    dialog = _export_from_agenda(qtbot, window, precious, refs=None)
    assert len(asked) == 1 and str(precious) in asked[0], asked
    wait_idle(qtbot, window)
    assert precious.read_bytes() == b"the clinic's budget" and dialog.isVisible()
    assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()  # asked again: Replace
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
    assert len(asked) == 2 and precious.read_bytes().startswith(b"BEGIN:VCALENDAR")

    fresh = tmp_path / "new.ics"  # no file there: nothing to ask
    dialog = _export_from_agenda(qtbot, window, fresh, refs=None)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
    assert len(asked) == 2 and fresh.read_bytes().startswith(b"BEGIN:VCALENDAR")

    too_long = tmp_path / ("échéances de la clinique " * 12 + ".ics")  # over 255 bytes on the disk
    dialog = _export_from_agenda(qtbot, window, too_long, refs=None)
    qtbot.waitUntil(lambda: "too long" in dialog.error.text(), timeout=10000)
    assert dialog.isVisible() and len(asked) == 2


def test_a_second_manifest_can_be_imported_from_the_same_dialog(qtbot, make_window, rad_vault: Path,
                                                                tmp_path: Path) -> None:
    """After one manifest was imported, choosing another one left Import greyed out: the
    person had to close the dialog and open it again to import the next family's file."""
    window = make_window(rad_vault)
    unlock(qtbot, window)
    first = _manifest(tmp_path / "one", "case.yaml")
    second = _manifest(tmp_path / "two", "case.yaml", client_name="Carlos Ibáñez Torres")
    second.write_text(second.read_text(encoding="utf-8").replace("-new", "-two"), encoding="utf-8")
    dialog = _open_import(qtbot, window, first)
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=60000)
    assert not dialog.import_button.isEnabled()  # the same file again would only update
    dialog.path.setText(str(second))
    assert dialog.import_button.isEnabled() and dialog.cancel_button.text() == "Cancel"
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.summary is not None
                    and not dialog.running and "clients: 1 created" in dialog.report.toPlainText(), timeout=60000)
    wait_idle(qtbot, window)
    assert {"c-new", "c-two"} <= _refs(qtbot, window, "clients") and "m-two" in _refs(qtbot, window, "matters")
