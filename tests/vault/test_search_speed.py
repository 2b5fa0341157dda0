"""Schema 10's faster search gives the results search gave before, on the benchmark corpus.

"Before" is the schema 2 index (no prefix indexes, no parts) and the query Haven ran
until then (snippet() on every returned row, each hit's record loaded), built from
the same rows in a separate in-memory database. "After" is `search_records` on the
vault. Same hits, same order, same labels; the same snippets wherever the body is
short; a long body's snippet (now taken from one part) still shows a match.
"""

from __future__ import annotations

import dataclasses

import pytest

from benchmarks.search import fill
from benchmarks.search_corpus import build
from clinic_app.domain.client import Client
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.letter import SupportLetter
from clinic_app.domain.matter import Matter
from clinic_app.services import records as record_service
from clinic_app.vault import records, search, search_text
from clinic_app.vault.steps import m0002_case_record

KINDS = ("client", "matter", "document", "letter")
CLASSES = {"client": Client, "matter": Matter, "document": DocumentMeta, "letter": SupportLetter}


@pytest.fixture(scope="module")
def corpus():  # type: ignore[no-untyped-def]
    # 3 long documents of about 100,000 characters, well past search.LONG_BODY
    return build(300, seed=7, long_docs=3, long_words=15_000)


@pytest.fixture
def filled(admin_session, corpus):  # type: ignore[no-untyped-def]
    fill(admin_session, corpus)
    return admin_session


def _before(conn, query: str, limit: int) -> list[tuple[str, str, str, str]]:  # type: ignore[no-untyped-def]
    """(kind, ref, label, snippet) as schema 2 and the old query gave them."""
    from sqlcipher3 import dbapi2

    old = getattr(_before, "db", None)
    if old is None:
        old = dbapi2.connect(":memory:")
        for statement in m0002_case_record.SQL.split(";"):
            if "search_index" in statement:
                old.execute(statement)
        old.executemany("INSERT INTO search_index (rowid, kind, entity_id, title, body) VALUES (?, ?, ?, ?, ?)",
                        conn.execute("SELECT rowid, kind, entity_id, title, body FROM search_index").fetchall())
        _before.db = old  # type: ignore[attr-defined]
    rows = old.execute(
        "SELECT kind, entity_id, snippet(search_index, -1, ?, ?, '…', 12), rank FROM search_index "
        "WHERE search_index MATCH ? AND kind IN (?, ?, ?, ?) ORDER BY rank LIMIT ?",
        (search.MATCH_START, search.MATCH_END, search.to_match(query), *KINDS, limit)).fetchall() \
        if search.to_match(query) else []
    out = []
    for kind, entity_id, marked, _rank in rows:  # shown as text as written (schema 13's marks out)
        snippet = search_text.shown(marked).replace(search.MATCH_START, "[").replace(search.MATCH_END, "]")
        record = records.load(conn, CLASSES[kind], int(entity_id))
        label = {"client": "legal_name", "matter": "title", "document": "title", "letter": "writer"}[kind]
        out.append((kind, record.ref, getattr(record, label), snippet))
    return out


def test_search_gives_the_same_hits_in_the_same_order(filled, corpus) -> None:  # type: ignore[no-untyped-def]
    conn = filled.vault.conn
    _before.db = None  # type: ignore[attr-defined]
    long_rows = {int(r[0]) for r in conn.execute("SELECT rowid FROM search_index_long")}
    assert len(long_rows) >= 3  # the corpus's long documents (and any long ordinary one), in parts
    compared = long_seen = 0
    for query in corpus.queries:
        for limit in (50, 200):
            before = _before(conn, query, limit)
            after = record_service.search_records(filled, query, limit=limit)
            assert [(h.kind, h.ref, h.label) for h in after] == [b[:3] for b in before], query
            for hit, old in zip(after, before):
                if _is_long(conn, hit, long_rows):
                    long_seen += 1
                    assert "[" in hit.snippet or not hit.snippet.strip(), (query, hit.snippet)
                else:
                    assert hit.snippet == old[3], query
                compared += 1
    assert compared > 2000 and long_seen > 20  # the corpus exercises both paths
    assert conn.execute("SELECT count(*) FROM search_index").fetchone()[0] <= search.BROAD  # all ranked


def _tokens(text: str) -> list[str]:
    """Words as FTS5's unicode61 tokenizer with remove_diacritics 2 sees them, worked out
    independently: letters and digits, case folded, combining marks dropped."""
    import re
    import unicodedata

    folded = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return re.findall(r"[^\W_]+", folded.casefold())


@pytest.mark.parametrize("query", ["m", "Ma", "de"])
def test_a_broad_query_lists_title_matches_then_text_matches_newest_first(
        filled, monkeypatch: pytest.MonkeyPatch, query: str) -> None:  # type: ignore[no-untyped-def]
    """More matches than BROAD: not ranked, but every row listed is a match, names and titles
    first, newest (highest rowid) first within each group, and nothing that matches is
    skipped before the limit."""
    conn = filled.vault.conn
    monkeypatch.setattr(search, "BROAD", 40)
    prefix = _tokens(query)[0]
    in_title, in_text = [], []
    for rowid, title, body in conn.execute("SELECT rowid, title, body FROM search_index ORDER BY rowid DESC"):
        if any(t.startswith(prefix) for t in _tokens(title)):
            in_title.append(int(rowid))
        elif any(t.startswith(prefix) for t in _tokens(body)):
            in_text.append(int(rowid))
    assert len(in_title) + len(in_text) > search.BROAD  # broad indeed
    for limit in (10, len(in_title) + 5):
        hits = search.search(conn, query, kinds=tuple(search.KIND_CODES), limit=limit)
        got = [h.entity_id * 8 + search.KIND_CODES[h.kind] for h in hits]
        assert got == (in_title + in_text)[:limit], (query, limit)
        titled = hits[:min(limit, len(in_title))]
        assert all(search.MATCH_START in h.snippet for h in titled)  # the matching title is shown
    letters = search.search(conn, query, kinds=("letter",), limit=10)
    expected = [r for r in in_title + in_text if r % 8 == search.KIND_CODES["letter"]][:10]
    assert [h.entity_id * 8 + search.KIND_CODES["letter"] for h in letters] == expected


def _is_long(conn, hit, long_rows: set[int]) -> bool:  # type: ignore[no-untyped-def]
    table = {"client": "clients", "matter": "matters", "document": "documents", "letter": "letters"}[hit.kind]
    entity_id = conn.execute(f"SELECT id FROM {table} WHERE ref = ?", (hit.ref,)).fetchone()[0]
    return int(entity_id) * 8 + search.KIND_CODES[hit.kind] in long_rows


def test_a_long_body_gets_a_snippet_from_the_part_that_matches(admin_session) -> None:
    conn = admin_session.vault.conn
    filler = " ".join(f"word{i % 977}" for i in range(40_000))
    body = filler + " the rare zanzibarite stone " + filler
    assert len(body) > search.LONG_BODY
    with admin_session.transaction():
        search.put(conn, "document", 41, "A long report", body, ref="d-41", label="A long report")
    parts = conn.execute("SELECT count(*) FROM search_index_parts").fetchone()[0]
    assert parts == len(search.split_parts(body)) > 1
    assert "".join(search.split_parts(body)) == body
    [hit] = search.search(conn, "zanzibar", kinds=("document",))
    assert f"{search.MATCH_START}zanzibarite{search.MATCH_END} stone" in hit.snippet
    [hit] = search.search(conn, "long report", kinds=("document",))  # the title alone matches
    assert hit.snippet.startswith("A " + search.MATCH_START + "long")
    with admin_session.transaction():
        search.remove(conn, "document", 41)
    assert conn.execute("SELECT count(*) FROM search_index_parts").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM search_index_long").fetchone()[0] == 0
    assert search.search(conn, "zanzibar", kinds=("document",)) == []


def test_schema_10_rebuilds_an_older_index_with_the_same_results(vault_folder, corpus) -> None:  # type: ignore[no-untyped-def]
    """A vault whose search index is schema 2's (as every vault before schema 10) is upgraded
    at unlock: prefix indexes, long bodies in parts, and the same results as before."""
    from clinic_app.services.session import unlock
    from clinic_app.vault import migrations

    from support import ADMIN, ADMIN_PASS

    small = build(60, seed=3, long_docs=2, long_words=15_000)
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as session:
        fill(session, small)
        conn = session.vault.conn
        rows = conn.execute("SELECT rowid, kind, entity_id, title, body FROM search_index").fetchall()
        expected = {q: [(h.kind, h.ref, h.label, h.snippet) for h in record_service.search_records(session, q)]
                    for q in small.queries}
        conn.execute("BEGIN IMMEDIATE")  # back to schema 9's search tables
        for table in ("search_index", "search_index_parts", "search_index_long", "search_index_labels"):
            conn.execute(f"DROP TABLE {table}")
        for statement in m0002_case_record.SQL.split(";"):
            if "search_index" in statement:
                conn.execute(statement)
        conn.executemany("INSERT INTO search_index (rowid, kind, entity_id, title, body) VALUES (?, ?, ?, ?, ?)",
                         rows)
        conn.execute("PRAGMA user_version = 9")
        conn.execute("COMMIT")
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as session:
        conn = session.vault.conn
        assert migrations.current_version(conn) == migrations.LATEST
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'search_index'").fetchone()[0]
        assert "prefix" in sql
        assert conn.execute("SELECT count(*) FROM search_index_long").fetchone()[0] >= 2
        assert conn.execute("SELECT count(*) FROM search_index").fetchone()[0] == len(rows)
        for query, hits in expected.items():
            assert [(h.kind, h.ref, h.label, h.snippet) for h in record_service.search_records(session, query)] \
                == hits, query


@pytest.mark.parametrize("broad", [False, True])
def test_snippets_made_later_are_the_snippets_made_at_once(filled, corpus, monkeypatch: pytest.MonkeyPatch,
                                                           broad: bool) -> None:  # type: ignore[no-untyped-def]
    """A list that makes only its first snippets, then the others as they are shown, shows
    what one search making them all would have shown, ranked or broad."""
    conn = filled.vault.conn
    if broad:
        monkeypatch.setattr(search, "BROAD", 5)
    kinds = tuple(search.KIND_CODES)
    later = 0
    for query in corpus.queries:
        at_once = search.search(conn, query, kinds=kinds, limit=60)
        first = search.search(conn, query, kinds=kinds, limit=60, snippets=7)
        assert [(h.kind, h.entity_id) for h in first] == [(h.kind, h.entity_id) for h in at_once], query
        assert all(h.snippet is not None for h in first[:7])
        pending = [h.rowid for h in first if h.snippet is None]
        made = search.snippets_of(conn, query, pending)
        assert set(made) == set(pending)
        later += len(pending)
        assert [h.snippet if h.snippet is not None else made[h.rowid] for h in first] == [h.snippet for h in at_once]
    assert later > 100  # the corpus left many to make later


def test_long_bodies_found_together_each_get_their_own_snippet(admin_session) -> None:
    """Several long bodies in one result list: their snippets are made together (a few
    statements for all), yet each comes from its own body, by the same rule as one alone:
    the title's when a word is in the title; else the first part with every word; else the
    first part with any word."""
    conn = admin_session.vault.conn
    filler = " ".join(f"word{i % 977}" for i in range(20_000))  # about 3 parts of filler

    def body(*pieces: str) -> str:
        return filler.join(("", *pieces, ""))

    docs = {
        51: ("Report one", body(" apart alphanumeric here ", " apart omegatron there ")),  # words in two parts
        52: ("Report two", body(" together alphanumeric and omegatron both ")),  # both in one part
        53: ("Alphanumeric report", body(" titled omegatron ")),  # a word in the title
    }
    with admin_session.transaction():
        for entity_id, (title, text) in docs.items():
            assert len(text) > search.LONG_BODY
            search.put(conn, "document", entity_id, title, text, ref=f"d-{entity_id}", label=title)
    hits = {hit.entity_id: hit.snippet for hit in search.search(conn, "alphanumeric omegatron", kinds=("document",))}
    assert set(hits) == set(docs)
    start, end = search.MATCH_START, search.MATCH_END
    assert f"apart {start}alphanumeric{end} here" in hits[51] and "omegatron" not in hits[51]
    assert f"together {start}alphanumeric{end} and {start}omegatron{end} both" in hits[52]
    assert hits[53].startswith(f"{start}Alphanumeric{end} report")
    one_by_one = search.snippets_of(conn, "alphanumeric omegatron", [search.Hit("document", i, None, 0.0).rowid
                                                                      for i in docs])
    assert {rowid // 8: snip for rowid, snip in one_by_one.items()} == hits


@pytest.mark.parametrize("broad", [False, True])
def test_a_long_bodys_title_snippet_is_the_one_fts5_makes_from_the_row(admin_session, monkeypatch: pytest.MonkeyPatch,
                                                                        broad: bool) -> None:
    """A long body's title snippet is made without reading the body (from the title alone,
    in a temporary FTS5 table): it must be exactly what snippet() on the whole row gives,
    diacritics, prefixes, long titles cut with '…' and all."""
    conn = admin_session.vault.conn
    filler = " ".join(f"word{i % 977}" for i in range(12_000))
    titles = {
        61: "Rapport García — alphanumérique, 2024",
        62: "Informe sobre Garcia y el alfabeto, con una lista muy larga de palabras que sigue y sigue hasta el final",
        63: "Garçon garcia GARCÍA",
        64: "Nothing in this title",
    }
    with admin_session.transaction():
        for entity_id, title in titles.items():
            search.put(conn, "document", entity_id, title, f"{filler} zeta garcia {filler}",
                       ref=f"d-{entity_id}", label=title)
    if broad:
        monkeypatch.setattr(search, "BROAD", 0)
    start, end = search.MATCH_START, search.MATCH_END
    checked = 0
    for query in ("garcia", "garcia alphanum", "Garç", "informe garcia", "sigue final", "garcia zeta"):
        expr = search.to_match(query)
        for hit in search.search(conn, query, kinds=("document",)):
            row_expr = f"{{title}} : ({expr})" if broad else expr
            (expected,) = conn.execute("SELECT snippet(search_index, 2, ?, ?, '…', 12) FROM search_index "
                                       "WHERE search_index MATCH ? AND rowid = ?",
                                       (start, end, row_expr, hit.rowid)).fetchone() or ("",)
            if start in expected:
                assert hit.snippet == expected, (query, hit.entity_id)
                checked += 1
    assert checked >= 6
    assert conn.execute("SELECT count(*) FROM temp.search_title_probe").fetchone()[0] == 0  # nothing left behind


def _back_to_schema(conn, version: int, *statements: str) -> None:  # type: ignore[no-untyped-def]
    """The vault as an older Haven left it: `statements` undo what the later steps made."""
    conn.execute("BEGIN IMMEDIATE")
    for statement in statements:
        conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute("COMMIT")


def test_schema_11_keeps_bodies_over_8000_characters_in_parts(vault_folder) -> None:  # type: ignore[no-untyped-def]
    """A vault at schema 10 kept parts only for bodies over 50,000 characters; upgrading adds
    them for the bodies between, and search then gives what a vault made at schema 11 gives."""
    from clinic_app.services.session import unlock
    from clinic_app.vault import migrations

    from support import ADMIN, ADMIN_PASS

    filler = " ".join(f"word{i % 977}" for i in range(2_500))
    mid = search.Hit("document", 71, None, 0.0).rowid
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as session:
        conn = session.vault.conn
        with session.transaction():
            search.put(conn, "document", 71, "Mid-length report", f"{filler} the quokka sleeps {filler}",
                       ref="d-71", label="Mid-length report")
            search.put(conn, "document", 72, "Short note", "a quokka in a short body", ref="d-72", label="Short note")
        assert 8_000 < len(f"{filler} the quokka sleeps {filler}") < 50_000
        expected = search.search(conn, "quokka", kinds=("document",))
        assert f"the {search.MATCH_START}quokka{search.MATCH_END} sleeps" in expected[0].snippet + expected[1].snippet
        _back_to_schema(conn, 10, "DELETE FROM search_index_parts", "DELETE FROM search_index_long",  # no parts
                        "DROP TABLE search_index_labels")
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as session:
        conn = session.vault.conn
        assert migrations.current_version(conn) == migrations.LATEST >= 11
        assert conn.execute("SELECT rowid FROM search_index_long").fetchall() == [(mid,)]
        assert conn.execute("SELECT count(*) FROM search_index_parts WHERE rowid / ? = ?",
                            (search.MAX_PARTS, mid)).fetchone()[0] == len(search.split_parts(f"{filler} the quokka sleeps {filler}"))
        assert search.search(conn, "quokka", kinds=("document",)) == expected


def test_schema_12_lists_hits_by_labels_kept_beside_the_index(vault_folder) -> None:  # type: ignore[no-untyped-def]
    """A vault at schema 11 read each hit's ref and label from its record; upgrading fills
    `search_index_labels` from the records, and search then lists the same hits with the
    same refs and labels. An edited name or title is listed at once."""
    from clinic_app.services import case_record, evidence
    from clinic_app.services.session import unlock
    from clinic_app.vault import migrations

    from support import ADMIN, ADMIN_PASS

    small = build(80, seed=5)
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as session:
        fill(session, small)
        expected = {q: [(h.kind, h.ref, h.label, h.snippet) for h in record_service.search_records(session, q)]
                    for q in small.queries}
        conn = session.vault.conn
        _back_to_schema(conn, 11, "DROP TABLE search_index_labels")  # no labels beside the index
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as session:
        conn = session.vault.conn
        assert migrations.current_version(conn) == migrations.LATEST >= 12
        records_count = sum(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                            for t in ("clients", "matters", "documents", "letters"))
        assert conn.execute("SELECT count(*) FROM search_index_labels").fetchone()[0] == records_count
        got = {q: [(h.kind, h.ref, h.label, h.snippet) for h in record_service.search_records(session, q)]
               for q in small.queries}
        assert got == expected
        assert sum(len(hits) for hits in got.values()) > 200  # the corpus's queries find records of every kind
        assert {kind for hits in got.values() for kind, *_ in hits} == set(KINDS)

        client = small.clients[0]
        record = case_record.get_client(session, client["ref"])
        case_record.save_client(session, dataclasses.replace(record, legal_name="Zoltana Quillfeather"))
        [hit] = record_service.search_records(session, "Quillfeather")
        assert (hit.kind, hit.ref, hit.label) == ("client", client["ref"], "Zoltana Quillfeather")
        document = small.documents[0]
        evidence.update_metadata(session, document["ref"], title="Ultramarine affidavit")
        [hit] = record_service.search_records(session, "Ultramarine")
        assert (hit.kind, hit.ref, hit.label) == ("document", document["ref"], "Ultramarine affidavit")
