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


def default_vault_dir() -> Path:
    override = os.environ.get("HAVEN_VAULT")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def demo_vault_dir() -> Path:
    """Where `clinic-app demo` keeps its vault of fictional people: a "Haven-demo" folder
    beside the default vault (never inside it, never the vault itself)."""
    override = os.environ.get("HAVEN_DEMO_VAULT")
    if override:
        return Path(override)
    return default_vault_dir().parent / f"{APP_NAME}-demo"


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
