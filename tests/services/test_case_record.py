"""Round trips of every entity through a real vault, search, and role limits."""

from __future__ import annotations

import io
from datetime import date

import pytest

from clinic_app.domain.client import Client, ContactKind, ContactPoint, Relative
from clinic_app.domain.document import DocumentCategory, DocumentMeta
from clinic_app.domain.identifiers import FileNumbers
from clinic_app.domain.letter import LetterStatus, SupportLetter, WriterStatus
from clinic_app.domain.matter import AdverseParty, KeyDates, Matter, MatterType, ProceedingLanguage
from clinic_app.domain.translation import TranslationLink
from clinic_app.errors import PermissionDenied
from clinic_app.domain.bundle import BundleSpec
from clinic_app.services import bundles, case_record, evidence, records
from clinic_app.vault import records as rows

CLIENT = Client(
    ref="c-garcia", legal_name="María José García López", aliases=("Majo García",), public_initials="M.J.G.",
    birth_date=date(1990, 5, 17), country="Honduras", languages=("Spanish (Honduras)", "Garifuna"),
    uci="12-3456-7890",
    contacts=(ContactPoint(ContactKind.PHONE, "+1 514 555 0199", safe_to_contact=True),
              ContactPoint(ContactKind.ADDRESS, "Shelter address", do_not_contact=True, note="shared")),
    relatives=(Relative("Pedro García", "brother", country="Honduras", in_country_of_origin=True),),
    narrative="She fled after the gang threatened her family.", notes="Prefers morning calls.",
)
MATTER = Matter(
    ref="m-garcia-rpd", client_ref="c-garcia", type=MatterType.RPD_CLAIM, title="García: refugee claim",
    file_numbers=FileNumbers(uci="12-3456-7890", irb="TB4-12345"), language=ProceedingLanguage.FR,
    dates=KeyDates(referral=date(2026, 1, 5), hearing=date(2026, 9, 1)), counsel="Me Tremblay",
    adverse_parties=(AdverseParty("Barrio 18", "gang"),),
)


def _seed(session) -> None:  # type: ignore[no-untyped-def]
    case_record.save_client(session, CLIENT)
    case_record.save_matter(session, MATTER)


def test_every_entity_round_trips(admin_session) -> None:
    _seed(admin_session)
    doc = DocumentMeta(ref="d-id", title="Passport", source="Republic of Honduras", doc_date=date(2020, 2, 2),
                       language="es", category=DocumentCategory.IDENTITY, tags=("family_ties",))
    evidence.store_document(admin_session, io.BytesIO(b"%PDF-1.4 original"), doc, ["m-garcia-rpd"])
    evidence.store_document(admin_session, io.BytesIO(b"translation bytes"),
                            DocumentMeta(ref="d-id-en", title="Passport (translation)", language="en",
                                         category=DocumentCategory.TRANSLATION), ["m-garcia-rpd"])
    link = TranslationLink("d-id", "d-id-en")
    case_record.link_translation(admin_session, link)
    letter = SupportLetter(ref="l-1", matter_ref="m-garcia-rpd", writer="Jean Dupont", relationship="employer",
                           organisation="Boulangerie", writer_status=WriterStatus.CITIZEN, letter_date=date(2026, 3, 3),
                           language="fr", signed=True, themes=("employment",), key_quote="Très fiable.",
                           status=LetterStatus.RECEIVED, document_ref="d-id")
    case_record.save_letter(admin_session, letter)
    bundles.save_project(admin_session, "b-1", "m-garcia-rpd", BundleSpec(title="Disclosure"))

    assert case_record.get_client(admin_session, "c-garcia") == CLIENT.__class__(**{**CLIENT.__dict__,
                                                                                   "id": 1})
    assert case_record.get_matter(admin_session, "m-garcia-rpd").dates == MATTER.dates
    got = case_record.get_matter(admin_session, "m-garcia-rpd")
    assert (got.file_numbers, got.adverse_parties, got.language) == (MATTER.file_numbers, MATTER.adverse_parties,
                                                                      MATTER.language)
    stored_doc = rows.load_all(admin_session.vault.conn, DocumentMeta)[0]
    assert (stored_doc.title, stored_doc.doc_date, stored_doc.tags, stored_doc.size) == (
        "Passport", date(2020, 2, 2), ("family_ties",), len(b"%PDF-1.4 original"))
    assert case_record.letters(admin_session, "m-garcia-rpd")[0].key_quote == "Très fiable."
    view = records.show_matter(admin_session, "m-garcia-rpd")
    assert view["translations"] == [{"original_ref": "d-id", "translation_ref": "d-id-en", "declaration_ref": None}]
    assert view["bundles"] == ["b-1"]
    assert [d["ref"] for d in view["documents"]] == ["d-id", "d-id-en"]


def test_saving_again_updates_without_duplicating(admin_session) -> None:
    _seed(admin_session)
    case_record.save_client(admin_session, CLIENT.__class__(**{**CLIENT.__dict__, "notes": "Changed"}))
    assert len(case_record.clients(admin_session)) == 1
    assert case_record.get_client(admin_session, "c-garcia").notes == "Changed"


@pytest.mark.parametrize("query, kind", [("garcia", "client"), ("Majo", "client"), ("TB4-12345", "matter"),
                                         ("Barrio", "matter"), ("Pedro", "client")])
def test_search_finds_names_aliases_file_numbers(admin_session, query: str, kind: str) -> None:
    _seed(admin_session)
    hits = records.search_records(admin_session, query)
    assert any(h.kind == kind for h in hits), hits


def test_search_finds_document_text_and_ignores_fts_syntax(admin_session) -> None:
    from clinic_app.services.evidence import Analysis

    _seed(admin_session)
    evidence.store_document(admin_session, io.BytesIO(b"x"), DocumentMeta(ref="d-psy", title="Assessment"),
                            ["m-garcia-rpd"], analysis=Analysis(text="Symptoms of post-traumatic stress"))
    assert [h.ref for h in records.search_records(admin_session, "traumatic")] == ["d-psy"]
    assert records.search_records(admin_session, 'NEAR( "unbalanced * AND') == []


def test_a_name_typed_decomposed_finds_the_same_client(admin_session) -> None:
    """macOS input and pasted text give "i" + a combining accent; the query was split at the
    accent ("Garci" AND "a") and found nothing, though stored names are composed (NFC)."""
    import unicodedata

    _seed(admin_session)
    composed = [h.ref for h in records.search_records(admin_session, "García")]
    assert composed and "c-garcia" in composed
    assert [h.ref for h in records.search_records(admin_session, unicodedata.normalize("NFD", "García"))] == composed


def test_volunteers_get_letters_but_never_narratives_or_records(role_sessions) -> None:
    with role_sessions("admin") as admin:
        _seed(admin)
        case_record.save_letter(admin, SupportLetter(ref="l-1", matter_ref="m-garcia-rpd", writer="Jean Dupont"))
    with role_sessions("volunteer") as vol:
        assert [x.ref for x in case_record.letters(vol, "m-garcia-rpd")] == ["l-1"]
        case_record.save_letter(vol, SupportLetter(ref="l-2", matter_ref="m-garcia-rpd", writer="Ana Paz"))
        for call in (lambda: case_record.get_client(vol, "c-garcia"), lambda: case_record.clients(vol),
                     lambda: records.show_matter(vol, "m-garcia-rpd"),
                     lambda: case_record.save_client(vol, CLIENT)):
            with pytest.raises(PermissionDenied):
                call()
        assert {h.kind for h in records.search_records(vol, "garcia")} <= {"letter"}
        assert [h.ref for h in records.search_records(vol, "Dupont")] == ["l-1"]
    with role_sessions("staff") as staff:
        assert case_record.get_client(staff, "c-garcia").narrative == CLIENT.narrative


def test_conflict_check_sees_clients_relatives_and_adverse_parties(admin_session) -> None:
    _seed(admin_session)
    found = {m.person.name for m in case_record.conflicts_for(admin_session, "Maria Jose Garcia")}
    assert "María José García López" in found
    assert {m.person.name for m in case_record.conflicts_for(admin_session, "Pedro Garcia")} >= {"Pedro García"}
    assert case_record.conflicts_for(admin_session, "Zhang Xiaoming") == []


def test_document_metadata_edits_are_saved_reindexed_and_validated(admin_session) -> None:
    from clinic_app.errors import UsageError, ValidationError

    _seed(admin_session)
    evidence.store_document(admin_session, io.BytesIO(b"bytes"), DocumentMeta(ref="d-x", title="Scan 0042"),
                            ["m-garcia-rpd"])
    evidence.update_metadata(admin_session, "d-x", title="Birth certificate", doc_date=date(1990, 5, 17),
                             language="es", category=DocumentCategory.IDENTITY)
    doc = rows.load_all(admin_session.vault.conn, DocumentMeta)[0]
    assert (doc.title, doc.doc_date, doc.language, doc.category) == ("Birth certificate", date(1990, 5, 17), "es",
                                                                      DocumentCategory.IDENTITY)
    assert doc.size == 5  # intake facts untouched
    assert [h.ref for h in records.search_records(admin_session, "birth certificate")] == ["d-x"]
    assert records.search_records(admin_session, "Scan 0042") == []
    with pytest.raises(ValidationError):
        evidence.update_metadata(admin_session, "d-x", title="")
    with pytest.raises(UsageError):
        evidence.update_metadata(admin_session, "d-x", sha256="0" * 64)
