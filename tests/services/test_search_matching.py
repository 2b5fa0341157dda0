"""What a search finds in a real vault: file numbers typed without their dashes, the exact
number first, and names and text in scripts written without spaces (Chinese, Japanese,
Korean), found from any run of characters inside them, with snippets of the text as stored."""

from __future__ import annotations

import io

import pytest

from clinic_app.domain.client import Client
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.identifiers import FileNumbers
from clinic_app.domain.matter import Matter, MatterType
from clinic_app.services import case_record, evidence, records
from clinic_app.services.evidence import Analysis


def _client(session, ref: str, name: str, uci: str | None = None, **more) -> None:  # type: ignore[no-untyped-def]
    case_record.save_client(session, Client(ref=ref, legal_name=name, uci=uci, **more))


def _refs(session, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.ref for h in records.search_records(session, query)]


@pytest.fixture
def numbered(admin_session):  # type: ignore[no-untyped-def]
    """Two clients whose UCIs share digits, among others (so that ranking has a vault to weigh)."""
    _client(admin_session, "c-long", "Ana Cruz", "12-3456-7890")
    _client(admin_session, "c-short", "Beatriz Maria Fernanda Alvarado Cruz", "3456-7890")
    for n in range(20):
        _client(admin_session, f"c-other-{n:02d}", f"Person Number{n}", f"{1000 + n}-{2000 + n}")
    _client(admin_session, "c-owner", "Carla Ruiz")
    case_record.save_matter(admin_session, Matter(
        ref="m-1", client_ref="c-owner", type=MatterType.RPD_CLAIM, title="Ruiz: claim",
        file_numbers=FileNumbers(irb="TB5-10001", fc="IMM-1234-26", ircc="W123456789")))
    return admin_session


@pytest.mark.parametrize("query, ref", [("34567890", "c-short"), ("1234567890", "c-long"), ("123456", "c-long"),
                                        ("TB510001", "m-1"), ("tb510001", "m-1"), ("IMM123426", "m-1"),
                                        ("imm1234", "m-1")])
def test_a_number_typed_without_its_dashes_finds_the_record(numbered, query: str, ref: str) -> None:
    assert _refs(numbered, query) == [ref]


@pytest.mark.parametrize("query", ["3456-7890", "3456 7890", "34567890"])
def test_the_exact_number_ranks_first(numbered, query: str) -> None:
    found = _refs(numbered, query)
    assert found[0] == "c-short", found


def test_numbers_typed_with_their_dashes_are_found_as_before(numbered) -> None:
    assert set(_refs(numbered, "3456-7890")) == {"c-short", "c-long"}
    assert _refs(numbered, "12-3456-7890") == ["c-long"]
    assert _refs(numbered, "TB5-10001") == ["m-1"]
    assert _refs(numbered, "IMM-1234-26") == ["m-1"]
    assert _refs(numbered, "W123456789") == ["m-1"]


def test_a_snippet_shows_the_number_as_written(numbered) -> None:
    """The index also holds each number without its dashes; a snippet never shows that form,
    and a match on it marks the number as written."""
    for query in ("34567890", "3456-7890", "Beatriz"):
        hit = next(h for h in records.search_records(numbered, query) if h.ref == "c-short")
        assert hit.text == "Beatriz Maria Fernanda Alvarado Cruz 3456-7890 c-short", (query, hit.parts)
    hit = records.search_records(numbered, "34567890")[0]
    assert hit.snippet == "Beatriz Maria Fernanda Alvarado Cruz [3456-7890] c-short"
    hit = records.search_records(numbered, "TB510001")[0]
    assert "[TB5-10001]" in hit.snippet and "TB510001" not in hit.snippet, hit.snippet


@pytest.fixture
def cjk(admin_session):  # type: ignore[no-untyped-def]
    _client(admin_session, "c-wang", "王张伟", aliases=("Wang Zhangwei",))
    _client(admin_session, "c-kim", "김민수")
    _client(admin_session, "c-sato", "佐藤ひろし")
    _client(admin_session, "c-latin", "Zhang Wei")
    case_record.save_matter(admin_session, Matter(ref="m-wang", client_ref="c-wang", type=MatterType.RPD_CLAIM,
                                                  title="王张伟 claim"))
    text = "Intake notes. 我叫张伟是学生。 He studied in Beijing. " + "Filler words here. " * 10
    evidence.store_document(admin_session, io.BytesIO(text.encode()), DocumentMeta(ref="d-note", title="Interview"),
                            ["m-wang"], analysis=Analysis(text=text))
    return admin_session


@pytest.mark.parametrize("query, refs", [
    ("张伟", {"c-wang", "m-wang", "d-note"}),  # inside a name and inside a sentence
    ("王张伟", {"c-wang", "m-wang"}),
    ("王张", {"c-wang", "m-wang"}),  # typed half-way
    ("是学生", {"d-note"}),
    ("张 伟", {"c-wang", "m-wang", "d-note"}),
    ("민수", {"c-kim"}), ("ひろし", {"c-sato"}), ("佐藤", {"c-sato"}),
    ("伟张", set()),  # the characters, but not in that order
    ("Zhang", {"c-wang", "c-latin"}),
])
def test_a_run_of_characters_inside_a_chinese_japanese_or_korean_text_is_found(cjk, query: str,
                                                                                refs: set[str]) -> None:
    assert set(_refs(cjk, query)) == refs


def test_snippets_show_chinese_text_as_written(cjk) -> None:
    hits = {h.ref: h for h in records.search_records(cjk, "张伟")}
    assert hits["c-wang"].snippet == "王[张伟] Wang Zhangwei c-wang", hits["c-wang"].parts
    assert "我叫[张伟]是学生。" in hits["d-note"].snippet, hits["d-note"].parts
    assert records.search_snippets(cjk, "张伟", [("document", "d-note")])[("document", "d-note")] == \
        hits["d-note"].parts


@pytest.mark.parametrize("query, ref", [("３４５６－７８９０", "c-short"), ("３４５６７８９０", "c-short"),
                                        ("ＴＢ５－１０００１", "m-1"), ("ＴＢ５１０００１", "m-1"), ("ｉｍｍ１２３４", "m-1"),
                                        ("Ｃａｒｌａ", "c-owner")])
def test_a_number_or_name_typed_in_full_width_is_found(numbered, query: str, ref: str) -> None:
    """A Chinese or Japanese input method types full-width digits and letters; the file number
    form stores them as ASCII (NFKC), so the same keystrokes in the search box must find them."""
    assert _refs(numbered, query)[0] == ref


def test_text_written_in_full_width_is_still_found_as_written(admin_session) -> None:
    text = "UCI １２３４－５６７８ written with an input method. " + "Filler words here. " * 10
    evidence.store_document(admin_session, io.BytesIO(text.encode()), DocumentMeta(ref="d-wide", title="Form"),
                            [], analysis=Analysis(text=text))
    for query, marked in (("１２３４－５６７８", "[１２３４－５６７８]"), ("１２３４", "[１２３４]－")):
        hit = records.search_records(admin_session, query)[0]
        assert hit.ref == "d-wide" and marked in hit.snippet, hit.snippet


def test_a_text_file_saved_decomposed_is_found(admin_session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A text file saved on a Mac or by some Korean editors holds Hangul as jamo and kana with a
    separate voicing mark (NFD); a query is composed (NFC), so the text is indexed composed too."""
    import unicodedata

    from clinic_app.services.import_files import import_files

    _client(admin_session, "c-kim", "Kim")
    case_record.save_matter(admin_session, Matter(ref="m-kim", client_ref="c-kim", type=MatterType.RPD_CLAIM,
                                                  title="Claim"))
    note = tmp_path / "note.txt"
    note.write_text("Interview notes\n\n" + unicodedata.normalize("NFD", "저는 김민수입니다. 私はガルシアです。"),
                    encoding="utf-8")
    assert import_files(admin_session, "m-kim", [note], workers=1).files[0].outcome == "imported"
    for query in ("김민수", "ガルシア", "민수"):
        hits = records.search_records(admin_session, query)
        assert [h.ref for h in hits] == ["d-001"], query
        assert f"[{query}]" in hits[0].snippet, hits[0].snippet


def test_a_number_written_against_chinese_or_korean_text_is_found_and_shown_as_written(admin_session) -> None:
    """Chinese and Korean write a number against the words around it, without a space; the
    number is still one of its own, and only it is indexed again without its dashes."""
    evidence.store_document(admin_session, io.BytesIO(b"text"),
                            DocumentMeta(ref="d-jr", title="联邦法院司法审查申请书IMM-1234-26王张伟的难民申请材料"),
                            [], analysis=Analysis(text="text"))
    _client(admin_session, "c-kim", "김민수입니다1234-5678 김민수")
    for query, ref, marked in (("IMM123426", "d-jr", "书[IMM-1234-26]王张伟"),
                               ("IMM-1234-26", "d-jr", "书[IMM-1234-26]王张伟"),
                               ("12345678", "c-kim", "김민수입니다[1234-5678] 김민수"),
                               ("1234-5678", "c-kim", "김민수입니다[1234-5678] 김민수")):
        hits = records.search_records(admin_session, query)
        assert [h.ref for h in hits] == [ref], query
        assert marked in hits[0].snippet and "IMM123426" not in hits[0].snippet, (query, hits[0].snippet)
    assert _refs(admin_session, "申请书") == ["d-jr"]
