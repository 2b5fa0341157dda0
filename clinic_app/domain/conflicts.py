"""Conflict check at intake: is this new person already known to the clinic?

A clinic must not act against a client, and must notice when a new "client" is
the agent of persecution named in another file. Names arrive in many forms
("Garcia Lopez, Maria", "MARÍA GARCÍA LÓPEZ", "Maria Garsia"), so names are
compared after folding accents, case, punctuation and word order, and small typos
are tolerated (per word: at most one or two edits, ranked by Jaro-Winkler). Scripts are never transliterated:
Cyrillic or Chinese names match their own script, exactly or with small typos.
Recall matters more than precision here: a person reviews every match.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from clinic_app.domain.client import Client
from clinic_app.domain.common import SafeRepr
from clinic_app.domain.matter import Matter
from clinic_app.i18n import N_, _

DEFAULT_THRESHOLD = 0.85
_TOKEN_FLOOR = 0.8  # every word of a "similar" name must be at least this close (and within a typo)
_PARTIAL_FACTOR = 0.95  # "Maria Garcia" inside "Maria Garcia Lopez" ranks below a full match
_PARTICLES = frozenset("de del della der den des di da das do dos du la las le les los van von y e".split())
_LETTERS = str.maketrans({"ø": "o", "đ": "d", "ł": "l", "ð": "d", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"})  # noqa: RUF001


class PersonKind(StrEnum):
    CLIENT = "client"
    ALIAS = "alias"
    RELATIVE = "relative"
    ADVERSE_PARTY = "adverse_party"

    @property
    def label(self) -> str:
        return _(PERSON_KIND_LABELS[self])


PERSON_KIND_LABELS = {
    PersonKind.CLIENT: N_("client"),
    PersonKind.ALIAS: N_("alias of a client"),
    PersonKind.RELATIVE: N_("relative of a client"),
    PersonKind.ADVERSE_PARTY: N_("adverse party in a matter"),
}


class MatchReason(StrEnum):
    SAME_NAME = "same_name"
    SAME_NAME_OTHER_FORM = "same_name_other_form"
    PART_OF_NAME = "part_of_name"
    SIMILAR_SPELLING = "similar_spelling"

    @property
    def label(self) -> str:
        return _(MATCH_REASON_LABELS[self])


MATCH_REASON_LABELS = {
    MatchReason.SAME_NAME: N_("same name"),
    MatchReason.SAME_NAME_OTHER_FORM: N_("same name written differently (accents, case, word order or spacing)"),
    MatchReason.PART_OF_NAME: N_("every word of the shorter name appears in the other"),
    MatchReason.SIMILAR_SPELLING: N_("similar spelling"),
}


@dataclass(frozen=True, repr=False)
class KnownPerson(SafeRepr):
    """A name already in the vault, and whose record it comes from."""

    _repr_fields = ("kind", "client_ref", "matter_ref")

    name: str
    kind: PersonKind
    client_ref: str
    matter_ref: str | None = None  # set for adverse parties


@dataclass(frozen=True)
class ConflictMatch:
    person: KnownPerson
    score: float  # 0..1, 1 = same name
    reason: MatchReason

    def whose(self) -> str:
        """Whose name it is: "client c-reyes", "adverse party in a matter m-7 (client c-3)"."""
        person = self.person
        if person.kind is PersonKind.ADVERSE_PARTY:
            return _("{kind} {matter} (client {client})").format(kind=person.kind.label, matter=person.matter_ref,
                                                                client=person.client_ref)
        return _("{kind} {client}").format(kind=person.kind.label, client=person.client_ref)


def normalise_name(name: str) -> str:
    """Fold accents (NFKD), case and punctuation: "García-López, María" -> "garcia lopez maria"."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = unicodedata.normalize("NFC", stripped.casefold().translate(_LETTERS))
    return " ".join("".join(ch if ch.isalnum() else " " for ch in folded).split())


def name_tokens(name: str) -> tuple[str, ...]:
    """The words of a name for comparison, without particles such as "de la"."""
    tokens = tuple(normalise_name(name).split())
    kept = tuple(t for t in tokens if t not in _PARTICLES)
    return kept or tokens


def jaro_winkler(a: str, b: str) -> float:
    """Jaro-Winkler similarity (0..1): forgiving of typos and transpositions, and
    of differences late in a word more than early ones, as names mostly differ."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    window = max(max(len(a), len(b)) // 2 - 1, 0)
    a_hit = [False] * len(a)
    b_hit = [False] * len(b)
    matches = 0
    for i, ch in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not b_hit[j] and b[j] == ch:
                a_hit[i] = b_hit[j] = True
                matches += 1
                break
    if not matches:
        return 0.0
    a_seq = [ch for ch, hit in zip(a, a_hit, strict=True) if hit]
    b_seq = [ch for ch, hit in zip(b, b_hit, strict=True) if hit]
    transpositions = sum(x != y for x, y in zip(a_seq, b_seq, strict=True)) / 2
    jaro = (matches / len(a) + matches / len(b) + (matches - transpositions) / matches) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)


def edit_distance(a: str, b: str, limit: int | None = None) -> int:
    """Optimal-string-alignment distance: insertions, deletions, substitutions and
    swaps of neighbours ("Mejia"/"Meija") each count as one edit. With `limit`, stops
    early and returns limit + 1 as soon as the distance must exceed it."""
    if limit is not None and abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if limit is not None and min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[len(b)]


def _allowed_typos(a: str, b: str) -> int:
    """Short words must match exactly ("Li" is not "Lu"); long words may hold two typos."""
    longest = max(len(a), len(b))
    return 0 if longest <= 3 else 1 if longest < 10 else 2


def _token_similarity(a: str, b: str) -> float:
    """Jaro-Winkler, but only for words within a typo or two of each other: JW alone
    rates a different name that shares a prefix ("Martin"/"Martinez") as close."""
    if a == b:
        return 1.0
    if len(a) == 1 or len(b) == 1:  # an initial: "M." for "Maria"
        return 0.9 if a[0] == b[0] else 0.0
    allowed = _allowed_typos(a, b)
    # Each edit changes the set of letters by at most two: a cheap test first.
    if len(set(a) ^ set(b)) > 2 * allowed or edit_distance(a, b, allowed) > allowed:
        return 0.0
    return jaro_winkler(a, b)


Similarity = Callable[[str, str], float]


def _align(short: Sequence[str], long: Sequence[str], similarity: Similarity) -> list[tuple[str, str, float]]:
    """Pair each word of `short` with a distinct word of `long`, best pairs first."""
    candidates = sorted(
        ((similarity(s, t), i, j) for i, s in enumerate(short) for j, t in enumerate(long)),
        reverse=True,
    )
    used_s: set[int] = set()
    used_l: set[int] = set()
    pairs: list[tuple[str, str, float]] = []
    for score, i, j in candidates:
        if i not in used_s and j not in used_l:
            used_s.add(i)
            used_l.add(j)
            pairs.append((short[i], long[j], score))
    return pairs


def name_similarity(a: str, b: str) -> tuple[float, MatchReason] | None:
    """How alike two names are, and why; None when they have nothing in common."""
    return _compare(a, name_tokens(a), b, name_tokens(b), _token_similarity)


def _compare(
    a: str, ta: tuple[str, ...], b: str, tb: tuple[str, ...], similarity: Similarity
) -> tuple[float, MatchReason] | None:
    if not ta or not tb:
        return None
    if sorted(ta) == sorted(tb):
        same = unicodedata.normalize("NFC", a).strip().casefold() == unicodedata.normalize("NFC", b).strip().casefold()
        return 1.0, MatchReason.SAME_NAME if same else MatchReason.SAME_NAME_OTHER_FORM
    if "".join(ta) == "".join(tb):  # "Garcialopez", or a Chinese name with or without a space
        return 0.98, MatchReason.SAME_NAME_OTHER_FORM
    short, long = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    pairs = _align(short, long, similarity)
    weights = [max(len(x), len(y)) for x, y, _s in pairs]
    mean = sum(s * w for (_x, _y, s), w in zip(pairs, weights, strict=True)) / sum(weights)
    lowest = min(s for _x, _y, s in pairs)
    if len(short) == len(long):
        if lowest >= _TOKEN_FLOOR:
            return mean, MatchReason.SIMILAR_SPELLING
        return None
    if len(short) >= 2 and lowest >= DEFAULT_THRESHOLD:
        return mean * _PARTIAL_FACTOR, MatchReason.PART_OF_NAME
    return None


def find_conflicts(
    name: str,
    people: Iterable[KnownPerson],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = 25,
) -> list[ConflictMatch]:
    """Likely matches for `name` among `people`, best first (at most `limit`).

    Word comparisons are cached for this call only: names are not kept in memory
    after the check (the vault may be locked next)."""
    query = name_tokens(name)
    cache: dict[tuple[str, str], float] = {}

    def similarity(x: str, y: str) -> float:
        if (x, y) not in cache:
            cache[(x, y)] = _token_similarity(x, y)
        return cache[(x, y)]

    found: list[ConflictMatch] = []
    for person in people:
        result = _compare(name, query, person.name, name_tokens(person.name), similarity)
        if result and result[0] >= threshold:
            found.append(ConflictMatch(person, round(result[0], 3), result[1]))
    found.sort(key=lambda m: (-m.score, normalise_name(m.person.name), m.person.client_ref))
    return found[:limit]


def people_from_records(clients: Iterable[Client], matters: Iterable[Matter]) -> list[KnownPerson]:
    """Every name the check compares against: clients, their aliases and relatives,
    and the adverse parties of every matter."""
    people: list[KnownPerson] = []
    for client in clients:
        people.append(KnownPerson(client.legal_name, PersonKind.CLIENT, client.ref))
        people.extend(KnownPerson(alias, PersonKind.ALIAS, client.ref) for alias in client.aliases)
        people.extend(KnownPerson(rel.name, PersonKind.RELATIVE, client.ref) for rel in client.relatives)
    for matter in matters:
        people.extend(
            KnownPerson(party.name, PersonKind.ADVERSE_PARTY, matter.client_ref, matter.ref)
            for party in matter.adverse_parties
        )
    return people
