"""Shared test set-up: headless Qt, isolated user folders, the shared corpus."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HAVEN_TEST_WEAK_KDF", "1")  # the "fast" KDF profile; Haven refuses it otherwise

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `slow` (20-run crash loops, the frozen build) run only with -m slow."""
    if "slow" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="long run: select it with -m slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True, scope="session")
def _isolated_user_dirs_for_wider_fixtures(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Module-scoped fixtures run before the per-test folders below exist: keep them off the
    real user's Haven folders too (the in-flight temp records, remembered vault history)."""
    base = tmp_path_factory.mktemp("haven-home-session")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HAVEN_STATE_DIR", str(base / "state"))
        mp.setenv("HAVEN_CONFIG_DIR", str(base / "config"))
        yield


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the real user's Haven folders."""
    base = tmp_path_factory.mktemp("haven-home")
    monkeypatch.setenv("HAVEN_STATE_DIR", str(base / "state"))
    monkeypatch.setenv("HAVEN_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("HAVEN_VAULT", str(base / "default-vault"))
    monkeypatch.setenv("HAVEN_LANG", "en")


@pytest.fixture
def corpus_dir() -> Path:
    """`../shared/corpus/pdf`, or skip with the reason when it is absent."""
    folder = CORPUS / "pdf"
    if not folder.is_dir():
        pytest.skip(f"shared corpus not present at {folder} (it lives beside the project root)")
    return folder


# --- vaults ------------------------------------------------------------------------

from support import ADMIN, ADMIN_PASS, PASSES  # noqa: E402


@pytest.fixture
def new_vault(tmp_path: Path):
    """Create a real vault (fast KDF) with an admin; returns (folder, recovery_key)."""
    from clinic_app.services.session import create_vault

    def make(name: str = "vault") -> tuple[Path, str]:
        folder = tmp_path / name
        session, recovery = create_vault(folder, admin=ADMIN, passphrase=ADMIN_PASS, kdf_profile="fast")
        session.lock()
        return folder, recovery

    return make


@pytest.fixture
def vault_folder(new_vault) -> Path:
    return new_vault()[0]


@pytest.fixture
def admin_session(vault_folder: Path):
    from clinic_app.services.session import unlock

    session = unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS)
    yield session
    session.lock()


@pytest.fixture
def role_sessions(vault_folder: Path):
    """One open session per role, opened one at a time (the vault allows one process)."""
    from clinic_app.domain.roles import Role
    from clinic_app.services.session import unlock
    from clinic_app.services.users import add_user

    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as admin:
        for role, pw in PASSES.items():
            add_user(admin, role, Role(role), pw)

    def open_as(role: str):
        if role == "admin":
            return unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS)
        return unlock(vault_folder, user=role, passphrase=PASSES[role])

    return open_as


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """cli(*argv, stdin=...) -> (exit code, stdout, stderr), in this process (the real parser)."""
    import io
    import sys

    from clinic_app.cli import main

    def run(*argv: str, stdin: str = ADMIN_PASS + "\n") -> tuple[int, str, str]:
        capsys.readouterr()
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main.run(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run
