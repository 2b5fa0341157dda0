"""SQLCipher's page size and HMAC: what a different choice would buy and cost Haven.

Issue 20 asked whether a per-vault cipher page size or HMAC would speed up reading
working copies for bundle builds. Each setting gets a fresh encrypted database in a
temp folder with the same random 1 MiB chunks (as `vault/blobs.py` stores documents):
write throughput, read throughput, and a small committed write (as every record change
is). The reference is Haven's setting, SQLCipher 4's default (4 KiB pages,
HMAC-SHA512), measured in the same run.

Reproduce: python benchmarks/cipher_pages.py [--mb 170] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from sqlcipher3 import dbapi2

SETTINGS = [(4096, "HMAC_SHA512"), (4096, "HMAC_SHA256"), (65536, "HMAC_SHA512"), (65536, "HMAC_SHA256")]
KEY = "PRAGMA key = \"x'" + "11" * 32 + "'\""


def _connect(path: Path, page: int, hmac: str) -> dbapi2.Connection:
    conn = dbapi2.connect(str(path))
    conn.execute(KEY)
    conn.execute(f"PRAGMA cipher_page_size = {page}")
    conn.execute(f"PRAGMA cipher_hmac_algorithm = {hmac}")
    return conn


def measure(folder: Path, page: int, hmac: str, chunk: bytes, mb: int, runs: int) -> tuple[float, float, float]:
    """(write MB/s, read MB/s, ms per small committed write), medians of `runs`."""
    path = folder / f"bench-{page}-{hmac}.db"
    writes, reads, smalls = [], [], []
    for _ in range(runs):
        path.unlink(missing_ok=True)
        conn = _connect(path, page, hmac)
        conn.execute("CREATE TABLE chunks (id INTEGER PRIMARY KEY, data BLOB)")
        conn.execute("CREATE TABLE small (id INTEGER PRIMARY KEY, v TEXT)")
        t0 = time.perf_counter()
        with conn:
            conn.executemany("INSERT INTO chunks VALUES (?, ?)", ((i, chunk) for i in range(mb)))
        writes.append(mb / (time.perf_counter() - t0))
        t0 = time.perf_counter()
        for i in range(200):
            with conn:
                conn.execute("INSERT OR REPLACE INTO small VALUES (?, ?)", (i % 20, "x" * 200))
        smalls.append((time.perf_counter() - t0) / 200 * 1000)
        conn.close()
        conn = _connect(path, page, hmac)  # a fresh connection: nothing in its page cache
        t0 = time.perf_counter()
        total = sum(len(row[0]) for row in conn.execute("SELECT data FROM chunks"))
        reads.append(total / 1e6 / (time.perf_counter() - t0))
        conn.close()
    path.unlink(missing_ok=True)
    return statistics.median(writes), statistics.median(reads), statistics.median(smalls)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=170, help="MiB of document chunks (a 5,000-page bundle reads 174 MB)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    chunk = os.urandom(1 << 20)
    with tempfile.TemporaryDirectory() as tmp:
        results = {s: measure(Path(tmp), *s, chunk, args.mb, args.runs) for s in SETTINGS}
    ref = results[SETTINGS[0]]
    print(f"{args.mb} MiB in 1 MiB chunks, medians of {args.runs} runs; reference: Haven's 4 KiB pages, HMAC_SHA512")
    for (page, hmac), (write, read, small) in results.items():
        print(f"  {page:6d} B pages {hmac:12s} write {write:5.0f} MB/s  read {read:5.0f} MB/s ({read / ref[1]:.2f}x)  "
              f"small committed write {small:.2f} ms ({small / ref[2]:.2f}x)")
    print(f"reproduce: python benchmarks/cipher_pages.py --mb {args.mb} --runs {args.runs}")


if __name__ == "__main__":
    main()
