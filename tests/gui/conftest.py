"""GUI test fixtures: a real window over a real vault (fast KDF), and a vault marked for leak checks."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWidgets")
pytest.importorskip("pytestqt")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from gui_helpers import MARKER  # noqa: E402

import clinic_app.gui.qtcompat  # noqa: E402,F401 - before any Qt call: see its docstring

from support import ADMIN, ADMIN_PASS  # noqa: E402
from window_fixtures import _empty_clipboard_after, make_window  # noqa: E402,F401 - shared with tests/sync


@pytest.fixture
def marked_vault(new_vault):
    """A vault holding a client, a matter, a document and a letter that all carry MARKER."""
    import io

    from clinic_app.domain.client import Client
    from clinic_app.domain.document import DocumentMeta
    from clinic_app.domain.letter import SupportLetter
    from clinic_app.domain.matter import Matter, MatterType
    from clinic_app.pdf.demo_pages import fictional_pdf
    from clinic_app.services import case_record, evidence
    from clinic_app.services.session import unlock as open_vault

    folder, _key = new_vault()
    with open_vault(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-001", legal_name=f"Ana {MARKER}", aliases=(f"Lucia {MARKER}",),
                                           public_initials="A.Z.", uci="1234-5678", narrative=f"story {MARKER}"))
        case_record.save_matter(s, Matter(ref="m-001", client_ref="c-001", type=MatterType.HC,
                                          title=f"{MARKER} H&C application"))
        data = fictional_pdf(f"Report {MARKER}", [f"text {MARKER}"], pages=2)
        evidence.store_document(s, io.BytesIO(data), DocumentMeta(ref="d-001", title=f"Report {MARKER}", page_count=2),
                                ["m-001"], original_filename=f"{MARKER}.pdf")
        case_record.save_letter(s, SupportLetter(ref="l-001", matter_ref="m-001", writer=f"Writer {MARKER}"))
    return folder


@pytest.fixture
def discard_on_close(monkeypatch) -> None:
    """A test that fails with edits pending must fail, not wait for an answer to "discard?"
    when pytest-qt closes the window."""
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Discard)
