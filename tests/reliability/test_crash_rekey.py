"""kill -9 inside a rekey (`user remove`): the first `check` afterwards finds the vault intact.

A rekey writes the slot file (old and new key), re-encrypts every page, then writes the
slot file again. Killed at any point, the vault must open with exactly the keys that are
left, the removed user must be out once their row is gone, and `check` must finish the
interrupted work first, as the next unlock would, instead of calling a healthy vault
damaged and advising a restore over it. 3 runs by default; 20 with `-m slow`.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
from pathlib import Path

import pytest

from clinic_app.errors import HavenError
from clinic_app.vault import keyslots

from rel_support import haven, haven_cmd, soundness, vault_args
from support import ADMIN, ADMIN_PASS, PASSES
from test_crash import SYSCALLS, _calibrate, _kill, _plans

BOB = "bob"


@pytest.fixture(scope="module")
def rekey_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A vault of about 24 MB (so the re-encryption takes a while) with a second user to remove."""
    from clinic_app.domain.client import Client
    from clinic_app.domain.document import DocumentMeta
    from clinic_app.domain.matter import Matter
    from clinic_app.domain.roles import Role
    from clinic_app.services import case_record, evidence, users
    from clinic_app.services.session import create_vault

    folder = tmp_path_factory.mktemp("crash-rekey") / "template"
    session, _recovery = create_vault(folder, admin=ADMIN, passphrase=ADMIN_PASS, kdf_profile="fast")
    docs = {}
    with session as s:
        users.add_user(s, BOB, Role.LAWYER, PASSES["lawyer"])
        case_record.save_client(s, Client(ref="c-1", legal_name="Client One"))
        case_record.save_matter(s, Matter(ref="m-1", client_ref="c-1", type="hc", title="H&C"))
        for i in range(6):
            data = os.urandom(4_000_000)
            evidence.store_document(s, io.BytesIO(data), DocumentMeta(ref=f"d-{i}", title="Doc"), ["m-1"])
            docs[f"d-{i}"] = hashlib.sha256(data).hexdigest()
    return folder, docs


def _bob_opens(folder: Path) -> bool:
    from clinic_app.services.session import unlock

    try:
        unlock(folder, user=BOB, passphrase=PASSES["lawyer"]).lock()
    except HavenError:
        return False
    return True


def _rekey_runs(template: tuple[Path, dict[str, str]], work: Path, runs: int, seed: int) -> list[str]:
    folder0, docs = template

    def cmd(folder: Path) -> list[str]:
        return haven_cmd(*vault_args(folder), "--user", ADMIN, "user", "remove", BOB)

    seconds, counts = _calibrate(folder0, work, cmd, ADMIN_PASS + "\n", (*SYSCALLS, "pwrite64"))
    outcomes = []
    for i, plan in enumerate(_plans(runs, seconds, counts, seed)):
        folder = work / f"run{i}"
        shutil.copytree(folder0, folder)
        rc = _kill(cmd(folder), plan, ADMIN_PASS + "\n")
        slots_after_kill = keyslots.read(folder / "keyslots.json")
        first = haven(*vault_args(folder), "--user", ADMIN, "check", "--json", stdin=ADMIN_PASS + "\n")
        report = json.loads(first.stdout)
        assert first.returncode == 0 and report["ok"] and not report["damaged_pages"], (plan, first.stdout)
        assert "restore" not in first.stdout.lower()
        found = soundness(folder)
        assert found.problems == [] and found.documents == docs
        listed = haven(*vault_args(folder), "--user", ADMIN, "user", "list", "--json", stdin=ADMIN_PASS + "\n")
        still_listed = BOB in [u["name"] for u in json.loads(listed.stdout)]
        assert _bob_opens(folder) == still_listed  # once bob's row is gone, no key of his opens anything
        final = keyslots.read(folder / "keyslots.json")
        assert final.pending_key_id is None and all(len(s.sealed) == 1 for s in final.slots)
        outcomes.append("kept" if still_listed else "removed")
        print(f"rekey run {i}: {plan} rc={rc} pending after kill={slots_after_kill.pending_key_id is not None} "
              f"bob {outcomes[-1]}")
        shutil.rmtree(folder)
    return outcomes


def test_kill_during_rekey_then_check(rekey_template, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _rekey_runs(rekey_template, tmp_path, runs=3, seed=41)


@pytest.mark.slow
def test_kill_during_rekey_then_check_20_runs(rekey_template, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    outcomes = _rekey_runs(rekey_template, tmp_path, runs=20, seed=42)
    assert len(outcomes) == 20
