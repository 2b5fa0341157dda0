"""A small, offline guess of a document's language, to pre-fill the evidence form.

Clinics need to know which documents need a certified translation for the IRB
(English or French are the tribunal's languages). A network model is out of the
question, and a wrong guess only costs one click, so this counts common function
words for Latin and Cyrillic languages and falls back on the script for Chinese
and Arabic. Returns an ISO 639-1 code or None when there is too little text.
"""

from __future__ import annotations

import re
import unicodedata

SAMPLE_CHARS = 20_000
MIN_WORDS = 5
MIN_SCRIPT_CHARS = 20

STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the and of to in is that for it with as was on be by this are from at have not "
        "or his her he she they we you which has been were had their would there".split()
    ),
    "fr": frozenset(
        "le la les de des du et est que qui dans pour pas une un sur au aux avec ce cette "
        "il elle ils nous vous sont été par mais ou je ne se son sa ses leur".split()
    ),
    "es": frozenset(
        "el la los las de del y que en un una es por para con no se su sus al lo como más "
        "pero fue ha muy este esta son yo mi estaba también".split()
    ),
    "pt": frozenset(
        "o a os as de do da dos das e que em um uma é para com não se seu sua ao como mais "
        "mas foi ele ela são pelo pela também eu minha".split()
    ),
    "ru": frozenset(
        "и в не на я что он с по как это она к но они мы из у за от же так было был его "
        "её для то все меня мне".split()
    ),
}

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _script_counts(sample: str) -> dict[str, int]:
    counts = {"han": 0, "arabic": 0, "letters": 0}
    for ch in sample:
        if not ch.isalpha():
            continue
        counts["letters"] += 1
        code = ord(ch)
        if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF:
            counts["han"] += 1
        elif 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF:
            counts["arabic"] += 1
    return counts


def guess_language(text: str) -> str | None:
    """ISO 639-1 code of the most likely language of `text`, or None if unsure."""
    sample = unicodedata.normalize("NFC", text[:SAMPLE_CHARS])
    scripts = _script_counts(sample)
    if scripts["letters"] >= MIN_SCRIPT_CHARS:
        if scripts["han"] * 3 >= scripts["letters"]:
            return "zh"
        if scripts["arabic"] * 3 >= scripts["letters"]:
            return "ar"
    words = [w.casefold() for w in _WORD.findall(sample)]
    if len(words) < MIN_WORDS:
        return None
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in STOPWORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    if scores[best] < 2 or scores[best] * 20 < len(words):
        return None
    ranked = sorted(scores.values(), reverse=True)
    if ranked[1] and ranked[0] < ranked[1] * 1.2:  # too close to call (e.g. es vs pt)
        return _tiebreak(words, best)
    return best


_MARKERS = {"pt": ("ção", "ões", "ã", "õ", "lh", "nh"), "es": ("ñ", "ción", "ll", "¿", "¡")}


def _tiebreak(words: list[str], best: str) -> str | None:
    joined = " ".join(words)
    pt = sum(joined.count(m) for m in _MARKERS["pt"])
    es = sum(joined.count(m) for m in _MARKERS["es"])
    if best in ("es", "pt") and pt != es:
        return "pt" if pt > es else "es"
    return best
