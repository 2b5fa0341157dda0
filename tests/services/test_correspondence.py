"""The correspondence log and exhibits to affidavits in a real vault: saving and refusing, what
laptops share (foreign keys as refs), and the manifest's `decision_maker`, `exhibit_of` (in
order) and `correspondence` entries, imported twice without duplicates."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from support import ADMIN, ADMIN_PASS

from clinic_app.domain.client import Client
from clinic_app.domain.correspondence import Direction
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.matter import DecisionMaker, Matter, MatterType
from clinic_app.errors import NotFound, ValidationError
from clinic_app.pdf.demo_pages import fictional_pdf
from clinic_app.services import case_record, correspondence, evidence
from clinic_app.services.manifest_import import import_manifest
from clinic_app.services.session import unlock
from clinic_app.vault import sync_rows


def _seed(s: object) -> None:
    case_record.save_client(s, Client(ref="c-1", legal_name="Fictional Person"))  # type: ignore[arg-type]
    for ref in ("m-1", "m-2"):
        case_record.save_matter(s, Matter(ref=ref, client_ref="c-1", type=MatterType.MANDAMUS,  # type: ignore[arg-type]
                                          title="Mandamus"))
    for ref, matter in (("d-aff", "m-1"), ("d-a", "m-1"), ("d-b", "m-1"), ("d-other", "m-2")):
        evidence.store_document(s, io.BytesIO(fictional_pdf(ref, [ref])), DocumentMeta(ref=ref, title=ref),  # type: ignore[arg-type]
                                [matter])


def test_log_and_exhibits_are_saved_checked_and_shared_by_ref(vault_folder: Path) -> None:
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        _seed(s)
        sent = correspondence.make_entry(date(2023, 1, 5), "sent", "IRCC", "Application", "d-a")
        correspondence.save_entry(s, "m-1", sent)
        correspondence.save_entry(s, "m-1", correspondence.make_entry(date(2022, 12, 1), "received", "IRCC",
                                                                       "Earlier reply"))
        edited = correspondence.make_entry(date(2023, 1, 6), "sent", "IRCC", "Application (corrected)", "d-a",
                                           entry=sent.entry)
        correspondence.save_entry(s, "m-1", edited)
        log = correspondence.entries(s, "m-1")
        assert [(e.day, e.subject, e.direction) for e in log] == [
            (date(2022, 12, 1), "Earlier reply", Direction.RECEIVED),
            (date(2023, 1, 6), "Application (corrected)", Direction.SENT)]
        with pytest.raises(ValidationError, match="not linked to matter"):
            correspondence.save_entry(s, "m-1", correspondence.make_entry(date(2023, 1, 1), "sent", "X", "Y",
                                                                           "d-other"))
        with pytest.raises(NotFound):
            correspondence.delete_entry(s, "m-1", "c-nope")
        correspondence.set_exhibits(s, "d-aff", ["d-b", "d-a"])
        assert correspondence.exhibits_of(s, "d-aff") == ["d-b", "d-a"]
        with pytest.raises(ValidationError, match="shares no matter"):
            correspondence.set_exhibits(s, "d-aff", ["d-other"])
        with pytest.raises(ValidationError, match="exhibit to itself"):
            correspondence.set_exhibits(s, "d-aff", ["d-aff"])
        conn = s.vault.conn
        matter = sync_rows.read_record(conn, "matter", "m-1")
        shared = [v for k, v in matter.items() if k.startswith("correspondence:")]
        assert sorted(x["document_id"] or "" for x in shared) == ["", "d-a"]  # a ref, never a row id
        document = sync_rows.read_record(conn, "document", "d-aff")
        assert sorted((v["exhibit_id"], v["position"]) for k, v in document.items()
                      if k.startswith("document_exhibits:")) == [("d-a", 1), ("d-b", 0)]
        correspondence.delete_entry(s, "m-1", edited.entry)
        assert [e.subject for e in correspondence.entries(s, "m-1")] == ["Earlier reply"]


MANIFEST = """
version: 1
clients:
  - {ref: c-m, name: Fictional Applicant}
matters:
  - ref: m-m
    client: c-m
    type: mandamus
    title: Mandamus
    decision_maker: ircc
    correspondence:
      - {date: 2022-01-10, direction: sent, party: IRCC, subject: Application, document: d-app}
      - {date: 2024-05-01, direction: sent, party: IRCC, subject: Demand, note: by email}
documents:
  - {ref: d-aff, matter: m-m, file: aff.pdf, title: Affidavit}
  - {ref: d-app, matter: m-m, file: app.pdf, title: Application, exhibit_of: d-aff}
  - {ref: d-gcms, matter: m-m, file: gcms.pdf, title: GCMS notes, exhibit_of: d-aff}
"""


def test_manifest_decision_maker_exhibits_and_correspondence(vault_folder: Path, tmp_path: Path) -> None:
    for name in ("aff", "app", "gcms"):
        (tmp_path / f"{name}.pdf").write_bytes(fictional_pdf(name, [name]))
    path = tmp_path / "case.yaml"
    path.write_text(MANIFEST, encoding="utf-8")
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        import_manifest(s, path)
        import_manifest(s, path)  # again: updates, never duplicates
        assert case_record.get_matter(s, "m-m").decision_maker is DecisionMaker.IRCC
        assert correspondence.exhibits_of(s, "d-aff") == ["d-app", "d-gcms"]
        log = correspondence.entries(s, "m-m")
        assert [(e.subject, e.document_ref, e.note) for e in log] == [("Application", "d-app", ""),
                                                                      ("Demand", None, "by email")]
    path.write_text(MANIFEST.replace("exhibit_of: d-aff}\n", "exhibit_of: d-nowhere}\n", 1), encoding="utf-8")
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s, pytest.raises(ValidationError) as err:
        import_manifest(s, path)
    assert "exhibit_of" in str(err.value) and "d-nowhere" in str(err.value)
