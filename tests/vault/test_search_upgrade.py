"""A vault indexed before schema 13 finds numbers typed without their dashes once upgraded:
the step indexes every row again."""

from __future__ import annotations

from clinic_app.domain.client import Client
from clinic_app.services import case_record, records
from clinic_app.services.session import unlock
from clinic_app.vault import migrations

from support import ADMIN, ADMIN_PASS

TITLE = "Wang Wei 1234-5678 c-wang"


def _refs(session, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(h.ref for h in records.search_records(session, query))


def test_schema_13_indexes_an_older_vault_again(vault_folder) -> None:  # type: ignore[no-untyped-def]
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as session:
        case_record.save_client(session, Client(ref="c-wang", legal_name="Wang Wei", uci="1234-5678"))
        conn = session.vault.conn
        client_row = conn.execute("SELECT id FROM clients WHERE ref = 'c-wang'").fetchone()[0] * 8 + 1
        conn.execute("BEGIN IMMEDIATE")  # the row as schema 12 indexed it: the text as written
        conn.execute("UPDATE search_index SET title = ? WHERE rowid = ?", (TITLE, client_row))
        conn.execute("PRAGMA user_version = 12")
        conn.execute("COMMIT")
        assert _refs(session, "12345678") == []  # as a schema 12 vault did
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as session:
        assert migrations.current_version(session.vault.conn) == migrations.LATEST
        assert _refs(session, "12345678") == ["c-wang"]
        [hit] = records.search_records(session, "12345678")
        assert hit.snippet == "Wang Wei [1234-5678] c-wang"
