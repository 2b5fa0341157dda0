"""Export deadlines as an iCalendar (RFC 5545) file, written by hand.

All-day VEVENTs with stable UIDs (the same matter and rule give the same UID, so
re-importing updates an event instead of duplicating it), text escaping (RFC 5545
3.3.11), CRLF line ends and folding at 75 octets without splitting a UTF-8 character.

Calendars leave the vault (phones, shared office calendars), so nothing here puts
client data in an event by itself: the caller passes each event's SUMMARY, and the
default summary and description carry only the rule's title, date and citation.
The UID is a hash, so even a file number used as `matter_ref` does not show.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from clinic_app.domain.citations import cite
from clinic_app.domain.deadlines import Deadline
from clinic_app.domain.deadlines.agenda import assumed_cases
from clinic_app.i18n import N_, translate_for
from clinic_app.output_files import output_writer

PRODID = "-//Haven//Clinic deadlines 1.0//EN"
UID_DOMAIN = "deadlines.haven.invalid"
_KIND_PREFIX = {"due": N_("Due"), "not_before": N_("Not before"), "watch": N_("To watch")}
_UNCONFIRMED = N_("UNCONFIRMED rule: check it against its source.")
_MOVED = N_("Moved from {date} ({reason}).")
_ESTIMATE = N_("Estimate: the date this counts from has not been entered yet.")


@dataclass(frozen=True)
class IcsEntry:
    """One event: a deadline and the summary the caller chose (None = the rule's title only)."""

    deadline: Deadline
    summary: str | None = None
    description: str | None = None


# Line breaks other than CR/LF (Word pastes a manual break as a vertical tab) become an
# escaped newline; other control characters, which RFC 5545 TEXT does not allow, go.
_BREAKS = str.maketrans({c: "\n" for c in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"})
_CONTROLS = dict.fromkeys([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F])


def escape_text(value: str) -> str:
    """RFC 5545 TEXT escaping: backslash, semicolon, comma and newlines (any line break)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n").translate(_BREAKS).translate(_CONTROLS)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold_line(line: str, limit: int = 75) -> str:
    """Fold one content line to at most `limit` octets per physical line (CRLF + space)."""
    data = line.encode("utf-8")
    if len(data) <= limit:
        return line
    parts: list[bytes] = []
    start, width = 0, limit
    while start < len(data):
        end = min(start + width, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # never cut inside a character
            end -= 1
        parts.append(data[start:end])
        start, width = end, limit - 1  # continuation lines begin with one space
    return "\r\n ".join(p.decode("utf-8") for p in parts)


def uid_for(deadline: Deadline) -> str:
    """Stable across exports: depends on the matter and rule only, never on the date."""
    key = f"{deadline.matter_ref!r}|{deadline.rule_id}"
    if deadline.matter_ref is None and deadline.trigger_date is not None:
        key += f"|{deadline.trigger_date.isoformat()}"
    return f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}@{UID_DOMAIN}"


def _default_description(d: Deadline, lang: str) -> str:
    lines = [f"{translate_for(lang, _KIND_PREFIX.get(d.kind, d.kind))}: {d.title.get(lang)}", cite(d.citation, lang)]
    if d.variant_label is not None:
        lines.append(d.variant_label.get(lang))
    lines += [translate_for(lang, text).format(option=label.get(lang), rule=rule) for text, rule, label in
              assumed_cases(d)]
    if d.moved_reason is not None:
        lines.append(translate_for(lang, _MOVED).format(date=d.unadjusted.isoformat(),
                                                       reason=d.moved_reason.get(lang)))
    if d.may_extend is not None:
        lines.append(d.may_extend.get(lang))
    if d.estimated:
        lines.append(translate_for(lang, _ESTIMATE))
    if d.unconfirmed:
        lines.append(translate_for(lang, _UNCONFIRMED))
    return "\n".join(lines)


def _fmt_date(day: date) -> str:
    return day.strftime("%Y%m%d")


def _event(entry: IcsEntry, stamp: str, lang: str, alarm_days: int | None) -> list[str]:
    d = entry.deadline
    summary = entry.summary if entry.summary is not None else d.title.get(lang)
    description = entry.description if entry.description is not None else _default_description(d, lang)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid_for(d)}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{_fmt_date(d.due)}",
        f"DTEND;VALUE=DATE:{_fmt_date(d.due + timedelta(days=1))}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"CATEGORIES:{escape_text(d.forum or 'Haven')}",
        "TRANSP:TRANSPARENT",
    ]
    if alarm_days is not None and d.kind == "due":
        lines += ["BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{escape_text(summary)}",
                  f"TRIGGER;VALUE=DURATION:-P{alarm_days}D", "END:VALARM"]
    lines.append("END:VEVENT")
    return lines


def deadlines_to_ics(entries: Iterable[IcsEntry], *, lang: str = "en", calendar_name: str | None = None,
                     now: datetime | None = None, alarm_days: int | None = None) -> str:
    """The whole VCALENDAR as text with CRLF line ends, ready to encode as UTF-8."""
    stamp = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if calendar_name:
        lines.append(f"X-WR-CALNAME:{escape_text(calendar_name)}")
    seen: set[str] = set()
    for entry in entries:
        uid = uid_for(entry.deadline)
        if uid in seen:
            raise ValueError(f"two events would share UID {uid} (same matter and rule twice)")
        seen.add(uid)
        lines.extend(_event(entry, stamp, lang, alarm_days))
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + "\r\n" for line in lines)


def write_ics(target: Path, entries: Iterable[IcsEntry], *, lang: str = "en", calendar_name: str | None = None,
              now: datetime | None = None, alarm_days: int | None = None) -> None:
    """Write the calendar atomically (temp file, fsync, rename) via `output_files.output_writer`."""
    text = deadlines_to_ics(entries, lang=lang, calendar_name=calendar_name, now=now, alarm_days=alarm_days)
    with output_writer(Path(target)) as fh:
        fh.write(text.encode("utf-8"))
