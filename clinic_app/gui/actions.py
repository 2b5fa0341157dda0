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


def build(window: QMainWindow, specs: list[Spec], extra: dict[str, list[QAction]],
          made: dict[str, QAction] | None = None) -> dict[str, QAction]:
    """Lay out the menus from `specs`; `extra` adds ready-made actions (undo/redo) to a menu.

    Each action is created once per window: pass the actions of an earlier build as `made`
    and they are re-titled in the current language instead. Creating them again on a
    language switch left the old ones attached to the window with the same shortcuts, and
    Qt then ran neither ("Ambiguous shortcut overload"): Ctrl+L no longer locked.
    """
    window.menuBar().clear()
    menus: dict[str, object] = {}
    actions: dict[str, QAction] = dict(made or {})
    attached = set(window.actions())
    for spec in specs:
        menu = menus.get(spec.menu) or window.menuBar().addMenu(spec.menu)
        menus[spec.menu] = menu
        action = actions.get(spec.key)
        if action is None:
            action = QAction(window)
            action.triggered.connect(partial(_invoke, spec.handler))
            actions[spec.key] = action
        action.setText(spec.text)
        action.setShortcut(QKeySequence(spec.shortcut))
        menu.addAction(action)  # type: ignore[attr-defined]
        if action not in attached:
            window.addAction(action)
    for menu_name, items in extra.items():
        menu = menus.get(menu_name) or window.menuBar().addMenu(menu_name)
        menus[menu_name] = menu
        for action in items:
            menu.addAction(action)  # type: ignore[attr-defined]
            if action not in attached:
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
    return {"file": _("&File"), "edit": _("&Edit"), "matter": _("&Matter"), "vault": _("&Vault"),
            "help": _("&Help")}


def shortcut_rows(actions: dict[str, QAction], specs: list[Spec]) -> list[tuple[str, str]]:
    """(what, keys) for every menu command that has a shortcut, in the current language."""
    rows = []
    for spec in specs:
        keys = actions[spec.key].shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        if keys:
            rows.append((spec.text.replace("&", "").rstrip("…").rstrip("."), keys))
    return rows
