"""`export-document` and `item-status`, run as real processes on a real vault: the command-line
side of the window's "Save a copy of the original…" and a checklist item's status."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from support import ADMIN, ADMIN_PASS, PASSES, open_original, run_cli

PASS = ADMIN_PASS + "\n"


@pytest.fixture
def vault(vault_folder: Path) -> Path:
    from clinic_app.domain.client import Client
    from clinic_app.domain.document import DocumentMeta
    from clinic_app.domain.matter import Matter, MatterType
    from clinic_app.domain.roles import Role
    from clinic_app.pdf.demo_pages import fictional_pdf
    from clinic_app.services import case_record, evidence
    from clinic_app.services.session import unlock
    from clinic_app.services.users import add_user

    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-1", legal_name="Lena Fictive Example"))
        case_record.save_matter(s, Matter(ref="m-1", client_ref="c-1", type=MatterType.HC, title="H&C"))
        evidence.store_document(s, io.BytesIO(fictional_pdf("Medical report", ["fictional"], pages=1)),
                                DocumentMeta(ref="d-1", title="Medical report", page_count=1), ["m-1"],
                                original_filename="medical.pdf")
        add_user(s, "staff", Role.STAFF, PASSES["staff"])
    return vault_folder


def _audit(vault: Path) -> list[str]:
    done = run_cli("--vault", str(vault), "--user", ADMIN, "--passphrase-stdin", "audit", "--json", stdin=PASS)
    assert done.returncode == 0, done.stderr
    return [row["action"] for row in json.loads(done.stdout)]


def test_export_document_writes_the_original_and_audits_it(vault: Path, tmp_path: Path) -> None:
    from clinic_app.services.session import unlock

    out = tmp_path / "copy.pdf"
    done = run_cli("--vault", str(vault), "--user", ADMIN, "--passphrase-stdin", "export-document", "d-1", "--out", str(out),
                   "--json", stdin=PASS)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"document": "d-1", "file": str(out), "bytes": out.stat().st_size}
    with unlock(vault, user=ADMIN, passphrase=ADMIN_PASS) as s, open_original(s, "d-1") as original:
        assert out.read_bytes() == original.read()
    assert "document_exported" in _audit(vault)
    refused = run_cli("--vault", str(vault), "--user", "staff", "--passphrase-stdin", "export-document", "d-1",
                      "--out", str(tmp_path / "staff.pdf"), stdin=PASSES["staff"] + "\n")
    assert refused.returncode == 6 and not (tmp_path / "staff.pdf").exists()  # staff may not export


def test_item_status_is_recorded_then_cleared(vault: Path) -> None:
    def status(*args: str) -> dict:  # type: ignore[type-arg]
        done = run_cli("--vault", str(vault), "--user", ADMIN, "--passphrase-stdin", "item-status", "m-1", "imm5283", *args,
                       "--json", stdin=PASS)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    assert status("requested", "--note", "asked on Monday") == {
        "package": "hc_application", "item": "imm5283", "status": "requested", "recorded": True}
    cleared = status("--clear")
    assert cleared["recorded"] is False and cleared["status"] != "requested"
    usage = run_cli("--vault", str(vault), "--user", ADMIN, "--passphrase-stdin", "item-status", "m-1", "imm5283", stdin=PASS)
    assert usage.returncode == 2 and "--clear" in usage.stderr
    assert _audit(vault).count("package_item_updated") == 2
