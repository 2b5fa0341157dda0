"""How strong a passphrase must be: 12+ characters or 4+ words, and hard to guess.

Strength is estimated with zxcvbn (MIT), which knows common passwords, keyboard
patterns and dictionary words; a score of 3 of 4 is required. The GUI shows the
same estimate as a meter.
"""

from __future__ import annotations

from dataclasses import dataclass


from clinic_app.errors import BadInput
from clinic_app.i18n import _

MIN_CHARS = 12
MIN_WORDS = 4
MIN_SCORE = 3


@dataclass(frozen=True)
class Strength:
    score: int  # 0..4
    problems: tuple[str, ...]

    @property
    def acceptable(self) -> bool:
        return not self.problems


def assess(passphrase: str, *, user_inputs: tuple[str, ...] = ()) -> Strength:
    problems: list[str] = []
    words = [w for w in passphrase.split() if w]
    if len(passphrase) < MIN_CHARS and len(words) < MIN_WORDS:
        problems.append(
            _("Use at least {chars} characters or {words} words.").format(chars=MIN_CHARS, words=MIN_WORDS)
        )
    from zxcvbn import zxcvbn  # loads its word lists (0.04 s) only when a passphrase is chosen

    score = int(zxcvbn(passphrase[:200], user_inputs=list(user_inputs))["score"]) if passphrase else 0
    if score < MIN_SCORE:
        problems.append(_("This passphrase is too easy to guess; add more unrelated words."))
    return Strength(score, tuple(problems))


def require_strong(passphrase: str, *, user_inputs: tuple[str, ...] = ()) -> None:
    strength = assess(passphrase, user_inputs=user_inputs)
    if not strength.acceptable:
        raise BadInput(" ".join(strength.problems))
