"""The client record: identity, safe contact points, relatives and the story.

Safety rules live here so no output path can forget them: relatives stay out of
generated documents unless someone chose to include them, an address or phone is
only used when it is marked safe, and public outputs use initials, never the
legal name, when the clinic withholds it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from clinic_app.domain.common import (
    MAX_NAME,
    SafeRepr,
    clean_line,
    clean_names,
    clean_text,
    parse_enum,
    set_attr,
    validate_ref,
)
from clinic_app.domain.identifiers import normalise_uci
from clinic_app.domain.ids import ClientId, RelativeId
from clinic_app.errors import ValidationError
from clinic_app.i18n import N_, _

MAX_NARRATIVE = 200_000
MAX_NOTES = 50_000
MAX_CONTACTS = 50
MAX_RELATIVES = 100
EARLIEST_BIRTH = date(1900, 1, 1)

# Lower-case particles that are not initialled ("María de la Cruz" -> "M.C.").
_PARTICLES = frozenset("de del della der den des di da das do dos du la las le les los van von y e".split())
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ContactKind(StrEnum):
    ADDRESS = "address"
    PHONE = "phone"
    EMAIL = "email"

    @property
    def label(self) -> str:
        return _(CONTACT_KIND_LABELS[self])


CONTACT_KIND_LABELS = {
    ContactKind.ADDRESS: N_("Address"),
    ContactKind.PHONE: N_("Phone"),
    ContactKind.EMAIL: N_("Email"),
}


@dataclass(frozen=True, repr=False)
class ContactPoint(SafeRepr):
    """One way to reach the client. A point may be marked safe (confirmed the client
    alone receives it) or do-not-contact (e.g. a shared phone); never both."""

    _repr_fields = ("kind", "safe_to_contact", "do_not_contact")

    kind: ContactKind
    value: str
    safe_to_contact: bool = False
    do_not_contact: bool = False
    note: str = ""

    def __post_init__(self) -> None:
        set_attr(self, "kind", parse_enum(ContactKind, self.kind, "kind"))
        set_attr(self, "value", clean_line(self.value, "value", required=True, max_len=500))
        set_attr(self, "note", clean_line(self.note, "note"))
        if self.kind is ContactKind.EMAIL and not _EMAIL_RE.match(self.value):
            raise ValidationError(_("not an email address"), field="value")
        if self.kind is ContactKind.PHONE and sum(c.isdigit() for c in self.value) < 3:
            raise ValidationError(_("not a phone number"), field="value")
        if self.safe_to_contact and self.do_not_contact:
            raise ValidationError(
                _('a contact point cannot be both "safe to contact" and "do not contact"'),
                field="do_not_contact",
            )

    @property
    def usable(self) -> bool:
        """True only when confirmed safe: unknown is treated as unsafe."""
        return self.safe_to_contact and not self.do_not_contact


@dataclass(frozen=True, repr=False)
class Relative(SafeRepr):
    """A family member. Relatives never appear in outputs unless someone chose to
    include them (`include_in_outputs`, default False): a name in a filing can reach
    the people the client fled."""

    _repr_fields = ("id", "include_in_outputs")

    name: str
    relationship: str = ""
    location: str = ""
    country: str = ""
    in_country_of_origin: bool = False
    include_in_outputs: bool = False
    status_in_canada: str = ""  # e.g. citizen, PR: the STCA family-member exception needs it
    notes: str = ""
    id: RelativeId | None = None

    def __post_init__(self) -> None:
        set_attr(self, "name", clean_line(self.name, "name", required=True, max_len=MAX_NAME))
        for field in ("relationship", "location", "country", "status_in_canada"):
            set_attr(self, field, clean_line(getattr(self, field), field))
        set_attr(self, "notes", clean_text(self.notes, "notes", max_len=MAX_NOTES))

    @property
    def needs_output_warning(self) -> bool:
        """Included in outputs although still in the country of origin: ask again."""
        return self.include_in_outputs and self.in_country_of_origin


def derive_initials(name: str) -> str:
    """Default public initials from a legal name: "María de la Cruz-Pérez" -> "M.C.-P.".

    "Surname, Given" is read as "Given Surname". Lower-case particles are skipped.
    """
    text = unicodedata.normalize("NFC", name).strip()
    if text.count(",") == 1:
        surname, given = text.split(",")
        text = f"{given} {surname}"
    tokens = [t for t in text.replace(",", " ").split() if any(ch.isalpha() for ch in t)]
    kept = [t for t in tokens if t not in _PARTICLES] or tokens
    parts: list[str] = []
    for token in kept:
        pieces = [p for p in token.split("-") if any(ch.isalpha() for ch in p)]
        letters = [next(ch for ch in piece if ch.isalpha()).upper() + "." for piece in pieces]
        parts.append("-".join(letters))
    return "".join(parts)


@dataclass(frozen=True, repr=False)
class Client(SafeRepr):
    """A person the clinic acts for. `narrative` is the client's story: volunteers
    may not read it, so services must check the role before showing it."""

    ref: str
    legal_name: str
    aliases: tuple[str, ...] = ()
    public_initials: str = ""  # "" = derive from the legal name (see initials_for_outputs)
    birth_date: date | None = None
    country: str = ""
    languages: tuple[str, ...] = ()  # spoken languages with dialect, e.g. "Spanish (Honduras)"
    uci: str | None = None
    contacts: tuple[ContactPoint, ...] = ()
    relatives: tuple[Relative, ...] = ()
    narrative: str = ""
    notes: str = ""
    id: ClientId | None = None

    def __post_init__(self) -> None:
        set_attr(self, "ref", validate_ref(self.ref))
        set_attr(self, "legal_name", clean_line(self.legal_name, "name", required=True, max_len=MAX_NAME))
        aliases = clean_names(tuple(self.aliases), "aliases")
        set_attr(self, "aliases", tuple(a for a in aliases if a.casefold() != self.legal_name.casefold()))
        set_attr(self, "public_initials", clean_line(self.public_initials, "public_initials", max_len=20))
        set_attr(self, "country", clean_line(self.country, "country", max_len=100))
        set_attr(self, "languages", clean_names(tuple(self.languages), "languages"))
        if self.uci is not None:
            set_attr(self, "uci", normalise_uci(self.uci) if self.uci.strip() else None)
        set_attr(self, "narrative", clean_text(self.narrative, "narrative", max_len=MAX_NARRATIVE))
        set_attr(self, "notes", clean_text(self.notes, "notes", max_len=MAX_NOTES))
        set_attr(self, "contacts", tuple(self.contacts))
        set_attr(self, "relatives", tuple(self.relatives))
        if len(self.contacts) > MAX_CONTACTS:
            raise ValidationError(
                _("has too many entries ({count}; at most {limit})").format(
                    count=len(self.contacts), limit=MAX_CONTACTS
                ),
                field="contacts",
            )
        if len(self.relatives) > MAX_RELATIVES:
            raise ValidationError(
                _("has too many entries ({count}; at most {limit})").format(
                    count=len(self.relatives), limit=MAX_RELATIVES
                ),
                field="relatives",
            )
        validate_birth_date(self.birth_date)

    @property
    def initials_for_outputs(self) -> str:
        """What public outputs show instead of the name: the chosen initials, else derived."""
        return self.public_initials or derive_initials(self.legal_name)

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.legal_name, *self.aliases)

    def relatives_for_output(self) -> tuple[Relative, ...]:
        """Only the relatives someone chose to include."""
        return tuple(r for r in self.relatives if r.include_in_outputs)

    def contact_for_output(self, kind: ContactKind) -> ContactPoint | None:
        """The first contact point of `kind` confirmed safe, or None: outputs never
        print an address or phone nobody confirmed."""
        return next((c for c in self.contacts if c.kind is kind and c.usable), None)


def validate_birth_date(value: date | None, *, today: date | None = None) -> None:
    """A birth date is a date (not a date and time), after 1900 and not in the future."""
    if value is None:
        return
    if type(value) is not date:
        raise ValidationError(_("must be a date"), field="birth_date")
    if value < EARLIEST_BIRTH or value > (today or date.today()):
        raise ValidationError(
            _("{value} is not a plausible birth date").format(value=value.isoformat()), field="birth_date"
        )
