"""`clinic-app deadline-rules` and the province every deadline command uses, as real processes.

The province is saved in the vault: `deadlines` without --province uses it (a RAD notice
due on 15 February 2027, Ontario's Family Day, carries a Family Day note for an Ontario
clinic and none for a Quebec one); --province still overrides it for one command. The
clinic's copy of a rules file in config_dir()/rules is listed, and a broken one is refused
with the loader's message, never a traceback.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from support import ADMIN, ADMIN_PASS, PASSES, run_cli

from clinic_app.paths import config_dir, resources_dir


@pytest.fixture
def rad_vault(vault_folder: Path, role_sessions) -> Path:  # type: ignore[no-untyped-def]
    """A RAD appeal whose reasons came on 31 January 2027, and a user of each role."""
    from clinic_app.domain.client import Client
    from clinic_app.domain.matter import KeyDates, Matter, MatterType
    from clinic_app.services import case_record

    with role_sessions("admin") as s:
        case_record.save_client(s, Client(ref="c-1", legal_name="Test Client"))
        case_record.save_matter(s, Matter(ref="m-rad", client_ref="c-1", type=MatterType.RAD_APPEAL, title="Appeal",
                                          dates=KeyDates(reasons_received=date(2027, 1, 31))))
    return vault_folder


def _v(folder: Path, user: str = ADMIN) -> tuple[str, ...]:
    return ("--vault", str(folder), "--user", user, "--passphrase-stdin")


def _notice_flags(folder: Path, *extra: str) -> list[str]:
    done = run_cli(*_v(folder), "deadlines", "m-rad", "--json", "--today", "2027-02-01", *extra,
                   stdin=ADMIN_PASS + "\n")
    assert done.returncode == 0, done.stderr
    return next(r for r in json.loads(done.stdout)["deadlines"] if r["rule"] == "rad.notice")["flags"]


def test_the_province_is_set_once_and_used_by_every_command(rad_vault: Path, cli) -> None:  # type: ignore[no-untyped-def]
    folder = rad_vault
    assert any("Family Day" in f for f in _notice_flags(folder))  # Ontario until someone changes it
    done = run_cli(*_v(folder), "deadline-rules", "--set-province", "qc", stdin=ADMIN_PASS + "\n")
    assert done.returncode == 0, done.stderr
    assert "The clinic's province is now QC (Quebec)." in done.stdout
    assert "Province for holidays: QC (Quebec)" in done.stdout
    assert not any("Family Day" in f for f in _notice_flags(folder))
    assert any("Family Day" in f for f in _notice_flags(folder, "--province", "ON"))  # one command only
    assert not any("Family Day" in f for f in _notice_flags(folder))
    code, out, err = cli(*_v(folder), "deadline-rules", "--set-province", "QC")
    assert code == 0 and "The clinic's province was already QC (Quebec)." in out, err
    code, out, err = cli(*_v(folder), "deadline-rules", "--json")
    assert code == 0 and json.loads(out)["province"] == "QC", err
    refused = run_cli(*_v(folder, "volunteer"), "deadline-rules", "--set-province", "BC",
                      stdin=PASSES["volunteer"] + "\n")
    assert refused.returncode == 6 and "Traceback" not in refused.stderr, refused.stderr
    unknown = run_cli(*_v(folder), "deadline-rules", "--set-province", "XX", stdin=ADMIN_PASS + "\n")
    assert unknown.returncode == 4 and "Unknown province or territory XX" in unknown.stderr


def test_the_rules_folder_its_copies_and_a_broken_copy(rad_vault: Path) -> None:
    folder = rad_vault
    rules = config_dir() / "rules"
    listed = run_cli(*_v(folder), "deadline-rules", stdin=ADMIN_PASS + "\n")
    assert listed.returncode == 0, listed.stderr
    assert f"Rules folder: {rules}" in listed.stdout
    assert "the clinic's copy" not in listed.stdout and "rad.record" in listed.stdout  # unconfirmed, listed
    rules.mkdir(parents=True)
    text = (resources_dir() / "rules" / "rad.yaml").read_text(encoding="utf-8")
    (rules / "rad.yaml").write_text(text.replace("offset_days: 15", "offset_days: 16", 1), encoding="utf-8")
    listed = run_cli(*_v(folder), "deadline-rules", "--json", stdin=ADMIN_PASS + "\n")
    files = {f["name"]: f for f in json.loads(listed.stdout)["files"]}
    assert files["rad.yaml"]["clinic_copy"] and files["rad.yaml"]["path"] == str(rules / "rad.yaml")
    assert not files["rpd.yaml"]["clinic_copy"]
    done = run_cli(*_v(folder), "deadlines", "m-rad", "--json", stdin=ADMIN_PASS + "\n")
    due = {r["rule"]: r["due"] for r in json.loads(done.stdout)["deadlines"]}
    assert due["rad.notice"] == "2027-02-16"  # 16 days from 31 January (Haven's own rule: the 15th)
    (rules / "rad.yaml").write_text(text.replace("roll: forward", "roll: later", 1), encoding="utf-8")
    broken = run_cli(*_v(folder), "deadline-rules", stdin=ADMIN_PASS + "\n")
    assert broken.returncode == 1 and "Traceback" not in broken.stderr
    assert f"In {rules / 'rad.yaml'}, rule rad.notice, field roll:" in broken.stderr
    agenda = run_cli(*_v(folder), "deadlines", stdin=ADMIN_PASS + "\n")
    assert agenda.returncode == 4 and "Traceback" not in agenda.stderr
    assert f"In {rules / 'rad.yaml'}, rule rad.notice, field roll:" in agenda.stderr
