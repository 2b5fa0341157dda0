"""Intake on every core stores exactly what intake on one core stores, in the same order.

The same folder (text PDFs, a text file, a file twice, a damaged file, and with
Tesseract a photo and a three-page scan whose OCR is spread over the workers) is
imported with one worker and with two, each into its own vault: the reports, the
refs, the stored originals and working copies, the text and the order must match.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from clinic_app.domain.client import Client
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.matter import Matter, MatterType
from clinic_app.intake import IntakeSandbox
from clinic_app.intake.pool import Pool
from clinic_app.services import case_record, evidence
from clinic_app.services.import_files import IMPORTED, import_files
from clinic_app.services.session import create_vault

from served_fixture import pdf
from support import open_original

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
TESSERACT = shutil.which("tesseract") is not None


def _scan(lines: list[str]) -> Image.Image:
    image = Image.new("L", (1000, 500), 255)
    font = ImageFont.truetype(str(FONT), 40) if FONT.is_file() else ImageFont.load_default()
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((60, 100 + 80 * i), line, fill=0, font=font)
    return image


@pytest.fixture(scope="module")
def evidence_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("parallel") / "evidence"
    src.mkdir()
    for i in range(7):
        pdf(src / f"letter-{i}.pdf", f"Letter {i} about the hearing in Montreal", pages=1 + i % 3)
    (src / "letter-0 copy.pdf").write_bytes((src / "letter-0.pdf").read_bytes())  # the same bytes twice
    (src / "notes.txt").write_text("Déclaration du témoin, 3 mai 2021: Иван Петров", encoding="utf-8")
    (src / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj garbage")
    if TESSERACT:
        _scan(["Statement of the claimant", "Toronto, 4 June 2022"]).save(src / "photo.png")
        pages = [_scan([f"Affidavit page {n}", "Sworn before me in Ottawa"]) for n in (1, 2, 3)]
        pages[0].save(src / "scan.pdf", save_all=True, append_images=pages[1:], resolution=300)  # small pages
    return src


def _vault(folder: Path):  # type: ignore[no-untyped-def]
    from support import ADMIN, ADMIN_PASS

    session, _recovery = create_vault(folder, admin=ADMIN, passphrase=ADMIN_PASS, kdf_profile="fast")
    case_record.save_client(session, Client(ref="c1", legal_name="Test Client"))
    case_record.save_matter(session, Matter(ref="m1", client_ref="c1", type=MatterType.HC, title="H&C"))
    return session


def _stored(session) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    """Every document in the order stored: ref, title, pages, original and working copy hashes, text."""
    from clinic_app.vault import blobs, records

    conn = session.vault.conn
    out = []
    for doc_id, ref, working in conn.execute("SELECT id, ref, working_blob_id FROM documents ORDER BY id"):
        with open_original(session, ref) as fh:
            original = hashlib.sha256(fh.read()).hexdigest()
        meta = records.load(conn, DocumentMeta, doc_id)
        out.append((ref, meta.title, meta.page_count, original,
                    hashlib.sha256(blobs.read_all(conn, working)).hexdigest(), records.document_text(conn, doc_id)))
    return out


def test_two_workers_store_what_one_worker_stores(evidence_folder: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []
    real_add = Pool._add_worker

    def counted(self):  # type: ignore[no-untyped-def]
        started.append(id(self))
        real_add(self)

    monkeypatch.setattr(Pool, "_add_worker", counted)
    results = {}
    for workers in (1, 2):
        started.clear()
        with _vault(tmp_path / f"vault-{workers}") as session:
            report = import_files(session, "m1", [evidence_folder], workers=workers)
            results[workers] = ([(f.name, f.outcome, f.document_ref, f.reason, f.message, f.warnings,
                                  f.likely_duplicate_of) for f in report.files], _stored(session))
        assert len(started) == workers  # the batch did run on that many children
    serial, parallel = results[1], results[2]
    assert parallel == serial
    outcomes = {name: outcome for name, outcome, *_rest in serial[0]}
    assert outcomes["letter-0.pdf"] == "duplicate" and outcomes["broken.pdf"] == "refused"  # its copy came first
    assert sum(1 for o in outcomes.values() if o == IMPORTED) == len(serial[1])
    if TESSERACT:  # the scan's three pages were recognised (spread over the workers, then laid over)
        scan_text = next(text for *_r, text in serial[1] if "Affidavit page 1" in text)
        assert all(f"page {n}" in scan_text.lower() for n in (1, 2, 3))


def test_parsing_runs_only_a_few_files_ahead_of_storing(admin_session, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Working copies waiting to be stored stay few, however long the batch: memory is bounded."""
    case_record.save_client(admin_session, Client(ref="c1", legal_name="Test Client"))
    case_record.save_matter(admin_session, Matter(ref="m1", client_ref="c1", type=MatterType.HC, title="H&C"))
    for i in range(14):
        pdf(tmp_path / f"doc-{i:02d}.pdf", f"Document {i}", pages=1)
    submitted, stored, most = [0], [0], [0]
    real_submit, real_store = IntakeSandbox.submit, evidence.store_document

    def submit(self, path, **kwargs):  # type: ignore[no-untyped-def]
        submitted[0] += 1
        most[0] = max(most[0], submitted[0] - stored[0])
        return real_submit(self, path, **kwargs)

    def store(*args, **kwargs):  # type: ignore[no-untyped-def]
        stored[0] += 1
        return real_store(*args, **kwargs)

    monkeypatch.setattr(IntakeSandbox, "submit", submit)
    monkeypatch.setattr(evidence, "store_document", store)
    report = import_files(admin_session, "m1", [tmp_path], workers=2)
    assert report.count(IMPORTED) == 14 == stored[0]
    assert 2 <= most[0] <= 2 * 2 + 1  # ahead of storing, but never more than the window
