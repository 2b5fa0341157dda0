"""Argon2id key derivation for key slots; parameters travel with each slot.

Defaults follow reliability.md: memory-hard (256 MiB), about 0.5-1 s on a laptop.
The "fast" profile exists only so the test suite can make hundreds of vaults;
`init --kdf-profile fast` warns that it is for tests.
"""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass

from argon2.low_level import Type, hash_secret_raw

from clinic_app.errors import VaultDamaged


@dataclass(frozen=True)
class KdfParams:
    memory_kib: int = 256 * 1024
    iterations: int = 3
    parallelism: int = 2
    algorithm: str = "argon2id"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> KdfParams:
        try:
            params = cls(
                memory_kib=int(data["memory_kib"]),  # type: ignore[arg-type]
                iterations=int(data["iterations"]),  # type: ignore[arg-type]
                parallelism=int(data["parallelism"]),  # type: ignore[arg-type]
                algorithm=str(data.get("algorithm", "argon2id")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise VaultDamaged("key slot parameters") from exc
        if params.algorithm != "argon2id" or not (8 <= params.memory_kib <= 4 * 1024 * 1024):
            raise VaultDamaged("key slot parameters")
        if not (1 <= params.iterations <= 100 and 1 <= params.parallelism <= 64):
            raise VaultDamaged("key slot parameters")
        return params


PROFILES: dict[str, KdfParams] = {
    "standard": KdfParams(),
    "fast": KdfParams(memory_kib=8 * 1024, iterations=1, parallelism=1),
}


def normalise_secret(secret: str) -> bytes:
    """NFC-normalise so the same passphrase typed on macOS and Windows derives one key."""
    return unicodedata.normalize("NFC", secret).encode("utf-8")


def derive_key(secret: str, salt: bytes, params: KdfParams) -> bytes:
    return hash_secret_raw(
        normalise_secret(secret),
        salt,
        time_cost=params.iterations,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=32,
        type=Type.ID,
    )
