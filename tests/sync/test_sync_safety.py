"""What the server holds, what a removed member keeps, what a volunteer's laptop holds, and documents.

- no plaintext: marker strings (UTF-8 and UTF-16) in every kind of record and document are
  absent from a `pg_dump` of the database and from the server's data folder;
- revocation: a removed member's login fails, their keys open nothing written afterwards,
  a record they sign afterwards is rejected, and a membership entry forged on the server is
  rejected;
- documents: a 100 MB file goes up once as encrypted chunks, the same file imported on
  another laptop uploads nothing, an interrupted upload resumes;
- a volunteer's vault, read page by page, holds no narrative, no other document, no key.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import subprocess
from pathlib import Path

import psycopg
import pytest

from clinic_app.domain.client import Client
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.letter import SupportLetter
from clinic_app.domain.matter import Matter
from clinic_app.domain.roles import Role
from clinic_app.services import case_record, evidence, letters_workflow, users
from clinic_app.services.sync import envelope, membership, server
from clinic_app.services.sync.engine import SyncFailed
from clinic_app.vault import blobs, records

from pg_server import as_owner
from laptops import Laptop, admin_laptop, join_laptop

MARKER = "QXZSYNCMARKER"


def _seed_everything(lap: Laptop) -> None:
    """A record of every kind, each holding the marker."""
    from clinic_app.services import bundles, packages
    from clinic_app.domain.bundle import BundleSpec, Section
    from clinic_app.services.bundle_specs import tab_for_document

    with lap.session() as s:
        case_record.save_client(s, Client(ref="c-1", legal_name=f"Name {MARKER}", narrative=f"Story {MARKER}",
                                          public_initials="N.M."))
        case_record.save_matter(s, Matter(ref="m-1", client_ref="c-1", type="hc", title=f"H&C {MARKER}"))
        evidence.store_document(s, io.BytesIO(f"evidence {MARKER} ".encode() * 200 + MARKER.encode("utf-16-le")),
                                DocumentMeta(ref="d-1", title=f"Report {MARKER}"), ["m-1"])
        evidence.store_document(s, io.BytesIO(f"scan {MARKER}".encode()), DocumentMeta(ref="d-2", title="Scan"),
                                ["m-1"])
        case_record.save_letter(s, SupportLetter(ref="l-1", matter_ref="m-1", writer=f"Writer {MARKER}",
                                                 key_quote=f"quote {MARKER}"))
        letters_workflow.link_scan(s, "l-1", "d-2")
        packages.set_item_status(s, "m-1", "hc_application",
                                 packages.checklist(s, "m-1", "hc_application").entries[0].item.id, "requested",
                                 note=f"note {MARKER}")
        bundles.save_project(s, "b-1", "m-1", BundleSpec(title=f"Bundle {MARKER}", sections=[
            Section("", [tab_for_document(s.vault.conn, "d-1")])]))


def test_the_server_never_holds_a_marker(tmp_path: Path, server_url: str, pg_cluster) -> None:  # type: ignore[no-untyped-def]
    admin = admin_laptop(tmp_path, server_url, users_to_add={"lena": Role.LAWYER, "vic": Role.VOLUNTEER})
    _seed_everything(admin)
    admin.sync()
    lena = join_laptop(admin, tmp_path, "lena", Role.LAWYER)
    join_laptop(admin, tmp_path, "vic", Role.VOLUNTEER)
    lena.sync()
    dump = subprocess.run(as_owner([str(pg_cluster.bindir / "pg_dump"), "--dbname", server_url, "--data-only"]),
                          capture_output=True, check=True).stdout
    needles = [MARKER.encode(), MARKER.encode("utf-16-le"), MARKER.lower().encode()]
    assert dump.count(b"COPY haven.records") == 1 and len(dump) > 10_000
    assert not any(n in dump for n in needles)
    subprocess.run(as_owner([str(pg_cluster.bindir / "psql"), server_url, "-c", "CHECKPOINT"]), capture_output=True)
    for path in pg_cluster.data.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(n in data for n in needles), path


def test_a_removed_member_is_cut_off(tmp_path: Path, server_url: str) -> None:
    admin = admin_laptop(tmp_path, server_url, users_to_add={"bob": Role.STAFF, "lena": Role.LAWYER})
    bob = join_laptop(admin, tmp_path, "bob", Role.STAFF)
    lena = join_laptop(admin, tmp_path, "lena", Role.LAWYER)
    with bob.session() as s:
        bob_url = s.vault.conn.execute("SELECT value FROM sync_config WHERE key = 'url'").fetchone()[0]
        from clinic_app.services.sync import local

        bob_keys = local.scope_keys(s.vault.conn)
        bob_me = local.identity(s.vault.conn)
        clinic_id = local.settings(s.vault.conn).clinic_id
    with admin.session() as s:
        users.remove_user(s, "bob")
        case_record.save_client(s, Client(ref="c-after", legal_name=f"After {MARKER}"))
    admin.sync()
    with pytest.raises(server.ServerError):  # the login itself is refused
        with server.connect(bob_url):
            pass
    with pytest.raises(SyncFailed):
        bob.sync()
    # the rows written after the removal do not open with any key bob holds
    with psycopg.connect(server_url) as pg:
        rows = pg.execute("SELECT scope, record_id, epoch, body FROM haven.records").fetchall()
        newest = max(r[2] for r in rows)
        assert newest > max(k.epoch for k in bob_keys.values())
        for scope, record_id, epoch, body in rows:
            if epoch == newest:
                for key in bob_keys.values():
                    with pytest.raises(envelope.EnvelopeError):
                        envelope.open_row(clinic_id, key, record_id, bytes(body))
        # a record bob signs now, slipped in by the server, is rejected by the others
        key = max(bob_keys.values(), key=lambda k: (k.scope == "all", k.epoch))
        forged_id = key.record_id("client", "c-forged")
        content = {"kind": "client", "ref": "c-forged",
                   "record": {"fields": {"data.legal_name": ["Forged", "9999999999999-000000-" + bob_me.device_id,
                                                             bob_me.device_id]}, "deleted": None}}
        body = envelope.seal_row(clinic_id, key, forged_id, content, bob_me)
        pg.execute("INSERT INTO haven.records VALUES (%s, %s, nextval('haven.record_seq'), 1, %s, %s, %s)",
                   (key.scope, forged_id, key.epoch, bob_me.device_id, body))
        pg.commit()
    report = lena.sync()
    assert report.rejected >= 1
    with lena.session() as s:
        assert "c-forged" not in records.all_refs(s.vault.conn, "clients")
        assert "c-after" in records.all_refs(s.vault.conn, "clients")
    # a membership entry forged on the server (signed by a non-admin key) stops the sync, applies nothing
    with psycopg.connect(server_url) as pg:
        last = membership.Entry.from_bytes(bytes(pg.execute(
            "SELECT entry FROM haven.membership ORDER BY seq DESC LIMIT 1").fetchone()[0]))
        impostor = envelope.Identity.generate("feedfacefeedface")
        forged = membership.sign_entry(bob_me, {
            **last.content, "seq": last.seq + 1, "prev": last.digest, "type": "add", "by": bob_me.device_id,
            "device": impostor.device_id, "user": "mallory", "role": "admin", "sign_pub": impostor.sign_pub.hex(),
            "kx_pub": impostor.kx_pub.hex()})
        pg.execute("INSERT INTO haven.membership VALUES (%s, %s)", (forged.seq, forged.to_bytes()))
        pg.commit()
    with pytest.raises(SyncFailed, match="does not verify"):
        lena.sync()


@pytest.mark.parametrize("megabytes", [pytest.param(12, id="12MB"), pytest.param(100, id="100MB", marks=pytest.mark.slow)])
def test_a_big_document_goes_up_once_and_resumes(tmp_path: Path, server_url: str, monkeypatch,  # type: ignore[no-untyped-def]
                                                 megabytes: int) -> None:
    admin = admin_laptop(tmp_path, server_url, users_to_add={"lena": Role.LAWYER})
    lena = join_laptop(admin, tmp_path, "lena", Role.LAWYER)
    size = megabytes * 1024 * 1024
    big = tmp_path / "big.pdf"
    with open(big, "wb") as fh:
        for _ in range(size // (1 << 20)):
            fh.write(secrets.token_bytes(1 << 20))
    with admin.session() as s:
        case_record.save_client(s, Client(ref="c-1", legal_name="Person"))
        case_record.save_matter(s, Matter(ref="m-1", client_ref="c-1", type="hc", title="t"))
        with open(big, "rb") as fh:
            evidence.store_document(s, fh, DocumentMeta(ref="d-big", title="Big"), ["m-1"])
    real_put, calls, half = server.put_chunk, [], megabytes // 2

    def flaky_put(pg, scope, chunk_id, body):  # type: ignore[no-untyped-def]
        calls.append(chunk_id)
        if len(calls) == half + 1:
            raise server.ServerError("server gone mid-upload")
        return real_put(pg, scope, chunk_id, body)

    monkeypatch.setattr(server, "put_chunk", flaky_put)
    with pytest.raises(SyncFailed):
        admin.sync()
    monkeypatch.setattr(server, "put_chunk", real_put)
    first = admin.sync()
    chunks = size // (1 << 20)
    assert first.chunks_already_there == half and first.chunks_uploaded == chunks - half  # resumed, not restarted
    with psycopg.connect(server_url) as pg:
        assert pg.execute("SELECT count(*) FROM haven.chunks WHERE scope = 'all'").fetchone()[0] == chunks
    lena.sync()
    with lena.session() as s:
        with open(big, "rb") as fh:
            evidence.store_document(s, fh, DocumentMeta(ref="d-big-again", title="Same file"), ["m-1"])
    again = lena.sync()
    assert again.chunks_uploaded == 0 and again.chunks_already_there == chunks
    with lena.session() as s:
        conn = s.vault.conn
        blob_id, _w = records.document_blobs(conn, records.require_id(conn, "documents", "d-big"))
        digest = hashlib.sha256()
        for part in blobs.iter_chunks(conn, blob_id):
            digest.update(part)
    assert digest.hexdigest() == hashlib.sha256(big.read_bytes()).hexdigest()


def test_a_volunteers_vault_holds_letters_and_nothing_else(tmp_path: Path, server_url: str) -> None:
    admin = admin_laptop(tmp_path, server_url, users_to_add={"vic": Role.VOLUNTEER})
    _seed_everything(admin)
    admin.sync()
    vic = join_laptop(admin, tmp_path, "vic", Role.VOLUNTEER)
    with vic.session() as s:
        conn = s.vault.conn
        assert records.all_refs(conn, "documents") == ["d-2"] and records.all_refs(conn, "bundles") == []
        scope_names = {r[0] for r in conn.execute("SELECT scope FROM sync_keys")}
        assert scope_names == {"letters", "id:letters"}
        hits = s.vault.find_in_pages([f"Story {MARKER}".encode(), f"evidence {MARKER}".encode(),
                                      f"Report {MARKER}".encode(), f"Name {MARKER}".encode(),
                                      f"Bundle {MARKER}".encode(), f"note {MARKER}".encode()])
        assert [h for h in hits if h[2]] == []
        letter_hits = s.vault.find_in_pages([f"quote {MARKER}".encode()])
        assert [h for h in letter_hits if h[2]]  # the check can find what is there
