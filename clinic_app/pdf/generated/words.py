"""Words shared by generated documents, in the matter's language (not the user's).

Texts are marked with N_() where they are written and translated with `tr(lang, ...)`
when printed, so a French matter gets French documents even when the user works in
English. Spanish exists only for the letter writers' guidance sheet (see guidance.py).
"""

from __future__ import annotations

import datetime as _dt

from clinic_app.i18n import N_, translate_for
from clinic_app.pdf import vocab

DRAFT_BANNER = N_("DRAFT prepared by Haven: check it, complete it and have it signed or sworn. "
                  "A draft must not be filed as it is.")

LANGUAGE_NAMES = {
    "es": N_("Spanish"), "ru": N_("Russian"), "zh": N_("Chinese"),
    "ar": N_("Arabic"), "fa": N_("Persian"), "pt": N_("Portuguese"), "uk": N_("Ukrainian"),
    "tr": N_("Turkish"), "am": N_("Amharic"), "ti": N_("Tigrinya"), "so": N_("Somali"), "ur": N_("Urdu"),
    "hi": N_("Hindi"), "pa": N_("Punjabi"), "ta": N_("Tamil"), "ht": N_("Haitian Creole"), "sw": N_("Swahili"),
    "be": N_("Belarusian"), "kk": N_("Kazakh"),
}

FACTOR_TITLES = {
    "establishment": N_("Establishment in Canada"),
    "best_interests_child": N_("Best interests of the child"),
    "hardship_country_conditions": N_("Hardship and country conditions"),
    "family_ties": N_("Family ties"),
    "health": N_("Health"),
}


def tr(lang: str, message: str) -> str:
    return translate_for(lang, message)


def language_name(lang: str, code: str) -> str:
    """"Spanish" / "espagnol" for "es"; unknown codes are printed as they are."""
    base = code.split("-")[0]
    return tr(lang, LANGUAGE_NAMES[base]) if base in LANGUAGE_NAMES else code


def date_text(value: _dt.date | None, lang: str) -> str:
    return vocab.format_date(value, lang)


def blank(width: int = 24) -> str:
    """A line to fill in by hand."""
    return "_" * width
