"""Generated documents: language of the matter, drafts marked as drafts, evidence tables by
factor, safety rules (initials, relatives, contacts), literal text, deterministic bytes."""

from __future__ import annotations

from datetime import date

import pytest

from clinic_app.domain.client import Client, ContactKind, ContactPoint, Relative
from clinic_app.domain.document import DocumentCategory, DocumentMeta
from clinic_app.domain.matter import KeyDates, Matter, MatterType
from clinic_app.domain.packages import Generated, get_package, output_context
from clinic_app.pdf.generated import guidance, render
from clinic_app.services import packages
from clinic_app.vault import records

from .seed import TODAY


def _text(readback, data: bytes) -> str:  # type: ignore[no-untyped-def]
    rb = readback(data)
    both = rb.all_text() + "\n" + rb.pypdf_text()
    return " ".join(both.split())


def _render(seeded, tmp_path, readback, matter: str, kind: str, package: str | None = None) -> str:  # type: ignore[no-untyped-def]
    out = tmp_path / f"{kind}.pdf"
    packages.render_document(seeded.session, matter, kind, out, package=package, today=TODAY)
    return _text(readback, out.read_bytes())


def test_french_stay_motion_drafts_are_in_french(seeded, tmp_path, readback, french_catalog) -> None:
    text = _render(seeded, tmp_path, readback, "m-stay", "affidavit_of_service")
    for needle in ("COUR FÉDÉRALE", "Affidavit de signification", "PROJET", "Moussa Diallo", "IMM-2345-26",
                   "Parties défenderesses", "Commissaire à l'assermentation", "Dossier de requête"):
        assert needle in text, needle
    assert "Federal Court" not in text and "DRAFT" not in text
    letter = _render(seeded, tmp_path, readback, "m-stay", "cover_letter")
    assert "Madame, Monsieur" in letter and "Renvoi prévu" in letter and "Cour fédérale" in letter


def test_translator_declaration_and_affidavit(seeded, tmp_path, readback, french_catalog) -> None:
    text = _render(seeded, tmp_path, readback, "m-rpd", "translator_declaration")
    assert "Translator's declaration" in text and "DRAFT" in text
    assert "from Spanish into English" in text and "Cédula de identidad" in text and "M.J.G." in text
    text = _render(seeded, tmp_path, readback, "m-mr", "translator_affidavit")
    assert "Affidavit of translator" in text and "fluent in Russian and in English" in text
    assert "Военный билет" in text and "Commissioner for taking affidavits" in text


def test_statement_of_service_and_drafts_stay_out_of_the_vault(seeded, tmp_path, readback, french_catalog) -> None:
    conn = seeded.session.vault.conn
    before = records.count(conn, "documents")
    text = _render(seeded, tmp_path, readback, "m-rpd", "service_statement")
    assert "Statement of service" in text and "Me Tremblay" in text and "M.J.G." in text and "DRAFT" in text
    assert records.count(conn, "documents") == before


def test_hc_skeleton_and_index_organise_evidence_by_factor(seeded, tmp_path, readback, french_catalog) -> None:
    text = _render(seeded, tmp_path, readback, "m-hc", "hc_submissions")
    order = [text.index(h) for h in ("Establishment in Canada", "Best interests of the child",
                                     "Hardship and country conditions", "Family ties", "Health")]
    assert order == sorted(order)
    section = text[order[0]:order[1]]
    assert "CRA notice of assessment 2025" in section and "Letter from Bob Employer" in section
    assert "Reliable and kind." in section and "Dan Pending" not in text
    assert "School report of the child" in text[order[1]:order[2]]
    assert "Psychological assessment" in text[order[4]:]
    assert "Kanthasamy" in text and "DRAFT" in text
    index = _render(seeded, tmp_path, readback, "m-hc", "hc_evidence_index")
    assert "DRAFT" not in index and "CRA notice of assessment 2025" in index


def test_deferral_skeleton_lists_evidence_per_ground(seeded, tmp_path, readback, french_catalog) -> None:
    text = _render(seeded, tmp_path, readback, "m-def", "deferral_request")
    medical, pending = text.index("Medical grounds"), text.index("Pending applications")
    assert "Medical report" in text[medical:pending]
    assert "H&C acknowledgment of receipt" in text[pending:]
    assert "A.L.R." in text and "Baron" in text and "DRAFT" in text


def test_guidance_sheet_in_three_languages(readback, french_catalog) -> None:
    assert "Please include" in _text(readback, guidance.letter_guidance("en"))
    assert "Veuillez indiquer" in _text(readback, guidance.letter_guidance("fr"))
    spanish = _text(readback, guidance.letter_guidance("es"))
    assert "Por favor, incluya" in spanish and "Cómo escribir una carta de apoyo" in spanish
    assert set(guidance.SPANISH) == {guidance.TITLE} | {m for _k, m in guidance.SHEET}
    with pytest.raises(ValueError):
        guidance.letter_guidance("de")


def _context(client: Client, counsel: str = ""):  # type: ignore[no-untyped-def]
    matter = Matter(ref="m-x", client_ref=client.ref, type=MatterType.STCA, title="Secret title QXZTITLE",
                    counsel=counsel, dates=KeyDates(referral=date(2026, 1, 5)))
    package = get_package("stca_exception")
    docs = [DocumentMeta(ref="d-x", title="Título <b>bold</b> & <font name='x'>", category=DocumentCategory.IDENTITY)]
    return output_context(matter, client, forum=package.forum, today=date(2026, 1, 10), package=package,
                          documents=docs)


def test_user_text_stays_literal_and_safety_rules_hold(readback) -> None:
    client = Client(ref="c-x", legal_name="Ana <b>Pérez</b> & 李伟", narrative="QXZNARRATIVE",
                    contacts=(ContactPoint(ContactKind.ADDRESS, "12 Safe Street", safe_to_contact=True),
                              ContactPoint(ContactKind.PHONE, "555 0000 QXZ", do_not_contact=True)),
                    relatives=(Relative("Shown Brother", "brother", status_in_canada="citizen",
                                        include_in_outputs=True),
                               Relative("QXZHIDDEN Mother", "mother", in_country_of_origin=True)))
    ctx = _context(client)
    data = render(Generated.COVER_LETTER, ctx)
    assert render(Generated.COVER_LETTER, ctx) == data  # deterministic
    text = _text(readback, data)
    assert "Ana <b>Pérez</b> & 李伟" in text  # shown literally, CJK included: no initials chosen
    assert "Address for correspondence: 12 Safe Street" in text and "Shown Brother" in text
    for secret in ("QXZ", "QXZTITLE", "QXZNARRATIVE", "555 0000"):
        assert secret not in text
    for kind in Generated:
        out = _text(readback, render(kind, ctx))
        assert "QXZ" not in out, kind
    with_counsel = _text(readback, render(Generated.COVER_LETTER, _context(client, counsel="Me X")))
    assert "12 Safe Street" not in with_counsel  # correspondence goes to counsel


def test_initials_replace_a_withheld_name(readback) -> None:
    client = Client(ref="c-y", legal_name="María José García López", public_initials="M.J.G.")
    text = _text(readback, render(Generated.COVER_LETTER, _context(client)))
    assert "M.J.G." in text and "García" not in text and "María" not in text
