"""A real PostgreSQL server for the sharing tests, started by the test session itself.

`initdb` refuses to run as root, so as root the cluster belongs to the `postgres` user
(Debian's package creates it). Password authentication (SCRAM) on 127.0.0.1, fsync off
for speed (an OS crash could lose data; the tests only stop PostgreSQL itself). Each test gets a fresh database; logins are cluster-wide but unique per
laptop. Without PostgreSQL the tests skip saying why, except in CI (CI=true), where
`.ci/run` installs it and a missing server is a failure.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "reliability"))  # rel_support

from pg_server import PgCluster, bindir  # noqa: E402


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    found = bindir()
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is not installed; .ci/run installs it for the sharing tests")
        pytest.skip("PostgreSQL (initdb, pg_ctl) is not installed: the sharing tests need a real server "
                    "(apt install postgresql)")
    base = Path(tempfile.mkdtemp(prefix="haven-pg-"))
    os.chmod(base, 0o755)
    cluster = PgCluster(found, base / "cluster")
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def server_url(pg_cluster: PgCluster) -> str:
    """The setup URL of a fresh, empty database (the clinic's owner login)."""
    import psycopg

    name = "clinic_" + secrets.token_hex(6)
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return pg_cluster.url(name)
