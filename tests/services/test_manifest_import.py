"""Importing manifests into a real vault: all or nothing, re-import updates."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

import pytest

from clinic_app.errors import ValidationError
from clinic_app.services import records
from clinic_app.services.manifest_import import import_manifest
from clinic_app.vault import records as rows

from manifest_fixture import write_manifest
from support import open_original


def _counts(session) -> dict[str, int]:  # type: ignore[no-untyped-def]
    conn = session.vault.conn
    return {t: rows.count(conn, t) for t in ("clients", "matters", "documents", "letters", "bundles", "blobs")}


def test_manifest_imports_everything_and_reimport_updates(admin_session, tmp_path: Path) -> None:
    path = write_manifest(tmp_path)
    summary = import_manifest(admin_session, path)
    assert summary.created == {"clients": 2, "matters": 2, "documents": 3, "translations": 1, "letters": 2,
                               "bundles": 1}
    first = _counts(admin_session)
    assert first == {"clients": 2, "matters": 2, "documents": 4, "letters": 2, "bundles": 1, "blobs": 4}
    with open_original(admin_session, "d-report") as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == hashlib.sha256(
            (tmp_path / "docs" / "report.pdf").read_bytes()).hexdigest()
    assert records.show_matter(admin_session, "m-cruz")["documents"][0]["ref"] == "d-report"

    write_manifest(tmp_path, title="García: refugee claim (amended)")
    again = import_manifest(admin_session, path)
    assert again.created.get("clients", 0) == 0 and again.updated["clients"] == 2
    assert _counts(admin_session) == first
    assert records.show_matter(admin_session, "m-garcia")["title"] == "García: refugee claim (amended)"


def test_an_error_in_the_last_item_imports_nothing_and_names_it(admin_session, tmp_path: Path) -> None:
    path = write_manifest(tmp_path, bad_last_letter=True)
    before = _counts(admin_session)
    audit_rows = admin_session.vault.conn.execute("SELECT count(*) FROM audit").fetchone()[0]
    with pytest.raises(ValidationError) as err:
        import_manifest(admin_session, path)
    assert "l-2" in str(err.value) and "date" in str(err.value)
    assert _counts(admin_session) == before
    assert admin_session.vault.conn.execute("SELECT count(*) FROM audit").fetchone()[0] == audit_rows


def test_a_file_that_disappears_mid_import_rolls_everything_back(admin_session, tmp_path: Path) -> None:
    path = write_manifest(tmp_path)
    seen = []

    def analyze(file: Path, password: str | None, label: str):  # type: ignore[no-untyped-def]
        from clinic_app.services.evidence import Analysis

        seen.append(label)
        if len(seen) == 3:
            (tmp_path / "docs" / "passport-en.pdf").unlink()
        return Analysis()

    with pytest.raises(FileNotFoundError):
        import_manifest(admin_session, path, analyze=analyze)
    assert _counts(admin_session) == {"clients": 0, "matters": 0, "documents": 0, "letters": 0, "bundles": 0,
                                      "blobs": 0}


def test_cancel_leaves_no_partial_rows(admin_session, tmp_path: Path) -> None:
    from clinic_app.domain.progress import CancelToken
    from clinic_app.errors import Cancelled

    path = write_manifest(tmp_path)
    token = CancelToken()

    def progress(done: int, total: int, label: str) -> None:
        if label.startswith("Storing") and done == 1:
            token.cancel()

    with pytest.raises(Cancelled):
        import_manifest(admin_session, path, progress=progress, cancel=token)
    assert _counts(admin_session)["documents"] == 0 and _counts(admin_session)["clients"] == 0


def test_a_later_manifest_can_add_a_declaration_to_a_translation_in_the_vault(admin_session, tmp_path: Path) -> None:
    import_manifest(admin_session, write_manifest(tmp_path))
    later = tmp_path / "later"
    later.mkdir()
    (later / "decl.pdf").write_bytes(b"%PDF-1.4 fictional declaration")
    (later / "m.yaml").write_text(yaml.safe_dump({"documents": [
        {"ref": "d-decl", "matter": "m-garcia", "file": "decl.pdf", "title": "Translator's declaration",
         "category": "declaration", "declaration_for": "d-passport-en"}]}), encoding="utf-8")
    import_manifest(admin_session, later / "m.yaml")
    assert records.show_matter(admin_session, "m-garcia")["translations"] == [
        {"original_ref": "d-passport", "translation_ref": "d-passport-en", "declaration_ref": "d-decl"}]
