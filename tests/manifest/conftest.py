"""Fixtures for manifest tests: case folders holding the files a manifest names."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

FIXTURES = Path(__file__).resolve().parent / "fixtures"

Materialise = Callable[[str, Path, str], Path]


def _referenced_files(data: Any) -> list[str]:
    names: list[str] = []
    for kind in ("documents", "letters"):
        for item in (data or {}).get(kind) or []:
            if isinstance(item, dict) and isinstance(item.get("file"), str):
                names.append(item["file"])
    return names


def _materialise(manifest_text: str, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    data = json.loads(manifest_text) if name.endswith(".json") else yaml.safe_load(manifest_text)
    for rel in _referenced_files(data):
        target = folder / rel.replace("\\", "/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"%PDF-1.4\n% placeholder\n")
    path = folder / name
    path.write_text(manifest_text, encoding="utf-8")
    return path


@pytest.fixture
def materialise() -> Materialise:
    """Write a manifest into a folder and create a placeholder for each file it names."""
    return _materialise


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    """A case folder holding scans/a.pdf … scans/f.pdf."""
    folder = tmp_path / "case"
    (folder / "scans").mkdir(parents=True)
    for name in "abcdef":
        (folder / "scans" / f"{name}.pdf").write_bytes(b"%PDF-1.4\n")
    return folder


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Callable[[str], Path]:
    """Copy a fixture manifest into a fresh folder with its files; return its path."""

    def copy(name: str) -> Path:
        text = (FIXTURES / name).read_text(encoding="utf-8")
        return _materialise(text, tmp_path / name.replace(".", "_"), name)

    return copy
