"""`clinic-app`: argument parsing, dispatch and the one place errors become exit codes."""

from __future__ import annotations

import argparse
import sys
import traceback
from typing import Any

from clinic_app import __version__
from clinic_app.cli import (
    cmd_about,
    cmd_attach,
    cmd_backup,
    cmd_bundle_settings,
    cmd_case,
    cmd_conflicts,
    cmd_correspondence,
    cmd_deadline_rules,
    cmd_demo,
    cmd_documents,
    cmd_import_files,
    cmd_letters,
    cmd_packages,
    cmd_records,
    cmd_serve,
    cmd_sync,
    cmd_users,
    cmd_vault,
)
from clinic_app.cli.context import CliContext
from clinic_app.cli.secrets_input import SecretSource
from clinic_app.errors import ExitCode, HavenError
from clinic_app.i18n import _

EPILOG = _(
    "Exit codes: 0 success; 1 the command ran but reported a problem; 2 usage error; "
    "3 wrong passphrase, unknown user or vault in use; 4 bad input; 5 damaged vault; "
    "6 your role does not allow it; 70 internal error."
)


class _Parser(argparse.ArgumentParser):
    """`dashed_value`: what to tell a user whose argument begins with "-" (argparse reads
    `search -cruz` as an unknown option), with {command}: the command written with "--"."""

    def __init__(self, *args: Any, dashed_value: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._dashed_value = dashed_value
        self._given: list[str] = []

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        self._given = list(sys.argv[1:] if args is None else args)
        return super().parse_known_args(args, namespace)

    def error(self, message: str) -> None:  # argparse's own exit code is 2 too; keep it explicit
        self.print_usage(sys.stderr)
        print("{prog}: {error}: {message}".format(prog=self.prog, error=_("error"), message=message),
              file=sys.stderr)
        dashed = self._unknown_dashed()
        if self._dashed_value and dashed:
            print(self._dashed_value.format(command=f"{self.prog} -- {dashed}"), file=sys.stderr)
        raise SystemExit(ExitCode.USAGE)

    def _unknown_dashed(self) -> str | None:
        """The first argument before any "--" that begins with "-" and is none of the options."""
        given = self._given[:self._given.index("--")] if "--" in self._given else self._given
        options = [o for o in self._option_string_actions if o.startswith("--")]
        for arg in given:
            name = arg.split("=", 1)[0]
            if arg.startswith("-") and arg != "-" and name not in self._option_string_actions and \
                    not (name.startswith("--") and any(o.startswith(name) for o in options)):
                return arg
        return None


def _common() -> argparse.ArgumentParser:
    """Global options, accepted before or after the command name."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--vault", metavar="DIR", default=argparse.SUPPRESS,
                        help=_("the vault folder (default: Haven's folder in your user data)"))
    common.add_argument("--user", metavar="NAME", default=argparse.SUPPRESS, help=_("your user name"))
    common.add_argument("--passphrase-stdin", action="store_true", default=argparse.SUPPRESS,
                        help=_("read passphrases from standard input, one per line"))
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help=_("show internal details of unexpected errors"))
    common.add_argument("--accept-older-copy", action="store_true", default=argparse.SUPPRESS,
                        help=_("open the vault even though it is older than the copy this computer last "
                               "opened (only after restoring it on purpose)"))
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = _Parser(prog="clinic-app", parents=[common], epilog=EPILOG,
                     description=_("Haven: encrypted case and evidence vault for legal clinics."))
    parser.add_argument("--version", action="version", version=f"Haven {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    cmd_vault.register(sub, common)
    cmd_backup.register(sub, common)  # after cmd_vault: it extends `check` with --backups
    cmd_users.register(sub, common)
    cmd_records.register(sub, common)
    cmd_case.register(sub, common)
    cmd_import_files.register(sub, common)
    cmd_packages.register(sub, common)
    cmd_deadline_rules.register(sub, common)
    cmd_attach.register(sub, common)
    cmd_documents.register(sub, common)
    cmd_serve.register(sub, common)
    cmd_bundle_settings.register(sub, common)
    cmd_sync.register(sub, common)
    cmd_demo.register(sub, common)
    cmd_conflicts.register(sub, common)
    cmd_letters.register(sub, common)
    cmd_correspondence.register(sub, common)
    cmd_about.register(sub, common)
    return parser


def run(argv: list[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    for name, default in (("vault", None), ("user", None), ("passphrase_stdin", False), ("debug", False),
                          ("accept_older_copy", False)):
        if not hasattr(args, name):
            setattr(args, name, default)
    if not getattr(args, "func", None):
        parser.print_help()
        return ExitCode.USAGE
    ctx = CliContext(args, SecretSource(args.passphrase_stdin))
    try:
        return int(args.func(ctx))
    except HavenError as exc:
        print(f"clinic-app: {exc}", file=sys.stderr)
        return int(exc.exit_code)
    except BrokenPipeError:  # output piped into `head` and the like: not an error
        return ExitCode.OK
    except KeyboardInterrupt:
        print(_("Interrupted. Nothing was changed."), file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence, never a raw traceback
        from clinic_app.vault.errors import storage_error

        mapped = storage_error(exc, str(ctx.folder))
        if mapped is not None:
            print(f"clinic-app: {mapped}", file=sys.stderr)
            return int(mapped.exit_code)
        if args.debug:
            traceback.print_exc()
        print(
            _("Internal error ({kind}). No details were written anywhere; "
              "run again with --debug to see them.").format(kind=type(exc).__name__),
            file=sys.stderr,
        )
        return ExitCode.INTERNAL
