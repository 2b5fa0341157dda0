"""Matters: the exact type and key-date vocabularies, date order, forum numbers."""

from __future__ import annotations

from datetime import date

import pytest

from clinic_app.domain.identifiers import FileNumbers
from clinic_app.domain.matter import (
    MATTER_TYPE_LABELS,
    AdverseParty,
    KeyDate,
    KeyDates,
    Matter,
    MatterStatus,
    MatterType,
    ProceedingLanguage,
)
from clinic_app.errors import ValidationError


def test_matter_types_are_exactly_the_agreed_codes() -> None:
    assert {t.value for t in MatterType} == {
        "rpd_claim", "rad_appeal", "prra", "hc", "deferral", "fc_jr", "stay_motion",
        "sponsorship", "ministerial_relief", "stca", "mandamus",
    }


def test_every_matter_type_has_its_own_label() -> None:
    assert set(MATTER_TYPE_LABELS) == set(MatterType)
    labels = [t.label for t in MatterType]
    assert len(set(labels)) == len(labels)
    assert MatterType.PRRA.label_in("en") == "Pre-removal risk assessment (PRRA)"


def test_key_dates_are_exactly_the_agreed_names() -> None:
    assert [k.value for k in KeyDate if not k.is_step] == [
        "referral", "hearing", "decision", "reasons_received", "notification", "removal",
    ]


def test_a_matter_records_every_date_the_rules_count_from() -> None:
    """The rules engine's date names and the matter's are one list, so every rule that counts
    from a step (leave filed, crossing) can be given its date."""
    from clinic_app.domain.deadlines.model import DATE_KEYS, KEY_DATES

    assert tuple(k.value for k in KeyDate) == DATE_KEYS
    assert tuple(k.value for k in KeyDate if not k.is_step) == KEY_DATES
    assert len({k.label for k in KeyDate}) == len(KeyDate)


def test_step_dates_in_an_impossible_order_are_refused() -> None:
    with pytest.raises(ValidationError) as err:
        KeyDates(leave_filed=date(2026, 12, 3), record_served=date(2026, 12, 1))
    assert err.value.field == "record_served"
    with pytest.raises(ValidationError) as err:
        KeyDates(reasons_mailed=date(2026, 12, 3), reasons_received=date(2026, 12, 1))
    assert err.value.field == "reasons_received"
    assert KeyDates(leave_filed=date(2026, 12, 3), record_served=date(2026, 12, 3)).record_served


@pytest.mark.parametrize("options, wrong", [
    ({"rpd.boc; DROP": "inland"}, "rpd.boc; DROP"),
    ({"rpd.boc": "Inland"}, "rpd.boc"),
    ({"boc": "inland"}, "boc"),
    ({"rpd.boc": 3}, "rpd.boc"),
])
def test_deadline_options_are_rule_ids_and_option_names(options: dict, wrong: str) -> None:
    with pytest.raises(ValidationError) as err:
        Matter(ref="m-1", client_ref="c-1", type="rpd_claim", title="Claim", deadline_options=options)  # type: ignore[arg-type]
    assert err.value.field == "deadline_options"
    assert wrong in str(err.value)


def test_deadline_options_are_kept_in_a_stable_order() -> None:
    m = Matter(ref="m-1", client_ref="c-1", type="fc_jr", title="JR",  # type: ignore[arg-type]
               deadline_options={"fc.leave_application": "outside_canada", "fc.applicants_record": "reasons_requested"})
    assert list(m.deadline_options) == ["fc.applicants_record", "fc.leave_application"]


def test_matter_defaults_and_text_values() -> None:
    matter = Matter(ref="m-1", client_ref="c-1", type="hc", title="H&C")  # type: ignore[arg-type]
    assert matter.type is MatterType.HC
    assert matter.language is ProceedingLanguage.EN
    assert matter.status is MatterStatus.OPEN


@pytest.mark.parametrize(("field", "value"), [("type", "h_c"), ("language", "es"), ("status", "pending")])
def test_unknown_enum_values_name_the_field(field: str, value: str) -> None:
    values = {"ref": "m-1", "client_ref": "c-1", "type": "hc", "title": "T", field: value}
    with pytest.raises(ValidationError) as err:
        Matter(**values)  # type: ignore[arg-type]
    assert err.value.field == field
    assert value in str(err.value)


def test_client_ref_error_uses_the_manifest_key() -> None:
    with pytest.raises(ValidationError) as err:
        Matter(ref="m-1", client_ref="", type=MatterType.HC, title="T")
    assert err.value.field == "client"


@pytest.mark.parametrize(
    ("dates", "field"),
    [
        ({"decision": date(2024, 2, 1), "reasons_received": date(2024, 1, 1)}, "reasons_received"),
        ({"referral": date(2024, 2, 1), "hearing": date(2024, 1, 1)}, "hearing"),
        ({"referral": date(2024, 2, 1), "decision": date(2024, 1, 1)}, "decision"),
    ],
)
def test_key_dates_out_of_order_are_refused(dates: dict[str, date], field: str) -> None:
    with pytest.raises(ValidationError) as err:
        KeyDates(**dates)
    assert err.value.field == field


def test_key_dates_in_order_and_unrelated_dates_are_accepted() -> None:
    dates = KeyDates(referral=date(2023, 1, 1), hearing=date(2023, 6, 1), decision=date(2023, 7, 1),
                     reasons_received=date(2023, 7, 1), removal=date(2022, 1, 1))
    assert dates.get(KeyDate.HEARING) == date(2023, 6, 1)
    assert set(dates.known()) == {KeyDate.REFERRAL, KeyDate.HEARING, KeyDate.DECISION,
                                  KeyDate.REASONS_RECEIVED, KeyDate.REMOVAL}


def test_key_dates_refuse_a_date_with_time() -> None:
    from datetime import datetime

    with pytest.raises(ValidationError) as err:
        KeyDates(hearing=datetime(2024, 1, 1, 9, 30))
    assert err.value.field == "hearing"


@pytest.mark.parametrize(
    ("type_", "numbers", "expected"),
    [
        (MatterType.RPD_CLAIM, FileNumbers(uci="1234-5678", irb="TB1-12345"), "TB1-12345"),
        (MatterType.STAY_MOTION, FileNumbers(irb="TB1-12345", fc="IMM-5360-23"), "IMM-5360-23"),
        (MatterType.HC, FileNumbers(uci="1234-5678", ircc="W993830598"), "W993830598"),
        (MatterType.DEFERRAL, FileNumbers(uci="N/A"), None),
    ],
)
def test_forum_file_number(type_: MatterType, numbers: FileNumbers, expected: str | None) -> None:
    matter = Matter(ref="m-1", client_ref="c-1", type=type_, title="T", file_numbers=numbers)
    assert matter.forum_file_number == expected


def test_adverse_parties_live_on_the_matter() -> None:
    matter = Matter(ref="m-1", client_ref="c-1", type=MatterType.RPD_CLAIM, title="Claim",
                    adverse_parties=[AdverseParty("Los Ejemplos", "gang")])  # type: ignore[arg-type]
    assert matter.adverse_parties == (AdverseParty("Los Ejemplos", "gang"),)
    with pytest.raises(ValidationError) as err:
        AdverseParty("")
    assert err.value.field == "name"
