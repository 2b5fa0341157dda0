"""Reading passphrases: one line of stdin each with --passphrase-stdin, else a TTY prompt.

Secrets are never taken from the command line (they would show in `ps` and shell
history) and never echoed.
"""

from __future__ import annotations

import getpass
import sys

from clinic_app.errors import UsageError
from clinic_app.i18n import _


class SecretSource:
    def __init__(self, from_stdin: bool) -> None:
        self.from_stdin = from_stdin

    def read(self, prompt: str, *, confirm: bool = False) -> str:
        if self.from_stdin:
            line = sys.stdin.readline()
            if not line:
                raise UsageError(
                    _("Expected another line on standard input for: {what}").format(what=prompt)
                )
            return line.rstrip("\r\n")
        if not sys.stdin.isatty():
            raise UsageError(
                _("There is no terminal to ask for the passphrase: pass it with --passphrase-stdin.")
            )
        first = getpass.getpass(prompt + ": ")
        if confirm and getpass.getpass(_("Type it again") + ": ") != first:
            raise UsageError(_("The two entries do not match. Nothing was changed."))
        return first
