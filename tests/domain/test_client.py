"""The client record: safe contact flags, relatives kept out of outputs, initials."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import date

import pytest

from clinic_app.domain.client import Client, ContactKind, ContactPoint, Relative, derive_initials
from clinic_app.errors import ValidationError


def make_client(**changes: object) -> Client:
    base: dict[str, object] = {"ref": "c-1", "legal_name": "María García López"}
    base.update(changes)
    return Client(**base)  # type: ignore[arg-type]


def test_contact_cannot_be_both_safe_and_do_not_contact() -> None:
    with pytest.raises(ValidationError) as err:
        ContactPoint(ContactKind.PHONE, "+1 514 555 0100", safe_to_contact=True, do_not_contact=True)
    assert err.value.field == "do_not_contact"


@pytest.mark.parametrize(("safe", "dnc"), [(True, False), (False, True), (False, False)])
def test_contact_with_at_most_one_flag_is_accepted(safe: bool, dnc: bool) -> None:
    point = ContactPoint(ContactKind.PHONE, "514-555-0100", safe_to_contact=safe, do_not_contact=dnc)
    assert point.usable is (safe and not dnc)


def test_contact_kind_accepts_text_and_rejects_unknown() -> None:
    assert ContactPoint("email", "a@example.org").kind is ContactKind.EMAIL  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as err:
        ContactPoint("fax", "514 555 0100")  # type: ignore[arg-type]
    assert err.value.field == "kind"


@pytest.mark.parametrize(("kind", "value"), [(ContactKind.EMAIL, "not-an-email"), (ContactKind.PHONE, "call me"),
                                              (ContactKind.ADDRESS, "   ")])
def test_contact_value_is_checked_for_its_kind(kind: ContactKind, value: str) -> None:
    with pytest.raises(ValidationError) as err:
        ContactPoint(kind, value)
    assert err.value.field == "value"


def test_outputs_use_only_a_contact_confirmed_safe() -> None:
    shelter = ContactPoint(ContactKind.ADDRESS, "1 Shelter Rd", do_not_contact=True)
    unknown = ContactPoint(ContactKind.ADDRESS, "2 Unknown St")
    own = ContactPoint(ContactKind.ADDRESS, "3 Own Ave", safe_to_contact=True)
    client = make_client(contacts=(shelter, unknown, own))
    assert client.contact_for_output(ContactKind.ADDRESS) == own
    assert make_client(contacts=(shelter, unknown)).contact_for_output(ContactKind.ADDRESS) is None


def test_relative_is_excluded_from_outputs_by_default() -> None:
    mother = Relative("Rosa Morales", relationship="mother", in_country_of_origin=True)
    assert mother.include_in_outputs is False
    sister = Relative("Marta Rivera", relationship="sister", include_in_outputs=True)
    client = make_client(relatives=(mother, sister))
    assert client.relatives_for_output() == (sister,)


def test_relative_in_country_of_origin_included_needs_a_second_look() -> None:
    assert Relative("A B", in_country_of_origin=True, include_in_outputs=True).needs_output_warning
    assert not Relative("A B", in_country_of_origin=True).needs_output_warning
    assert not Relative("A B", include_in_outputs=True).needs_output_warning


def test_relative_needs_a_name() -> None:
    with pytest.raises(ValidationError) as err:
        Relative("  ")
    assert err.value.field == "name"


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("María García López", "M.G.L."),
        ("Garcia Lopez, Maria", "M.G.L."),
        ("María de la Cruz-Pérez", "M.C.-P."),
        ("Jean-Pierre Dubois", "J.-P.D."),
        ("Иван Петров", "И.П."),
        ("Kevin O'Brien", "K.O."),
        ("De Souza", "D.S."),  # a capitalised particle is part of the surname
    ],
)
def test_derived_initials(name: str, initials: str) -> None:
    assert derive_initials(name) == initials


def test_public_initials_default_to_derived_and_explicit_wins() -> None:
    assert make_client().initials_for_outputs == "M.G.L."
    assert make_client(public_initials="A.B.").initials_for_outputs == "A.B."
    # Derived initials follow a corrected legal name; chosen ones do not change.
    assert replace(make_client(), legal_name="Ana Torres").initials_for_outputs == "A.T."


def test_names_are_stored_composed_and_trimmed() -> None:
    decomposed = unicodedata.normalize("NFD", "  María   García ")
    client = make_client(legal_name=decomposed)
    assert client.legal_name == "María García"
    assert client.legal_name == unicodedata.normalize("NFC", "María García")


def test_aliases_drop_duplicates_and_the_legal_name() -> None:
    client = make_client(aliases=["Mari García", "mari garcía", "María García López", ""])
    assert client.aliases == ("Mari García",)
    assert client.all_names == ("María García López", "Mari García")


def test_legal_name_is_required_and_single_line() -> None:
    with pytest.raises(ValidationError) as err:
        make_client(legal_name="")
    assert err.value.field == "name"
    with pytest.raises(ValidationError):
        make_client(legal_name="María\nGarcía")


@pytest.mark.parametrize("born", [date(1899, 12, 31), date(2999, 1, 1)])
def test_implausible_birth_date_is_refused(born: date) -> None:
    with pytest.raises(ValidationError) as err:
        make_client(birth_date=born)
    assert err.value.field == "birth_date"


def test_uci_on_client_is_normalised() -> None:
    assert make_client(uci="12345678").uci == "1234-5678"
    with pytest.raises(ValidationError) as err:
        make_client(uci="1234")
    assert err.value.field == "uci"


def test_bad_ref_is_refused() -> None:
    with pytest.raises(ValidationError) as err:
        make_client(ref="c 1/../x")
    assert err.value.field == "ref"


def test_repr_carries_no_name_or_story() -> None:
    client = make_client(narrative="They found us in Tegucigalpa", relatives=(Relative("Rosa Morales"),))
    text = repr(client) + repr(client.relatives[0])
    assert "García" not in text and "Tegucigalpa" not in text and "Rosa" not in text
    assert "c-1" in text
