"""Failed unlock attempts, remembered outside the vault until the next unlock.

A wrong passphrase must leave every vault file byte-identical, yet failed attempts
must reach the audit log. So each attempt is appended to a small file in Haven's
state folder (time and, only if it names a real user, the login name: a mistyped
name might be a passphrase), and moved into the audit log by the next unlock.
"""

from __future__ import annotations

import contextlib
import json
import os
from datetime import datetime
from pathlib import Path

from clinic_app.i18n import _, ngettext
from clinic_app.paths import state_dir
from clinic_app.vault.audit import now_utc

UNKNOWN_USER = "(unknown user)"


def _path(vault_id: str) -> Path:
    return state_dir() / "failed-unlocks" / f"{vault_id}.jsonl"


def record(vault_id: str, user: str | None) -> None:
    path = _path(vault_id)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    line = json.dumps({"at": now_utc(), "user": user or UNKNOWN_USER}) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def pending(vault_id: str) -> list[dict[str, str]]:
    path = _path(vault_id)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    found = []
    for line in lines:
        with contextlib.suppress(ValueError):
            item = json.loads(line)
            if isinstance(item, dict):
                found.append({"at": str(item.get("at", "")), "user": str(item.get("user", ""))})
    return found


def clear(vault_id: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        _path(vault_id).unlink()


def summary(attempts: list[dict[str, str]] | tuple[dict[str, str], ...]) -> str:
    """What the next person to unlock is told: how many attempts failed, when (local time)
    and as which user; "" when none did. Shown, not logged."""
    if not attempts:
        return ""
    shown = []
    for attempt in attempts[-MAX_SHOWN:]:
        when = _local_time(attempt.get("at", ""))
        user = attempt.get("user", "")
        if user in ("", UNKNOWN_USER):  # one sentence each: "as" reads differently before a name
            shown.append(_("{when} with an unknown user name").format(when=when))
        else:
            shown.append(_("{when} as {user}").format(when=when, user=user))
    more = len(attempts) - len(shown)
    text = ngettext("{count} failed unlock attempt since the vault was last opened: {attempts}.",
                    "{count} failed unlock attempts since the vault was last opened: {attempts}.",
                    len(attempts)).format(count=len(attempts), attempts="; ".join(shown))
    if more:
        text += " " + ngettext("({count} earlier attempt not listed.)", "({count} earlier attempts not listed.)",
                               more).format(count=more)
    return text + " " + _("If this was not you or a colleague, tell your administrator.")


MAX_SHOWN = 5


def _local_time(at: str) -> str:
    try:
        return datetime.fromisoformat(at).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return at
