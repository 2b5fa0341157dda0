"""Legal citations in the reader's language.

Package checklists and deadline rules cite their sources in English ("RPD Rules r. 11",
"IRPA s. 25(1)", "Form 359"), as the rules files and package definitions are written.
A French reader gets the French names of the same instruments ("Règles de la SPR,
r. 11", "LIPR, art. 25(1)", "formule 359"), with every number left exactly as it is:
a citation is for finding the text, so only words change, never references.
Wording outside this table (a clinic's own rules file) is shown as written.
"""

from __future__ import annotations

import re

# Longest first: "Federal Courts Rules" before "FCR", "IRPR (" before "IRPR".
_FRENCH: tuple[tuple[str, str], ...] = (
    ("Federal Courts Citizenship, Immigration and Refugee Protection Rules",
     "Règles des Cours fédérales en matière de citoyenneté, d'immigration et de protection des réfugiés"),
    ("Additional Protocol to the Safe Third Country Agreement",
     "Protocole additionnel à l'Entente sur les tiers pays sûrs"),
    ("Federal Court practice (stays of removal); no rule sets this date",
     "Pratique de la Cour fédérale (sursis au renvoi); aucune règle ne fixe cette date"),
    ("Date set by CBSA (direction to report); no rule", "Date fixée par l'ASFC (avis de convocation); aucune règle"),
    ("(15 more days: 30 in total from notification)", "(15 jours de plus\u00a0: 30 au total depuis l'avis)"),
    ("(no decision before day 30)", "(aucune décision avant le 30e jour)"),
    ("(extended time to perfect)", "(délai prolongé pour mettre la demande en état)"),
    ("(document checklist)", "(liste de contrôle des documents)"),
    ("(port-of-entry PRRA)", "(ERAR au point d'entrée)"),
    ("table of contents:", "table des matières\u00a0:"),
    ("(holiday, seasonal recess)", "(jour férié, vacances judiciaires)"),
    ("(holiday)", "(jour férié)"),
    ('("at least 30 days after notification")', "(«\u00a0au moins 30 jours après l'avis\u00a0»)"),
    ("(AG)", "(PG)"),
    ("(FCA)", "(CAF)"),
    ("IRCC PRRA instructions", "instructions d'IRCC sur l'ERAR"),
    ("RAD practice notice", "avis de pratique de la SAR"),
    ("(in force ", "(en vigueur le "),
    ("Interpretation Act", "Loi d'interprétation"),
    ("Federal Courts Rules", "Règles des Cours fédérales"),
    ("IMM Rules", "Règles des Cours fédérales en matière d'immigration"),
    ("IAD Rules, 2022,", "Règles de la SAI (2022),"),
    ("RPD Rules", "Règles de la SPR"),
    ("RAD Rules", "Règles de la SAR"),
    ("FCR", "Règles des Cours fédérales"),
    ("IRPA", "LIPR"),
    ("IRPR", "RIPR"),
    ("STCA", "Entente sur les tiers pays sûrs,"),
    (" v. Canada", " c. Canada"),
    (" FCA ", " CAF "),
    (" FC ", " CF "),
    ("Form ", "formule "),
    ("form ", "formulaire "),
)
# "IRPA s. 25(1)" -> "LIPR, art. 25(1)"; "RPD Rules r. 11" -> "Règles de la SPR, r. 11"
_SECTION = re.compile(r"(?<=[A-Za-zÀ-ÿ)]) (s|r)\. (?=\d)")
_NEXT_SECTION = re.compile(r"(?<=[,;] )s\. (?=\d)")
_TERMS = re.compile("|".join(re.escape(en) for en, _fr in _FRENCH))
_BY_ENGLISH = dict(_FRENCH)


def cite(citation: str, lang: str) -> str:
    """`citation` as a reader of `lang` ("en" or "fr") writes it."""
    if lang != "fr" or not citation:
        return citation
    text = _TERMS.sub(lambda m: _BY_ENGLISH[m.group()], citation)
    text = _SECTION.sub(lambda m: ", art. " if m.group(1) == "s" else ", r. ", text)
    return _NEXT_SECTION.sub("art. ", text).replace(",, ", ", ")
