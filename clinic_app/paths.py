"""Where Haven keeps things. The only module that calls platformdirs.

Environment overrides exist so that tests and portable installs never touch the
real user folders: HAVEN_VAULT (default vault folder), HAVEN_DEMO_VAULT (the demo's),
HAVEN_STATE_DIR (small, non-client state such as pending failed-unlock records).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "Haven"


def resources_dir() -> Path:
    """The `resources/` folder: beside the package in a checkout, or inside a frozen build."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def docs_dir() -> Path:
    """The user guide (`docs/guide/`) and the pages it links to: beside the package in a
    checkout, or inside a frozen build (packaging/haven.spec ships them there)."""
    frozen = getattr(sys, "_MEIPASS", None)
    return (Path(frozen) if frozen else Path(__file__).resolve().parent.parent) / "docs"


VAULT_FOLDER = "Vault"
# A vault's own files (vault/store.py): a vault an earlier version made in the data folder itself.
_VAULT_FILES = ("vault.db", "keyslots.json")


def _data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_vault_dir() -> Path:
    """A folder of its own inside Haven's data folder. On Windows and macOS platformdirs
    gives one folder for data, settings and state, so a vault in the data folder itself
    shared it with gui.ini, the rules folder and the in-flight journal, and creating it
    failed. A vault an earlier version made there (Linux) is still the default."""
    override = os.environ.get("HAVEN_VAULT")
    if override:
        return Path(override)
    data = _data_dir()
    if any((data / name).exists() for name in _VAULT_FILES):
        return data
    return data / VAULT_FOLDER


def demo_vault_dir() -> Path:
    """Where `clinic-app demo` keeps its vault of fictional people: a "Haven-demo" folder
    beside Haven's data folder (never inside the vault, never the vault itself)."""
    override = os.environ.get("HAVEN_DEMO_VAULT")
    if override:
        return Path(override)
    vault_override = os.environ.get("HAVEN_VAULT")
    return (Path(vault_override) if vault_override else _data_dir()).parent / f"{APP_NAME}-demo"


def state_dir() -> Path:
    override = os.environ.get("HAVEN_STATE_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    override = os.environ.get("HAVEN_CONFIG_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
