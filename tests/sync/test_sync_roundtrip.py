"""Two laptops, one clinic: what one records, the other receives; edits merge per field."""

from __future__ import annotations

from pathlib import Path

from clinic_app.domain.client import Client
from clinic_app.domain.roles import Role
from clinic_app.services import case_record

from laptops import admin_laptop, join_laptop


def test_a_record_made_on_one_laptop_reaches_the_other(tmp_path: Path, server_url: str) -> None:
    admin = admin_laptop(tmp_path, server_url, users_to_add={"lena": Role.LAWYER})
    with admin.session() as s:
        case_record.save_client(s, Client(ref="c-001", legal_name="Amira Haddad", narrative="fled in 2021"))
    admin.sync()
    lena = join_laptop(admin, tmp_path, "lena", Role.LAWYER)
    with lena.session() as s:
        got = case_record.get_client(s, "c-001")
    assert got.legal_name == "Amira Haddad" and got.narrative == "fled in 2021"
    with lena.session() as s:
        case_record.save_client(s, Client(ref="c-001", legal_name="Amira Haddad", narrative="fled in March 2021"))
    lena.sync()
    admin.sync()
    with admin.session() as s:
        assert case_record.get_client(s, "c-001").narrative == "fled in March 2021"


def test_documents_travel_as_chunks_and_a_volunteer_gets_only_letters(tmp_path: Path, server_url: str) -> None:
    import hashlib
    import io
    import os

    from clinic_app.domain.document import DocumentMeta
    from clinic_app.domain.letter import SupportLetter
    from clinic_app.domain.matter import Matter
    from clinic_app.services import evidence, letters_workflow
    from clinic_app.vault import blobs, records

    admin = admin_laptop(tmp_path, server_url, users_to_add={"vic": Role.VOLUNTEER, "lena": Role.LAWYER})
    evidence_bytes = os.urandom(2_500_000)  # three chunks
    scan = b"%scan of a signed letter " + os.urandom(5000)
    with admin.session() as s:
        case_record.save_client(s, Client(ref="c-001", legal_name="Amira Haddad", narrative="SECRET NARRATIVE",
                                          public_initials="A.H."))
        case_record.save_matter(s, Matter(ref="m-001", client_ref="c-001", type="hc", title="H&C"))
        evidence.store_document(s, io.BytesIO(evidence_bytes), DocumentMeta(ref="d-ev", title="Report"), ["m-001"])
        evidence.store_document(s, io.BytesIO(scan), DocumentMeta(ref="d-scan", title="Scan"), ["m-001"])
        case_record.save_letter(s, SupportLetter(ref="l-1", matter_ref="m-001", writer="A Teacher"))
        letters_workflow.link_scan(s, "l-1", "d-scan")
    admin.sync()
    lena = join_laptop(admin, tmp_path, "lena", Role.LAWYER)
    vic = join_laptop(admin, tmp_path, "vic", Role.VOLUNTEER)
    with lena.session() as s:
        conn = s.vault.conn
        doc_id = records.require_id(conn, "documents", "d-ev")
        blob_id, _working = records.document_blobs(conn, doc_id)
        assert hashlib.sha256(blobs.read_all(conn, blob_id)).hexdigest() == hashlib.sha256(evidence_bytes).hexdigest()
    with vic.session() as s:
        conn = s.vault.conn
        assert records.all_refs(conn, "documents") == ["d-scan"]
        assert records.all_refs(conn, "letters") == ["l-1"]
        (client_data,) = [r[0] for r in conn.execute("SELECT data FROM clients")]
        assert "SECRET NARRATIVE" not in client_data and "Amira" not in client_data
        assert {k for k, _e in conn.execute("SELECT scope, epoch FROM sync_keys") if not k.startswith("id:")} == \
            {"letters"}
        case_record.save_letter(s, SupportLetter(ref="l-2", matter_ref="m-001", writer="A Neighbour"))
    vic.sync()
    admin.sync()
    with admin.session() as s:
        assert [l.writer for l in case_record.letters(s, "m-001")] == ["A Teacher", "A Neighbour"]


def test_a_ref_created_on_both_laptops_is_searched_under_its_new_ref(tmp_path: Path, server_url: str) -> None:
    """Two laptops create the same ref offline; the one that syncs second renames its own.
    Search on that laptop then lists each client by its own ref and name (the renamed one
    is not shown under the ref the other client now holds)."""
    from clinic_app.services.records import search_records

    admin = admin_laptop(tmp_path, server_url, users_to_add={"lena": Role.LAWYER})
    admin.sync()
    lena = join_laptop(admin, tmp_path, "lena", Role.LAWYER)
    with admin.session() as s:
        case_record.save_client(s, Client(ref="c-777", legal_name="Amira Haddad"))
    with lena.session() as s:
        case_record.save_client(s, Client(ref="c-777", legal_name="Bruno Okafor"))
    admin.sync()
    report = lena.sync()
    [(kind, old, new)] = report.renamed
    assert (kind, old) == ("client", "c-777") and new != "c-777"
    with lena.session() as s:
        assert [(h.kind, h.ref, h.label) for h in search_records(s, "Okafor")] == [("client", new, "Bruno Okafor")]
        assert [(h.kind, h.ref, h.label) for h in search_records(s, "Haddad")] == [("client", "c-777", "Amira Haddad")]
        assert [h.ref for h in search_records(s, new)] == [new]  # its new ref is in its title too
