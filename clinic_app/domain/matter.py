"""A matter: one proceeding for one client (a claim, an appeal, an application).

Adverse parties (agents of persecution, an abusive ex-spouse, a sponsor) live on
the matter, not the client: they are recorded per proceeding, as the forms and the
manifest do, and one client's several matters may name different people. The
conflict check gathers them from every matter (`conflicts.people_from_records`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum
from typing import ClassVar

from clinic_app.domain.common import MAX_NAME, SafeRepr, clean_line, parse_enum, set_attr, validate_ref
from clinic_app.domain.identifiers import FileNumbers
from clinic_app.domain.ids import MatterId
from clinic_app.errors import ValidationError
from clinic_app.i18n import N_, _, translate_for

MAX_ADVERSE_PARTIES = 100


class MatterType(StrEnum):
    RPD_CLAIM = "rpd_claim"
    RAD_APPEAL = "rad_appeal"
    PRRA = "prra"
    HC = "hc"
    DEFERRAL = "deferral"
    FC_JR = "fc_jr"
    STAY_MOTION = "stay_motion"
    SPONSORSHIP = "sponsorship"
    MINISTERIAL_RELIEF = "ministerial_relief"
    STCA = "stca"
    MANDAMUS = "mandamus"

    @property
    def label(self) -> str:
        """The display name in the UI language."""
        return _(MATTER_TYPE_LABELS[self])

    def label_in(self, lang: str) -> str:
        """The display name in `lang` ("en"/"fr"): documents follow the matter's language."""
        return translate_for(lang, MATTER_TYPE_LABELS[self])


MATTER_TYPE_LABELS: dict[MatterType, str] = {
    MatterType.RPD_CLAIM: N_("Refugee claim (RPD)"),
    MatterType.RAD_APPEAL: N_("Refugee appeal (RAD)"),
    MatterType.PRRA: N_("Pre-removal risk assessment (PRRA)"),
    MatterType.HC: N_("Humanitarian and compassionate application (H&C)"),
    MatterType.DEFERRAL: N_("Request to defer removal"),
    MatterType.FC_JR: N_("Judicial review (Federal Court)"),
    MatterType.STAY_MOTION: N_("Motion to stay removal (Federal Court)"),
    MatterType.SPONSORSHIP: N_("Family sponsorship"),
    MatterType.MINISTERIAL_RELIEF: N_("Ministerial relief (IRPA 42.1)"),
    MatterType.STCA: N_("Safe Third Country Agreement exception"),
    MatterType.MANDAMUS: N_("Mandamus for a delayed application (Federal Court)"),
}

# Which file number identifies the matter at its forum (printed on filings).
_PRIMARY_NUMBER: dict[MatterType, tuple[str, ...]] = {
    MatterType.RPD_CLAIM: ("irb", "uci"),
    MatterType.RAD_APPEAL: ("irb", "uci"),
    MatterType.FC_JR: ("fc",),
    MatterType.STAY_MOTION: ("fc",),
    MatterType.PRRA: ("uci", "ircc"),
    MatterType.HC: ("ircc", "uci"),
    MatterType.SPONSORSHIP: ("ircc", "uci"),
    MatterType.DEFERRAL: ("uci",),
    MatterType.MINISTERIAL_RELIEF: ("uci", "ircc"),
    MatterType.STCA: ("uci",),
    MatterType.MANDAMUS: ("fc",),
}


class DecisionMaker(StrEnum):
    """Who made (or failed to make) the decision a matter is about: it decides, among other
    things, which Minister is the respondent in the Federal Court (IMM Rules r. 5(2))."""

    RPD = "rpd"
    RAD = "rad"
    ID = "id"
    IAD = "iad"
    IRCC = "ircc"
    CBSA = "cbsa"

    @property
    def label(self) -> str:
        return _(DECISION_MAKER_LABELS[self])


DECISION_MAKER_LABELS: dict[DecisionMaker, str] = {
    DecisionMaker.RPD: N_("Refugee Protection Division (IRB)"),
    DecisionMaker.RAD: N_("Refugee Appeal Division (IRB)"),
    DecisionMaker.ID: N_("Immigration Division (IRB)"),
    DecisionMaker.IAD: N_("Immigration Appeal Division (IRB)"),
    DecisionMaker.IRCC: N_("IRCC officer"),
    DecisionMaker.CBSA: N_("CBSA officer or the Minister of Public Safety"),
}


class ProceedingLanguage(StrEnum):
    EN = "en"
    FR = "fr"


class MatterStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class KeyDate(StrEnum):
    REFERRAL = "referral"
    HEARING = "hearing"
    DECISION = "decision"
    REASONS_RECEIVED = "reasons_received"
    NOTIFICATION = "notification"
    REMOVAL = "removal"

    @property
    def label(self) -> str:
        return _(KEY_DATE_LABELS[self])


KEY_DATE_LABELS: dict[KeyDate, str] = {
    KeyDate.REFERRAL: N_("Referral"),
    KeyDate.HEARING: N_("Hearing"),
    KeyDate.DECISION: N_("Decision"),
    KeyDate.REASONS_RECEIVED: N_("Reasons received"),
    KeyDate.NOTIFICATION: N_("Notification"),
    KeyDate.REMOVAL: N_("Removal"),
}

# (earlier, later): pairs that cannot be out of order when both are known.
_ORDER = (
    (KeyDate.REFERRAL, KeyDate.HEARING),
    (KeyDate.REFERRAL, KeyDate.DECISION),
    (KeyDate.DECISION, KeyDate.REASONS_RECEIVED),
)


@dataclass(frozen=True)
class KeyDates:
    """The dates deadlines are computed from; None = not known yet."""

    referral: date | None = None
    hearing: date | None = None
    decision: date | None = None
    reasons_received: date | None = None
    notification: date | None = None
    removal: date | None = None

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None and type(value) is not date:
                raise ValidationError(_("must be a date"), field=f.name)
        for earlier, later in _ORDER:
            a, b = self.get(earlier), self.get(later)
            if a and b and b < a:
                raise ValidationError(
                    _("{later} ({later_date}) cannot be before {earlier} ({earlier_date})").format(
                        later=later.label, later_date=b.isoformat(), earlier=earlier.label, earlier_date=a.isoformat()
                    ),
                    field=later.value,
                )

    def get(self, key: KeyDate) -> date | None:
        return getattr(self, key.value)  # type: ignore[no-any-return]

    def known(self) -> dict[KeyDate, date]:
        return {k: d for k in KeyDate if (d := self.get(k)) is not None}


@dataclass(frozen=True, repr=False)
class AdverseParty(SafeRepr):
    """A person or group adverse to the client (agent of persecution, etc.)."""

    _repr_fields: ClassVar[tuple[str, ...]] = ()

    name: str
    description: str = ""  # e.g. "MS-13 member", "police officer in San Pedro Sula"

    def __post_init__(self) -> None:
        set_attr(self, "name", clean_line(self.name, "name", required=True, max_len=MAX_NAME))
        set_attr(self, "description", clean_line(self.description, "description"))


@dataclass(frozen=True, repr=False)
class Matter(SafeRepr):
    """One proceeding. References its client by ref (see `common.REF_RE`)."""

    _repr_fields = ("ref", "type", "id")

    ref: str
    client_ref: str
    type: MatterType
    title: str
    file_numbers: FileNumbers = field(default_factory=FileNumbers)
    language: ProceedingLanguage = ProceedingLanguage.EN
    dates: KeyDates = field(default_factory=KeyDates)
    status: MatterStatus = MatterStatus.OPEN
    counsel: str = ""
    adverse_parties: tuple[AdverseParty, ...] = ()
    decision_maker: DecisionMaker | None = None
    id: MatterId | None = None

    def __post_init__(self) -> None:
        set_attr(self, "ref", validate_ref(self.ref))
        set_attr(self, "client_ref", validate_ref(self.client_ref, "client"))
        set_attr(self, "type", parse_enum(MatterType, self.type, "type"))
        set_attr(self, "language", parse_enum(ProceedingLanguage, self.language, "language"))
        set_attr(self, "status", parse_enum(MatterStatus, self.status, "status"))
        set_attr(self, "title", clean_line(self.title, "title", required=True, max_len=500))
        set_attr(self, "counsel", clean_line(self.counsel, "counsel", max_len=MAX_NAME))
        set_attr(self, "adverse_parties", tuple(self.adverse_parties))
        if self.decision_maker is not None:
            set_attr(self, "decision_maker", parse_enum(DecisionMaker, self.decision_maker, "decision_maker"))
        if len(self.adverse_parties) > MAX_ADVERSE_PARTIES:
            raise ValidationError(
                _("has too many entries ({count}; at most {limit})").format(
                    count=len(self.adverse_parties), limit=MAX_ADVERSE_PARTIES
                ),
                field="adverse_parties",
            )

    @property
    def forum_file_number(self) -> str | None:
        """The number that identifies this matter at its forum, for filings and file names."""
        for name in _PRIMARY_NUMBER[self.type]:
            value = getattr(self.file_numbers, name)
            if value and value != "N/A":
                return value  # type: ignore[no-any-return]
        return None
