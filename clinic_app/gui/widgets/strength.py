"""The passphrase strength meter: the same zxcvbn estimate the services enforce."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from clinic_app.gui.operations.vault import assess_passphrase
from clinic_app.i18n import N_, _

LEVELS = (N_("Very weak"), N_("Weak"), N_("Fair"), N_("Strong"), N_("Very strong"))
COLOURS = ("#b00020", "#b00020", "#b36b00", "#2e7d32", "#1b5e20")


class StrengthMeter(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 4)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName(_("Passphrase strength"))
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addWidget(self.label)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(120)
        self._debounce.timeout.connect(self._assess)
        self._passphrase = ""
        self._user = ""
        self.acceptable = False
        self.update_for("", "")

    def update_for(self, passphrase: str, user: str) -> None:
        self._passphrase, self._user = passphrase, user
        self._debounce.start()

    def assess_now(self) -> bool:
        self._debounce.stop()
        self._assess()
        return self.acceptable

    def _assess(self) -> None:
        if not self._passphrase:
            score, problems = 0, ()
            self.bar.setValue(0)
            self.label.setText(_("Use at least 12 characters or 4 unrelated words."))
            self.acceptable = False
            return
        score, problems = assess_passphrase(self._passphrase, self._user)
        self.acceptable = not problems
        self.bar.setValue(score)
        self.bar.setStyleSheet(f"QProgressBar::chunk {{ background: {COLOURS[score]}; }}")
        text = _(LEVELS[score])
        self.label.setText(text if not problems else f"{text}. {' '.join(problems)}")
        self.bar.setAccessibleDescription(self.label.text())
