"""Page thumbnails and a large page preview, fed with bytes held only in memory."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QLabel, QListView, QListWidget, QListWidgetItem, QScrollArea, QSplitter, QWidget

from clinic_app.gui.operations.documents import document_bytes
from clinic_app.gui.presenter import describe
from clinic_app.gui.render import PageImages, render_pages
from clinic_app.gui.tasks import TaskRunner
from clinic_app.i18n import _


class PagePreview(QSplitter):
    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.runner = runner
        self._data = b""
        self._seq = 0
        self.thumbs = QListWidget()
        self.thumbs.setViewMode(QListView.ViewMode.IconMode)
        self.thumbs.setFlow(QListView.Flow.LeftToRight)
        self.thumbs.setWrapping(False)
        self.thumbs.setIconSize(QSize(90, 120))
        self.thumbs.setFixedHeight(160)
        self.thumbs.setAccessibleName(_("Page thumbnails"))
        self.thumbs.currentItemChanged.connect(self._page_chosen)
        self.page = QLabel(_("Select a document to see its pages."))
        self.page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page.setAccessibleName(_("Page preview"))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.page)
        self.addWidget(self.thumbs)
        self.addWidget(scroll)

    def show_document(self, ref: str) -> None:
        self.clear()
        self._seq += 1
        seq = self._seq
        self.page.setText(_("Loading pages…"))
        document_bytes(self.runner, ref=ref).success(lambda data: self._got_bytes(seq, data)) \
            .failure(lambda exc: self._failed(seq, exc)).run()

    def _got_bytes(self, seq: int, data: bytes) -> None:
        if seq != self._seq:
            return
        self._data = data
        render_pages(self.runner, data=data, width=120).success(lambda imgs: self._thumbnails(seq, imgs)) \
            .failure(lambda exc: self._failed(seq, exc)).run()

    def _thumbnails(self, seq: int, result: PageImages) -> None:
        if seq != self._seq:
            return
        for number, image in result.images:
            item = QListWidgetItem(QIcon(QPixmap.fromImage(image)), str(number))
            item.setData(Qt.ItemDataRole.UserRole, number)
            item.setToolTip(_("Page {n} of {total}").format(n=number, total=result.page_count))
            self.thumbs.addItem(item)
        if self.thumbs.count():
            self.thumbs.setCurrentRow(0)
        else:
            self.page.setText(_("This document has no pages to show."))

    def _page_chosen(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is None or not self._data:
            return
        seq = self._seq
        ratio = self.devicePixelRatioF()
        width = int(max(self.page.width(), 500) * ratio)
        render_pages(self.runner, data=self._data, pages=[item.data(Qt.ItemDataRole.UserRole)], width=width) \
            .success(lambda imgs: self._large(seq, imgs, ratio)).failure(lambda exc: self._failed(seq, exc)).run()

    def _large(self, seq: int, result: PageImages, ratio: float) -> None:
        if seq != self._seq or not result.images:
            return
        image: QImage = result.images[0][1]
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(ratio)
        self.page.setPixmap(pixmap)

    def _failed(self, seq: int, exc: BaseException) -> None:
        if seq == self._seq:
            self.page.setText(describe(exc))

    def clear(self) -> None:
        self._seq += 1
        self._data = b""
        self.thumbs.clear()
        self.page.clear()
