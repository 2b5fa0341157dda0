"""Messages that say what happened in words that fit: a backup aimed inside a file, and the
failed-unlock notice in French."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_app.errors import BadInput
from clinic_app.i18n import set_language
from clinic_app.services import backup as backups
from clinic_app.services import failed_unlocks
from clinic_app.services.session import unlock
from support import ADMIN, ADMIN_PASS


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    set_language("en")


def test_a_backup_aimed_inside_a_file_says_that_file_is_not_a_folder(vault_folder: Path, tmp_path: Path) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder")
    missing = tmp_path / "gone"
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        with pytest.raises(BadInput) as inside:
            backups.make_backup(s, a_file / "backup.hbk")
        with pytest.raises(BadInput) as deeper:
            backups.make_backup(s, a_file / "sub" / "backup.hbk")
        with pytest.raises(BadInput) as absent:
            backups.make_backup(s, missing / "backup.hbk")
    for exc in (inside, deeper):
        assert str(exc.value).startswith(f"{a_file} is not a folder."), str(exc.value)
        assert "does not exist" not in str(exc.value)
    assert str(absent.value) == f"The folder {missing} does not exist."


@pytest.mark.parametrize("user", ["", failed_unlocks.UNKNOWN_USER, "admin", "Ana"])
def test_the_failed_unlock_notice_reads_right_in_french(user: str) -> None:
    set_language("fr")
    text = failed_unlocks.summary([{"at": "2026-03-01T10:00:00+00:00", "user": user}])
    assert "que un" not in text and "que a" not in text.lower(), text  # no "en tant que un…" / "que admin"
    if user in ("", failed_unlocks.UNKNOWN_USER):
        assert "avec un nom d'utilisateur inconnu" in text, text
    else:
        assert f"sous le nom d'utilisateur {user}" in text, text
