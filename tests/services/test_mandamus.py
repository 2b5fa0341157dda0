"""A mandamus record built from the demo vault (a protected person's permanent residence stalled
in security screening), in English and in French: the applicant's affidavit is followed by the
delay chronology as lettered exhibits in date order (from the correspondence log), the cover
names the Minister of Citizenship and Immigration, and the drafts cite Apotex and Conille."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pytest

from clinic_app.services import case_record, correspondence, packages
from clinic_app.services.demo import DEMO_ADMIN, DEMO_PASSPHRASE, create_demo
from clinic_app.services.session import unlock

MATTER = "m-haddad-mandamus"
CHRONOLOGY = ["d-haddad-application", "d-haddad-aor", "d-haddad-webform", "d-haddad-reply", "d-haddad-gcms",
              "d-haddad-demand"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return create_demo(tmp_path_factory.mktemp("demo") / "vault", kdf_profile="fast").folder


def _pages(path: Path) -> list[str]:
    doc = pdfium.PdfDocument(path.read_bytes())
    try:
        return [" ".join(p.get_textpage().get_text_range().split()) for p in doc]
    finally:
        doc.close()


def _page_of(pages: list[str], needle: str) -> int:
    hits = [i for i, text in enumerate(pages) if needle in text]
    assert len(hits) == 1, (needle, hits)
    return hits[0]


@pytest.mark.parametrize("lang, minister, mark", [
    ("en", "The Minister of Citizenship and Immigration, Respondent", "Exhibit \u201c{m}\u201d"),
    ("fr", "Le ministre de la Citoyenneté et de l'Immigration, partie défenderesse", "Pièce « {m} »"),
])
def test_mandamus_record_builds_from_the_demo(demo: Path, tmp_path: Path, lang: str, minister: str,
                                              mark: str) -> None:
    with unlock(demo, user=DEMO_ADMIN, passphrase=DEMO_PASSPHRASE) as session:
        matter = case_record.get_matter(session, MATTER)
        case_record.save_matter(session, dataclasses.replace(matter, language=lang))
        assert [e.document_ref for e in correspondence.entries(session, MATTER) if e.document_ref] == CHRONOLOGY
        built = packages.build_package(session, MATTER, "mandamus_record", tmp_path / "record.pdf")
    assert not built.forced, built.problems
    pages = _pages(built.files[0])
    assert minister in pages[0] and "Sécurité publique" not in pages[0] and "Public Safety" not in pages[0]
    text = [p.extract_text() or "" for p in pypdf.PdfReader(built.files[0]).pages]  # a second reader
    affidavit = _page_of(pages, "Fictional sworn affidavit")
    found = [_page_of(pages, needle) for needle in (
        "Fictional application, sent", "Fictional: your application was", "Fictional web form",
        "Fictional: your application is undergoing", "Fictional notes: security", "Fictional demand letter")]
    assert affidavit < found[0] and found == sorted(found)  # the chronology, in date order
    for letter, page in zip("ABCDEF", found):
        assert mark.format(m=letter) in pages[page] and mark.format(m=letter).split()[0] in text[page]
    assert _page_of(pages, "Fictional memorandum on the Apotex test") > found[-1]


def test_mandamus_drafts_draw_on_the_correspondence_log(demo: Path, tmp_path: Path) -> None:
    with unlock(demo, user=DEMO_ADMIN, passphrase=DEMO_PASSPHRASE) as session:
        matter = case_record.get_matter(session, MATTER)
        case_record.save_matter(session, dataclasses.replace(matter, language="en"))
        memo = packages.write_draft(session, MATTER, "mandamus_memorandum", tmp_path / "memo.pdf")
        affidavit = packages.write_draft(session, MATTER, "applicant_affidavit", tmp_path / "aff.pdf")
        assert "mandamus_memorandum" in [k.value for k in packages.draft_kinds(session, MATTER)]
    memo_text = " ".join(_pages(memo))
    for needle in ("Apotex Inc. v. Canada (Attorney General), [1994] 1 FC 742 (FCA)", "Conille v. Canada",
                   "There is a public legal duty to act.", "Background check in progress", "1460 days",
                   "The balance of convenience favours the order."):
        assert needle in memo_text, needle
    aff_text = " ".join(_pages(affidavit))
    assert "I sent IRCC Case Processing Centre the following: Application for permanent residence." in aff_text
    assert "Attached as Exhibit \u201cA\u201d is a true copy of it." in aff_text
    assert "Attached as Exhibit \u201cF\u201d" in aff_text and "days have passed since my application" in aff_text
