"""The command line's side of issue 17: conflicts, manifest imports that meet the conflict
check, deadline marks, letter statuses by role, the demo vault, and `about`.

Each capability runs once as a real process (run_cli); the variations go through the same
parser in this process (`cli`), which keeps the suite fast.
"""

from __future__ import annotations

import json
import shlex
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from support import ADMIN, ADMIN_PASS, PASSES, folder_digest, run_cli


@pytest.fixture
def case_vault(vault_folder: Path) -> Path:
    """Two clients, a claim with a hearing in 60 days, and two support letters."""
    from clinic_app.domain.client import Client
    from clinic_app.domain.letter import LetterStatus, SupportLetter
    from clinic_app.domain.matter import KeyDates, Matter, MatterType
    from clinic_app.services import case_record
    from clinic_app.services.session import unlock

    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-garcia", legal_name="María García"))
        case_record.save_client(s, Client(ref="c-cruz", legal_name="Marvin Cruz"))
        case_record.save_matter(s, Matter(ref="m-garcia", client_ref="c-garcia", type=MatterType.RPD_CLAIM,
                                          title="Claim", dates=KeyDates(hearing=date.today() + timedelta(days=60))))
        case_record.save_letter(s, SupportLetter(ref="l-1", matter_ref="m-garcia", writer="Jean Dupont",
                                                 status=LetterStatus.RECEIVED))
        case_record.save_letter(s, SupportLetter(ref="l-2", matter_ref="m-garcia", writer="Ana Paz"))
    return vault_folder


def _v(folder: Path, user: str = ADMIN) -> tuple[str, ...]:
    return ("--vault", str(folder), "--user", user, "--passphrase-stdin")


def _audit(folder: Path, action: str) -> list[dict]:
    from clinic_app.services import audit_log
    from clinic_app.services.session import unlock

    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        return [e.detail for e in audit_log.entries(s) if e.action == action]


def test_conflicts_and_a_manifest_that_meets_them(case_vault: Path, tmp_path: Path, cli) -> None:
    v = _v(case_vault)
    found = run_cli(*v, "conflicts", "Maria Garsia", "Nobody Similar Here", stdin=ADMIN_PASS + "\n")
    assert found.returncode == 1, found.stderr
    assert "María García  —  client c-garcia" in found.stdout
    assert "No names like Nobody Similar Here." in found.stdout
    assert cli(*v, "conflicts", "Nobody Similar Here")[0] == 0
    manifest = tmp_path / "m.yaml"
    manifest.write_text(yaml.safe_dump({
        "version": 1, "clients": [{"ref": "c-new", "name": "Maria Garsia"}],
        "matters": [{"ref": "m-new", "client": "c-new", "type": "rpd_claim", "title": "New claim",
                     "adverse_parties": [{"name": "Marvin Cruz"}]}]}))
    refused = run_cli(*v, "import", str(manifest), stdin=ADMIN_PASS + "\n")
    assert refused.returncode == 1 and "--accept-conflicts" in refused.stderr
    assert "Names like Maria Garsia (on c-new):" in refused.stdout
    assert "Marvin Cruz  —  client c-cruz" in refused.stdout  # the adverse party is another client
    code, out, _err = cli(*v, "list", "clients", "--json")
    assert sorted(c["ref"] for c in json.loads(out)) == ["c-cruz", "c-garcia"]  # nothing imported
    code, out, err = cli(*v, "import", str(manifest), "--accept-conflicts")
    assert code == 0, err
    assert "Imported despite the conflict check" in out
    decisions = _audit(case_vault, "conflict_check")
    assert [(d["decision"], d["names"]) for d in decisions] == [("imported_anyway", 2)]
    assert "Garsia" not in json.dumps(decisions) and "Cruz" not in json.dumps(decisions)  # ids and counts only


def test_deadlines_done_not_applicable_and_undone(case_vault: Path, cli) -> None:
    v = _v(case_vault)

    def states(*extra: str) -> tuple[int, dict[str, tuple[str, str]], str]:
        code, out, err = cli(*v, "deadlines", "m-garcia", "--json", *extra)
        rows = json.loads(out)["deadlines"] if code == 0 else []
        return code, {r["rule"]: (r["state"], r["reason"]) for r in rows}, err

    done = run_cli(*v, "deadlines", "m-garcia", "--done", "rpd.disclosure", stdin=ADMIN_PASS + "\n")
    assert done.returncode == 0, done.stderr
    assert "[Done] Disclosure" in done.stdout
    code, out, _err = cli(*v, "deadlines", "--json")
    listed = [(r["matter"], r["rule"]) for group in json.loads(out)["groups"].values() for r in group]
    assert ("m-garcia", "rpd.disclosure") not in listed and listed  # the agenda shows what is open
    code, rows, _err = states("--undone", "rpd.disclosure")
    assert code == 0 and rows["rpd.disclosure"] == ("open", "")
    code, _rows, err = states("--not-applicable", "rpd.disclosure")
    assert code == 4 and "Say why" in err
    code, rows, _err = states("--not-applicable", "rpd.disclosure", "--reason", "Minister is not a party")
    assert code == 0 and rows["rpd.disclosure"] == ("not_applicable", "Minister is not a party")
    assert states("--done", "rpd.nothing")[0] == 4 and states("--undone", "rpd.boc")[0] == 4
    assert cli(*v, "deadlines", "--done", "rpd.boc")[0] == 2  # which matter?
    marks = _audit(case_vault, "deadline_marked")
    assert [d["state"] for d in marks] == ["done", "not_applicable"] and "Minister" not in json.dumps(marks)
    assert len(_audit(case_vault, "deadline_reopened")) == 1


def test_letter_status_follows_roles(case_vault: Path, role_sessions, cli) -> None:
    """`role_sessions` added the lawyer, staff and volunteer users."""
    refused = run_cli(*_v(case_vault, "volunteer"), "letter-status", "l-1", "reviewed",
                      stdin=PASSES["volunteer"] + "\n")
    assert refused.returncode == 6 and "mark support letters reviewed" in refused.stderr
    code, out, _err = cli(*_v(case_vault, "volunteer"), "letter-status", "l-1", stdin=PASSES["volunteer"] + "\n")
    assert code == 0 and "Received" in out and "requested (Requested)" in out and "reviewed" not in out
    code, out, _err = cli(*_v(case_vault, "staff"), "letter-status", "l-1", "reviewed", "--json",
                          stdin=PASSES["staff"] + "\n")
    assert code == 0 and json.loads(out) == {"letter": "l-1", "status": "reviewed", "may_move_to": ["received"]}
    code, _out, err = cli(*_v(case_vault, "staff"), "letter-status", "l-2", "reviewed", stdin=PASSES["staff"] + "\n")
    assert code == 4 and "cannot move" in err  # requested -> reviewed skips a step
    lawyer = cli(*_v(case_vault, "lawyer"), "letter-status", "l-1", "ready_to_file", stdin=PASSES["lawyer"] + "\n")
    assert lawyer[0] == 0


def test_letter_support_lists_each_hc_factor_and_what_is_missing(case_vault: Path, role_sessions, cli) -> None:
    """`letter-support`: the letters tab's table, per H&C factor; a volunteer sees no documents."""
    from clinic_app.domain.letter import LetterStatus, SupportLetter
    from clinic_app.services import case_record
    from clinic_app.services.session import unlock

    with unlock(case_vault, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_letter(s, SupportLetter(ref="l-3", matter_ref="m-garcia", writer="Rosa Paz",
                                                 themes=("family",), status=LetterStatus.RECEIVED))
    done = run_cli(*_v(case_vault), "letter-support", "m-garcia", "--json", stdin=ADMIN_PASS + "\n")
    assert done.returncode == 0, done.stderr
    view = json.loads(done.stdout)
    factors = {f["factor"]: f for f in view["factors"]}
    assert list(factors) == ["establishment", "best_interests_child", "hardship_country_conditions",
                             "family_ties", "health"] and view["documents_visible"]
    assert factors["family_ties"]["letters_pending"] == ["l-3"] and factors["family_ties"]["letters_ready"] == []
    assert factors["establishment"]["missing"] and factors["establishment"]["letters_pending"] == []
    code, out, _err = cli(*_v(case_vault, "volunteer"), "letter-support", "m-garcia",
                          stdin=PASSES["volunteer"] + "\n")
    assert code == 0 and "Family ties: documents none; letters ready none; letters pending l-3" in out
    assert "still missing:" in out and "your role may not read them" in out
    missing = run_cli(*_v(case_vault), "letter-support", "m-nobody", stdin=ADMIN_PASS + "\n")
    assert missing.returncode != 0 and "m-nobody" in missing.stderr


def test_demo_lives_in_the_data_folder_and_its_commands_work_as_printed(tmp_path: Path, vault_folder: Path, cli,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    env = {"HAVEN_GUI": "0", "HAVEN_VAULT": str(tmp_path / "data" / "Haven")}
    done = run_cli("demo", "--kdf-profile", "fast", env=env)
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "data" / "Haven-demo"
    assert f"Demo vault created in {folder}" in done.stdout and (folder / "vault.db").is_file()
    lines = done.stdout.splitlines()
    window = lines[lines.index("Open it in Haven's window (on a computer with a screen):") + 1].strip()
    listing = lines[lines.index("List its matters from the command line:") + 1].strip()
    program = Path(shlex.split(window)[0])
    assert program.is_absolute() and program.is_file()  # works without the venv on PATH
    ran = subprocess.run(listing, shell=True, capture_output=True, text=True, timeout=120,
                         env={"PATH": "/usr/bin:/bin", "HAVEN_STATE_DIR": str(tmp_path / "state"),
                              "HAVEN_CONFIG_DIR": str(tmp_path / "config"), "HAVEN_TEST_WEAK_KDF": "1"})
    assert ran.returncode == 0, ran.stderr
    assert "m-cruz-rpd" in ran.stdout
    monkeypatch.setenv("HAVEN_VAULT", env["HAVEN_VAULT"])
    code, out, _err = cli("demo", "--kdf-profile", "fast")
    assert code == 0 and f"Demo vault recreated in {folder}" in out
    before = folder_digest(vault_folder)
    code, _out, err = cli("demo", "--vault", str(vault_folder), "--kdf-profile", "fast")
    assert code == 4 and "already holds" in err  # a real vault is never overwritten
    assert folder_digest(vault_folder) == before


def test_demo_with_a_screen_opens_the_window_on_its_vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`clinic-app demo` with a display: the same creation, then the window on that folder
    (run_gui itself is started for real by test_roles_clipboard_app's window test)."""
    from clinic_app import app
    from clinic_app.gui import application

    opened: dict[str, object] = {}
    monkeypatch.setattr(application, "run_gui", lambda folder, **kw: opened.update(kw, folder=folder) or 0)
    monkeypatch.setenv("HAVEN_VAULT", str(tmp_path / "data" / "Haven"))
    assert app._run_demo_then_window(app.GuiRequest(None, "", True, ["demo", "--kdf-profile", "fast"])) == 0
    folder = tmp_path / "data" / "Haven-demo"
    assert opened["folder"] == folder and (folder / "vault.db").is_file()
    assert opened["user"] == "demo" and opened["demo_passphrase"] == "fictional clinic demo passphrase"


def test_about_lists_every_component_with_its_licence(cli) -> None:
    code, out, _err = cli("about", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["licence"] == "Apache-2.0"
    licences = {c["name"]: c["licence"] for c in data["components"]}
    assert licences["PySide6-Essentials"] == "LGPL-3.0-only" and licences["sqlcipher3"] == "Zlib"
    assert {"Bitstream-Vera", "Apache-2.0"} <= {f["licence"] for f in data["fonts"]}
