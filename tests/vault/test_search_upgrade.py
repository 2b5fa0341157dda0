"""A vault indexed before schema 13 finds numbers typed without their dashes and Chinese text
inside a run once upgraded: the step indexes every row again, long bodies' parts too."""

from __future__ import annotations

import io

from clinic_app.domain.client import Client
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.matter import Matter, MatterType
from clinic_app.services import case_record, evidence, records
from clinic_app.services.evidence import Analysis
from clinic_app.services.session import unlock
from clinic_app.vault import migrations, search

from support import ADMIN, ADMIN_PASS

NAME, TITLE = "王张伟", "王张伟 1234-5678 c-wang"
LONG_TEXT = "filler words " * 700 + "我叫张伟是学生 " + "more filler " * 700


def _refs(session, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(h.ref for h in records.search_records(session, query))


def test_schema_13_indexes_an_older_vault_again(vault_folder) -> None:  # type: ignore[no-untyped-def]
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as session:
        case_record.save_client(session, Client(ref="c-wang", legal_name=NAME, uci="1234-5678"))
        case_record.save_matter(session, Matter(ref="m-wang", client_ref="c-wang", type=MatterType.RPD_CLAIM,
                                                title="Claim"))
        evidence.store_document(session, io.BytesIO(LONG_TEXT.encode()), DocumentMeta(ref="d-long", title="Notes"),
                                ["m-wang"], analysis=Analysis(text=LONG_TEXT))
        conn = session.vault.conn
        client_row = conn.execute("SELECT id FROM clients WHERE ref = 'c-wang'").fetchone()[0] * 8 + 1
        doc_row = conn.execute("SELECT id FROM documents WHERE ref = 'd-long'").fetchone()[0] * 8 + 3
        assert conn.execute("SELECT count(*) FROM search_index_long WHERE rowid = ?", (doc_row,)).fetchone()[0] == 1
        conn.execute("BEGIN IMMEDIATE")  # the rows as schema 12 indexed them: the text as written
        conn.execute("UPDATE search_index SET title = ? WHERE rowid = ?", (TITLE, client_row))
        conn.execute("UPDATE search_index SET body = ? WHERE rowid = ?", (LONG_TEXT, doc_row))
        low = doc_row * search.MAX_PARTS
        conn.execute("DELETE FROM search_index_parts WHERE rowid BETWEEN ? AND ?", (low, low + search.MAX_PARTS - 1))
        conn.executemany("INSERT INTO search_index_parts (rowid, body) VALUES (?, ?)",
                         ((low + n, part) for n, part in enumerate(search.split_parts(LONG_TEXT))))
        conn.execute("PRAGMA user_version = 12")
        conn.execute("COMMIT")
        assert _refs(session, "12345678") == [] and _refs(session, "张伟") == []  # as a schema 12 vault did
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as session:
        assert migrations.current_version(session.vault.conn) == migrations.LATEST
        assert _refs(session, "12345678") == ["c-wang"]
        assert _refs(session, "张伟") == ["c-wang", "d-long"]
        hits = {h.ref: h for h in records.search_records(session, "张伟")}
        assert hits["c-wang"].snippet == "王[张伟] 1234-5678 c-wang"
        assert "我叫[张伟]是学生" in hits["d-long"].snippet, hits["d-long"].snippet  # from its part
        assert _refs(session, "filler") == ["d-long"]


def test_schema_13_keeps_the_words_between_shaping_marks_pasted_from_a_pdf(vault_folder) -> None:  # type: ignore[no-untyped-def]
    """Arabic text copied from some PDFs comes between U+206C and U+206D (inhibit, then activate,
    Arabic form shaping); schema 13 uses those marks itself, and indexing a schema 12 row
    again must not take the words between them for a mark of its own and drop them."""
    name = "\u206cأحمد\u206d Cruz"
    notes = "Interview: \u206cيعيش في كندا\u206d since 2019."
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as session:
        case_record.save_client(session, Client(ref="c-ahmad", legal_name=name, notes=notes))
        conn = session.vault.conn
        row = conn.execute("SELECT id FROM clients WHERE ref = 'c-ahmad'").fetchone()[0] * 8 + 1
        title, body = conn.execute("SELECT title, body FROM search_index WHERE rowid = ?", (row,)).fetchone()
        conn.execute("BEGIN IMMEDIATE")  # the row as schema 12 indexed it: the text as written, marks and all
        conn.execute("UPDATE search_index SET title = ?, body = ? WHERE rowid = ?",
                     (title.replace("أحمد", "\u206cأحمد\u206d"), body.replace("يعيش في كندا", "\u206cيعيش في كندا\u206d"),
                      row))
        conn.execute("PRAGMA user_version = 12")
        conn.execute("COMMIT")
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as session:
        assert migrations.current_version(session.vault.conn) == migrations.LATEST
        for query in ("أحمد", "كندا", "Cruz", "2019"):
            assert _refs(session, query) == ["c-ahmad"], query
