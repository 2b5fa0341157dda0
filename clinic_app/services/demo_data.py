"""Fictional matters for the demo vault, one per situation in product.md.

Every person, organisation and number here is invented. Dates are relative to
today so the demo's deadlines are always live.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from clinic_app.domain.client import Client, ContactKind, ContactPoint, Relative
from clinic_app.domain.correspondence import CorrespondenceEntry, Direction
from clinic_app.domain.document import DocumentCategory, DocumentMeta
from clinic_app.domain.identifiers import FileNumbers
from clinic_app.domain.letter import LetterStatus, SupportLetter, TranslationStatus, WriterStatus
from clinic_app.domain.matter import AdverseParty, DecisionMaker, KeyDates, Matter, MatterType, ProceedingLanguage
from clinic_app.domain.translation import TranslationLink


@dataclass(frozen=True)
class DemoDocument:
    meta: DocumentMeta
    matters: tuple[str, ...]
    paragraphs: tuple[str, ...]
    pages: int = 1
    a4: bool = False


def _d(days: int) -> date:
    return date.today() + timedelta(days=days)


def clients() -> list[Client]:
    return [
        Client(ref="c-reyes", legal_name="Ana Lucía Reyes Mejía", aliases=("Lucía Reyes",), public_initials="A.L.R.",
               birth_date=date(1988, 3, 14), country="Honduras", languages=("Spanish (Honduras)",),
               uci="1234-5678", narrative="Fictional: kidnapped and tortured after reporting an extortion; "
               "police officers protected the cartel.",
               contacts=(ContactPoint(ContactKind.PHONE, "+1 416 555 0101", safe_to_contact=True),),
               relatives=(Relative("Rosa Mejía", "mother", country="Honduras", in_country_of_origin=True),)),
        Client(ref="c-paz", legal_name="José Manuel Paz Herrera", public_initials="J.M.P.",
               birth_date=date(1985, 11, 2), country="Honduras", languages=("Spanish",), uci="1234-5679"),
        Client(ref="c-cruz", legal_name="Marvin Alexander Cruz Ramos", birth_date=date(1996, 6, 30),
               country="Honduras", languages=("Spanish",)),
        Client(ref="c-flores", legal_name="Karla Yesenia Flores", birth_date=date(1999, 1, 9),
               country="El Salvador", languages=("Spanish",)),
        Client(ref="c-diallo", legal_name="Moussa Diallo", birth_date=date(1990, 4, 21), country="Guinea",
               languages=("French", "Pular"), uci="12-3456-7890",
               contacts=(ContactPoint(ContactKind.ADDRESS, "Shared apartment, Montréal", do_not_contact=True),)),
        Client(ref="c-petrov", legal_name="Aleksandr Ivanovich Petrov", aliases=("Александр Иванович Петров",),
               birth_date=date(1979, 8, 5), country="Russia", languages=("Russian",), uci="2345-6789"),
        Client(ref="c-li", legal_name="Li Wei", aliases=("李伟",), birth_date=date(1993, 2, 17), country="China",
               languages=("Mandarin",),
               relatives=(Relative("Li Qiang", "brother", location="Toronto", country="Canada",
                                   status_in_canada="permanent resident", include_in_outputs=True),)),
        Client(ref="c-haddad", legal_name="Samir Haddad", birth_date=date(1984, 9, 12), country="Syria",
               languages=("Arabic (Levantine)", "English"), uci="3456-7890"),
    ]


def matters() -> list[Matter]:
    cartel = (AdverseParty("Los Fictitios cartel", "fictional criminal organisation"),)
    return [
        Matter(ref="m-reyes-hc", client_ref="c-reyes", type=MatterType.HC,
               title="Reyes & Paz: humanitarian and compassionate application",
               file_numbers=FileNumbers(uci="1234-5678"), dates=KeyDates(decision=_d(-400), removal=_d(21)),
               counsel="Fictional Counsel", adverse_parties=cartel),
        Matter(ref="m-reyes-deferral", client_ref="c-reyes", type=MatterType.DEFERRAL,
               title="Reyes & Paz: request to defer removal", dates=KeyDates(removal=_d(21)),
               counsel="Fictional Counsel", adverse_parties=cartel),
        Matter(ref="m-cruz-rpd", client_ref="c-cruz", type=MatterType.RPD_CLAIM, title="Cruz: refugee claim",
               file_numbers=FileNumbers(irb="TB5-10001"), dates=KeyDates(referral=_d(-40), hearing=_d(30)),
               counsel="Fictional Counsel"),
        Matter(ref="m-flores-rpd", client_ref="c-flores", type=MatterType.RPD_CLAIM, title="Flores: refugee claim",
               file_numbers=FileNumbers(irb="TB5-10002"), dates=KeyDates(referral=_d(-10), hearing=_d(60)),
               counsel="Fictional Counsel"),
        Matter(ref="m-diallo-deferral", client_ref="c-diallo", type=MatterType.DEFERRAL,
               title="Diallo : demande de report du renvoi", language=ProceedingLanguage.FR,
               dates=KeyDates(removal=_d(4)), counsel="Me Fictive"),
        Matter(ref="m-diallo-stay", client_ref="c-diallo", type=MatterType.STAY_MOTION,
               title="Diallo : requête en sursis", language=ProceedingLanguage.FR,
               file_numbers=FileNumbers(fc="IMM-1234-26"), dates=KeyDates(hearing=_d(3), removal=_d(4)),
               counsel="Me Fictive", decision_maker=DecisionMaker.CBSA),
        Matter(ref="m-petrov-mr", client_ref="c-petrov", type=MatterType.MINISTERIAL_RELIEF,
               title="Petrov: ministerial relief submissions", dates=KeyDates(decision=_d(-200)),
               counsel="Fictional Counsel"),
        Matter(ref="m-li-stca", client_ref="c-li", type=MatterType.STCA, title="Li: STCA family-member exception",
               dates=KeyDates(referral=_d(-2)), counsel="Fictional Counsel"),
        Matter(ref="m-haddad-mandamus", client_ref="c-haddad", type=MatterType.MANDAMUS,
               title="Haddad: mandamus, permanent residence stalled in security screening",
               file_numbers=FileNumbers(uci="3456-7890", fc="IMM-2468-26", ircc="E000123456"),
               counsel="Fictional Counsel", decision_maker=DecisionMaker.IRCC),
    ]


def documents() -> list[DemoDocument]:
    cat = DocumentCategory
    return [
        DemoDocument(DocumentMeta(ref="d-hn-report", title="Honduras: country conditions 2025 (fictional)",
                                  source="Fictional Human Rights Watchers", doc_date=_d(-120), language="en",
                                  category=cat.COUNTRY_CONDITIONS, tags=("hardship_country_conditions",)),
                     ("m-reyes-hc", "m-cruz-rpd", "m-flores-rpd"),
                     ("Fictional report: extortion by criminal groups and complicity of local police.",), pages=6),
        DemoDocument(DocumentMeta(ref="d-reyes-psych", title="Psychological assessment of A.L.R.",
                                  source="Dr. Fictional Tremblay", doc_date=_d(-30), language="en",
                                  category=cat.PSYCHOLOGICAL, tags=("health",)),
                     ("m-reyes-hc", "m-reyes-deferral"), ("Fictional: symptoms consistent with PTSD.",), pages=3),
        DemoDocument(DocumentMeta(ref="d-reyes-noa", title="CRA notice of assessment 2025 (fictional)",
                                  source="Canada Revenue Agency", doc_date=_d(-200), language="en",
                                  category=cat.TAX, tags=("establishment",)),
                     ("m-reyes-hc",), ("Fictional notice of assessment.",)),
        DemoDocument(DocumentMeta(ref="d-diallo-mariage", title="Preuve de mariage (demande en cours)",
                                  source="Ville de Montréal (fictif)", doc_date=_d(-15), language="fr",
                                  category=cat.IDENTITY, tags=("family_ties",)),
                     ("m-diallo-deferral", "m-diallo-stay"),
                     ("Document fictif : le certificat de mariage est retardé.",)),
        DemoDocument(DocumentMeta(ref="d-petrov-military", title="Военный билет (military service record)",
                                  source="Fictional military commissariat", doc_date=date(2001, 5, 1),
                                  language="ru", category=cat.IDENTITY),
                     ("m-petrov-mr",), ("Вымышленный документ: срочная служба 1998-2000.",), pages=2, a4=True),
        DemoDocument(DocumentMeta(ref="d-petrov-military-en", title="Military service record (translation)",
                                  source="Fictional Translations Inc.", doc_date=_d(-60), language="en",
                                  category=cat.TRANSLATION),
                     ("m-petrov-mr",), ("Fictional translation: compulsory service 1998-2000.",), pages=2),
        DemoDocument(DocumentMeta(ref="d-petrov-military-decl", title="Translator's declaration",
                                  source="Fictional Translations Inc.", doc_date=_d(-60), language="en",
                                  category=cat.DECLARATION),
                     ("m-petrov-mr",), ("I, a fictional translator, declare this translation accurate.",)),
        DemoDocument(DocumentMeta(ref="d-li-brother-pr", title="Brother's permanent resident card (fictional)",
                                  source="IRCC", doc_date=_d(-900), language="en", category=cat.IDENTITY,
                                  tags=("family_ties",)),
                     ("m-li-stca",), ("Fictional PR card of Li Qiang (李强).",)),
    ]


def _mandamus(ref: str, title: str, category: DocumentCategory, tags: tuple[str, ...], days: int,
              text: str, source: str = "Immigration, Refugees and Citizenship Canada") -> DemoDocument:
    meta = DocumentMeta(ref=ref, title=title, source=source, doc_date=_d(days), language="en", category=category,
                        tags=tags)
    return DemoDocument(meta, ("m-haddad-mandamus",), (text,))


def mandamus_documents() -> list[DemoDocument]:
    """A protected person's permanent residence application, stalled for years in security screening."""
    cat = DocumentCategory
    return [
        _mandamus("d-haddad-application", "Application for permanent residence (protected person), as sent",
                  cat.FORM, ("application",), -1460, "Fictional application, sent by mail.", "Samir Haddad"),
        _mandamus("d-haddad-aor", "Acknowledgement of receipt", cat.NOTICE, ("acknowledgement",), -1420,
                  "Fictional: your application was received and is complete."),
        _mandamus("d-haddad-webform", "Web form: request for an update", cat.CORRESPONDENCE, ("follow_up",), -700,
                  "Fictional web form asking when a decision will be made.", "Fictional Counsel"),
        _mandamus("d-haddad-reply", "Reply: background check in progress", cat.CORRESPONDENCE, (), -690,
                  "Fictional: your application is undergoing routine background checks."),
        _mandamus("d-haddad-gcms", "GCMS notes obtained by access to information", cat.OTHER, ("gcms", "atip"), -120,
                  "Fictional notes: security screening referred; no action recorded for 30 months."),
        _mandamus("d-haddad-demand", "Demand for a decision within 30 days", cat.CORRESPONDENCE, ("follow_up",), -60,
                  "Fictional demand letter before an application for mandamus.", "Fictional Counsel"),
        _mandamus("d-haddad-aljr", "Application for leave and for judicial review (Form IR-1), signed", cat.FORM,
                  ("aljr",), -30, "Fictional application seeking an order of mandamus.", "Fictional Counsel"),
        _mandamus("d-haddad-affidavit", "Affidavit of Samir Haddad, sworn", cat.LEGAL, ("affidavit",), -28,
                  "Fictional sworn affidavit setting out the delay.", "Samir Haddad"),
        _mandamus("d-haddad-memo", "Memorandum of argument", cat.LEGAL, ("memorandum",), -20,
                  "Fictional memorandum on the Apotex test.", "Fictional Counsel"),
        _mandamus("d-haddad-service", "Affidavit of service, sworn", cat.LEGAL, ("affidavit_of_service",), -19,
                  "Fictional affidavit of service on the respondent.", "Fictional Counsel"),
    ]


def correspondence() -> list[tuple[str, CorrespondenceEntry]]:
    """(matter ref, entry): the mandamus matter's log, from which its delay chronology is drawn."""
    ircc = "IRCC Case Processing Centre"
    rows = [
        (-1460, Direction.SENT, ircc, "Application for permanent residence", "d-haddad-application"),
        (-1420, Direction.RECEIVED, ircc, "Acknowledgement of receipt", "d-haddad-aor"),
        (-700, Direction.SENT, "IRCC web form", "Request for an update", "d-haddad-webform"),
        (-690, Direction.RECEIVED, ircc, "Background check in progress", "d-haddad-reply"),
        (-200, Direction.SENT, "IRCC ATIP office", "Access to information request for the GCMS notes", None),
        (-120, Direction.RECEIVED, "IRCC ATIP office", "GCMS notes", "d-haddad-gcms"),
        (-60, Direction.SENT, ircc, "Demand for a decision within 30 days", "d-haddad-demand"),
    ]
    return [("m-haddad-mandamus", CorrespondenceEntry(f"c-demo-{n}", _d(days), way, party, subject, doc))
            for n, (days, way, party, subject, doc) in enumerate(rows, start=1)]


def translations() -> list[TranslationLink]:
    return [TranslationLink("d-petrov-military", "d-petrov-military-en", "d-petrov-military-decl")]


def letters() -> list[SupportLetter]:
    base = dict(matter_ref="m-reyes-hc", language="en", writer_status=WriterStatus.CITIZEN)
    return [
        SupportLetter(ref="l-reyes-1", writer="Fictional School Principal", relationship="children's school",
                      organisation="Fictional Public School", letter_date=_d(-20), signed=True,
                      themes=("community", "family"), key_quote="An active, caring parent.",
                      status=LetterStatus.READY_TO_FILE, **base),  # type: ignore[arg-type]
        SupportLetter(ref="l-reyes-2", writer="Fictional Employer", relationship="employer since 2022",
                      organisation="Fictional Bakery Ltd.", letter_date=_d(-12), signed=True,
                      themes=("employment",), key_quote="Our most reliable baker.",
                      status=LetterStatus.REVIEWED, **base),  # type: ignore[arg-type]
        SupportLetter(ref="l-reyes-3", writer="Fictional Food Bank Coordinator", relationship="volunteer coordinator",
                      organisation="Fictional Food Bank", themes=("volunteering",),
                      status=LetterStatus.REQUESTED, **base),  # type: ignore[arg-type]
        SupportLetter(ref="l-reyes-4", matter_ref="m-reyes-hc", writer="Fictional Neighbour", relationship="friend",
                      language="es", translation_status=TranslationStatus.NEEDED, themes=("community",),
                      status=LetterStatus.RECEIVED, writer_status=WriterStatus.PERMANENT_RESIDENT),
    ]


def bundles() -> list[tuple[str, str, str, list[tuple[str, list[tuple[str, str]]]], list[str]]]:
    """(ref, matter ref, title, [(section title, [(document ref, pages)])], reference-only citations)."""
    return [
        ("b-cruz-disclosure", "m-cruz-rpd", "Claimant's Disclosure",
         [("Country conditions", [("d-hn-report", "1-3")])], ["NDP Honduras (fictional), item 7.3"]),
        ("b-petrov-mr", "m-petrov-mr", "Ministerial relief submissions: evidence",
         [("", [("d-petrov-military", "")])], []),
        ("b-reyes-hc", "m-reyes-hc", "H&C application: evidence",
         [("Establishment", [("d-reyes-noa", "")]), ("Health", [("d-reyes-psych", "")]),
          ("Country conditions", [("d-hn-report", "")])], []),
    ]
