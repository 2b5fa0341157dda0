"""Forum file numbers: accepted forms, normalisation, and clear errors naming the field."""

from __future__ import annotations

import pytest

from clinic_app.domain.identifiers import (
    FileNumbers,
    normalise_fc_docket,
    normalise_irb_file,
    normalise_ircc_application,
    normalise_uci,
)
from clinic_app.errors import ValidationError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234-5678", "1234-5678"),
        ("12-3456-7890", "12-3456-7890"),
        ("  1234-5678 ", "1234-5678"),
        ("12345678", "1234-5678"),
        ("1234567890", "12-3456-7890"),
        ("1234 5678", "1234-5678"),
        ("1234\u20135678", "1234-5678"),  # en dash from a word processor
        ("\uff11\uff12\uff13\uff14-5678", "1234-5678"),  # full-width digits
        ("N/A", "N/A"),
        ("n/a", "N/A"),
        ("NA", "N/A"),
    ],
)
def test_uci_accepts_and_normalises(raw: str, expected: str) -> None:
    assert normalise_uci(raw) == expected


@pytest.mark.parametrize("raw", ["1234-567", "123456789", "12345-6789", "ABCD-EFGH", "1234-5678-9", "", "N/B"])
def test_uci_rejects(raw: str) -> None:
    with pytest.raises(ValidationError) as err:
        normalise_uci(raw)
    assert err.value.field == "uci"
    assert "UCI" in str(err.value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("TB1-12345", "TB1-12345"), ("tb1-12345", "TB1-12345"), (" MB3-03646 ", "MB3-03646"),
     ("TB112345", "TB1-12345"), ("VB2 - 00001", "VB2-00001"), ("QX9-99999", "QX9-99999")],
)
def test_irb_file_accepts_any_two_letter_prefix(raw: str, expected: str) -> None:
    assert normalise_irb_file(raw) == expected


@pytest.mark.parametrize(
    "raw", ["TB1-1234", "TB12-12345", "T1-12345", "TBX-12345", "TB1-123456", "0001-12345", "1TB-12345"]
)
def test_irb_file_rejects(raw: str) -> None:
    with pytest.raises(ValidationError) as err:
        normalise_irb_file(raw, field="file_numbers.irb")
    assert err.value.field == "file_numbers.irb"
    assert "TB1-12345" in str(err.value)  # the message shows the expected form


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("IMM-5360-23", "IMM-5360-23"), ("imm-244-18", "IMM-244-18"), ("IMM-10568-12", "IMM-10568-12"),
     ("IMM-1-24", "IMM-1-24"), ("IMM 5360-23", "IMM-5360-23"), ("IMM\u20115360\u201123", "IMM-5360-23")],
)
def test_fc_docket_accepts(raw: str, expected: str) -> None:
    assert normalise_fc_docket(raw) == expected


@pytest.mark.parametrize("raw", ["IMM-123456-23", "IMM-5360-2023", "IMM-5360", "T-1234-23", "IMM--23", "IMM-53a0-23"])
def test_fc_docket_rejects(raw: str) -> None:
    with pytest.raises(ValidationError) as err:
        normalise_fc_docket(raw)
    assert err.value.field == "fc"


def test_fc_docket_zero_padding_has_its_own_message() -> None:
    with pytest.raises(ValidationError) as err:
        normalise_fc_docket("IMM-05360-23")
    assert "zeros" in str(err.value)


@pytest.mark.parametrize(("raw", "expected"), [("W993830598", "W993830598"), ("w993830598", "W993830598"),
                                                ("E 000 123 456", "E000123456")])
def test_ircc_application_number_accepts(raw: str, expected: str) -> None:
    assert normalise_ircc_application(raw) == expected


@pytest.mark.parametrize("raw", ["993830598", "W99383059", "W9938305981", "WW93830598", "W99383059X"])
def test_ircc_application_number_rejects(raw: str) -> None:
    with pytest.raises(ValidationError) as err:
        normalise_ircc_application(raw)
    assert err.value.field == "ircc"


def test_file_numbers_normalise_on_construction_and_compare_equal() -> None:
    a = FileNumbers(uci="12345678", irb="tb1-12345", fc="imm-5360-23", ircc="w993830598")
    b = FileNumbers(uci="1234-5678", irb="TB1-12345", fc="IMM-5360-23", ircc="W993830598")
    assert a == b
    assert a.irb == "TB1-12345"
    assert not a.is_empty


def test_file_numbers_blank_means_not_recorded() -> None:
    numbers = FileNumbers(uci="  ", irb="")
    assert numbers.uci is None and numbers.irb is None
    assert numbers.is_empty


def test_file_numbers_error_names_the_number() -> None:
    with pytest.raises(ValidationError) as err:
        FileNumbers(fc="IMM-5360")
    assert err.value.field == "fc"
    assert "IMM-5360" in str(err.value)


def test_rejected_value_is_cut_short_in_the_message() -> None:
    with pytest.raises(ValidationError) as err:
        normalise_uci("x" * 500)
    assert len(str(err.value)) < 200
