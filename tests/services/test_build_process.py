"""Bundle builds in a child process (the desktop app's path) and the read-ahead of working
copies, on a real vault: same bytes as an in-process build, same errors, clean cancel."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pypdfium2
import pytest

from clinic_app.domain.bundle import (
    BundleSpec,
    BundleSpecError,
    DocumentPart,
    Section,
    Tab,
)
from clinic_app.domain.client import Client
from clinic_app.domain.matter import Matter, MatterType
from clinic_app.domain.progress import CancelToken
from clinic_app.errors import Cancelled, PermissionDenied, VaultDamaged
from clinic_app.pdf.demo_pages import fictional_pdf
from clinic_app.services import audit_log, bundles, case_record
from clinic_app.services.build_process import build_in_child
from clinic_app.services.import_files import import_files
from clinic_app.services.prefetch import Prefetcher
from clinic_app.vault import records


@pytest.fixture
def project(admin_session, tmp_path: Path):  # type: ignore[no-untyped-def]
    s = admin_session
    case_record.save_client(s, Client(ref="c1", legal_name="Olga Petrova"))
    case_record.save_matter(s, Matter(ref="m1", client_ref="c1", type=MatterType.RPD_CLAIM, title="claim"))
    files = []
    for i in range(6):
        path = tmp_path / f"src{i}.pdf"
        path.write_bytes(fictional_pdf(f"Exhibit {i}", [f"Evidence line {i}"] * 4, pages=2 + i))
        files.append(path)
    refs = [f.document_ref for f in import_files(s, "m1", files).files]
    tabs = [Tab(f"Exhibit {i}", parts=[DocumentPart(ref)]) for i, ref in enumerate(refs)]
    bundles.save_project(s, "b1", "m1", BundleSpec("Disclosure", sections=[Section("A", tabs[:3]),
                                                                          Section("B", tabs[3:])]))
    return s, refs


def _built(session) -> list:  # type: ignore[no-untyped-def]
    return [e for e in audit_log.entries(session) if e.action == "bundle_built"]


def test_child_build_equals_in_process_build_and_is_audited_once(project, tmp_path: Path) -> None:
    s, refs = project
    seen: list[tuple[int, int, str]] = []
    child = build_in_child(s, "b1", tmp_path / "child.pdf", progress=lambda *a: seen.append(a))
    local = bundles.build(s, "b1", tmp_path / "local.pdf")
    assert (tmp_path / "child.pdf").read_bytes() == (tmp_path / "local.pdf").read_bytes()
    assert child.total_pages == local.total_pages
    assert [t.first_number for t in child.tabs] == [t.first_number for t in local.tabs]
    assert len(pypdf.PdfReader(tmp_path / "child.pdf").pages) == child.total_pages
    assert len(pypdfium2.PdfDocument(tmp_path / "child.pdf")) == child.total_pages
    assert seen and seen[-1][0] == seen[-1][1]  # progress reached the end
    assert len(_built(s)) == 2  # one entry per build, written by the parent


def test_child_build_cancel_leaves_nothing(project, tmp_path: Path) -> None:
    s, _refs = project
    out = tmp_path / "out"
    out.mkdir()
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        build_in_child(s, "b1", out / "bundle.pdf", cancel=token)
    assert list(out.iterdir()) == []
    assert _built(s) == []


def test_child_errors_keep_their_type_and_message(project, tmp_path: Path) -> None:
    s, _refs = project
    bundles.save_project(s, "b2", "m1", BundleSpec("Ghost", sections=[Section("A", [
        Tab("Missing", parts=[DocumentPart("d-999")])])]))
    with pytest.raises(BundleSpecError) as local:
        bundles.build(s, "b2", tmp_path / "local.pdf")
    with pytest.raises(BundleSpecError) as child:
        build_in_child(s, "b2", tmp_path / "child.pdf")
    assert str(child.value) == str(local.value)
    assert "Tab 1" in str(child.value)
    assert child.value.item == local.value.item
    assert not (tmp_path / "child.pdf").exists()


def test_child_build_refuses_a_volunteer_before_starting(role_sessions, tmp_path: Path) -> None:
    with role_sessions("volunteer") as s, pytest.raises(PermissionDenied):
        build_in_child(s, "anything", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def _blobs(session, refs: list[str]) -> dict[str, int]:  # type: ignore[no-untyped-def]
    conn = session.vault.conn
    out = {}
    for ref in refs:
        blob, working = records.document_blobs(conn, records.require_id(conn, "documents", ref))
        out[ref] = working if working is not None else blob
    return out


@pytest.mark.parametrize("budget", [1, 10**9])
def test_prefetcher_serves_any_order_and_repeats(project, budget: int) -> None:
    s, refs = project
    from clinic_app.services.evidence import read_working

    expected = {ref: read_working(s, ref) for ref in refs}
    order = [refs[3], refs[0], refs[5], refs[0], refs[1]]  # out of order, and one twice
    with Prefetcher(s.vault.reader_source().connect, _blobs(s, refs), refs, budget=budget) as ahead:
        got = [ahead.get(ref) for ref in order]
        with pytest.raises(KeyError):
            ahead.get("d-unknown")
    assert got == [expected[ref] for ref in order]


def test_prefetcher_reports_damage_and_connection_failure(project) -> None:
    s, refs = project
    blobs = _blobs(s, refs)
    with s.transaction() as conn:
        conn.execute("UPDATE blob_chunks SET data = zeroblob(length(data)) WHERE blob_id = ?", (blobs[refs[2]],))
    with Prefetcher(s.vault.reader_source().connect, blobs, refs) as ahead:
        assert ahead.get(refs[1])  # an undamaged document still reads
        with pytest.raises(VaultDamaged):
            ahead.get(refs[2])

    def refuse():  # type: ignore[no-untyped-def]
        raise OSError("disk gone")

    with Prefetcher(refuse, blobs, refs) as ahead, pytest.raises(OSError, match="disk gone"):
        ahead.get(refs[0])


@pytest.mark.parametrize("budget", [1, 10**9])
def test_prefetcher_serves_documents_sharing_one_blob_and_asked_again(project, budget: int) -> None:
    s, refs = project
    from clinic_app.services.evidence import read_working

    expected = {ref: read_working(s, ref) for ref in refs}
    blob_ids = _blobs(s, refs)
    blob_ids["d-alias"] = blob_ids[refs[2]]  # two documents whose bytes are stored once
    order = [refs[0], "d-alias", refs[2], refs[1]]
    with Prefetcher(s.vault.reader_source().connect, blob_ids, order, budget=budget) as ahead:
        got = [ahead.get(ref) for ref in [refs[0], refs[2], "d-alias", refs[2], refs[1], refs[0]]]
    assert got == [expected[refs[0]], expected[refs[2]], expected[refs[2]], expected[refs[2]],
                   expected[refs[1]], expected[refs[0]]]


def test_quick_handover_lowers_the_switch_interval_only_for_the_build() -> None:
    import sys

    from clinic_app.services.prefetch import quick_handover

    before = sys.getswitchinterval()
    with pytest.raises(RuntimeError), quick_handover(0.0001):
        assert sys.getswitchinterval() == pytest.approx(0.0001)
        raise RuntimeError("the build failed")
    assert sys.getswitchinterval() == before
