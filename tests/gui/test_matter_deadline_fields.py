"""The matter form records what deadlines count from beyond the key dates: the dates of steps
taken and the case a rule with options applies to, and the Deadlines tab follows.

Driven through the real window on a real vault: the overview's "Edit matter…", the form's
fields, Save; the vault is then read back through the window's own runner.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from gui_helpers import in_vault, unlock, wait_idle
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from support import ADMIN, ADMIN_PASS


@pytest.fixture
def jr_vault(new_vault) -> Path:
    from clinic_app.domain.client import Client
    from clinic_app.domain.matter import KeyDates, Matter, MatterType
    from clinic_app.services import case_record
    from clinic_app.services.session import unlock as open_vault

    folder, _key = new_vault()
    with open_vault(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-001", legal_name="Ana Example"))
        case_record.save_matter(s, Matter(ref="m-001", client_ref="c-001", type=MatterType.FC_JR,
                                          title="Judicial review", dates=KeyDates(decision=date(2026, 11, 20))))
    return folder


def _open_form(qtbot, window, from_deadlines: bool = False):  # type: ignore[no-untyped-def]
    """The matter form, from the overview's "Edit matter…" or the Deadlines tab's "Dates and options…"."""
    from clinic_app.gui.dialogs.matter_form import MatterForm

    ws = window.desk.current_workspace()
    if from_deadlines:
        ws.setCurrentWidget(ws.deadlines)
        ws.deadlines.dates_button.click()
    else:
        ws.setCurrentWidget(ws.overview)
        qtbot.waitUntil(lambda: ws.overview.view is not None, timeout=10000)
        ws.overview.edit_matter.click()
    qtbot.waitUntil(lambda: any(isinstance(w, MatterForm) and w.isVisible() for w in QApplication.topLevelWidgets()),
                    timeout=10000)
    form = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MatterForm) and w.isVisible())
    qtbot.waitUntil(lambda: form.client.count() == 1 and bool(form.options), timeout=10000)
    return form


def _row(tab, rule_id: str) -> int:  # type: ignore[no-untyped-def]
    return next(i for i, d in enumerate(tab.model.rows) if d.rule_id == rule_id)


def _cell(tab, rule_id: str) -> str:  # type: ignore[no-untyped-def]
    """The Deadline column's text, as the table shows it."""
    return str(tab.model.data(tab.model.index(_row(tab, rule_id), 3)))


def _shown(form, widget) -> bool:  # type: ignore[no-untyped-def]
    return form.form.isRowVisible(widget)


def test_steps_and_options_from_the_matter_form(qtbot, make_window, jr_vault: Path) -> None:
    from clinic_app.domain.matter import KeyDate
    from clinic_app.services import case_record, deadlines

    window = make_window(jr_vault)
    unlock(qtbot, window)
    window.open_matter("m-001")
    ws = window.desk.current_workspace()
    tab = ws.deadlines
    qtbot.waitUntil(lambda: tab.found is not None, timeout=10000)
    record = next(d for d in tab.found.deadlines if d.rule_id == "fc.applicants_record")
    assert record.estimated
    record_cell = _cell(tab, "fc.applicants_record")
    assert "Assumed case" in record_cell and "Estimate" in record_cell  # shown, as the CLI shows its flags
    tab.table.setCurrentIndex(tab.model.index(_row(tab, "fc.applicants_record"), 0))
    assert "Written reasons already received" in tab.details.text()  # the assumed case, in full
    # 15 days in Canada is already the earlier reading: no question asked about it
    assert "Assumed case" not in _cell(tab, "fc.leave_application")

    form = _open_form(qtbot, window, from_deadlines=True)
    # an FC judicial review asks for its steps and options, not an STCA crossing
    assert _shown(form, form.dates[KeyDate.LEAVE_FILED]) and _shown(form, form.dates[KeyDate.RECORD_SERVED])
    assert not _shown(form, form.dates[KeyDate.CROSSING])
    assert _shown(form, form.options["fc.leave_application"])
    assert not _shown(form, form.options["prra.application"])
    assert form.options["fc.leave_application"].currentData() == ""  # nothing chosen yet

    form.dates[KeyDate.RECORD_SERVED].setText("2026-12-01")
    form.dates[KeyDate.LEAVE_FILED].setText("2026-12-03")
    form.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: bool(form.error.text()), timeout=10000)
    assert form.isVisible() and form.error.text().startswith("Applicant's record served")  # named as labelled

    form.dates[KeyDate.RECORD_SERVED].clear()
    outside = form.options["fc.leave_application"]
    outside.setCurrentIndex(outside.findData("outside_canada"))
    form.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=10000)
    wait_idle(qtbot, window)

    saved = in_vault(qtbot, window, lambda s: case_record.get_matter(s, "m-001"))
    assert saved.dates.leave_filed == date(2026, 12, 3) and saved.dates.record_served is None
    assert saved.deadline_options == {"fc.leave_application": "outside_canada"}
    found = in_vault(qtbot, window, lambda s: deadlines.for_matter(s, "m-001"))
    qtbot.waitUntil(lambda: tab.found is not None and tab.found.deadlines == found.deadlines, timeout=10000)
    record = next(d for d in tab.found.deadlines if d.rule_id == "fc.applicants_record")
    assert not record.estimated and record.trigger_date == date(2026, 12, 3)
    leave = next(d for d in tab.found.deadlines if d.rule_id == "fc.leave_application")
    assert leave.variant == "outside_canada" and not leave.variant_assumed
    assert leave.variant == "outside_canada"
    status = str(tab.model.data(tab.model.index(_row(tab, "fc.leave_application"), 2)))
    assert status == "Done: Leave application filed (Federal Court) 2026-12-03"  # filed: no mark needed
    assert "Estimate" not in _cell(tab, "fc.applicants_record")

    # Ctrl+Z puts the matter back as it was: no step date, no option
    window.undo.undo()  # Edit → Undo (Ctrl+Z)
    wait_idle(qtbot, window)
    undone = in_vault(qtbot, window, lambda s: case_record.get_matter(s, "m-001"))
    assert undone.dates.leave_filed is None and undone.deadline_options == {}


def test_changing_the_type_shows_that_types_fields_and_drops_the_others_options(
        qtbot, make_window, jr_vault: Path) -> None:
    from clinic_app.domain.matter import KeyDate
    from clinic_app.services import case_record

    window = make_window(jr_vault)
    unlock(qtbot, window)
    window.open_matter("m-001")
    form = _open_form(qtbot, window)
    leave = form.options["fc.leave_application"]
    leave.setCurrentIndex(leave.findData("outside_canada"))
    form.type.setCurrentIndex(form.type.findData("prra"))
    assert not _shown(form, form.options["fc.leave_application"]) and _shown(form, form.options["prra.application"])
    assert not _shown(form, form.dates[KeyDate.LEAVE_FILED]) and _shown(form, form.dates[KeyDate.PRIOR_PRRA_REJECTED])
    prra = form.options["prra.application"]
    prra.setCurrentIndex(prra.findData("port_of_entry_or_subsequent"))
    form.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=10000)
    wait_idle(qtbot, window)
    saved = in_vault(qtbot, window, lambda s: case_record.get_matter(s, "m-001"))
    assert saved.type.value == "prra"
    assert saved.deadline_options == {"prra.application": "port_of_entry_or_subsequent"}


def test_the_keyboard_reaches_the_options_before_save(qtbot, make_window, jr_vault: Path) -> None:
    """Tab went from the last date to Save and Cancel, and only then to the options: the
    options are read after the form is built, so Qt put them last in the focus chain."""
    from clinic_app.domain.matter import KeyDate

    window = make_window(jr_vault)
    unlock(qtbot, window)
    window.open_matter("m-001")
    form = _open_form(qtbot, window)
    save = form.buttons.button(QDialogButtonBox.StandardButton.Save)
    order, widget = [], form.dates[KeyDate.REMOVAL]
    while widget is not save and len(order) < 500:
        widget = widget.nextInFocusChain()
        order.append(widget)
    assert widget is save
    shown = [combo for rule_id, combo in form.options.items() if _shown(form, combo)]
    assert len(shown) == 2 and all(combo in order for combo in shown)
    assert order.index(shown[0]) > order.index(form.dates[KeyDate.REASONS_MAILED])


def test_an_option_the_clinics_rules_dropped_survives_an_unrelated_edit(qtbot, make_window, new_vault) -> None:
    import yaml

    from clinic_app.domain.client import Client
    from clinic_app.domain.matter import Matter, MatterType
    from clinic_app.services import case_record
    from clinic_app.services.deadline_rules import bundled_rules_dir
    from clinic_app.services.deadline_settings import make_rules_folder
    from clinic_app.services.session import unlock as open_vault

    folder, _key = new_vault()
    with open_vault(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-001", legal_name="Ana Example"))
        case_record.save_matter(s, Matter(ref="m-001", client_ref="c-001", type=MatterType.PRRA, title="PRRA",
                                          deadline_options={"prra.application": "mailed"}))
    data = yaml.safe_load((bundled_rules_dir() / "ircc.yaml").read_text(encoding="utf-8"))
    del next(r for r in data["rules"] if r["id"] == "prra.application")["variants"]["options"]["mailed"]
    (make_rules_folder() / "ircc.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    window = make_window(folder)
    unlock(qtbot, window)
    window.open_matter("m-001")
    form = _open_form(qtbot, window)
    combo = form.options["prra.application"]
    assert combo.currentData() == "mailed" and "not in the rules in force" in combo.currentText()
    form.title.setText("PRRA (renamed)")
    form.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=10000)
    wait_idle(qtbot, window)
    saved = in_vault(qtbot, window, lambda s: case_record.get_matter(s, "m-001"))
    assert saved.title == "PRRA (renamed)" and saved.deadline_options == {"prra.application": "mailed"}
