"""iCalendar export, checked with a small independent parser written here."""

from __future__ import annotations

import os
from datetime import date, datetime, timezone

import pytest

from clinic_app.domain.deadlines import Bilingual, Deadline
from clinic_app.services.ics import IcsEntry, deadlines_to_ics, escape_text, fold_line, uid_for, write_ics

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
CLIENT = "Ximena Gutiérrez-Ñúñez"


def dl(rule_id: str = "rad.notice", due: date = date(2027, 7, 2), matter: object = CLIENT, **kw: object) -> Deadline:
    return Deadline(rule_id=rule_id, title=Bilingual("Notice of appeal to the RAD", "Avis d'appel à la SAR"),
                    kind="due", due=due, unadjusted=kw.pop("unadjusted", due), moved_reason=kw.pop("moved", None),
                    citation="IRPR s. 159.91(1)(a)", unconfirmed=bool(kw.pop("unconfirmed", False)), forum="RAD",
                    matter_ref=matter, **kw)  # type: ignore[arg-type]


def unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            out.append({"n": "\n", "N": "\n"}.get(value[i + 1], value[i + 1]))
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def parse(raw: bytes) -> list[dict[str, str]]:
    """Components as dicts of property name -> (unescaped) value; checks the framing on the way."""
    assert raw.endswith(b"\r\n")
    physical = raw[:-2].split(b"\r\n")
    for line in physical:
        assert b"\n" not in line and b"\r" not in line, line
        assert len(line) <= 75, (len(line), line)
    logical: list[str] = []
    for line in physical:
        text = line.decode("utf-8")  # each physical line is valid UTF-8 on its own
        if text.startswith(" "):
            logical[-1] += text[1:]
        else:
            logical.append(text)
    stack: list[dict[str, str]] = []
    done: list[dict[str, str]] = []
    for line in logical:
        name, _sep, value = line.partition(":")
        if name == "BEGIN":
            stack.append({"_type": value})
        elif name == "END":
            comp = stack.pop()
            assert comp["_type"] == value
            done.append(comp)
        else:
            stack[-1][name] = unescape(value)
    assert not stack
    return done


def events(raw: bytes) -> list[dict[str, str]]:
    return [c for c in parse(raw) if c["_type"] == "VEVENT"]


def test_escape_and_fold_exactly() -> None:
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"
    folded = fold_line("A" * 80)
    assert folded == "A" * 75 + "\r\n " + "A" * 5
    assert fold_line("B" * 75) == "B" * 75


def test_pasted_line_breaks_and_control_characters_cannot_break_the_calendar() -> None:
    """A title pasted from Word carries its line breaks as vertical tabs, which RFC 5545 does not
    allow in text; a reader that splits lines on U+2028 or NEL would have read a second event."""
    summary = "Hearing\x0bRoom 3\u2028BEGIN:VEVENT\x85END\x00\x07\x1b[31m\x7f\tdone"
    raw = deadlines_to_ics([IcsEntry(dl(), summary=summary)], now=NOW).encode("utf-8")
    text = raw.decode("utf-8")
    assert not any(ord(c) < 0x20 and c not in "\r\n " or c in "\x7f\x85\u2028\u2029" for c in text if c != "\t")
    assert text.splitlines() == text.split("\r\n")[:-1]  # no line break but CRLF, for any reader
    (ev,) = events(raw)
    assert ev["SUMMARY"] == "Hearing\nRoom 3\nBEGIN:VEVENT\nEND[31m\tdone"
    assert text.count("BEGIN:VEVENT") == 1 + text.count("\\nBEGIN:VEVENT")


def test_fold_never_splits_a_multibyte_character() -> None:
    line = "SUMMARY:" + "é" * 100  # 2 bytes each
    for part in fold_line(line).split("\r\n"):
        assert len(part.encode("utf-8")) <= 75
        part.encode("utf-8").decode("utf-8")
    assert fold_line(line).replace("\r\n ", "") == line


def test_calendar_structure_all_day_events_and_crlf() -> None:
    raw = deadlines_to_ics([IcsEntry(dl())], now=NOW, calendar_name="Clinic, Toronto; RPD").encode("utf-8")
    comps = parse(raw)
    cal = comps[-1]
    assert cal["X-WR-CALNAME"] == "Clinic, Toronto; RPD" and b"Clinic\\, Toronto\\; RPD" in raw
    assert (cal["_type"], cal["VERSION"], cal["PRODID"].startswith("-//Haven//")) == ("VCALENDAR", "2.0", True)
    (ev,) = events(raw)
    assert ev["DTSTART;VALUE=DATE"] == "20270702"
    assert ev["DTEND;VALUE=DATE"] == "20270703"
    assert ev["DTSTAMP"] == "20261123T120000Z"
    assert raw.count(b"\r\n") == raw.count(b"\n")  # no bare LF anywhere


def test_summary_round_trips_commas_semicolons_newlines_and_long_text() -> None:
    summary = "Dossier; partie 2, « révision »\nligne deux \\ fin " + "très long " * 12 + "🙂"
    raw = deadlines_to_ics([IcsEntry(dl(), summary=summary, description="a,b;c")], now=NOW).encode("utf-8")
    (ev,) = events(raw)
    assert ev["SUMMARY"] == summary
    assert ev["DESCRIPTION"] == "a,b;c"
    assert b"\\;" in raw and b"\\," in raw and b"\\n" in raw


def test_no_client_name_unless_the_caller_passes_it() -> None:
    d = dl(unconfirmed=True, moved=Bilingual("Canada Day", "Fête du Canada"), unadjusted=date(2027, 7, 1))
    raw = deadlines_to_ics([IcsEntry(d)], now=NOW, alarm_days=2)
    assert CLIENT not in raw and "Ximena" not in raw
    (ev,) = events(raw.encode("utf-8"))
    assert ev["SUMMARY"] == "Notice of appeal to the RAD"
    assert "IRPR s. 159.91(1)(a)" in ev["DESCRIPTION"] and "UNCONFIRMED" in ev["DESCRIPTION"]
    assert "Canada Day" in ev["DESCRIPTION"]
    alarm = [c for c in parse(raw.encode("utf-8")) if c["_type"] == "VALARM"]
    assert alarm[0]["TRIGGER;VALUE=DURATION"] == "-P2D"
    named = deadlines_to_ics([IcsEntry(d, summary=f"RAD notice – {CLIENT}")], now=NOW)
    assert events(named.encode("utf-8"))[0]["SUMMARY"] == f"RAD notice – {CLIENT}"


def test_french_titles_follow_the_requested_language() -> None:
    (ev,) = events(deadlines_to_ics([IcsEntry(dl())], now=NOW, lang="fr").encode("utf-8"))
    assert ev["SUMMARY"] == "Avis d'appel à la SAR"


def test_uids_are_stable_across_exports_and_date_changes_and_distinct_per_matter() -> None:
    first = events(deadlines_to_ics([IcsEntry(dl())], now=NOW).encode("utf-8"))[0]["UID"]
    moved = events(deadlines_to_ics([IcsEntry(dl(due=date(2027, 8, 3)))],
                                    now=datetime(2027, 1, 1, tzinfo=timezone.utc)).encode("utf-8"))[0]["UID"]
    assert first == moved == uid_for(dl())
    assert uid_for(dl(matter="other")) != first
    assert uid_for(dl(rule_id="rad.record")) != first
    with pytest.raises(ValueError):
        deadlines_to_ics([IcsEntry(dl()), IcsEntry(dl(due=date(2027, 9, 1)))], now=NOW)


def test_write_ics_is_atomic_and_private(tmp_path) -> None:
    target = tmp_path / "deadlines.ics"
    write_ics(target, [IcsEntry(dl())], now=NOW)
    assert target.read_bytes() == deadlines_to_ics([IcsEntry(dl())], now=NOW).encode("utf-8")
    if os.name == "posix":
        assert target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["deadlines.ics"]  # no temp file left behind
