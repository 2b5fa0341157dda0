"""Original / translation / declaration links."""

from __future__ import annotations

import pytest

from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.translation import TranslationLink, check_links, links_by_original, untranslated
from clinic_app.errors import ValidationError


def test_link_needs_three_distinct_documents() -> None:
    with pytest.raises(ValidationError) as err:
        TranslationLink("d-1", "d-1")
    assert err.value.field == "translation_of"
    with pytest.raises(ValidationError) as err:
        TranslationLink("d-1", "d-2", "d-2")
    assert err.value.field == "declaration_for"
    assert TranslationLink("d-1", "d-2", "d-3").declaration_ref == "d-3"


def test_chains_and_reused_declarations_are_problems() -> None:
    links = [TranslationLink("d-1", "d-2", "d-9"), TranslationLink("d-2", "d-3"), TranslationLink("d-4", "d-5", "d-9")]
    problems = check_links(links)
    assert {(p.document_ref, p.field) for p in problems} == {("d-3", "translation_of"), ("d-9", "declaration_for")}


def test_sound_links_have_no_problems() -> None:
    links = [TranslationLink("d-1", "d-2", "d-3"), TranslationLink("d-1", "d-4")]
    assert check_links(links) == []
    assert [link.translation_ref for link in links_by_original(links)["d-1"]] == ["d-2", "d-4"]


def test_untranslated_lists_foreign_documents_without_translation() -> None:
    docs = [DocumentMeta("d-ru", "Record", language="ru"), DocumentMeta("d-es", "Acta", language_guess="es"),
            DocumentMeta("d-en", "Report", language="en"), DocumentMeta("d-fr", "Traduction", language="fr"),
            DocumentMeta("d-x", "Unknown")]
    links = [TranslationLink("d-ru", "d-fr")]
    assert [d.ref for d in untranslated(docs, links)] == ["d-es"]
