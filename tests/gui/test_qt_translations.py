"""Qt's own dialogs speak the user's language: the file dialog's labels in French."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton

from clinic_app.gui.application import apply_language


def _labels(qtbot) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    dialog = QFileDialog(None, "x")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)  # Qt's own widgets, as offscreen
    qtbot.addWidget(dialog)
    return [w.text() for w in dialog.findChildren(QLabel) if w.text()], \
        [w.text() for w in dialog.findChildren(QPushButton) if w.text()]


def test_the_file_dialog_is_french_in_the_french_ui(qtbot) -> None:  # type: ignore[no-untyped-def]
    try:
        assert apply_language("fr") == "fr"
        labels, buttons = _labels(qtbot)
        # "&Look in:" and "Files of &type:" are missing from Qt's own French catalog with their
        # "&": Haven's fallback finds them without it (see AcceleratorFallback)
        assert labels == ["&Voir dans\u00a0:", "&Nom de fichier\u00a0:", "&Fichiers de type\u00a0:"]
        assert "Annuler" in buttons
    finally:
        apply_language("en")
    labels, buttons = _labels(qtbot)
    assert labels == ["&Look in:", "File &name:", "Files of &type:"]
    assert "Cancel" in buttons
