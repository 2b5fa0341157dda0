"""Which days are closed for counting time limits, for one clinic's province.

Built once by a service (the province is a clinic setting) and passed into the
pure deadline code. Holiday dates come from the `holidays` package; which of them
count is decided here, following the federal rules on computing time:

* Interpretation Act s. 35(1): Sunday, New Year's Day, Good Friday, Easter Monday,
  Victoria Day, Canada Day, Labour Day, National Day for Truth and Reconciliation
  (from 2021), Thanksgiving, Remembrance Day, Christmas Day, plus the province's own
  holidays (s. 35(1)(a)); s. 35(2): New Year's Day, Canada Day or Remembrance Day on
  a Sunday moves to the Monday. Saturday is *not* a holiday under this Act.
* Federal Courts Rules r. 2 "holiday": all of the above, plus every Saturday, plus the
  Monday after New Year's Day, Canada Day or Remembrance Day on a weekend, the Monday
  and Tuesday after a weekend Christmas, and the Monday after a Friday Christmas.

Which of these may move a date *later* is a separate question (`doubtful`): Haven
relies only on the days every reading agrees on. A province's own holidays (Family
Day, Boxing Day in Ontario, 24 June in Quebec) count under s. 35(1)(a) only "in" that
province, and which province a federal filing happens "in" is not settled; the
Monday-after substitutes above are Ontario's Rules of Civil Procedure (r. 1.03), not
the Federal Courts Rules, whose r. 2 "holiday" is a Saturday, a Sunday or a s. 35(1)
day (the Federal Court's own deadline guideline says so). Such days never extend a
time limit; the deadline says they may.

`holidays` models Canada as a nationwide "public" list (five days), a "government"
list (the federal public service: the s. 35 days plus Boxing Day, minus Easter
Monday) and per-province "public" lists. We take "government" minus Boxing Day plus
Easter Monday as the federal set, add the province's "public" list with
`observed=False`, and apply the two observance rules above ourselves: employment-law
substitute days (e.g. Ontario's Boxing Day "observed") are deliberately left out,
because an extra closed day would push a due date later.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from clinic_app.domain.deadlines.model import Bilingual

SATURDAY = Bilingual("Saturday", "samedi")
SUNDAY = Bilingual("Sunday", "dimanche")
# holidays.Canada.subdivisions, written out: importing `holidays` (every country's rules)
# costs about 13 MB and 50 ms, which a process that only builds bundles need not pay.
PROVINCES: tuple[str, ...] = ("AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT")
_FR_FIXES = {"Boxing Day": "Lendemain de Noël"}


def _observed(name: Bilingual) -> Bilingual:
    return Bilingual(f"{name.en} (observed)", f"{name.get('fr')} (jour férié reporté)")


def _next_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7 or 7)


class BusinessCalendar:
    """Closed days (weekends and holidays) under the two federal definitions."""

    def __init__(self, province: str = "ON", *, extra_holidays: Mapping[date, str] | None = None) -> None:
        province = province.upper()
        if province not in PROVINCES:
            raise ValueError(f"unknown province or territory: {province!r}")
        self.province = province
        self._extra = {d: Bilingual(n, n) for d, n in (extra_holidays or {}).items()}
        self._years: dict[int, dict[date, Bilingual]] = {}
        self._federal_years: dict[int, frozenset[date]] = {}
        self._fcr_years: dict[int, dict[date, Bilingual]] = {}

    def _lists(self, year: int, **kwargs: object) -> dict[date, Bilingual]:
        import holidays as holidays_lib  # see PROVINCES

        en = holidays_lib.Canada(years=year, observed=False, language="en_CA", **kwargs)
        fr = holidays_lib.Canada(years=year, observed=False, language="fr", **kwargs)
        out: dict[date, Bilingual] = {}
        for day, name_en in sorted(en.items()):
            name_fr = fr.get(day, name_en)
            out[day] = Bilingual(name_en, _FR_FIXES.get(name_fr, name_fr))
        return out

    def holidays_in(self, year: int) -> dict[date, Bilingual]:
        """Interpretation Act holidays (other than plain Sundays) in `year`."""
        cached = self._years.get(year)
        if cached is not None:
            return cached
        federal = {
            d: n
            for d, n in self._lists(year, categories=("government",)).items()
            if (d.month, d.day) != (12, 26)
        }
        for d, n in list(federal.items()):
            if n.en == "Good Friday":
                federal[d + timedelta(days=3)] = Bilingual("Easter Monday", "Lundi de Pâques")
        for d, n in list(federal.items()):
            if (d.month, d.day) in ((1, 1), (7, 1), (11, 11)) and d.weekday() == 6:
                federal.setdefault(d + timedelta(days=1), _observed(n))
        days = dict(federal)
        for d, n in self._lists(year, subdiv=self.province, categories=("public",)).items():
            days.setdefault(d, n)
        days.update({d: n for d, n in self._extra.items() if d.year == year})
        self._years[year] = days
        self._federal_years[year] = frozenset(federal) | {d for d in self._extra if d.year == year}
        return days

    def _fcr_extra(self, year: int) -> dict[date, Bilingual]:
        """Federal Courts Rules r. 2 "holiday" paragraphs (c) to (e)."""
        cached = self._fcr_years.get(year)
        if cached is not None:
            return cached
        base = self.holidays_in(year)
        out: dict[date, Bilingual] = {}
        for month, day in ((1, 1), (7, 1), (11, 11)):
            d = date(year, month, day)
            if d.weekday() >= 5:
                out[_next_weekday(d, 0)] = _observed(base.get(d, Bilingual(str(d))))
        christmas = date(year, 12, 25)
        name = _observed(base.get(christmas, Bilingual("Christmas Day", "Jour de Noël")))
        if christmas.weekday() >= 5:
            monday = _next_weekday(christmas, 0)
            out[monday] = name
            out[monday + timedelta(days=1)] = name
        elif christmas.weekday() == 4:
            out[_next_weekday(christmas, 0)] = name
        self._fcr_years[year] = out
        return out

    def holiday(self, day: date) -> Bilingual | None:
        """The holiday on `day` under the Interpretation Act, if any (Sundays excluded)."""
        return self.holidays_in(day.year).get(day)

    def closed_reason(self, day: date, definition: str = "interpretation_act") -> Bilingual | None:
        """Why `day` does not count as a day the thing can be done on, or None if it does."""
        found = self.holiday(day)
        if found is not None:
            return found
        if day.weekday() == 6:
            return SUNDAY
        if definition == "federal_courts_rules":
            if day.weekday() == 5:
                return SATURDAY
            return self._fcr_extra(day.year).get(day)
        if definition != "interpretation_act":
            raise ValueError(f"unknown holiday definition: {definition!r}")
        return None

    def doubtful(self, day: date, definition: str = "interpretation_act") -> Bilingual | None:
        """Why `day` may be closed under `definition`, when only a reading Haven does not rely
        on closes it: a provincial holiday, or a Monday-after substitute. None when the day is
        open, or certainly closed (Sunday, a federal s. 35 day, a Saturday under the FCR)."""
        reason = self.closed_reason(day, definition)
        if reason is None or day.weekday() == 6:
            return None
        if definition == "federal_courts_rules" and day.weekday() == 5:
            return None
        self.holidays_in(day.year)
        return None if day in self._federal_years[day.year] else reason

    def is_business_day(self, day: date) -> bool:
        """Monday to Friday and no holiday of either definition: the offices are open."""
        return self.closed_reason(day, "federal_courts_rules") is None
