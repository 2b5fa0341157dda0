"""Secure deletion: after delete-client, no decrypted page (used or free) and no WAL frame
holds any marker of that client, while shared documents and other clients stay intact.

The scan decrypts every page of the file itself (vault/pages.py, SQLCipher 4's page
format), so free pages are read too; a control case proves the scanner finds
deleted rows in free pages when nothing scrubs them.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest

from clinic_app.domain.bundle import BundleSpec, DocumentPart, Section, Tab
from clinic_app.domain.client import Client
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.letter import SupportLetter
from clinic_app.domain.matter import Matter
from clinic_app.errors import BadInput, PermissionDenied
from clinic_app.services import bundles, case_record, evidence, purge, records
from clinic_app.services.evidence import Analysis
from clinic_app.services.session import unlock
from clinic_app.vault import audit, pages

from rel_support import haven, vault_args
from support import ADMIN, ADMIN_PASS, open_original

GONE = ["QXZPURGENAME", "QXZPURGENARRATIVE", "QXZPURGEMATTER", "QXZPURGEDOCTITLE", "QXZPURGEDOCBYTES",
        "QXZPURGETEXT", "QXZPURGEQUOTE", "QXZPURGEBUNDLE", "ÑQXZPURGÉALIAS"]
KEPT = ["QXZSHAREDKEEP", "QXZOTHERCLIENT"]


def _needles(markers: list[str]) -> list[bytes]:
    return [m.encode(enc) for m in markers for enc in ("utf-8", "utf-16-le")]


def _seed(session) -> None:  # type: ignore[no-untyped-def]
    case_record.save_client(session, Client(ref="c-gone", legal_name="Zelda QXZPURGENAME",
                                            aliases=("ÑQXZPURGÉALIAS",), narrative="QXZPURGENARRATIVE " * 300))
    case_record.save_client(session, Client(ref="c-other", legal_name="Other QXZOTHERCLIENT"))
    case_record.save_matter(session, Matter(ref="m-gone", client_ref="c-gone", type="hc", title="QXZPURGEMATTER"))
    case_record.save_matter(session, Matter(ref="m-other", client_ref="c-other", type="hc", title="Other"))
    own = ("QXZPURGEDOCBYTES " * 5000).encode() + ("QXZPURGEDOCBYTES " * 2000).encode("utf-16-le")
    evidence.store_document(session, io.BytesIO(own), DocumentMeta(ref="d-gone", title="QXZPURGEDOCTITLE"),
                            ["m-gone"], analysis=Analysis(text="QXZPURGETEXT " * 5000,  # long: kept in parts too
                                                      working_pdf=own[:5000]))
    evidence.store_document(session, io.BytesIO(b"QXZSHAREDKEEP " * 3000), DocumentMeta(ref="d-shared",
                            title="Shared country report"), ["m-gone", "m-other"])
    evidence.store_document(session, io.BytesIO(b"scan " * 100), DocumentMeta(ref="d-scan", title="Scan"),
                            ["m-gone"])
    evidence.store_document(session, io.BytesIO(b"QXZSHAREDKEEP in a bundle " * 100),
                            DocumentMeta(ref="d-cited", title="Cited elsewhere"), ["m-gone"])
    bundles.save_project(session, "b-other", "m-other", BundleSpec(title="Other", sections=[
        Section(tabs=[Tab(title="Cited", parts=[DocumentPart("d-cited")])])]))
    case_record.save_letter(session, SupportLetter(ref="l-gone", matter_ref="m-gone", writer="Writer",
                                                   key_quote="QXZPURGEQUOTE", document_ref="d-scan"))
    bundles.save_project(session, "b-gone", "m-gone", BundleSpec(title="QXZPURGEBUNDLE", sections=[
        Section(tabs=[Tab(title="Statement", parts=[DocumentPart("d-gone")])])]))


def _freelist(page1: bytes, cipher: pages.PageCipher, db: Path) -> set[int]:
    """Free page numbers, read from the decrypted header and trunk pages."""
    trunk, free = struct.unpack(">I", page1[32:36])[0], set()
    raw = {n: p for n, p in pages.iter_pages(db)}
    while trunk:
        page = cipher.decrypt(trunk, raw[trunk])
        assert page is not None
        free.add(trunk)
        count = struct.unpack(">I", page[4:8])[0]
        free.update(struct.unpack(">I", page[8 + 4 * i: 12 + 4 * i])[0] for i in range(count))
        trunk = struct.unpack(">I", page[:4])[0]
    return free


def test_scanner_reads_free_pages(vault_folder: Path) -> None:
    """Control: without scrubbing, a deleted narrative is still found, in pages on the freelist."""
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-x", legal_name="X", narrative="QXZFREEPAGE " * 15000))
        conn = s.vault.conn
        conn.execute("PRAGMA secure_delete = OFF")
        with s.transaction():
            conn.execute("DELETE FROM search_index WHERE kind = 'client'")
            conn.execute("DELETE FROM clients WHERE ref = 'c-x'")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert conn.execute("SELECT count(*) FROM clients").fetchone()[0] == 0
        hits = s.vault.find_in_pages([b"QXZFREEPAGE"])
        db = s.vault.db_path
        cipher = pages.PageCipher(bytes(s.vault._data_key), pages.read_salt(db))
        page1 = cipher.decrypt(1, next(pages.iter_pages(db))[1])
        assert page1 is not None
        free = _freelist(page1, cipher, db)
    assert free, "the deletion should have freed overflow pages"
    assert {pgno for _f, pgno, _n in hits} & free


def test_delete_client_leaves_no_trace_in_any_page_or_file(vault_folder: Path) -> None:
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        _seed(s)
        before = {n for _f, _p, n in s.vault.find_in_pages(_needles(GONE + KEPT))}
        # positive control: every marker is there before (UTF-16 only where a file holds it)
        assert before == {m.encode() for m in GONE + KEPT} | {"QXZPURGEDOCBYTES".encode("utf-16-le")}
        plan = purge.plan_deletion(s, "c-gone")
        assert plan.matters == ("m-gone",) and plan.documents_deleted == ("d-gone", "d-scan")
        assert plan.documents_kept == ("d-cited", "d-shared") and plan.letters == 1 and plan.bundles == 1
        result = purge.delete_client(s, plan)
        assert result.scrubbed and result.files_removed == 3  # original, working copy, scan
        hits = s.vault.find_in_pages(_needles(GONE + KEPT))
        assert [h for h in hits if h[2] in _needles(GONE) or h[2] == b""] == []
        assert {h[2] for h in hits} >= {b"QXZSHAREDKEEP", b"QXZOTHERCLIENT"}
        assert [r["ref"] for r in records.listing(s, "documents").rows] == ["d-cited", "d-shared"]
        assert open_original(s, "d-shared").read() == b"QXZSHAREDKEEP " * 3000
        assert [h.ref for h in records.search_records(s, "QXZPURGENAME")] == []
        rows = audit.entries(s.vault.conn)
        assert rows[-1].action == "client_deleted" and rows[-1].detail["documents"] == 2
        assert not any(m in repr(r) for r in rows for m in GONE)
        assert audit.verify(s.vault.conn, s.vault.vault_id) == []
    for name in ("vault.db", "vault.db-wal", "vault.db-shm"):
        path = vault_folder / name
        if path.exists():
            raw = path.read_bytes()
            assert not any(n in raw for n in _needles(GONE + KEPT)), name
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s:  # still clean after reopening
        assert s.vault.find_in_pages(_needles(GONE)) == []


def test_deletion_refuses_a_stale_confirmation_and_needs_the_permission(vault_folder: Path, role_sessions) -> None:
    with role_sessions("admin") as s:
        _seed(s)
        plan = purge.plan_deletion(s, "c-gone")
        evidence.store_document(s, io.BytesIO(b"late arrival"), DocumentMeta(ref="d-late", title="Late"), ["m-gone"])
        with pytest.raises(BadInput):
            purge.delete_client(s, plan)
        assert case_record.get_client(s, "c-gone").ref == "c-gone"
    with role_sessions("staff") as staff, pytest.raises(PermissionDenied):
        purge.plan_deletion(staff, "c-gone")


def test_cli_delete_client_needs_yes_without_a_terminal(vault_folder: Path) -> None:
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        _seed(s)
    v = vault_args(vault_folder)
    refused = haven(*v, "delete-client", "c-gone", stdin=ADMIN_PASS + "\n")
    assert refused.returncode == 2 and "--yes" in refused.stderr
    done = haven(*v, "delete-client", "c-gone", "--yes", stdin=ADMIN_PASS + "\n")
    assert done.returncode == 0, done.stderr
    assert "m-gone" in done.stdout and "d-shared" in done.stdout
    assert not any(m in done.stdout + done.stderr for m in GONE)
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        assert [c.ref for c in case_record.clients(s)] == ["c-other"]
        assert s.vault.find_in_pages(_needles(GONE)) == []
