"""Word-processing documents: converted by LibreOffice when installed, else a clear message."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from clinic_app.intake import IntakeError, IntakeSandbox
from clinic_app.intake.office import soffice_path

PARAGRAPHS = [
    "Déclaration solennelle",
    "Je déclare que les faits suivants sont vrais, le 4 avril 2022.",
]


def _haven_scratch() -> set[str]:
    shm = Path("/dev/shm")
    return {p.name for p in shm.iterdir() if p.name.startswith("haven-")} if shm.is_dir() else set()


def test_without_libreoffice_the_message_says_what_to_do(
    tmp_path: Path, no_tools_path: None, make: SimpleNamespace
) -> None:
    if soffice_path() is not None:
        pytest.skip("LibreOffice is found outside PATH (macOS application folder)")
    document = tmp_path / "statement.docx"
    document.write_bytes(make.docx_bytes(PARAGRAPHS))
    with IntakeSandbox() as sandbox, pytest.raises(IntakeError) as refused:
        sandbox.parse(document)
    message = str(refused.value)
    assert refused.value.reason == "needs_tool"
    assert "statement.docx" in message and "LibreOffice" in message and "PDF" in message


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_docx_is_converted_in_a_private_ram_folder_that_is_removed(
    tmp_path: Path, make: SimpleNamespace
) -> None:
    document = tmp_path / "statement.docx"
    document.write_bytes(make.docx_bytes(PARAGRAPHS))
    before = _haven_scratch()
    with IntakeSandbox(timeout_s=90) as sandbox:  # a first LibreOffice start is slow
        result = sandbox.parse(document)
    assert (result.kind, result.page_count) == ("office", 1)
    assert result.media_type.endswith("wordprocessingml.document")
    assert "Déclaration solennelle" in result.text and result.language_guess == "fr"
    assert result.date_suggestion == "2022-04-04"
    assert _haven_scratch() == before
