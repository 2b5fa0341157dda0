"""Encrypted case transfer: one matter out of one vault and into another, conflicts explicit."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from clinic_app.domain.bundle import BundleSpec, DocumentPart, Section, Tab
from clinic_app.domain.client import Client
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.letter import SupportLetter
from clinic_app.domain.matter import Matter
from clinic_app.domain.translation import TranslationLink
from clinic_app.errors import BadInput, PermissionDenied
from clinic_app.services import bundles, case_record, evidence, records, transfer
from clinic_app.services.evidence import Analysis
from clinic_app.services.session import unlock
from clinic_app.vault import audit, bundle_service
from clinic_app.vault import records as vault_records
from clinic_app.vault.errors import TransferConflicts, TransferInvalid, WrongTransferPassphrase

from rel_support import flip_byte, haven, vault_args
from support import ADMIN, ADMIN_PASS, open_original

FILE_PASS = "seven quiet rivers cross the old border"
MARKER = "QXZTRANSFERMARKER"
DOCS = {"d-1": os.urandom(2_500_000) + MARKER.encode(), "d-2": b"passport " * 100,
        "d-2-en": b"passport translation " * 50, "d-scan": b"letter scan " * 10}


def _seed(session) -> None:  # type: ignore[no-untyped-def]
    case_record.save_client(session, Client(ref="c-a", legal_name="Client A Example",
                                            narrative=f"{MARKER} story", aliases=("Alias A",)))
    case_record.save_matter(session, Matter(ref="m-a", client_ref="c-a", type="rpd_claim", title="Claim"))
    for ref, data in DOCS.items():
        analysis = Analysis(text=f"text of {ref}", working_pdf=b"%PDF-1.4 working " + ref.encode()) \
            if ref == "d-1" else None
        evidence.store_document(session, io.BytesIO(data), DocumentMeta(ref=ref, title=f"Title {ref}"), ["m-a"],
                                analysis=analysis)
    case_record.link_translation(session, TranslationLink("d-2", "d-2-en"))
    case_record.save_letter(session, SupportLetter(ref="l-1", matter_ref="m-a", writer="Jean",
                                                   key_quote=MARKER, document_ref="d-scan"))
    bundles.save_project(session, "b-1", "m-a", BundleSpec(title="Disclosure", sections=[Section(tabs=[
        Tab(title="Report", parts=[DocumentPart("d-1")]), Tab(title="Passport", parts=[DocumentPart("d-2")])])]))
    with session.transaction() as conn:  # served once: its pages are frozen and must travel frozen
        bundle_service.record(conn, vault_records.bundle_id(conn, "b-1") or 0, served_on="2026-01-05",
                              served_to="Minister's counsel", method="email", first_page=1, last_page=40,
                              output_sha256="ab" * 32, snapshot={"spec": {}, "tabs": []}, recorded_by=ADMIN)


@pytest.fixture
def exported(new_vault, tmp_path: Path) -> Path:
    source, _recovery = new_vault("source")
    with unlock(source, user=ADMIN, passphrase=ADMIN_PASS) as s:
        _seed(s)
        summary = transfer.export_matter(s, "m-a", tmp_path / "case.havencase", FILE_PASS)
        assert summary.documents == 4
        assert audit.entries(s.vault.conn)[-1].action == "matter_exported"
    return summary.path


def test_round_trip_into_an_empty_vault(exported: Path, new_vault) -> None:
    raw = exported.read_bytes()
    assert MARKER.encode() not in raw and MARKER.encode("utf-16-le") not in raw
    target, _r = new_vault("target")
    with unlock(target, user=ADMIN, passphrase=ADMIN_PASS) as s:
        result = transfer.import_matter(s, exported, FILE_PASS)
        assert result.created == {"client": 1, "matter": 1, "document": 4, "translation": 1, "letter": 1,
                                  "bundle": 1}
        for ref, data in DOCS.items():
            assert open_original(s, ref).read() == data
        assert evidence.open_working(s, "d-1").read() == b"%PDF-1.4 working d-1"
        assert case_record.get_client(s, "c-a").narrative == f"{MARKER} story"
        view = records.show_matter(s, "m-a")
        assert view["translations"] == [{"original_ref": "d-2", "translation_ref": "d-2-en",
                                         "declaration_ref": None}]
        assert view["letters"][0]["ref"] == "l-1" and view["bundles"] == ["b-1"]
        served = bundles.service_log(s, "m-a")
        assert [(e.served_to, e.last_page) for e in served] == [("Minister's counsel", 40)]
        assert [h.ref for h in records.search_records(s, "text of d")] == ["d-1"]
        assert audit.entries(s.vault.conn)[-1].action == "matter_imported"
        again = transfer.import_matter(s, exported, FILE_PASS)  # same file twice: nothing new
        assert again.created == {} and again.conflicts == []
        assert again.reused == {"client": 1, "matter": 1, "document": 4, "translation": 1, "letter": 1,
                                "bundle": 1}


def test_conflicts_stop_the_import_until_the_user_chooses(exported: Path, new_vault) -> None:
    target, _r = new_vault("target")
    with unlock(target, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-a", legal_name="Somebody Else Entirely"))
        case_record.save_client(s, Client(ref="c-dup", legal_name="CLIENT  A EXAMPLE"))
        with pytest.raises(TransferConflicts) as info:
            transfer.import_matter(s, exported, FILE_PASS)
        text = str(info.value)
        assert "client c-a" in text and "client c-dup" in text and "Client A" not in text
        assert records.listing(s, "matters").rows == []
        skipped = transfer.import_matter(s, exported, FILE_PASS, on_conflict="skip")
        assert skipped.created == {} and "client c-a" in skipped.skipped
        assert records.listing(s, "matters").rows == []
        renamed = transfer.import_matter(s, exported, FILE_PASS, on_conflict="rename")
        assert renamed.renamed == {"client c-a": "c-a-imported"}
        assert case_record.get_client(s, "c-a").legal_name == "Somebody Else Entirely"  # never overwritten
        assert case_record.get_matter(s, "m-a").client_ref == "c-a-imported"


def test_document_conflicts_skip_or_rename_with_their_dependents(exported: Path, new_vault) -> None:
    target, _r = new_vault("target")
    with unlock(target, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-o", legal_name="Other Person"))
        case_record.save_matter(s, Matter(ref="m-o", client_ref="c-o", type="hc", title="Other"))
        evidence.store_document(s, io.BytesIO(b"a different file"), DocumentMeta(ref="d-2", title="Mine"), ["m-o"])
        result = transfer.import_matter(s, exported, FILE_PASS, on_conflict="skip")
        assert set(result.skipped) == {"document d-2", "translation d-2-en", "bundle b-1"}
        assert open_original(s, "d-2").read() == b"a different file"
        assert records.show_matter(s, "m-a")["translations"] == []
    other, _r = new_vault("other")
    with unlock(other, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-o", legal_name="Other Person"))
        case_record.save_matter(s, Matter(ref="m-o", client_ref="c-o", type="hc", title="Other"))
        evidence.store_document(s, io.BytesIO(b"a different file"), DocumentMeta(ref="d-2", title="Mine"), ["m-o"])
        result = transfer.import_matter(s, exported, FILE_PASS, on_conflict="rename")
        assert result.renamed == {"document d-2": "d-2-imported"}
        assert open_original(s, "d-2-imported").read() == DOCS["d-2"]
        view = records.show_matter(s, "m-a")
        assert view["translations"][0]["original_ref"] == "d-2-imported"
        _id, _m, spec = vault_records.load_bundle(s.vault.conn, "b-1")
        assert BundleSpec.from_dict(spec).document_ids() == ["d-1", "d-2-imported"]


def test_wrong_passphrase_tampering_and_truncation_import_nothing(exported: Path, new_vault, tmp_path: Path) -> None:
    target, _r = new_vault("target")
    size = exported.stat().st_size
    tampered = tmp_path / "tampered.havencase"
    tampered.write_bytes(exported.read_bytes())
    flip_byte(tampered, size - 200)  # inside the last chunk: found only at the very end
    truncated = tmp_path / "short.havencase"
    truncated.write_bytes(exported.read_bytes()[: size // 2])
    header = tmp_path / "header.havencase"
    header.write_bytes(exported.read_bytes())
    flip_byte(header, 20)
    with unlock(target, user=ADMIN, passphrase=ADMIN_PASS) as s:
        with pytest.raises(WrongTransferPassphrase):
            transfer.import_matter(s, exported, "not the right passphrase at all")
        for broken in (tampered, truncated, header):
            with pytest.raises((TransferInvalid, WrongTransferPassphrase)):
                transfer.import_matter(s, broken, FILE_PASS)
            assert records.listing(s, "clients").rows == []
            assert vault_records.count(s.vault.conn, "blobs") == 0


def test_export_needs_the_permission_and_a_strong_passphrase(new_vault, role_sessions, tmp_path: Path) -> None:
    with role_sessions("admin") as s:
        _seed(s)
        with pytest.raises(BadInput):
            transfer.export_matter(s, "m-a", tmp_path / "weak.havencase", "short")
    with role_sessions("staff") as staff, pytest.raises(PermissionDenied):
        transfer.export_matter(staff, "m-a", tmp_path / "x.havencase", FILE_PASS)
    with role_sessions("lawyer") as lawyer:
        transfer.export_matter(lawyer, "m-a", tmp_path / "ok.havencase", FILE_PASS)
    assert not (tmp_path / "x.havencase").exists() and not (tmp_path / "weak.havencase").exists()


def test_cli_export_and_import(new_vault, tmp_path: Path) -> None:
    source, _r = new_vault("source")
    with unlock(source, user=ADMIN, passphrase=ADMIN_PASS) as s:
        _seed(s)
    out = tmp_path / "cli.havencase"
    done = haven(*vault_args(source), "export-matter", "m-a", "--out", str(out),
                 stdin=f"{ADMIN_PASS}\n{FILE_PASS}\n")
    assert done.returncode == 0, done.stderr
    target, _r = new_vault("target")
    with unlock(target, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-a", legal_name="Somebody Else"))
    conflict = haven(*vault_args(target), "import-matter", str(out), stdin=f"{ADMIN_PASS}\n{FILE_PASS}\n")
    assert conflict.returncode == 1 and "--on-conflict" in conflict.stderr
    done = haven(*vault_args(target), "import-matter", str(out), "--on-conflict", "rename", "--json",
                 stdin=f"{ADMIN_PASS}\n{FILE_PASS}\n")
    assert done.returncode == 0, done.stderr
    assert '"c-a-imported"' in done.stdout
    wrong = haven(*vault_args(target), "import-matter", str(out), stdin=f"{ADMIN_PASS}\nnope nope nope\n")
    assert wrong.returncode == 3 and "Traceback" not in wrong.stderr
