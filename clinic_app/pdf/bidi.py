"""Right-to-left text for reportlab, which draws every string left to right.

A Hebrew or Arabic name typed in logical order would appear mirrored on the page and be
extracted backwards by PDF readers (they assume page text is in visual order). So each
line is put into visual order before drawing: a simplified Unicode bidi algorithm
(strong-direction runs, neutrals between equal runs, digits kept left to right,
mirrored brackets), enough for names, titles and citations. Arabic letters are not
shaped into joined forms (that needs HarfBuzz); they stay legible and extract correctly.
"""

from __future__ import annotations

import unicodedata

_RTL = frozenset(("R", "AL"))
_LTR = frozenset(("L",))
_NUMBER = frozenset(("EN", "AN"))
_MIRROR = str.maketrans("()[]{}<>\u00ab\u00bb", ")(][}{><\u00bb\u00ab")


def _strong(char: str) -> str | None:
    kind = unicodedata.bidirectional(char)
    if kind in _RTL:
        return "R"
    if kind in _LTR:
        return "L"
    return None


def has_rtl(text: str) -> bool:
    if text.isascii():
        return False
    return any(unicodedata.bidirectional(c) in _RTL for c in text)


def visual(line: str) -> str:
    """One line in visual (left-to-right drawing) order; unchanged when it has no RTL text."""
    if not has_rtl(line):
        return line
    base = next((d for d in map(_strong, line) if d), "L")
    levels = _levels(line, base)
    chars = list(line)
    for i, level in enumerate(levels):
        if level % 2:
            chars[i] = chars[i].translate(_MIRROR)
    # Reverse every maximal run at or above each odd level, highest level first (rule L2).
    order = list(range(len(chars)))
    for level in range(max(levels), 0, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return "".join(chars[k] for k in order)


def _levels(line: str, base: str) -> list[int]:
    """Embedding level per character: base 0 (LTR) or 1 (RTL); RTL runs odd, LTR even;
    numbers inside RTL text one level up so they still read left to right."""
    base_level = 1 if base == "R" else 0
    dirs = [_strong(c) for c in line]
    resolved: list[str | None] = list(dirs)
    # Neutrals take the direction of their neighbours when both sides agree, else the base.
    # Numbers take the direction of the text before them (UAX #9 W2/W7), so "12" after a
    # Hebrew word belongs to that word's run; they then count as strong for neutrals (N1).
    for i, d in enumerate(dirs):
        if d is None and unicodedata.bidirectional(line[i]) in _NUMBER:
            resolved[i] = next((dirs[k] for k in range(i - 1, -1, -1) if dirs[k]), base)
    anchors = list(resolved)
    for i, d in enumerate(anchors):
        if d is None:
            before = next((anchors[k] for k in range(i - 1, -1, -1) if anchors[k]), base)
            after = next((anchors[k] for k in range(i + 1, len(anchors)) if anchors[k]), base)
            resolved[i] = before if before == after else base
    levels = []
    for char, d in zip(line, resolved):
        if unicodedata.bidirectional(char) in _NUMBER:
            levels.append(2 if d == "R" else base_level + (base_level % 2))
        elif d == "R":
            levels.append(1 if base_level == 0 else base_level)
        else:
            levels.append(0 if base_level == 0 else 2)
    return levels
