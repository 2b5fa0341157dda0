"""Reliability tests: a size-limited disk, seeded vaults (slow runs: see tests/conftest.py)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

HERE = Path(__file__).resolve().parent


@pytest.fixture
def small_disk(tmp_path: Path):
    """Mount a size-limited tmpfs (a full disk on demand), or skip saying why."""
    mounted: list[Path] = []

    def make(size_kib: int) -> Path:
        point = tmp_path / f"disk-{size_kib}k-{len(mounted)}"
        point.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kib}k,mode=0700", "tmpfs", str(point)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            pytest.skip("cannot mount a size-limited tmpfs here (needs root with CAP_SYS_ADMIN): "
                        + done.stderr.strip())
        mounted.append(point)
        return point

    yield make
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], capture_output=True, check=False)


@pytest.fixture
def seeded(new_vault):
    """A vault with two clients, a matter each, documents (one shared) and letters.

    Returns (folder, {document ref: original bytes}).
    """
    from clinic_app.domain.client import Client
    from clinic_app.domain.document import DocumentMeta
    from clinic_app.domain.letter import SupportLetter
    from clinic_app.domain.matter import Matter
    from clinic_app.services import case_record, evidence
    from clinic_app.services.session import unlock

    from support import ADMIN, ADMIN_PASS

    def make(name: str = "vault", *, size: int = 300_000) -> tuple[Path, dict[str, bytes]]:
        folder, _recovery = new_vault(name)
        originals: dict[str, bytes] = {}
        with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
            for c in ("a", "b"):
                case_record.save_client(s, Client(ref=f"c-{c}", legal_name=f"Client {c.upper()} Example",
                                                  narrative=f"Narrative of {c}"))
                case_record.save_matter(s, Matter(ref=f"m-{c}", client_ref=f"c-{c}", type="hc", title="H&C"))
            for i, matters in enumerate((["m-a"], ["m-a"], ["m-b"], ["m-a", "m-b"])):
                data = bytes([i]) * 10 + os.urandom(size)
                ref = f"d-{i}"
                evidence.store_document(s, io.BytesIO(data), DocumentMeta(ref=ref, title=f"Doc {i}"), matters)
                originals[ref] = data
            case_record.save_letter(s, SupportLetter(ref="l-a", matter_ref="m-a", writer="A Writer"))
        return folder, originals

    return make
