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
from clinic_app.services.conflict_check import ConflictsFound
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
        with pytest.raises(ConflictsFound):  # kept as a second client, the name meets c-dup's
            transfer.import_matter(s, exported, FILE_PASS, on_conflict="rename")
        assert records.listing(s, "matters").rows == []
        renamed = transfer.import_matter(s, exported, FILE_PASS, on_conflict="rename", accept_conflicts=True)
        assert renamed.renamed == {"client c-a": "c-a-imported"}
        assert [c.name for c in renamed.names_accepted] == ["Client A Example"]
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


# --- hostile or buggy senders: a case file sealed with its passphrase whose records are wrong ---


def _rewrite(source: Path, target: Path, change) -> None:  # type: ignore[no-untyped-def]
    """Re-seal `source` with its payload changed by `change(payload, streams)`, which returns
    the new payload and the list of per-document streams (then the served content)."""
    import json

    from clinic_app.services.transfer_format import SealedReader, SealedWriter
    from clinic_app.vault.kdf import profile

    with open(source, "rb") as fh:
        reader = SealedReader(fh, FILE_PASS, source.name)
        (size,) = transfer._U64.unpack(reader.read_exact(8))
        payload = json.loads(reader.read_exact(size))
        streams = []
        for doc in payload["documents"]:
            working = doc["working"]["size"] if doc["working"] else 0
            streams.append(reader.read_exact(working + doc["original"]["size"]))
        streams.append(reader.read(-1))  # served content
    payload, streams = change(payload, streams)
    raw = json.dumps(payload).encode("utf-8")
    with open(target, "wb") as out:
        writer = SealedWriter(out, FILE_PASS, profile("fast"))
        writer.write(transfer._U64.pack(len(raw)) + raw + b"".join(streams))
        writer.close()


def _set(path: str, value: object):  # type: ignore[no-untyped-def]
    """A change that sets payload[a][b]... (numbers index lists) to `value`."""
    def change(payload, streams):  # type: ignore[no-untyped-def]
        keys = [int(k) if k.isdigit() else k for k in path.split(".")]
        if not keys[0]:
            return value, streams
        node = payload
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = value
        return payload, streams
    return change


def _twice(kind: str):  # type: ignore[no-untyped-def]
    """A change that repeats the first record of a list (a document with its bytes)."""
    def change(payload, streams):  # type: ignore[no-untyped-def]
        payload[kind].append(dict(payload[kind][0]))
        if kind == "documents":
            streams = streams[:-1] + [streams[0], streams[-1]]
        return payload, streams
    return change


HOSTILE = {
    "payload is a list": (_set("", [1, 2]), "records"),
    "documents is text": (_set("documents", "x"), "documents"),
    "client is empty": (_set("client", {}), "client"),
    "client is a list": (_set("client", []), "client"),
    "client notes null": (_set("client.notes", None), "client"),
    "client name a number": (_set("client.legal_name", 5), "client"),
    "matter type unknown": (_set("matter.type", "nope"), "matter"),
    "document meta a number": (_set("documents.0.meta", 5), "document 1"),
    "document size text": (_set("documents.1.original.size", "19978"), "document 2"),
    "document size negative": (_set("documents.0.original.size", -5), "document 1"),
    "document ref traversal": (_set("documents.0.meta.ref", "../../etc/passwd"), "document 1"),
    "letters hold a number": (_set("letters", [5]), "letter 1"),
    "bundle without spec": (_set("bundles", [{"ref": "b1"}]), "bundle 1"),
    "bundle spec text": (_set("bundles", [{"ref": "b1", "spec": "zz"}]), "bundle 1"),
    "bundle served text": (_set("bundles.0.served", "x"), "bundle 1"),
    "bundle served page text": (_set("bundles.0.served.0.first_page", "1"), "bundle 1"),
    "translation without refs": (_set("translations", [{"x": 1}]), "translation 1"),
    "served content text": (_set("served_content", "oops"), "served_content"),
    "served content bad digest": (_set("served_content", [{"sha256": "ab", "size": 3}]), "served content 1"),
    "version text": (_set("version", "2"), "records"),
    "same document twice": (_twice("documents"), "document"),
    "same letter twice": (_twice("letters"), "letter"),
    "same bundle twice": (_twice("bundles"), "bundle"),
    "same translation twice": (_twice("translations"), "translation"),
}


def test_a_structurally_wrong_case_file_is_named_invalid_and_imports_nothing(exported: Path, new_vault,
                                                                               tmp_path: Path) -> None:
    target, _r = new_vault("target")
    with unlock(target, user=ADMIN, passphrase=ADMIN_PASS) as s:
        for name, (change, part) in HOSTILE.items():
            hostile = tmp_path / "hostile.havencase"
            _rewrite(exported, hostile, change)
            with pytest.raises(TransferInvalid) as info:
                transfer.import_matter(s, hostile, FILE_PASS)
            assert part in str(info.value), (name, str(info.value))
            assert "hostile.havencase" in str(info.value), name
            assert records.listing(s, "clients").rows == [], name
            assert vault_records.count(s.vault.conn, "blobs") == 0, name


def test_cli_names_a_structurally_wrong_case_file(exported: Path, new_vault, tmp_path: Path) -> None:
    target, _r = new_vault("target")
    hostile = tmp_path / "hostile.havencase"
    _rewrite(exported, hostile, _set("letters", [5]))
    done = haven(*vault_args(target), "import-matter", str(hostile), stdin=f"{ADMIN_PASS}\n{FILE_PASS}\n")
    assert done.returncode == 5, done.stderr
    assert "hostile.havencase is not a complete Haven case file" in done.stderr
    assert "letter 1" in done.stderr and "Internal error" not in done.stderr


@pytest.mark.parametrize("moment", ["\nNo conflict with this vault!!!", 17, "2026-12-07T10:00:00+00:00" + "x" * 50])
def test_the_preview_shows_only_a_real_export_time(exported: Path, new_vault, tmp_path: Path, moment) -> None:
    """The window shows the file's export time: a sender's own text there must not reach it."""
    hostile = tmp_path / "hostile.havencase"
    _rewrite(exported, hostile, _set("exported_at", moment))
    target, _r = new_vault("target")
    with unlock(target, user=ADMIN, passphrase=ADMIN_PASS) as s:
        assert transfer.preview_import(s, hostile, FILE_PASS).exported_at == ""
        assert transfer.preview_import(s, exported, FILE_PASS).exported_at.startswith("20")  # a real one stays
