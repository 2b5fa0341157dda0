"""Importing evidence files through the intake sandbox into a real vault."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pikepdf
import pytest
from reportlab.pdfgen import canvas

from clinic_app.domain.client import Client
from clinic_app.domain.matter import Matter, MatterType
from clinic_app.domain.progress import CancelToken
from clinic_app.errors import BadInput, Cancelled
from clinic_app.intake import IntakeSandbox
from clinic_app.services import case_record, evidence, records, vault_check
from clinic_app.services.import_files import DUPLICATE, IMPORTED, REFUSED, import_files
from clinic_app.services.intake_bridge import analyzer
from clinic_app.services.manifest_import import import_manifest
from clinic_app.vault import records as rows

from manifest_fixture import write_manifest
from support import open_original


def _pdf(path: Path, text: str, pages: int = 2) -> Path:
    c = canvas.Canvas(str(path))
    for i in range(pages):
        c.drawString(72, 720, f"{text} page {i + 1}")
        c.showPage()
    c.save()
    return path


@pytest.fixture
def matter(admin_session) -> str:
    case_record.save_client(admin_session, Client(ref="c1", legal_name="Test Client"))
    case_record.save_matter(admin_session, Matter(ref="m1", client_ref="c1", type=MatterType.HC, title="H&C"))
    case_record.save_matter(admin_session, Matter(ref="m2", client_ref="c1", type=MatterType.DEFERRAL, title="Def"))
    return "m1"


def test_outcomes_per_file_and_originals_byte_identical(admin_session, matter: str, tmp_path: Path) -> None:
    good = _pdf(tmp_path / "psych report.pdf", "Psychological assessment of the claimant", pages=3)
    (tmp_path / "notes.txt").write_text("Déclaration du témoin: Иван Петров", encoding="utf-8")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj garbage")
    report = import_files(admin_session, matter, [good, tmp_path / "notes.txt", tmp_path / "broken.pdf"])
    outcomes = {f.name: f.outcome for f in report.files}
    assert outcomes == {"psych report.pdf": IMPORTED, "notes.txt": IMPORTED, "broken.pdf": REFUSED}
    refused = next(f for f in report.files if f.outcome == REFUSED)
    assert "broken.pdf" in refused.message and refused.reason == "damaged"
    ref = next(f.document_ref for f in report.files if f.name == "psych report.pdf")
    with open_original(admin_session, ref) as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == hashlib.sha256(good.read_bytes()).hexdigest()
    with evidence.open_working(admin_session, ref) as fh:
        assert len(pikepdf.open(io.BytesIO(fh.read())).pages) == 3
    doc = next(d for d in records.show_matter(admin_session, matter)["documents"] if d["ref"] == ref)
    assert doc["pages"] == 3
    assert [h.ref for h in records.search_records(admin_session, "Петров")] != []
    assert [h.ref for h in records.search_records(admin_session, "assessment claimant")] == [ref]


def test_exact_duplicate_is_linked_not_stored_again(admin_session, matter: str, tmp_path: Path) -> None:
    pdf = _pdf(tmp_path / "report.pdf", "Country report")
    first = import_files(admin_session, "m1", [pdf])
    again = import_files(admin_session, "m2", [tmp_path / "report.pdf"])
    assert [f.outcome for f in first.files] == [IMPORTED] and [f.outcome for f in again.files] == [DUPLICATE]
    conn = admin_session.vault.conn
    assert rows.count(conn, "documents") == 1
    assert rows.matters_of_document(conn, rows.require_id(conn, "documents", first.files[0].document_ref)) == [
        "m1", "m2"]


def test_folder_import_and_password_protected(admin_session, matter: str, tmp_path: Path, corpus_dir: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    _pdf(folder / "a.pdf", "first")
    (folder / ".hidden.pdf").write_bytes(b"skip me")
    protected = corpus_dir / "qpdf_enc-aes256-R6_user-view_owner-master.pdf"
    wrong = import_files(admin_session, matter, [folder, protected], password="not-it")
    assert [(f.name, f.outcome) for f in wrong.files] == [("a.pdf", IMPORTED), (protected.name, REFUSED)]
    assert wrong.files[1].reason == "wrong_password"
    right = import_files(admin_session, matter, [protected], password="view")
    assert right.files[0].outcome == IMPORTED


def test_cancel_stops_between_files_and_keeps_what_finished(admin_session, matter: str, tmp_path: Path) -> None:
    files = [_pdf(tmp_path / f"f{i}.pdf", f"document {i}") for i in range(4)]
    token = CancelToken()

    def progress(done: int, total: int, label: str) -> None:
        if done == 2:
            token.cancel()

    with pytest.raises(Cancelled):
        import_files(admin_session, matter, files, progress=progress, cancel=token)
    assert rows.count(admin_session.vault.conn, "documents") == 2
    assert vault_check.check(admin_session, record=False).document_problems == ()


# --- a file swapped while Haven imports it ------------------------------------------
# The attacker's move is made at the worst moment for Haven: after it hashed the file
# (and found no duplicate) and before the sandbox reads it, or after the sandbox read it
# and before its bytes are stored. Only the moment is chosen, by wrapping the next step.


def test_a_file_replaced_before_the_sandbox_reads_it_is_refused(admin_session, matter: str, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    target = _pdf(tmp_path / "report.pdf", "the report as sent", pages=1)
    planted = _pdf(tmp_path / "planted.pdf", "something else entirely", pages=1)
    real_submit = IntakeSandbox.submit  # queues the parse, which reads the file later

    def swap_then_submit(self, path, **kwargs):  # type: ignore[no-untyped-def]
        if Path(path) == target and planted.exists():
            os.replace(planted, target)  # after Haven hashed report.pdf, before the parser reads it
        return real_submit(self, path, **kwargs)

    monkeypatch.setattr(IntakeSandbox, "submit", swap_then_submit)
    report = import_files(admin_session, matter, [target])
    assert [(f.outcome, f.reason) for f in report.files] == [(REFUSED, "changed")]
    assert "report.pdf" in report.files[0].message
    assert rows.count(admin_session.vault.conn, "documents") == 0
    again = import_files(admin_session, matter, [target])  # nothing is writing any more: imported
    assert [f.outcome for f in again.files] == [IMPORTED]


def test_a_manifest_file_changed_after_its_check_is_not_stored(admin_session, tmp_path: Path) -> None:
    path = write_manifest(tmp_path)
    with analyzer() as analyze:

        def analyze_then_change(file: Path, password: str | None, label: str):  # type: ignore[no-untyped-def]
            analysis = analyze(file, password, label)
            if file.name == "report.pdf":
                _pdf(file, "rewritten after the check", pages=1)  # same file, new bytes
            return analysis

        with pytest.raises(BadInput, match="changed while Haven was reading"):
            import_manifest(admin_session, path, analyze=analyze_then_change)
    assert rows.count(admin_session.vault.conn, "documents") == 0


def test_each_file_takes_the_next_free_ref_and_a_refused_file_leaves_its_number(
        admin_session, matter: str, tmp_path: Path) -> None:
    """Refs are "d-NNN" after the highest number in the vault, whatever else is there (a ref
    typed by hand, another case); one import reads the vault's refs once, then each file
    takes the first free number, so a refused file leaves its number to the next file."""
    from clinic_app.domain.document import DocumentMeta
    from clinic_app.services.evidence import Analysis

    for ref in ("d-001", "d-007", "d-5", "D-008", "d-0x9"):
        evidence.store_document(admin_session, io.BytesIO(ref.encode()), DocumentMeta(ref=ref, title=ref), [matter],
                                analysis=Analysis(text=ref))
    first = _pdf(tmp_path / "first.pdf", "First statement")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj garbage")
    (tmp_path / "notes.txt").write_text("Notes of the interview", encoding="utf-8")
    last = _pdf(tmp_path / "last.pdf", "Last statement")
    report = import_files(admin_session, matter, [first, tmp_path / "broken.pdf", tmp_path / "notes.txt", first, last],
                          workers=2)
    assert [(f.outcome, f.document_ref) for f in report.files] == [
        (IMPORTED, "d-008"), (REFUSED, None), (IMPORTED, "d-009"), (DUPLICATE, "d-008"), (IMPORTED, "d-010")]
    again = import_files(admin_session, "m2", [_pdf(tmp_path / "next.pdf", "Next import")])
    assert again.files[0].document_ref == "d-011"
