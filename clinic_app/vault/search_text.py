"""What the search index stores of a text, how a query is written for it, and how a snippet
is shown: two things FTS5's unicode61 words miss (schema 13).

- **Numbers with dashes.** unicode61 reads a UCI `1234-5678`, an IRB file `TB5-10001` or a
  docket `IMM-1234-26` as separate words, so the number typed without its dashes found
  nothing. A title also holds each such number without its dashes, right after it, between
  `_OPEN` and `_CLOSE`. A number in a query is searched as its words in a row or as that
  form, so the record whose number it is matches both and ranks above a longer number
  that merely contains it (`3456-7890` in `12-3456-7890`).
- **Scripts written without spaces.** unicode61 keeps a run of Chinese, Japanese or Korean
  characters as one word, so `张伟` did not find `王张伟`. Each such character is stored
  as a word of its own (`_GAP` between), and a query's run is the phrase of its characters.
  FTS5 offers no tokenizer for this: `trigram` misses the two-character names that are
  most Chinese names, and a tokenizer of our own would need C.

The three marks are deprecated format characters, which unicode61 treats as spaces; they
are taken out of the text indexed (nobody types them) and out of every snippet (`shown`),
which therefore shows the text as written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Snippets mark matches with two private-use characters, removed from indexed text so
# that no document can forge a mark.
MATCH_START, MATCH_END = "\ue000", "\ue001"
_GAP, _OPEN, _CLOSE = "\u206a", "\u206c", "\u206d"
_OURS = str.maketrans("", "", _GAP + _OPEN + _CLOSE + MATCH_START + MATCH_END)
# Hangul jamo, CJK symbols' iteration marks, kana, Hangul compatibility jamo, kana
# extensions, CJK ideographs (with extension A), Hangul syllables, compatibility
# ideographs, half-width kana, ideograph extensions B to G.
_CJK_CHARS = ("\u1100-\u11ff\u3005-\u3007\u3021-\u3029\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff"
              "\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f"
              "\U00020000-\U0003134f")
_CJK = re.compile(f"[{_CJK_CHARS}]+")
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"  # as domain.identifiers normalises
# In stored titles, whose numbers are normalised. Chinese, Japanese and Korean characters
# are no part of a number: those scripts write one against the words around it
# (`申请书IMM-1234-26王张伟`), and its form without dashes would have held them too.
_NUMBER = re.compile(f"[^\\W_{_CJK_CHARS}]+(?:-[^\\W_{_CJK_CHARS}]+)+")
_WORD = re.compile(r"\w+")
_ENDS_IN_NUMBER = re.compile(r"[\w-]+\Z")
_GAP_OR_FORM = re.compile(f"{_OPEN}([^\\W_]+){_CLOSE}|{_GAP}")
# A number's form without dashes in a snippet, with the number before it (the snippet may
# end inside the form, before its `_CLOSE`).
_FORM = re.compile(f"((?:[^\\W_]|[-{MATCH_START}{MATCH_END}])*){_OPEN}([^{_OPEN}{_CLOSE}…]*){_CLOSE}?")


def _spaced(text: str) -> str:
    """Each Chinese, Japanese or Korean character a word of its own."""
    return _CJK.sub(lambda m: _GAP + _GAP.join(m.group()) + _GAP, text)


def _compact(number: str) -> str:
    return "".join(_WORD.findall(number))


def _cleaned(text: str) -> str:
    """NFC, as a query is (`terms`): a text file saved decomposed (a Mac, some Korean editors)
    holds Hangul as jamo and a kana's voicing mark apart, and `김민수` or `ガルシア` found
    nothing in it; and without our marks."""
    return unicodedata.normalize("NFC", text).translate(_OURS)


def title(text: str) -> str:
    """A title as indexed: each number with dashes followed by its form without them, each
    Chinese, Japanese or Korean character a word."""
    return _spaced(_NUMBER.sub(lambda m: m.group() + _OPEN + _compact(m.group()) + _CLOSE
                               if any(c.isdigit() for c in m.group()) else m.group(), _cleaned(text)))


def body(text: str) -> str:
    """A body as indexed: each Chinese, Japanese or Korean character a word."""
    return _spaced(_cleaned(text))


def as_written(indexed: str) -> str:
    """The text a row of any schema was indexed from (schema 13's step reads each row): a
    form between `_OPEN` and `_CLOSE` only where it is the number just before it without
    dashes. Text indexed before schema 13 is as written and may hold those marks itself:
    Arabic pasted from a PDF comes between U+206C and U+206D, and is kept."""
    def drop(m: re.Match[str]) -> str:
        number = _ENDS_IN_NUMBER.search(m.string, 0, m.start())
        return "" if number and _compact(number.group()) == m.group(1) else m.group()

    return _GAP_OR_FORM.sub(lambda m: drop(m) if m.group(1) is not None else "", indexed)


def terms(query: str) -> list[str]:
    """The query's words, quoted for FTS5, the last one a prefix. NFC first, as the stored
    text is: a name typed or pasted decomposed (macOS gives "i" + a combining accent) was
    split at the accent and found nothing. Words joined by dashes, or digits by spaces, one
    of them with a digit, are a number: its words in a row, or its form without dashes."""
    text = unicodedata.normalize("NFC", query)
    groups: list[list[str]] = []
    end = 0
    for m in _WORD.finditer(text):
        gap = text[end:m.start()]
        if groups and (gap.strip(" ") in tuple(_DASHES) or
                       (gap.isspace() and groups[-1][-1].isdigit() and m.group().isdigit())):
            groups[-1].append(m.group())
        else:
            groups.append([m.group()])
        end = m.end()
    quoted: list[list[str]] = []
    for words in groups:
        if len(words) > 1 and any(c.isdigit() for w in words for c in w):
            quoted.append(_unique(_quoted(join(form)) for form in _forms(words) for join in (" ".join, "".join)))
        else:
            quoted += [_unique(_quoted(form[0]) for form in _forms([w])) for w in words]
    if quoted:
        quoted[-1] = [q + "*" for q in quoted[-1]]
    return [q[0] if len(q) == 1 else "(" + " OR ".join(q) + ")" for q in quoted]


def _forms(words: list[str]) -> list[list[str]]:
    """The words as typed and, when it differs, as NFKC makes them: an input method's
    full-width digits and letters (`１２３４－５６７８`, `ＴＢ５`) are stored as ASCII in a
    file number (domain.identifiers), and as typed in text."""
    folded = [unicodedata.normalize("NFKC", w) for w in words]
    return [words, folded] if folded != words and all(_WORD.search(w) for w in folded) else [words]


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _quoted(words: str) -> str:
    return '"' + _spaced(words).replace('"', '""') + '"'


def shown(snippet: str) -> str:
    """A snippet of indexed text as written: no marks of ours, and a match on a number's form
    without dashes marked on the number."""
    if _OPEN not in snippet and _CLOSE not in snippet:
        return snippet.replace(_GAP, "")
    start = 1 if snippet.startswith("…") else 0
    close, open_ = snippet.find(_CLOSE), snippet.find(_OPEN)
    if start and close >= 0 and (open_ < 0 or close < open_):  # begins inside a form: its number is cut off
        cut = snippet[start:close]
        still_open = cut.rfind(MATCH_START) > cut.rfind(MATCH_END)
        snippet = snippet[:start] + (MATCH_START if still_open else "") + snippet[close + 1:]

    def number(m: re.Match[str]) -> str:
        written, form = m.group(1), m.group(2)
        if MATCH_START in form or MATCH_END in form:
            plain = written.replace(MATCH_START, "").replace(MATCH_END, "")
            return MATCH_START + plain + MATCH_END if plain else ""
        return written

    return _balanced(_FORM.sub(number, snippet).replace(_GAP, ""))


def _balanced(snippet: str) -> str:
    """Every match mark closed once, wherever a cut-off form left one alone."""
    out, inside = [], False
    for part in re.split(f"([{MATCH_START}{MATCH_END}])", snippet):
        if part == MATCH_START:
            if inside:
                continue
            inside = True
        elif part == MATCH_END:
            if not inside:
                continue
            inside = False
        out.append(part)
    return "".join(out) + (MATCH_END if inside else "")
