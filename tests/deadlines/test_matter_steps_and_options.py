"""A matter records the dates of steps taken and the case each rule with options applies to,
and its deadlines count from them (services.deadlines, deadline_options, case_record).

Before, a matter held only six key dates and no options: the Federal Court record stayed an
estimate after leave was filed, the STCA window was never computed, and a PRRA notified at a
port of entry showed its application 15 days later than due. Real vault, the bundled rules.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from clinic_app.domain.client import Client
from clinic_app.domain.deadlines import describe_flags
from clinic_app.domain.matter import KeyDate, KeyDates, Matter, MatterType
from clinic_app.errors import BadInput, ValidationError
from clinic_app.services import case_record, deadlines
from clinic_app.services.deadline_rules import bundled_rules_dir


def _matter(session, ref: str, mtype: MatterType, **fields) -> Matter:  # noqa: ANN001
    if not case_record_has_client(session):
        case_record.save_client(session, Client(ref="c-1", legal_name="Ana Example"))
    matter = Matter(ref=ref, client_ref="c-1", type=mtype, title="Matter", **fields)
    case_record.save_matter(session, matter)
    return matter


def case_record_has_client(session) -> bool:  # noqa: ANN001
    from clinic_app.vault import records

    return records.id_for(session.vault.conn, "clients", "c-1") is not None


def _due(found: deadlines.MatterDeadlines, rule_id: str):  # noqa: ANN202
    return next((d for d in found.deadlines if d.rule_id == rule_id), None)


def test_a_step_date_turns_an_estimate_into_the_real_deadline(admin_session) -> None:
    decided = date(2026, 11, 20)
    _matter(admin_session, "m-jr", MatterType.FC_JR, dates=KeyDates(decision=decided, reasons_received=decided))
    before = _due(deadlines.for_matter(admin_session, "m-jr"), "fc.applicants_record")
    assert before is not None and before.estimated and before.trigger != "leave_filed"

    filed = date(2026, 12, 3)
    deadlines.set_timing(admin_session, "m-jr", dates={"leave_filed": filed})
    after = _due(deadlines.for_matter(admin_session, "m-jr"), "fc.applicants_record")
    assert after is not None and not after.estimated
    assert (after.trigger, after.trigger_date) == ("leave_filed", filed)
    assert after.unadjusted == date(2027, 1, 2)  # IMM Rules r. 10(1): 30 days after filing
    assert after.due < before.due  # the estimate counted from the last day to file, later


def test_the_stca_window_is_computed_once_the_crossing_is_recorded(admin_session) -> None:
    _matter(admin_session, "m-stca", MatterType.STCA)
    found = deadlines.for_matter(admin_session, "m-stca")
    assert _due(found, "stca.fourteen_days") is None
    assert any("crossing" in p.needs for p in found.pending)
    deadlines.set_timing(admin_session, "m-stca", dates={"crossing": date(2026, 12, 1)})
    window = _due(deadlines.for_matter(admin_session, "m-stca"), "stca.fourteen_days")
    assert window is not None and window.trigger_date == date(2026, 12, 1)
    assert window.unadjusted == date(2026, 12, 15)


def test_an_option_changes_the_date_and_an_unchosen_one_says_what_it_assumed(admin_session) -> None:
    notified = date(2026, 12, 7)
    _matter(admin_session, "m-prra", MatterType.PRRA, dates=KeyDates(notification=notified))
    assumed = _due(deadlines.for_matter(admin_session, "m-prra"), "prra.application")
    assert assumed is not None and assumed.variant_assumed and assumed.variant == "in_person"
    flags = " ".join(describe_flags(assumed, "en"))
    assert "Assumed" in flags and "Notification given in person" in flags and "prra.application" in flags

    deadlines.set_timing(admin_session, "m-prra", options={"prra.application": "port_of_entry_or_subsequent"})
    chosen = _due(deadlines.for_matter(admin_session, "m-prra"), "prra.application")
    assert chosen is not None and not chosen.variant_assumed
    assert chosen.variant == "port_of_entry_or_subsequent"
    assert chosen.due == notified < assumed.due
    assert not any("Assumed" in f for f in describe_flags(chosen, "en"))

    deadlines.set_timing(admin_session, "m-prra", options={"prra.application": None})  # back to the default
    again = _due(deadlines.for_matter(admin_session, "m-prra"), "prra.application")
    assert again is not None and again.variant_assumed and again.due == assumed.due


def test_an_inland_claim_counts_its_boc_from_the_eligibility_interview(admin_session) -> None:
    _matter(admin_session, "m-rpd", MatterType.RPD_CLAIM,
            dates=KeyDates(referral=date(2026, 12, 1), eligibility=date(2026, 12, 1)),
            deadline_options={"rpd.boc": "inland"})
    boc = _due(deadlines.for_matter(admin_session, "m-rpd"), "rpd.boc")
    assert boc is not None and boc.variant == "inland" and boc.trigger == "eligibility"
    assert boc.unadjusted == date(2026, 12, 1)


@pytest.mark.parametrize("options, words", [
    ({"rpd.boc": "inland"}, "not a rule with options for this type"),  # an RPD rule on a PRRA
    ({"prra.application": "by_pigeon"}, "has no option by_pigeon"),
    ({"prra.no_such_rule": "x"}, "not a rule with options"),
])
def test_an_option_the_rules_do_not_offer_is_refused_and_nothing_changes(admin_session, options, words) -> None:
    _matter(admin_session, "m-prra", MatterType.PRRA)
    with pytest.raises(ValidationError) as err:
        deadlines.set_timing(admin_session, "m-prra", options=options)
    assert err.value.field == "deadline_options" and words in str(err.value)
    assert deadlines.timing_rows(admin_session, deadlines.for_matter(admin_session, "m-prra"))["options"][0][
        "chosen"] is None


def test_an_unknown_date_name_is_refused_with_the_names(admin_session) -> None:
    _matter(admin_session, "m-jr", MatterType.FC_JR)
    with pytest.raises(BadInput) as err:
        deadlines.set_timing(admin_session, "m-jr", dates={"leave_filled": date(2026, 12, 3)})
    assert "leave_filled" in str(err.value) and "leave_filed" in str(err.value)


def test_the_form_asks_only_for_the_steps_and_options_a_type_counts_from(admin_session) -> None:
    by_type = deadlines.timing_fields_by_type(deadlines.RuleContext())
    assert set(by_type) == {t.value for t in MatterType}
    assert KeyDate.LEAVE_FILED in by_type["fc_jr"].steps and KeyDate.RECORD_SERVED in by_type["fc_jr"].steps
    assert KeyDate.CROSSING in by_type["stca"].steps and KeyDate.LEAVE_FILED not in by_type["stca"].steps
    assert all(k.is_step for fields in by_type.values() for k in fields.steps)
    used = {k for fields in by_type.values() for k in fields.steps}
    assert used == {k for k in KeyDate if k.is_step}  # every step date serves some type's rules
    assert {r.rule_id for r in by_type["prra"].options} == {"prra.application"}
    assert {r.rule_id for r in by_type["fc_jr"].options} == {"fc.leave_application", "fc.applicants_record"}
    assert by_type["deferral"].options == ()


def test_an_option_a_clinics_edited_rules_dropped_counts_as_the_default_and_is_reported(
        admin_session, tmp_path: Path) -> None:
    _matter(admin_session, "m-prra", MatterType.PRRA, dates=KeyDates(notification=date(2026, 12, 7)),
            deadline_options={"prra.application": "mailed"})
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    shutil.copy(bundled_rules_dir() / "ircc.yaml", rules_dir / "ircc.yaml")
    data = yaml.safe_load((rules_dir / "ircc.yaml").read_text(encoding="utf-8"))
    rule = next(r for r in data["rules"] if r["id"] == "prra.application")
    del rule["variants"]["options"]["mailed"]
    (rules_dir / "ircc.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    found = deadlines.for_matter(admin_session, "m-prra", context=deadlines.RuleContext(override_dir=rules_dir))
    assert found.stale_options == (("prra.application", "mailed"),)
    application = _due(found, "prra.application")
    assert application is not None and application.variant == "in_person"
    # an unrelated edit still saves under those rules: only a changed option is checked
    from clinic_app.services.deadline_rules import load_rules_cached
    from clinic_app.vault import records

    conn = admin_session.vault.conn
    stored = records.load(conn, Matter, records.require_id(conn, "matters", "m-prra"))
    import dataclasses

    case_record.save_matter(admin_session, dataclasses.replace(stored, title="Renamed"),
                            rules=load_rules_cached(rules_dir))
    assert records.load(conn, Matter, stored.id).deadline_options == {"prra.application": "mailed"}


def test_steps_and_options_survive_a_case_file_move(admin_session, tmp_path: Path, new_vault) -> None:
    """A matter moved to another vault keeps what its deadlines count from."""
    from clinic_app.services import transfer
    from clinic_app.services.session import unlock
    from support import ADMIN, ADMIN_PASS

    _matter(admin_session, "m-jr", MatterType.FC_JR, dates=KeyDates(leave_filed=date(2026, 12, 3)),
            deadline_options={"fc.leave_application": "outside_canada"})
    target = tmp_path / "m-jr.havencase"
    transfer.export_matter(admin_session, "m-jr", target, "a case file passphrase 42")
    other, _recovery = new_vault("other")
    with unlock(other, user=ADMIN, passphrase=ADMIN_PASS) as s:
        transfer.import_matter(s, target, "a case file passphrase 42")
        from clinic_app.vault import records

        moved = records.load(s.vault.conn, Matter, records.require_id(s.vault.conn, "matters", "m-jr"))
    assert moved.dates.leave_filed == date(2026, 12, 3)
    assert moved.deadline_options == {"fc.leave_application": "outside_canada"}


def test_entering_a_steps_date_meets_its_deadline(admin_session) -> None:
    """Leave filed on time: the deadline to file leaves the agenda without a mark; filed
    late: it leaves the agenda too, with a warning to check for an extension."""
    from clinic_app.domain.deadlines.agenda import describe_flags as flags_of

    decided = date(2026, 11, 20)
    _matter(admin_session, "m-jr", MatterType.FC_JR, dates=KeyDates(decision=decided, notification=decided))
    before = deadlines.for_matter(admin_session, "m-jr")
    leave = _due(before, "fc.leave_application")
    assert leave is not None and leave.met_on is None and leave in before.open
    assert any(i.deadline.rule_id == "fc.leave_application"
               for _k, items in deadlines.agenda(admin_session, today=decided).groups() for i in items)

    deadlines.set_timing(admin_session, "m-jr", dates={"leave_filed": date(2026, 12, 3)})
    after = deadlines.for_matter(admin_session, "m-jr")
    leave = _due(after, "fc.leave_application")
    assert leave is not None and leave.met_on == date(2026, 12, 3) and not leave.met_late
    assert leave not in after.open
    assert not any(i.deadline.rule_id == "fc.leave_application"
                   for _k, items in deadlines.agenda(admin_session, today=decided).groups() for i in items)
    row = deadlines.deadline_row(leave, decided, "en", after.mark(leave))
    assert row["state"] == "done" and row["met_on"] == "2026-12-03" and "Leave application filed" in row["reason"]
    assert _due(after, "fc.applicants_record") in after.open  # the next step is still to do

    deadlines.set_timing(admin_session, "m-jr", dates={"leave_filed": date(2026, 12, 11)})  # after the 15 days
    late = _due(deadlines.for_matter(admin_session, "m-jr"), "fc.leave_application")
    assert late is not None and late.met_late
    assert any("after the due date" in f for f in flags_of(late, "en"))


def test_options_are_those_of_the_clinics_rules_folder(admin_session) -> None:
    """A clinic's corrected copy in its rules folder may add an option: the matter may choose
    it, from the CLI's service and the form's alike, and its deadline counts with it."""
    from clinic_app.services.deadline_settings import make_rules_folder

    folder = make_rules_folder()
    data = yaml.safe_load((bundled_rules_dir() / "ircc.yaml").read_text(encoding="utf-8"))
    rule = next(r for r in data["rules"] if r["id"] == "prra.application")
    rule["variants"]["options"]["courier"] = {"label": {"en": "Sent by courier (17 days)", "fr": "Messager (17 jours)"},
                                              "offset_days": 17}
    (folder / "ircc.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _matter(admin_session, "m-prra", MatterType.PRRA, dates=KeyDates(notification=date(2026, 12, 7)))
    by_type = deadlines.timing_fields_by_type(deadlines.context_for(admin_session))
    assert "courier" in dict(by_type["prra"].options[0].options)
    deadlines.set_timing(admin_session, "m-prra", options={"prra.application": "courier"})
    chosen = _due(deadlines.for_matter(admin_session, "m-prra"), "prra.application")
    assert chosen is not None and chosen.variant == "courier" and chosen.unadjusted == date(2026, 12, 24)


def test_only_a_default_that_another_case_could_beat_says_assumed(admin_session) -> None:
    """15 days in Canada is the earlier of the Federal Court's two readings: no flag. A PRRA's
    in-person notification is not: a port-of-entry PRRA is due at once, so it asks."""
    decided = date(2026, 11, 20)
    _matter(admin_session, "m-jr", MatterType.FC_JR, dates=KeyDates(decision=decided, notification=decided))
    leave = _due(deadlines.for_matter(admin_session, "m-jr"), "fc.leave_application")
    assert leave is not None and leave.variant == "in_canada" and not leave.variant_assumed
    _matter(admin_session, "m-rad", MatterType.RAD_APPEAL, dates=KeyDates(decision=decided, reasons_received=decided))
    record = _due(deadlines.for_matter(admin_session, "m-rad"), "rad.record")
    assert record is not None and record.variant == "regulation_30" and not record.variant_assumed  # 30 < 45
    _matter(admin_session, "m-rpd", MatterType.RPD_CLAIM, dates=KeyDates(referral=decided))
    boc = _due(deadlines.for_matter(admin_session, "m-rpd"), "rpd.boc")
    assert boc is not None and boc.variant_assumed  # inland counts from an eligibility date not entered


def test_a_calendar_file_says_what_a_date_assumes(admin_session, tmp_path: Path) -> None:
    """Calendar files leave the vault and are read on phones: an assumed case is said there too,
    on the deadline itself and on the ones counted from it."""
    _matter(admin_session, "m-prra", MatterType.PRRA, dates=KeyDates(notification=date(2026, 12, 7)))
    target = tmp_path / "deadlines.ics"
    deadlines.export_ics(admin_session, target, today=date(2026, 12, 7), lang="fr")
    def text() -> str:  # unfolded and unescaped (RFC 5545)
        return target.read_bytes().decode("utf-8").replace("\r\n ", "").replace("\\,", ",").replace("\\;", ";")

    assert "Supposé, faute d'option choisie pour ce dossier" in text()
    assert "Compté à partir de prra.application" in text()  # the submissions, 15 days after it
    deadlines.set_timing(admin_session, "m-prra", options={"prra.application": "mailed"})
    deadlines.export_ics(admin_session, target, today=date(2026, 12, 7), lang="fr")
    assert "Supposé" not in text() and "Compté à partir de prra.application" not in text()
