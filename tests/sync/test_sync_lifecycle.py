"""Everything that existed keeps working on a connected vault: secure deletion reaches every laptop
and the server, a restored laptop catches up without bringing deleted records back, a case file
imported on one laptop reaches the others."""

from __future__ import annotations

import io
import os
from pathlib import Path

import psycopg

from clinic_app.domain.client import Client
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.matter import Matter
from clinic_app.domain.roles import Role
from clinic_app.services import backup, case_record, evidence, purge, restore
from clinic_app.services.sync import audit_share
from clinic_app.vault import audit, records

from laptops import Laptop, admin_laptop, join_laptop

MARKER = "QXZPURGEMARKER"


def _client_with_document(lap: Laptop, ref: str, text: str) -> None:
    with lap.session() as s:
        case_record.save_client(s, Client(ref=ref, legal_name=f"{text} {ref}", narrative=f"story {text}"))
        case_record.save_matter(s, Matter(ref=f"m-{ref}", client_ref=ref, type="hc", title="H&C"))
        evidence.store_document(s, io.BytesIO(f"{text} document ".encode() * 100 + os.urandom(64)),
                                DocumentMeta(ref=f"d-{ref}", title=f"{text} doc"), [f"m-{ref}"])


def test_deleting_a_client_reaches_every_laptop_and_the_server(tmp_path: Path, server_url: str) -> None:
    admin = admin_laptop(tmp_path, server_url, users_to_add={"lena": Role.LAWYER})
    _client_with_document(admin, "c-gone", MARKER)
    _client_with_document(admin, "c-kept", "Kept")
    admin.sync()
    lena = join_laptop(admin, tmp_path, "lena", Role.LAWYER)
    with psycopg.connect(server_url) as pg:
        chunks_before = pg.execute("SELECT count(*) FROM haven.chunks").fetchone()[0]
    with admin.session() as s:
        purge.delete_client(s, purge.plan_deletion(s, "c-gone"))
        assert [h for h in s.vault.find_in_pages([MARKER.encode()]) if h[2]] == []  # before any sync, too
    admin.sync()
    lena.sync()
    with lena.session() as s:
        conn = s.vault.conn
        assert records.all_refs(conn, "clients") == ["c-kept"] and records.all_refs(conn, "documents") == ["d-c-kept"]
        assert [h for h in s.vault.find_in_pages([MARKER.encode()]) if h[2]] == []  # scrubbed, free pages too
        assert audit.verify(conn, s.vault.vault_id) == []
    with psycopg.connect(server_url) as pg:
        assert pg.execute("SELECT count(*) FROM haven.chunks").fetchone()[0] == chunks_before - 1
    with admin.session() as s:
        assert audit_share.verify(s) == []


def test_a_restored_laptop_catches_up_without_resurrecting(tmp_path: Path, server_url: str) -> None:
    admin = admin_laptop(tmp_path, server_url, users_to_add={"lena": Role.ADMIN})  # admins make backups
    _client_with_document(admin, "c-old", "Old")
    _client_with_document(admin, "c-edited", "Before")
    admin.sync()
    lena = join_laptop(admin, tmp_path, "lena", Role.ADMIN)
    with lena.session() as s:
        made = backup.make_backup(s, tmp_path / "lena.havenbak")
    with admin.session() as s:
        purge.delete_client(s, purge.plan_deletion(s, "c-old"))
        case_record.save_client(s, Client(ref="c-edited", legal_name="After c-edited", narrative="story After"))
    admin.sync()
    lena.sync()
    restore.restore(made.path, lena.folder, user=lena.user, passphrase=lena.passphrase, replace=True)
    with lena.session() as s:
        assert "c-old" in records.all_refs(s.vault.conn, "clients")  # the backup is older
    lena.sync()
    admin.sync()
    for lap in (lena, admin):
        with lap.session() as s:
            assert records.all_refs(s.vault.conn, "clients") == ["c-edited"]
            assert case_record.get_client(s, "c-edited").legal_name == "After c-edited"
    with admin.session() as s:
        assert audit_share.verify(s) == []  # the restored laptop's chain went up as a new chain


def test_a_case_file_imported_on_one_laptop_reaches_the_others(tmp_path: Path, server_url: str) -> None:
    from clinic_app.services import transfer
    from clinic_app.services.session import create_vault

    elsewhere, _r = create_vault(tmp_path / "other-clinic", admin="ana", passphrase="correct horse battery staple",
                                 kdf_profile="fast")
    with elsewhere as s:
        case_record.save_client(s, Client(ref="c-moved", legal_name="Moved Person"))
        case_record.save_matter(s, Matter(ref="m-moved", client_ref="c-moved", type="hc", title="H&C"))
        transfer.export_matter(s, "m-moved", tmp_path / "case.havencase", "a case file passphrase for transfer")
    admin = admin_laptop(tmp_path, server_url, users_to_add={"lena": Role.LAWYER})
    lena = join_laptop(admin, tmp_path, "lena", Role.LAWYER)
    with admin.session() as s:
        transfer.import_matter(s, tmp_path / "case.havencase", "a case file passphrase for transfer")
    admin.sync()
    lena.sync()
    with lena.session() as s:
        assert "m-moved" in records.all_refs(s.vault.conn, "matters")


def test_a_lost_server_is_reseeded_from_a_full_laptop(tmp_path: Path, server_url: str, pg_cluster) -> None:  # type: ignore[no-untyped-def]
    from clinic_app.services.sync import enrol

    admin = admin_laptop(tmp_path, server_url, users_to_add={"lena": Role.LAWYER})
    _client_with_document(admin, "c-1", "Kept")
    admin.sync()
    new_db = "reseeded_" + os.urandom(4).hex()
    with psycopg.connect(pg_cluster.url(), autocommit=True) as pg:
        pg.execute(f"CREATE DATABASE {new_db}")
    with admin.session() as s:
        enrol.setup(s, pg_cluster.url(new_db), reseed=True)
    admin.sync()
    lena = join_laptop(admin, tmp_path, "lena", Role.LAWYER, name="lena-new")
    with lena.session() as s:
        assert records.all_refs(s.vault.conn, "documents") == ["d-c-1"]
