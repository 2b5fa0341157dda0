"""Dropping a hostile folder on a matter's documents (issue 15, items 6, 7 and 10): a link
to elsewhere and a named pipe are refused with a line each, the batch finishes, and a
line break in a file name stays inside its one line of the results."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from gui_helpers import drop_on_documents, unlock

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX links and named pipes")


def test_dropped_folder_with_a_link_and_a_pipe(qtbot, make_window, marked_vault: Path, tmp_path: Path) -> None:
    from clinic_app.pdf.demo_pages import fictional_pdf

    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "other_client.pdf").write_bytes(fictional_pdf("Another client's file", ["fictional"], pages=1))
    ev = tmp_path / "ev"
    ev.mkdir()
    (ev / "police_report.pdf").write_bytes(fictional_pdf("Police report", ["fictional"], pages=1))
    (ev / "note\nphotos: imported.txt").write_text("a note with a hostile name")
    (ev / "photos").symlink_to(secret)
    os.mkfifo(ev / "inbox.pdf")  # nobody writes to it: an open() would wait forever
    window = make_window(marked_vault)
    unlock(qtbot, window)
    docs = drop_on_documents(qtbot, window, [ev])
    op = docs.import_op
    assert op is not None and docs.outcomes.count() == 4  # each entry listed at once, on its own line
    qtbot.waitUntil(lambda: op.done, timeout=30000)
    texts = [docs.outcomes.item(i).text() for i in range(docs.outcomes.count())]
    assert len(texts) == 4 and not any("\n" in t for t in texts), texts
    assert texts[0].startswith("inbox.pdf: not imported") and "named pipe" in texts[0], texts
    assert texts[1].startswith("note\\nphotos: imported.txt: imported"), texts
    assert texts[2].startswith("photos: not imported") and "does not follow links" in texts[2], texts
    assert texts[3].startswith("police_report.pdf: imported"), texts
    qtbot.waitUntil(lambda: len(docs.model.rows) == 3, timeout=5000)  # the marked one and the two imported
    shown = [docs.model.data(docs.model.index(r, 6)) for r in range(docs.model.rowCount())]
    assert "other_client.pdf" not in shown and "note\\nphotos: imported.txt" in shown, shown


def test_a_dropped_folder_is_parsed_on_every_core_and_stored_in_order(qtbot, make_window, marked_vault: Path,
                                                                       tmp_path: Path) -> None:
    """The window's import runs on the worker pool (one child per core) and still stores the
    files in the order shown, numbered in that order."""
    from clinic_app.intake.pool import Pool, default_workers
    from clinic_app.pdf.demo_pages import fictional_pdf

    ev = tmp_path / "statements"
    ev.mkdir()
    names = [f"statement-{i:02d}.pdf" for i in range(8)]
    for i, name in enumerate(names):
        (ev / name).write_bytes(fictional_pdf(f"Witness statement {i}", ["fictional"], pages=1 + i % 3))
    sizes: list[int] = []
    real_init = Pool.__init__

    def init(self, limits, size, **kwargs):  # type: ignore[no-untyped-def]
        sizes.append(size)
        real_init(self, limits, size, **kwargs)

    window = make_window(marked_vault)
    unlock(qtbot, window)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Pool, "__init__", init)
        docs = drop_on_documents(qtbot, window, [ev])
        op = docs.import_op
        assert op is not None
        qtbot.waitUntil(lambda: op.done, timeout=60000)
    texts = [docs.outcomes.item(i).text() for i in range(docs.outcomes.count())]
    assert [t.split(":")[0] for t in texts] == names and all(": imported" in t for t in texts), texts
    assert sizes == [default_workers()]  # one pool for the batch, a child per core
    qtbot.waitUntil(lambda: len(docs.model.rows) == 9, timeout=5000)  # the marked one and the eight
    rows = sorted((docs.model.data(docs.model.index(r, 0)), docs.model.data(docs.model.index(r, 6)))
                  for r in range(docs.model.rowCount()))
    assert [name for _ref, name in rows if name in names] == names  # refs given in the order dropped
