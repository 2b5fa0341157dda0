"""The instant search makes snippets for the rows on screen, and the rest as they are scrolled to.

A search for a word found in the text of 120 documents lists them all at once; the
first screenful shows its snippets with the word, rows further down have none until
the list is scrolled to them, and then they do: what the window shows is what the
search index says, however far the person scrolls.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from gui_helpers import unlock
from PySide6.QtTest import QTest

from support import ADMIN, ADMIN_PASS

WORD = "zanzibarite"
COUNT = 120


@pytest.fixture
def many_matches(new_vault) -> Path:  # type: ignore[no-untyped-def]
    from clinic_app.domain.client import Client
    from clinic_app.domain.document import DocumentMeta
    from clinic_app.domain.matter import Matter, MatterType
    from clinic_app.services import case_record, evidence
    from clinic_app.services.evidence import Analysis
    from clinic_app.services.session import unlock as open_vault

    folder, _key = new_vault()
    with open_vault(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-1", legal_name="Ana Pérez"))
        case_record.save_matter(s, Matter(ref="m-1", client_ref="c-1", type=MatterType.RPD_CLAIM, title="Claim"))
        with s.transaction():
            for n in range(COUNT):
                text = f"Statement number {n}. " + "Nothing here. " * 40 + f"The witness saw {WORD} {n} at the port."
                evidence.store_document(s, io.BytesIO(text.encode()), DocumentMeta(ref=f"d-{n:03d}", title=f"Note {n}"),
                                        ["m-1"], analysis=Analysis(text=text))
    return folder


def test_snippets_follow_the_scroll(qtbot, make_window, many_matches: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(many_matches)
    unlock(qtbot, window)
    home = window.desk.home
    window.desk.focus_search()
    QTest.keyClicks(home.search, WORD)
    qtbot.waitUntil(lambda: home.model.rowCount() == COUNT, timeout=10000)
    table = home.table
    visible = table.rowAt(table.viewport().height() - 1)
    assert 0 < visible < COUNT // 2  # the list is longer than the screen
    qtbot.waitUntil(lambda: all(WORD in home.model.row(n).detail for n in range(visible + 1)), timeout=10000)
    last = home.model.row(COUNT - 1)
    assert last.detail == "" and last.pending  # not made: nobody has looked at it
    table.scrollToBottom()
    qtbot.waitUntil(lambda: WORD in home.model.row(COUNT - 1).detail, timeout=10000)
    shown = home.model.row(COUNT - 1)
    number = int(shown.ref.removeprefix("d-"))
    assert f"{WORD} {number}" in shown.detail  # its own document's text, not a neighbour's
    assert any(match and text.lower() == WORD for text, match in shown.matches)  # the word is marked
    assert not shown.pending
