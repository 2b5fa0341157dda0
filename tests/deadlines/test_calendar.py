"""BusinessCalendar: which days are closed, per province and per definition.

Expected values are worked out by hand from a 2027 calendar: Good Friday 26 March
(Easter 28 March), Victoria Day 24 May, Canada Day Thursday 1 July, Labour Day
6 September, National Day for Truth and Reconciliation Thursday 30 September,
Thanksgiving 11 October (second Monday), Remembrance Day Thursday 11 November,
Christmas Saturday 25 December, Boxing Day Sunday 26 December.
"""

from __future__ import annotations

from datetime import date

import pytest

from clinic_app.domain.deadlines import BusinessCalendar

IA = "interpretation_act"
FCR = "federal_courts_rules"


@pytest.mark.parametrize(
    "day, name",
    [
        (date(2027, 1, 1), "New Year's Day"),
        (date(2027, 3, 26), "Good Friday"),
        (date(2027, 3, 29), "Easter Monday"),
        (date(2027, 5, 24), "Victoria Day"),
        (date(2027, 7, 1), "Canada Day"),
        (date(2027, 9, 6), "Labour Day"),
        (date(2027, 9, 30), "National Day for Truth and Reconciliation"),
        (date(2027, 10, 11), "Thanksgiving Day"),
        (date(2027, 11, 11), "Remembrance Day"),
        (date(2027, 12, 25), "Christmas Day"),
    ],
)
def test_interpretation_act_holidays_in_both_provinces(on_cal: BusinessCalendar, qc_cal: BusinessCalendar,
                                                       day: date, name: str) -> None:
    for cal in (on_cal, qc_cal):
        reason = cal.closed_reason(day, IA)
        assert reason is not None and reason.en == name


def test_family_day_is_ontario_only(on_cal: BusinessCalendar, qc_cal: BusinessCalendar) -> None:
    family_day = date(2027, 2, 15)  # third Monday of February
    assert on_cal.closed_reason(family_day, IA).en == "Family Day"
    assert qc_cal.closed_reason(family_day, IA) is None
    assert qc_cal.is_business_day(family_day)


def test_saint_jean_baptiste_is_quebec_only(on_cal: BusinessCalendar, qc_cal: BusinessCalendar) -> None:
    june_24 = date(2027, 6, 24)  # a Thursday
    assert qc_cal.closed_reason(june_24, IA).fr == "Fête nationale du Québec"
    assert on_cal.closed_reason(june_24, IA) is None
    assert on_cal.is_business_day(june_24)


def test_boxing_day_comes_from_the_province(on_cal: BusinessCalendar, qc_cal: BusinessCalendar) -> None:
    boxing = date(2028, 12, 26)  # a Tuesday; not in Interpretation Act s. 35(1) itself
    assert on_cal.closed_reason(boxing, IA).fr == "Lendemain de Noël"
    assert qc_cal.closed_reason(boxing, IA) is None


def test_civic_holiday_is_not_a_holiday_in_ontario_but_bc_day_is() -> None:
    first_monday_august = date(2027, 8, 2)
    assert BusinessCalendar("ON").closed_reason(first_monday_august, IA) is None
    assert BusinessCalendar("BC").closed_reason(first_monday_august, IA) is not None


def test_saturday_counts_only_under_the_federal_courts_rules(on_cal: BusinessCalendar) -> None:
    saturday, sunday = date(2027, 7, 10), date(2027, 7, 11)
    assert on_cal.closed_reason(saturday, IA) is None
    assert on_cal.closed_reason(saturday, FCR).en == "Saturday"
    assert on_cal.closed_reason(sunday, IA).en == "Sunday"
    assert on_cal.closed_reason(sunday, FCR).fr == "dimanche"
    assert not on_cal.is_business_day(saturday)
    assert on_cal.is_business_day(date(2027, 7, 9))


def test_sunday_canada_day_moves_to_monday_under_section_35_2(on_cal: BusinessCalendar) -> None:
    assert on_cal.closed_reason(date(2029, 7, 2), IA).en == "Canada Day (observed)"  # 1 July 2029 is a Sunday


def test_saturday_holidays_move_to_monday_only_in_the_federal_courts(on_cal: BusinessCalendar) -> None:
    monday_after_saturday_canada_day = date(2028, 7, 3)  # 1 July 2028 is a Saturday
    assert on_cal.closed_reason(monday_after_saturday_canada_day, IA) is None
    assert on_cal.closed_reason(monday_after_saturday_canada_day, FCR).en == "Canada Day (observed)"
    monday_after_saturday_new_year = date(2028, 1, 3)  # 1 January 2028 is a Saturday
    assert on_cal.closed_reason(monday_after_saturday_new_year, IA) is None
    assert on_cal.closed_reason(monday_after_saturday_new_year, FCR) is not None


def test_weekend_christmas_gives_monday_and_tuesday_in_the_federal_courts(on_cal: BusinessCalendar) -> None:
    assert on_cal.closed_reason(date(2027, 12, 27), IA) is None
    assert on_cal.closed_reason(date(2027, 12, 27), FCR).en == "Christmas Day (observed)"
    assert on_cal.closed_reason(date(2027, 12, 28), FCR).en == "Christmas Day (observed)"
    assert on_cal.closed_reason(date(2027, 12, 29), FCR) is None


def test_friday_christmas_gives_the_monday_in_the_federal_courts(on_cal: BusinessCalendar) -> None:
    assert on_cal.closed_reason(date(2026, 12, 28), FCR) is not None  # 25 Dec 2026 is a Friday
    assert on_cal.closed_reason(date(2026, 12, 28), IA) is None


def test_truth_and_reconciliation_day_only_from_2021(on_cal: BusinessCalendar) -> None:
    assert on_cal.closed_reason(date(2020, 9, 30), IA) is None  # a Wednesday
    assert on_cal.closed_reason(date(2021, 9, 30), IA) is not None


def test_extra_clinic_closures_and_bad_province() -> None:
    cal = BusinessCalendar("on", extra_holidays={date(2027, 8, 2): "Court closed (storm)"})
    assert cal.province == "ON"
    assert cal.closed_reason(date(2027, 8, 2), IA).en == "Court closed (storm)"
    with pytest.raises(ValueError):
        BusinessCalendar("XX")


def test_doubtful_days_are_provincial_holidays_and_monday_substitutes(on_cal: BusinessCalendar,
                                                                        qc_cal: BusinessCalendar) -> None:
    assert on_cal.doubtful(date(2027, 2, 15), IA).en == "Family Day"  # Ontario's own holiday
    assert qc_cal.doubtful(date(2027, 6, 24), IA) is not None  # Quebec's Fête nationale
    assert on_cal.doubtful(date(2027, 7, 1), IA) is None  # Canada Day: certain
    assert on_cal.doubtful(date(2027, 12, 26), IA) is None  # Boxing Day on a Sunday: closed anyway
    assert on_cal.doubtful(date(2029, 7, 2), IA) is None  # s. 35(2) Monday: certain
    assert on_cal.doubtful(date(2027, 12, 27), FCR).en == "Christmas Day (observed)"  # not in FCR r. 2
    assert on_cal.doubtful(date(2027, 7, 10), FCR) is None  # Saturday under the FCR: certain
    assert on_cal.doubtful(date(2027, 7, 9), IA) is None  # an open Friday


def test_provinces_written_out_are_the_holiday_librarys_subdivisions() -> None:
    """PROVINCES is written out so that building a bundle need not import `holidays`;
    a new release of the library must not leave a province or territory unknown."""
    import holidays

    from clinic_app.domain.deadlines import PROVINCES

    assert sorted(PROVINCES) == sorted(holidays.Canada.subdivisions)
    for code in PROVINCES:
        assert BusinessCalendar(code).holidays_in(2027), code
