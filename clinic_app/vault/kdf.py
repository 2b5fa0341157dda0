"""Argon2id key derivation for key slots, backups and case files; parameters travel with them.

Defaults follow reliability.md: memory-hard (256 MiB), about 0.5-1 s on a laptop.

Parameters are read from files anyone with write access to the vault folder can
edit, before anything is authenticated, so they are bounded both ways:

- a **ceiling** on what is ever run (memory, passes, lanes and memory x passes):
  a header asking for 4 GiB x 100 passes is refused before any work is done;
- a **floor** on what is ever used to seal: parameters below it (an edited default,
  an old file) are replaced by the standard profile when Haven seals a new secret.

Types are strict: a JSON `true` is not the number 1. The "fast" profile exists only
so the test suite can make hundreds of vaults; it is refused unless the process was
started with HAVEN_TEST_WEAK_KDF=1 (an attacker who can set a user's environment
controls their programs anyway).
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import asdict, dataclass

from argon2.low_level import Type, hash_secret_raw

from clinic_app.errors import BadInput, VaultDamaged
from clinic_app.i18n import _

WEAK_ENV = "HAVEN_TEST_WEAK_KDF"

MIN_MEMORY_KIB = 8 * 1024  # the weakest parameters any Haven ever wrote (the test profile)
MAX_MEMORY_KIB = 1024 * 1024  # 1 GiB: four times the default
MAX_ITERATIONS = 10
MAX_PARALLELISM = 8
MAX_WORK_KIB = 3 * 1024 * 1024  # memory x passes: four times the default, a few seconds on a laptop


@dataclass(frozen=True)
class KdfParams:
    memory_kib: int = 256 * 1024
    iterations: int = 3
    parallelism: int = 2
    algorithm: str = "argon2id"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: object) -> KdfParams:
        """Strictly typed and within the ceiling, or VaultDamaged (callers name their file)."""
        if not isinstance(data, dict):
            raise VaultDamaged("key derivation parameters")
        values = {}
        for name in ("memory_kib", "iterations", "parallelism"):
            value = data.get(name)
            if type(value) is not int:  # noqa: E721 - bool is a subclass of int and must not pass
                raise VaultDamaged("key derivation parameters")
            values[name] = value
        algorithm = data.get("algorithm", "argon2id")
        params = cls(algorithm=algorithm if isinstance(algorithm, str) else "", **values)
        if not within_ceiling(params):
            raise VaultDamaged("key derivation parameters")
        return params


FLOOR = KdfParams(memory_kib=64 * 1024, iterations=2, parallelism=1)

PROFILES: dict[str, KdfParams] = {
    "standard": KdfParams(),
    "fast": KdfParams(memory_kib=8 * 1024, iterations=1, parallelism=1),
}


def within_ceiling(params: KdfParams) -> bool:
    """Whether Haven may run these parameters at all (checked before any work)."""
    return (
        params.algorithm == "argon2id"
        and MIN_MEMORY_KIB <= params.memory_kib <= MAX_MEMORY_KIB
        and 1 <= params.iterations <= MAX_ITERATIONS
        and 1 <= params.parallelism <= MAX_PARALLELISM
        and params.memory_kib * params.iterations <= MAX_WORK_KIB
    )


def weak_allowed() -> bool:
    return os.environ.get(WEAK_ENV) == "1"


def meets_floor(params: KdfParams) -> bool:
    return params.memory_kib >= FLOOR.memory_kib and params.iterations >= FLOOR.iterations


def for_sealing(params: KdfParams) -> KdfParams:
    """The parameters to seal a new secret with: `params`, or the standard profile when they
    are below the floor (never weaker, whatever a file says)."""
    if within_ceiling(params) and (meets_floor(params) or weak_allowed()):
        return params
    return PROFILES["standard"]


def profile(name: str) -> KdfParams:
    """A named profile; "fast" only in Haven's own test runs."""
    if name not in PROFILES:
        raise BadInput(_("Unknown key-derivation profile {name}.").format(name=name))
    if not meets_floor(PROFILES[name]) and not weak_allowed():
        raise BadInput(_("The {name} key-derivation profile is only for Haven's own tests.").format(name=name))
    return PROFILES[name]


def normalise_secret(secret: str) -> bytes:
    """NFC-normalise so the same passphrase typed on macOS and Windows derives one key."""
    return unicodedata.normalize("NFC", secret).encode("utf-8")


def derive_key(secret: str, salt: bytes, params: KdfParams) -> bytes:
    if not within_ceiling(params):  # every caller parsed them already; this is the last guard
        raise VaultDamaged("key derivation parameters")
    return hash_secret_raw(
        normalise_secret(secret),
        salt,
        time_cost=params.iterations,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=32,
        type=Type.ID,
    )
