"""Starting a real PostgreSQL server for the sharing tests (see conftest.py)."""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
from pathlib import Path


def bindir() -> Path | None:
    for found in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(found) / "initdb").exists():
            return Path(found)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def as_owner(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


class PgCluster:
    def __init__(self, bindir: Path, base: Path) -> None:
        self.bindir, self.base = bindir, base
        self.data = base / "data"
        self.port = _free_port()
        self.password = secrets.token_urlsafe(16)

    def url(self, dbname: str = "postgres", user: str = "postgres", password: str | None = None) -> str:
        return f"postgresql://{user}:{password or self.password}@127.0.0.1:{self.port}/{dbname}"

    def start(self) -> None:
        self.base.mkdir(parents=True, exist_ok=True)
        pwfile = self.base / "pw"
        pwfile.write_text(self.password)
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres")
            shutil.chown(pwfile, "postgres")
        subprocess.run(as_owner([str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres",
                                  "--pwfile", str(pwfile), "-A", "scram-sha-256", "--no-sync", "-E", "UTF8",
                                  "--locale=C.UTF-8"]), check=True, capture_output=True)
        self.resume()

    def resume(self) -> None:
        """Start (again, after a stop) with the same settings."""
        self.pg_ctl("start", "-w", "-l", str(self.base / "log"), "-o",
                    f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.base} "
                    "-c fsync=off -c full_page_writes=off -c max_connections=200")

    def pg_ctl(self, *args: str) -> None:
        subprocess.run(as_owner([str(self.bindir / "pg_ctl"), "-D", str(self.data), *args]), check=True,
                       capture_output=True)

    def stop(self) -> None:
        subprocess.run(as_owner([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]),
                       capture_output=True)
