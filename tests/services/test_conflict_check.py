"""Which names the conflict check compares, when it holds a save back, and what it audits."""

from __future__ import annotations

import dataclasses
import json

from clinic_app.domain.client import Client, Relative
from clinic_app.domain.matter import AdverseParty, Matter, MatterType
from clinic_app.services import audit_log, case_record
from clinic_app.services.conflict_check import (
    WENT_BACK,
    record_decision,
    save_client_checked,
    save_matter_checked,
)

ANA = Client(ref="c-ana", legal_name="Ana Lucía Reyes Mejía", relatives=(Relative("Rosa Mejía", "mother"),))
CARTEL = AdverseParty("Los Fictitios cartel")


def _seed(session) -> None:  # type: ignore[no-untyped-def]
    case_record.save_client(session, ANA)
    case_record.save_matter(session, Matter(ref="m-ana", client_ref="c-ana", type=MatterType.HC, title="H&C",
                                            adverse_parties=(CARTEL,)))


def test_a_near_duplicate_is_held_back_then_saved_anyway_and_audited(admin_session) -> None:
    _seed(admin_session)
    new = Client(ref="c-002", legal_name="Ana Lucia Reyes Mejia", aliases=("Rosa Mejia",))
    held = save_client_checked(admin_session, new)
    assert not held.saved and held.changes.is_empty
    assert {(c.name, m.person.kind.value) for c in held.conflicts for m in c.matches} >= {
        ("Ana Lucia Reyes Mejia", "client"), ("Rosa Mejia", "relative")}
    assert [c.ref for c in case_record.clients(admin_session)] == ["c-ana"]
    record_decision(admin_session, held.conflicts, WENT_BACK)
    saved = save_client_checked(admin_session, new, accept_conflicts=True)
    assert saved.saved and sorted(c.ref for c in case_record.clients(admin_session)) == ["c-002", "c-ana"]
    rows = [e for e in audit_log.entries(admin_session) if e.action == "conflict_check"]
    assert [r.detail["decision"] for r in rows] == ["went_back", "saved_anyway"]
    assert rows[1].target.startswith("client:") and rows[1].detail["matches"] >= 2
    assert "Mej" not in json.dumps([r.detail for r in rows])  # counts and ids, never names


def test_a_record_is_not_compared_with_itself_and_unchanged_names_are_not_checked(admin_session) -> None:
    _seed(admin_session)
    edited = dataclasses.replace(case_record.get_client(admin_session, "c-ana"), country="Honduras")
    assert save_client_checked(admin_session, edited).saved
    renamed = dataclasses.replace(edited, aliases=("Lucía Reyes",))  # a new alias of her own name
    assert save_client_checked(admin_session, renamed).saved


def test_adverse_parties_meet_other_clients_not_other_adverse_parties(admin_session) -> None:
    _seed(admin_session)
    case_record.save_client(admin_session, Client(ref="c-paz", legal_name="José Manuel Paz Herrera"))
    same_cartel = Matter(ref="m-paz", client_ref="c-paz", type=MatterType.DEFERRAL, title="Deferral",
                         adverse_parties=(CARTEL,))
    assert save_matter_checked(admin_session, same_cartel).saved  # the same cartel in two files is no conflict
    against_client = dataclasses.replace(case_record.get_matter(admin_session, "m-paz"),
                                         adverse_parties=(CARTEL, AdverseParty("Ana Lucia Reyes")))
    held = save_matter_checked(admin_session, against_client)
    assert not held.saved
    assert [(c.name, c.kind.value) for c in held.conflicts] == [("Ana Lucia Reyes", "adverse_party")]
    assert {m.person.client_ref for m in held.conflicts[0].matches} == {"c-ana"}
