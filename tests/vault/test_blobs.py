"""Document bytes in the vault: byte-identical, stored once, chunked, bounded memory."""

from __future__ import annotations

import hashlib
import io
import os
import random
import subprocess
import sys
import textwrap
from pathlib import Path

from clinic_app.domain.client import Client
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.matter import Matter, MatterType
from clinic_app.services import case_record, evidence, vault_check
from clinic_app.vault import blobs, records

from support import ADMIN, ADMIN_PASS, open_original


def _matters(session, refs=("m1",)):  # type: ignore[no-untyped-def]
    case_record.save_client(session, Client(ref="c1", legal_name="Test Person"))
    for ref in refs:
        case_record.save_matter(session, Matter(ref=ref, client_ref="c1", type=MatterType.HC, title=ref))


def test_a_thousand_documents_read_back_byte_identical(admin_session, tmp_path: Path) -> None:
    _matters(admin_session)
    rng = random.Random(7)
    expected = {}
    with admin_session.transaction():
        for i in range(1000):
            data = rng.randbytes(rng.choice([0, 1, 100, 4096, 20_000, blobs.CHUNK + 17]) if i % 97 == 0
                                 else rng.randint(200, 6000))
            ref = f"d{i:04d}"
            expected[ref] = hashlib.sha256(data).hexdigest()
            evidence.store_document(admin_session, io.BytesIO(data), DocumentMeta(ref=ref, title=f"Doc {i}"), ["m1"],
                                    original_filename=f"{ref}.bin")
    conn = admin_session.vault.conn
    for ref, sha in expected.items():
        with open_original(admin_session, ref) as fh:
            assert hashlib.sha256(fh.read()).hexdigest() == sha
    assert vault_check.check(admin_session, record=False).document_problems == ()
    assert records.count(conn, "documents") == 1000


def test_one_file_linked_to_three_matters_is_stored_once(admin_session, tmp_path: Path) -> None:
    _matters(admin_session, ("m1", "m2", "m3"))
    report = tmp_path / "country-report.pdf"
    report.write_bytes(os.urandom(300_000))
    first = evidence.store_document(admin_session, report, DocumentMeta(ref="report", title="Report"),
                                    ["m1", "m2", "m3"])
    again = evidence.store_document(admin_session, report, DocumentMeta(ref="report-copy", title="Same bytes"),
                                    ["m2"])
    conn = admin_session.vault.conn
    assert records.count(conn, "blobs") == 1
    assert again.bytes_already_stored and not first.bytes_already_stored
    assert records.matters_of_document(conn, first.document_id) == ["m1", "m2", "m3"]
    chunks = conn.execute("SELECT count(*) FROM blob_chunks").fetchone()[0]
    assert chunks == 1


def test_reader_seeks_across_chunks(admin_session) -> None:
    _matters(admin_session)
    data = os.urandom(blobs.CHUNK * 2 + 1234)
    evidence.store_document(admin_session, io.BytesIO(data), DocumentMeta(ref="big", title="Big"), ["m1"])
    fh = open_original(admin_session, "big")
    fh.seek(blobs.CHUNK - 10)
    assert fh.read(20) == data[blobs.CHUNK - 10 : blobs.CHUNK + 10]
    fh.seek(-5, io.SEEK_END)
    assert fh.read() == data[-5:]


def test_a_200_mb_file_imports_with_memory_well_under_its_size(vault_folder: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    block = os.urandom(1024 * 1024)
    with big.open("wb") as fh:
        for i in range(200):
            fh.write(block[i:] + block[:i])
    expected = hashlib.sha256(big.read_bytes()).hexdigest()
    script = textwrap.dedent(f"""
        import hashlib, resource
        from pathlib import Path
        from clinic_app.domain.client import Client
        from clinic_app.domain.document import DocumentMeta
        from clinic_app.domain.matter import Matter, MatterType
        from clinic_app.services import case_record, evidence
        from clinic_app.services.session import unlock
        from clinic_app.vault import blobs, records
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with unlock(Path({str(vault_folder)!r}), user={ADMIN!r}, passphrase={ADMIN_PASS!r}) as s:
            case_record.save_client(s, Client(ref="c1", legal_name="Big File Owner"))
            case_record.save_matter(s, Matter(ref="m1", client_ref="c1", type=MatterType.HC, title="m"))
            evidence.store_document(s, Path({str(big)!r}), DocumentMeta(ref="big", title="Big"), ["m1"])
            digest = hashlib.sha256()
            blob_id, _working = records.document_blobs(s.vault.conn, records.require_id(s.vault.conn, "documents", "big"))
            with blobs.open_reader(s.vault.conn, blob_id) as fh:
                while chunk := fh.read(1 << 20):
                    digest.update(chunk)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(digest.hexdigest(), (peak - base) // 1024)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    digest, growth_mb = done.stdout.split()
    assert digest == expected
    assert int(growth_mb) < 80, f"peak memory grew by {growth_mb} MB for a 200 MB file"


def test_read_many_streams_every_blob_in_order_and_reports_each_failure(admin_session) -> None:
    from clinic_app.errors import NotFound, VaultDamaged

    rng = random.Random(11)
    sizes = [0, 1, 5000, blobs.CHUNK + 17, 3 * blobs.CHUNK, 700]
    with admin_session.transaction() as conn:
        stored = [blobs.put_bytes(conn, rng.randbytes(n)) for n in sizes]
    conn = admin_session.vault.conn
    ids = [s.blob_id for s in stored]
    expected = {i: blobs.read_all(conn, i) for i in ids}
    missing_row, zeroed, unknown = ids[4], ids[2], max(ids) + 99
    with admin_session.transaction() as conn:
        conn.execute("DELETE FROM blob_chunks WHERE blob_id = ? AND seq = 1", (missing_row,))
        conn.execute("UPDATE blob_chunks SET data = zeroblob(length(data)) WHERE blob_id = ?", (zeroed,))
    order = [ids[3], ids[0], unknown, ids[3], zeroed, ids[5], missing_row, ids[1]]  # a repeat, a gap
    got = list(blobs.read_many(admin_session.vault.conn, order))
    assert [blob_id for blob_id, _item in got] == list(dict.fromkeys(order))
    items = dict(got)
    for blob_id in (ids[3], ids[0], ids[5], ids[1]):
        assert items[blob_id] == expected[blob_id]
    assert isinstance(items[unknown], NotFound)
    assert isinstance(items[zeroed], VaultDamaged)
    assert isinstance(items[missing_row], VaultDamaged)
    assert list(blobs.read_many(admin_session.vault.conn, [])) == []


def test_read_many_left_unfinished_after_its_connection_closed_says_nothing(admin_session) -> None:
    """A reader stopped part-way (a cancelled build) may close its connection before the
    generator is collected; that must not raise from the garbage collector."""
    import gc
    import warnings

    with admin_session.transaction() as conn:
        ids = [blobs.put_bytes(conn, os.urandom(100 + n)).blob_id for n in range(3)]
    conn = admin_session.vault.reader_source().connect()
    stream = blobs.read_many(conn, ids)
    assert next(stream)[0] == ids[0]
    conn.close()
    unraisable: list[object] = []
    old_hook = sys.unraisablehook
    sys.unraisablehook = unraisable.append
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            del stream
            gc.collect()
    finally:
        sys.unraisablehook = old_hook
    assert unraisable == []
