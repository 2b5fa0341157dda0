"""Group deadlines from many matters into overdue / today / this week / later.

Relative to a `today` the caller passes in (pure: no clock here). "This week" is a
rolling window of the next `week_days` days, not the calendar week: on a Friday, a
deadline on Monday must not hide under "later".

Only `due` deadlines can be overdue. A past `not_before` date (e.g. the end of the
H&C bar) means the step is now allowed, and a past `watch` date (someone else's
time limit, a removal date) is not the clinic's to meet; both leave the agenda
once past instead of crying "overdue".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from clinic_app.domain.deadlines.model import Bilingual, Deadline
from clinic_app.i18n import N_, _, current_language, ngettext

GROUPS: tuple[str, ...] = ("overdue", "today", "this_week", "later")
GROUP_LABELS: dict[str, str] = {
    "overdue": N_("Overdue"),
    "today": N_("Today"),
    "this_week": N_("This week"),
    "later": N_("Later"),
}
KIND_LABELS: dict[str, str] = {
    "due": N_("Due"),
    "not_before": N_("Not before"),
    "watch": N_("To watch"),
}


@dataclass(frozen=True)
class AgendaItem:
    deadline: Deadline
    days_remaining: int  # negative when overdue


@dataclass(frozen=True)
class Agenda:
    today: date
    overdue: tuple[AgendaItem, ...] = ()
    due_today: tuple[AgendaItem, ...] = ()
    this_week: tuple[AgendaItem, ...] = ()
    later: tuple[AgendaItem, ...] = ()

    def groups(self) -> list[tuple[str, tuple[AgendaItem, ...]]]:
        """(group key, items) in display order; see GROUP_LABELS for the titles."""
        return [("overdue", self.overdue), ("today", self.due_today),
                ("this_week", self.this_week), ("later", self.later)]


def _sort_key(item: AgendaItem) -> tuple[date, int, str, str]:
    d = item.deadline
    # Unconfirmed first on the same day, so the doubtful ones get a human look early.
    return (d.due, 0 if d.unconfirmed else 1, str(d.matter_ref or ""), d.rule_id)


def build_agenda(deadlines: Iterable[Deadline], today: date, *, week_days: int = 7,
                 horizon_days: int | None = None) -> Agenda:
    """Bucket `deadlines` relative to `today`; `horizon_days` drops items further away."""
    buckets: dict[str, list[AgendaItem]] = {g: [] for g in GROUPS}
    for d in deadlines:
        days = (d.due - today).days
        if days < 0 and d.kind != "due":
            continue
        if horizon_days is not None and days > horizon_days:
            continue
        item = AgendaItem(d, days)
        group = "overdue" if days < 0 else "today" if days == 0 else "this_week" if days <= week_days else "later"
        buckets[group].append(item)
    ordered = {g: tuple(sorted(items, key=_sort_key)) for g, items in buckets.items()}
    return Agenda(today, ordered["overdue"], ordered["today"], ordered["this_week"], ordered["later"])


def describe_days(item: AgendaItem) -> str:
    """"3 days left", "Due today", "2 days overdue", "Allowed in 5 days"... in the UI language."""
    n, kind = item.days_remaining, item.deadline.kind
    if kind == "not_before":
        if n == 0:
            return _("Allowed from today")
        if n < 0:  # the earliest date has passed: the step is allowed now
            return ngettext("Allowed for {count} day now", "Allowed for {count} days now", -n).format(count=-n)
        return ngettext("Allowed in {count} day", "Allowed in {count} days", n).format(count=n)
    if kind == "watch":
        if n == 0:
            return _("Today")
        if n < 0:
            return ngettext("{count} day ago", "{count} days ago", -n).format(count=-n)
        return ngettext("In {count} day", "In {count} days", n).format(count=n)
    if n < 0:
        return ngettext("{count} day overdue", "{count} days overdue", -n).format(count=-n)
    if n == 0:
        return _("Due today")
    return ngettext("{count} day left", "{count} days left", n).format(count=n)


ASSUMED = N_("Assumed, because no option is chosen for this matter: {option}. If that is not this matter's case, "
             "choose the right option for {rule} in the matter's deadline options.")
ASSUMED_FROM = N_("Counted from {rule}, which assumes a case because no option is chosen for this matter: "
                  "{option}. If that is not this matter's case, choose the right option for {rule} in "
                  "the matter's deadline options.")


def assumed_cases(deadline: Deadline) -> list[tuple[str, str, Bilingual]]:
    """(message, rule id, the case assumed) for the deadline's own default and each rule it is
    counted through that took one: the window, the CLI and calendar files all say them."""
    out = [(ASSUMED, deadline.rule_id, deadline.variant_label)] \
        if deadline.variant_assumed and deadline.variant_label is not None else []
    return out + [(ASSUMED_FROM, rule, label) for rule, label in deadline.assumed_from]


def describe_flags(deadline: Deadline, lang: str | None = None) -> list[str]:
    """Warnings a person must see next to the date, in the UI language."""
    lang = lang or current_language()
    flags: list[str] = []
    if deadline.unconfirmed:
        flags.append(_("UNCONFIRMED: check this rule against its source before relying on it."))
    if deadline.estimated:
        flags.append(_("Estimate: the date this counts from has not been entered yet."))
    flags += [_(text).format(option=label.get(lang), rule=rule) for text, rule, label in assumed_cases(deadline)]
    if deadline.moved_reason is not None:
        flags.append(_("Moved from {date} ({reason}).").format(
            date=deadline.unadjusted.isoformat(), reason=deadline.moved_reason.get(lang)))
    if deadline.closed_day is not None:
        flags.append(_("Falls on a closed day ({reason}) and is not extended: file before it.").format(
            reason=deadline.closed_day.get(lang)))
    if deadline.may_extend is not None:
        flags.append(deadline.may_extend.get(lang))
    if deadline.met_late and deadline.met_on is not None:
        flags.append(_("Done on {date}, after the due date: check whether an extension was needed.").format(
            date=deadline.met_on.isoformat()))
    return flags
