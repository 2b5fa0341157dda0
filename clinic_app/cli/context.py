"""What every command gets: parsed arguments, the vault folder, and a way to unlock."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from clinic_app.errors import UsageError
from clinic_app.i18n import _
from clinic_app.paths import default_vault_dir
from clinic_app.services import failed_unlocks
from clinic_app.services import session as sessions
from clinic_app.services.location_guard import guard_vault_folder
from clinic_app.services.session import Session
from clinic_app.cli.secrets_input import SecretSource


@dataclass
class CliContext:
    args: argparse.Namespace
    secrets: SecretSource

    @property
    def folder(self) -> Path:
        chosen = getattr(self.args, "vault", None)
        return Path(chosen).expanduser() if chosen else default_vault_dir()

    def user_name(self) -> str:
        name = getattr(self.args, "user", None) or os.environ.get("HAVEN_USER")
        if name:
            return str(name)
        known = sessions.users_of(self.folder)
        if len(known) == 1:
            return known[0]
        raise UsageError(_("This vault has several users: say which one you are with --user NAME."))

    def read_passphrase(self) -> str:
        return self.secrets.read(_("Passphrase for {user}").format(user=self.user_name()))

    def unlock(self, passphrase: str | None = None) -> Session:
        user = self.user_name()
        if passphrase is None:
            passphrase = self.read_passphrase()
        session = sessions.unlock(self.folder, user=user, passphrase=passphrase,
                                  accept_older=bool(getattr(self.args, "accept_older_copy", False)))
        for warning in guard_vault_folder(self.folder):  # e.g. a cloud-synced folder
            print(f"clinic-app: {warning}", file=sys.stderr)
        if session.failed_attempts:  # the window shows the same on its home page
            print(f"clinic-app: {failed_unlocks.summary(session.failed_attempts)}", file=sys.stderr)
        return session
