"""A matter's correspondence log: what was sent to or received from an authority, and when.

A mandamus application lives or dies on the delay it shows: the application, the
acknowledgements, every follow-up and the answers (or silence) in between. The log is
that chronology, one entry per letter, email or web form, each optionally linked to the
document that proves it; the applicant's affidavit lists the linked documents as its
exhibits, in date order. Pure.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from clinic_app.domain.common import MAX_NAME, clean_line, parse_enum, set_attr, validate_ref
from clinic_app.errors import ValidationError
from clinic_app.i18n import N_, _, translate_for

MAX_SUBJECT = 500
MAX_NOTE = 2000
ENTRY_LENGTH = 16


class Direction(StrEnum):
    SENT = "sent"
    RECEIVED = "received"

    @property
    def label(self) -> str:
        return _(DIRECTION_LABELS[self])

    def label_in(self, lang: str) -> str:
        """In a document's language (documents follow the matter, not the user)."""
        return translate_for(lang, DIRECTION_LABELS[self])


DIRECTION_LABELS = {Direction.SENT: N_("Sent"), Direction.RECEIVED: N_("Received")}


@dataclass(frozen=True)
class CorrespondenceEntry:
    """One letter, email or web form. `entry` names it within its matter on every laptop."""

    entry: str
    day: date
    direction: Direction
    party: str  # who it was sent to or received from ("IRCC Case Processing Centre")
    subject: str
    document_ref: str | None = None  # the document that proves it, if any
    note: str = ""

    def __post_init__(self) -> None:
        set_attr(self, "entry", validate_ref(self.entry, "entry"))
        if type(self.day) is not date:
            raise ValidationError(_("must be a date"), field="date")
        set_attr(self, "direction", parse_enum(Direction, self.direction, "direction"))
        set_attr(self, "party", clean_line(self.party, "party", required=True, max_len=MAX_NAME))
        set_attr(self, "subject", clean_line(self.subject, "subject", required=True, max_len=MAX_SUBJECT))
        set_attr(self, "note", clean_line(self.note, "note", max_len=MAX_NOTE))
        if self.document_ref is not None:
            set_attr(self, "document_ref", validate_ref(self.document_ref, "document") if self.document_ref else None)


def new_entry_key() -> str:
    """A fresh key for an entry typed in by a person."""
    return "c" + secrets.token_hex(7)


def entry_key(day: date, direction: str, party: str, subject: str) -> str:
    """A key derived from what the entry says, so a manifest imported twice updates its entries
    instead of adding them again."""
    text = "\x1f".join((day.isoformat(), str(direction), party.strip().casefold(), subject.strip().casefold()))
    return "c" + hashlib.sha256(text.encode()).hexdigest()[:ENTRY_LENGTH - 1]


def chronology(entries: Iterable[CorrespondenceEntry]) -> list[CorrespondenceEntry]:
    """The log in date order (sent before received on the same day: a request, then its answer)."""
    return sorted(entries, key=lambda e: (e.day, e.direction is Direction.RECEIVED, e.subject, e.entry))


def waiting_days(entries: Iterable[CorrespondenceEntry], today: date) -> int | None:
    """Days from the first letter sent (the application) to `today`; None with nothing sent."""
    sent = [e.day for e in entries if e.direction is Direction.SENT]
    return (today - min(sent)).days if sent else None
