"""import, list, search, show and demo through the real command line."""

from __future__ import annotations

import json
from pathlib import Path

from support import ADMIN_PASS, run_cli

from manifest_fixture import write_manifest


def test_import_list_search_show(vault_folder: Path, tmp_path: Path) -> None:
    v = ("--vault", str(vault_folder), "--passphrase-stdin")
    path = write_manifest(tmp_path)
    done = run_cli(*v, "import", str(path), stdin=ADMIN_PASS + "\n")
    assert done.returncode == 0, done.stderr
    assert "clients: 2 created, 0 updated" in done.stdout
    docs = json.loads(run_cli(*v, "list", "documents", "--json", stdin=ADMIN_PASS + "\n").stdout)
    report = next(d for d in docs if d["ref"] == "d-report")
    assert report["matters"] == ["m-cruz", "m-garcia"] and len(report["sha256"]) == 64
    hits = json.loads(run_cli(*v, "search", "TB1-12345", "--json", stdin=ADMIN_PASS + "\n").stdout)
    assert [h["ref"] for h in hits] == ["m-garcia"]
    shown = json.loads(run_cli(*v, "show", "m-garcia", "--json", stdin=ADMIN_PASS + "\n").stdout)
    assert shown["client"]["ref"] == "c-garcia" and shown["bundles"] == ["b-1"]
    by_id = json.loads(run_cli(*v, "show", str(shown["id"]), "--json", stdin=ADMIN_PASS + "\n").stdout)
    assert by_id["ref"] == "m-garcia"
    missing = run_cli(*v, "show", "m-nope", stdin=ADMIN_PASS + "\n")
    assert missing.returncode == 4 and "m-nope" in missing.stderr


def test_bad_manifest_exits_4_and_names_the_item(vault_folder: Path, tmp_path: Path) -> None:
    path = write_manifest(tmp_path, bad_last_letter=True)
    done = run_cli("--vault", str(vault_folder), "--passphrase-stdin", "import", str(path), stdin=ADMIN_PASS + "\n")
    assert done.returncode == 4
    assert "l-2" in done.stderr and "Traceback" not in done.stderr


def test_demo_creates_a_vault_with_every_situation(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    done = run_cli("demo", "--vault", str(folder), "--kdf-profile", "fast")
    assert done.returncode == 0, done.stderr
    assert str(folder) in done.stdout and "fictional clinic demo passphrase" in done.stdout
    v = ("--vault", str(folder), "--user", "demo", "--passphrase-stdin")
    matters = json.loads(run_cli(*v, "list", "matters", "--json", stdin="fictional clinic demo passphrase\n").stdout)
    types = {m["type"] for m in matters}
    assert {"hc", "deferral", "rpd_claim", "stay_motion", "ministerial_relief", "stca"} <= types
    docs = json.loads(run_cli(*v, "list", "documents", "--json", stdin="fictional clinic demo passphrase\n").stdout)
    shared = next(d for d in docs if d["ref"] == "d-hn-report")
    assert len(shared["matters"]) == 3


def test_manifest_with_a_damaged_file_names_the_item_and_imports_nothing(vault_folder: Path, tmp_path: Path) -> None:
    path = write_manifest(tmp_path)
    (tmp_path / "docs" / "passport.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<")
    v = ("--vault", str(vault_folder), "--passphrase-stdin")
    done = run_cli(*v, "import", str(path), stdin=ADMIN_PASS + "\n")
    assert done.returncode == 4
    assert "d-passport" in done.stderr and "passport.pdf" in done.stderr and "damaged" in done.stderr
    listed = json.loads(run_cli(*v, "list", "clients", "--json", stdin=ADMIN_PASS + "\n").stdout)
    assert listed == []


def test_import_files_prints_one_line_per_file_and_fails_on_refusal(vault_folder: Path, tmp_path: Path) -> None:
    v = ("--vault", str(vault_folder), "--passphrase-stdin")
    assert run_cli(*v, "import", str(write_manifest(tmp_path)), stdin=ADMIN_PASS + "\n").returncode == 0
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf at all")
    done = run_cli(*v, "import-files", "m-cruz", str(tmp_path / "docs" / "report.pdf"), str(bad),
                   stdin=ADMIN_PASS + "\n")
    assert done.returncode == 1
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith("report.pdf: duplicate") and lines[1].startswith("bad.pdf: refused")
    assert lines[-1] == "0 imported, 1 duplicate linked, 1 refused."  # one, not "1 duplicates"
    ok = run_cli(*v, "import-files", "m-cruz", str(tmp_path / "docs"), "--json", stdin=ADMIN_PASS + "\n")
    assert ok.returncode == 0 and {f["outcome"] for f in json.loads(ok.stdout)} == {"duplicate"}


def test_a_search_that_begins_with_a_dash(vault_folder: Path) -> None:
    """`search -cruz` is read by argparse as an unknown option: the command says how to write
    it (in the user's language), and that way finds what "cruz" finds."""
    from clinic_app.domain.client import Client
    from clinic_app.services import case_record
    from clinic_app.services.session import unlock

    from support import ADMIN

    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as session:
        case_record.save_client(session, Client(ref="c-cruz", legal_name="Marvin Cruz"))
    v = ("--vault", str(vault_folder), "--passphrase-stdin")
    done = run_cli(*v, "search", "-cruz", stdin=ADMIN_PASS + "\n")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "clinic-app search -- -cruz" in done.stderr, done.stderr
    assert "clinic-app search -- -cruz" in run_cli(*v, "search", "-cruz", "--json", env={"HAVEN_LANG": "fr"}).stderr
    french = run_cli(*v, "search", "-cruz", env={"HAVEN_LANG": "fr"}).stderr
    assert "clinic-app search -- -cruz" in french and "«\u00a0--\u00a0»" in french, french
    hits = json.loads(run_cli(*v, "search", "--json", "--", "-cruz", stdin=ADMIN_PASS + "\n").stdout)
    assert [h["ref"] for h in hits] == ["c-cruz"]
