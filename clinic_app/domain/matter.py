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

from clinic_app.domain.deadlines.parse import ID_RE, KEY_RE
from clinic_app.domain.common import MAX_NAME, SafeRepr, clean_line, parse_enum, set_attr, validate_ref
from clinic_app.domain.identifiers import FileNumbers
from clinic_app.domain.ids import MatterId
from clinic_app.errors import ValidationError
from clinic_app.i18n import N_, _, translate_for

MAX_ADVERSE_PARTIES = 100
MAX_DEADLINE_OPTIONS = 100
# A matter's dates stay within these years: deadlines count up to months either side of a
# date, and one past year 9999 stopped the agenda of every matter (a typo, or a received row).
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)


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
    """The dates deadlines count from: the six key dates every matter shows, then the dates
    of steps taken, which only the matter types whose rules count from them ask for."""

    REFERRAL = "referral"
    HEARING = "hearing"
    DECISION = "decision"
    REASONS_RECEIVED = "reasons_received"
    NOTIFICATION = "notification"
    REMOVAL = "removal"
    ELIGIBILITY = "eligibility"
    LEAVE_FILED = "leave_filed"
    RECORD_SERVED = "record_served"
    RESPONDENT_MEMO_SERVED = "respondent_memo_served"
    APPEAL_PERFECTED = "appeal_perfected"
    APPEAL_FILED = "appeal_filed"
    CROSS_EXAM_COMPLETED = "cross_exam_completed"
    CROSSING = "crossing"
    REASONS_MAILED = "reasons_mailed"
    CONTACT_CHANGED = "contact_changed"
    PRIOR_PRRA_REJECTED = "prior_prra_rejected"

    @property
    def label(self) -> str:
        return _(KEY_DATE_LABELS[self])

    @property
    def is_step(self) -> bool:
        """A step's date (leave filed, record served...), not one of the six key dates."""
        return self not in _KEY_ONLY


KEY_DATE_LABELS: dict[KeyDate, str] = {
    KeyDate.REFERRAL: N_("Referral"),
    KeyDate.HEARING: N_("Hearing"),
    KeyDate.DECISION: N_("Decision"),
    KeyDate.REASONS_RECEIVED: N_("Reasons received"),
    KeyDate.NOTIFICATION: N_("Notification"),
    KeyDate.REMOVAL: N_("Removal"),
    KeyDate.ELIGIBILITY: N_("Eligibility interview (inland claim)"),
    KeyDate.LEAVE_FILED: N_("Leave application filed (Federal Court)"),
    KeyDate.RECORD_SERVED: N_("Applicant's record served"),
    KeyDate.RESPONDENT_MEMO_SERVED: N_("Respondent's memorandum served"),
    KeyDate.APPEAL_PERFECTED: N_("Appeal perfected (appellant's record filed)"),
    KeyDate.APPEAL_FILED: N_("Notice of appeal filed (IAD)"),
    KeyDate.CROSS_EXAM_COMPLETED: N_("Cross-examinations completed"),
    KeyDate.CROSSING: N_("Crossed from the United States"),
    KeyDate.REASONS_MAILED: N_("Reasons mailed"),
    KeyDate.CONTACT_CHANGED: N_("Contact information changed"),
    KeyDate.PRIOR_PRRA_REJECTED: N_("Earlier PRRA rejected"),
}

_KEY_ONLY = frozenset({KeyDate.REFERRAL, KeyDate.HEARING, KeyDate.DECISION, KeyDate.REASONS_RECEIVED,
                       KeyDate.NOTIFICATION, KeyDate.REMOVAL})

# (earlier, later): pairs that cannot be out of order when both are known.
_ORDER = (
    (KeyDate.REFERRAL, KeyDate.HEARING),
    (KeyDate.REFERRAL, KeyDate.DECISION),
    (KeyDate.DECISION, KeyDate.REASONS_RECEIVED),
    (KeyDate.DECISION, KeyDate.REASONS_MAILED),
    (KeyDate.REASONS_MAILED, KeyDate.REASONS_RECEIVED),
    (KeyDate.LEAVE_FILED, KeyDate.RECORD_SERVED),
    (KeyDate.RECORD_SERVED, KeyDate.RESPONDENT_MEMO_SERVED),
)


@dataclass(frozen=True)
class KeyDates:
    """The dates deadlines are computed from (key dates and steps' dates); None = not known yet."""

    referral: date | None = None
    hearing: date | None = None
    decision: date | None = None
    reasons_received: date | None = None
    notification: date | None = None
    removal: date | None = None
    eligibility: date | None = None
    leave_filed: date | None = None
    record_served: date | None = None
    respondent_memo_served: date | None = None
    appeal_perfected: date | None = None
    appeal_filed: date | None = None
    cross_exam_completed: date | None = None
    crossing: date | None = None
    reasons_mailed: date | None = None
    contact_changed: date | None = None
    prior_prra_rejected: date | None = None

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None and type(value) is not date:
                raise ValidationError(_("must be a date"), field=f.name)
            if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
                raise ValidationError(_("{name} ({value}) is not a plausible date: use a year from {first} to "
                                        "{last}").format(name=KeyDate(f.name).label, value=value.isoformat(),
                                                         first=EARLIEST_DATE.year, last=LATEST_DATE.year),
                                      field=f.name)
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
    # rule id -> the option chosen for this matter (e.g. {"rpd.boc": "inland"}); a rule
    # not named here counts with its default option, and its deadline says so.
    deadline_options: dict[str, str] = field(default_factory=dict)
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
        set_attr(self, "deadline_options", _checked_options(self.deadline_options))
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


def _checked_options(options: object) -> dict[str, str]:
    """Rule ids to option keys, as the rules files spell them (which rules and options exist
    is the rules' business, checked where they are loaded: `services.deadlines`)."""
    if not isinstance(options, dict):
        raise ValidationError(_("must be a list of rules and their options"), field="deadline_options")
    if len(options) > MAX_DEADLINE_OPTIONS:
        raise ValidationError(_("has too many entries ({count}; at most {limit})").format(
            count=len(options), limit=MAX_DEADLINE_OPTIONS), field="deadline_options")
    for rule, key in options.items():
        if not isinstance(rule, str) or not ID_RE.match(rule) or len(rule) > 100:
            raise ValidationError(_("{rule} is not a rule id such as rpd.boc").format(rule=str(rule)[:100]),
                                  field="deadline_options")
        if not isinstance(key, str) or not KEY_RE.match(key) or len(key) > 100:
            raise ValidationError(_("the option of {rule} must be a lower-case name such as inland").format(
                rule=rule), field="deadline_options")
    return dict(sorted(options.items()))
