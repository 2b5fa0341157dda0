"""Bundle projects through the services layer, on a real vault, read back by two readers."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pikepdf
import pypdf
import pytest
from reportlab.lib.pagesizes import A4, LEGAL
from reportlab.pdfgen import canvas

from clinic_app.domain.bundle import BundleSettings, BundleSpec, Section, Tab
from clinic_app.domain.client import Client
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.matter import KeyDates, Matter, MatterType
from clinic_app.domain.translation import TranslationLink
from clinic_app.errors import BadInput, PermissionDenied
from clinic_app.services import bundles, case_record
from clinic_app.services.bundle_specs import tab_for_document
from clinic_app.services.import_files import import_files

from served_fixture import stamps as _stamps


def _pdf(path: Path, label: str, pages: int, size=A4, rotate: int = 0) -> Path:  # type: ignore[no-untyped-def]
    c = canvas.Canvas(str(path), pagesize=size, invariant=1)
    for i in range(pages):
        c.drawString(72, 500, f"{label} source page {i + 1}")
        c.showPage()
    c.save()
    if rotate:
        pdf = pikepdf.open(path, allow_overwriting_input=True)
        for page in pdf.pages:
            page.Rotate = rotate
        pdf.save(path)
    return path


@pytest.fixture
def seeded(admin_session, tmp_path: Path):  # type: ignore[no-untyped-def]
    s = admin_session
    case_record.save_client(s, Client(ref="c1", legal_name="María García", public_initials="M.G."))
    case_record.save_matter(s, Matter(ref="m1", client_ref="c1", type=MatterType.RPD_CLAIM,
                                      title="García: claim", dates=KeyDates(hearing=date(2030, 6, 3))))
    files = [_pdf(tmp_path / "report.pdf", "REPORT", 5), _pdf(tmp_path / "legal.pdf", "LEGALDOC", 2, LEGAL, 90),
             _pdf(tmp_path / "acta.pdf", "ACTA", 1), _pdf(tmp_path / "acta-en.pdf", "ACTAEN", 1)]
    report = import_files(s, "m1", files)
    refs = {f.name: f.document_ref for f in report.files}
    for name, lang in (("acta.pdf", "es"), ("acta-en.pdf", "en")):
        doc = case_record.records.load(s.vault.conn, DocumentMeta,
                                       case_record.records.require_id(s.vault.conn, "documents", refs[name]))
        from clinic_app.vault import records as rows
        with s.transaction():
            rows.update_document_meta(s.vault.conn, doc.__class__(**{**doc.__dict__, "language": lang,
                                                                     "doc_date": date(2024, 1, 2)}))
    case_record.link_translation(s, TranslationLink(refs["acta.pdf"], refs["acta-en.pdf"]))
    conn = s.vault.conn
    spec = BundleSpec(title="Claimant's Disclosure", settings=BundleSettings(front_matter_numbering="roman"),
                      sections=[Section("A. Evidence", [tab_for_document(conn, refs["report.pdf"], pages="2-4"),
                                                        tab_for_document(conn, refs["legal.pdf"])]),
                                Section("B. Identity", [tab_for_document(conn, refs["acta.pdf"]),
                                                        Tab(title="NDP", reference="NDP item 7.3")])])
    bundles.save_project(s, "b1", "m1", spec)
    return s, refs


def test_build_from_the_vault_numbers_match_the_index(seeded, tmp_path: Path) -> None:
    s, refs = seeded
    out = tmp_path / "out" / "bundle.pdf"
    out.parent.mkdir()
    result = bundles.build(s, "b1", out, today=date(2030, 1, 1))
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == result.total_pages
        assert all(abs(float(p.mediabox[2]) - 612) < 0.5 and abs(float(p.mediabox[3]) - 792) < 0.5
                   or int(p.obj.get("/Rotate", 0)) % 180 == 90 for p in pdf.pages)
    stamps = _stamps(out)
    body = [t for t in result.tabs if not t.reference_only]
    for tab in body:
        assert stamps[tab.first_physical - 1] == str(tab.first_number)
        assert stamps[tab.last_physical - 1] == str(tab.last_number)
    index_text = pypdf.PdfReader(out).pages[1].extract_text()
    for tab in body:
        assert f"{tab.first_number}" in index_text
    pages = pypdf.PdfReader(out).pages
    first = body[0]
    excerpt = "".join(pages[i].extract_text() for i in range(first.first_physical - 1, first.last_physical))
    assert [f"REPORT source page {n}" in excerpt for n in range(1, 6)] == [False, True, True, True, False]
    text = "".join(p.extract_text() for p in pages)
    assert "ACTAEN source page 1" in text  # the translation travels with the original
    assert "M.G." in pypdf.PdfReader(out).pages[0].extract_text()  # public initials on the cover
    assert list(out.parent.iterdir()) == [out]  # no temp file left behind


def test_preflight_flags_untranslated_and_missing(seeded) -> None:
    s, refs = seeded
    matter_ref, spec = bundles.load_project(s, "b1")
    spec.sections[1].tabs[0].parts = spec.sections[1].tabs[0].parts[:1]  # drop the translation
    spec.sections[0].tabs.append(Tab(title="Gone", parts=[type(spec.sections[0].tabs[0].parts[0])("no-such-doc")]))
    bundles.save_project(s, "b1", matter_ref, spec)
    codes = {p.code for p in bundles.check(s, "b1", today=date(2030, 1, 1))}
    assert "missing" in codes and any("translat" in c for c in codes)
    late = {p.code for p in bundles.check(s, "b1", today=date(2030, 6, 1))}
    assert any("deadline" in c for c in late)


def test_served_bundle_is_frozen_and_supplementary_continues(seeded, tmp_path: Path) -> None:
    s, refs = seeded
    result = bundles.build(s, "b1", tmp_path / "b1.pdf", today=date(2030, 1, 1))
    entry = bundles.mark_served(s, "b1", served_to="Minister's counsel", method="My Case",
                                served_on=date(2030, 1, 2), result=result)
    _m, spec = bundles.load_project(s, "b1")
    with pytest.raises(BadInput, match="served"):
        bundles.save_project(s, "b1", "m1", spec)
    with pytest.raises(BadInput, match="already a bundle b1"):  # never saves over an existing project
        bundles.create_supplementary(s, "b1", "b1", "Supplementary Disclosure")
    supp = bundles.create_supplementary(s, "b1", "b2", "Supplementary Disclosure")
    assert supp.settings.first_page_number == entry.last_page + 1
    supp.sections[0].tabs.append(tab_for_document(s.vault.conn, refs["legal.pdf"]))
    bundles.save_project(s, "b2", "m1", supp)
    assert entry.last_page == int(_stamps(tmp_path / "b1.pdf")[-1])  # the last page served
    second = bundles.build(s, "b2", tmp_path / "b2.pdf", today=date(2030, 2, 1))
    stamps = _stamps(tmp_path / "b2.pdf")
    separator = second.tabs[0].separator_physical - 1
    # the first stamped page of the supplement is its first separator: last served page + 1
    assert next(i for i, stamp in enumerate(stamps) if stamp.isdigit()) == separator
    assert stamps[separator] == str(entry.last_page + 1)
    assert second.tabs[0].first_number == entry.last_page + 1 + 1  # the page after the separator
    assert stamps[second.tabs[0].first_physical - 1] == str(second.tabs[0].first_number)
    rebuilt = bundles.build(s, "b1", tmp_path / "again.pdf", today=date(2030, 1, 1))
    assert [(t.first_number, t.last_number) for t in rebuilt.tabs] == [(t.first_number, t.last_number)
                                                                      for t in result.tabs]
    assert [e.bundle_ref for e in bundles.service_log(s, "m1")] == ["b1"]


def test_identical_inputs_give_identical_bytes(seeded, tmp_path: Path) -> None:
    s, _refs = seeded
    bundles.build(s, "b1", tmp_path / "one.pdf", today=date(2030, 1, 1))
    bundles.build(s, "b1", tmp_path / "two.pdf", today=date(2030, 1, 1))
    assert (tmp_path / "one.pdf").read_bytes() == (tmp_path / "two.pdf").read_bytes()


def test_id_comes_from_the_inputs_the_vault_checked(seeded, tmp_path: Path) -> None:
    """The /ID is derived from the spec and each working copy's recorded SHA-256 (which the
    reader checks), not from a second pass over the output; it changes with the date."""
    import hashlib

    from clinic_app.pdf.engine import input_identity
    from clinic_app.vault import blobs

    s, _refs = seeded
    order = bundles.prepare_build(s, "b1", today=date(2030, 1, 1))
    conn = s.vault.conn
    for ref, blob_id in order.blob_ids.items():
        stored = conn.execute("SELECT sha256 FROM blobs WHERE id = ?", (blob_id,)).fetchone()[0]
        assert order.fingerprints[ref] == stored
        assert hashlib.sha256(blobs.read_all(conn, blob_id)).hexdigest() == stored
    bundles.build(s, "b1", tmp_path / "one.pdf", today=date(2030, 1, 1))
    bundles.build(s, "b1", tmp_path / "later.pdf", today=date(2030, 1, 2))
    identity = input_identity(order.spec, order.spec.date or order.today, order.fingerprints)
    assert identity is not None
    expected = hashlib.sha256(f"{identity} volume 1 of 1".encode()).hexdigest()[:32]
    with pikepdf.open(tmp_path / "one.pdf") as one, pikepdf.open(tmp_path / "later.pdf") as later:
        assert [bytes(x).hex() for x in one.trailer.ID] == [expected, expected]
        assert bytes(later.trailer.ID[0]).hex() != expected


def test_volunteers_cannot_build(role_sessions, tmp_path: Path) -> None:
    with role_sessions("volunteer") as vol:
        with pytest.raises(PermissionDenied):
            bundles.build(vol, "b1", tmp_path / "x.pdf")


def test_serve_via_cli_freezes_and_writes_a_statement(tmp_path: Path) -> None:
    import json

    import pypdf

    from support import run_cli

    folder = tmp_path / "demo"
    assert run_cli("demo", "--vault", str(folder), "--kdf-profile", "fast").returncode == 0
    v = ("--vault", str(folder), "--user", "demo", "--passphrase-stdin")
    pw = "fictional clinic demo passphrase\n"
    done = run_cli(*v, "serve", "b-cruz-disclosure", "--out", str(tmp_path / "served.pdf"), "--to",
                   "Minister's counsel", "--method", "My Case", "--date", "2026-11-20", "--statement",
                   str(tmp_path / "statement.pdf"), "--json", stdin=pw)
    assert done.returncode == 0, done.stderr
    served = json.loads(done.stdout)
    statement = pypdf.PdfReader(tmp_path / "statement.pdf").pages[0].extract_text()
    assert "Minister's counsel" in statement and "My Case" in statement
    assert f"pages {served['first_page']} to {served['last_page']}" in statement
    supp = run_cli(*v, "supplement", "b-cruz-disclosure", "--new", "b-supp", "--title", "Supplementary", stdin=pw)
    assert supp.returncode == 0 and f"start at {served['last_page'] + 1}" in supp.stdout
    again = run_cli(*v, "serve", "b-cruz-disclosure", "--out", str(tmp_path / "again.pdf"), "--to", "x",
                    "--method", "y", stdin=pw)
    assert again.returncode == 0  # a served bundle can be served again; its pages stay frozen
