"""`clinic-app deadlines MATTER --date NAME=DAY --option RULE=OPTION`, and the same through a
case manifest: a script records the steps taken and the case a rule applies to.

One real process for each path (run_cli); variations through the same parser in this process.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml
from support import ADMIN, ADMIN_PASS, run_cli


@pytest.fixture
def prra_vault(vault_folder: Path) -> Path:
    from clinic_app.domain.client import Client
    from clinic_app.domain.matter import KeyDates, Matter, MatterType
    from clinic_app.services import case_record
    from clinic_app.services.session import unlock

    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-1", legal_name="Ana Example"))
        case_record.save_matter(s, Matter(ref="m-prra", client_ref="c-1", type=MatterType.PRRA, title="PRRA",
                                          dates=KeyDates(notification=date(2026, 12, 7))))
    return vault_folder


def _v(folder: Path) -> tuple[str, ...]:
    return ("--vault", str(folder), "--user", ADMIN, "--passphrase-stdin")


def _row(data: dict, rule: str) -> dict:
    return next(r for r in data["deadlines"] if r["rule"] == rule)


def test_dates_and_options_from_the_command_line(prra_vault: Path, cli) -> None:
    v = _v(prra_vault)
    code, out, err = cli(*v, "deadlines", "m-prra", "--json", "--today", "2026-12-07")
    assert code == 0, err
    before = json.loads(out)
    assumed = _row(before, "prra.application")
    assert assumed["due"] == "2026-12-22" and assumed["variant"] == "in_person"
    assert any("Assumed" in f for f in assumed["flags"])
    (options,) = before["options"]
    assert options["rule"] == "prra.application" and options["chosen"] is None
    assert "port_of_entry_or_subsequent" in [o["key"] for o in options["options"]]
    assert "prior_prra_rejected" in [s["name"] for s in before["steps"]]

    done = run_cli(*v, "deadlines", "m-prra", "--today", "2026-12-07",
                   "--option", "prra.application=port_of_entry_or_subsequent",
                   "--date", "prior_prra_rejected=2026-01-15", stdin=ADMIN_PASS + "\n")
    assert done.returncode == 0, done.stderr
    assert "2026-12-07" in done.stdout and "prra.application: port_of_entry_or_subsequent" in done.stdout
    code, out, _err = cli(*v, "deadlines", "m-prra", "--json", "--today", "2026-12-07")
    after = json.loads(out)
    chosen = _row(after, "prra.application")
    assert chosen["due"] == "2026-12-07" and not any("Assumed" in f for f in chosen["flags"])
    assert _row(after, "prra.bar_after_prra")["due"] == "2027-01-16"  # 12 months after, never early
    assert next(s for s in after["steps"] if s["name"] == "prior_prra_rejected")["date"] == "2026-01-15"
    assert chosen["state"] == "open" and not chosen["done_by_step"]

    code, _out, err = cli(*v, "deadlines", "m-prra", "--option", "prra.application=")  # back to the default
    assert code == 0, err
    code, out, _err = cli(*v, "deadlines", "m-prra", "--json", "--today", "2026-12-07")
    assert _row(json.loads(out), "prra.application")["due"] == "2026-12-22"


@pytest.mark.parametrize("args, words", [
    (("--option", "prra.application=by_pigeon"), "has no option by_pigeon"),
    (("--option", "rpd.boc=inland"), "not a rule with options for this type"),
    (("--date", "leave_filled=2026-12-03"), "leave_filled is not a date a matter records"),
    (("--date", "prior_prra_rejected=2026-02-30"), "not a date"),
    (("--date", "prior_prra_rejected"), "NAME=YYYY-MM-DD"),
])
def test_a_wrong_date_or_option_is_refused_and_nothing_changes(prra_vault: Path, cli, args, words) -> None:
    v = _v(prra_vault)
    code, _out, err = cli(*v, "deadlines", "m-prra", *args)
    assert code != 0 and words in err
    code, out, _err = cli(*v, "deadlines", "m-prra", "--json")
    data = json.loads(out)
    assert data["options"][0]["chosen"] is None and all(s["date"] is None for s in data["steps"])


def test_a_steps_date_shows_its_deadline_done(vault_folder: Path, tmp_path: Path) -> None:
    """An IAD sponsorship appeal: recording that the notice of appeal was filed meets it."""
    manifest = tmp_path / "case.yaml"
    manifest.write_text(yaml.safe_dump({"version": 1, "clients": [{"ref": "c-1", "name": "Ana Example"}],
                                        "matters": [{"ref": "m-iad", "client": "c-1", "type": "sponsorship",
                                                     "title": "Sponsorship appeal",
                                                     "dates": {"reasons_received": "2026-11-02"}}]}),
                        encoding="utf-8")
    assert run_cli(*_v(vault_folder), "import", str(manifest), stdin=ADMIN_PASS + "\n").returncode == 0
    done = run_cli(*_v(vault_folder), "deadlines", "m-iad", "--today", "2026-11-20",
                   "--date", "appeal_filed=2026-11-19", stdin=ADMIN_PASS + "\n")
    assert done.returncode == 0, done.stderr
    line = next(n for n, text in enumerate(done.stdout.splitlines()) if "iad.sponsorship_notice" in text)
    shown = done.stdout.splitlines()
    assert "[Done]" in shown[line] and shown[line + 1].strip() == "Notice of appeal filed (IAD): 2026-11-19"
    agenda = run_cli(*_v(vault_folder), "deadlines", "--json", "--today", "2026-11-20", stdin=ADMIN_PASS + "\n")
    rules = [r["rule"] for rows in json.loads(agenda.stdout)["groups"].values() for r in rows]
    assert "iad.sponsorship_notice" not in rules and rules  # the rest of the matter is still on the agenda


def test_a_manifest_records_steps_and_options(vault_folder: Path, tmp_path: Path, cli) -> None:
    manifest = tmp_path / "case.yaml"
    matter = {"ref": "m-rpd", "client": "c-1", "type": "rpd_claim", "title": "Inland claim",
              "dates": {"referral": "2026-12-01", "eligibility": "2026-12-01"},
              "deadline_options": {"rpd.boc": "inland"}}
    manifest.write_text(yaml.safe_dump({"version": 1, "clients": [{"ref": "c-1", "name": "Ana Example"}],
                                        "matters": [matter]}), encoding="utf-8")
    done = run_cli(*_v(vault_folder), "import", str(manifest), stdin=ADMIN_PASS + "\n")
    assert done.returncode == 0, done.stderr
    code, out, _err = cli(*_v(vault_folder), "deadlines", "m-rpd", "--json")
    boc = _row(json.loads(out), "rpd.boc")
    assert boc["variant"] == "inland" and boc["due"] == "2026-12-01"

    matter["deadline_options"] = {"rpd.boc": "by_sea"}
    manifest.write_text(yaml.safe_dump({"version": 1, "matters": [matter]}), encoding="utf-8")
    code, _out, err = cli(*_v(vault_folder), "import", str(manifest))
    assert code != 0 and "matters[0] (ref m-rpd)" in err and "has no option by_sea" in err
    code, out, _err = cli(*_v(vault_folder), "deadlines", "m-rpd", "--json")
    assert _row(json.loads(out), "rpd.boc")["variant"] == "inland"  # the refused import changed nothing


@pytest.mark.parametrize("args, words", [
    (("--date", "prior_prra_rejected=2026-01-15", "--date", "prior_prra_rejected=2026-10-15"),
     "--date prior_prra_rejected is given twice"),
    (("--option", "prra.application=mailed", "--option", "prra.application="), "--option prra.application is given twice"),
])
def test_a_name_given_twice_is_refused_rather_than_the_last_one_kept(prra_vault: Path, cli, args, words) -> None:
    """A script that set a date twice kept the last one without a word (here a bar ending
    nine months later than the first date says)."""
    code, _out, err = cli(*_v(prra_vault), "deadlines", "m-prra", *args)
    assert code == 2 and words in err
    code, out, _err = cli(*_v(prra_vault), "deadlines", "m-prra", "--json")
    data = json.loads(out)
    assert data["options"][0]["chosen"] is None and all(s["date"] is None for s in data["steps"])
