"""Showing a name Haven did not choose (a file's name) without letting it steer the display.

A file name may hold a line break, a carriage return, a terminal escape (ESC), a
Unicode line separator or a bidirectional override: printed as is, it could forge
a line of `import-files` output, recolour a terminal or reverse "fdp.exe". Every
place that shows such a name passes it through `display_name` first; ordinary
names (accents, Arabic, Persian joiners, emoji) come out unchanged.
"""

from __future__ import annotations

import re

# C0 and C1 controls and DEL, the line and paragraph separators, the bidirectional
# marks, embeddings, overrides and isolates, and lone surrogates (bytes of a name
# that were not valid UTF-8, as Python decodes them on Linux and macOS).
# JSON escapes the C0 controls itself; the others it writes as they are.
_BEYOND_C0 = "\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE = re.compile(f"[\x00-\x1f{_BEYOND_C0}]")
_UNSAFE_IN_JSON = re.compile(f"[{_BEYOND_C0}]")
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _SHORT:
        return _SHORT[char]
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def display_name(name: str) -> str:
    """`name` with every control, separator and direction character written as an escape
    (a newline as \\n, ESC as \\x1b, U+202E as \\u202e): always one line, shown in order."""
    return _UNSAFE.sub(_escape, name)


def json_display(serialized: str) -> str:
    """JSON text with the characters JSON leaves raw (C1 controls, separators, direction
    marks, lone surrogates) written as \\uXXXX escapes: the same data once parsed, but
    safe to print on a terminal. Those characters only ever occur inside JSON strings."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", serialized)


_FSI, _PDI = "\u2068", "\u2069"
_DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def isolate(text: str) -> str:
    """`text` (a name, a title someone typed) as one unit inside a sentence: between
    FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE (Unicode bidi, UAX #9), so that an
    Arabic or Hebrew name keeps its own direction and cannot reorder the words and
    brackets around it ("Client: سمير الحداد (public initials: س.ا.)"). Its own embeddings,
    overrides and isolates are dropped: one of them could close the isolate early."""
    return _FSI + _DIRECTION_CONTROLS.sub("", text) + _PDI
