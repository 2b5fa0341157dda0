"""Fixture matters, one per package type, with every required item present.

Every document is a real one-page PDF whose text says `MARK-<ref>`, so a built
package can be read back and each page traced to the document it came from.
All names and numbers are fictional.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, timedelta

from reportlab.pdfgen import canvas

from clinic_app.domain.client import Client, ContactKind, ContactPoint, Relative
from clinic_app.domain.document import DocumentCategory as C
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.identifiers import FileNumbers
from clinic_app.domain.letter import LetterStatus, SupportLetter, TranslationStatus
from clinic_app.domain.matter import KeyDates, Matter, MatterType
from clinic_app.domain.translation import TranslationLink
from clinic_app.services import case_record, evidence

TODAY = date.today()


def d(days: int) -> date:
    return TODAY + timedelta(days=days)


def marker_pdf(ref: str, pages: int = 1) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    for n in range(1, pages + 1):
        c.setFont("Helvetica", 12)
        c.drawString(72, 400, f"MARK-{ref}-p{n}")
        c.showPage()
    c.save()
    return buf.getvalue()


@dataclass
class Case:
    client: Client
    matter: Matter
    package: str
    docs: list[DocumentMeta] = field(default_factory=list)
    links: list[TranslationLink] = field(default_factory=list)
    letters: list[SupportLetter] = field(default_factory=list)


def doc(ref: str, title: str, category: C = C.OTHER, tags: tuple[str, ...] = (), lang: str = "en",
        when: date | None = None) -> DocumentMeta:
    return DocumentMeta(ref=ref, title=title, category=category, tags=tags, language=lang,
                        doc_date=when or d(-30), source="Fictional source")


def letter(ref: str, matter: str, writer: str, doc_ref: str, themes: tuple[str, ...],
           status: LetterStatus = LetterStatus.READY_TO_FILE, **kw: object) -> SupportLetter:
    return SupportLetter(ref=ref, matter_ref=matter, writer=writer, document_ref=doc_ref, themes=themes,
                         status=status, signed=True, letter_date=d(-20), **kw)  # type: ignore[arg-type]


GARCIA = Client(ref="c-garcia", legal_name="María José García López", public_initials="M.J.G.", country="Honduras",
                uci="12-3456-7890",
                contacts=(ContactPoint(ContactKind.ADDRESS, "QXZ Shelter Street 12", do_not_contact=True),
                          ContactPoint(ContactKind.PHONE, "+1 514 555 0199", safe_to_contact=True)),
                relatives=(Relative("Pedro QXZHIDDEN García", "brother", country="Honduras",
                                    in_country_of_origin=True),))
DIALLO = Client(ref="c-diallo", legal_name="Moussa Diallo", country="Guinée", uci="1234-5678")
REYES = Client(ref="c-reyes", legal_name="Ana Lucía Reyes Mejía", public_initials="A.L.R.", uci="1234-5679")
PETROV = Client(ref="c-petrov", legal_name="Aleksandr Petrov", uci="2345-6789")
LI = Client(ref="c-li", legal_name="Li Wei", uci="2345-6790",
            relatives=(Relative("Li Qiang", "brother", status_in_canada="permanent resident", include_in_outputs=True),
                       Relative("QXZSECRET Li", "sister", in_country_of_origin=True)))
COUNSEL = "Me Tremblay"


def cases() -> list[Case]:
    out = []
    m = Matter(ref="m-rpd", client_ref="c-garcia", type=MatterType.RPD_CLAIM, title="García: claim",
               file_numbers=FileNumbers(uci="12-3456-7890", irb="TB4-12345"), counsel=COUNSEL,
               dates=KeyDates(referral=d(-60), hearing=d(40)))
    out.append(Case(GARCIA, m, "rpd_disclosure", [
        doc("d-rpd-id", "Cédula de identidad", C.IDENTITY, lang="es"),
        doc("d-rpd-id-en", "Identity card (translation)", C.TRANSLATION),
        doc("d-rpd-id-decl", "Translator's declaration", C.DECLARATION),
        doc("d-rpd-police", "Police report", C.POLICE),
        doc("d-rpd-country", "Honduras country report", C.COUNTRY_CONDITIONS),
        doc("d-rpd-l1", "Letter scan", C.SUPPORT_LETTER),
        doc("d-rpd-service", "Statement of service (signed)", C.LEGAL, ("service_statement",)),
    ], [TranslationLink("d-rpd-id", "d-rpd-id-en", "d-rpd-id-decl")],
        [letter("l-rpd-1", "m-rpd", "Jean Dupont", "d-rpd-l1", ("community",), relationship="neighbour")]))

    m = Matter(ref="m-rad", client_ref="c-garcia", type=MatterType.RAD_APPEAL, title="García: appeal",
               file_numbers=FileNumbers(irb="TB4-22222"), counsel=COUNSEL, dates=KeyDates(decision=d(-20),
                                                                                          reasons_received=d(-10)))
    out.append(Case(GARCIA, m, "rad_record", [
        doc("d-rad-stmt", "Written statement", C.LEGAL, ("rad_statement",)),
        doc("d-rad-new", "New police report", C.POLICE, ("new_evidence",)),
        doc("d-rad-auth", "Case law", C.LEGAL, ("authorities",)),
        doc("d-rad-memo", "Memorandum", C.LEGAL, ("memorandum",)),
    ]))

    m = Matter(ref="m-fc", client_ref="c-garcia", type=MatterType.FC_JR, title="García: JR",
               file_numbers=FileNumbers(fc="IMM-1234-26"), counsel=COUNSEL, dates=KeyDates(decision=d(-10)))
    out.append(Case(GARCIA, m, "fc_record", [
        doc("d-fc-aljr", "Application for leave", C.LEGAL, ("aljr",)),
        doc("d-fc-dec", "RAD decision", C.LEGAL, ("decision",)),
        doc("d-fc-reasons", "RAD reasons", C.LEGAL, ("reasons",)),
        doc("d-fc-aff", "Affidavit of the applicant", C.DECLARATION, ("affidavit",)),
        doc("d-fc-exh", "Country report (exhibit)", C.COUNTRY_CONDITIONS),
        doc("d-fc-memo", "Memorandum of argument", C.LEGAL, ("memorandum",)),
        doc("d-fc-aos", "Affidavit of service (sworn)", C.LEGAL, ("affidavit_of_service",)),
    ]))

    m = Matter(ref="m-stay", client_ref="c-diallo", type=MatterType.STAY_MOTION, title="Diallo : sursis",
               language="fr", file_numbers=FileNumbers(fc="IMM-2345-26"), counsel="Me Fictive",
               dates=KeyDates(hearing=d(10), removal=d(12)))
    out.append(Case(DIALLO, m, "stay_motion", [
        doc("d-stay-notice", "Avis de requête", C.LEGAL, ("notice_of_motion",), "fr"),
        doc("d-stay-aff", "Affidavit du demandeur", C.DECLARATION, ("affidavit",), "fr"),
        doc("d-stay-dec", "Refus de report", C.LEGAL, ("deferral_refusal",), "fr"),
        doc("d-stay-dir", "Directive de se présenter", C.LEGAL, ("removal_direction",), "fr"),
        doc("d-stay-aljr", "Demande d'autorisation", C.LEGAL, ("aljr",), "fr"),
        doc("d-stay-mariage", "Preuve de mariage", C.IDENTITY, lang="fr"),
        doc("d-stay-memo", "Mémoire des faits et du droit", C.LEGAL, ("memorandum",), "fr"),
        doc("d-stay-aos", "Affidavit de signification", C.LEGAL, ("affidavit_of_service",), "fr"),
    ]))

    m = Matter(ref="m-hc", client_ref="c-reyes", type=MatterType.HC, title="Reyes: H&C",
               file_numbers=FileNumbers(uci="1234-5679"), counsel=COUNSEL, dates=KeyDates(decision=d(-400)))
    forms = [doc(f"d-hc-{n}", f"Form {n.upper()} (signed)", C.OTHER, (n,))
             for n in ("imm5280", "imm0008", "imm5669", "imm5406", "imm5283", "imm5476")]
    out.append(Case(REYES, m, "hc_application", forms + [
        doc("d-hc-photos", "Photos", C.PHOTO),
        doc("d-hc-passport", "Passport pages", C.IDENTITY, ("passport",)),
        doc("d-hc-status", "Work permit", C.IDENTITY, ("status_proof",)),
        doc("d-hc-fees", "Fee receipt", C.OTHER, ("fee_receipt",)),
        doc("d-hc-subs", "Submissions (final)", C.LEGAL, ("submissions",)),
        doc("d-hc-noa", "CRA notice of assessment 2025", C.TAX, ("establishment",)),
        doc("d-hc-school", "School report of the child", C.EDUCATION, ("best_interests_child",)),
        doc("d-hc-report", "Country conditions report", C.COUNTRY_CONDITIONS),
        doc("d-hc-psych", "Psychological assessment", C.PSYCHOLOGICAL),
        doc("d-hc-l1", "Employer letter scan", C.SUPPORT_LETTER),
        doc("d-hc-l2", "Family letter scan", C.SUPPORT_LETTER),
        doc("d-hc-l3", "Pending letter scan", C.SUPPORT_LETTER),
    ], [], [
        letter("l-hc-emp", "m-hc", "Bob Employer", "d-hc-l1", ("employment",), relationship="employer",
               key_quote="Reliable and kind."),
        letter("l-hc-fam", "m-hc", "Carla Cousin", "d-hc-l2", ("family",), relationship="cousin"),
        letter("l-hc-pend", "m-hc", "Dan Pending", "d-hc-l3", ("community",), status=LetterStatus.RECEIVED),
    ]))

    m = Matter(ref="m-prra", client_ref="c-garcia", type=MatterType.PRRA, title="García: PRRA",
               file_numbers=FileNumbers(uci="12-3456-7890"), counsel=COUNSEL, dates=KeyDates(notification=d(-5)))
    out.append(Case(GARCIA, m, "prra_submissions", [
        doc("d-prra-form", "IMM 5508 (signed)", C.OTHER, ("imm5508",)),
        doc("d-prra-5476", "IMM 5476 (signed)", C.OTHER, ("imm5476",)),
        doc("d-prra-subs", "PRRA submissions", C.LEGAL, ("submissions",)),
        doc("d-prra-new", "New threat letter", C.CORRESPONDENCE, ("new_evidence",)),
        doc("d-prra-country", "Country report 2026", C.COUNTRY_CONDITIONS),
    ]))

    m = Matter(ref="m-def", client_ref="c-reyes", type=MatterType.DEFERRAL, title="Reyes: deferral",
               file_numbers=FileNumbers(uci="1234-5679"), counsel=COUNSEL, dates=KeyDates(removal=d(21)))
    out.append(Case(REYES, m, "deferral_request", [
        doc("d-def-req", "Deferral request (signed)", C.LEGAL, ("deferral_request",)),
        doc("d-def-dir", "Direction to report", C.LEGAL, ("removal_direction",)),
        doc("d-def-med", "Medical report", C.MEDICAL),
        doc("d-def-hc", "H&C acknowledgment of receipt", C.CORRESPONDENCE, ("hc_receipt",)),
    ]))

    m = Matter(ref="m-mr", client_ref="c-petrov", type=MatterType.MINISTERIAL_RELIEF, title="Petrov: relief",
               file_numbers=FileNumbers(uci="2345-6789"), counsel=COUNSEL, dates=KeyDates(decision=d(-200)))
    out.append(Case(PETROV, m, "ministerial_relief", [
        doc("d-mr-form", "BSF766 (signed)", C.OTHER, ("bsf766",)),
        doc("d-mr-subs", "Submissions by ground", C.LEGAL, ("submissions",)),
        doc("d-mr-mil", "Военный билет", C.EMPLOYMENT, ("military_service",), "ru"),
        doc("d-mr-mil-en", "Military record (translation)", C.TRANSLATION),
        doc("d-mr-mil-decl", "Translator's declaration", C.DECLARATION),
    ], [TranslationLink("d-mr-mil", "d-mr-mil-en", "d-mr-mil-decl")]))

    m = Matter(ref="m-stca", client_ref="c-li", type=MatterType.STCA, title="Li: STCA",
               file_numbers=FileNumbers(uci="2345-6790"), counsel=COUNSEL, dates=KeyDates(referral=d(-2)))
    out.append(Case(LI, m, "stca_exception", [
        doc("d-stca-status", "PR card of the brother", C.IDENTITY, ("anchor_status",)),
        doc("d-stca-anchor-id", "Brother's passport", C.IDENTITY, ("anchor_identity",)),
        doc("d-stca-birth", "Birth certificates", C.IDENTITY, ("relationship_proof",)),
    ]))
    return out


def seed(session, selected: list[Case] | None = None) -> list[Case]:  # type: ignore[no-untyped-def]
    """Store the cases in the vault behind `session` (clients once)."""
    chosen = selected or cases()
    clients = {c.client.ref: c.client for c in chosen}
    for client in clients.values():
        case_record.save_client(session, client)
    for case in chosen:
        case_record.save_matter(session, case.matter)
        for meta in case.docs:
            # intake records page counts; the ministerial relief case leaves them unknown (the engine counts)
            analysis = evidence.Analysis(page_count=None if case.package == "ministerial_relief" else 1)
            evidence.store_document(session, io.BytesIO(marker_pdf(meta.ref)), meta, [case.matter.ref],
                                    original_filename="scan.pdf", analysis=analysis)
        for link in case.links:
            case_record.link_translation(session, link)
        for x in case.letters:
            case_record.save_letter(session, x)
    return chosen


__all__ = ["Case", "TODAY", "TranslationStatus", "cases", "d", "doc", "letter", "marker_pdf", "seed"]
