"""The printed recovery key: 160 random bits as eight groups of four base32 letters.

Base32 avoids 0/O and 1/I confusion when a key is typed back from paper; the
parser forgives case, spaces, dashes, full-width forms and those look-alike digits anyway.
"""

from __future__ import annotations

import base64
import secrets
import unicodedata

from clinic_app.errors import WrongRecoveryKey

_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


def generate() -> str:
    raw = base64.b32encode(secrets.token_bytes(20)).decode("ascii")  # 32 characters
    return "-".join(raw[i : i + 4] for i in range(0, 32, 4))


def normalise(text: str) -> str:
    """Canonical form of a typed recovery key, or WrongRecoveryKey if it cannot be one."""
    # NFKC: an input method left in full-width types ＡＢＣＤ－２３４５ for ABCD-2345
    compact = "".join(ch for ch in unicodedata.normalize("NFKC", text).upper() if ch.isalnum()).translate(
        _LOOKALIKES)
    if len(compact) != 32:
        raise WrongRecoveryKey()
    try:
        base64.b32decode(compact)
    except ValueError:
        raise WrongRecoveryKey() from None
    return "-".join(compact[i : i + 4] for i in range(0, 32, 4))
