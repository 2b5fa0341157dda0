"""Window preferences. Only things that say nothing about clients are kept here:
geometry, language, auto-lock delay, the last vault folder and the backup folder.
No recent documents, no matter names, nothing the OS could list."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from clinic_app.paths import config_dir

DEFAULT_AUTOLOCK_SECONDS = 5 * 60


class Settings:
    def __init__(self, path: Path | None = None) -> None:
        target = path or config_dir() / "gui.ini"
        self._q = QSettings(str(target), QSettings.Format.IniFormat)

    def _get(self, key: str, default: object) -> object:
        value = self._q.value(key, default)
        return default if value is None else value

    @property
    def language(self) -> str:
        return str(self._get("language", ""))

    @language.setter
    def language(self, value: str) -> None:
        self._q.setValue("language", value)

    @property
    def autolock_seconds(self) -> int:
        try:
            return max(1, int(self._get("autolock_seconds", DEFAULT_AUTOLOCK_SECONDS)))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return DEFAULT_AUTOLOCK_SECONDS

    @autolock_seconds.setter
    def autolock_seconds(self, value: int) -> None:
        self._q.setValue("autolock_seconds", int(value))

    @property
    def last_vault(self) -> str:
        return str(self._get("last_vault", ""))

    @last_vault.setter
    def last_vault(self, value: str) -> None:
        self._q.setValue("last_vault", value)

    @property
    def backup_folder(self) -> str:
        return str(self._get("backup_folder", ""))

    @backup_folder.setter
    def backup_folder(self, value: str) -> None:
        self._q.setValue("backup_folder", value)

    @property
    def geometry(self) -> QByteArray | None:
        value = self._q.value("geometry")
        return value if isinstance(value, QByteArray) else None

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._q.setValue("geometry", value)

    def sync(self) -> None:
        self._q.sync()
