"""The ten package definitions: names, order of sections against the rules, citations,
and the signed-item and forms rules."""

from __future__ import annotations

import pytest

from clinic_app.domain.matter import MatterType
from clinic_app.domain.packages import PACKAGES, Generated, PackageType, Source, get_package, packages_for
from clinic_app.domain.packages.model import DRAFTS, Item
from clinic_app.errors import ValidationError

NAMES = ["rpd_disclosure", "rad_record", "fc_record", "stay_motion", "hc_application", "prra_submissions",
         "deferral_request", "ministerial_relief", "stca_exception", "mandamus_record"]

# The required order, written out from docs/domain-rules.md section 3 (not from the code).
ORDER = {
    "rad_record": [("rpd_decision", "r. 3(3)(a)"), ("transcript", "r. 3(3)(b)"), ("refused", "r. 3(3)(c)"),
                   ("statement", "r. 3(3)(d)"), ("evidence", "r. 3(3)(e)"), ("authorities", "r. 3(3)(f)"),
                   ("memorandum", "r. 3(3)(g)")],
    "fc_record": [("aljr", "r. 10(2)(a)(i)"), ("decision", "r. 10(2)(a)(ii)"), ("reasons", "r. 10(2)(a)(iii)"),
                  ("anonymity", "r. 8.1"), ("affidavits", "r. 10(2)(a)(v)"), ("memorandum", "r. 10(2)(a)(vi)"),
                  ("language", "r. 10(2)(a)(vii)"), ("service", "")],
    "stay_motion": [("notice", "364(2)(b)"), ("affidavits", "364(2)(c)"), ("transcripts", "364(2)(d)"),
                    ("representations", "364(2)(e)"), ("filed", "364(2)(f)"), ("service", "")],
    "mandamus_record": [("aljr", "r. 10(2)(a)(i)"), ("affidavits", "r. 10(2)(a)(v)"),
                        ("memorandum", "r. 10(2)(a)(vi)"), ("language", "r. 10(2)(a)(vii)"), ("service", "")],
}

MATTERS = {
    "rpd_disclosure": MatterType.RPD_CLAIM, "rad_record": MatterType.RAD_APPEAL, "fc_record": MatterType.FC_JR,
    "stay_motion": MatterType.STAY_MOTION, "hc_application": MatterType.HC, "prra_submissions": MatterType.PRRA,
    "deferral_request": MatterType.DEFERRAL, "ministerial_relief": MatterType.MINISTERIAL_RELIEF,
    "stca_exception": MatterType.STCA, "mandamus_record": MatterType.MANDAMUS,
}


def test_the_ten_package_types_exist_with_exact_names() -> None:
    assert [t.value for t in PackageType] == NAMES
    assert sorted(p.value for p in PACKAGES) == sorted(NAMES)
    with pytest.raises(ValidationError, match="rpd_disclosure"):
        get_package("disclosure")


@pytest.mark.parametrize("name", NAMES)
def test_each_package_applies_to_its_matter_type(name: str) -> None:
    package = get_package(name)
    assert package.matter_types == (MATTERS[name],)
    assert package in packages_for(MATTERS[name])
    assert package.citation and package.title and package.sections


@pytest.mark.parametrize("name", sorted(ORDER))
def test_sections_follow_the_rule_order_with_citations(name: str) -> None:
    package = get_package(name)
    assert [s.id for s in package.sections] == [sid for sid, _c in ORDER[name]]
    for section, (_sid, cite) in zip(package.sections, ORDER[name]):
        assert cite in section.citation


def test_court_records_name_their_rules() -> None:
    assert "r. 3(3)" in get_package("rad_record").citation
    assert "r. 10(2)" in get_package("fc_record").citation and "309" in get_package("fc_record").citation
    assert "364(2)" in get_package("stay_motion").citation
    assert "34" in get_package("rpd_disclosure").sections[-1].citation  # statement of service, r. 34(2)


def test_signed_items_are_attached_and_drafts_never_placed() -> None:
    signed = [item for p in PACKAGES.values() for _s, item in p.items() if item.signed]
    assert len(signed) >= 15
    assert all(item.source is Source.ATTACHED for item in signed)
    generated = {item.generated for p in PACKAGES.values() for _s, item in p.items() if item.generated}
    assert generated and not generated & DRAFTS
    affidavits = [item for p in PACKAGES.values() for _s, item in p.items() if "affidavit" in item.id]
    assert affidavits and all(item.signed for item in affidavits)
    with pytest.raises(ValueError):
        Item("x", "X", Source.DOCUMENT, signed=True)
    with pytest.raises(ValueError):
        Item("x", "X", Source.GENERATED, generated=Generated.TRANSLATOR_AFFIDAVIT)


def test_ircc_forms_are_attached_never_generated() -> None:
    hc = get_package("hc_application")
    forms = {item.form for _s, item in hc.items() if item.form}
    assert {"IMM 0008", "IMM 5669", "IMM 5406", "IMM 5283", "IMM 5476", "IMM 5280"} <= forms
    assert all(item.source is Source.ATTACHED for _s, item in hc.items() if item.form)
    assert hc.item("imm5283").required and hc.item("imm5283").tags == ("imm5283",)
    assert hc.item("imm5476").required_when_represented and not hc.item("imm5476").required
    assert "UNCONFIRMED" in hc.item("imm5562").note
    assert get_package("ministerial_relief").item("bsf766").form == "BSF766"
    assert get_package("prra_submissions").item("imm5508").signed


def test_hc_sections_are_organised_by_factor() -> None:
    ids = [s.id for s in get_package("hc_application").sections]
    assert ids == ["cover", "forms", "submissions", "index", "establishment", "children", "hardship", "family",
                   "health", "other"]


def test_federal_court_evidence_is_only_exhibits_to_an_affidavit() -> None:
    # IMM Rules r. 12(1), FCR r. 364(2)(c): every evidence item of a Federal Court record is an exhibit
    # item, and r. 364(2)(f) holds only material already filed.
    for name in ("fc_record", "stay_motion", "mandamus_record"):
        package = get_package(name)
        exhibits = [item.id for _s, item in package.items() if item.exhibit]
        assert package.affidavit_item() is not None and package.affidavit_item().signed
        assert {"exhibits", "letters", "other"} <= set(exhibits), name
        catch_all = [item for _s, item in package.items() if item.catch_all]
        assert all(item.exhibit for item in catch_all), name
    stay = get_package("stay_motion")
    assert [i.id for s, i in stay.items() if s.id == "filed"] == ["aljr", "filed"]
    assert stay.item("decision").exhibit and stay.item("removal_direction").exhibit
    memo_limits = {name: get_package(name).item("memorandum").page_limit
                   for name in ("fc_record", "stay_motion", "mandamus_record", "rad_record")}
    assert memo_limits == {"fc_record": 30, "stay_motion": 30, "mandamus_record": 30, "rad_record": 30}
    assert get_package("fc_record").item("memorandum").page_limit_citation == "FCR r. 70(4)"
    assert get_package("mandamus_record").chronological_exhibits
    assert (get_package("rpd_disclosure").exhibit_marks, get_package("fc_record").exhibit_marks) == ("numbers", "letters")
