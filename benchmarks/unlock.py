"""Unlock time: Argon2id key derivation + opening the SQLCipher vault.

Prints the median of several unlocks with the production ("standard") KDF
parameters, the KDF alone, and a raw keyed open for reference.
Reproduce: python benchmarks/unlock.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["HAVEN_STATE_DIR"] = str(Path(tmp) / "state")
        from clinic_app.services.session import create_vault, unlock
        from clinic_app.vault import connection, keyslots
        from clinic_app.vault.kdf import derive_key

        folder = Path(tmp) / "vault"
        passphrase = "benchmark passphrase with several words"
        session, _recovery = create_vault(folder, admin="bench", passphrase=passphrase)
        data_key = bytes(session.vault._data_key)
        session.lock()
        slot = keyslots.read(folder / "keyslots.json").user_slot("bench")
        assert slot is not None

        unlocks, kdfs, raw_opens = [], [], []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            unlock(folder, user="bench", passphrase=passphrase).lock()
            unlocks.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            derive_key(passphrase, slot.salt, slot.kdf)
            kdfs.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            connection.connect(folder / "vault.db", data_key).close()
            raw_opens.append(time.perf_counter() - t0)

    k = slot.kdf
    print(f"Argon2id parameters: memory {k.memory_kib // 1024} MiB, iterations {k.iterations}, "
          f"parallelism {k.parallelism}")
    print(f"unlock (KDF + slot + open + audit), median of {args.runs}: {statistics.median(unlocks):.3f} s")
    print(f"  Argon2id alone, median: {statistics.median(kdfs):.3f} s")
    print(f"  keyed SQLCipher open alone (raw key, no KDF), median: {statistics.median(raw_opens) * 1000:.1f} ms")
    print("reproduce: python benchmarks/unlock.py --runs", args.runs)


if __name__ == "__main__":
    main()
