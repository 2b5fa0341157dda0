"""The sharing commands of the Vault menu (and of the status-bar button's menu).

Sync now, the conflicts list, and for admins connecting the vault to the clinic's server
and inviting a laptop. Which of them is enabled follows the connection (gui/sync_status.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog

from clinic_app.domain.roles import Permission
from clinic_app.gui.actions import Spec
from clinic_app.i18n import _

if TYPE_CHECKING:
    from clinic_app.gui.main_window import MainWindow


def specs(window: MainWindow, menu: str) -> list[Spec]:
    return [
        Spec("sync_now", menu, _("Sync &now"), "Ctrl+Shift+S", lambda: window.sharing.sync_now()),
        Spec("sync_conflicts", menu, _("Sync &conflicts…"), "", lambda: show_conflicts(window)),
        Spec("sync_setup", menu, _("Connect to the clinic's &server…"), "", lambda: connect_to_server(window),
             permission=Permission.MANAGE_USERS),
        Spec("sync_invite", menu, _("&Invite a laptop…"), "", lambda: invite_laptop(window),
             permission=Permission.MANAGE_USERS),
    ]


def _show(window: MainWindow, dialog: QDialog) -> None:
    """One sharing dialog at a time; the lock sequence closes it with every other dialog."""
    old = getattr(window, "sync_dialog", None)
    if old is not None:
        old.close()
    window.sync_dialog = dialog  # type: ignore[attr-defined]
    dialog.open()


def show_conflicts(window: MainWindow) -> None:
    from clinic_app.gui.dialogs.sync_conflicts import SyncConflictsDialog

    if window.opened is not None:
        _show(window, SyncConflictsDialog(window.runner, window.sharing, window))


def connect_to_server(window: MainWindow) -> None:
    from clinic_app.gui.dialogs.sync_connect import ConnectDialog

    if window.opened is not None:
        dialog = ConnectDialog(window.runner, window)
        dialog.connected.connect(window.sharing.adopt)
        _show(window, dialog)


def invite_laptop(window: MainWindow) -> None:
    from clinic_app.gui.dialogs.sync_connect import InviteDialog

    if window.opened is not None:
        _show(window, InviteDialog(window.runner, window.clipboard, window))
