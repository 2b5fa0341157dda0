"""A clinic of 20 laptops editing at random, offline now and then, the same fields at the same time.

Each round every laptop may edit (clients, matters, documents, letters, checklist items),
then the laptops that are online sync in turn. At the end all of them sync twice and
must hold exactly the same records (volunteers: the same letters), every pair of edits to
one field made without either laptop having seen the other must be in some laptop's
conflicts list, and every laptop's audit chain, and every chain on the server, verifies.
3 seeds by default on one clinic; 50 with `-m slow`.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from clinic_app.domain.client import Client
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.letter import SupportLetter
from clinic_app.domain.matter import Matter
from clinic_app.domain.roles import Role
from clinic_app.services import case_record, evidence, packages
from clinic_app.services.sync import audit_share
from clinic_app.vault import audit, sync_rows, sync_state

from laptops import Laptop, admin_laptop, join_laptop

ROLES = [Role.LAWYER] * 6 + [Role.STAFF] * 9 + [Role.VOLUNTEER] * 4  # with the admin: 20 laptops
CLIENT_FIELDS = ("notes", "narrative", "country")


@dataclass
class Edit:
    laptop: int
    tick: int  # the global sync counter when the edit was made
    kind: str
    ref: str
    field: str
    value: str


@dataclass
class Clinic:
    laptops: list[Laptop]
    roles: list[str]
    tick: int = 0
    last_sync: dict[int, int] = field(default_factory=dict)  # laptop -> tick of its last sync
    pushed_at: dict[int, int] = field(default_factory=dict)  # id(edit) -> tick of the sync that pushed it
    edits: list[Edit] = field(default_factory=list)
    counter: int = 0

    def sync(self, i: int) -> None:
        self.tick += 1
        self.laptops[i].sync()
        for e in self.edits:
            if e.laptop == i and id(e) not in self.pushed_at:
                self.pushed_at[id(e)] = self.tick
        self.last_sync[i] = self.tick

    def seen(self, laptop: int, edit: Edit, at_tick: int) -> bool:
        """Whether `laptop` had pulled `edit` before `at_tick`."""
        pushed = self.pushed_at.get(id(edit))
        return pushed is not None and any(t > pushed for t in self._syncs.get(laptop, []) if t < at_tick)

    _syncs: dict[int, list[int]] = field(default_factory=dict)


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory, pg_cluster):  # type: ignore[no-untyped-def]
    import psycopg

    base = tmp_path_factory.mktemp("clinic")
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        conn.execute("CREATE DATABASE simulation")
    people = {f"p{i}": role for i, role in enumerate(ROLES)}
    admin = admin_laptop(base, pg_cluster.url("simulation"), users_to_add=people)
    laptops = [admin] + [join_laptop(admin, base, name, role) for name, role in people.items()]
    for lap in laptops:
        lap.hold()  # open all day, as in the window
    yield Clinic(laptops, ["admin"] + [r.value for r in ROLES])
    for lap in laptops:
        lap.release()


def _refs(lap: Laptop, kind: str) -> list[str]:
    with lap.session() as s:
        return sync_rows.all_refs(s.vault.conn, kind)


def _edit(clinic: Clinic, i: int, rng: random.Random) -> None:
    lap, role = clinic.laptops[i], clinic.roles[i]
    clinic.counter += 1
    value = f"v{clinic.counter}-by-{i}"
    with lap.session() as s:
        conn = s.vault.conn
        matters = sync_rows.all_refs(conn, "matter")
        if role == "volunteer":
            if not matters:
                return
            letters = sync_rows.all_refs(conn, "letter")
            if letters and rng.random() < 0.6:
                ref = rng.choice(letters)
                letter = case_record.letters(s, None)
                current = next(x for x in letter if x.ref == ref)
                case_record.save_letter(s, SupportLetter(**{**_plain(current), "key_quote": value}))
                clinic.edits.append(Edit(i, clinic.tick, "letter", ref, "data.key_quote", value))
            else:
                ref = f"l-{i}-{clinic.counter}"
                case_record.save_letter(s, SupportLetter(ref=ref, matter_ref=rng.choice(matters), writer=value))
            return
        clients = sync_rows.all_refs(conn, "client")
        roll = rng.random()
        if not clients or roll < 0.12:
            ref = f"c-{i}-{clinic.counter}"
            case_record.save_client(s, Client(ref=ref, legal_name=f"Person {value}", public_initials="P.X."))
        elif roll < 0.55:
            ref = rng.choice(clients[:3])  # a few shared clients: concurrent edits of one field
            name = rng.choice(CLIENT_FIELDS)
            current = case_record.get_client(s, ref)
            case_record.save_client(s, Client(**{**_plain(current), name: f"{name} {value}"}))
            clinic.edits.append(Edit(i, clinic.tick, "client", ref, f"data.{name}", f"{name} {value}"))
        elif roll < 0.7 or not matters:
            ref = f"m-{i}-{clinic.counter}"
            case_record.save_matter(s, Matter(ref=ref, client_ref=rng.choice(clients), type="hc", title=value))
        elif roll < 0.82:
            ref = f"d-{i}-{clinic.counter}"
            evidence.store_document(s, io.BytesIO(value.encode() * 50 + rng.randbytes(200)),
                                    DocumentMeta(ref=ref, title=value), [rng.choice(matters)])
        elif roll < 0.92:
            ref = rng.choice(matters)
            items = [e.item.id for e in packages.checklist(s, ref, "hc_application").entries][:3]
            packages.set_item_status(s, ref, "hc_application", rng.choice(items), rng.choice(
                ["requested", "received", "missing"]), note=value)
        else:
            ref = f"l-{i}-{clinic.counter}"
            case_record.save_letter(s, SupportLetter(ref=ref, matter_ref=rng.choice(matters), writer=value))


def _plain(record) -> dict:  # type: ignore[no-untyped-def]
    from dataclasses import fields

    return {f.name: getattr(record, f.name) for f in fields(record) if f.init}


def _content(lap: Laptop, kinds: tuple[str, ...]) -> str:
    with lap.session() as s:
        conn = s.vault.conn
        out = {kind: {ref: sync_rows.read_record(conn, kind, ref) for ref in sync_rows.all_refs(conn, kind)}
               for kind in kinds}
    return hashlib.sha256(json.dumps(out, sort_keys=True, default=str).encode()).hexdigest()


def _run_seed(clinic: Clinic, seed: int, rounds: int = 3) -> None:
    rng = random.Random(seed)
    first_edit = len(clinic.edits)
    for _round in range(rounds):
        offline = {i for i in range(1, len(clinic.laptops)) if rng.random() < 0.25}
        for i in range(len(clinic.laptops)):
            if rng.random() < 0.6:
                _edit(clinic, i, rng)
        for i in range(len(clinic.laptops)):
            if i not in offline:
                clinic.sync(i)
                clinic._syncs.setdefault(i, []).append(clinic.tick)
    for _pass in range(2):
        for i in range(len(clinic.laptops)):
            clinic.sync(i)
            clinic._syncs.setdefault(i, []).append(clinic.tick)
    _check(clinic, clinic.edits[first_edit:])


def _check(clinic: Clinic, edits: list[Edit]) -> None:
    full = [i for i, r in enumerate(clinic.roles) if r != "volunteer"]
    volunteers = [i for i, r in enumerate(clinic.roles) if r == "volunteer"]
    everything = sync_rows.ORDER
    assert len({_content(clinic.laptops[i], everything) for i in full}) == 1
    assert len({_content(clinic.laptops[i], ("letter",)) for i in [*full, *volunteers]}) == 1
    found: set[tuple[str, str, str]] = set()
    for lap in clinic.laptops:
        with lap.session() as s:
            found |= {(c.kind, c.ref, c.field) for c in sync_state.conflicts(s.vault.conn, open_only=False)}
            assert audit.verify(s.vault.conn, s.vault.vault_id) == []
    with clinic.laptops[0].session() as s:
        assert audit_share.verify(s) == []
    for a in edits:
        for b in edits:
            if a.laptop < b.laptop and (a.kind, a.ref, a.field) == (b.kind, b.ref, b.field) and a.value != b.value:
                concurrent = not clinic.seen(a.laptop, b, a.tick + 1) and not clinic.seen(b.laptop, a, b.tick + 1)
                if concurrent:
                    assert (a.kind, a.ref, a.field) in found, (a, b)


def test_twenty_laptops_converge_three_seeds(clinic: Clinic) -> None:
    for seed in (1, 2, 3):
        _run_seed(clinic, seed)


@pytest.mark.slow
def test_twenty_laptops_converge_fifty_seeds(clinic: Clinic) -> None:
    for seed in range(100, 150):
        _run_seed(clinic, seed)
