"""Broken, odd and hostile files in the clinic's rules folder.

Whatever a lawyer's editor, a file manager or an attacker leaves there, the loader answers
with its message (file, rule, field) and quickly: never another exception (which the
window and the command line show as "Internal error"), never a hang, never Haven's own
file counted in silence in place of the clinic's copy.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from support import ADMIN_PASS, run_cli

from clinic_app.domain.deadlines import RulesFileError, compute_deadlines, pending_rules
from clinic_app.paths import config_dir, resources_dir
from clinic_app.services.deadline_rules import calendar_for, load_rules, load_rules_cached

RAD = (resources_dir() / "rules" / "rad.yaml").read_text(encoding="utf-8")
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="links, pipes and devices as on Linux and macOS")


@contextlib.contextmanager
def within(seconds: float) -> Iterator[None]:
    """Fail instead of hanging (the loader runs in the window's and the CLI's only thread)."""
    if sys.platform == "win32":
        yield
        return

    def late(*_args: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, late)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def refused(folder: Path, seconds: float = 10) -> RulesFileError:
    with within(seconds), pytest.raises(RulesFileError) as err:
        load_rules(override_dir=folder)
    return err.value


def clinic_copy(tmp_path: Path, text: str, name: str = "rad.yaml") -> Path:
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def rule(rid: str, trigger: str) -> str:
    return (f"  - id: {rid}\n    name: {{en: N, fr: N}}\n    applies_to: [rad_appeal]\n    kind: due\n"
            f"    trigger: {trigger}\n    offset_days: 1\n    roll: none\n    citation: c\n    sources: [x]\n"
            f"    last_checked: 2026-01-01\n    unconfirmed: false\n")


# --- what is written in the file ---------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "words"), [
    # a date that is no date: PyYAML's own ValueError escaped as "Internal error (ValueError)"
    ("last_checked: 2026-12-07", "last_checked: 2026-13-45", "line 23: the value '2026-13-45' cannot be read as a date"),
    ("offset_days: 15", "offset_days: !!int fifteen", "line 16: the value 'fifteen' cannot be read as a whole number"),
    # a list as a field name: TypeError (unhashable) in the duplicate-key check
    ("    offset_days: 15", "    ? [offset_days]\n    : 15", "line 16: a field name must be a word"),
    # a list as the default option: TypeError in the check against the options
    ("default: regulation_30", "default: [regulation_30]", "rule rad.record, field variants.default: must be one"),
    # periods no deadline has: a date past 9999 (OverflowError) on every agenda, or business
    # days counted one by one for minutes
    ("offset_days: 15", "offset_days: 15\n    offset_months: 100000",
     "rule rad.notice, field offset_months: must be between -120 and 120"),
    ("offset_days: 15", "offset_days: 99999999999999999999", "field offset_days: must be between -3660 and 3660"),
])
def test_a_value_python_cannot_take_is_the_loaders_message(tmp_path: Path, old: str, new: str, words: str) -> None:
    assert old in RAD
    err = refused(clinic_copy(tmp_path, RAD.replace(old, new, 1)))
    assert str(tmp_path / "rules" / "rad.yaml") in str(err) and words in str(err)


def test_nesting_thousands_deep_is_refused_not_a_recursion_error(tmp_path: Path) -> None:
    err = refused(clinic_copy(tmp_path, "forum: RAD\nrules: " + "[" * 5000 + "]" * 5000 + "\n"))
    assert "nested more than 50 deep" in str(err)


def test_rules_reaching_each_other_by_many_paths_load_and_count_quickly(tmp_path: Path) -> None:
    """Each rule counts from the next, with the next as its fallbacks too: 3**18 paths,
    which the loop check and the pending list followed one by one (hours)."""
    depth = 18
    ids = [f"zz.r{chr(97 + i)}" for i in range(depth + 1)]
    text = "forum: ZZ\nrules:\n" + "".join(
        rule(ids[i], f"{{rule: {ids[i + 1]}, fallback: {{rule: {ids[i + 1]}, fallback: {{rule: {ids[i + 1]}}}}}}}")
        for i in range(depth)) + rule(ids[depth], "{date: decision}")
    with within(20):
        loaded = load_rules(override_dir=clinic_copy(tmp_path, text, "zz.yaml"))
        pending = pending_rules("rad_appeal", {}, loaded.rules, calendar_for("ON"))
        found = compute_deadlines("rad_appeal", {"decision": date(2027, 1, 4)}, loaded.rules, calendar_for("ON"))
    assert {p.rule_id: p.needs for p in pending}[ids[0]] == ("decision",)
    assert {d.rule_id: d.due for d in found}[ids[0]] == date(2027, 1, 4 + depth + 1)


def test_a_chain_of_two_thousand_rules_is_refused_by_name(tmp_path: Path) -> None:
    ids = [f"zz.r{i:04d}" for i in range(2001)]
    text = "forum: ZZ\nrules:\n" + "".join(rule(ids[i], f"{{rule: {ids[i + 1]}}}") for i in range(2000)) + \
        rule(ids[2000], "{date: decision}")
    err = refused(clinic_copy(tmp_path, text, "zz.yaml"))
    assert "rule zz.r0000, field trigger.rule: counts from a chain of more than 20 rules" in str(err)


# --- what is in the folder ------------------------------------------------------------------

@posix_only
@pytest.mark.parametrize("make", ["missing target", "folder", "pipe", "device"])
def test_a_rad_yaml_that_is_no_file_is_refused_not_skipped(tmp_path: Path, make: str) -> None:
    """Before, each was skipped and Haven's own rad.yaml counted in silence (and a shared
    drive that was not mounted left the clinic's corrected copy out without a word)."""
    folder = tmp_path / "rules"
    folder.mkdir()
    target = folder / "rad.yaml"
    if make == "missing target":
        target.symlink_to(tmp_path / "unmounted" / "rad.yaml")
    elif make == "folder":
        target.mkdir()
    elif make == "pipe":
        os.mkfifo(target)
    else:
        target.symlink_to("/dev/zero")
    err = refused(folder)
    assert str(target) in str(err)
    assert {"missing target": "a link to a file that does not exist", "folder": "is a folder",
            "pipe": "is not a file", "device": "is not a file"}[make] in str(err)


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    folder = clinic_copy(tmp_path, RAD)
    with (folder / "rad.yaml").open("a", encoding="utf-8") as out:
        out.write("#" + "x" * 2_000_000 + "\n")
    assert "is too large for a rules file" in str(refused(folder))


@posix_only
def test_hidden_files_are_an_editors_not_the_clinics(tmp_path: Path) -> None:
    """Emacs keeps a lock link .#rad.yaml while the copy is open; a Mac writes ._rad.yaml
    beside it on a shared drive. Neither is a rules file (the second is not even text)."""
    folder = clinic_copy(tmp_path, RAD.replace("offset_days: 15", "offset_days: 16", 1))
    (folder / ".#rad.yaml").symlink_to("ana@laptop.1234:1700000000")
    (folder / "._rad.yaml").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \xff")
    assert load_rules(override_dir=folder).by_id()["rad.notice"].timing.offset_days == 16


def test_a_file_where_the_rules_folder_should_be_is_refused(tmp_path: Path) -> None:
    (tmp_path / "rules").write_text("not a folder", encoding="utf-8")
    err = refused(tmp_path / "rules")
    assert str(tmp_path / "rules") in str(err) and "is not a folder" in str(err)


def test_an_edit_that_keeps_size_and_time_is_not_missed_by_the_cache(tmp_path: Path) -> None:
    folder = clinic_copy(tmp_path, RAD.replace("offset_days: 15", "offset_days: 16", 1))
    copy = folder / "rad.yaml"
    assert load_rules_cached(folder).by_id()["rad.notice"].timing.offset_days == 16
    stamp = copy.stat()
    copy.write_text(RAD.replace("offset_days: 15", "offset_days: 17", 1), encoding="utf-8")  # same size
    os.utime(copy, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # e.g. a copy restored with its date
    assert copy.stat().st_size == stamp.st_size
    assert load_rules_cached(folder).by_id()["rad.notice"].timing.offset_days == 17


# --- as a user meets it -----------------------------------------------------------------------

def test_the_cli_names_the_file_and_exits_4(vault_folder: Path) -> None:
    from clinic_app.domain.client import Client
    from clinic_app.domain.matter import KeyDates, Matter, MatterType
    from clinic_app.services import case_record
    from clinic_app.services.session import unlock

    with unlock(vault_folder, user="ana", passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-1", legal_name="Test Client"))
        case_record.save_matter(s, Matter(ref="m-rad", client_ref="c-1", type=MatterType.RAD_APPEAL, title="Appeal",
                                          dates=KeyDates(reasons_received=date(2027, 1, 31))))
    folder = config_dir() / "rules"
    folder.mkdir(parents=True)
    (folder / "rad.yaml").write_text(RAD.replace("last_checked: 2026-12-07", "last_checked: 2026-12-47", 1),
                                     encoding="utf-8")
    done = run_cli("--vault", str(vault_folder), "--user", "ana", "--passphrase-stdin", "deadlines",
                   stdin=ADMIN_PASS + "\n")
    assert done.returncode == 4, done.stderr
    assert f"In {folder / 'rad.yaml'}: cannot be read near line 23" in done.stderr
    assert "Internal error" not in done.stderr and "Traceback" not in done.stderr
    (folder / "rad.yaml").unlink()
    (folder / "rad.yaml").mkdir()
    done = run_cli("--vault", str(vault_folder), "--user", "ana", "--passphrase-stdin", "deadlines",
                   stdin=ADMIN_PASS + "\n")
    assert done.returncode == 4 and f"In {folder / 'rad.yaml'}: is a folder, not a rules file" in done.stderr
