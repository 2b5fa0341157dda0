"""A served bundle moved to another vault by `export-matter` / `import-matter --on-conflict
rename` (real CLI processes) builds to the very file that was served, and no imported bundle
can reach another client's document, even one holding the same refs."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdf
import pytest

from clinic_app.domain.bundle import BundleSpec, BundleSpecError, DocumentPart, Section, Tab
from clinic_app.domain.client import Client
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.matter import Matter
from clinic_app.services import bundles, case_record, evidence
from clinic_app.services.evidence import Analysis
from clinic_app.services.session import unlock
from clinic_app.vault import records

from rel_support import haven, vault_args
from served_fixture import page_texts, pdf, replace_alpha, serve_case, sha256
from support import ADMIN, ADMIN_PASS

FILE_PASS = "seven quiet rivers cross the old border"
OTHER = "QXZOTHERCLIENTPRIVATE"


def _other_client(folder: Path, tmp_path: Path) -> None:
    """Another client whose documents hold the refs the case file uses (d-alpha) or names (d-ghost)."""
    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-9", legal_name="Other Client"))
        case_record.save_matter(s, Matter(ref="m-9", client_ref="c-9", type="hc", title="Other"))
        for ref in ("d-alpha", "d-ghost"):
            path = pdf(tmp_path / f"{ref}-other.pdf", f"{OTHER} {ref}", 3)
            evidence.store_document(s, path, DocumentMeta(ref=ref, title="Private"), ["m-9"],
                                    analysis=Analysis(page_count=3))


def test_renamed_import_builds_the_served_bundle_identical_and_never_another_clients(new_vault,
                                                                                  tmp_path: Path) -> None:
    source, _r = new_vault("source")
    with unlock(source, user=ADMIN, passphrase=ADMIN_PASS) as s:
        entry, served = serve_case(s, tmp_path)
        replace_alpha(s, tmp_path)  # the version served must travel, not only the current one
        bundles.save_project(s, "b-draft", "m-1", BundleSpec("Draft", sections=[Section(tabs=[
            Tab("Ghost", parts=[DocumentPart("d-ghost")])])]))  # names a document this vault lacks
    case = tmp_path / "case.havencase"
    done = haven(*vault_args(source), "export-matter", "m-1", "--out", str(case),
                 stdin=f"{ADMIN_PASS}\n{FILE_PASS}\n")
    assert done.returncode == 0, done.stderr

    target, _r = new_vault("target")
    _other_client(target, tmp_path)
    done = haven(*vault_args(target), "import-matter", str(case), "--on-conflict", "rename", "--json",
                 stdin=f"{ADMIN_PASS}\n{FILE_PASS}\n")
    assert done.returncode == 0, done.stderr
    renamed = json.loads(done.stdout)["renamed"]
    assert renamed == {"document d-alpha": "d-alpha-imported", "document d-ghost": "d-ghost-imported"}
    again = tmp_path / "again.pdf"
    done = haven(*vault_args(target), "build", "m-1", "--bundle", "b-s", "--out", str(again), stdin=ADMIN_PASS + "\n")
    assert done.returncode == 0, done.stderr
    assert sha256(again) == sha256(served)
    text = "\n".join(page_texts(again))
    assert OTHER not in text and "ALPHA page 10" in text and "NEWALPHA" not in text

    with unlock(target, user=ADMIN, passphrase=ADMIN_PASS) as s:
        conn = s.vault.conn
        theirs = {conn.execute("SELECT b.sha256 FROM documents d JOIN blobs b ON b.id = d.blob_id WHERE d.ref = ?",
                               (ref,)).fetchone()[0] for ref in ("d-alpha", "d-ghost")}
        log = bundles.service_log(s, "m-1")
        assert [e.snapshot["sources"].keys() for e in log] == [{"d-alpha-imported", "d-bravo"}]
        assert not theirs & {src["sha256"] for e in log for src in e.snapshot["sources"].values()}
        assert BundleSpec.from_dict(log[0].snapshot["spec"]).document_ids() == ["d-alpha-imported", "d-bravo"]
        for ref, spec in bundles.projects(s, "m-1"):  # every ref a project names is this matter's, or nothing
            for doc in spec.document_ids():
                doc_id = records.id_for(conn, "documents", doc)
                assert doc_id is None or records.matters_of_document(conn, doc_id) == ["m-1"], (ref, doc)
        assert bundles.changed_since_served(s, "m-1") == {"b-s": [("d-alpha-imported", "Alpha")]}
        theirs_text = pypdf.PdfReader(io.BytesIO(evidence.read_working(s, "d-alpha"))).pages[0].extract_text()
        assert OTHER in theirs_text  # theirs, untouched
        with pytest.raises(BundleSpecError, match="Tab 1.*missing"):  # not another client's d-ghost
            bundles.build(s, "b-draft", tmp_path / "draft.pdf")
        assert not (tmp_path / "draft.pdf").exists()
    assert entry.last_page == log[0].last_page
