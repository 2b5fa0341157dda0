"""Support letters for H&C and other applications, and their workflow.

Volunteers enter these by the dozen, so the rules are few and explicit: a letter
moves requested -> received -> reviewed -> ready to file one step at a time (or one
step back), and a letter that still needs a translation cannot be ready to file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from clinic_app.domain.common import (
    MAX_NAME,
    SafeRepr,
    clean_line,
    clean_names,
    is_official,
    language_code,
    parse_enum,
    set_attr,
    validate_ref,
)
from clinic_app.domain.ids import LetterId
from clinic_app.domain.roles import Permission
from clinic_app.errors import ValidationError
from clinic_app.i18n import SUPPORTED, N_, _, translate_for

MAX_QUOTE = 2000


class LetterStatus(StrEnum):
    REQUESTED = "requested"
    RECEIVED = "received"
    REVIEWED = "reviewed"
    READY_TO_FILE = "ready_to_file"

    @property
    def label(self) -> str:
        return _(LETTER_STATUS_LABELS[self])


LETTER_STATUS_LABELS = {
    LetterStatus.REQUESTED: N_("Requested"),
    LetterStatus.RECEIVED: N_("Received"),
    LetterStatus.REVIEWED: N_("Reviewed"),
    LetterStatus.READY_TO_FILE: N_("Ready to file"),
}

# Forward one step, or back one step (a reviewer sends a letter back for changes).
_TRANSITIONS: dict[LetterStatus, frozenset[LetterStatus]] = {
    LetterStatus.REQUESTED: frozenset({LetterStatus.RECEIVED}),
    LetterStatus.RECEIVED: frozenset({LetterStatus.REVIEWED, LetterStatus.REQUESTED}),
    LetterStatus.REVIEWED: frozenset({LetterStatus.READY_TO_FILE, LetterStatus.RECEIVED}),
    LetterStatus.READY_TO_FILE: frozenset({LetterStatus.REVIEWED}),
}


# Who may put a letter in a status, or take it out of it (docs/guide/05-support-letters.md):
# volunteers request and receive letters; staff and lawyers review them; lawyers file them.
STATUS_PERMISSION: dict[LetterStatus, Permission] = {
    LetterStatus.REQUESTED: Permission.MANAGE_LETTERS,
    LetterStatus.RECEIVED: Permission.MANAGE_LETTERS,
    LetterStatus.REVIEWED: Permission.REVIEW_LETTERS,
    LetterStatus.READY_TO_FILE: Permission.FILE_LETTERS,
}


def status_choices(current: LetterStatus | None, may: Callable[[Permission], bool]) -> list[LetterStatus]:
    """The statuses a person may give a letter now: for a new letter (`current` None) any
    status their role may set; else its status and one step either way, if their role may
    both leave the current status and enter the new one. Empty: they may not change it."""
    if current is None:
        return [s for s in LetterStatus if may(STATUS_PERMISSION[s])]
    if not may(STATUS_PERMISSION[current]):
        return []
    return [s for s in LetterStatus if s is current or (s in _TRANSITIONS[current] and may(STATUS_PERMISSION[s]))]


class TranslationStatus(StrEnum):
    NOT_NEEDED = "not_needed"
    NEEDED = "needed"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class WriterStatus(StrEnum):
    """The letter writer's status in Canada (a citizen's letter weighs differently)."""

    CITIZEN = "citizen"
    PERMANENT_RESIDENT = "permanent_resident"
    PROTECTED_PERSON = "protected_person"
    REFUGEE_CLAIMANT = "refugee_claimant"
    TEMPORARY_RESIDENT = "temporary_resident"
    OTHER = "other"
    UNKNOWN = "unknown"


class LetterTheme(StrEnum):
    EMPLOYMENT = "employment"
    VOLUNTEERING = "volunteering"
    COMMUNITY = "community"
    FAMILY = "family"
    HARDSHIP = "hardship"


_THEME_CODES = frozenset(t.value for t in LetterTheme)
THEME_LABELS: dict[LetterTheme, str] = {  # as people type them, in each interface language
    LetterTheme.EMPLOYMENT: N_("employment"), LetterTheme.VOLUNTEERING: N_("volunteering"),
    LetterTheme.COMMUNITY: N_("community"), LetterTheme.FAMILY: N_("family"), LetterTheme.HARDSHIP: N_("hardship"),
}


def theme_label(theme: str) -> str:
    """A theme as the interface language says it ("emploi"); free-form themes as written."""
    return _(THEME_LABELS[LetterTheme(theme)]) if theme in _THEME_CODES else theme


def _theme_code(theme: str) -> str | None:
    """The code of a known theme typed in any interface language ("Emploi" -> "employment")."""
    typed = theme.casefold().replace(" ", "_")
    if typed in _THEME_CODES:
        return typed
    for code, label in THEME_LABELS.items():
        if any(translate_for(lang, label).casefold().replace(" ", "_") == typed for lang in SUPPORTED):
            return code.value
    return None


def normalise_themes(themes: tuple[str, ...], field: str = "themes") -> tuple[str, ...]:
    """Known themes become their canonical code ("Employment" or "emploi" -> "employment");
    other themes stay as written (free-form)."""
    out: list[str] = []
    for theme in clean_names(themes, field):
        value = _theme_code(theme) or theme
        if value not in out:
            out.append(value)
    return tuple(out)


@dataclass(frozen=True, repr=False)
class SupportLetter(SafeRepr):
    """One support letter for a matter. `document_ref` links the scanned letter."""

    _repr_fields = ("ref", "matter_ref", "status", "id")

    ref: str
    matter_ref: str
    writer: str
    relationship: str = ""
    organisation: str = ""
    writer_status: WriterStatus = WriterStatus.UNKNOWN
    contact: str = ""
    letter_date: date | None = None
    language: str = "en"
    signed: bool = False
    id_copy_attached: bool = False
    translation_status: TranslationStatus = TranslationStatus.NOT_NEEDED
    themes: tuple[str, ...] = ()
    key_quote: str = ""
    status: LetterStatus = LetterStatus.REQUESTED
    document_ref: str | None = None
    id: LetterId | None = None

    def __post_init__(self) -> None:
        set_attr(self, "ref", validate_ref(self.ref))
        set_attr(self, "matter_ref", validate_ref(self.matter_ref, "matter"))
        if self.document_ref is not None:
            set_attr(self, "document_ref", validate_ref(self.document_ref, "document"))
        set_attr(self, "writer", clean_line(self.writer, "writer", required=True, max_len=MAX_NAME))
        for field in ("relationship", "organisation", "contact"):
            set_attr(self, field, clean_line(getattr(self, field), field, max_len=MAX_NAME))
        set_attr(self, "key_quote", clean_line(self.key_quote, "key_quote", max_len=MAX_QUOTE))
        set_attr(self, "language", language_code(self.language))
        set_attr(self, "writer_status", parse_enum(WriterStatus, self.writer_status, "writer_status"))
        set_attr(self, "status", parse_enum(LetterStatus, self.status, "status"))
        set_attr(
            self, "translation_status", parse_enum(TranslationStatus, self.translation_status, "translation_status")
        )
        set_attr(self, "themes", normalise_themes(tuple(self.themes)))
        if self.letter_date is not None and type(self.letter_date) is not date:
            raise ValidationError(_("must be a date"), field="date")
        if self.language and not is_official(self.language) and self.translation_status is TranslationStatus.NOT_NEEDED:
            raise ValidationError(
                _("a letter in {language} needs a translation to be filed: use needed, in_progress or done").format(
                    language=self.language
                ),
                field="translation_status",
            )
        if self.status is LetterStatus.READY_TO_FILE and (problem := _translation_problem(self)):
            raise ValidationError(problem, field="status")

    @property
    def known_themes(self) -> frozenset[LetterTheme]:
        return frozenset(LetterTheme(t) for t in self.themes if t in _THEME_CODES)

    @property
    def free_themes(self) -> tuple[str, ...]:
        return tuple(t for t in self.themes if t not in _THEME_CODES)


def _translation_problem(letter: SupportLetter) -> str:
    if letter.translation_status in (TranslationStatus.NEEDED, TranslationStatus.IN_PROGRESS):
        return _("cannot be ready to file until its translation is done")
    return ""


def allowed_transitions(status: LetterStatus) -> frozenset[LetterStatus]:
    """The statuses a letter in `status` may move to next."""
    return _TRANSITIONS[LetterStatus(status)]


def can_transition(current: LetterStatus, target: LetterStatus) -> bool:
    return LetterStatus(target) in allowed_transitions(current)


def readiness_problems(letter: SupportLetter) -> list[str]:
    """Why `letter` cannot be ready to file yet (empty when it can)."""
    return [p for p in (_translation_problem(letter),) if p]


def readiness_cautions(letter: SupportLetter) -> list[str]:
    """What weakens a letter without blocking it: unsigned or undated letters can
    be filed, but decision makers give them less weight."""
    cautions: list[str] = []
    if not letter.signed:
        cautions.append(_("the letter is not signed"))
    if letter.letter_date is None:
        cautions.append(_("the letter is not dated"))
    return cautions


def transition(letter: SupportLetter, target: LetterStatus) -> SupportLetter:
    """A copy of `letter` moved to `target`, or ValidationError (field "status")."""
    target = parse_enum(LetterStatus, target, "status")
    if not can_transition(letter.status, target):
        raise ValidationError(
            _("cannot move a letter from {current} to {target}").format(
                current=letter.status.label, target=target.label
            ),
            field="status",
        )
    return replace(letter, status=target)
