"""The sharing commands as a clinic runs them: setup, invite, join, sync, status, conflicts, remove."""

from __future__ import annotations

import json
from pathlib import Path

from support import ADMIN, ADMIN_PASS, PASSES, run_cli


def _cli(folder: Path, *args: str, stdin: str = ADMIN_PASS + "\n", user: str = ADMIN):  # type: ignore[no-untyped-def]
    return run_cli("--vault", str(folder), "--user", user, "--passphrase-stdin", *args, stdin=stdin,
                   env={"HAVEN_GUI": "0"}, timeout=180)


def test_a_clinic_from_the_command_line(tmp_path: Path, server_url: str, pg_cluster) -> None:  # type: ignore[no-untyped-def]
    admin = tmp_path / "admin"
    assert run_cli("--vault", str(admin), "--user", ADMIN, "--passphrase-stdin", "init", "--kdf-profile", "fast",
                   stdin=ADMIN_PASS + "\n").returncode == 0
    added = _cli(admin, "user", "add", "lena", "--role", "lawyer", stdin=f"{ADMIN_PASS}\n{PASSES['lawyer']}\n")
    assert added.returncode == 0, added.stderr
    manifest = tmp_path / "m.json"
    manifest.write_text(json.dumps({"clients": [{"ref": "c-1", "name": "Amira Haddad"}],
                                    "matters": [{"ref": "m-1", "client": "c-1", "type": "hc", "title": "H&C"}]}))
    assert _cli(admin, "import", str(manifest)).returncode == 0

    setup = _cli(admin, "sync", "setup", "--server", server_url)
    assert setup.returncode == 0, setup.stderr
    assert "will not see" in setup.stdout and "Connected this vault" in setup.stdout
    assert server_url.split("@")[0].split(":")[-1] not in setup.stdout  # the owner's password is never printed

    invite = _cli(admin, "sync", "invite", "lena", "--out", str(tmp_path / "lena.haveninvite"), "--json")
    assert invite.returncode == 0, invite.stderr
    code = json.loads(invite.stdout)["code"]
    assert code not in (tmp_path / "lena.haveninvite").read_text()

    lena = tmp_path / "lena-laptop"
    wrong = run_cli("--vault", str(lena), "--passphrase-stdin", "sync", "join", str(tmp_path / "lena.haveninvite"),
                    "--kdf-profile", "fast", stdin=f"AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH\n{PASSES['lawyer']}\n")
    assert wrong.returncode == 3 and not lena.exists()
    joined = run_cli("--vault", str(lena), "--passphrase-stdin", "sync", "join", str(tmp_path / "lena.haveninvite"),
                     "--kdf-profile", "fast", stdin=f"{code}\n{PASSES['lawyer']}\n")
    assert joined.returncode == 0, joined.stderr
    assert "Joined the clinic as lena (lawyer)" in joined.stdout
    listed = _cli(lena, "list", "clients", "--json", stdin=PASSES["lawyer"] + "\n", user="lena")
    assert "Amira Haddad" in listed.stdout

    status = _cli(lena, "sync", "status", "--json", stdin=PASSES["lawyer"] + "\n", user="lena")
    info = json.loads(status.stdout)
    assert info["connected"] and info["role"] == "lawyer" and info["members"] == 2 and info["open_conflicts"] == 0

    # the same field edited on both laptops before they meet: a conflict, exit 1, settled by a person
    for folder, who, pw, name in ((admin, ADMIN, ADMIN_PASS, "Amira H. Haddad"), (lena, "lena", PASSES["lawyer"],
                                                                                   "Amira Haddad-Khalil")):
        manifest.write_text(json.dumps({"clients": [{"ref": "c-1", "name": name}]}))
        assert _cli(folder, "import", str(manifest), stdin=pw + "\n", user=who).returncode == 0
    assert _cli(admin, "sync").returncode == 0
    second = _cli(lena, "sync", stdin=PASSES["lawyer"] + "\n", user="lena")
    assert second.returncode == 1 and "1 conflict needs a person" in second.stdout
    conflicts = json.loads(_cli(lena, "sync", "conflicts", "--json", stdin=PASSES["lawyer"] + "\n",
                                user="lena").stdout)
    assert len(conflicts) == 1 and {conflicts[0]["kept"], conflicts[0]["other"]} == {"Amira H. Haddad",
                                                                                        "Amira Haddad-Khalil"}
    settled = _cli(lena, "sync", "conflicts", "--resolve", str(conflicts[0]["id"]), "--keep", "kept",
                   stdin=PASSES["lawyer"] + "\n", user="lena")
    assert settled.returncode == 0
    assert _cli(lena, "sync", stdin=PASSES["lawyer"] + "\n", user="lena").returncode == 0

    verified = _cli(admin, "audit", "--verify")  # this laptop's chain, and every chain on the server
    assert verified.returncode == 0 and "intact" in verified.stdout, verified.stdout + verified.stderr

    removed = _cli(admin, "user", "remove", "lena")
    assert removed.returncode == 0, removed.stderr
    cut = _cli(lena, "sync", stdin=PASSES["lawyer"] + "\n", user="lena")
    assert cut.returncode != 0 and "did not finish" in cut.stderr
