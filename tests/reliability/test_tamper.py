"""Tamper: one flipped byte anywhere in the vault file is detected, and changed data is never shown.

For every sampled position (the salt, page 1, IVs and HMACs, pages in the middle,
the last page) one copy of the vault is checked and another is read through the
services: the check must fail naming the page (or say the vault cannot open), and
every read must either fail or return exactly the original data.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from clinic_app.domain.client import Client
from clinic_app.errors import HavenError
from clinic_app.services import case_record, evidence, vault_check
from clinic_app.services.session import unlock
from clinic_app.vault import codec, connection
from clinic_app.vault.pages import PAGE_SIZE

from rel_support import flip_byte, haven, vault_args
from support import ADMIN, ADMIN_PASS, open_original


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object], dict[str, bytes]]:
    import io
    import os

    from clinic_app.domain.document import DocumentMeta
    from clinic_app.domain.matter import Matter
    from clinic_app.services.session import create_vault

    folder = tmp_path_factory.mktemp("tamper") / "vault"
    session, _recovery = create_vault(folder, admin=ADMIN, passphrase=ADMIN_PASS, kdf_profile="fast")
    docs = {}
    with session as s:
        for i in range(3):
            case_record.save_client(s, Client(ref=f"c-{i}", legal_name=f"Client {i}", notes="n" * 3000))
            case_record.save_matter(s, Matter(ref=f"m-{i}", client_ref=f"c-{i}", type="hc", title="H&C"))
            data = os.urandom(20_000 + 7000 * i)
            evidence.store_document(s, io.BytesIO(data), DocumentMeta(ref=f"d-{i}", title="Doc"), [f"m-{i}"])
            docs[f"d-{i}"] = data
        clients = {c.ref: codec.to_plain(c) for c in case_record.clients(s)}
    return folder, clients, docs


def _positions(size: int, extra: int, seed: int) -> list[int]:
    pages = size // PAGE_SIZE
    fixed = [0, 7, 15, 16, 17, 100, 2000, PAGE_SIZE - 80, PAGE_SIZE - 65, PAGE_SIZE - 64, PAGE_SIZE - 1]
    for pgno in (2, pages // 2, pages - 1, pages):
        base = (pgno - 1) * PAGE_SIZE
        fixed += [base, base + 1234, base + PAGE_SIZE - 80, base + PAGE_SIZE - 30, base + PAGE_SIZE - 1]
    rng = random.Random(seed)
    return sorted(set(fixed) | {rng.randrange(size) for _ in range(extra)})


def _reads_show_only_originals(folder: Path, clients: dict[str, object], docs: dict[str, bytes],
                               *, documents: bool) -> list[str]:
    """Read every record (and document) through the services; list anything changed that was shown."""
    shown: list[str] = []
    try:
        with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
            try:
                shown += [c.ref for c in case_record.clients(s) if codec.to_plain(c) != clients[c.ref]]
            except Exception:  # any refusal to show is correct
                pass
            for ref, data in docs.items() if documents else ():
                try:
                    if open_original(s, ref).read() != data:
                        shown.append(ref)
                except Exception:  # a refusal, not a display
                    pass
    except (HavenError, connection.DatabaseError):
        pass  # refusing to open is a correct answer
    return shown


def _judge(template: tuple[Path, dict[str, object], dict[str, bytes]], work: Path, position: int) -> str:
    folder, clients, docs = template
    checked, read = work / f"c{position}", work / f"r{position}"
    for copy in (checked, read):
        shutil.copytree(folder, copy)
        flip_byte(copy / "vault.db", position)
    assert _reads_show_only_originals(read, clients, docs, documents=False) == [], position
    found = vault_check.check_folder(checked, user=ADMIN, passphrase=ADMIN_PASS)
    page = position // PAGE_SIZE + 1
    assert not found.ok, position
    assert page in found.damaged_pages or found.cannot_open, (position, found)
    shutil.rmtree(checked)
    shutil.rmtree(read)
    return "refused" if found.report is None else "named"


def _run(template, work: Path, extra: int, seed: int) -> dict[str, int]:  # type: ignore[no-untyped-def]
    size = (template[0] / "vault.db").stat().st_size
    outcomes: dict[str, int] = {}
    for position in _positions(size, extra, seed):
        outcome = _judge(template, work, position)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def test_flipped_bytes_are_detected(template, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    outcomes = _run(template, tmp_path, extra=15, seed=1)
    assert outcomes.get("refused") and outcomes.get("named")  # both paths were exercised


@pytest.mark.slow
def test_flipped_bytes_are_detected_100_trials(template, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    outcomes = _run(template, tmp_path, extra=100, seed=2)
    assert sum(outcomes.values()) >= 100


def test_cli_check_names_the_page_and_says_restore(template, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "v"
    shutil.copytree(template[0], folder)
    pages = (folder / "vault.db").stat().st_size // PAGE_SIZE
    target = pages // 2
    flip_byte(folder / "vault.db", (target - 1) * PAGE_SIZE + 500)
    done = haven(*vault_args(folder), "check", stdin=ADMIN_PASS + "\n")
    assert done.returncode == 5
    assert f"Damaged pages: {target}" in done.stdout or f"page {target}" in done.stdout
    assert "Restore it from a backup" in done.stdout
    header = tmp_path / "h"
    shutil.copytree(template[0], header)
    flip_byte(header / "vault.db", 3)  # the salt: no page verifies, the vault does not open
    done = haven(*vault_args(header), "check", stdin=ADMIN_PASS + "\n")
    assert done.returncode == 5 and "cannot be opened" in done.stdout and "header" in done.stdout


def test_document_reads_never_return_changed_bytes(template, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """SQLCipher 4.19 returns zeros, without an error, when the LAST overflow page of a row fails
    its HMAC; per-chunk SHA-256 digests (schema 5) make every read refuse such bytes."""
    folder, clients, docs = template
    pages = (folder / "vault.db").stat().st_size // PAGE_SIZE
    shown = []
    for page in range(2, pages + 1):
        copy = tmp_path / f"p{page}"
        shutil.copytree(folder, copy)
        flip_byte(copy / "vault.db", (page - 1) * PAGE_SIZE + 100)
        shown += [(page, ref) for ref in _reads_show_only_originals(copy, clients, docs, documents=True)]
        shutil.rmtree(copy)
    assert shown == []
