"""Records for the IRB and the Federal Court: RPD disclosure, RAD appellant's record,
Federal Court applicant's record, stay motion record and mandamus record.

Section order and citations follow docs/domain-rules.md section 3. The order of a
record is fixed by rule (RAD r. 3(3), IMM r. 10(2), FCR 364(2)): a record filed in
another order can be refused, so nothing here is sorted or reordered at build time.
"""

from __future__ import annotations

from clinic_app.domain.document import DocumentCategory as C
from clinic_app.domain.matter import MatterType
from clinic_app.domain.packages.model import Forum, Generated, Item, PackageDef, PackageType, Section, Source
from clinic_app.i18n import N_

EVIDENCE = (C.POLICE, C.MEDICAL, C.PSYCHOLOGICAL, C.LEGAL, C.CORRESPONDENCE, C.PHOTO, C.EDUCATION,
            C.EMPLOYMENT, C.TAX)
D, A, L, G = Source.DOCUMENT, Source.ATTACHED, Source.LETTERS, Source.GENERATED

RPD_DISCLOSURE = PackageDef(
    type=PackageType.RPD_DISCLOSURE, title=N_("Disclosure of documents"), forum=Forum.RPD,
    matter_types=(MatterType.RPD_CLAIM,),
    citation="RPD Rules r. 31-35",
    deadline_rules=("rpd.disclosure",), exhibit_marks="numbers",
    notes=(N_("Number all pages consecutively as if one document; 12-point type, letter size (RPD r. 31)."),
           N_("Serve the Minister first if the Minister is a party, then provide the RPD (r. 34)."),
           N_("Bring the originals of identity documents to the hearing.")),
    sections=(
        Section("cover", N_("Cover letter"), "", (
            Item("cover_letter", N_("Cover letter"), G, generated=Generated.COVER_LETTER),)),
        Section("identity", N_("Identity documents"), "RPD Rules r. 11", (
            Item("identity", N_("Documents establishing identity"), D, required=False, recommended=True,
                 categories=(C.IDENTITY,), tags=("passport", "identity"), citation="RPD Rules r. 11",
                 note=N_("Provide identity documents or explain why you cannot (r. 11).")),)),
        Section("evidence", N_("Documents supporting the claim"), "RPD Rules r. 31, 35", (
            Item("evidence", N_("Personal documents"), D, required=False, categories=EVIDENCE,
                 tags=("evidence",), citation="RPD Rules r. 35",
                 note=N_("Relevant and not duplicated (r. 35).")),
            Item("other", N_("Other documents"), D, required=False, catch_all=True),)),
        Section("country", N_("Country condition documents"), "RPD Rules r. 31, 35", (
            Item("country", N_("Country condition documents"), D, required=False,
                 categories=(C.COUNTRY_CONDITIONS,), tags=("country_conditions",),
                 note=N_("Items of the National Documentation Package are already before the RPD: cite them, "
                         "do not resubmit them.")),)),
        Section("letters", N_("Support letters"), "", (
            Item("letters", N_("Support letters ready to file"), L, required=False),)),
        Section("service", N_("Proof of service"), "RPD Rules r. 34(2)", (
            Item("service", N_("Statement of how and when the documents were served on the Minister"), A,
                 required=False, recommended=True, signed=True, draft=Generated.SERVICE_STATEMENT,
                 tags=("service_statement",), citation="RPD Rules r. 34(2)",
                 note=N_("Needed when the Minister is a party.")),)),
    ),
)

RAD_RECORD = PackageDef(
    type=PackageType.RAD_RECORD, title=N_("Appellant's record"), forum=Forum.RAD,
    matter_types=(MatterType.RAD_APPEAL,),
    citation="RAD Rules r. 3(3)",
    deadline_rules=("rad.record",), exhibit_marks="numbers",
    notes=(N_("Do not resubmit evidence that was before the RPD (Basis of Claim form, National "
              "Documentation Package)."),),
    sections=(
        Section("rpd_decision", N_("RPD notice of decision and written reasons"), "RAD Rules r. 3(3)(a)", (
            Item("rpd_decision", N_("RPD notice of decision and written reasons"), A, required=False,
                 tags=("rpd_decision", "rpd_reasons"), categories=(C.DECISION, C.NOTICE), citation="RAD Rules r. 3(3)(a)",
                 note=N_("Not required since 10 September 2018: the RAD obtains them from the RPD.")),)),
        Section("transcript", N_("Transcript of the RPD hearing"), "RAD Rules r. 3(3)(b)", (
            Item("transcript", N_("Transcript of all or part of the RPD hearing"), D, required=False,
                 tags=("transcript",), citation="RAD Rules r. 3(3)(b)"),
            Item("transcriber_declaration", N_("Transcriber's declaration"), A, required=False, signed=True,
                 required_with="transcript", tags=("transcriber_declaration",), citation="RAD Rules r. 3(3)(b)",
                 note=N_("The transcriber's name and a statement that the transcript is accurate.")),)),
        Section("refused", N_("Documents the RPD refused to accept"), "RAD Rules r. 3(3)(c)", (
            Item("refused", N_("Documents the RPD refused to accept as evidence"), D, required=False,
                 tags=("refused_by_rpd",), citation="RAD Rules r. 3(3)(c)"),)),
        Section("statement", N_("Written statement"), "RAD Rules r. 3(3)(d); IRPA s. 110(4), 110(6)", (
            Item("statement", N_("Statement on new evidence, request for a hearing and interpreter"), A,
                 tags=("rad_statement",), citation="RAD Rules r. 3(3)(d)",
                 note=N_("Whether new evidence is relied on (IRPA 110(4)), whether a hearing is requested "
                         "(110(6)), and the interpreter's language and dialect.")),)),
        Section("evidence", N_("Documentary evidence"), "RAD Rules r. 3(3)(e)", (
            Item("new_evidence", N_("Documentary evidence relied on in the appeal"), D, required=False,
                 categories=EVIDENCE + (C.COUNTRY_CONDITIONS, C.IDENTITY), tags=("new_evidence",),
                 citation="RAD Rules r. 3(3)(e)"),
            Item("letters", N_("Support letters ready to file"), L, required=False),
            Item("other", N_("Other documents"), D, required=False, catch_all=True),)),
        Section("authorities", N_("Case law and legislation"), "RAD Rules r. 3(3)(f)", (
            Item("authorities", N_("Case law and legislation relied on"), D, required=False,
                 tags=("authorities", "case_law"), citation="RAD Rules r. 3(3)(f)"),)),
        Section("memorandum", N_("Memorandum"), "RAD Rules r. 3(3)(g)", (
            Item("memorandum", N_("Memorandum of the appellant"), A, tags=("memorandum",),
                 citation="RAD Rules r. 3(3)(g)", page_limit=30, page_limit_citation="RAD Rules r. 3(3)(g)",
                 note=N_("Show the errors and where they are in the reasons, the transcript or the recording.")),)),
    ),
)

# Federal Court records: documentary evidence comes in as exhibits to an affidavit (IMM
# Rules r. 12(1); FCR r. 364(2)(c)), never as loose tabs: every evidence item below is an
# exhibit item, laid out after the affidavit and marked A, B, C (layout.py).
AFFIDAVIT_NOTE = N_("The applicant's affidavit, sworn: its exhibits (the evidence below) follow it, marked A, B, C.")
FC_MEMO_LIMIT = dict(page_limit=30, page_limit_citation="FCR r. 70(4)")


def imm_aljr(title: str = N_("Application for leave and for judicial review"), note: str = "") -> Section:
    """IMM Rules r. 10(2)(a)(i): the application for leave, signed (Form IR-1)."""
    return Section("aljr", N_("Application for leave and for judicial review"), "IMM Rules r. 10(2)(a)(i)", (
        Item("aljr", title, A, signed=True, form="Form IR-1", tags=("aljr",), categories=(C.FORM, C.LEGAL),
             citation="IMM Rules r. 5, r. 10(2)(a)(i)", note=note),))


# IMM Rules r. 10(2)(a)(vii) and proof of service: the last two sections of an applicant's record.
IMM_CLOSING = (
    Section("language", N_("Official language"), "IMM Rules r. 10(2)(a)(vii)", (
        Item("language", N_("Statement of the official language of the hearing and of the documents"), G,
             generated=Generated.LANGUAGE_STATEMENT, citation="IMM Rules r. 10(2)(a)(vii)"),)),
    Section("service", N_("Proof of service"), "IMM Rules r. 10(1); FCR r. 146", (
        Item("service", N_("Affidavit of service"), A, signed=True, draft=Generated.AFFIDAVIT_OF_SERVICE,
             tags=("affidavit_of_service",), citation="FCR r. 146"),)),
)


def fc_exhibits(evidence_categories: tuple[C, ...], citation: str) -> tuple[Item, ...]:
    """The evidence of a Federal Court record, as exhibits to the affidavit."""
    return (
        Item("exhibits", N_("Exhibits to the affidavit"), D, required=False, tags=("exhibit",),
             categories=evidence_categories, exhibit=True, citation=citation),
        Item("letters", N_("Support letters ready to file (as exhibits)"), L, required=False, exhibit=True),
        Item("other", N_("Other documents (as exhibits)"), D, required=False, catch_all=True, exhibit=True),
    )


FC_RECORD = PackageDef(
    type=PackageType.FC_RECORD, title=N_("Applicant's record"), forum=Forum.FC,
    matter_types=(MatterType.FC_JR,),
    citation="Federal Courts Citizenship, Immigration and Refugee Protection Rules r. 10(2); "
             "table of contents: FCR r. 309(2)(a)",
    deadline_rules=("fc.applicants_record",),
    declaration_kind=Generated.TRANSLATOR_AFFIDAVIT, declaration_required=False, adversarial=True,
    notes=(N_("Affidavits may state only what the deponent could testify to (IMM r. 12)."),),
    sections=(
        imm_aljr(),
        Section("decision", N_("Decision under review"), "IMM Rules r. 10(2)(a)(ii)", (
            Item("decision", N_("Decision or order under review"), A, tags=("decision",), categories=(C.DECISION,),
                 citation="IMM Rules r. 10(2)(a)(ii)"),)),
        Section("reasons", N_("Reasons"), "IMM Rules r. 10(2)(a)(iii)", (
            Item("reasons", N_("Written reasons, or the tribunal's notice that there are none"), A,
                 tags=("reasons", "no_reasons_notice"), categories=(C.DECISION, C.NOTICE),
                 citation="IMM Rules r. 9, r. 10(2)(a)(iii)"),)),
        Section("anonymity", N_("Request for anonymity"), "IMM Rules r. 8.1", (
            Item("anonymity", N_("Request for anonymity"), A, required=False, tags=("anonymity_request",),
                 citation="IMM Rules r. 8.1"),)),
        Section("affidavits", N_("Affidavits and their exhibits"), "IMM Rules r. 10(2)(a)(v), r. 12", (
            Item("affidavit", N_("Supporting affidavit"), A, signed=True, tags=("affidavit",), affidavit=True,
                 draft=Generated.APPLICANT_AFFIDAVIT, citation="IMM Rules r. 10(2)(a)(v), r. 12",
                 note=AFFIDAVIT_NOTE),
            *fc_exhibits(EVIDENCE + (C.COUNTRY_CONDITIONS, C.IDENTITY), "IMM Rules r. 12(1)"))),
        Section("memorandum", N_("Memorandum of argument"), "IMM Rules r. 10(2)(a)(vi)", (
            Item("memorandum", N_("Memorandum of argument"), A, tags=("memorandum",),
                 citation="IMM Rules r. 10(2)(a)(vi)", **FC_MEMO_LIMIT),)),
        *IMM_CLOSING,
    ),
)

STAY_MOTION = PackageDef(
    type=PackageType.STAY_MOTION, title=N_("Motion record (stay of removal)"), forum=Forum.FC,
    matter_types=(MatterType.STAY_MOTION,),
    citation="Federal Courts Rules r. 364(2), 366",
    deadline_rules=("fc.stay_motion_record", "fc.stay_before_removal"),
    declaration_kind=Generated.TRANSLATOR_AFFIDAVIT, declaration_required=False, adversarial=True,
    notes=(N_("Address the three-part test (serious issue, irreparable harm, balance of convenience) "
              "with full and frank disclosure."),
           N_("Write to the Registry first when urgent: removal date and time, why the motion is late, "
              "the underlying application, when it will be filed (FCR r. 35(2))."),
           N_("The motion must rest on an actual decision, not a deemed refusal.")),
    sections=(
        Section("notice", N_("Notice of motion"), "FCR r. 364(2)(b)", (
            Item("notice", N_("Notice of motion"), A, signed=True, form="Form 359", tags=("notice_of_motion",),
                 categories=(C.FORM, C.LEGAL),
                 citation="FCR r. 359, 364(2)(b)"),)),
        Section("affidavits", N_("Affidavits and their exhibits"), "FCR r. 364(2)(c)", (
            Item("affidavit", N_("Supporting affidavit"), A, signed=True, tags=("affidavit",), affidavit=True,
                 draft=Generated.APPLICANT_AFFIDAVIT, citation="FCR r. 364(2)(c)", note=AFFIDAVIT_NOTE),
            Item("decision", N_("Decision the motion rests on (e.g. refused deferral), as an exhibit"), A,
                 tags=("decision", "deferral_refusal"), categories=(C.DECISION,), exhibit=True,
                 citation="FCR r. 364(2)(c)"),
            Item("removal_direction", N_("Direction to report for removal, as an exhibit"), A,
                 tags=("removal_direction",), categories=(C.REMOVAL_DIRECTION,), exhibit=True),
            *fc_exhibits(EVIDENCE + (C.COUNTRY_CONDITIONS, C.IDENTITY), "FCR r. 364(2)(c)"))),
        Section("transcripts", N_("Transcripts of cross-examinations"), "FCR r. 364(2)(d)", (
            Item("transcripts", N_("Transcripts of cross-examinations"), D, required=False, tags=("transcript",),
                 citation="FCR r. 364(2)(d)"),)),
        Section("representations", N_("Written representations"), "FCR r. 364(2)(e), 366", (
            Item("memorandum", N_("Memorandum of fact and law"), A, tags=("memorandum",),
                 citation="FCR r. 364(2)(e), 366", **FC_MEMO_LIMIT),)),
        Section("filed", N_("Other material already filed"), "FCR r. 364(2)(f)", (
            Item("aljr", N_("Underlying application for leave and for judicial review (filed)"), A, tags=("aljr",),
                 categories=(C.FORM, C.LEGAL), citation="FCR r. 364(2)(f)",
                 note=N_("Material already filed in the Court; evidence goes in as exhibits to the affidavit.")),
            Item("filed", N_("Other material already filed in the Court"), D, required=False, tags=("filed",),
                 citation="FCR r. 364(2)(f)"),)),
        Section("service", N_("Proof of service"), "FCR r. 364(1); FCR r. 146", (
            Item("service", N_("Affidavit of service"), A, signed=True, draft=Generated.AFFIDAVIT_OF_SERVICE,
                 tags=("affidavit_of_service",), citation="FCR r. 146, 364(1)"),)),
    ),
)

MANDAMUS_RECORD = PackageDef(
    type=PackageType.MANDAMUS_RECORD, title=N_("Applicant's record (mandamus)"), forum=Forum.FC,
    matter_types=(MatterType.MANDAMUS,),
    citation="Federal Courts Citizenship, Immigration and Refugee Protection Rules r. 10(2); IRPA s. 72; "
             "Apotex Inc. v. Canada (AG), [1994] 1 FC 742 (FCA); Conille v. Canada, [1999] 2 FC 33",
    deadline_rules=("fc.applicants_record",),
    declaration_kind=Generated.TRANSLATOR_AFFIDAVIT, declaration_required=False, adversarial=True,
    chronological_exhibits=True,
    notes=(N_("Mandamus compels a decision, never a particular one: show a public duty owed to the applicant, "
              "a demand and a refusal or an unreasonable delay, and no other adequate remedy (Apotex)."),
           N_("The delay chronology comes from the matter's correspondence log: log every letter, email and "
              "web form, and link the document that proves it."),
           N_("Ask for the GCMS notes (ATIP) before filing: they show where the file stands and why.")),
    sections=(
        imm_aljr(N_("Application for leave and for judicial review (mandamus)"),
                 N_("Ask for an order of mandamus requiring the Minister to decide the application.")),
        Section("affidavits", N_("Affidavits and their exhibits"), "IMM Rules r. 10(2)(a)(v), r. 12", (
            Item("affidavit", N_("Applicant's affidavit with the delay chronology"), A, signed=True,
                 tags=("affidavit",), affidavit=True, draft=Generated.APPLICANT_AFFIDAVIT,
                 citation="IMM Rules r. 10(2)(a)(v), r. 12",
                 note=N_("Sworn by the applicant: the application, the acknowledgements, every follow-up and "
                         "the GCMS/ATIP notes follow it as exhibits, in date order.")),
            Item("chronology", N_("Application, acknowledgements, follow-ups and GCMS/ATIP notes (as exhibits)"),
                 D, required=False, exhibit=True,
                 tags=("application", "acknowledgement", "follow_up", "gcms", "atip"),
                 categories=(C.CORRESPONDENCE, C.NOTICE, C.FORM), citation="IMM Rules r. 12(1)"),
            *fc_exhibits(EVIDENCE + (C.IDENTITY,), "IMM Rules r. 12(1)"))),
        Section("memorandum", N_("Memorandum of argument"), "IMM Rules r. 10(2)(a)(vi)", (
            Item("memorandum", N_("Memorandum of argument"), A, tags=("memorandum",),
                 draft=Generated.MANDAMUS_MEMORANDUM, citation="IMM Rules r. 10(2)(a)(vi)", **FC_MEMO_LIMIT),)),
        *IMM_CLOSING,
    ),
)

TRIBUNAL_PACKAGES = (RPD_DISCLOSURE, RAD_RECORD, FC_RECORD, STAY_MOTION, MANDAMUS_RECORD)
