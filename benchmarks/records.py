"""Document import throughput into the vault, and search latency over 10,000 documents.

Import: MB/s of streaming files into the encrypted vault (SHA-256, 1 MiB chunks,
AES + HMAC per page, WAL, synchronous=FULL), against a plain file copy of the same
bytes in the same run. Search: median latency of FTS5 queries over 10,000 documents.
Reproduce: python benchmarks/records.py [--files 50] [--mb-per-file 4] [--docs 10000]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HAVEN_TEST_WEAK_KDF", "1")  # throwaway vaults: the tests' fast key derivation

WORDS = ("hardship establishment employment persecution police cartel extortion school church volunteer "
         "medical psychological report country conditions threat family removal deferral asylum claim").split()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--mb-per-file", type=int, default=4)
    parser.add_argument("--docs", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ["HAVEN_STATE_DIR"] = str(root / "state")
        from clinic_app.domain.client import Client
        from clinic_app.domain.document import DocumentMeta
        from clinic_app.domain.matter import Matter, MatterType
        from clinic_app.services import case_record, evidence, records
        from clinic_app.services.evidence import Analysis
        from clinic_app.services.session import create_vault

        src = root / "src"
        src.mkdir()
        for i in range(args.files):
            (src / f"f{i}.bin").write_bytes(os.urandom(args.mb_per_file << 20))
        total_mb = args.files * args.mb_per_file

        session, _ = create_vault(root / "vault", admin="bench", passphrase="benchmark passphrase words",
                                  kdf_profile="fast")
        case_record.save_client(session, Client(ref="c", legal_name="Bench Client"))
        case_record.save_matter(session, Matter(ref="m", client_ref="c", type=MatterType.HC, title="m"))

        copy_dir = root / "copy"
        copy_dir.mkdir()
        t0 = time.perf_counter()
        for f in sorted(src.iterdir()):
            shutil.copyfile(f, copy_dir / f.name)
            with (copy_dir / f.name).open("rb") as fh:
                os.fsync(fh.fileno())
        copy_s = time.perf_counter() - t0

        t0 = time.perf_counter()
        for i, f in enumerate(sorted(src.iterdir())):
            evidence.store_document(session, f, DocumentMeta(ref=f"big{i}", title=f"File {i}"), ["m"])
        import_s = time.perf_counter() - t0

        rng = random.Random(1)
        t0 = time.perf_counter()
        with session.transaction():
            for i in range(args.docs):
                text = " ".join(rng.choice(WORDS) for _ in range(300)) + f" uniq{i:05d}"
                evidence.store_document(session, io.BytesIO(text.encode()), DocumentMeta(ref=f"d{i}", title=f"Doc {i}"),
                                        ["m"], analysis=Analysis(text=text))
        fill_s = time.perf_counter() - t0
        queries = ["cartel", "psychological report", "uniq04321", "country conditions threat", "deferr",
                   "school church volunteer", "Doc 9999", "nonexistentword"]
        latencies = []
        for _round in range(5):
            for q in queries:
                t0 = time.perf_counter()
                records.search_records(session, q, limit=50)
                latencies.append(time.perf_counter() - t0)
        session.lock()

    print(f"import: {total_mb} MB in {args.files} files: {import_s:.2f} s = {total_mb / import_s:.1f} MB/s")
    print(f"plain copy + fsync of the same files: {copy_s:.2f} s = {total_mb / copy_s:.1f} MB/s")
    print(f"ratio import/copy (time): {import_s / copy_s:.2f}x")
    print(f"indexed {args.docs} documents (300 words each) in {fill_s:.1f} s")
    print(f"search over {args.docs} documents: median {statistics.median(latencies) * 1000:.1f} ms, "
          f"max {max(latencies) * 1000:.1f} ms ({len(latencies)} queries, 50 results max)")
    print(f"reproduce: python benchmarks/records.py --files {args.files} --mb-per-file {args.mb_per_file} "
          f"--docs {args.docs}")


if __name__ == "__main__":
    main()
