"""The counting engine on small hand-made rules: business days, clear days, months,
chains, fallbacks, variants, pending rules and refusals of bad input."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from clinic_app.domain.deadlines import (
    BusinessCalendar,
    Rule,
    add_months,
    compute_deadlines,
    parse_rule,
    pending_rules,
)
from clinic_app.errors import ValidationError


def make(**over: Any) -> Rule:
    data: dict[str, Any] = {
        "id": "t.rule", "name": {"en": "Test", "fr": "Essai"}, "applies_to": ["rpd_claim"], "kind": "due",
        "trigger": {"date": "referral"}, "offset_days": 10, "roll": "forward", "citation": "test",
        "sources": ["T"], "last_checked": "2027-01-01", "unconfirmed": False,
    }
    data.update(over)
    return parse_rule(data, "test.yaml", "TEST", 0)


def due(rules: list[Rule], dates: dict[str, date], cal: BusinessCalendar, rule_id: str = "t.rule",
        **kw: Any):
    return next(d for d in compute_deadlines("rpd_claim", dates, rules, cal, **kw) if d.rule_id == rule_id)


def test_business_days_after_skip_canada_day_and_the_weekend(on_cal) -> None:
    r = make(offset_days=5, count="business", holidays="federal_courts_rules")
    # After Mon 28 June: Tue 29 (1), Wed 30 (2), Thu 1 July closed, Fri 2 (3), Mon 5 (4), Tue 6 (5).
    assert due([r], {"referral": date(2027, 6, 28)}, on_cal).due == date(2027, 7, 6)


def test_business_days_under_interpretation_act_count_saturdays(on_cal) -> None:
    r = make(offset_days=5, count="business", holidays="interpretation_act")
    # Tue 29, Wed 30, (Thu 1 July closed), Fri 2, Sat 3, (Sun 4 closed), Mon 5.
    assert due([r], {"referral": date(2027, 6, 28)}, on_cal).due == date(2027, 7, 5)


def test_clear_days_exclude_both_ends(on_cal) -> None:
    after = make(offset_days=10, clear_days=True, roll="none")
    assert due([after], {"referral": date(2027, 6, 7)}, on_cal).due == date(2027, 6, 18)
    before = make(offset_days=-10, clear_days=True, roll="none", trigger={"date": "hearing"})
    assert due([before], {"hearing": date(2027, 6, 18)}, on_cal).due == date(2027, 6, 7)


def test_months_use_the_last_day_for_due_dates_and_the_next_day_for_earliest_dates(on_cal) -> None:
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2027, 1, 31), 1, prefer_later=True) == date(2027, 3, 1)
    assert add_months(date(2027, 12, 15), 1) == date(2028, 1, 15)
    assert add_months(date(2027, 3, 15), -3) == date(2026, 12, 15)
    r = make(offset_days=0, offset_months=1, roll="none")
    assert due([r], {"referral": date(2027, 1, 31)}, on_cal).due == date(2027, 2, 28)
    nb = make(kind="not_before", offset_days=0, offset_months=1, roll="none")
    assert due([nb], {"referral": date(2027, 1, 31)}, on_cal).due == date(2027, 3, 1)


def test_not_before_rolls_forward_past_a_holiday(on_cal) -> None:
    r = make(kind="not_before", offset_days=15, roll="forward")
    d = due([r], {"referral": date(2027, 6, 16)}, on_cal)
    assert (d.due, d.closed_day) == (date(2027, 7, 2), None)  # closed_day is only reported for due kinds


def test_chained_rule_counts_from_unadjusted_date_and_fallback_is_estimated(on_cal) -> None:
    first = make(id="t.first")
    second = make(id="t.second", trigger={"date": "leave_filed", "fallback": {"rule": "t.first"}}, offset_days=3)
    dates = {"referral": date(2027, 6, 21)}  # first: raw Thu 1 July, due Fri 2 July
    d = due([first, second], dates, on_cal, "t.second")
    assert (d.due, d.estimated, d.trigger, d.trigger_date) == (date(2027, 7, 5), True, "rule:t.first", date(2027, 7, 1))
    real = due([first, second], {**dates, "leave_filed": date(2027, 7, 6)}, on_cal, "t.second")
    assert (real.due, real.estimated, real.trigger) == (date(2027, 7, 9), False, "leave_filed")


def test_fallbacks_can_be_nested(on_cal) -> None:
    r = make(trigger={"date": "leave_filed", "fallback": {"date": "notification", "fallback": {"date": "decision"}}})
    d = due([r], {"decision": date(2027, 6, 1)}, on_cal)
    assert (d.due, d.trigger, d.estimated) == (date(2027, 6, 11), "decision", True)
    d = due([r], {"decision": date(2027, 6, 1), "notification": date(2027, 6, 3)}, on_cal)
    assert (d.due, d.trigger, d.estimated) == (date(2027, 6, 14), "notification", True)  # Sun 13 -> Mon 14


def test_matter_ref_and_titles_pass_through(on_cal) -> None:
    d = due([make()], {"referral": date(2027, 6, 1)}, on_cal, matter_ref="M-42")
    assert (d.matter_ref, d.title.en, d.title.fr, d.forum, d.citation) == ("M-42", "Test", "Essai", "TEST", "test")


def test_results_are_sorted_and_only_for_the_matter_type(on_cal) -> None:
    late = make(id="t.late", offset_days=20)
    early = make(id="t.early", offset_days=2)
    other = make(id="t.other", applies_to=["prra"])
    got = compute_deadlines("rpd_claim", {"referral": date(2027, 6, 1)}, [late, other, early], on_cal)
    assert [d.rule_id for d in got] == ["t.early", "t.late"]


def test_variants_are_checked(on_cal) -> None:
    r = make(variants={"default": "a", "options": {"a": {"label": {"en": "A", "fr": "A"}},
                                                    "b": {"label": {"en": "B", "fr": "B"}, "offset_days": 20}}})
    assert due([r], {"referral": date(2027, 6, 1)}, on_cal, variants={"t.rule": "b"}).due == date(2027, 6, 21)
    with pytest.raises(ValidationError) as err:
        compute_deadlines("rpd_claim", {}, [r], on_cal, variants={"t.rule": "c"})
    assert (err.value.item, err.value.field) == ("t.rule", "variants")
    with pytest.raises(ValidationError):
        compute_deadlines("rpd_claim", {}, [r], on_cal, variants={"t.nope": "a"})


def test_unknown_matter_type_or_date_name_is_refused(on_cal) -> None:
    with pytest.raises(ValidationError) as err:
        compute_deadlines("rpd", {}, [make()], on_cal)
    assert err.value.field == "matter_type"
    with pytest.raises(ValidationError) as err:
        compute_deadlines("rpd_claim", {"hearnig": date(2027, 1, 1)}, [make()], on_cal)
    assert (err.value.item, err.value.field) == ("hearnig", "dates")


def test_pending_rules_name_the_missing_dates(loaded, on_cal) -> None:
    pending = pending_rules("rpd_claim", {"referral": date(2027, 6, 1)}, loaded.rules, on_cal)
    by_id = {p.rule_id: p for p in pending}
    assert by_id["rpd.disclosure"].needs == ("hearing",)
    assert "rpd.boc" not in by_id and "rpd.joinder" not in by_id  # computed / optional
    fc = {p.rule_id: p.needs for p in pending_rules("fc_jr", {}, loaded.rules, on_cal)}
    assert fc["fc.applicants_record"] == ("leave_filed", "notification", "decision")
    assert "fc.reply" not in fc and "fc.fcr309_record" not in fc


def test_hand_built_loop_is_refused(on_cal) -> None:
    a = make(id="t.a", trigger={"rule": "t.b"})
    b = make(id="t.b", trigger={"rule": "t.a"})
    with pytest.raises(ValidationError):
        compute_deadlines("rpd_claim", {}, [a, b], on_cal)
