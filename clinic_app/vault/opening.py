"""Opening a vault's database with the keys a slot yields, and deciding what the slot file needs.

`connect_any` tries each key; when none fits it tells the three reasons apart instead of
calling everything damage: an empty or cut-short file, this vault's own database from
before a key change (same file salt, not one page opens), and real damage.

`settle_plan` decides, from an authenticated (or, once, a version-1) slot file and the
users recorded inside the database, what must happen before the vault is used: finish
an interrupted rekey, finish an interrupted user removal, move to a fresh key when a
version-1 file asked for a key nobody can prove, or just rewrite the file (upgrade,
stronger defaults). Pure decisions; `store.Vault` carries them out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from clinic_app.errors import VaultDamaged
from clinic_app.i18n import _
from clinic_app.vault import connection, keyslot_auth, pages
from clinic_app.vault.connection import Connection, WrongKey
from clinic_app.vault.errors import DatabaseBeforeKeyChange, KeySlotsAltered
from clinic_app.vault.kdf import PROFILES, meets_floor, weak_allowed
from clinic_app.vault.keyslots import LEGACY_VERSION, RECOVERY, USER, SlotFile


def connect_any(db_path: Path, candidates: dict[str, bytes], slots: SlotFile) -> tuple[Connection, bytes]:
    """Open the database with whichever key fits (old first, then a pending new one)."""
    ordered = sorted(candidates.items(), key=lambda item: item[0] == slots.pending_key_id)
    for _kid, key in ordered:
        try:
            return connection.connect(db_path, key), key
        except WrongKey:
            continue
    raise _why_no_key_fits(db_path, candidates, slots)


def _why_no_key_fits(db_path: Path, candidates: dict[str, bytes], slots: SlotFile) -> Exception:
    if not candidates:
        return KeySlotsAltered(_("a key slot holds no data key"))
    if slots.version != LEGACY_VERSION and not any(keyslot_auth.verify(slots, k) for k in candidates.values()):
        return KeySlotsAltered(_("its contents do not match the vault's key"))
    if slots.db_salt is not None and pages.read_salt(db_path) == slots.db_salt:
        reports = [pages.scan(db_path, key) for key in candidates.values()]
        if all(r.pages > 1 and r.header_damaged for r in reports):
            return DatabaseBeforeKeyChange(slots.key_changed_at or "")
    return VaultDamaged("no key in the key slot opens the database")


@dataclass(frozen=True)
class SettlePlan:
    """What the slot file needs before the vault is used (nothing, when every field is False)."""

    slots: SlotFile  # the slot file to continue from (orphaned slots dropped, defaults raised)
    fresh_key: bool = False  # move to a new random data key (interrupted removal, unproven key)
    rekey_to_pending: bool = False  # finish a proven, interrupted rekey
    finalize: bool = False  # the rekey is done: keep only the current key
    rewrite: bool = False  # upgrade the format or raise the defaults

    @property
    def needed(self) -> bool:
        return self.fresh_key or self.rekey_to_pending or self.finalize or self.rewrite


def check_legacy_shape(slots: SlotFile) -> None:
    """A version-1 file is trusted once, at its upgrade: refuse shapes Haven never wrote."""
    names = slots.users()
    if len(names) != len(set(names)) or sum(1 for s in slots.slots if s.kind == RECOVERY) > 1:
        raise KeySlotsAltered(_("a user or the recovery key has two key slots"))
    if len({s.slot_id for s in slots.slots}) != len(slots.slots):
        raise KeySlotsAltered(_("two key slots share one id"))


def settle_plan(slots: SlotFile, current_kid: str, candidates: set[str], user_rows: set[str]) -> SettlePlan:
    legacy = slots.version == LEGACY_VERSION
    orphans = {s.user for s in slots.slots if s.kind == USER and s.user not in user_rows}
    kept = replace(slots, slots=tuple(s for s in slots.slots if not (s.kind == USER and s.user in orphans)))
    weak = not meets_floor(slots.kdf_defaults) and not weak_allowed()
    if weak:
        kept = replace(kept, kdf_defaults=PROFILES["standard"])
    pending = slots.pending_key_id
    unproven = legacy and pending is not None and pending != current_kid
    if orphans or unproven or (pending and pending != current_kid and pending not in candidates):
        return SettlePlan(replace(kept, pending_key_id=None), fresh_key=True)
    if pending and pending != current_kid:
        return SettlePlan(kept, rekey_to_pending=True)
    if pending == current_kid:
        return SettlePlan(kept, finalize=True)
    return SettlePlan(kept, rewrite=legacy or weak)
