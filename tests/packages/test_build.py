"""Every package type built from a fixture matter in a real vault, read back independently:
sections in the required order, index ranges equal to the stamped pages, generated
documents carrying the matter's data in the matter's language, nothing unsafe printed."""

from __future__ import annotations

import pytest

from clinic_app.domain.packages import get_package
from clinic_app.services import packages
from clinic_app.vault import audit

from .seed import TODAY

NAMES = ["rpd_disclosure", "rad_record", "fc_record", "stay_motion", "hc_application", "prra_submissions",
         "deferral_request", "ministerial_relief", "stca_exception"]

# Sections the fixture matter fills, in the order the package must have them.
SECTIONS = {
    "rpd_disclosure": ["cover", "identity", "evidence", "country", "letters", "service"],
    "rad_record": ["statement", "evidence", "authorities", "memorandum"],
    "fc_record": ["aljr", "decision", "reasons", "affidavits", "memorandum", "language", "service"],
    "stay_motion": ["notice", "affidavits", "representations", "filed", "service"],
    "hc_application": ["cover", "forms", "submissions", "index", "establishment", "children", "hardship", "family",
                       "health"],
    "prra_submissions": ["cover", "form", "submissions", "new_evidence", "country"],
    "deferral_request": ["request", "medical", "pending"],
    "ministerial_relief": ["cover", "form", "submissions", "records"],
    "stca_exception": ["cover", "anchor", "relationship"],
}

# Where some documents must land (section id), written from the rules, not the code.
PLACED = {
    "rpd_disclosure": {"d-rpd-id": "identity", "d-rpd-police": "evidence", "d-rpd-country": "country",
                       "d-rpd-l1": "letters", "d-rpd-service": "service"},
    "rad_record": {"d-rad-stmt": "statement", "d-rad-new": "evidence", "d-rad-memo": "memorandum"},
    "fc_record": {"d-fc-aljr": "aljr", "d-fc-aff": "affidavits", "d-fc-exh": "affidavits", "d-fc-aos": "service"},
    "stay_motion": {"d-stay-notice": "notice", "d-stay-dec": "affidavits", "d-stay-mariage": "affidavits",
                    "d-stay-memo": "representations"},
    "hc_application": {"d-hc-imm5283": "forms", "d-hc-subs": "submissions", "d-hc-noa": "establishment",
                       "d-hc-l1": "establishment", "d-hc-school": "children", "d-hc-report": "hardship",
                       "d-hc-l2": "family", "d-hc-psych": "health"},
    "prra_submissions": {"d-prra-form": "form", "d-prra-new": "new_evidence"},
    "deferral_request": {"d-def-req": "request", "d-def-med": "medical", "d-def-hc": "pending"},
    "ministerial_relief": {"d-mr-form": "form", "d-mr-mil": "records"},
    "stca_exception": {"d-stca-status": "anchor", "d-stca-birth": "relationship"},
}

MUST = {
    "rpd_disclosure": ["M.J.G.", "TB4-12345", "Immigration and Refugee Board of Canada, Refugee Protection Division",
                       "Re: Disclosure of documents", "These documents are disclosed for the hearing", "Me Tremblay"],
    "rad_record": ["Appellant's record", "TB4-22222", "Refugee Appeal Division"],
    "fc_record": ["M.J.G., Applicant", "IMM-1234-26", "Statement of official language",
                  "conducted in English", "The Minister of Citizenship and Immigration, Respondent"],
    "stay_motion": ["Cour fédérale", "Moussa Diallo, partie demanderesse", "Dossier de requête (sursis au renvoi)",
                    "Onglet", "IMM-2345-26", "parties défenderesses", "Preuve de signification"],
    "hc_application": ["A.L.R.", "1234-5679", "Evidence index by factor", "Establishment in Canada",
                       "CRA notice of assessment 2025", "Letter from Bob Employer (employer)"],
    "prra_submissions": ["M.J.G.", "Pre-removal risk assessment: submissions and evidence", "12-3456-7890"],
    "deferral_request": ["Request to defer removal", "A.L.R.", "Canada Border Services Agency"],
    "ministerial_relief": ["Aleksandr Petrov", "Application for ministerial relief", "Военный билет", "BSF766"],
    "stca_exception": ["Li Qiang", "permanent resident", "Safe Third Country Agreement"],
}

NEVER = {
    "rpd_disclosure": ["María José", "García López", "QXZ", "514 555"],
    "stay_motion": ["Federal Court", "Notice of motion", "Tab "],
    "hc_application": ["Ana Lucía", "Dan Pending", "MARK-d-hc-l3"],
    "stca_exception": ["QXZSECRET"],
    "fc_record": ["María", "QXZ"],
}

INDEX = {"en": "Index", "fr": "Index"}
CONTENTS = {"en": "Table of contents", "fr": "Table des matières"}  # Federal Court records (FCR r. 364(2)(a))
COURT = {"fc_record", "stay_motion"}


def _titles(package: str, lang: str) -> dict[str, str]:
    return {s.id: s.title_in(lang) for s in get_package(package).sections}


@pytest.mark.parametrize("name", NAMES)
def test_package_is_built_in_the_required_order(seeded, readback, french_catalog, name: str) -> None:
    case = seeded.cases[name]
    lang = case.matter.language.value
    built = packages.build_package(seeded.session, case.matter.ref, name, seeded.out / f"{name}.pdf", today=TODAY)
    assert not built.forced and built.files == (seeded.out / f"{name}.pdf",)
    rb = readback(built.files[0])
    titles = _titles(name, lang)

    outline = rb.outline()
    heading = (CONTENTS if name in COURT else INDEX)[lang]
    assert [t for depth, t, _p in outline if depth == 0] == [heading] + [titles[s] for s in SECTIONS[name]]
    assert list(built.sections) == [titles[s] for s in SECTIONS[name]]

    labels = rb.labels()
    numbered = [int(x) for x in labels if x.isdigit()]
    assert numbered == list(range(1, len(numbered) + 1)) and len(numbered) >= built.tabs

    rows = rb.index_rows()
    tab_rows = [r for r in rows if not r[0].startswith(("\u2013", "- "))]
    assert len(tab_rows) >= built.tabs
    firsts = [r[1] for r in rows]
    assert firsts == sorted(firsts)
    by_ref = {m.ref: m for m in case.docs}
    letter_titles = {x.document_ref: x.writer for x in case.letters}
    for ref, section in PLACED[name].items():
        page = rb.page_of(f"MARK-{ref}-p1")
        stamp = int(labels[page])
        needle = letter_titles.get(ref) or by_ref[ref].title
        row = next(r for r in rows if needle in r[0])
        assert row[1] <= stamp <= row[2], (ref, row, stamp)
        heading = next(t for depth, t, p in reversed(outline) if depth == 0 and p <= page)
        assert heading == titles[section], (ref, heading)


@pytest.mark.parametrize("name", NAMES)
def test_generated_pages_carry_the_matter_in_its_language(seeded, readback, french_catalog, name: str) -> None:
    case = seeded.cases[name]
    path = seeded.out / f"{name}-text.pdf"
    packages.build_package(seeded.session, case.matter.ref, name, path, today=TODAY)
    rb = readback(path)
    text, independent = " ".join(rb.all_text().split()), " ".join(rb.pypdf_text().split())
    for needle in MUST[name]:
        assert needle in text, needle
    for needle in NEVER.get(name, ()):
        assert needle not in text and needle not in independent, needle


def test_translations_travel_with_their_original(seeded, readback, french_catalog) -> None:
    case = seeded.cases["rpd_disclosure"]
    path = seeded.out / "rpd-tr.pdf"
    packages.build_package(seeded.session, case.matter.ref, "rpd_disclosure", path, today=TODAY)
    rb = readback(path)
    original = rb.page_of("MARK-d-rpd-id-p1")
    assert rb.page_of("MARK-d-rpd-id-en-p1") == original + 1
    assert rb.page_of("MARK-d-rpd-id-decl-p1") == original + 2
    parts = [t for depth, t, _p in rb.outline() if depth == 2]
    assert parts == ["Original", "Translation", "Translator's declaration"]


def test_the_same_records_give_the_same_bytes_and_an_audit_row(seeded, french_catalog) -> None:
    case = seeded.cases["hc_application"]
    first = packages.build_package(seeded.session, case.matter.ref, "hc_application", seeded.out / "a.pdf",
                                   today=TODAY)
    second = packages.build_package(seeded.session, case.matter.ref, "hc_application", seeded.out / "b.pdf",
                                    today=TODAY)
    assert first.files[0].read_bytes() == second.files[0].read_bytes()
    rows = [e for e in audit.entries(seeded.session.vault.conn) if e.action == "package_built"]
    assert rows and rows[-1].target.startswith("matter:")
    assert rows[-1].detail["package"] == "hc_application" and rows[-1].detail["forced"] is False
    assert "Reyes" not in str(rows[-1].detail) and "A.L.R." not in str(rows[-1].detail)
    assert sorted(p.name for p in seeded.out.iterdir() if p.name.startswith(".haven-tmp")) == []
