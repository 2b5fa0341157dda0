"""Where a vault goes by default, on every system's layout of folders.

On Windows and macOS platformdirs gives one folder for Haven's data, settings and state
(`%LOCALAPPDATA%\\Haven`, `~/Library/Application Support/Haven`). A vault created in that
folder itself shared it with the in-flight journal, gui.ini and the rules folder, and
`init` failed with "Internal error (OSError)". The layout is reproduced here on Linux with
XDG_DATA_HOME and Haven's state and config folders pointed at the same place.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support import ADMIN, ADMIN_PASS, run_cli


def _one_folder_layout(tmp_path: Path) -> dict[str, str]:
    shared = tmp_path / "data" / "Haven"
    env = {k: v for k, v in os.environ.items() if k != "HAVEN_VAULT"}
    env.update({"XDG_DATA_HOME": str(tmp_path / "data"), "HAVEN_STATE_DIR": str(shared),
                "HAVEN_CONFIG_DIR": str(shared), "HAVEN_GUI": "0"})
    return env


def test_init_in_the_default_folder_when_data_settings_and_state_share_one(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    env = _one_folder_layout(tmp_path)
    for key in list(os.environ):
        if key == "HAVEN_VAULT":
            monkeypatch.delenv(key)
    done = run_cli("init", "--user", ADMIN, "--passphrase-stdin", stdin=f"{ADMIN_PASS}\n{ADMIN_PASS}\n", env=env)
    assert done.returncode == 0, done.stderr
    vault = tmp_path / "data" / "Haven" / "Vault"
    assert (vault / "vault.db").is_file() and (vault / "keyslots.json").is_file()
    listed = run_cli("list", "clients", "--user", ADMIN, "--passphrase-stdin", stdin=ADMIN_PASS + "\n", env=env)
    assert listed.returncode == 0, listed.stderr  # found again by default


def test_a_vault_made_in_the_data_folder_itself_stays_the_default(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from clinic_app import paths

    monkeypatch.delenv("HAVEN_VAULT", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    data = tmp_path / "data" / "Haven"
    assert paths.default_vault_dir() == data / "Vault"
    data.mkdir(parents=True)
    (data / "keyslots.json").write_text("{}", encoding="utf-8")  # an earlier version's vault (Linux)
    assert paths.default_vault_dir() == data
    assert paths.demo_vault_dir() == tmp_path / "data" / "Haven-demo"  # beside, never inside
