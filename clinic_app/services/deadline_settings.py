"""The clinic's deadline settings: its rules folder and its province.

The rules folder is fixed per computer (`config_dir()/rules`): a lawyer who corrects a
rule puts a copy of the whole rules file there, under the same name, and Haven uses that
copy instead of its own (services/deadline_rules.py). The province, whose holidays the
deadlines note, is a property of the clinic: it is kept in the vault, so the window and
the command line agree (Ontario until someone changes it). `deadlines.context_for` joins
the two for every deadline computation.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from clinic_app.domain.changes import NO_CHANGES, Changes
from clinic_app.domain.deadlines import PROVINCES, Rule, RulesFileError
from clinic_app.domain.ids import MatterId
from clinic_app.domain.matter import Matter
from clinic_app.domain.roles import Permission
from clinic_app.errors import BadInput
from clinic_app.i18n import N_, _
from clinic_app.paths import config_dir
from clinic_app.services.deadline_rules import RulesFile, load_rules_cached
from clinic_app.services.session import Session
from clinic_app.vault import clinic_settings, records

DEFAULT_PROVINCE = "ON"
SET_PROVINCE = Permission.EDIT_RECORDS  # who may change it (the window disables the choice for others)
PROVINCE_NAMES: dict[str, str] = {
    "AB": N_("Alberta"), "BC": N_("British Columbia"), "MB": N_("Manitoba"), "NB": N_("New Brunswick"),
    "NL": N_("Newfoundland and Labrador"), "NS": N_("Nova Scotia"), "NT": N_("Northwest Territories"),
    "NU": N_("Nunavut"), "ON": N_("Ontario"), "PE": N_("Prince Edward Island"), "QC": N_("Quebec"),
    "SK": N_("Saskatchewan"), "YT": N_("Yukon"),
}


def rules_folder() -> Path:
    """The clinic's rules folder on this computer (it may not exist yet)."""
    return config_dir() / "rules"


def make_rules_folder() -> Path:
    """The rules folder, created if missing (for "Open folder")."""
    folder = rules_folder()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def checked_province(code: str) -> str:
    """`code` as stored ("qc " -> "QC"), or BadInput naming the codes Haven knows."""
    code = code.strip().upper()
    if code not in PROVINCES:
        raise BadInput(_("Unknown province or territory {code}: use one of {codes}.").format(
            code=code, codes=", ".join(sorted(PROVINCES))))
    return code


def clinic_province(session: Session) -> str:
    """The province saved in the vault, Ontario if none was ever chosen."""
    return clinic_settings.get(session.vault.conn, "province") or DEFAULT_PROVINCE


def set_clinic_province(session: Session, code: str) -> Changes:
    """Save the clinic's province; every matter's deadlines change with it. Audited with the
    old and new codes only."""
    session.require(SET_PROVINCE)
    code = checked_province(code)
    with session.transaction() as conn:
        previous = clinic_settings.get(conn, "province") or DEFAULT_PROVINCE
        if previous == code:
            return NO_CHANGES
        clinic_settings.put(conn, "province", code)
        session.audit("clinic_province_set", detail={"province": code, "previous": previous})
        matters = frozenset(MatterId(int(m.id or 0)) for m in records.load_all(conn, Matter))
    return Changes(matters=matters)


@dataclass(frozen=True)
class RulesOverview:
    """What the "Deadline rules" view shows. `error` is the loader's message (file, rule and
    field) when a rules file is refused; no deadline is computed until it is fixed."""

    folder: Path
    province: str
    may_change_province: bool
    files: tuple[RulesFile, ...] = ()
    unconfirmed: tuple[Rule, ...] = ()
    error: str = ""

    @property
    def clinic_copies(self) -> tuple[RulesFile, ...]:
        return tuple(f for f in self.files if f.overridden)


def rules_overview(session: Session) -> RulesOverview:
    session.require(Permission.READ_RECORDS)
    folder, province, may = rules_folder(), clinic_province(session), session.can(SET_PROVINCE)
    try:
        loaded = load_rules_cached(folder)
    except RulesFileError as exc:
        return RulesOverview(folder, province, may, error=str(exc))
    return RulesOverview(folder, province, may, loaded.files, loaded.unconfirmed())
