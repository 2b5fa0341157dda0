"""No client data outside the vault: a full workflow with marker strings, then a scan."""

from __future__ import annotations

import json
import os
from pathlib import Path

import yaml

from support import ADMIN, ADMIN_PASS, run_cli

MARKERS = ["QXZMARKERNAME", "QXZMARKERNOTE", "QXZMARKERDOC", "ÑQXZMARKÉRALIAS"]


def _contains_marker(path: Path) -> list[str]:
    data = path.read_bytes()
    found = []
    for marker in MARKERS:
        for encoding in ("utf-8", "utf-16-le"):
            if marker.encode(encoding) in data:
                found.append(f"{path.name}: {marker} ({encoding})")
    return found


def test_workflow_leaves_no_marker_outside_the_vault(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    (source / "statement.txt").write_text(f"Statement {MARKERS[2]} " * 100, encoding="utf-8")
    (source / "manifest.json").write_text(json.dumps({
        "clients": [{"ref": "c-x", "name": f"Ana {MARKERS[0]}", "aliases": [MARKERS[3]]}],
        "matters": [{"ref": "m-x", "client": "c-x", "type": "hc", "title": "H&C"}],
        "documents": [{"ref": "d-x", "matter": "m-x", "file": "statement.txt", "title": "Statement"}],
        "letters": [{"ref": "l-x", "matter": "m-x", "writer": "Writer", "key_quote": MARKERS[1]}],
    }, ensure_ascii=False), encoding="utf-8")
    vault, temp, state = tmp_path / "vault", tmp_path / "tmp", tmp_path / "state"
    temp.mkdir()
    env = {"TMPDIR": str(temp), "SQLITE_TMPDIR": str(temp), "HAVEN_STATE_DIR": str(state)}
    v = ("--vault", str(vault), "--passphrase-stdin")
    steps = [
        run_cli(*v, "init", "--user", ADMIN, "--kdf-profile", "fast", stdin=ADMIN_PASS + "\n", env=env),
        run_cli(*v, "import", str(source / "manifest.json"), stdin=ADMIN_PASS + "\n", env=env),
        run_cli(*v, "list", "clients", stdin=ADMIN_PASS + "\n", env=env),
        run_cli(*v, "show", "m-x", "--json", stdin=ADMIN_PASS + "\n", env=env),
        run_cli(*v, "list", "clients", stdin="wrong passphrase\n", env=env),
        run_cli(*v, "check", stdin=ADMIN_PASS + "\n", env=env),
    ]
    assert [s.returncode for s in steps] == [0, 0, 0, 0, 3, 0], [s.stderr for s in steps]
    search = run_cli(*v, "search", MARKERS[0], "--json", stdin=ADMIN_PASS + "\n", env=env)
    assert [h["ref"] for h in json.loads(search.stdout)] == ["c-x"]
    alias = run_cli(*v, "search", "nqxzmarkeralias", "--json", stdin=ADMIN_PASS + "\n", env=env)
    assert [h["ref"] for h in json.loads(alias.stdout)] == ["c-x"]  # accents folded
    doc = run_cli(*v, "search", MARKERS[2], "--json", stdin=ADMIN_PASS + "\n", env=env)
    assert doc.returncode == 0
    leaks = []
    scanned = 0
    for folder in (vault, temp, state):
        for path in folder.rglob("*") if folder.exists() else []:
            if path.is_file():
                scanned += 1
                leaks += _contains_marker(path)
    assert scanned >= 3
    assert leaks == []
    assert sorted(p.name for p in temp.iterdir()) == []
    for step in steps:
        for marker in MARKERS:
            assert marker not in step.stderr
