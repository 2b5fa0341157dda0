"""The clinic's rules folder and province reach every deadline computation.

A lawyer's corrected copy of a rules file in the clinic's rules folder (config_dir()/rules,
redirected by tests/conftest.py) changes the computed date; a broken copy stops the
deadlines with the loader's message instead of falling back to Haven's file; the province
saved in the vault chooses whose holidays the deadlines note. Real vaults, real files.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from clinic_app.domain.client import Client
from clinic_app.domain.deadlines import RulesFileError
from clinic_app.domain.matter import KeyDates, Matter, MatterType
from clinic_app.errors import BadInput, PermissionDenied
from clinic_app.paths import config_dir, resources_dir
from clinic_app.services import audit_log, case_record, deadline_settings, deadlines, packages

RAD = resources_dir() / "rules" / "rad.yaml"


def _rad_matter(session, ref: str = "m-rad", received: date = date(2027, 3, 1)) -> None:  # type: ignore[no-untyped-def]
    case_record.save_client(session, Client(ref="c-1", legal_name="Test Client"))
    case_record.save_matter(session, Matter(ref=ref, client_ref="c-1", type=MatterType.RAD_APPEAL, title="Appeal",
                                            dates=KeyDates(reasons_received=received)))


def _notice(session, **kw) -> object:  # type: ignore[no-untyped-def]
    found = deadlines.for_matter(session, "m-rad", **kw)
    return next(d for d in found.deadlines if d.rule_id == "rad.notice")


def _clinic_copy(text_change: tuple[str, str]) -> Path:
    folder = config_dir() / "rules"
    folder.mkdir(parents=True, exist_ok=True)
    text = RAD.read_text(encoding="utf-8")
    edited = text.replace(*text_change, 1)
    assert edited != text
    (folder / "rad.yaml").write_text(edited, encoding="utf-8")
    return folder / "rad.yaml"


def test_the_rules_folder_is_the_config_folders_rules() -> None:
    assert deadline_settings.rules_folder() == config_dir() / "rules"


def test_a_clinic_copy_in_the_rules_folder_changes_the_date(admin_session) -> None:  # type: ignore[no-untyped-def]
    _rad_matter(admin_session)
    assert _notice(admin_session).due == date(2027, 3, 16)  # Haven's rule: 15 days
    copy = _clinic_copy(("offset_days: 15", "offset_days: 16"))
    assert _notice(admin_session).due == date(2027, 3, 17)
    agenda = deadlines.agenda(admin_session, today=date(2027, 3, 2))
    assert date(2027, 3, 17) in {i.deadline.due for _k, items in agenda.groups() for i in items
                                 if i.deadline.rule_id == "rad.notice"}
    shown = deadline_settings.rules_overview(admin_session)
    assert shown.error == "" and [f.name for f in shown.clinic_copies] == ["rad.yaml"]
    assert {f.name: f.path for f in shown.files}["rad.yaml"] == copy
    assert not {f.name: f for f in shown.files}["rpd.yaml"].overridden
    assert "rad.record" in {r.id for r in shown.unconfirmed}
    copy.unlink()
    assert _notice(admin_session).due == date(2027, 3, 16)


def test_a_broken_clinic_copy_stops_deadlines_with_the_loaders_message(admin_session) -> None:  # type: ignore[no-untyped-def]
    _rad_matter(admin_session)
    copy = _clinic_copy(("roll: forward", "roll: later"))
    with pytest.raises(RulesFileError) as err:
        deadlines.agenda(admin_session, today=date(2027, 3, 2))
    assert str(copy) in str(err.value) and "rad.notice" in str(err.value) and "roll" in str(err.value)
    with pytest.raises(RulesFileError):
        packages.preflight(admin_session, "m-rad", "rad_record", today=date(2027, 3, 2))
    shown = deadline_settings.rules_overview(admin_session)
    assert shown.files == () and str(copy) in shown.error and "rad.notice" in shown.error


def test_the_vaults_province_chooses_the_holidays(admin_session) -> None:  # type: ignore[no-untyped-def]
    _rad_matter(admin_session, received=date(2027, 1, 31))  # due 15 February 2027: Ontario's Family Day
    assert deadline_settings.clinic_province(admin_session) == "ON"
    assert any("Family Day" in (f or "") for f in _flags(admin_session))
    changes = deadline_settings.set_clinic_province(admin_session, " qc")
    assert changes.matters  # every matter's deadlines are shown again
    assert deadline_settings.clinic_province(admin_session) == "QC"
    assert not any("Family Day" in (f or "") for f in _flags(admin_session))
    assert any("Family Day" in (f or "") for f in _flags(admin_session, province="ON"))  # one command's override
    assert deadline_settings.set_clinic_province(admin_session, "QC").is_empty
    logged = [e.detail for e in audit_log.entries(admin_session) if e.action == "clinic_province_set"]
    assert logged == [{"province": "QC", "previous": "ON"}]
    with pytest.raises(BadInput, match="XX"):
        deadline_settings.set_clinic_province(admin_session, "XX")


def _flags(session, **kw) -> list[str]:  # type: ignore[no-untyped-def]
    return deadlines.deadline_row(_notice(session, **kw), date(2027, 2, 1), "en")["flags"]


def test_the_province_stays_with_the_vault(vault_folder: Path) -> None:
    from support import ADMIN, ADMIN_PASS

    from clinic_app.services.session import unlock

    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        deadline_settings.set_clinic_province(s, "BC")
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        assert deadline_settings.clinic_province(s) == "BC"
        assert deadlines.context_for(s).province == "BC" and deadlines.context_for(s, "NS").province == "NS"
        assert deadlines.context_for(s).override_dir == config_dir() / "rules"


@pytest.mark.parametrize("role,allowed", [("lawyer", True), ("staff", True), ("volunteer", False)])
def test_who_may_change_the_province(role_sessions, role: str, allowed: bool) -> None:  # type: ignore[no-untyped-def]
    with role_sessions(role) as session:
        if allowed:
            deadline_settings.set_clinic_province(session, "QC")
            assert deadline_settings.clinic_province(session) == "QC"
        else:
            with pytest.raises(PermissionDenied):
                deadline_settings.set_clinic_province(session, "QC")
            with pytest.raises(PermissionDenied):
                deadline_settings.rules_overview(session)


def test_a_missing_rules_folder_means_havens_own_files(admin_session) -> None:  # type: ignore[no-untyped-def]
    shutil.rmtree(config_dir() / "rules", ignore_errors=True)
    shown = deadline_settings.rules_overview(admin_session)
    assert shown.error == "" and shown.files and not shown.clinic_copies
    assert not (config_dir() / "rules").exists()  # looking does not create it
    assert deadline_settings.make_rules_folder().is_dir()
