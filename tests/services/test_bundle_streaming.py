"""Streaming a build's sources changes no byte of the bundle.

A build from the vault reads working copies ahead on a second connection and closes
each source as soon as its pages are copied (`pdf.pool`). The reference, computed in
the same test, is the way builds held their sources before: every working copy read
whole up front with `blobs.read_all`, and every source kept open until the last volume
was saved. Both builds get the same order (spec, date, page counts, fingerprints), so
the same /ID: any difference in how sources are streamed would show in the SHA-256.
"""

from __future__ import annotations

import hashlib
import io
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4, landscape, legal, letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from clinic_app.domain.bundle import BundleSettings, BundleSpec, DocumentPart, Section, Tab
from clinic_app.domain.client import Client
from clinic_app.domain.matter import Matter, MatterType
from clinic_app.pdf import engine, pool
from clinic_app.services import bundles, case_record
from clinic_app.services.import_files import import_files
from clinic_app.vault import blobs

TODAY = date(2026, 12, 7)


def _source(pages: list[tuple[tuple[float, float], int, bool]], link: bool = False) -> bytes:
    """Pages of (size, /Rotate, scanned): text, or a noisy JPEG that flate cannot shrink."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    for n, (size, _rotate, scanned) in enumerate(pages, start=1):
        c.setPageSize(size)
        if scanned:
            img = Image.effect_noise((300, 380), 60).convert("L")
            jpeg = io.BytesIO()
            img.save(jpeg, "JPEG", quality=70)
            c.drawImage(ImageReader(io.BytesIO(jpeg.getvalue())), 20, 20, size[0] - 40, size[1] - 40)
        else:
            c.setFont("Helvetica", 12)
            c.drawString(60, size[1] / 2, f"Source page {n}")
        if link:
            c.linkURL("https://example.org/decision", (60, 60, 200, 80), relative=0)
        c.showPage()
    c.save()
    pdf = pikepdf.open(io.BytesIO(buf.getvalue()))
    for page, (_size, rotate, _scanned) in zip(pdf.pages, pages):
        page.obj.Rotate = rotate
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


SOURCES = {
    "decision": _source([(letter, 0, False)] * 3, link=True),
    "scan": _source([(letter, 90, True), (A4, 0, True)]),
    "translation": _source([(A4, 0, False)]),
    "country": _source([(legal, 0, False), (landscape(letter), 270, False), (letter, 180, True)]),
    "affidavit": _source([(letter, 0, False)] * 2),
}


@pytest.fixture
def project(admin_session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A two-volume bundle: a document in two tabs (whole and an excerpt), a translation
    travelling with its original, an affidavit with exhibits, a reference-only entry."""
    s = admin_session
    monkeypatch.setenv("HAVEN_OCR", "off")  # the noise scans have no text to find; OCR is intake's cost
    case_record.save_client(s, Client(ref="c1", legal_name="Olga Petrova"))
    case_record.save_matter(s, Matter(ref="m1", client_ref="c1", type=MatterType.FC_JR, title="JR"))
    files = []
    for name, data in SOURCES.items():
        files.append(tmp_path / f"{name}.pdf")
        files[-1].write_bytes(data)
    refs = dict(zip(SOURCES, (f.document_ref for f in import_files(s, "m1", files).files)))
    spec = BundleSpec(
        "Applicant's Record", file_number="IMM-5360-23",
        settings=BundleSettings(max_pages=12, front_matter_numbering="roman"),
        sections=[
            Section("Decision", [
                Tab("Decision under review", date(2026, 10, 1), [DocumentPart(refs["decision"])]),
                Tab("Scanned letter", date(2026, 10, 2), [
                    DocumentPart(refs["scan"]),
                    DocumentPart(refs["translation"], label="Translation", role="translation")]),
            ]),
            Section("Evidence", [
                Tab("Affidavit of Olga Petrova", date(2026, 11, 1), [
                    DocumentPart(refs["affidavit"]),
                    DocumentPart(refs["country"], label="Country report", role="exhibit", date=date(2026, 9, 1)),
                    DocumentPart(refs["scan"], pages="2", label="Letter", role="exhibit")],
                    deponent="Olga Petrova", sworn=date(2026, 11, 1)),
                Tab("Decision, reasons only", parts=[DocumentPart(refs["decision"], pages="2-3")]),
                Tab("National Documentation Package", reference="IRB NDP Russia, 31 March 2026"),
            ]),
        ])
    bundles.save_project(s, "b1", "m1", spec)
    return s


class _KeepEverythingOpen(pool.SourcePool):
    """Sources held as builds held them before streaming: none closed until the end."""

    def copied(self, opened: pool.Opened) -> None:
        self._spare[f"kept-{id(opened)}"] = opened  # closed by close(), after every volume


def _digests(files: list[Path]) -> list[str]:
    return [hashlib.sha256(f.read_bytes()).hexdigest() for f in files]


def test_streamed_build_is_byte_identical_to_holding_every_source(project, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    s = project
    streamed = bundles.build(s, "b1", tmp_path / "streamed.pdf", today=TODAY)
    assert len(streamed.volumes) >= 2  # the size limit split it

    order = bundles.prepare_build(s, "b1", today=TODAY)
    conn = s.vault.conn
    whole = {ref: blobs.read_all(conn, blob_id) for ref, blob_id in order.blob_ids.items()}
    assert {ref: hashlib.sha256(data).hexdigest() for ref, data in whole.items()} == order.fingerprints
    monkeypatch.setattr(engine, "SourcePool", _KeepEverythingOpen)
    reference = engine.build_bundle(order.spec, whole.__getitem__, tmp_path / "reference.pdf",
                                    today=order.today, page_counts=order.page_counts,
                                    fingerprints=order.fingerprints)

    assert [v.pages for v in reference.volumes] == [v.pages for v in streamed.volumes]
    assert _digests(streamed.files) == _digests(reference.files)
    with pikepdf.open(streamed.files[0]) as pdf:  # stream data really came along: the scans are there
        images = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
        assert images and all(len(o.read_raw_bytes()) > 1000 for o in images)


def test_each_source_is_closed_before_the_next_is_opened(project, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Every working copy's bytes are let go as soon as its pages are in the bundle."""
    s = project
    live: list[pool.Opened] = []
    most = [0]
    real_open = pool.open_source

    def counting_open(fetch, doc_id: str, where: str) -> pool.Opened:  # type: ignore[no-untyped-def]
        opened = real_open(fetch, doc_id, where)
        live.append(opened)
        most[0] = max(most[0], sum(not o.stream.closed for o in live))
        return opened

    monkeypatch.setattr(pool, "open_source", counting_open)
    bundles.build(s, "b1", tmp_path / "bundle.pdf", today=TODAY)
    _matter, spec = bundles.load_project(s, "b1")
    assert len(live) == sum(len(tab.parts) for _s, tab in spec.iter_tabs()) == 7  # one opening per part
    assert most[0] == 1
    assert all(o.stream.closed for o in live)
