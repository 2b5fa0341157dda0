"""Every user-visible string of the reliability modules has a French translation with
the same named placeholders (resources/locale/fr/LC_MESSAGES/reliability.po.part)."""

from __future__ import annotations

from pathlib import Path

from clinic_app.i18n import parse_po
from clinic_app.i18n_tools import PLACEHOLDER, extract_file

REPO = Path(__file__).resolve().parents[2]
LOCALE = REPO / "resources" / "locale" / "fr" / "LC_MESSAGES"
MODULES = [
    "clinic_app/vault/errors.py", "clinic_app/vault/backup.py", "clinic_app/vault/pages.py",
    "clinic_app/vault/purge.py", "clinic_app/vault/location.py", "clinic_app/services/backup.py",
    "clinic_app/services/restore.py", "clinic_app/services/purge.py", "clinic_app/services/location_guard.py",
    "clinic_app/services/transfer.py", "clinic_app/services/transfer_apply.py",
    "clinic_app/services/transfer_conflicts.py", "clinic_app/services/transfer_format.py",
    "clinic_app/services/vault_check.py", "clinic_app/cli/cmd_backup.py",
]


def test_every_string_is_translated_with_its_placeholders() -> None:
    ours, _plural = parse_po((LOCALE / "reliability.po.part").read_text(encoding="utf-8"))
    others: dict[str, str] = {}
    for part in LOCALE.glob("*.po.part"):
        if part.name != "reliability.po.part":
            others.update(parse_po(part.read_text(encoding="utf-8"))[0])
    missing, broken = [], []
    for module in MODULES:
        for msgid, _plural_id, line in extract_file(REPO / module):
            translated = ours.get(msgid, others.get(msgid))
            if translated is None:
                missing.append(f"{module}:{line} {msgid!r}")
            elif set(PLACEHOLDER.findall(msgid)) != set(PLACEHOLDER.findall(translated)):
                broken.append(msgid)
    assert missing == [] and broken == []
    for msgid, translated in ours.items():
        assert set(PLACEHOLDER.findall(msgid)) == set(PLACEHOLDER.findall(translated)), msgid
