"""`clinic-app import-matter`: a case file whose client or adverse parties resemble people in
this vault stops (exit 1, nothing imported, the matches printed), as a manifest import does,
unless --accept-conflicts, which is audited. Before, it imported without a question."""

from __future__ import annotations

import json
from pathlib import Path

from support import ADMIN, ADMIN_PASS, run_cli

FILE_PASS = "seven quiet rivers cross the old border"


def test_a_case_file_meets_the_conflict_check(new_vault, tmp_path: Path) -> None:
    from clinic_app.domain.client import Client
    from clinic_app.domain.matter import AdverseParty, Matter
    from clinic_app.services import audit_log, case_record, transfer
    from clinic_app.services.session import unlock

    source, _k = new_vault("source")
    target = tmp_path / "case.havencase"
    with unlock(source, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-a", legal_name="Ana Example"))
        case_record.save_matter(s, Matter(ref="m-a", client_ref="c-a", type="rpd_claim", title="Claim",
                                          adverse_parties=(AdverseParty("Marvin Cruz"),)))
        transfer.export_matter(s, "m-a", target, FILE_PASS)
    other, _k = new_vault("other")
    with unlock(other, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-9", legal_name="Marvin Cruz"))  # the other side is a client here

    v = ("--vault", str(other), "--user", ADMIN, "--passphrase-stdin")
    refused = run_cli(*v, "import-matter", str(target), stdin=f"{ADMIN_PASS}\n{FILE_PASS}\n")
    assert refused.returncode == 1, refused.stderr
    assert "Marvin Cruz  —  client c-9" in refused.stdout and "--accept-conflicts" in refused.stderr
    listed = run_cli(*v, "list", "matters", "--json", stdin=ADMIN_PASS + "\n")
    assert json.loads(listed.stdout) == []  # nothing imported

    done = run_cli(*v, "import-matter", str(target), "--accept-conflicts", "--json",
                   stdin=f"{ADMIN_PASS}\n{FILE_PASS}\n")
    assert done.returncode == 0, done.stderr
    assert [r["similar"] for r in json.loads(done.stdout)["names_accepted"]] == ["Marvin Cruz"]
    with unlock(other, user=ADMIN, passphrase=ADMIN_PASS) as s:
        assert case_record.get_matter(s, "m-a").adverse_parties[0].name == "Marvin Cruz"
        decisions = [e.detail for e in audit_log.entries(s) if e.action == "conflict_check"]
    assert [d["decision"] for d in decisions] == ["imported_anyway"]
    assert "Cruz" not in json.dumps(decisions)  # counts and ids only
