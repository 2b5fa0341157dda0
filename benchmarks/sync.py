"""Sharing between laptops: bringing a new laptop up to a large vault, and one edit's latency.

A PostgreSQL server is started for the run (as tests/sync does). An admin's vault holds
clients, matters and `--gb` of documents (10 MB each, random bytes: nothing compresses);
`sync setup` uploads it. Then:

- **new laptop**: invite, join, first sync (the whole vault pulled, decrypted, verified and
  stored); time and bytes received. Reference, in the same run: `pg_dump` of the same
  server rows piped into `psql` on a fresh database (a plain copy of the ciphertext).
- **latency**: one field of a client changed on the admin's laptop until the new laptop
  has it (admin's sync, then the other's), median of `--runs`.

Reproduce: python benchmarks/sync.py [--gb 1.0] [--runs 5]
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "sync"))

os.environ.setdefault("HAVEN_TEST_WEAK_KDF", "1")  # fast key derivation: this measures sharing, not Argon2

from pg_server import PgCluster, as_owner, bindir  # noqa: E402

ADMIN, ADMIN_PASS = "ana", "benchmark passphrase words"
LENA_PASS = "lena benchmarks the sharing"
DOC_MB = 10


def _server_bytes(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as pg:
        row = pg.execute("SELECT coalesce((SELECT sum(length(body)) FROM haven.records), 0) + "
                         "coalesce((SELECT sum(length(body)) FROM haven.chunks WHERE scope = 'all'), 0)").fetchone()
        return int(row[0])


def prepare(base: Path, url: str, gb: float) -> None:
    from clinic_app.domain.client import Client
    from clinic_app.domain.document import DocumentMeta
    from clinic_app.domain.matter import Matter
    from clinic_app.domain.roles import Role
    from clinic_app.services import case_record, evidence, users
    from clinic_app.services.session import create_vault
    from clinic_app.services.sync import enrol
    from clinic_app.services.sync.engine import sync_now

    session, _ = create_vault(base / "admin", admin=ADMIN, passphrase=ADMIN_PASS, kdf_profile="fast")
    with session as s:
        users.add_user(s, "lena", Role.LAWYER, LENA_PASS)
        docs = max(1, int(gb * 1024 / DOC_MB))
        for i in range(docs):
            if i % 10 == 0:
                case_record.save_client(s, Client(ref=f"c-{i}", legal_name=f"Client {i}", narrative="x" * 2000))
                case_record.save_matter(s, Matter(ref=f"m-{i}", client_ref=f"c-{i}", type="hc", title="H&C"))
            evidence.store_document(s, io.BytesIO(secrets.token_bytes(DOC_MB << 20)),
                                    DocumentMeta(ref=f"d-{i}", title=f"Document {i}"), [f"m-{i - i % 10}"])
        enrol.setup(s, url)
        t0 = time.perf_counter()
        sync_now(s)
        print(f"upload of the admin's vault: {time.perf_counter() - t0:.1f} s, "
              f"{_server_bytes(url) / 1e6:.0f} MB on the server")


def new_laptop(base: Path, url: str) -> tuple[float, int]:
    from clinic_app.services.session import unlock
    from clinic_app.services.sync import enrol

    with unlock(base / "admin", user=ADMIN, passphrase=ADMIN_PASS) as s:
        made = enrol.invite(s, "lena", base / "lena.haveninvite")
    t0 = time.perf_counter()
    joined = enrol.join(base / "lena", base / "lena.haveninvite", made.code, LENA_PASS, kdf_profile="fast")
    elapsed = time.perf_counter() - t0
    joined.session.lock()
    return elapsed, _server_bytes(url)


def plain_copy(cluster: PgCluster, url: str) -> float:
    import psycopg

    with psycopg.connect(cluster.url(), autocommit=True) as pg:
        pg.execute("DROP DATABASE IF EXISTS plain_copy")
        pg.execute("CREATE DATABASE plain_copy")
    env = {**os.environ, "PGPASSWORD": cluster.password}
    dump = as_owner([str(cluster.bindir / "pg_dump"), "--dbname", url, "--schema", "haven"])
    load = as_owner([str(cluster.bindir / "psql"), "-q", "--dbname", cluster.url("plain_copy")])
    t0 = time.perf_counter()
    producer = subprocess.Popen(dump, stdout=subprocess.PIPE, env=env)
    subprocess.run(load, stdin=producer.stdout, check=True, capture_output=True, env=env)
    producer.wait()
    return time.perf_counter() - t0


def latency(base: Path, runs: int) -> list[float]:
    from clinic_app.domain.client import Client
    from clinic_app.services import case_record
    from clinic_app.services.session import unlock
    from clinic_app.services.sync.engine import sync_now

    times = []
    with unlock(base / "admin", user=ADMIN, passphrase=ADMIN_PASS) as a, \
            unlock(base / "lena", user="lena", passphrase=LENA_PASS) as b:
        for run in range(runs):
            t0 = time.perf_counter()
            case_record.save_client(a, Client(ref="c-0", legal_name="Client 0", notes=f"run {run}"))
            sync_now(a)
            sync_now(b)
            assert case_record.get_client(b, "c-0").notes == f"run {run}"
            times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gb", type=float, default=1.0, help="gigabytes of documents in the vault")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    found = bindir()
    if found is None:
        raise SystemExit("PostgreSQL is not installed (apt install postgresql)")
    base = Path(tempfile.mkdtemp(prefix="haven-bench-sync-"))
    os.chmod(base, 0o755)
    os.environ["HAVEN_STATE_DIR"] = str(base / "state")
    cluster = PgCluster(found, base / "cluster")
    cluster.start()
    try:
        import psycopg

        with psycopg.connect(cluster.url(), autocommit=True) as pg:
            pg.execute("CREATE DATABASE clinic")
        url = cluster.url("clinic")
        prepare(base, url, args.gb)
        joined, received = new_laptop(base, url)
        copies = [plain_copy(cluster, url) for _ in range(3)]
        print(f"new laptop up to a {args.gb:.1f} GB vault: {joined:.1f} s, {received / 1e6:.0f} MB received "
              f"({received / 1e6 / joined:.0f} MB/s); reference pg_dump | psql of the same rows: median "
              f"{statistics.median(copies):.1f} s ({joined / statistics.median(copies):.1f}x)")
        times = latency(base, args.runs)
        print(f"one-field change reaching another laptop: median {statistics.median(times) * 1000:.0f} ms "
              f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {args.runs} runs)")
        print(f"reproduce: python benchmarks/sync.py --gb {args.gb} --runs {args.runs}")
    finally:
        cluster.stop()
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
