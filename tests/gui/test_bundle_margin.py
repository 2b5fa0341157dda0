"""The stamp margin from the window: set in the bundle's Settings dialog, saved, and seen in
the built PDF (the page's text inside the new margin, the stamps clear of it)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from gui_helpers import bundles_page, in_vault, press_ok, unlock, wait_idle
from stamp_readback import corner_marks, edge_to_edge_pdf, overlaps, pdfium_pages, union

from support import ADMIN, ADMIN_PASS

MM = 72 / 25.4


@pytest.fixture
def edge_bundle(new_vault) -> Path:
    """b-001: one tab holding a Letter page whose text reaches all four edges."""
    from clinic_app.domain.bundle import BundleSpec, DocumentPart, Section, Tab
    from clinic_app.domain.client import Client
    from clinic_app.domain.document import DocumentMeta
    from clinic_app.domain.matter import Matter, MatterType
    from clinic_app.services import bundles, case_record, evidence
    from clinic_app.services.session import unlock as open_vault

    folder, _key = new_vault()
    with open_vault(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-001", legal_name="Ana Ruiz"))
        case_record.save_matter(s, Matter(ref="m-001", client_ref="c-001", type=MatterType.HC, title="H&C"))
        data = edge_to_edge_pdf([("EDGE", 612, 792)])
        evidence.store_document(s, io.BytesIO(data), DocumentMeta(ref="d-001", title="Edges", page_count=1),
                                ["m-001"], original_filename="d-001.pdf")
        bundles.save_project(s, "b-001", "m-001", BundleSpec("Disclosure", sections=[
            Section("", [Tab("Edges", parts=[DocumentPart("d-001")])])]))
    return folder


@pytest.mark.usefixtures("discard_on_close")
def test_the_margin_set_in_the_window_reaches_the_built_pdf(qtbot, make_window, edge_bundle: Path,
                                                            tmp_path: Path) -> None:
    from clinic_app.domain.bundle import DEFAULT_MARGIN_MM
    from clinic_app.services import bundles

    window = make_window(edge_bundle)
    unlock(qtbot, window)
    tab = bundles_page(window)
    qtbot.waitUntil(lambda: tab.tabs.count() == 1, timeout=10000)

    dialog = tab.editor.settings()
    assert float(dialog.margin.text()) == DEFAULT_MARGIN_MM
    dialog.margin.setText("2")  # too narrow for the stamps: refused, the cursor on the field
    press_ok(dialog)
    assert dialog.isVisible() and "margin" in dialog.error.text().lower() and dialog.focusWidget() is dialog.margin
    dialog.margin.setText("30,5")  # a decimal comma is read as a point
    press_ok(dialog)
    assert not dialog.isVisible() and tab.has_unsaved()
    tab.save_button.click()
    wait_idle(qtbot, window)
    _matter, spec = in_vault(qtbot, window, lambda s: bundles.load_project(s, "b-001"))
    assert spec.settings.margin_mm == 30.5

    out = tmp_path / "bundle.pdf"
    op = tab.build(out)
    qtbot.waitUntil(lambda: op.done, timeout=30000)
    assert op.error is None, op.error
    wait_idle(qtbot, window)  # PDFium is not thread-safe: no preview may be drawing meanwhile
    pages = pdfium_pages(out)
    (page,) = [p for p in pages if corner_marks("EDGE")[0] in p.content_text()]
    band = 30.5 * MM
    region = union([b for _c, b in page.content])
    assert band - 0.5 <= region[0] and region[2] <= page.width - band + 0.5
    assert band - 0.5 <= region[1] and region[3] <= page.height - band + 0.5
    assert (region[2] - region[0]) / (page.width - 2 * band) > 0.96  # Letter on Letter: the width binds
    assert page.stamp_text(top=False).isdigit() and page.stamp_text(top=True)
    assert not any(overlaps(box, region) for _c, box in page.stamps)
    assert all(mark in page.content_text() for mark in corner_marks("EDGE"))
