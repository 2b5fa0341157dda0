"""Document metadata and the intake facts the pre-flight check reads."""

from __future__ import annotations

import pytest

from clinic_app.domain.document import DocumentCategory, DocumentMeta, HcFactor
from clinic_app.errors import ValidationError


def doc(**changes: object) -> DocumentMeta:
    values: dict[str, object] = {"ref": "d-1", "title": "Psychological assessment"}
    values.update(changes)
    return DocumentMeta(**values)  # type: ignore[arg-type]


def test_categories_include_the_evidence_kinds_clinics_use() -> None:
    assert {"identity", "country_conditions", "medical", "psychological", "employment", "tax", "education",
            "police", "legal", "correspondence", "photo", "translation", "declaration", "other"} <= {
        c.value for c in DocumentCategory}


def test_tags_are_normalised_and_factors_recognised() -> None:
    meta = doc(tags=["Establishment", " health ", "MS-13", "health"])
    assert meta.tags == ("establishment", "health", "ms-13")
    assert meta.factors == {HcFactor.ESTABLISHMENT, HcFactor.HEALTH}


def test_tag_with_comma_is_refused() -> None:
    with pytest.raises(ValidationError) as err:
        doc(tags=["a, b"])
    assert err.value.field == "tags[0]"


def test_intake_facts_are_checked() -> None:
    good = doc(sha256="AB" * 32, page_count=3, pages_without_text=(3, 1), media_type="Application/PDF", size=10)
    assert good.sha256 == "ab" * 32
    assert good.pages_without_text == (1, 3)
    assert good.media_type == "application/pdf"
    for field, value in [("sha256", "xyz"), ("page_count", -1), ("size", 1.5), ("media_type", "pdf")]:
        with pytest.raises(ValidationError) as err:
            doc(**{field: value})
        assert err.value.field == field


def test_pages_without_text_must_be_in_the_document() -> None:
    with pytest.raises(ValidationError) as err:
        doc(page_count=2, pages_without_text=(3,))
    assert err.value.field == "pages_without_text"


def test_language_falls_back_to_intake_guess() -> None:
    assert doc(language_guess="ES").effective_language == "es"
    assert doc(language="fr", language_guess="es").effective_language == "fr"


def test_unknown_category_names_the_field() -> None:
    with pytest.raises(ValidationError) as err:
        doc(category="medicine")
    assert err.value.field == "category"
