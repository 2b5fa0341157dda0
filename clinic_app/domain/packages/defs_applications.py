"""Applications to IRCC and CBSA: H&C, PRRA submissions, deferral request, ministerial
relief, and the Safe Third Country Agreement exceptions.

These have no rule fixing an order, so the order is the one decision makers expect
(cover letter, forms, submissions, evidence by ground or factor), as in the IRCC
document checklist IMM 5280 and the sources in docs/domain-rules.md section 3.
"""

from __future__ import annotations

from clinic_app.domain.document import DocumentCategory as C
from clinic_app.domain.matter import MatterType
from clinic_app.domain.packages.defs_tribunals import EVIDENCE
from clinic_app.domain.packages.model import Forum, Generated, Item, PackageDef, PackageType, Section, Source
from clinic_app.i18n import N_

D, A, L, G = Source.DOCUMENT, Source.ATTACHED, Source.LETTERS, Source.GENERATED


def _cover() -> Section:
    return Section("cover", N_("Cover letter"), "", (
        Item("cover_letter", N_("Cover letter"), G, generated=Generated.COVER_LETTER),))


def _letters(themes: tuple[str, ...] = ()) -> Item:
    return Item("letters", N_("Support letters ready to file"), L, required=False, themes=themes)


def _other() -> Section:
    return Section("other", N_("Other documents"), "", (
        Item("other", N_("Other documents"), D, required=False, catch_all=True),))


def _form(item_id: str, number: str, title: str, *, required: bool = True, signed: bool = True,
          note: str = "", **kw: bool) -> Item:
    return Item(item_id, title, A, required=required, signed=signed, form=number,
                tags=(number.replace(" ", "").lower(),), categories=(C.FORM,), note=note, **kw)  # type: ignore[arg-type]


HC_APPLICATION = PackageDef(
    type=PackageType.HC_APPLICATION, title=N_("Application on humanitarian and compassionate grounds"),
    forum=Forum.IRCC, matter_types=(MatterType.HC,),
    citation="IRPA s. 25(1); IMM 5280 (document checklist)",
    deadline_rules=("hc.bar", "cbsa.removal"),
    declaration_kind=Generated.TRANSLATOR_AFFIDAVIT, declaration_required=False,
    notes=(N_("No affidavit is needed from a translator who belongs to a provincial or territorial "
              "association of translators."),
           N_("Risk factors under IRPA s. 96 and 97 are not considered (s. 25(1.3)); hardship is.")),
    sections=(
        _cover(),
        Section("forms", N_("Application forms"), "IMM 5280; IRPR s. 10", (
            _form("imm5280", "IMM 5280", N_("Document checklist"), signed=False),
            _form("imm0008", "IMM 0008", N_("Generic application form for Canada")),
            _form("imm0008dep", "IMM 0008DEP", N_("Additional dependants / declaration"), required=False),
            _form("imm5669", "IMM 5669", N_("Schedule A: background / declaration")),
            _form("imm5406", "IMM 5406", N_("Additional family information")),
            _form("imm5283", "IMM 5283", N_("Humanitarian and compassionate considerations")),
            _form("imm5476", "IMM 5476", N_("Use of a representative"), required=False,
                  required_when_represented=True),
            _form("imm5475", "IMM 5475", N_("Authority to release personal information"), required=False),
            _form("imm5562", "IMM 5562", N_("Supplementary information: your travels"), required=False,
                  signed=False, note=N_("Whether the H&C kit requires it is UNCONFIRMED.")),
            Item("photos", N_("Photos"), D, categories=(C.PHOTO,), tags=("photos",)),
            Item("passport", N_("Passport or travel document pages"), D, tags=("passport",)),
            Item("status", N_("Proof of status in Canada"), D, tags=("status_proof",)),
            Item("fees", N_("Proof of payment of fees"), D, tags=("fee_receipt",)),)),
        Section("submissions", N_("Submissions"), "IRPA s. 25(1)", (
            Item("submissions", N_("Written submissions"), A, tags=("submissions",),
                 draft=Generated.HC_SUBMISSIONS),
            Item("declaration", N_("Statutory declaration of the applicant"), A, required=False, recommended=True,
                 signed=True, tags=("statutory_declaration",)),)),
        Section("index", N_("Evidence index by factor"), "", (
            Item("evidence_index", N_("Evidence index by factor"), G, generated=Generated.HC_EVIDENCE_INDEX),)),
        Section("establishment", N_("Establishment in Canada"), "", (
            Item("establishment", N_("Evidence of establishment"), D, required=False, recommended=True,
                 tags=("establishment",), categories=(C.EMPLOYMENT, C.TAX, C.EDUCATION)),
            _letters(("employment", "volunteering", "community")),)),
        Section("children", N_("Best interests of the child"), "IRPA s. 25(1)", (
            Item("children", N_("Evidence on the best interests of any child directly affected"), D,
                 required=False, tags=("best_interests_child",)),)),
        Section("hardship", N_("Hardship and country conditions"), "", (
            Item("hardship", N_("Evidence of hardship and country conditions"), D, required=False,
                 tags=("hardship_country_conditions",), categories=(C.COUNTRY_CONDITIONS,)),
            Item("hardship_letters", N_("Support letters on hardship"), L, required=False, themes=("hardship",)),)),
        Section("family", N_("Family ties"), "", (
            Item("family", N_("Evidence of family ties"), D, required=False, tags=("family_ties",)),
            Item("family_letters", N_("Support letters from family"), L, required=False, themes=("family",)),)),
        Section("health", N_("Health"), "", (
            Item("health", N_("Medical and psychological evidence"), D, required=False, tags=("health",),
                 categories=(C.MEDICAL, C.PSYCHOLOGICAL)),)),
        Section("other", N_("Other documents"), "", (
            Item("other_letters", N_("Other support letters"), L, required=False),
            Item("other", N_("Other documents"), D, required=False, catch_all=True),)),
    ),
)

PRRA_SUBMISSIONS = PackageDef(
    type=PackageType.PRRA_SUBMISSIONS, title=N_("Pre-removal risk assessment: submissions and evidence"),
    forum=Forum.IRCC, matter_types=(MatterType.PRRA,),
    citation="IRPA s. 112-113; IRPR s. 160-161",
    deadline_rules=("prra.submissions", "cbsa.removal"),
    notes=(N_("After a rejected claim, only new evidence counts (IRPA s. 113(a)): identify each new "
              "item and explain how it relates to the risk (IRPR s. 161(2))."),),
    sections=(
        _cover(),
        Section("form", N_("Application form"), "IRPR s. 160", (
            _form("imm5508", "IMM 5508", N_("Application for a pre-removal risk assessment")),
            _form("imm5476", "IMM 5476", N_("Use of a representative"), required=False,
                  required_when_represented=True),)),
        Section("submissions", N_("Submissions"), "IRPR s. 161", (
            Item("submissions", N_("Written submissions"), A, tags=("submissions",), citation="IRPR s. 161"),
            Item("affidavit", N_("Affidavit or statutory declaration of the applicant"), A, required=False,
                 recommended=True, signed=True, tags=("affidavit", "statutory_declaration")),)),
        Section("new_evidence", N_("New evidence"), "IRPA s. 113(a)", (
            Item("new_evidence", N_("New evidence of risk"), D, required=False, recommended=True,
                 tags=("new_evidence",), categories=EVIDENCE + (C.IDENTITY,), citation="IRPA s. 113(a)"),)),
        Section("country", N_("Country condition documents"), "", (
            Item("country", N_("Country condition documents"), D, required=False,
                 categories=(C.COUNTRY_CONDITIONS,), tags=("country_conditions",)),)),
        Section("letters", N_("Support letters"), "", (_letters(),)),
        _other(),
    ),
)

DEFERRAL_REQUEST = PackageDef(
    type=PackageType.DEFERRAL_REQUEST, title=N_("Request to defer removal"), forum=Forum.CBSA,
    matter_types=(MatterType.DEFERRAL,),
    citation="IRPA s. 48(2); Baron v. Canada, 2009 FCA 81",
    deadline_rules=("cbsa.removal",), declaration_required=False,
    notes=(N_("The officer's discretion is narrow: ask for a deferral limited in time, with cogent "
              "documents for each ground."),
           N_("A pending H&C application alone is rarely enough; address the child's short-term interests.")),
    sections=(
        Section("request", N_("Request"), "IRPA s. 48(2)", (
            Item("request", N_("Request for deferral of removal"), A, tags=("deferral_request",),
                 draft=Generated.DEFERRAL_REQUEST),
            Item("removal_direction", N_("Direction to report for removal"), D, required=False, recommended=True,
                 tags=("removal_direction",), categories=(C.REMOVAL_DIRECTION,)),)),
        Section("medical", N_("Medical grounds"), "", (
            Item("medical", N_("Medical and psychological evidence"), D, required=False, tags=("health",),
                 categories=(C.MEDICAL, C.PSYCHOLOGICAL)),)),
        Section("pending", N_("Pending applications"), "", (
            Item("pending", N_("Proof of pending applications"), D, required=False,
                 tags=("pending_application", "hc_receipt", "sponsorship", "prra_receipt"), categories=(C.NOTICE,)),)),
        Section("children", N_("Best interests of the child"), "", (
            Item("children", N_("Evidence on the children's short-term interests"), D, required=False,
                 tags=("best_interests_child",), categories=(C.EDUCATION,)),)),
        Section("risk", N_("Risk and country conditions"), "", (
            Item("risk", N_("Evidence of risk not yet assessed"), D, required=False,
                 tags=("hardship_country_conditions", "new_evidence"), categories=(C.COUNTRY_CONDITIONS, C.POLICE)),)),
        Section("letters", N_("Support letters"), "", (_letters(),)),
        _other(),
    ),
)

MINISTERIAL_RELIEF = PackageDef(
    type=PackageType.MINISTERIAL_RELIEF, title=N_("Application for ministerial relief"), forum=Forum.CBSA,
    matter_types=(MatterType.MINISTERIAL_RELIEF,),
    citation="IRPA s. 42.1; IRPR s. 24.1-24.2; form BSF766",
    deadline_rules=("cbsa.removal",),
    notes=(N_("Wait for any pending judicial review to end before applying (IRPR s. 24.1)."),
           N_("Organize the submissions by ground of inadmissibility (s. 34, 35(1)(b)-(c), 37(1)).")),
    sections=(
        _cover(),
        Section("form", N_("Application form"), "IRPR s. 24.2", (
            _form("bsf766", "BSF766", N_("Application for ministerial relief")),)),
        Section("submissions", N_("Submissions"), "IRPA s. 42.1", (
            Item("submissions", N_("Written submissions, organized by ground"), A, tags=("submissions",),
                 citation="IRPA s. 42.1(1), (3)"),
            Item("declaration", N_("Statutory declaration of the applicant"), A, required=False, recommended=True,
                 signed=True, tags=("statutory_declaration",)),)),
        Section("decision", N_("Decision on inadmissibility"), "IRPR s. 24.1", (
            Item("decision", N_("Decision or report finding inadmissibility"), D, required=False,
                 recommended=True, tags=("decision", "inadmissibility_report"), categories=(C.DECISION,)),)),
        Section("identity", N_("Identity and immigration documents"), "", (
            Item("identity", N_("Identity and status documents"), D, required=False,
                 categories=(C.IDENTITY,), tags=("status_proof",)),)),
        Section("records", N_("Service and employment records"), "", (
            Item("records", N_("Records of military service and employment"), D, required=False,
                 tags=("military_service", "state_employment"), categories=(C.EMPLOYMENT,)),)),
        Section("letters", N_("Support letters"), "", (_letters(),)),
        _other(),
    ),
)

STCA_EXCEPTION = PackageDef(
    type=PackageType.STCA_EXCEPTION, title=N_("Safe Third Country Agreement: family member exception"),
    forum=Forum.CBSA, matter_types=(MatterType.STCA,),
    citation="STCA art. 4(2)(a); IRPR s. 159.1, 159.5",
    deadline_rules=("stca.fourteen_days",), declaration_required=False,
    notes=(N_("The relative in Canada must be in Canada and hold a status listed in IRPR s. 159.5."),
           N_("Proof on a balance of probabilities; testimony may suffice and the relative may be interviewed.")),
    sections=(
        _cover(),
        Section("claimant", N_("Claimant's identity documents"), "", (
            Item("identity", N_("Claimant's identity documents"), D, required=False, recommended=True,
                 categories=(C.IDENTITY,), tags=("passport", "identity")),)),
        Section("anchor", N_("Relative in Canada"), "IRPR s. 159.5", (
            Item("anchor_status", N_("Proof of the relative's status in Canada, with UCI"), D,
                 tags=("anchor_status",), citation="IRPR s. 159.5(a)-(f)"),
            Item("anchor_identity", N_("Relative's identity document"), D, tags=("anchor_identity",)),
            Item("anchor_declaration", N_("Statutory declaration of the relative"), A, required=False,
                 recommended=True, signed=True, tags=("anchor_declaration",)),)),
        Section("relationship", N_("Proof of the family relationship"), "IRPR s. 159.1", (
            Item("relationship", N_("Birth, marriage or other certificates proving the relationship"), D,
                 tags=("relationship_proof",), citation="IRPR s. 159.1"),
            Item("cohabitation", N_("Proof of at least one year of cohabitation (common-law partners)"), D,
                 required=False, tags=("cohabitation",)),)),
        Section("letters", N_("Support letters"), "", (_letters(),)),
        _other(),
    ),
)

APPLICATION_PACKAGES = (HC_APPLICATION, PRRA_SUBMISSIONS, DEFERRAL_REQUEST, MINISTERIAL_RELIEF, STCA_EXCEPTION)
