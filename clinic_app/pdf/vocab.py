"""Words printed in bundles, in the matter's language (not the user's).

Every generated word goes through `translate_for(lang, ...)` with named placeholders,
so French bundles come out in French even when the user works in English.
"""

from __future__ import annotations

import datetime as _dt

from clinic_app.i18n import N_, translate_for

MONTHS = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)

# Marked here so the catalog extractor finds them; translated where they are printed.
WORDS = (
    N_("Index"),
    N_("Index (continued)"),
    N_("Tab"),
    N_("Document"),
    N_("Date"),
    N_("Pages"),
    N_("Vol."),
    N_("Reference only"),
    N_("Cover"),
    N_("Between"),
    N_("Counsel"),
    N_("Table of contents"),
    N_("Table of contents (continued)"),
)

EXHIBIT = N_("Exhibit \u201c{mark}\u201d")
EXHIBIT_SENTENCE = N_("This is Exhibit \u201c{mark}\u201d referred to in the affidavit of {deponent} sworn "
                      "(or affirmed) before me on {date}.")
COMMISSIONER = N_("A Commissioner for taking affidavits")


RIGHT_TO_LEFT = frozenset(("ar", "fa", "he", "ur", "ps", "yi"))


def direction(lang: str) -> str:
    """The base direction ("L" or "R") of a sentence in `lang`: a name set in one is an
    embedded run, so the sentence keeps its language's direction on every line."""
    return "R" if lang.split("-")[0] in RIGHT_TO_LEFT else "L"


def tr(lang: str, message: str) -> str:
    return translate_for(lang, message)


def format_date(value: _dt.date | None, lang: str) -> str:
    """ "30 April 2025" / "30 avril 2025" ("1er" on the first of the month in French)."""
    if value is None:
        return ""
    day = "1er" if (lang == "fr" and value.day == 1) else str(value.day)
    month = translate_for(lang, MONTHS[value.month - 1])
    return translate_for(lang, "{day} {month} {year}").format(day=day, month=month, year=value.year)


def page_range(first: int | None, last: int | None) -> str:
    """ "12–18", or "12" for one page; en dash as in court indexes."""
    if first is None or last is None:
        return ""
    return str(first) if first == last else f"{first}\u2013{last}"


def tab_title(lang: str, label: str) -> str:
    return translate_for(lang, "Tab {label}").format(label=label)


def part_label(lang: str, label: str, number: int) -> str:
    return label or translate_for(lang, "Part {number}").format(number=number)


def exhibit_label(lang: str, mark: str) -> str:
    """ "Exhibit “A”" / "Pièce « A »"."""
    return translate_for(lang, EXHIBIT).format(mark=mark)


def part_title(lang: str, label: str, number: int, exhibit: str = "", starts: bool = False) -> str:
    """How an index row or a bookmark names a part: an exhibit by its mark and title, a part of
    an exhibit (its translation) under it."""
    text = part_label(lang, label, number)
    if not exhibit:
        return text
    if starts:
        return f"{exhibit_label(lang, exhibit)} \u2013 {text}" if label else exhibit_label(lang, exhibit)
    return f"{exhibit_label(lang, exhibit)}, {text[:1].lower() + text[1:]}"


def commissioner_block(lang: str, mark: str, deponent: str, sworn: _dt.date | None) -> tuple[str, str, str]:
    """The exhibit stamp: its heading, the commissioner's sentence, and the signature caption."""
    sentence = translate_for(lang, EXHIBIT_SENTENCE).format(
        mark=mark, deponent=deponent.strip() or "_" * 16, date=format_date(sworn, lang) or "_" * 14)
    return exhibit_label(lang, mark), sentence, translate_for(lang, COMMISSIONER)


def index_title(lang: str, heading: str, continued: bool = False) -> str:
    """ "Index" or "Table of contents" (court records), and their "(continued)" forms."""
    names = ("Table of contents", "Table of contents (continued)") if heading == "contents" else (
        "Index", "Index (continued)")  # all four are marked in WORDS above
    message = names[1] if continued else names[0]
    return translate_for(lang, message)


def excerpt_note(lang: str, pages: tuple[int, ...]) -> str:
    """ "excerpt, original pp. 12–18" from the source pages actually used."""
    spans: list[str] = []
    start = prev = pages[0]
    for page in pages[1:] + (-1,):
        if page == prev + 1:
            prev = page
            continue
        spans.append(page_range(start, prev))
        start = prev = page
    return translate_for(lang, "excerpt, original pp. {pages}").format(pages=", ".join(spans))


def volume_line(lang: str, number: int, total: int) -> str:
    return translate_for(lang, "Volume {number} of {total}").format(number=number, total=total)


def file_line(lang: str, file_number: str) -> str:
    return translate_for(lang, "File No. {number}").format(number=file_number)


def header_text(lang: str, file_number: str, label: str) -> str:
    """Top-of-page header on document pages: file number and tab."""
    tab = tab_title(lang, label)
    return f"{file_number} \u00b7 {tab}" if file_number.strip() else tab
