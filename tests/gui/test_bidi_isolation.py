"""A right-to-left name or title shown inside a sentence keeps its place: each piece of
user data is isolated (FSI … PDI), so an Arabic client name cannot pull "(public initials:
…)" into its own direction and scramble the line."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_helpers import unlock, wait_idle
from PySide6.QtCore import Qt

from clinic_app.domain.display import isolate
from support import ADMIN, ADMIN_PASS

NAME = "سمير عبد الكريم الحداد"
TITLE = "طلب لجوء"
FSI, PDI = "\u2068", "\u2069"


def test_isolate_wraps_and_drops_direction_controls_inside() -> None:
    assert isolate(NAME) == FSI + NAME + PDI
    assert isolate("a\u202eb\u2069c\u2066") == FSI + "abc" + PDI  # none can close or override the isolate
    assert isolate("") == FSI + PDI


@pytest.fixture
def arabic_vault(new_vault) -> Path:
    from clinic_app.domain.client import Client
    from clinic_app.domain.matter import AdverseParty, Matter, MatterType
    from clinic_app.services import case_record
    from clinic_app.services.session import unlock as open_vault

    folder, _key = new_vault()
    with open_vault(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c-ar", legal_name=NAME, public_initials="س.ا."))
        case_record.save_matter(s, Matter(ref="m-ar", client_ref="c-ar", type=MatterType.HC, title=TITLE,
                                          counsel="مريم", adverse_parties=(AdverseParty(name="الشرطة"),
                                                                           AdverseParty(name="Gang B"))))
    return folder


def test_the_overview_and_lists_isolate_every_name_and_title(qtbot, make_window, arabic_vault: Path) -> None:
    window = make_window(arabic_vault)
    unlock(qtbot, window)
    window.open_matter("m-ar")
    wait_idle(qtbot, window)
    overview = window.desk.current_workspace().overview.text
    text = overview.toPlainText()
    assert f"{FSI}{NAME}{PDI} (public initials: {FSI}س.ا.{PDI})" in text, text
    block = overview.document().begin()
    while block.isValid() and NAME not in block.text():
        block = block.next()
    assert block.textDirection() == Qt.LayoutDirection.LeftToRight  # the window's, not the name's
    assert f"{FSI}مريم{PDI}" in text
    assert f"{FSI}الشرطة{PDI}; {FSI}Gang B{PDI}" in text
    recent = window.desk.home.recent
    assert recent.item(0).text() == f"{FSI}{TITLE}{PDI} (m-ar)"


def test_the_french_overview_line_is_one_sentence(qtbot, make_window, arabic_vault: Path) -> None:
    from clinic_app.i18n import set_language

    set_language("fr")
    try:
        window = make_window(arabic_vault)
        unlock(qtbot, window)
        window.open_matter("m-ar")
        wait_idle(qtbot, window)
        text = window.desk.current_workspace().overview.text.toPlainText().replace("\u00a0", " ")
        assert f"{FSI}{NAME}{PDI} (initiales publiques : {FSI}س.ا.{PDI})" in text, text
    finally:
        set_language("en")
