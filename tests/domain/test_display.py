"""Showing names Haven did not choose: one line, nothing a terminal obeys, ordinary names unchanged."""

from __future__ import annotations

import json

import pytest

from clinic_app.domain.display import display_name, json_display


@pytest.mark.parametrize("name", ["rapport médical.pdf", "تقرير الشرطة.pdf", "نامه\u200cها.pdf", "👩\u200d⚖️.png",
                                  "scan (2) – copie.jpg", "back\\slash.txt"])
def test_ordinary_names_are_shown_as_they_are(name: str) -> None:
    assert display_name(name) == name


@pytest.mark.parametrize(("name", "shown"), [
    ("a\nb.txt", "a\\nb.txt"), ("a\rb", "a\\rb"), ("tab\there", "tab\\there"),
    ("\x1b[2Jwiped", "\\x1b[2Jwiped"), ("del\x7f", "del\\x7f"), ("csi\x9b1m", "csi\\x9b1m"),
    ("invoice\u202efdp.exe", "invoice\\u202efdp.exe"), ("iso\u2066late\u2069", "iso\\u2066late\\u2069"),
    ("line\u2028para\u2029", "line\\u2028para\\u2029"), ("mark\u200f", "mark\\u200f"),
    ("bytes\udcff\udc80", "bytes\\xff\\x80"), ("nul\x00", "nul\\x00"),
])
def test_controls_separators_and_direction_marks_are_escaped(name: str, shown: str) -> None:
    assert display_name(name) == shown
    assert len(display_name(name).splitlines()) == 1


def test_json_keeps_the_exact_name_but_prints_nothing_a_terminal_obeys() -> None:
    names = ["a\nb", "\x1b[31m", "x\u202ey", "l\u2028s", "c1\x85\x9b", "bytes\udcff"]
    text = json_display(json.dumps(names, ensure_ascii=False, indent=2))
    assert json.loads(text) == names
    assert all(ch not in text for ch in "\x1b\u202e\u2028\x85\x9b\udcff")
    assert text.encode("utf-8")  # lone surrogates are escapes now: printable as UTF-8
