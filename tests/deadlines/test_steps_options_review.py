"""Cases of steps' dates and rule options the first tests did not try: a date no deadline can
be counted from, a step reached only through another rule, a typo when going back to a
rule's default. Real vault, the bundled rules; the CLI as a real process where a user meets it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from support import ADMIN, ADMIN_PASS, run_cli

from clinic_app.domain.client import Client
from clinic_app.domain.matter import KeyDate, KeyDates, Matter, MatterType
from clinic_app.errors import ValidationError
from clinic_app.services import case_record, deadlines


def _v(folder: Path) -> tuple[str, ...]:
    return ("--vault", str(folder), "--user", ADMIN, "--passphrase-stdin")


@pytest.fixture
def two_matters(vault_folder: Path) -> Path:
    from clinic_app.services.session import unlock

    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-1", legal_name="Ana Example"))
        case_record.save_matter(s, Matter(ref="m-jr", client_ref="c-1", type=MatterType.FC_JR, title="JR",
                                          dates=KeyDates(decision=date(2026, 11, 20))))
        case_record.save_matter(s, Matter(ref="m-rad", client_ref="c-1", type=MatterType.RAD_APPEAL, title="RAD",
                                          dates=KeyDates(reasons_received=date(2026, 12, 1))))
    return vault_folder


def test_a_date_no_deadline_can_count_from_is_refused_and_the_agenda_still_opens(two_matters: Path) -> None:
    """`--date leave_filed=9999-12-20` (a typo for 2026) was saved, then every agenda, of every
    matter, stopped with "Internal error (OverflowError)": 30 days after it is past year 9999."""
    v = _v(two_matters)
    typo = run_cli(*v, "deadlines", "m-jr", "--date", "leave_filed=9999-12-20", stdin=ADMIN_PASS + "\n")
    assert typo.returncode == 4, typo.stderr
    assert "Internal error" not in typo.stderr
    assert "leave_filed" in typo.stderr and "9999-12-20" in typo.stderr
    agenda = run_cli(*v, "deadlines", "--today", "2026-12-07", stdin=ADMIN_PASS + "\n")
    assert agenda.returncode == 0, agenda.stderr
    assert "m-rad" in agenda.stdout and "m-jr" in agenda.stdout


@pytest.mark.parametrize("day", [date(9999, 12, 31), date(1, 1, 1), date(2200, 1, 1), date(1899, 12, 31)])
def test_every_matter_date_stays_within_the_years_the_rules_can_count(day: date) -> None:
    for key in (KeyDate.HEARING, KeyDate.LEAVE_FILED, KeyDate.PRIOR_PRRA_REJECTED):
        with pytest.raises(ValidationError) as err:
            KeyDates(**{key.value: day})
        assert err.value.field == key.value and day.isoformat() in str(err.value)
    KeyDates(hearing=date(1900, 1, 1), leave_filed=date(2199, 12, 31))  # the ends are fine


def test_a_stored_or_received_matter_with_such_a_date_is_refused_when_read() -> None:
    """A sync row or a case file carries the matter's JSON: its dates are checked as it is read."""
    from clinic_app.vault import codec

    text = '{"client_ref":"c-1","dates":{"crossing":"9999-12-25"},"ref":"m-1","title":"T","type":"stca"}'
    with pytest.raises(ValidationError):
        codec.loads(Matter, text)


def test_the_form_offers_every_step_a_types_deadlines_wait_for() -> None:
    """A mandamus whose applicant requested reasons waits for 'Reasons received or Reasons
    mailed' (through the Federal Court's deemed-receipt rule), but neither the form nor the
    CLI's list offered 'Reasons mailed' for a mandamus."""
    from clinic_app.domain.deadlines import pending_rules

    ctx = deadlines.RuleContext()
    by_type = deadlines.timing_fields_by_type(ctx)
    key_only = {k.value for k in KeyDate if not k.is_step}
    for mtype, fields in by_type.items():
        offered = key_only | {k.value for k in fields.steps}
        choices = [{}] + [{r.rule_id: key} for r in fields.options for key, _label in r.options]
        for variants in choices:
            for pending in pending_rules(mtype, {}, ctx.rules.rules, ctx.calendar, variants=variants):
                missing = set(pending.needs) - offered
                assert not missing, f"{mtype} {variants}: {pending.rule_id} waits for {missing}, not offered"
    assert KeyDate.REASONS_MAILED in by_type["mandamus"].steps


def test_going_back_to_the_default_of_a_misspelt_rule_is_refused(admin_session) -> None:
    """`--option fc.leave_aplication=` (meaning: back to the 15-day default) said nothing and
    changed nothing: the matter kept its 60 days, and the user believed it had the 15."""
    case_record.save_client(admin_session, Client(ref="c-1", legal_name="Ana Example"))
    case_record.save_matter(admin_session, Matter(ref="m-jr", client_ref="c-1", type=MatterType.FC_JR, title="JR",
                                                  deadline_options={"fc.leave_application": "outside_canada"}))
    with pytest.raises(ValidationError) as err:
        deadlines.set_timing(admin_session, "m-jr", options={"fc.leave_aplication": None})
    assert err.value.field == "deadline_options" and "fc.leave_aplication" in str(err.value)
    # the right name, an option of the type not chosen, and a stale option all go back to the default
    deadlines.set_timing(admin_session, "m-jr", options={"fc.applicants_record": None})
    deadlines.set_timing(admin_session, "m-jr", options={"fc.leave_application": None})
    assert case_record.get_matter(admin_session, "m-jr").deadline_options == {}


def test_a_date_counted_from_an_assumed_option_says_so(admin_session) -> None:
    """An inland claim with no option chosen: the BOC said 'Assumed' (port of entry, 15 days
    after referral), but the application to extend its time, counted from it and later than
    an inland claim allows, said nothing; so did the PRRA submissions after a port-of-entry
    notification. Now every date counted through an unchosen option says which, and the
    window marks it 'Assumed case'."""
    from clinic_app.domain.deadlines import describe_flags
    from clinic_app.gui.pages.deadlines import markers_of

    case_record.save_client(admin_session, Client(ref="c-1", legal_name="Ana Example"))
    case_record.save_matter(admin_session, Matter(ref="m-rpd", client_ref="c-1", type=MatterType.RPD_CLAIM,
                                                  title="RPD", dates=KeyDates(referral=date(2026, 12, 1))))
    found = deadlines.for_matter(admin_session, "m-rpd")
    extension = next(d for d in found.deadlines if d.rule_id == "rpd.boc_extension")
    assert extension.trigger == "rule:rpd.boc" and not extension.variant_assumed
    flags = " ".join(describe_flags(extension, "en"))
    assert "rpd.boc" in flags and "Claim made at a port of entry" in flags
    assert "Assumed case" in markers_of(extension)
    contact = next(d for d in found.deadlines if d.rule_id == "rpd.contact_info")  # from the referral itself
    assert not contact.assumed_from and "Assumed" not in markers_of(contact)

    deadlines.set_timing(admin_session, "m-rpd", options={"rpd.boc": "port_of_entry"})
    chosen = next(d for d in deadlines.for_matter(admin_session, "m-rpd").deadlines
                  if d.rule_id == "rpd.boc_extension")
    assert not chosen.assumed_from and not any("port of entry" in f for f in describe_flags(chosen, "en"))

    case_record.save_matter(admin_session, Matter(ref="m-prra", client_ref="c-1", type=MatterType.PRRA,
                                                  title="PRRA", dates=KeyDates(notification=date(2026, 12, 7))))
    submissions = next(d for d in deadlines.for_matter(admin_session, "m-prra").deadlines
                       if d.rule_id == "prra.submissions")
    assert [rule for rule, _label in submissions.assumed_from] == ["prra.application"]
    assert any("Notification given in person" in f for f in describe_flags(submissions, "en"))
