"""Agenda grouping across matters, relative to a given `today` (Monday 5 July 2027)."""

from __future__ import annotations

from datetime import date

from clinic_app.domain.deadlines import Bilingual, Deadline, build_agenda, describe_days, describe_flags

TODAY = date(2027, 7, 5)


def dl(rule_id: str, due: date, kind: str = "due", matter: str = "A", unconfirmed: bool = False) -> Deadline:
    return Deadline(rule_id=rule_id, title=Bilingual(rule_id, rule_id), kind=kind, due=due, unadjusted=due,
                    moved_reason=None, citation="c", unconfirmed=unconfirmed, matter_ref=matter)


def ids(items) -> list[tuple[str, str, int]]:
    return [(i.deadline.matter_ref, i.deadline.rule_id, i.days_remaining) for i in items]


def test_groups_and_days_remaining_across_matters() -> None:
    agenda = build_agenda([
        dl("later", date(2027, 7, 13), matter="B"),        # 8 days: later
        dl("week_end", date(2027, 7, 12), matter="A"),     # 7 days: still this week
        dl("tomorrow", date(2027, 7, 6), matter="B"),
        dl("today", date(2027, 7, 5), matter="C"),
        dl("overdue", date(2027, 7, 2), matter="A"),
        dl("past_bar", date(2027, 7, 1), kind="not_before"),   # allowed now: not overdue, dropped
        dl("past_watch", date(2027, 7, 4), kind="watch"),      # someone else's date: dropped
        dl("bar_ends", date(2027, 7, 6), kind="not_before", matter="A"),
    ], TODAY)
    assert ids(agenda.overdue) == [("A", "overdue", -3)]
    assert ids(agenda.due_today) == [("C", "today", 0)]
    assert ids(agenda.this_week) == [("A", "bar_ends", 1), ("B", "tomorrow", 1), ("A", "week_end", 7)]
    assert ids(agenda.later) == [("B", "later", 8)]
    assert [g for g, _items in agenda.groups()] == ["overdue", "today", "this_week", "later"]


def test_unconfirmed_first_on_the_same_day_and_window_options() -> None:
    items = [dl("sure", date(2027, 7, 8)), dl("doubt", date(2027, 7, 8), unconfirmed=True)]
    agenda = build_agenda(items, TODAY)
    assert [i.deadline.rule_id for i in agenda.this_week] == ["doubt", "sure"]
    narrow = build_agenda(items + [dl("far", date(2027, 9, 1))], TODAY, week_days=2, horizon_days=30)
    assert (len(narrow.this_week), len(narrow.later)) == (0, 2)


def test_describe_days_in_english() -> None:
    agenda = build_agenda([dl("a", date(2027, 7, 2)), dl("b", date(2027, 7, 4)), dl("c", TODAY),
                           dl("d", date(2027, 7, 6)), dl("e", date(2027, 7, 9)),
                           dl("f", date(2027, 7, 9), kind="not_before"), dl("g", date(2027, 7, 6), kind="watch")],
                          TODAY)
    texts = {i.deadline.rule_id: describe_days(i) for _g, items in agenda.groups() for i in items}
    assert texts == {"a": "3 days overdue", "b": "1 day overdue", "c": "Due today", "d": "1 day left",
                     "e": "4 days left", "f": "Allowed in 4 days", "g": "In 1 day"}


def test_flags_warn_about_unconfirmed_estimated_moved_and_closed_days() -> None:
    d = Deadline(rule_id="x", title=Bilingual("X", "X"), kind="due", due=date(2027, 7, 2),
                 unadjusted=date(2027, 7, 1), moved_reason=Bilingual("Canada Day", "Fête du Canada"),
                 citation="c", unconfirmed=True, estimated=True, closed_day=Bilingual("Saturday", "samedi"))
    flags = describe_flags(d, "en")
    assert len(flags) == 4
    assert flags[0].startswith("UNCONFIRMED")
    assert "Moved from 2027-07-01 (Canada Day)." in flags
    assert describe_flags(d, "fr")[2] == "Moved from 2027-07-01 (Fête du Canada)."  # data follows lang
    assert describe_flags(dl("plain", TODAY)) == []
