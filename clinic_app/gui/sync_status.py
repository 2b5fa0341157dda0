"""The connection to the clinic's server as the window shows it, and the automatic sync.

A button in the status bar, visible while a vault is open, says where things stand: not
connected, connected (with the last sync), syncing, offline (the tooltip says why the last
attempt failed) and how many conflicts wait. Clicking it syncs now; its menu holds the
sharing actions. While a connection exists a round runs shortly after unlock and every
few minutes, less often after each failure, never while locked and never two at once.
Each round first checks on the network thread that the server answers, then runs on the
vault thread queued behind any write in progress. Failures never open a message box:
they show as the offline state, and a round the person asked for also says so in the
status bar.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolButton

from clinic_app.domain.roles import Permission
from clinic_app.errors import Cancelled
from clinic_app.gui.operations import sync as sync_ops
from clinic_app.gui.presenter import describe
from clinic_app.gui.qtcompat import emit
from clinic_app.i18n import _, ngettext

if TYPE_CHECKING:
    from clinic_app.gui.main_window import MainWindow

SHARING_ACTIONS = ("sync_now", "sync_conflicts", "sync_setup", "sync_invite")


def when(stamp: str) -> str:
    """A UTC ISO time as this computer's local time: "14:05" today, else "2030-01-02 14:05"."""
    if not stamp:
        return _("never")
    try:
        moment = datetime.fromisoformat(stamp).astimezone()
    except ValueError:
        return stamp[:16].replace("T", " ")
    return moment.strftime("%H:%M" if moment.date() == datetime.now().astimezone().date() else "%Y-%m-%d %H:%M")


def summary(report: Any) -> str:
    """One status-bar line for a finished round."""
    text = _("Synced. Changes received: {received}; records sent: {sent}.").format(
        received=report.pulled, sent=report.pushed)
    for _kind, old, new in report.renamed:
        text += " " + _("{old} was also created on another laptop: yours is now {new}.").format(old=old, new=new)
    for _kind, old, new in report.renamed_after_deletion:
        text += " " + _("{old} belonged to a record deleted for good: yours is now {new}.").format(old=old, new=new)
    if report.open_conflicts:
        text += " " + ngettext("{count} conflict needs a person: Vault → Sync conflicts.",
                               "{count} conflicts need a person: Vault → Sync conflicts.",
                               report.open_conflicts).format(count=report.open_conflicts)
    return text


class SyncController(QObject):
    synced = Signal(object)  # sync_ops.Synced, after every round that finished

    after_unlock_ms = 5_000
    every_ms = 120_000
    backoff_ms = (60_000, 120_000, 300_000, 600_000, 900_000)  # after 1, 2, 3... failures in a row

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window, self.runner = window, window.runner
        self.button = QToolButton()
        self.button.setAutoRaise(True)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.button.clicked.connect(lambda: self.clicked())
        self.menu = QMenu(self.button)
        self.menu.aboutToShow.connect(self._fill_menu)
        self.button.setMenu(self.menu)
        self.stop_action = QAction(self)
        self.stop_action.triggered.connect(lambda: self.stop_round())
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(lambda: self.sync_now(automatic=True))
        self.status: sync_ops.SyncInfo | None = None
        self.active = False
        self.running = False
        self.automatic = False
        self.step = ""
        self.reason = ""  # why the last attempt failed; "" once one succeeds
        self.failures = 0
        self.round: Any = None  # the Op of the round running on the vault thread
        self._attempt = 0
        self.button.hide()

    # --- lifecycle ----------------------------------------------------------------
    def start(self) -> None:
        """At unlock: show the state, and sync shortly if this vault is connected."""
        self.active, self.failures, self.reason, self.running = True, 0, "", False
        self._attempt += 1
        self.button.show()
        self.reload(first=True)

    def stop(self) -> None:
        """At lock: nothing more runs or shows until the next unlock."""
        self.active, self.running, self.status, self.reason, self.round = False, False, None, "", None
        self._attempt += 1
        self.timer.stop()
        self.button.hide()

    def reload(self, *, first: bool = False) -> None:
        """Read the status again (after connecting, settling a conflict...)."""
        def loaded(info: sync_ops.SyncInfo) -> None:
            if not self.active:
                return
            was_connected = self.status is not None and self.status.connected
            self.status = info
            if info.connected and (first or not was_connected) and not self.running:
                self._schedule(self.after_unlock_ms)
            self._render()

        sync_ops.load_status(self.runner).success(loaded).run()
        self._render()

    def adopt(self, done: sync_ops.Connected) -> None:
        """Just connected (its first round already ran): show it, next round on the usual timer."""
        if self.active:
            self.status, self.reason, self.failures = done.status, done.sync_error, int(bool(done.sync_error))
            if done.stopped:
                self._say(_("The upload was stopped: the next sync sends the rest."))
            self._schedule(self.backoff_ms[0] if done.sync_error else self.every_ms)
            self._render()

    @property
    def connected(self) -> bool:
        return self.status is not None and self.status.connected

    @property
    def conflicts(self) -> int:
        return int(self.status.info.get("open_conflicts", 0)) if self.status is not None else 0

    @property
    def state(self) -> str:
        """locked, loading, not_connected, syncing, offline or connected."""
        if not self.active:
            return "locked"
        if self.status is None:
            return "loading"
        if not self.status.connected:
            return "not_connected"
        if self.running:
            return "syncing"
        return "offline" if self.reason else "connected"

    # --- a round ------------------------------------------------------------------
    def clicked(self) -> None:
        if self.connected:
            self.sync_now()
        else:
            self.button.showMenu()

    def sync_now(self, *, automatic: bool = False) -> None:
        if not self.active:
            return
        if self.running:
            if not automatic:
                self._say(_("Already syncing…"))
            return
        if not self.connected:
            if not automatic:
                self._say(not_connected_text())
            return
        assert self.status is not None
        self.timer.stop()
        self.running, self.automatic, self.step = True, automatic, _("Checking the connection")
        self._attempt += 1
        attempt = self._attempt
        self._render()
        sync_ops.check_server(self.runner, url=self.status.url) \
            .success(lambda _r: self._round(attempt)).failure(lambda exc: self._failed(attempt, exc)).run()

    def _round(self, attempt: int) -> None:
        if attempt != self._attempt:
            return
        self.round = sync_ops.sync_now(self.runner).progress(lambda _d, _t, label: self._progress(attempt, label)) \
            .success(lambda done: self._done(attempt, done)).failure(lambda exc: self._failed(attempt, exc)).run()

    def stop_round(self) -> None:
        if self.running and self.round is not None and not self.round.done:
            self.round.cancel.cancel()
            self._progress(self._attempt, _("Stopping…"))

    def _progress(self, attempt: int, label: str) -> None:
        if attempt == self._attempt and self.running:
            self.step = label
            self._render()

    def _done(self, attempt: int, done: sync_ops.Synced) -> None:
        if attempt != self._attempt or not self.active:
            return
        self.running, self.failures, self.reason, self.status = False, 0, "", done.status
        report = done.report
        if not self.automatic or report.pulled or report.pushed or report.open_conflicts:
            self._say(summary(report))
        self._schedule(self.every_ms)
        self._render()
        emit(self.synced, done)

    def _failed(self, attempt: int, exc: BaseException) -> None:
        if attempt != self._attempt or not self.active:
            return
        self.running = False
        if isinstance(exc, Cancelled):
            self._say(_("Sync stopped. What was not sent is sent at the next sync."))
            self._schedule(self.every_ms)
        else:
            self.failures += 1
            self.reason = describe(exc)
            if not self.automatic:
                self._say(self.reason)
            self._schedule(self.backoff_ms[min(self.failures, len(self.backoff_ms)) - 1])
        self.reload()

    def _schedule(self, ms: int) -> None:
        if self.active:
            self.timer.start(ms)

    # --- what it shows ------------------------------------------------------------
    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 15000)

    def _render(self) -> None:
        state = self.state
        if state == "locked":
            return
        info = self.status.info if self.status is not None else {}
        lines = list(self.status.lines) if self.status is not None else []
        if state == "loading":
            text = _("Sharing: checking…")
        elif state == "not_connected":
            text = _("Not connected")
            lines.append(not_connected_text())
        elif state == "syncing":
            text = _("Syncing… {step}").format(step=self.step)
        elif state == "offline":
            text = _("Offline — last sync {when}").format(when=when(info.get("last_sync", "")))
            minutes = max(1, round(self.timer.remainingTime() / 60000)) if self.timer.isActive() else 0
            lines[:0] = [_("The last attempt failed: {reason}").format(reason=self.reason)]
            if minutes:
                lines.insert(1, _("Haven tries again in {minutes} min, or now with Sync now.").format(minutes=minutes))
        else:
            text = _("Connected to {server} — last sync {when}").format(server=info.get("server", ""),
                                                                         when=when(info.get("last_sync", "")))
        if self.conflicts:
            text += " — " + ngettext("{count} conflict", "{count} conflicts", self.conflicts).format(
                count=self.conflicts)
        colour = {"offline": "#8a4b00"}.get(state, "#b00020" if self.conflicts else "")
        self.button.setStyleSheet(f"QToolButton {{ color: {colour}; }}" if colour else "")
        self.button.setText(text)
        self.button.setAccessibleName(_("Connection to the clinic's server"))
        self.button.setToolTip("\n".join(lines))
        self.button.setAccessibleDescription(self.button.toolTip())
        self._enable_actions()

    def _enable_actions(self) -> None:
        actions = getattr(self.window, "action_map", {})
        opened = self.window.opened
        for key in SHARING_ACTIONS:
            if key in actions and opened is not None:
                allowed = key not in ("sync_setup", "sync_invite") or opened.can(Permission.MANAGE_USERS)
                actions[key].setEnabled(allowed and (key == "sync_setup") != self.connected)
        self.stop_action.setEnabled(self.running)

    def _fill_menu(self) -> None:
        self.menu.clear()
        self.stop_action.setText(_("Stop syncing"))
        actions = getattr(self.window, "action_map", {})
        for key in SHARING_ACTIONS:
            if key in actions and actions[key].isVisible():
                self.menu.addAction(actions[key])
        self.menu.addSeparator()
        self.menu.addAction(self.stop_action)


def not_connected_text() -> str:
    return _("This vault is not connected to a clinic server. An admin connects it with Vault → Connect to the "
             "clinic's server…; another laptop joins with an invitation, from Haven's first page.")
