"""A count is never glued to a fixed plural: "1 documents", "1 duplicates linked" and
"file(s)" come from `_()` where `ngettext()` was needed (issue 17). Read from the strings
Babel extracts, so a new message is checked the day it is written."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

from clinic_app.i18n import catalog_path

# "{count} documents": a placeholder holding a count, then a plural noun; or "(s)".
COUNTED = re.compile(r"\{(count|n|total|ok|pages|tabs|files|volumes|documents|users|days|months|imported|"
                     r"duplicates?|refused|received|sent|pulled|pushed|deleted|applied)\} ([a-z]+s)\b|\w\(s\)")
VERBS = {"is", "was", "has", "have", "are", "were"}
ALWAYS_MORE = {  # counts that cannot be 1 where the message is used, or work in progress elsewhere
    "alone does not fit in one volume": "more pages than the volume limit, so at least 2",
    "The tab has {pages} pages and cannot fit": "more pages than the volume limit",
    "{citation} allows {limit}": "more pages than the limit",
    "Haven imports at most {limit} pages": "more pages than the limit",
    "{days} days have passed since my application": "a mandamus delay: months, never one day",
    "pending for {days} days": "a mandamus delay: months, never one day or one month",
    "within {days} days of the Court": "a fixed term set by the court (15 or 30)",
    "counts from a chain of more than {count} rules": "a fixed limit of the rules loader (20)",
}


def test_counts_use_ngettext() -> None:
    with catalog_path("fr").open("rb") as po:
        catalog = read_po(po)
    wrong = []
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or any(k in message.id for k in ALWAYS_MORE):
            continue
        wrong += [(hit.group(0), message.id) for hit in COUNTED.finditer(message.id) if hit.group(2) not in VERBS]
    assert wrong == []
