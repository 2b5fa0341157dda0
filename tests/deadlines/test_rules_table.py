"""Every bundled rule, with trigger dates chosen to land on weekends and holidays.

Each expected date is worked out by hand (see the comments), never by calling the
engine. 2027: Thursday 1 July is Canada Day; 11 October is Thanksgiving; 26 March is
Good Friday and 29 March Easter Monday; Thursday 24 June is the Fête nationale in
Quebec only; 25 December is a Saturday; 30 September (Thursday) is Truth and
Reconciliation Day. The last test fails when a rule is added without a case here.
"""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

from clinic_app.domain.deadlines import BusinessCalendar, Deadline, compute_deadlines
from clinic_app.services.deadline_rules import LoadedRules

def one(loaded: LoadedRules, cal: BusinessCalendar, matter: str, dates: dict[str, date], rule_id: str,
        variants: dict[str, str] | None = None) -> Deadline:
    found = [d for d in compute_deadlines(matter, dates, loaded.rules, cal, variants=variants) if d.rule_id == rule_id]
    assert len(found) == 1, f"{rule_id} not computed"
    return found[0]


# --- RPD -------------------------------------------------------------------

def test_boc_15_days_landing_on_canada_day_moves_to_friday(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "rpd_claim", {"referral": date(2027, 6, 16)}, "rpd.boc")
    assert d.unadjusted == date(2027, 7, 1)  # 16 June + 15
    assert d.due == date(2027, 7, 2)
    assert d.moved_reason.en == "Canada Day" and d.moved_reason.fr == "Fête du Canada"
    assert (d.kind, d.unconfirmed, d.variant) == ("due", False, "port_of_entry")


def test_boc_on_a_plain_weekday_does_not_move(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "rpd_claim", {"referral": date(2027, 6, 15)}, "rpd.boc")
    assert (d.unadjusted, d.due, d.moved_reason) == (date(2027, 6, 30), date(2027, 6, 30), None)


def test_boc_on_a_sunday_moves_to_monday(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "rpd_claim", {"referral": date(2027, 6, 26)}, "rpd.boc")
    assert (d.unadjusted, d.due, d.moved_reason.en) == (date(2027, 7, 11), date(2027, 7, 12), "Sunday")


def test_boc_on_a_saturday_is_not_extended_but_flagged(loaded, on_cal) -> None:
    # Saturday is not a holiday under the Interpretation Act: no extension, a warning instead.
    d = one(loaded, on_cal, "rpd_claim", {"referral": date(2027, 6, 25)}, "rpd.boc")
    assert d.due == date(2027, 7, 10)
    assert d.closed_day is not None and d.closed_day.en == "Saturday"


def test_boc_on_saint_jean_baptiste_is_not_extended_but_may_be_in_quebec(loaded, on_cal, qc_cal) -> None:
    dates = {"referral": date(2027, 6, 9)}  # + 15 = Thursday 24 June
    qc = one(loaded, qc_cal, "rpd_claim", dates, "rpd.boc")
    assert (qc.due, qc.closed_day.fr) == (date(2027, 6, 24), "Fête nationale du Québec")
    assert "2027-06-25" in qc.may_extend.en and "2027-06-25" in qc.may_extend.fr  # a provincial holiday
    on = one(loaded, on_cal, "rpd_claim", dates, "rpd.boc")
    assert (on.due, on.closed_day, on.may_extend) == (date(2027, 6, 24), None, None)


def test_boc_on_thanksgiving_moves_to_tuesday(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "rpd_claim", {"referral": date(2027, 9, 26)}, "rpd.boc")
    assert (d.unadjusted, d.due, d.moved_reason.en) == (date(2027, 10, 11), date(2027, 10, 12), "Thanksgiving Day")


def test_boc_on_good_friday_moves_to_saturday_under_the_interpretation_act(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "rpd_claim", {"referral": date(2027, 3, 11)}, "rpd.boc")
    assert d.unadjusted == date(2027, 3, 26)
    assert d.due == date(2027, 3, 27)  # the next day that is not a holiday is the Saturday
    assert d.closed_day.en == "Saturday"


def test_boc_on_easter_monday_moves_to_tuesday(loaded, on_cal) -> None:
    assert one(loaded, on_cal, "rpd_claim", {"referral": date(2027, 3, 14)}, "rpd.boc").due == date(2027, 3, 30)


def test_boc_on_christmas_moves_past_boxing_day(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "rpd_claim", {"referral": date(2027, 12, 10)}, "rpd.boc")
    assert d.unadjusted == date(2027, 12, 25)
    assert d.due == date(2027, 12, 27)  # Sat 25 Christmas, Sun 26 Boxing Day; Monday 27 open
    assert d.moved_reason.en == "Christmas Day, Boxing Day"


def test_boc_on_boxing_day_in_ontario_keeps_the_earlier_date(loaded, on_cal) -> None:
    # 11 Dec 2026 + 15 = Saturday 26 (Boxing Day, an Ontario holiday only): not relied on, so the
    # date stays; relied on, it would be Sunday 27 -> Monday 28, which the note gives.
    d = one(loaded, on_cal, "rpd_claim", {"referral": date(2026, 12, 11)}, "rpd.boc")
    assert (d.unadjusted, d.due, d.moved_reason) == (date(2026, 12, 26), date(2026, 12, 26), None)
    assert d.closed_day.en == "Boxing Day" and "2026-12-28" in d.may_extend.en


def test_boc_inland_variant_is_due_at_eligibility(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "rpd_claim", {"eligibility": date(2027, 6, 16)}, "rpd.boc", {"rpd.boc": "inland"})
    assert (d.due, d.variant, d.citation) == (date(2027, 6, 16), "inland", "IRPR s. 159.8(1)")


def test_disclosure_10_days_before_hearing(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "rpd_claim", {"hearing": date(2027, 7, 12)}, "rpd.disclosure")
    assert d.due == date(2027, 7, 2)  # Monday 12 July - 10 = Friday 2 July


def test_disclosure_on_saturday_moves_earlier_never_later(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "rpd_claim", {"hearing": date(2027, 7, 13)}, "rpd.disclosure")
    assert (d.unadjusted, d.due, d.moved_reason.en) == (date(2027, 7, 3), date(2027, 7, 2), "Saturday")


def test_disclosure_on_sunday_skips_the_saturday_too(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "rpd_claim", {"hearing": date(2027, 7, 21)}, "rpd.disclosure")
    assert (d.unadjusted, d.due) == (date(2027, 7, 11), date(2027, 7, 9))


def test_response_documents_on_canada_day_go_to_the_day_before(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "rpd_claim", {"hearing": date(2027, 7, 6)}, "rpd.response_documents")
    assert (d.unadjusted, d.due, d.optional) == (date(2027, 7, 1), date(2027, 6, 30), True)


def test_written_application_and_interpreter_10_days_before(loaded, on_cal) -> None:
    dates = {"hearing": date(2027, 7, 12)}
    assert one(loaded, on_cal, "rpd_claim", dates, "rpd.application").due == date(2027, 7, 2)
    assert one(loaded, on_cal, "rpd_claim", dates, "rpd.interpreter").due == date(2027, 7, 2)


def test_joinder_20_days_before_moves_earlier_for_saint_jean_in_quebec(loaded, on_cal, qc_cal) -> None:
    dates = {"hearing": date(2027, 7, 14)}  # - 20 = Thursday 24 June
    assert one(loaded, qc_cal, "rpd_claim", dates, "rpd.joinder").due == date(2027, 6, 23)
    assert one(loaded, on_cal, "rpd_claim", dates, "rpd.joinder").due == date(2027, 6, 24)


# --- RAD -------------------------------------------------------------------

def test_rad_notice_on_thanksgiving(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "rad_appeal", {"reasons_received": date(2027, 9, 26)}, "rad.notice")
    assert (d.unadjusted, d.due) == (date(2027, 10, 11), date(2027, 10, 12))


def test_rad_record_regulation_30_is_default_and_confirmed(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "rad_appeal", {"reasons_received": date(2027, 6, 1)}, "rad.record")
    assert (d.unadjusted, d.due) == (date(2027, 7, 1), date(2027, 7, 2))  # 30 days lands on Canada Day
    assert (d.variant, d.unconfirmed) == ("regulation_30", False)


def test_rad_record_practice_notice_45_is_selectable_and_unconfirmed(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "rad_appeal", {"reasons_received": date(2027, 6, 1)}, "rad.record",
            {"rad.record": "practice_notice_45"})
    assert (d.due, d.variant, d.unconfirmed) == (date(2027, 7, 16), "practice_notice_45", True)
    assert "practice notice" in d.citation


def test_rad_decision_watch_date_from_perfection_or_estimated(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "rad_appeal", {"appeal_perfected": date(2027, 7, 2)}, "rad.decision")
    assert (d.kind, d.due, d.estimated) == ("watch", date(2027, 9, 30), False)  # 29 + 31 + 30 days
    e = one(loaded, on_cal, "rad_appeal", {"reasons_received": date(2027, 6, 1)}, "rad.decision")
    assert (e.due, e.estimated, e.trigger) == (date(2027, 9, 29), True, "rule:rad.record")  # 1 July + 90


# --- Federal Court -------------------------------------------------------------

def test_leave_15_days_from_notification_over_canada_day(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "fc_jr", {"notification": date(2027, 6, 16), "decision": date(2027, 6, 1)},
            "fc.leave_application")
    assert (d.due, d.estimated, d.trigger) == (date(2027, 7, 2), False, "notification")


def test_leave_without_notification_counts_from_decision_as_estimate(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "fc_jr", {"decision": date(2027, 6, 10)}, "fc.leave_application")
    assert (d.due, d.estimated, d.trigger) == (date(2027, 6, 25), True, "decision")


def test_leave_60_days_outside_canada(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "fc_jr", {"notification": date(2027, 6, 16)}, "fc.leave_application",
            {"fc.leave_application": "outside_canada"})
    assert (d.unadjusted, d.due) == (date(2027, 8, 15), date(2027, 8, 16))  # 14 + 31 + 15 days; Sunday


def test_applicants_record_30_days_after_filing(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "fc_jr", {"leave_filed": date(2027, 7, 2)}, "fc.applicants_record")
    # Sunday 1 August -> Monday 2 August: Ontario's Civic Holiday is not a statutory holiday.
    assert (d.unadjusted, d.due, d.estimated) == (date(2027, 8, 1), date(2027, 8, 2), False)
    bc = one(loaded, BusinessCalendar("BC"), "fc_jr", {"leave_filed": date(2027, 7, 2)}, "fc.applicants_record")
    # Monday 2 August is British Columbia Day, a provincial holiday: not relied on, but noted.
    assert (bc.due, bc.closed_day.en) == (date(2027, 8, 2), "British Columbia Day")
    assert "2027-08-03" in bc.may_extend.en


def test_applicants_record_projected_from_last_day_to_file(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "fc_jr", {"notification": date(2027, 6, 16)}, "fc.applicants_record")
    # Counted from the leave deadline *before* its Canada Day move: 1 July + 30 = Saturday 31 July.
    assert (d.due, d.estimated, d.closed_day.en) == (date(2027, 7, 31), True, "Saturday")


def test_applicants_record_after_reasons_requested(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "fc_jr", {"reasons_received": date(2027, 11, 1), "leave_filed": date(2027, 10, 1)},
            "fc.applicants_record", {"fc.applicants_record": "reasons_requested"})
    assert (d.due, d.trigger) == (date(2027, 12, 1), "reasons_received")


def test_notice_of_appearance_and_respondent_memo_are_watch_dates(loaded, on_cal) -> None:
    noa = one(loaded, on_cal, "fc_jr", {"leave_filed": date(2027, 7, 2)}, "fc.notice_of_appearance")
    assert (noa.kind, noa.due) == ("watch", date(2027, 7, 12))
    memo = one(loaded, on_cal, "fc_jr", {"record_served": date(2027, 8, 2)}, "fc.respondent_memo")
    assert (memo.kind, memo.due) == ("watch", date(2027, 9, 1))


def test_reply_landing_on_truth_and_reconciliation_day(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "fc_jr", {"respondent_memo_served": date(2027, 9, 20)}, "fc.reply")
    assert (d.unadjusted, d.due, d.optional) == (date(2027, 9, 30), date(2027, 10, 1), True)


def test_fcr_309_record_over_a_weekend_christmas(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "fc_jr", {"cross_exam_completed": date(2027, 12, 5)}, "fc.fcr309_record")
    # Sat 25 (Christmas) and Sun 26 are closed; Mon 27 and Tue 28 are Ontario's substitutes, not in
    # FCR r. 2 "holiday": due Monday 27, and the note says they may give Wednesday 29.
    assert (d.unadjusted, d.due) == (date(2027, 12, 25), date(2027, 12, 27))
    assert "2027-12-29" in d.may_extend.en
    # r. 6(3): 6-20 December are 15 days; 21 Dec to 7 Jan not counted; 8-12 January are 5 more.
    assert "2028-01-12" in d.may_extend.en and "6(3)" in d.may_extend.fr


def test_fcr_309_record_after_a_friday_christmas(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "fc_jr", {"cross_exam_completed": date(2026, 12, 6)}, "fc.fcr309_record")
    assert (d.unadjusted, d.due) == (date(2026, 12, 26), date(2026, 12, 28))  # Sat, Sun closed; Mon 28 open
    # Recess: 7-20 December are 14 days, then 8-13 January the last 6: Wednesday 13 January 2027.
    assert "2026-12-29" in d.may_extend.en and "2027-01-13" in d.may_extend.en


def test_stay_motion_record_three_clear_business_days(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "stay_motion", {"hearing": date(2027, 3, 8)}, "fc.stay_motion_record")
    # Monday hearing: Fri 5, Thu 4, Wed 3 must lie strictly between -> Tuesday 2 March.
    assert (d.due, d.unconfirmed) == (date(2027, 3, 2), True)


def test_stay_motion_record_around_easter(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "stay_motion", {"hearing": date(2027, 3, 30)}, "fc.stay_motion_record")
    # Mon 29 Easter Monday, Sat/Sun, Fri 26 Good Friday are closed: Thu 25, Wed 24, Tue 23 -> Mon 22.
    assert d.due == date(2027, 3, 22)


def test_stay_respondent_record_two_business_days(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "stay_motion", {"hearing": date(2027, 3, 8)}, "fc.stay_respondent_record")
    assert (d.kind, d.due) == ("watch", date(2027, 3, 4))


def test_stay_before_removal(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "stay_motion", {"removal": date(2027, 3, 10)}, "fc.stay_before_removal")
    assert (d.due, d.unconfirmed, d.closed_day) == (date(2027, 3, 9), True, None)
    sunday = one(loaded, on_cal, "stay_motion", {"removal": date(2027, 3, 15)}, "fc.stay_before_removal")
    assert (sunday.due, sunday.closed_day.en) == (date(2027, 3, 14), "Sunday")


# --- IRCC: PRRA and H&C --------------------------------------------------------

def test_prra_application_and_submissions_chain_from_the_unmoved_date(loaded, on_cal) -> None:
    dates = {"notification": date(2027, 6, 16)}
    app = one(loaded, on_cal, "prra", dates, "prra.application")
    assert (app.unadjusted, app.due) == (date(2027, 7, 1), date(2027, 7, 2))
    sub = one(loaded, on_cal, "prra", dates, "prra.submissions")
    assert (sub.due, sub.trigger, sub.estimated) == (date(2027, 7, 16), "rule:prra.application", False)
    earliest = one(loaded, on_cal, "prra", dates, "prra.no_decision_before")
    # "At least 30 days after notification": clear days, so 16 June + 30 = 16 July is excluded too.
    assert (earliest.kind, earliest.due, earliest.unconfirmed) == ("not_before", date(2027, 7, 17), True)


def test_prra_mailed_notification_adds_seven_days(loaded, on_cal) -> None:
    variants = {"prra.application": "mailed"}
    dates = {"notification": date(2027, 6, 16)}
    assert one(loaded, on_cal, "prra", dates, "prra.application", variants).due == date(2027, 7, 8)
    assert one(loaded, on_cal, "prra", dates, "prra.submissions", variants).due == date(2027, 7, 23)


def test_prra_port_of_entry_is_immediate(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "prra", {"notification": date(2027, 6, 16)}, "prra.application",
            {"prra.application": "port_of_entry_or_subsequent"})
    assert d.due == date(2027, 6, 16)
    assert "s. 166" in d.citation and "s. 165" in d.citation


def test_prra_submissions_cite_guidance_not_a_regulation(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "prra", {"notification": date(2027, 6, 16)}, "prra.submissions")
    assert d.citation.startswith("IRCC PRRA instructions") and "not a regulation" in d.citation


def test_prra_bars_end_the_day_after_twelve_months(loaded, on_cal) -> None:
    irb = one(loaded, on_cal, "prra", {"decision": date(2027, 3, 15)}, "prra.bar_after_irb")
    assert (irb.kind, irb.due, irb.citation, irb.optional) == (
        "not_before", date(2028, 3, 16), "IRPA s. 112(2)(b.1), (2.1)", True)
    again = one(loaded, on_cal, "prra", {"prior_prra_rejected": date(2027, 1, 31)}, "prra.bar_after_prra")
    assert (again.due, again.citation) == (date(2028, 2, 1), "IRPA s. 112(2)(c), (2.1)")  # 31 Jan 2028 + 1


def test_hc_bar_ends_the_day_after_the_12_month_anniversary(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "hc", {"decision": date(2027, 3, 15)}, "hc.bar")
    assert (d.kind, d.due) == ("not_before", date(2028, 3, 16))


def test_hc_bar_from_a_leap_day_is_never_early(loaded, on_cal) -> None:
    # 29 Feb 2024 + 12 months has no 29 Feb: take 1 March (never early), then the day after.
    assert one(loaded, on_cal, "hc", {"decision": date(2024, 2, 29)}, "hc.bar").due == date(2025, 3, 2)


def test_hc_bar_exception_variant(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "hc", {"decision": date(2027, 3, 15)}, "hc.bar", {"hc.bar": "exception"})
    assert d.due == date(2027, 3, 15)


# --- CBSA, STCA, IAD ---------------------------------------------------------------

def test_removal_date_is_on_the_agenda_for_a_deferral(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "deferral", {"removal": date(2027, 7, 1)}, "cbsa.removal")
    assert (d.kind, d.due, d.moved_reason) == ("watch", date(2027, 7, 1), None)


def test_stca_fourteen_day_window(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "stca", {"crossing": date(2027, 6, 5)}, "stca.fourteen_days")
    assert (d.due, d.unconfirmed) == (date(2027, 6, 19), True)


def test_iad_sponsorship_notice_30_days(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "sponsorship", {"reasons_received": date(2027, 6, 1)}, "iad.sponsorship_notice")
    assert (d.unadjusted, d.due) == (date(2027, 7, 1), date(2027, 7, 2))


def test_iad_appeal_record_witnesses_and_language(loaded, on_cal) -> None:
    record = one(loaded, on_cal, "sponsorship", {"appeal_filed": date(2027, 6, 1)}, "iad.appeal_record")
    assert (record.kind, record.due) == ("watch", date(2027, 7, 31))
    witness = one(loaded, on_cal, "sponsorship", {"hearing": date(2027, 8, 2)}, "iad.witness_information")
    assert witness.due == date(2027, 7, 2)  # Saturday 3 July -> Friday 2 July
    language = one(loaded, on_cal, "sponsorship", {"hearing": date(2027, 8, 16)}, "iad.language_change")
    assert language.due == date(2027, 7, 2)  # 16 days back to 31 July, 29 more to Friday 2 July


# --- properties over the whole table ---------------------------------------------------

def test_before_deadlines_never_move_closer_to_the_event(loaded, qc_cal) -> None:
    before = [r for r in loaded.rules if r.timing.direction < 0 and r.timing.trigger.date]
    assert len(before) >= 8
    start = date(2027, 1, 1)
    for offset in range(400):
        hearing = date.fromordinal(start.toordinal() + offset)
        for rule in before:
            matter = rule.applies_to[0]
            key = rule.timing.trigger.date
            d = next(x for x in compute_deadlines(matter, {key: hearing}, [rule], qc_cal) if x.rule_id == rule.id)
            assert d.due <= d.unadjusted < hearing, (rule.id, hearing)
            if d.kind == "due" and rule.timing.roll == "backward":
                assert d.due.weekday() < 5 and qc_cal.is_business_day(d.due), (rule.id, hearing)



# --- corrections and rules of issue 18 ---------------------------------------------------

def test_rad_notice_on_family_day_keeps_the_earlier_date_with_a_note(loaded, on_cal, qc_cal) -> None:
    # Reasons received Sunday 31 January 2027: day 15 is Monday 15 February, Family Day in Ontario.
    d = one(loaded, on_cal, "rad_appeal", {"reasons_received": date(2027, 1, 31)}, "rad.notice")
    assert (d.unadjusted, d.due, d.moved_reason) == (date(2027, 2, 15), date(2027, 2, 15), None)
    assert d.closed_day.en == "Family Day"
    assert "Family Day" in d.may_extend.en and "2027-02-16" in d.may_extend.en
    assert "Fête de la famille" in d.may_extend.fr and "2027-02-16" in d.may_extend.fr
    qc = one(loaded, qc_cal, "rad_appeal", {"reasons_received": date(2027, 1, 31)}, "rad.notice")
    assert (qc.due, qc.closed_day, qc.may_extend) == (date(2027, 2, 15), None, None)  # an ordinary Monday


def test_day_15_on_christmas_2026_moves_to_the_saturday_not_past_boxing_day(loaded, on_cal, qc_cal) -> None:
    # Thursday 10 December 2026 + 15 = Friday 25 December (Christmas, closed everywhere): the next day,
    # Saturday 26, is not a holiday under the Interpretation Act; Boxing Day is Ontario's only.
    d = one(loaded, on_cal, "rad_appeal", {"reasons_received": date(2026, 12, 10)}, "rad.notice")
    assert (d.unadjusted, d.due, d.moved_reason.en) == (date(2026, 12, 25), date(2026, 12, 26), "Christmas Day")
    assert d.closed_day.en == "Boxing Day" and "2026-12-28" in d.may_extend.en
    qc = one(loaded, qc_cal, "rad_appeal", {"reasons_received": date(2026, 12, 10)}, "rad.notice")
    assert (qc.due, qc.closed_day.en, qc.may_extend) == (date(2026, 12, 26), "Saturday", None)
    leave = one(loaded, on_cal, "fc_jr", {"notification": date(2026, 12, 10)}, "fc.leave_application")
    assert leave.due == date(2026, 12, 26)
    assert "6(3)" not in leave.may_extend.en  # a time limit set by the Act: no recess


def test_mailed_reasons_are_deemed_received_seven_days_later_at_the_irb(loaded, on_cal) -> None:
    dates = {"reasons_mailed": date(2027, 2, 1)}
    deemed = one(loaded, on_cal, "rad_appeal", dates, "rad.reasons_deemed_received")
    assert (deemed.kind, deemed.due, deemed.unconfirmed) == ("watch", date(2027, 2, 8), True)
    notice = one(loaded, on_cal, "rad_appeal", dates, "rad.notice")  # 8 Feb + 15 = Tuesday 23 Feb
    assert (notice.due, notice.estimated, notice.trigger) == (date(2027, 2, 23), True, "rule:rad.reasons_deemed_received")
    record = one(loaded, on_cal, "rad_appeal", dates, "rad.record")
    assert record.due == date(2027, 3, 10)  # 8 Feb + 30 = Wednesday 10 March


def test_imm_rule_4_1_deemed_receipt_on_the_tenth_day(loaded, on_cal) -> None:
    dates = {"reasons_mailed": date(2027, 12, 2), "leave_filed": date(2027, 11, 20)}
    deemed = one(loaded, on_cal, "fc_jr", dates, "fc.reasons_deemed_received")
    # Thursday 2 December + 10 = Sunday 12 December, a holiday: Monday 13 (r. 4.1(2)).
    assert (deemed.unadjusted, deemed.due, deemed.unconfirmed) == (date(2027, 12, 12), date(2027, 12, 13), False)
    record = one(loaded, on_cal, "fc_jr", dates, "fc.applicants_record", {"fc.applicants_record": "reasons_requested"})
    # Counted from the unmoved deemed day (Sunday 12 December) + 30 = Tuesday 11 January 2028.
    assert (record.due, record.estimated, record.trigger) == (date(2028, 1, 11), True, "rule:fc.reasons_deemed_received")


def test_contact_information_rules(loaded, on_cal) -> None:
    info = one(loaded, on_cal, "rpd_claim", {"referral": date(2027, 6, 16)}, "rpd.contact_info")
    assert (info.due, info.closed_day.en, info.unconfirmed) == (date(2027, 6, 26), "Saturday", True)  # + 10
    changed = {"contact_changed": date(2027, 3, 3)}
    assert one(loaded, on_cal, "rpd_claim", changed, "rpd.contact_change").due == date(2027, 3, 3)
    rad = one(loaded, on_cal, "rad_appeal", changed, "rad.contact_change")
    assert (rad.due, rad.citation) == (date(2027, 3, 3), "RAD Rules r. 15")


def test_boc_extension_three_working_days_before_the_unmoved_boc_day(loaded, on_cal) -> None:
    # BOC: 16 June + 15 = Thursday 1 July (Canada Day). Three working days before it, counted back:
    # Wednesday 30 June, Tuesday 29, Monday 28 June.
    d = one(loaded, on_cal, "rpd_claim", {"referral": date(2027, 6, 16)}, "rpd.boc_extension")
    assert (d.due, d.trigger, d.optional, d.citation) == (
        date(2027, 6, 28), "rule:rpd.boc", True, "RPD Rules r. 8(1)-(3); IRPR s. 159.8(3)")


def test_boc_changes_and_witnesses_ten_days_before_the_hearing(loaded, on_cal) -> None:
    changes = one(loaded, on_cal, "rpd_claim", {"hearing": date(2027, 7, 12)}, "rpd.boc_changes")
    assert changes.due == date(2027, 7, 2)  # Monday 12 July - 10 = Friday 2 July
    witness = one(loaded, on_cal, "rpd_claim", {"hearing": date(2027, 7, 13)}, "rpd.witness")
    assert (witness.unadjusted, witness.due) == (date(2027, 7, 3), date(2027, 7, 2))  # Saturday -> Friday


def test_mandamus_uses_the_imm_rules_after_leave_is_filed(loaded, on_cal) -> None:
    d = one(loaded, on_cal, "mandamus", {"leave_filed": date(2027, 3, 1)}, "fc.applicants_record")
    assert (d.due, d.estimated) == (date(2027, 3, 31), False)  # 1 March + 30
    reply = one(loaded, on_cal, "mandamus", {"respondent_memo_served": date(2027, 4, 5)}, "fc.reply")
    assert reply.due == date(2027, 4, 15)


def _rules_with_a_case() -> set[str]:
    """Rule ids given to `one(...)` in this file: read from the source, so the check holds
    whichever tests run, in whatever order or process."""
    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    return {call.args[4].value for call in ast.walk(tree)
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "one"
            and len(call.args) > 4 and isinstance(call.args[4], ast.Constant)}


def test_every_bundled_rule_has_a_case_here(loaded) -> None:
    with_case = _rules_with_a_case()
    assert len(with_case) > 20  # the reading found the calls
    assert {r.id for r in loaded.rules} - with_case == set()
