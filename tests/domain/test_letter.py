"""Support letters: the workflow as a pure function, translations, themes."""

from __future__ import annotations

from datetime import date

import pytest

from clinic_app.domain.letter import (
    LetterStatus,
    LetterTheme,
    SupportLetter,
    TranslationStatus,
    WriterStatus,
    allowed_transitions,
    can_transition,
    readiness_cautions,
    readiness_problems,
    transition,
)
from clinic_app.errors import ValidationError

S = LetterStatus
ALLOWED = {
    (S.REQUESTED, S.RECEIVED),
    (S.RECEIVED, S.REVIEWED),
    (S.RECEIVED, S.REQUESTED),
    (S.REVIEWED, S.READY_TO_FILE),
    (S.REVIEWED, S.RECEIVED),
    (S.READY_TO_FILE, S.REVIEWED),
}


def letter(**changes: object) -> SupportLetter:
    values: dict[str, object] = {"ref": "l-1", "matter_ref": "m-1", "writer": "Jean Example"}
    values.update(changes)
    return SupportLetter(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("current", list(LetterStatus))
@pytest.mark.parametrize("target", list(LetterStatus))
def test_transition_table(current: LetterStatus, target: LetterStatus) -> None:
    assert can_transition(current, target) is ((current, target) in ALLOWED)


def test_allowed_transitions_from_requested() -> None:
    assert allowed_transitions(LetterStatus.REQUESTED) == frozenset({LetterStatus.RECEIVED})


def test_transition_returns_a_moved_copy() -> None:
    original = letter()
    moved = transition(original, LetterStatus.RECEIVED)
    assert moved.status is LetterStatus.RECEIVED
    assert original.status is LetterStatus.REQUESTED
    assert moved.writer == original.writer


def test_skipping_a_step_is_refused_with_the_field() -> None:
    with pytest.raises(ValidationError) as err:
        transition(letter(), LetterStatus.READY_TO_FILE)
    assert err.value.field == "status"


def test_untranslated_letter_cannot_become_ready_to_file() -> None:
    reviewed = letter(language="es", translation_status=TranslationStatus.IN_PROGRESS, status=LetterStatus.REVIEWED)
    assert readiness_problems(reviewed)
    with pytest.raises(ValidationError) as err:
        transition(reviewed, LetterStatus.READY_TO_FILE)
    assert err.value.field == "status"
    done = transition(letter(language="es", translation_status="done", status="reviewed"), LetterStatus.READY_TO_FILE)
    assert done.status is LetterStatus.READY_TO_FILE
    assert readiness_problems(done) == []


def test_letter_in_another_language_must_not_claim_no_translation_needed() -> None:
    with pytest.raises(ValidationError) as err:
        letter(language="es", translation_status=TranslationStatus.NOT_NEEDED)
    assert err.value.field == "translation_status"
    assert letter(language="fr-CA").translation_status is TranslationStatus.NOT_NEEDED


def test_unsigned_undated_letter_gets_cautions_not_a_block() -> None:
    assert len(readiness_cautions(letter())) == 2
    assert readiness_cautions(letter(signed=True, letter_date=date(2025, 1, 1))) == []
    assert readiness_problems(letter()) == []


def test_themes_known_codes_and_free_form() -> None:
    item = letter(themes=["Employment", "church choir", "employment", "FAMILY"])
    assert item.themes == ("employment", "church choir", "family")
    assert item.known_themes == {LetterTheme.EMPLOYMENT, LetterTheme.FAMILY}
    assert item.free_themes == ("church choir",)


def test_letter_fields_are_validated_with_manifest_names() -> None:
    with pytest.raises(ValidationError) as err:
        letter(writer_status="tourist")
    assert err.value.field == "writer_status"
    with pytest.raises(ValidationError) as err:
        letter(language="Spanish")
    assert err.value.field == "language"
    with pytest.raises(ValidationError) as err:
        letter(matter_ref="")
    assert err.value.field == "matter"
    assert letter(writer_status="citizen").writer_status is WriterStatus.CITIZEN
