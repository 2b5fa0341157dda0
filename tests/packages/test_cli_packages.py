"""The command line: deadlines (--json, --ics, --province), checklist, and one `build`
command for packages (exit 4 when pre-flight refuses, --force) and saved bundles."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from clinic_app.domain.deadlines import GROUPS

from .seed import TODAY


@pytest.fixture
def vault(fresh, vault_folder: Path) -> tuple[str, ...]:
    fresh("rpd_disclosure", "stay_motion", "hc_application", open_session=False)
    return ("--vault", str(vault_folder), "--passphrase-stdin")


def test_deadlines_of_one_matter_as_json(cli, vault) -> None:
    code, out, err = cli(*vault, "deadlines", "m-rpd", "--json", "--today", TODAY.isoformat())
    assert code == 0, err
    data = json.loads(out)
    rows = {r["rule"]: r for r in data["deadlines"]}
    disclosure = rows["rpd.disclosure"]
    due = date.fromisoformat(disclosure["due"])
    assert due <= TODAY + timedelta(days=30) and due >= TODAY + timedelta(days=26)  # hearing in 40 days, minus 10
    assert disclosure["days"] == (due - TODAY).days and disclosure["citation"] == "RPD Rules r. 34(3)(a)"
    assert data["matter"] == "m-rpd" and isinstance(data["pending"], list)


def test_agenda_and_calendar_export(cli, vault, tmp_path: Path) -> None:
    ics = tmp_path / "deadlines.ics"
    code, out, err = cli(*vault, "deadlines", "--json", "--ics", str(ics), "--today", TODAY.isoformat())
    assert code == 0, err
    data = json.loads(out)
    assert set(data["groups"]) == set(GROUPS)
    listed = [r for rows in data["groups"].values() for r in rows]
    assert {"m-rpd", "m-stay"} <= {r["matter"] for r in listed}
    this_week = [r["rule"] for r in data["groups"]["this_week"]]
    assert "fc.stay_motion_record" in this_week  # hearing in 10 days, record 3 clear business days before
    raw = ics.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.rstrip().endswith(b"END:VCALENDAR")
    assert raw.count(b"BEGIN:VEVENT") == data["ics"]["events"] > 0
    text = raw.decode("utf-8")
    for private in ("m-rpd", "Garc", "M.J.G.", "Diallo", "IMM-2345-26"):
        assert private not in text, private
    assert "RPD Rules r. 34(3)(a)" in text.replace("\r\n ", "")
    code, _out, err = cli(*vault, "deadlines", "--ics", str(ics), "--ics-with-refs", "--today", TODAY.isoformat())
    assert code == 0, err
    assert "m-rpd:" in ics.read_text(encoding="utf-8").replace("\r\n ", "")


def test_deadlines_human_output_and_bad_province(cli, vault) -> None:
    code, out, _err = cli(*vault, "deadlines", "m-stay", "--province", "qc", "--today", TODAY.isoformat())
    assert code == 0 and "r. 364(3)" in out and "UNCONFIRMED" in out  # the stay record rule is unconfirmed
    code, _out, err = cli(*vault, "deadlines", "--province", "XX")
    assert code == 4 and "XX" in err and "ON" in err


def test_build_refuses_with_exit_4_then_force_builds(cli, fresh, vault_folder: Path, tmp_path: Path) -> None:
    fresh("hc_application", open_session=False, without=("d-hc-imm5283", "d-hc-fees"))
    v = ("--vault", str(vault_folder), "--passphrase-stdin")
    out_pdf = tmp_path / "hc.pdf"
    code, out, err = cli(*v, "build", "m-hc", "--package", "hc_application", "--out", str(out_pdf))
    assert code == 4 and not out_pdf.exists()
    assert "IMM 5283" in err and "Proof of payment of fees" in err and "--force" in err and "Traceback" not in err
    code, out, _err = cli(*v, "build", "m-hc", "--package", "hc_application", "--out", str(out_pdf), "--json")
    assert code == 4
    data = json.loads(out)
    assert data["built"] is False
    assert sorted(p["item"] for p in data["problems"] if p["severity"] == "error") == ["fees", "imm5283"]
    code, out, err = cli(*v, "build", "m-hc", "--package", "hc_application", "--out", str(out_pdf), "--force")
    assert code == 0 and out_pdf.read_bytes().startswith(b"%PDF")
    assert "Error: Missing required item" in err and "Built" in out
    code, out, _err = cli(*v, "build", "m-hc", "--package", "hc_application", "--out", str(out_pdf), "--force",
                          "--json", "--themes", "family", "--no-cover-letter")
    data = json.loads(out)
    assert code == 0 and data["forced"] is True and data["sections"][0] == "Application forms"
    assert "letter_not_selected" in [p["code"] for p in data["problems"]]


def test_checklist_command(cli, vault) -> None:
    code, out, _err = cli(*vault, "checklist", "m-rpd", "--package", "rpd_disclosure", "--json")
    data = json.loads(out)
    assert code == 0 and data["ready"] is True
    service = next(i for i in data["items"] if i["item"] == "service")
    assert service["signed"] and service["documents"] == ["d-rpd-service"]


def test_build_takes_exactly_one_of_package_or_bundle(cli, vault, tmp_path: Path) -> None:
    out = str(tmp_path / "x.pdf")
    code, _o, _e = cli(*vault, "build", "m-rpd", "--package", "rpd_disclosure", "--bundle", "b-1", "--out", out)
    assert code == 2
    code, _o, _e = cli(*vault, "build", "m-rpd", "--out", out)
    assert code == 2
    code, _o, _e = cli(*vault, "build", "m-rpd", "--package", "nope", "--out", out)
    assert code == 2


def test_build_bundle_goes_to_the_bundle_service(cli, fresh, vault_folder: Path, tmp_path: Path,
                                                readback) -> None:
    from clinic_app.domain.bundle import BundleSpec, DocumentPart, Section, Tab
    from clinic_app.services import bundles

    session = fresh("rpd_disclosure", "rad_record")
    spec = BundleSpec(title="Disclosure", sections=[Section("Evidence", [
        Tab("Police report", TODAY, [DocumentPart("d-rpd-police")])])])
    bundles.save_project(session, "b-1", "m-rpd", spec)
    session.lock()
    v = ("--vault", str(vault_folder), "--passphrase-stdin")
    out = tmp_path / "bundle.pdf"
    for extra in (("--themes", "x"), ("--force",), ("--no-cover-letter",)):
        code, _o, err = cli(*v, "build", "m-rpd", "--bundle", "b-1", "--out", str(out), *extra)
        assert code == 2 and extra[0] in err and not out.exists()
    code, stdout, err = cli(*v, "build", "m-rpd", "--bundle", "b-1", "--out", str(out), "--json")
    assert code == 0, err
    assert json.loads(stdout)["files"] == [str(out)]
    assert "MARK-d-rpd-police-p1" in readback(out).all_text()
    code, _o, err = cli(*v, "build", "m-rad", "--bundle", "b-1", "--out", str(tmp_path / "no.pdf"))
    assert code == 4 and "b-1" in err and not (tmp_path / "no.pdf").exists()
