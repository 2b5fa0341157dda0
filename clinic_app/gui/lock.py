"""When to lock: inactivity, screen lock, suspend and session end.

`InactivityWatcher` is an application-wide event filter: any key, click, wheel or
touch resets the clock, and `idle` fires once the configured delay has passed.
`SystemLockWatcher` listens for the desktop telling us the screen locked or the
machine is about to sleep. On Linux that is D-Bus (logind `PrepareForSleep` and
`Lock`, and the freedesktop/GNOME/KDE `ScreenSaver.ActiveChanged` signals),
when QtDBus and a bus are present; elsewhere Qt only reports an application
suspended (mobile) or a session ending, so on Windows and macOS Haven relies on
the inactivity delay (see `messages.LOCK_LIMITS`). The sequence itself is in
`LockController` (gui/lock_sequence.py).
"""

from __future__ import annotations

import os
import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication
from clinic_app.gui.qtcompat import emit

_ACTIVITY = {
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin, QEvent.Type.TabletPress, QEvent.Type.ShortcutOverride,
}


class InactivityWatcher(QObject):
    idle = Signal()

    def __init__(self, parent: QObject | None = None, timeout_s: float = 300.0) -> None:
        super().__init__(parent)
        self.timeout_s = timeout_s
        self._last = time.monotonic()
        self._armed = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._check)
        app = QGuiApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_timeout(self, seconds: float) -> None:
        self.timeout_s = max(1.0, float(seconds))
        self._timer.setInterval(int(min(1000, self.timeout_s * 250)))

    def start(self) -> None:
        """Arm the watcher (after an unlock); it stops itself when it fires."""
        self.set_timeout(self.timeout_s)
        self._last = time.monotonic()
        self._armed = True
        self._timer.start()

    def stop(self) -> None:
        self._armed = False
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in _ACTIVITY:
            self._last = time.monotonic()
        return False

    def _check(self) -> None:
        if self._armed and time.monotonic() - self._last >= self.timeout_s:
            self.stop()
            emit(self.idle)


class SystemLockWatcher(QObject):
    """Emits `lock_now(reason)` when the desktop locks, sleeps or ends the session."""

    lock_now = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sources: list[str] = []
        app = QGuiApplication.instance()
        if app is not None:
            app.applicationStateChanged.connect(self._on_state)
            app.commitDataRequest.connect(lambda _m: emit(self.lock_now, "session"))
            self.sources.append("session-manager")
        if os.name == "posix" and os.environ.get("HAVEN_NO_DBUS") != "1":
            self._connect_dbus()

    def _on_state(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationSuspended:
            emit(self.lock_now, "suspend")

    def _connect_dbus(self) -> None:
        try:
            from PySide6.QtDBus import QDBusConnection
        except ImportError:
            return
        system, session = QDBusConnection.systemBus(), QDBusConnection.sessionBus()
        wanted = [
            (system, "org.freedesktop.login1", "/org/freedesktop/login1", "org.freedesktop.login1.Manager",
             "PrepareForSleep", "1on_bool(bool)", "logind-sleep"),
            (system, "org.freedesktop.login1", "", "org.freedesktop.login1.Session", "Lock", "1on_lock()",
             "logind-lock"),
            (session, "", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver", "ActiveChanged",
             "1on_bool(bool)", "screensaver"),
            (session, "", "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver", "ActiveChanged", "1on_bool(bool)",
             "gnome-screensaver"),
        ]
        for bus, service, path, interface, name, slot, label in wanted:
            if bus.isConnected() and bus.connect(service, path, interface, name, self, slot):
                self.sources.append(label)

    @Slot(bool)
    def on_bool(self, active: bool) -> None:
        if active:
            emit(self.lock_now, "system")

    @Slot()
    def on_lock(self) -> None:
        emit(self.lock_now, "system")
