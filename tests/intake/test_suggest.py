"""Title, date and language suggestions (pure functions, run in-process)."""

from __future__ import annotations

from datetime import date

import pytest

from clinic_app.intake.language import guess_language
from clinic_app.intake.pipeline import text_fingerprint
from clinic_app.intake.suggest import find_date, suggest_date, suggest_title


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Toronto, March 12, 2023", date(2023, 3, 12)),
        ("Signed on 1st February 2019 in Ottawa", date(2019, 2, 1)),
        ("Montréal, le 1er mars 2022", date(2022, 3, 1)),
        ("Fait à Québec le 15 août 2020.", date(2020, 8, 15)),
        ("Bogotá, 12 de marzo de 2023", date(2023, 3, 12)),
        ("Caracas, 3 de septiembre del 2018", date(2018, 9, 3)),
        ("Lisboa, 7 de dezembro de 2017", date(2017, 12, 7)),
        ("Date: 2021-11-30", date(2021, 11, 30)),
        ("Issued 25/12/2020", date(2020, 12, 25)),
        ("Issued 12/25/2020", date(2020, 12, 25)),
        ("Issued 03/04/2020", None),  # day and month could be either
        ("31 February 2020", None),
        ("No date here at all", None),
        ("12 Smarch 2020", None),
    ],
)
def test_find_date(text: str, expected: date | None) -> None:
    assert find_date(text) == expected


def test_earliest_date_on_the_page_wins() -> None:
    assert find_date("Letter of 2 May 2019 about events of 2018-01-04") == date(2019, 5, 2)


def test_suggest_date_falls_back_on_metadata() -> None:
    assert suggest_date("nothing", date(2015, 6, 1)) == "2015-06-01"
    assert suggest_date("Ottawa, 9 June 2016", date(2015, 6, 1)) == "2016-06-09"
    assert suggest_date("nothing", None) is None


@pytest.mark.parametrize(
    ("meta", "page", "expected"),
    [
        ("Psychological assessment", "ignored", "Psychological assessment"),
        (
            "Microsoft Word - decl.docx",
            "Statutory Declaration\nI, the undersigned",
            "Statutory Declaration",
        ),
        ("scan0001.pdf", "  \n\n12 May 2020\nMedical report\n", "Medical report"),
        (None, "", None),
        ("Untitled", "1\n--\n", None),
        ("imagemagick\x00", "", "imagemagick"),
    ],
)
def test_suggest_title(meta: str | None, page: str, expected: str | None) -> None:
    assert suggest_title(meta, page) == expected


def test_titles_are_capped() -> None:
    assert len(suggest_title("A" * 500, "") or "") == 120


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "The applicant fears that he would be persecuted if he were returned to his country.",
            "en",
        ),
        ("Le demandeur craint d'être persécuté s'il est renvoyé dans son pays et il a peur.", "fr"),
        (
            "El solicitante teme que sería perseguido si fuera devuelto a su país por la policía.",
            "es",
        ),
        (
            "O requerente teme que seria perseguido se fosse devolvido ao seu país pela polícia. Não há proteção.",
            "pt",
        ),
        (
            "Заявитель опасается, что его будут преследовать, если он вернется в свою страну и не сможет.",
            "ru",
        ),
        ("申请人担心如果他被遣返回国，他将受到迫害。警察曾经逮捕过他并且殴打他。", "zh"),
        ("يخشى مقدم الطلب أن يتعرض للاضطهاد إذا أعيد إلى بلده وقد اعتقلته الشرطة", "ar"),
        ("1234 5678", None),
        ("Hello", None),
    ],
)
def test_guess_language(text: str, language: str | None) -> None:
    assert guess_language(text) == language


def test_fingerprint_ignores_case_and_whitespace() -> None:
    assert text_fingerprint("Hello   World\n") == text_fingerprint("hello world")
    assert text_fingerprint("Hello World") != text_fingerprint("Hello Word")
    assert text_fingerprint(" \n\f ") == ""
