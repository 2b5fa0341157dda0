"""The matter workspace: overview, documents, support letters, translations, bundles, packages."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QWidget

from clinic_app.domain.changes import Changes
from clinic_app.domain.roles import Permission
from clinic_app.gui.context import Context
from clinic_app.gui.operations import records as record_ops
from clinic_app.gui.pages.bundles import BundlesTab
from clinic_app.gui.pages.correspondence import CorrespondenceTab
from clinic_app.gui.pages.deadlines import DeadlinesTab
from clinic_app.gui.pages.documents import DocumentsTab
from clinic_app.gui.pages.letters import LettersTab
from clinic_app.gui.pages.overview import OverviewTab
from clinic_app.gui.pages.packages import PackagesTab
from clinic_app.gui.pages.translations import TranslationsTab
from clinic_app.i18n import _
from clinic_app.gui.qtcompat import emit


class MatterWorkspace(QTabWidget):
    loaded = Signal(str, str)  # ref, title

    def __init__(self, ctx: Context, ref: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.ref = ctx, ref
        self.title = ""
        self.overview = OverviewTab(ctx)
        self.deadlines = DeadlinesTab(ctx, ref)
        self.documents = DocumentsTab(ctx, ref)
        self.letters = LettersTab(ctx, ref)
        self.translations = TranslationsTab(ctx)
        self.bundles = BundlesTab(ctx, ref)
        self.correspondence = CorrespondenceTab(ctx, ref)
        self.addTab(self.overview, _("&Overview"))
        self.addTab(self.deadlines, _("Deadl&ines"))
        self.addTab(self.documents, _("&Documents"))
        self.addTab(self.letters, _("Support &letters"))
        self.addTab(self.translations, _("&Translations"))
        self.addTab(self.bundles, _("&Bundles"))
        self.addTab(self.correspondence, _("Co&rrespondence"))
        self.packages = PackagesTab(ctx, ref) if ctx.can(Permission.BUILD) else None
        if self.packages is not None:
            self.addTab(self.packages, _("&Packages"))
        self.setDocumentMode(True)
        ctx.runner.changed.connect(self.on_changed)
        self.reload()

    def parts(self) -> list[QWidget]:
        extra = [self.packages] if self.packages is not None else []
        return [self.overview, self.deadlines, self.documents, self.letters, self.translations, self.bundles,
                self.correspondence, *extra]

    def reload(self) -> None:
        record_ops.load_matter(self.ctx.runner, ref=self.ref).success(self._show).run()

    def _show(self, view: record_ops.MatterView) -> None:
        self.title = view.matter.title
        self.overview.set_view(view)
        self.documents.set_documents(view.shown["documents"])
        self.translations.set_data(view.shown["documents"], view.shown["translations"])
        self.bundles.set_data(view.shown["bundles"], view.shown["documents"])
        self.letters.set_documents(view.shown["documents"])
        self.correspondence.set_documents(view.shown["documents"])
        self.correspondence.refresh()
        if self.packages is not None:
            self.packages.set_documents(view.shown["documents"])
            self.packages.refresh()
        emit(self.loaded, self.ref, self.title)

    def on_changed(self, changes: Changes, initiator: object) -> None:
        if changes.matters or changes.clients or changes.documents or changes.links or changes.bundles:
            self.reload()

    def has_unsaved(self) -> bool:
        return any(part.has_unsaved() for part in self.parts())  # type: ignore[attr-defined]

    def clear(self) -> None:
        for part in self.parts():
            part.clear()  # type: ignore[attr-defined]
        self.title = ""
