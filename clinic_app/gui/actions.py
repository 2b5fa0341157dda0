"""The window's menus and keyboard shortcuts, built from one table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from clinic_app.domain.roles import Permission
from clinic_app.i18n import _


@dataclass(frozen=True)
class Spec:
    key: str
    menu: str
    text: str
    shortcut: QKeySequence | str
    handler: Callable[[], object]
    needs_unlock: bool = True
    permission: Permission | None = None


def _invoke(handler: Callable[[], object], *_args: object) -> None:
    """Call a handler and return None: a slot returning a value (a bool) can upset PySide."""
    handler()


def build(window: QMainWindow, specs: list[Spec], extra: dict[str, list[QAction]]) -> dict[str, QAction]:
    """Create the actions and menus; `extra` adds ready-made actions (undo/redo) to a menu."""
    window.menuBar().clear()
    menus: dict[str, object] = {}
    actions: dict[str, QAction] = {}
    for spec in specs:
        menu = menus.get(spec.menu) or window.menuBar().addMenu(spec.menu)
        menus[spec.menu] = menu
        action = QAction(spec.text, window)
        action.setShortcut(QKeySequence(spec.shortcut))
        action.triggered.connect(partial(_invoke, spec.handler))
        menu.addAction(action)  # type: ignore[attr-defined]
        window.addAction(action)
        actions[spec.key] = action
    for menu_name, items in extra.items():
        menu = menus.get(menu_name) or window.menuBar().addMenu(menu_name)
        menus[menu_name] = menu
        for action in items:
            menu.addAction(action)  # type: ignore[attr-defined]
            window.addAction(action)
    return actions


def refresh(actions: dict[str, QAction], specs: list[Spec], can: Callable[[Permission], bool] | None) -> None:
    """Hide what the user may not do; disable what needs an unlocked vault while locked.

    While locked nobody is signed in: an action that works locked (restore) stays
    available and its service checks the permission of whoever it authenticates.
    """
    for spec in specs:
        action = actions[spec.key]
        allowed = spec.permission is None or can is None or can(spec.permission)
        action.setVisible(allowed)
        action.setEnabled((can is not None or not spec.needs_unlock) and allowed)


def menu_names() -> dict[str, str]:
    return {"file": _("&File"), "edit": _("&Edit"), "matter": _("&Matter"), "vault": _("&Vault")}
