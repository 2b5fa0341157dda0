"""The main window: wires pages, actions and the lock; holds no client logic."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtGui import QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QStackedWidget

from clinic_app.domain.roles import Permission
from clinic_app.gui import actions as action_table
from clinic_app.gui import collector
from clinic_app.gui import file_dialogs
from clinic_app.gui import help_menu
from clinic_app.gui import messages
from clinic_app.gui import sync_menu
from clinic_app.gui import unsaved
from clinic_app.gui.clipboard import SecureClipboard
from clinic_app.gui.context import Context
from clinic_app.gui.lock import InactivityWatcher, SystemLockWatcher
from clinic_app.gui.lock_sequence import LockController
from clinic_app.gui.operations import vault as vault_ops
from clinic_app.gui.pages.desk import Desk
from clinic_app.gui.pages.first_run import FirstRunPage
from clinic_app.gui.pages.unlock import UnlockPage
from clinic_app.gui.presenter import ErrorPresenter
from clinic_app.gui.settings import Settings
from clinic_app.gui.sync_status import SyncController
from clinic_app.gui.tasks import TaskRunner
from clinic_app.i18n import _

TITLE = "Haven"


class MainWindow(QMainWindow):
    def __init__(self, *, folder: Path, settings: Settings, kdf_profile: str = "standard",
                 preferred_user: str = "", hint: str = "", prefill_passphrase: str = "") -> None:
        super().__init__()
        collector.hold()  # Qt objects are freed on this thread only, never by a collection elsewhere
        self._collecting = True
        self.folder, self.settings, self.kdf_profile = Path(folder), settings, kdf_profile
        self.preferred_user, self.hint, self.prefill = preferred_user, hint, prefill_passphrase
        self.setWindowTitle(TITLE)
        self.runner = TaskRunner(self)
        self.presenter = ErrorPresenter(self)
        self.runner.presenter = self.presenter
        self.clipboard = SecureClipboard(self)
        self.undo = QUndoStack(self)
        self.opened: vault_ops.Opened | None = None
        self.desk: Desk | None = None
        self.inactivity = InactivityWatcher(self, settings.autolock_seconds)
        self.system_lock = SystemLockWatcher(self)
        self.locker = LockController(self)
        self.inactivity.idle.connect(lambda: self.lock_now("idle"))
        self.system_lock.lock_now.connect(self.lock_now)
        self.busy = QLabel()  # named in _build_pages, again after a change of language
        self.statusBar().addPermanentWidget(self.busy)
        self.sharing = SyncController(self)  # the clinic server: status button, Sync now, automatic syncs
        self.statusBar().addPermanentWidget(self.sharing.button)
        self.runner.busy_changed.connect(self._busy)
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self._build_pages()
        self._build_actions()
        if settings.geometry is not None:
            self.restoreGeometry(settings.geometry)
        else:
            self.resize(1100, 720)
        self.show_start_page()

    # --- pages --------------------------------------------------------------------
    def _build_pages(self) -> None:
        self.busy.setAccessibleName(_("Background work"))  # the status bar outlives a retranslate
        self.first_run = FirstRunPage(self.runner, self.folder, self.kdf_profile)
        self.unlock_page = UnlockPage(self.runner, self.folder)
        self.first_run.created.connect(self._created)
        self.first_run.joined_unsynced.connect(self.show_unlock)
        self.unlock_page.unlocked.connect(self._unlocked)
        for page in (self.first_run, self.unlock_page):
            page.choose_folder.connect(self.choose_folder)
            self.stack.addWidget(page)

    def show_start_page(self) -> None:
        if vault_ops.users_of(self.folder):
            self.unlock_page.set_folder(self.folder, self.preferred_user)
            self.unlock_page.set_hint(self.hint)
            if self.prefill:
                self.unlock_page.passphrase.setText(self.prefill)
            self.stack.setCurrentWidget(self.unlock_page)
            self.unlock_page.focus()
        else:
            self.first_run.set_folder(self.folder)
            self.stack.setCurrentWidget(self.first_run)
            self.first_run.passphrase.setFocus()

    def show_unlock(self, notice: str = "") -> None:
        self.unlock_page.set_notice(notice)
        self.prefill = ""
        self.show_start_page()

    def choose_folder(self) -> None:
        chosen = file_dialogs.existing_folder(self, _("Choose the vault folder"), str(self.folder.parent))
        if chosen:
            self.folder = Path(chosen)
            self.hint = ""
            self.show_start_page()

    def _created(self, opened: vault_ops.Opened) -> None:
        from clinic_app.gui.dialogs.recovery import RecoveryKeyDialog

        dialog = RecoveryKeyDialog(opened.recovery_key, str(opened.folder), opened.user, self)
        self.recovery_dialog = dialog
        dialog.open()
        self._unlocked(dataclasses.replace(opened, recovery_key=""))

    def _unlocked(self, opened: vault_ops.Opened) -> None:
        self.opened = opened
        self.preferred_user = opened.user  # the lock screen offers the person who locked, not the first user
        self.settings.last_vault = str(opened.folder)
        ctx = Context(self.runner, opened, self.undo, self.clipboard, self.statusBar().showMessage,
                      self.open_matter)
        self.desk = Desk(ctx, self.stack)
        self.stack.addWidget(self.desk)
        self.stack.setCurrentWidget(self.desk)
        self.setWindowTitle(f"{TITLE} — {opened.user} ({opened.role})")
        self.inactivity.set_timeout(self.settings.autolock_seconds)
        self.inactivity.start()
        action_table.refresh(self.action_map, self.specs, opened.can)
        self.desk.currentChanged.connect(lambda _i: self._matter_actions())
        self._matter_actions()
        self.sharing.start()
        self.desk.focus_search()
        if not opened.can(Permission.READ_RECORDS):
            self.statusBar().showMessage(messages.volunteer_note())
        pending = getattr(self, "recovery_dialog", None)  # hidden by a lock before it was confirmed
        if pending is not None and pending.pending_for(str(opened.folder), opened.user):
            pending.show_again()
        if opened.failed_attempts:  # told once: not again when the desk is rebuilt in another language
            self.opened = dataclasses.replace(opened, failed_attempts="")
            self.desk.show_notice(opened.failed_attempts)

    def _busy(self, busy: bool) -> None:
        self.busy.setText(_("Working…") if busy else "")

    def lock_now(self, reason: str = "manual") -> None:
        self.locker.lock(reason)

    def open_matter(self, ref: str) -> None:
        if self.desk is not None:
            self.desk.open_matter(ref)

    def tear_down(self) -> None:
        """Remove every trace of the session from the window (the lock sequence calls this)."""
        self.inactivity.stop()
        self.sharing.stop()
        self.undo.clear()
        self.opened = None
        if self.desk is not None:
            self.desk.clear()
            self.stack.removeWidget(self.desk)
            self.desk.hide()
            # Qt's to delete, on this thread: without a parent it would be Python's, freed on
            # whichever thread dropped the last reference to it (gui/collector.py)
            self.desk.deleteLater()
            self.desk = None
        self.statusBar().clearMessage()
        self.setWindowTitle(TITLE)
        action_table.refresh(self.action_map, self.specs, None)

    def backup_folder(self) -> Path | None:
        return Path(self.settings.backup_folder) if self.settings.backup_folder else None

    # --- actions ------------------------------------------------------------------
    def _build_actions(self) -> None:
        m = action_table.menu_names()
        S = action_table.Spec  # noqa: N806
        self.specs = [
            S("new_client", m["file"], _("New &client…"), "Ctrl+Shift+N", self.new_client,
              permission=Permission.EDIT_RECORDS),
            S("new_matter", m["file"], _("New &matter…"), QKeySequence.StandardKey.New, self.new_matter,
              permission=Permission.EDIT_RECORDS),
            S("import_case", m["file"], _("Import a case &file…"), "", self.import_case,
              permission=Permission.EDIT_RECORDS),
            S("export_calendar", m["file"], _("Export &deadlines to a calendar…"), "", self.export_calendar,
              permission=Permission.READ_RECORDS),
            S("import_manifest", m["file"], _("Import a case manifes&t…"), "", self.import_manifest,
              permission=Permission.IMPORT_DOCUMENTS),
            S("backup", m["file"], _("&Back up now…"), "", self.backup_now, permission=Permission.BACKUP),
            S("restore", m["file"], _("&Restore from backup…"), "", self.restore_backup, needs_unlock=False,
              permission=Permission.BACKUP),
            S("lock", m["file"], _("&Lock"), "Ctrl+L", self.lock_now),
            S("settings", m["file"], _("&Settings…"), "Ctrl+,", self.open_settings, needs_unlock=False),
            # StandardKey.Quit has no key on Windows: Ctrl+Q everywhere, as the guide says
            S("quit", m["file"], _("&Quit"), "Ctrl+Q", self.close, needs_unlock=False),
            S("find", m["edit"], _("&Find…"), QKeySequence.StandardKey.Find, self._find),
            S("conflict_check", m["edit"], _("&Conflict check…"), "", self.conflict_check,
              permission=Permission.READ_RECORDS),
            S("import", m["matter"], _("&Import files…"), "Ctrl+I", self._import, permission=Permission.IMPORT_DOCUMENTS),
            S("letters", m["matter"], _("Support &letters"), "Ctrl+Shift+L", self._letters),
            S("export_case", m["matter"], _("&Export as a case file…"), "", self.export_case,
              permission=Permission.EXPORT),
            S("close_tab", m["matter"], _("&Close matter"), QKeySequence.StandardKey.Close, self._close_tab),
            S("users", m["vault"], _("&Users…"), "", self.manage_users, permission=Permission.MANAGE_USERS),
            S("passphrase", m["vault"], _("Change my &passphrase…"), "", self.change_passphrase),
            S("check", m["vault"], _("Chec&k vault…"), "", self.check_vault),  # everyone, as `clinic-app check`
            S("deadline_rules", m["vault"], _("Deadline &rules…"), "", self.deadline_rules,
              permission=Permission.READ_RECORDS),
            S("audit_log", m["vault"], _("&Audit log…"), "", self.audit_log, permission=Permission.READ_AUDIT),
            *sync_menu.specs(self, m["vault"]),
            *help_menu.specs(self, m["help"]),
        ]
        for old in getattr(self, "undo_actions", ()):  # their prefix is fixed at creation: make new ones
            self.removeAction(old)
            old.deleteLater()
        undo = self.undo.createUndoAction(self, _("&Undo"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo.createRedoAction(self, _("&Redo"))
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        self.undo_actions = (undo, redo)
        self.action_map = action_table.build(self, self.specs, {m["edit"]: [undo, redo]},
                                             getattr(self, "action_map", None))
        action_table.refresh(self.action_map, self.specs, self.opened.can if self.opened else None)
        self._matter_actions()

    def _matter_actions(self) -> None:
        """Export needs a matter: enabled while a matter's tab is the current one."""
        action = self.action_map["export_case"]
        if action.isVisible() and self.opened is not None:
            action.setEnabled(self.desk is not None and self.desk.current_workspace() is not None)

    def new_client(self) -> None:
        if self.desk is not None and self.desk.home is not None:
            self.desk.home.new_client()

    def new_matter(self) -> None:
        if self.desk is not None and self.desk.home is not None:
            self.desk.home.new_matter()

    def export_calendar(self) -> None:
        if self.desk is not None and self.desk.home is not None:
            self.desk.home.export_calendar()

    def import_manifest(self) -> None:
        from clinic_app.gui.dialogs.manifest_import import ManifestImportDialog

        if self.opened is not None:
            self._show_admin_dialog(ManifestImportDialog(self.runner, self.statusBar().showMessage, self))

    def _find(self) -> None:
        if self.desk is not None:
            self.desk.focus_search()

    def _import(self) -> None:
        ws = self.desk.current_workspace() if self.desk else None
        if ws is not None:
            ws.setCurrentWidget(ws.documents)
            ws.documents.choose_files()

    def _letters(self) -> None:
        ws = self.desk.current_workspace() if self.desk else None
        if ws is not None:
            ws.setCurrentWidget(ws.letters)
            ws.letters.new_letter()  # asks first about a letter typed and not saved

    def _close_tab(self) -> None:
        if self.desk is not None and self.desk.current_workspace() is not None:
            self.desk.close_tab(self.desk.currentIndex())

    def open_settings(self) -> None:
        from clinic_app.gui.application import apply_language
        from clinic_app.gui.dialogs.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self, runner=self.runner)

        def accepted() -> None:
            self._keep_language(dialog)
            if dialog.apply():
                apply_language(self.settings.language)
                self.retranslate()
            self.inactivity.set_timeout(self.settings.autolock_seconds)

        dialog.accepted.connect(accepted)
        dialog.open()

    def _keep_language(self, dialog: QDialog) -> None:
        """A new language rebuilds the desk from the vault, so edits not saved would go: ask,
        and on Cancel keep the language (the dialog's other settings still apply)."""
        combo = dialog.language  # type: ignore[attr-defined]
        if self.desk is None or combo.currentData() == self.settings.language or not self.desk.has_unsaved():
            return
        if not unsaved.may_discard(self, _("Change the language"), _(
                "A form has changes that are not saved. Discard them and switch the language?")):
            combo.setCurrentIndex(max(0, combo.findData(self.settings.language)))
            self.statusBar().showMessage(_("The language was not changed: the changes are kept."), 8000)

    # --- users and backups (gui/dialogs/users_dialog.py, backup_dialog.py) -----------
    def _show_admin_dialog(self, dialog: QDialog) -> None:
        self.admin_dialog = dialog  # one at a time; the lock sequence closes it
        dialog.open()

    def manage_users(self) -> None:
        from clinic_app.gui.dialogs.users_dialog import UsersDialog

        if self.opened is not None:
            self._show_admin_dialog(UsersDialog(self.runner, self.opened.user, self))

    def change_passphrase(self) -> None:
        from clinic_app.gui.dialogs.users_dialog import ChangePassphraseDialog

        if self.opened is not None:
            dialog = ChangePassphraseDialog(self.runner, self.opened.user, self)
            dialog.accepted.connect(lambda: self.statusBar().showMessage(_("Passphrase changed."), 8000))
            self._show_admin_dialog(dialog)

    def conflict_check(self) -> None:
        """Names checked against everyone in the vault before a case is taken (as `conflicts`)."""
        from clinic_app.gui.dialogs.conflict_search import ConflictSearchDialog

        if self.opened is None:
            return
        self.conflict_dialog = ConflictSearchDialog(self.runner, self)
        self.conflict_dialog.open()

    def check_vault(self) -> None:
        from clinic_app.gui.dialogs.check_vault import CheckVaultDialog

        if self.opened is not None:
            self._show_admin_dialog(CheckVaultDialog(self.runner, self.backup_folder(), self))

    def deadline_rules(self) -> None:
        from clinic_app.gui.dialogs import deadline_rules

        deadline_rules.show(self)

    def audit_log(self) -> None:
        from clinic_app.gui.dialogs.audit_log import AuditLogDialog

        if self.opened is not None:
            self._show_admin_dialog(AuditLogDialog(self.runner, self.sharing, self))

    def backup_now(self) -> None:
        from clinic_app.gui.dialogs.backup_dialog import BackupDialog

        if self.opened is not None:
            self._show_admin_dialog(BackupDialog(self.runner, self.backup_folder(), self))

    def restore_backup(self) -> None:
        """Restoring replaces the vault in this window's folder: lock first, then ask."""
        from clinic_app.gui.dialogs.backup_dialog import RestoreDialog, restored_notice

        if self.desk is not None and not self.locker.lock("manual"):
            return
        dialog = RestoreDialog(self.runner, self.folder, self.backup_folder(), self)
        dialog.restored.connect(lambda done: self.show_unlock(restored_notice(done)))
        self._show_admin_dialog(dialog)

    # --- case files (gui/dialogs/case_file.py) ------------------------------------
    def export_case(self) -> None:
        from clinic_app.gui.dialogs.case_file import ExportCaseDialog

        ws = self.desk.current_workspace() if self.desk else None
        if ws is not None:
            self._show_admin_dialog(ExportCaseDialog(self.runner, ws.ref, self))

    def import_case(self) -> None:
        from clinic_app.gui.dialogs.case_import import ImportCaseDialog

        if self.opened is not None:
            dialog = ImportCaseDialog(self.runner, self)
            dialog.imported.connect(self.open_matter)
            self._show_admin_dialog(dialog)

    def retranslate(self) -> None:
        """Rebuild menus and pages in the new language (an open desk is rebuilt from the vault)."""
        if self.desk is None and self.unlock_page.user.currentText().strip():
            self.preferred_user = self.unlock_page.user.currentText().strip()  # kept across the rebuild
        for page in (self.first_run, self.unlock_page):
            self.stack.removeWidget(page)
            page.deleteLater()
        self._build_pages()
        self._build_actions()
        opened, desk = self.opened, self.desk
        if opened is not None and desk is not None:
            refs = [ws.ref for ws in desk.workspaces()]
            self.tear_down()
            self._unlocked(opened)
            for ref in refs:
                self.open_matter(ref)
        else:
            self.show_start_page()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.desk is not None and not self.locker.lock("manual"):
            event.ignore()
            return
        vault_ops.lock(self.runner, backup_folder=self.backup_folder()).run()  # no-op if already locked
        self.settings.geometry = self.saveGeometry()
        self.settings.sync()
        self.clipboard.clear_if_ours()
        self.runner.shutdown()
        event.accept()
        if self._collecting:
            self._collecting = False
            collector.release()
