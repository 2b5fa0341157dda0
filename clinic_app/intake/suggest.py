"""Title and date suggestions for the evidence form, from metadata and the first page.

Suggestions only pre-fill fields a person confirms, so they favour being blank over
being wrong: a metadata title that is really a file name ("Microsoft Word - doc1.docx")
is ignored, and a numeric date is only read when day and month cannot be confused
(Canadian documents use both 03/04 orders). Dates in English, French and Spanish
(and Portuguese, which costs nothing) become ISO yyyy-mm-dd.
"""

from __future__ import annotations

import re
from datetime import date

MAX_TITLE = 120
FIRST_PAGE_CHARS = 4000
YEARS = range(1900, 2101)

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan janvier janv enero ene janeiro",
        "february feb février fevrier févr fevr febrero fevereiro",
        "march mar mars marzo março marco",
        "april apr avril avr abril abr",
        "may mai mayo maio",
        "june jun juin junio junho",
        "july jul juillet juil julio julho",
        "august aug août aout agosto ago",
        "september sep sept septembre septiembre setiembre set setembro",
        "october oct octobre octubre outubro",
        "november nov novembre noviembre novembro",
        "december dec décembre decembre déc diciembre dic dezembro dez",
    ),
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number

_MONTH = r"(?P<month>[a-zA-ZÀ-ÿ]{3,10})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th|er|ᵉʳ|º|°)?"
_YEAR = r"(?P<year>\d{4})"
_PATTERNS = (
    re.compile(r"\b(?P<year>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b"),
    re.compile(rf"\b{_DAY}\s+(?:de\s+)?{_MONTH}\s*(?:de\s+|del\s+|,\s*)?{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(r"\b(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<year>\d{4})\b"),
)
_FILENAME_TITLE = re.compile(
    r"(\.(docx?|odt|rtf|pdf|txt|jpe?g|png|tiff?)\s*$)"
    r"|^(microsoft (word|powerpoint|excel)\b)|^untitled|^sans titre|^sin título",
    re.IGNORECASE,
)
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


def _safe_date(year: int, month: int, day: int) -> date | None:
    if year not in YEARS:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_date(text: str) -> date | None:
    """The first unambiguous date in `text`, or None."""
    sample = text[:FIRST_PAGE_CHARS]
    found: list[tuple[int, date]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(sample):
            parsed = _parse_match(match)
            if parsed is not None:
                found.append((match.start(), parsed))
                break
    return min(found)[1] if found else None


def _parse_match(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    year = int(groups["year"])
    if groups.get("m"):
        return _safe_date(year, int(groups["m"]), int(groups["d"]))
    if groups.get("month"):
        month = MONTHS.get(groups["month"].casefold().rstrip("."))
        return _safe_date(year, month, int(groups["day"])) if month else None
    a, b = int(groups["a"]), int(groups["b"])
    if a > 12 and b <= 12:
        return _safe_date(year, b, a)  # day/month
    if b > 12 and a <= 12:
        return _safe_date(year, a, b)  # month/day
    return None  # 03/04/2023 could be either: do not guess


def _clean_title(value: str | None) -> str | None:
    if not value:
        return None
    title = " ".join("".join(ch if ch.isprintable() else " " for ch in value).split())
    if len(title) < 3 or len(_LETTERS.findall(title)) < 3 or _FILENAME_TITLE.search(title):
        return None
    return title[:MAX_TITLE].rstrip()


def suggest_title(meta_title: str | None, first_page_text: str) -> str | None:
    """Metadata title if it looks like a real title, else the first substantial line."""
    cleaned = _clean_title(meta_title)
    if cleaned:
        return cleaned
    for line in first_page_text[:FIRST_PAGE_CHARS].splitlines():
        candidate = _clean_title(line)
        if candidate and len(candidate) >= 4 and find_date(candidate) is None:
            return candidate
    return None


def suggest_date(first_page_text: str, meta_date: date | None) -> str | None:
    """ISO date found on the first page, else the file's creation date."""
    found = find_date(first_page_text) or meta_date
    return found.isoformat() if found is not None and found.year in YEARS else None
