"""Building bundles from a vault: 1,000 pages of 150 mixed sources, and 5,000 pages.

Sources (text and scanned pages; Letter, A4, Legal; landscape; rotated) are made by
benchmarks/bundle_engine.py's generator, imported into a real vault through the
sandboxed intake, saved as a bundle project, then built through the services layer
(decrypting each working copy out of SQLCipher, cover, index, stamps, links,
bookmarks). Reference: a plain pikepdf (qpdf) merge of the same source files, in
the same run. Peak memory is measured in a fresh process that only builds, beside the
peak of a fresh process that only does the plain merge (which keeps every source open
until it saves, as qpdf's lazy copy requires).

Reproduce: python benchmarks/bundle.py [--quick] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HAVEN_TEST_WEAK_KDF", "1")  # throwaway vaults: the tests' fast key derivation

from benchmarks.bundle_engine import generate, plain_merge  # noqa: E402

PASS = "benchmark passphrase words"


def prepare(folder: Path, n_sources: int, pages: int) -> tuple[Path, dict[str, int], float]:
    from clinic_app.domain.bundle import BundleSpec, Section
    from clinic_app.domain.client import Client
    from clinic_app.domain.identifiers import FileNumbers
    from clinic_app.domain.matter import Matter, MatterType
    from clinic_app.services import bundles, case_record
    from clinic_app.services.bundle_specs import tab_for_document
    from clinic_app.services.import_files import IMPORTED, import_files
    from clinic_app.services.session import create_vault

    src = folder / "src"
    src.mkdir()
    counts = generate(src, n_sources, pages, seed=7)
    vault = folder / "vault"
    session, _ = create_vault(vault, admin="bench", passphrase=PASS, kdf_profile="fast")
    with session:
        case_record.save_client(session, Client(ref="c", legal_name="Bench Client"))
        case_record.save_matter(session, Matter(ref="m", client_ref="c", type=MatterType.FC_JR, title="JR",
                                                file_numbers=FileNumbers(fc="IMM-5360-23")))
        t0 = time.perf_counter()
        report = import_files(session, "m", sorted(src.iterdir()))
        import_s = time.perf_counter() - t0
        assert report.count(IMPORTED) == n_sources, [f.message for f in report.files if f.outcome != IMPORTED][:3]
        conn = session.vault.conn
        tabs = [tab_for_document(conn, f.document_ref) for f in report.files if f.document_ref]
        half = len(tabs) // 2
        bundles.save_project(session, "b", "m", BundleSpec(
            title="Applicant's Record", sections=[Section("Evidence", tabs[:half]), Section("Country", tabs[half:])]))
    return vault, counts, import_s


def build_once(vault: Path, out: Path) -> float:
    from clinic_app.services import bundles
    from clinic_app.services.session import unlock

    with unlock(vault, user="bench", passphrase=PASS) as session:
        t0 = time.perf_counter()
        bundles.build(session, "b", out)
        return time.perf_counter() - t0


def decryption_share(vault: Path, out: Path, runs: int) -> tuple[float, float]:
    """(from the vault, from sources already decrypted in memory): medians of the same build,
    alternating, in one unlocked session; the difference is what decrypting working copies
    costs the build (it runs on the read-ahead thread, beside the engine)."""
    from clinic_app.pdf import engine
    from clinic_app.services import bundles
    from clinic_app.services.session import unlock
    from clinic_app.vault import blobs

    vaulted, decrypted = [], []
    with unlock(vault, user="bench", passphrase=PASS) as session:
        order = bundles.prepare_build(session, "b")
        whole = {ref: blobs.read_all(session.vault.conn, blob) for ref, blob in order.blob_ids.items()}
        for _ in range(runs):
            t0 = time.perf_counter()
            bundles.build(session, "b", out)
            vaulted.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            engine.build_bundle(order.spec, whole.__getitem__, out, today=order.today,
                                page_counts=order.page_counts, fingerprints=order.fingerprints)
            decrypted.append(time.perf_counter() - t0)
    return statistics.median(vaulted), statistics.median(decrypted)


def child_peak(vault: Path, out: Path) -> float:
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); from pathlib import Path; "
            f"from clinic_app.allocator import use_one_arena; use_one_arena(); "
            f"from benchmarks.bundle import build_once; from benchmarks.bundle_engine import high_water_mb; "
            f"build_once(Path({str(vault)!r}), Path({str(out)!r})); print(high_water_mb())")
    return _peak_of(code)


def plain_peak(folder: Path, counts: dict[str, int], out: Path) -> float:
    """The reference's peak: a plain pikepdf merge in a fresh process set up the same way."""
    code = (f"import sys, json; sys.path.insert(0, {str(ROOT)!r}); from pathlib import Path; "
            f"from clinic_app.allocator import use_one_arena; use_one_arena(); "
            f"import clinic_app.services.bundles; "  # the same libraries loaded as the build's process
            f"from benchmarks.bundle_engine import high_water_mb, plain_merge; "
            f"plain_merge(Path({str(folder / 'src')!r}), json.loads({json.dumps(counts)!r}), Path({str(out)!r})); "
            f"print(high_water_mb())")
    return _peak_of(code)


def _peak_of(code: str) -> float:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ})
    return float(done.stdout.strip().splitlines()[-1])


def case(n_sources: int, pages: int, runs: int, decryption: bool = False) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["HAVEN_STATE_DIR"] = str(folder / "state")
        os.environ["HAVEN_OCR"] = "off"  # OCR of the scanned pages is intake's cost (benchmarks/intake.py)
        vault, counts, import_s = prepare(folder, n_sources, pages)
        ours, plain = [], []
        for i in range(runs):  # alternate which goes first, so neither always runs on a warmer cache
            if i % 2:
                plain.append(_timed_plain(folder, counts, i))
            ours.append(build_once(vault, folder / f"bundle{i}.pdf"))
            if not i % 2:
                plain.append(_timed_plain(folder, counts, i))
        peak = child_peak(vault, folder / "peak.pdf")
        reference_peak = plain_peak(folder, counts, folder / "plain-peak.pdf")
        size = (folder / "bundle0.pdf").stat().st_size / 1e6
        split = decryption_share(vault, folder / "split.pdf", runs) if decryption else None
    o, p = statistics.median(ours), statistics.median(plain)
    paired = statistics.median(a / b for a, b in zip(ours, plain))
    print(f"{pages} pages, {n_sources} sources ({size:.1f} MB output): build from vault median {o:.2f} s, "
          f"plain pikepdf merge median {p:.2f} s, ratio {o / p:.2f}x (median of per-run ratios {paired:.2f}x); "
          f"peak memory of a build-only process {peak:.0f} MB (plain merge, all sources open until saved: "
          f"{reference_peak:.0f} MB); {o / pages * 1000:.2f} ms/page "
          f"(import through intake took {import_s:.1f} s)")
    if split:
        print(f"  the same build from the vault {split[0]:.2f} s, from sources already decrypted in memory "
              f"{split[1]:.2f} s: decrypting working copies costs the build {split[0] - split[1]:.2f} s")


def _timed_plain(folder: Path, counts: dict[str, int], i: int) -> float:
    t0 = time.perf_counter()
    plain_merge(folder / "src", counts, folder / f"plain{i}.pdf")
    return time.perf_counter() - t0


def main() -> None:
    from clinic_app.allocator import use_one_arena

    use_one_arena()  # as Haven's own processes start (clinic_app/app.py and the build child)
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="1,000 pages only")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--decryption", action="store_true",
                        help="also time the build from sources already decrypted, to see what decrypting costs")
    args = parser.parse_args()
    case(150, 1000, args.runs, args.decryption)
    if not args.quick:
        case(500, 5000, args.runs, args.decryption)
    print(f"reproduce: python benchmarks/bundle.py{' --quick' if args.quick else ''} --runs {args.runs}"
          + (" --decryption" if args.decryption else ""))


if __name__ == "__main__":
    main()
