"""Screenshots of Haven's main screens, taken offscreen from the demo vault.

    QT_QPA_PLATFORM=offscreen python docs/screenshots/take.py
    QT_QPA_PLATFORM=offscreen python docs/screenshots/take.py --only 14 15   # just those

Besides the window: 14, the cover of a bundle for an Arabic-speaking client (drawn by the
bundle engine, rendered by pdfium); 15, Qt's file dialog in the French interface.

Creates a demo vault of fictional people in a temporary folder (fast key
derivation, settings in a temporary folder too), opens the window, walks through
the screens and saves PNGs beside this script with QWidget.grab(). Nothing of the
user's own Haven folders is touched.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_tmp = Path(tempfile.mkdtemp(prefix="haven-shots-"))
for var, sub in (("HAVEN_CONFIG_DIR", "config"), ("HAVEN_STATE_DIR", "state"), ("HAVEN_VAULT", "vault")):
    os.environ[var] = str(_tmp / sub)
os.environ.setdefault("HAVEN_LANG", "en")
# fast key derivation for this throwaway vault of fictional people (Haven refuses it otherwise)
os.environ.setdefault("HAVEN_TEST_WEAK_KDF", "1")


def arabic_cover() -> None:
    """A bundle's cover for fictional Arabic- and Persian-speaking clients, as printed."""
    import io

    import pypdfium2 as pdfium
    from reportlab.pdfgen.canvas import Canvas

    from clinic_app.domain.bundle import BundleSpec, DocumentPart, Section, Tab
    from clinic_app.pdf.engine import build_bundle

    buf = io.BytesIO()
    page = Canvas(buf)
    page.drawString(72, 720, "Fictional exhibit")
    page.showPage()
    page.save()
    spec = BundleSpec(
        title="ملف الأدلة — Applicant's Record", forum="Refugee Protection Division",
        file_number="TB5-01234", parties=["محمد رضا پرویزی", "Minister of Citizenship and Immigration"],
        counsel="Amira Haddad", sections=[Section("Identity documents", [
            Tab("گواهی ولادت (birth certificate)", None, [DocumentPart("d")]),
            Tab("بطاقة الهوية الوطنية", None, [DocumentPart("d")])])])
    out = _tmp / "arabic-bundle.pdf"
    build_bundle(spec, lambda _doc: buf.getvalue(), out)
    cover = pdfium.PdfDocument(out)[0].render(scale=1.4).to_pil()
    path = HERE / "14-arabic-cover.png"
    cover.save(path)
    print(f"saved {path.relative_to(HERE.parent.parent)}")


def french_file_dialog(app) -> None:  # noqa: ANN001
    """Qt's own file dialog with the interface in French (Qt's translations, loaded by Haven)."""
    from PySide6.QtWidgets import QFileDialog

    from clinic_app.gui.application import apply_language

    apply_language("fr")
    folder = _tmp / "Documents"
    folder.mkdir(exist_ok=True)
    for name in ("acte-de-naissance.pdf", "passeport.pdf", "rapport-medical.pdf", "lettre-employeur.pdf"):
        (folder / name).write_bytes(b"%PDF-1.4\n% fictional\n")
    dialog = QFileDialog(None, "Ajouter des documents", str(folder), "PDF (*.pdf);;Images (*.png *.jpg)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.resize(760, 440)
    dialog.show()
    for _ in range(20):
        app.processEvents()
    path = HERE / "15-file-dialog-fr.png"
    dialog.grab().save(str(path), "PNG")
    print(f"saved {path.relative_to(HERE.parent.parent)}")
    dialog.close()
    apply_language(os.environ["HAVEN_LANG"])


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    only = args[args.index("--only") + 1:] if "--only" in args else []
    if only:
        from clinic_app.gui.application import make_app

        app = make_app()
        if "14" in only:
            arabic_cover()
        if "15" in only:
            french_file_dialog(app)
        return 0
    return _window_shots()


def _window_shots() -> int:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from clinic_app.gui.application import apply_language, make_app
    from clinic_app.gui.dialogs.client_form import ClientForm
    from clinic_app.gui.main_window import MainWindow
    from clinic_app.gui.settings import Settings
    from clinic_app.services.demo import DEMO_ADMIN, DEMO_PASSPHRASE, DEMO_USERS, create_demo

    app = make_app()
    apply_language(os.environ["HAVEN_LANG"])
    demo = create_demo(_tmp / "demo", kdf_profile="fast")

    def settle(ms: int = 400, until=None) -> None:  # noqa: ANN001
        for _ in range(100):
            loop = QEventLoop()
            QTimer.singleShot(ms // 4, loop.quit)
            loop.exec()
            if until is None or until():
                break
        app.processEvents()

    def shot(widget, name: str) -> None:  # noqa: ANN001
        settle()
        path = HERE / f"{name}.png"
        widget.grab().save(str(path), "PNG")
        print(f"saved {path.relative_to(HERE.parent.parent)}")

    def window_for(folder: Path) -> MainWindow:
        w = MainWindow(folder=folder, settings=Settings(_tmp / "gui.ini"), kdf_profile="fast")
        w.resize(1280, 800)
        w.show()
        return w

    first = window_for(_tmp / "empty-vault")
    first.first_run.user.setText("amira")
    first.first_run.passphrase.setText("fictional clinic demo passphrase")
    first.first_run.meter.update_for(first.first_run.passphrase.text(), "amira")
    shot(first, "01-first-run")
    first.close()

    window = window_for(demo.folder)
    page = window.unlock_page
    page.set_folder(demo.folder, DEMO_ADMIN)
    shot(window, "02-unlock")
    page.passphrase.setText(DEMO_PASSPHRASE)
    page.unlock()
    settle(until=lambda: window.desk is not None and window.runner.pending == 0)
    shot(window, "03-home-agenda")
    for ref, tab, name in (("m-reyes-hc", "overview", "04-matter-overview"),
                           ("m-petrov-mr", "documents", "05-documents-preview"),
                           ("m-reyes-hc", "letters", "06-support-letters"),
                           ("m-petrov-mr", "translations", "07-translations"),
                           ("m-cruz-rpd", "bundles", "08-bundle")):
        window.open_matter(ref)
        ws = window.desk.current_workspace()
        ws.setCurrentWidget(getattr(ws, tab))
        settle(until=lambda: window.runner.pending == 0)
        if tab == "documents":
            ws.documents.table.selectRow(0)
            settle(until=lambda: ws.documents.preview.thumbs.count() > 0 and window.runner.pending == 0)
        if tab == "bundles":
            ws.bundles.check()
            settle(until=lambda: window.runner.pending == 0)
        shot(window, name)
        if tab == "bundles":
            settings = ws.bundles.editor.settings()
            if settings is not None:
                shot(settings, "11-bundle-settings")
                settings.reject()
    window.desk.home.edit_client("c-reyes")
    settle(until=lambda: window.runner.pending == 0 and window.findChildren(ClientForm))
    form = window.findChildren(ClientForm)[-1]
    form.tabs.setCurrentWidget(form.relatives)
    shot(form, "12-client-relatives")
    form.reject()
    window.manage_users()
    settle(until=lambda: window.runner.pending == 0)
    shot(window.admin_dialog, "13-users")
    window.admin_dialog.reject()
    window.lock_now("manual")
    settle(until=lambda: window.runner.pending == 0)
    shot(window, "09-locked")
    volunteer, (_role, passphrase) = "volunteer", DEMO_USERS["volunteer"]
    page.user.setCurrentText(volunteer)
    page.passphrase.setText(passphrase)
    page.unlock()
    settle(until=lambda: window.desk is not None and window.runner.pending == 0)
    shot(window, "10-volunteer-letters")
    window.close()
    QApplication.processEvents()
    arabic_cover()
    french_file_dialog(app)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
