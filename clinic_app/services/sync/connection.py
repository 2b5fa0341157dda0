"""Reaching the clinic's server without holding the vault, and plain messages when it cannot be reached.

A window syncs in the background on the thread that owns the vault, so a server that
does not answer (a hotel network that drops packets) would hold that thread, and every
save queued behind it, for the whole connection timeout. `check` tries the server first
with nothing but this laptop's own address, on any thread; only when it answers does the
round itself start. `server_errors` turns the driver's failures during setup or an
invitation into a message a person can act on, instead of an internal error.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from clinic_app.errors import HavenError
from clinic_app.i18n import _
from clinic_app.services.session import Session
from clinic_app.services.sync import local

# `server` and `engine` load the PostgreSQL driver (a few hundred ms): imported only when a
# vault is connected, so opening a vault that is not costs the window nothing.


class ServerUnreachable(HavenError):
    """The server did not answer, or refused the login or a statement, during setup or an invitation."""

    def __init__(self, detail: str) -> None:
        super().__init__(_("The clinic's server did not answer or refused the connection: {detail}.").format(
            detail=detail))


@contextmanager
def server_errors() -> Iterator[None]:
    """Inside: a failure of the connection raises ServerUnreachable (a HavenError)."""
    from clinic_app.services.sync import server

    try:
        yield
    except server.ServerError as exc:
        raise ServerUnreachable(str(exc)) from exc


def connected(session: Session) -> bool:
    """Whether `setup` or `join` connected this vault (cheap: no driver loaded)."""
    return local.is_connected(session.vault.conn)


def address(session: Session) -> str:
    """This laptop's connection URL, its own login and password in it: keep it in memory only,
    never show or log it (`status.server_name` gives what a person may see)."""
    return local.settings(session.vault.conn).url


def check(url: str) -> None:
    """Log in to the server and ask it one trivial question; raises SyncFailed (the same
    message a failed round gives) when it cannot. Touches no vault: safe on any thread."""
    from clinic_app.services.sync import server
    from clinic_app.services.sync.engine import SyncFailed

    try:
        with server.connect(url) as pg:
            pg.execute("SELECT 1").fetchone()
            pg.rollback()
    except server.LoginRefused as exc:  # the server's own words ("password authentication failed…") say less
        raise SyncFailed(_("the server refused this laptop's login: an admin may have removed this laptop, or "
                           "the invitation it joined with was used on another laptop")) from exc
    except server.ServerError as exc:
        raise SyncFailed(str(exc)) from exc
