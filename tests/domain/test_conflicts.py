"""Conflict check at intake: folded accents, case and order, typos, every kind of
known person, other scripts, and no alarm for clearly different names."""

from __future__ import annotations

import pytest

from clinic_app.domain.client import Client, Relative
from clinic_app.domain.conflicts import (
    KnownPerson,
    MatchReason,
    PersonKind,
    edit_distance,
    find_conflicts,
    jaro_winkler,
    name_similarity,
    normalise_name,
    people_from_records,
)
from clinic_app.domain.matter import AdverseParty, Matter, MatterType

CLIENTS = [
    Client(ref="c-garcia", legal_name="María García López", aliases=("La Flaca",),
           relatives=(Relative("José Antonio García", relationship="brother"),)),
    Client(ref="c-petrov", legal_name="Иван Петров"),
    Client(ref="c-wang", legal_name="王小明"),
    Client(ref="c-torres", legal_name="Ana Torres"),
]
MATTERS = [
    Matter(ref="m-garcia", client_ref="c-garcia", type=MatterType.RPD_CLAIM, title="Claim",
           adverse_parties=(AdverseParty("Carlos Mejía Ortega", "gang leader"),)),
]
PEOPLE = people_from_records(CLIENTS, MATTERS)


def best(name: str) -> tuple[str, PersonKind, MatchReason] | None:
    found = find_conflicts(name, PEOPLE)
    return (found[0].person.name, found[0].person.kind, found[0].reason) if found else None


def test_normalise_folds_accents_case_and_punctuation() -> None:
    assert normalise_name("  GARCÍA-López, María ") == "garcia lopez maria"
    assert normalise_name("Łukasz Øster") == "lukasz oster"


@pytest.mark.parametrize("query", ["Maria Garcia Lopez", "MARIA GARCIA LOPEZ", "Garcia Lopez, Maria",
                                   "López María García", "maria  garcia-lopez"])
def test_same_name_in_another_form_matches_with_full_score(query: str) -> None:
    found = find_conflicts(query, PEOPLE)
    assert found[0].person.client_ref == "c-garcia"
    assert found[0].person.kind is PersonKind.CLIENT
    assert found[0].score == 1.0
    assert found[0].reason is MatchReason.SAME_NAME_OTHER_FORM


@pytest.mark.parametrize("query", ["María García López", "MARÍA GARCÍA LÓPEZ"])
def test_identical_name_ignoring_case_is_same_name(query: str) -> None:
    assert best(query) == ("María García López", PersonKind.CLIENT, MatchReason.SAME_NAME)


@pytest.mark.parametrize(
    "query", ["Maria Garsia Lopez", "Mraia Garcia Lopez", "Maria Garcia Lopes", "Maria Garcia Llopez"]
)
def test_small_typos_are_tolerated(query: str) -> None:
    found = find_conflicts(query, PEOPLE)
    assert found and found[0].person.client_ref == "c-garcia"
    assert found[0].reason is MatchReason.SIMILAR_SPELLING
    assert 0.85 <= found[0].score < 1.0


def test_one_surname_left_out_is_a_partial_match() -> None:
    found = find_conflicts("María García", PEOPLE)
    assert found[0].person.client_ref == "c-garcia"
    assert found[0].reason is MatchReason.PART_OF_NAME
    assert found[0].score < 1.0


def test_alias_relative_and_adverse_party_are_searched() -> None:
    assert best("la flaca") == ("La Flaca", PersonKind.ALIAS, MatchReason.SAME_NAME)
    assert best("Jose Antonio Garcia") == ("José Antonio García", PersonKind.RELATIVE, MatchReason.SAME_NAME_OTHER_FORM)
    found = find_conflicts("Carlos Mejia Ortega", PEOPLE)
    assert found[0].person.kind is PersonKind.ADVERSE_PARTY
    assert found[0].person.matter_ref == "m-garcia" and found[0].person.client_ref == "c-garcia"


def test_cyrillic_name_matches_in_any_order_and_with_a_typo() -> None:
    assert best("Петров Иван") == ("Иван Петров", PersonKind.CLIENT, MatchReason.SAME_NAME_OTHER_FORM)
    assert best("ИВАН ПЕТРОВ") is not None
    assert best("Иван Петрова") == ("Иван Петров", PersonKind.CLIENT, MatchReason.SIMILAR_SPELLING)


def test_chinese_name_matches_exactly_or_with_spacing_but_not_one_character_off() -> None:
    assert best("王小明") == ("王小明", PersonKind.CLIENT, MatchReason.SAME_NAME)
    assert best("王 小明") == ("王小明", PersonKind.CLIENT, MatchReason.SAME_NAME_OTHER_FORM)
    assert best("王小名") is None


def test_scripts_are_not_transliterated() -> None:
    assert best("Ivan Petrov") is None


@pytest.mark.parametrize("query", ["John Smith", "Maria Hernandez", "Ana Perez", "Josefina Martinez",
                                   "Garcia", "Carlos Castillo", "Li Wei", "Pedro Torres", "María Garza López Ruiz"])
def test_clearly_different_names_do_not_match(query: str) -> None:
    assert find_conflicts(query, PEOPLE) == []


def test_empty_or_symbol_only_query_finds_nothing() -> None:
    assert find_conflicts("", PEOPLE) == []
    assert find_conflicts("???", PEOPLE) == []


def test_results_are_ranked_and_limited() -> None:
    people = [KnownPerson("Maria Garcia Lopez", PersonKind.CLIENT, "c-1"),
              KnownPerson("Maria Garsia Lopez", PersonKind.CLIENT, "c-2"),
              KnownPerson("Maria Garcia", PersonKind.RELATIVE, "c-3")]
    found = find_conflicts("Maria Garcia Lopez", people)
    assert [m.person.client_ref for m in found] == ["c-1", "c-2", "c-3"]
    assert found[0].score > found[1].score > found[2].score
    assert len(find_conflicts("Maria Garcia Lopez", people, limit=1)) == 1


def test_threshold_is_respected() -> None:
    people = [KnownPerson("Maria Garsia Lopez", PersonKind.CLIENT, "c-2")]
    assert find_conflicts("Maria Garcia Lopez", people, threshold=0.99) == []


def test_people_from_records_covers_every_kind() -> None:
    kinds = {(p.kind, p.name) for p in PEOPLE}
    assert (PersonKind.ALIAS, "La Flaca") in kinds
    assert (PersonKind.RELATIVE, "José Antonio García") in kinds
    assert (PersonKind.ADVERSE_PARTY, "Carlos Mejía Ortega") in kinds
    assert len(PEOPLE) == 7


def test_jaro_winkler_reference_values() -> None:
    assert jaro_winkler("martha", "marhta") == pytest.approx(0.961, abs=0.001)
    assert jaro_winkler("dixon", "dicksonx") == pytest.approx(0.813, abs=0.001)
    assert jaro_winkler("abc", "xyz") == 0.0
    assert jaro_winkler("same", "same") == 1.0


def test_edit_distance_counts_a_swap_as_one() -> None:
    assert edit_distance("mejia", "meija") == 1
    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance("", "abc") == 3


def test_name_similarity_is_symmetric() -> None:
    a, b = "Maria Garcia", "María García López"
    assert name_similarity(a, b) == name_similarity(b, a)
