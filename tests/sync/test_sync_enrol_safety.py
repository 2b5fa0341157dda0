"""Invitations and joining, where they can go wrong: an invitation used twice (one after the other,
or two joins racing), a file that is not an invitation or is not there, a server address that is
not one.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import psycopg
import pytest

from clinic_app.domain.roles import Role
from clinic_app.errors import HavenError
from clinic_app.services import session as sessions
from clinic_app.services.sync import enrol, local, server
from clinic_app.services.sync.engine import SyncFailed
from clinic_app.vault import sync_state

from laptops import Laptop, admin_laptop
from support import ADMIN, ADMIN_PASS, PASSES, run_cli


def _invite(tmp_path: Path, server_url: str):  # type: ignore[no-untyped-def]
    admin = admin_laptop(tmp_path, server_url, users_to_add={"lena": Role.LAWYER})
    with admin.session() as s:
        made = enrol.invite(s, "lena", tmp_path / "lena.haveninvite")
    return admin, made


def test_an_invitation_opens_one_laptop_only(tmp_path: Path, server_url: str) -> None:
    _admin, made = _invite(tmp_path, server_url)
    invited_url = enrol._open_invitation(made.path, made.code)["url"]
    joined = enrol.join(tmp_path / "first", made.path, made.code, PASSES["lawyer"], kdf_profile="fast")
    assert not joined.first_sync_error, joined.first_sync_error
    device_url = local.settings(joined.session.vault.conn).url
    joined.session.lock()

    with pytest.raises(enrol.InvitationUsed) as refused:
        enrol.join(tmp_path / "second", made.path, made.code, PASSES["lawyer"], kdf_profile="fast")
    assert "already used" in str(refused.value) and "new invitation" in str(refused.value)
    assert not (tmp_path / "second").exists()
    # the login written in the file no longer opens anything: the first laptop changed its password
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(invited_url, connect_timeout=5).close()
    psycopg.connect(device_url, connect_timeout=5).close()

    again = run_cli("--vault", str(tmp_path / "third"), "--passphrase-stdin", "sync", "join", str(made.path),
                    "--kdf-profile", "fast", stdin=f"{made.code}\n{PASSES['lawyer']}\n", env={"HAVEN_GUI": "0"})
    assert again.returncode == 3, again.stdout + again.stderr
    assert "already used" in again.stderr and "Internal error" not in again.stderr
    assert not (tmp_path / "third").exists()


def test_a_server_set_up_before_claims_existed_still_takes_one_join_per_invitation(
        tmp_path: Path, server_url: str) -> None:
    """A clinic's server made by an earlier version has no haven.claims table: joins must go
    on working there, and the password change keeps the invitation to one laptop."""
    _admin, made = _invite(tmp_path, server_url)
    with psycopg.connect(server_url, autocommit=True) as owner:
        owner.execute("DROP TABLE haven.claims")
    joined = enrol.join(tmp_path / "first", made.path, made.code, PASSES["lawyer"], kdf_profile="fast")
    assert not joined.first_sync_error, joined.first_sync_error
    joined.session.lock()
    with pytest.raises(enrol.InvitationUsed):
        enrol.join(tmp_path / "second", made.path, made.code, PASSES["lawyer"], kdf_profile="fast")
    assert not (tmp_path / "second").exists()


def test_a_join_that_fails_before_its_vault_exists_leaves_the_invitation_unused(tmp_path: Path,
                                                                                   server_url: str) -> None:
    _admin, made = _invite(tmp_path, server_url)
    with pytest.raises(HavenError):
        enrol.join(tmp_path / "lena", made.path, made.code, "short", kdf_profile="fast")  # too weak a passphrase
    assert not (tmp_path / "lena").exists()
    joined = enrol.join(tmp_path / "lena", made.path, made.code, PASSES["lawyer"], kdf_profile="fast")
    assert not joined.first_sync_error, joined.first_sync_error
    joined.session.lock()


def _server_away(monkeypatch: pytest.MonkeyPatch) -> None:
    def away(url: str):  # type: ignore[no-untyped-def]
        raise server.ServerError("connection refused")

    monkeypatch.setattr(server, "connect", away)


def test_a_laptop_that_joined_offline_claims_its_invitation_at_its_first_sync(tmp_path: Path, server_url: str,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    admin, made = _invite(tmp_path, server_url)
    invited_url = enrol._open_invitation(made.path, made.code)["url"]
    with monkeypatch.context() as m:
        _server_away(m)
        offline = enrol.join(tmp_path / "offline", made.path, made.code, PASSES["lawyer"], kdf_profile="fast")
    assert offline.first_sync_error
    offline.session.lock()
    lena = Laptop(tmp_path / "offline", "lena", PASSES["lawyer"])
    lena.sync()  # claims the login, changes its password, then syncs as usual
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(invited_url, connect_timeout=5).close()
    with pytest.raises(enrol.InvitationUsed):
        enrol.join(tmp_path / "second", made.path, made.code, PASSES["lawyer"], kdf_profile="fast")

    # the other order: joined offline, then the same invitation used online elsewhere first
    with admin.session() as s:
        again = enrol.invite(s, "lena", tmp_path / "again.haveninvite")
    with monkeypatch.context() as m:
        _server_away(m)
        late = enrol.join(tmp_path / "late", again.path, again.code, PASSES["lawyer"], kdf_profile="fast")
    late.session.lock()
    enrol.join(tmp_path / "early", again.path, again.code, PASSES["lawyer"], kdf_profile="fast").session.lock()
    with pytest.raises(SyncFailed, match="already used"):
        Laptop(tmp_path / "late", "lena", PASSES["lawyer"]).sync()


def test_a_claim_whose_local_save_failed_is_finished_by_the_next_sync(tmp_path: Path, server_url: str,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The server committed the claim (new password) but the laptop stopped before saving it:
    the pending password, kept in the vault before the claim, opens the login at the next sync."""
    _admin, made = _invite(tmp_path, server_url)
    invited_url = enrol._open_invitation(made.path, made.code)["url"]
    with monkeypatch.context() as m:
        m.setattr(enrol, "_claimed", lambda *a: (_ for _ in ()).throw(OSError("disk gone")))
        with pytest.raises(OSError):
            enrol.join(tmp_path / "lena", made.path, made.code, PASSES["lawyer"], kdf_profile="fast")
    lena = Laptop(tmp_path / "lena", "lena", PASSES["lawyer"])
    lena.sync()
    with lena.session() as s:
        assert local.settings(s.vault.conn).url != invited_url
        assert not sync_state.get(s.vault.conn, enrol.CLAIM_PENDING)


def test_two_joins_racing_with_one_invitation_one_wins(tmp_path: Path, server_url: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The first join holds its claim open (its vault being made) while the second reaches the
    server with the same login: the second waits for the first and is then refused."""
    _admin, made = _invite(tmp_path, server_url)
    claimed, go = threading.Event(), threading.Event()
    real_create = sessions.create_vault

    def slow_create(*args, **kwargs):  # type: ignore[no-untyped-def]
        claimed.set()
        assert go.wait(60)
        return real_create(*args, **kwargs)

    monkeypatch.setattr(sessions, "create_vault", slow_create)
    outcome: dict[str, object] = {}

    def join(name: str) -> None:
        try:
            joined = enrol.join(tmp_path / name, made.path, made.code, PASSES["lawyer"], kdf_profile="fast")
            joined.session.lock()
            outcome[name] = "joined"
        except Exception as exc:  # noqa: BLE001 - the test reports it
            outcome[name] = exc

    first = threading.Thread(target=join, args=("first",))
    first.start()
    assert claimed.wait(60)
    second = threading.Thread(target=join, args=("second",))
    second.start()
    time.sleep(1.5)  # the second join now waits on the first one's claim
    assert "second" not in outcome
    go.set()
    first.join(120)
    second.join(120)
    assert outcome["first"] == "joined"
    assert isinstance(outcome["second"], enrol.InvitationUsed), outcome["second"]
    assert not (tmp_path / "second").exists()


def _join_cli(tmp_path: Path, invitation: Path) -> tuple[int, str]:
    done = run_cli("--vault", str(tmp_path / "lena"), "--passphrase-stdin", "sync", "join", str(invitation),
                   "--kdf-profile", "fast", stdin=f"AAAA-BBBB\n{PASSES['lawyer']}\n{PASSES['lawyer']}\n",
                   env={"HAVEN_GUI": "0"})
    return done.returncode, done.stdout + done.stderr


@pytest.mark.parametrize("text", ['{"header": 1, "body": ""}', '[1, 2]', '{}', '"haven-invitation"',
                                  '{"header": {"format": "haven-invitation", "version": 1}, "body": 7}',
                                  '{"header": {"format": "haven-invitation", "version": 1, "salt": [], '
                                  '"nonce": "", "body": ""}}'])
def test_a_file_that_is_not_an_invitation_is_named(tmp_path: Path, text: str) -> None:
    bad = tmp_path / "bad.haveninvite"
    bad.write_text(text)
    code, out = _join_cli(tmp_path, bad)
    assert code == 4 and "bad.haveninvite is not a Haven invitation" in out, out
    assert not (tmp_path / "lena").exists()


def test_a_missing_invitation_file_is_named_as_missing(tmp_path: Path) -> None:
    code, out = _join_cli(tmp_path, tmp_path / "nowhere.haveninvite")
    assert code == 4 and "does not exist" in out and "not a Haven invitation" not in out, out
    assert str(tmp_path / "nowhere.haveninvite") in out


@pytest.mark.parametrize("address", ["db.clinic.example", "host=db.clinic.example dbname=haven",
                                     "https://db.clinic.example/haven", "postgresql://db.clinic.example:port/x"])
def test_a_server_address_that_is_not_one_is_refused_before_connecting(tmp_path: Path, address: str) -> None:
    vault = tmp_path / "v"
    made = run_cli("--vault", str(vault), "--user", ADMIN, "--passphrase-stdin", "init", "--kdf-profile", "fast",
                   stdin=ADMIN_PASS + "\n")
    assert made.returncode == 0, made.stderr
    done = run_cli("--vault", str(vault), "--user", ADMIN, "--passphrase-stdin", "sync", "setup", "--server", address,
                   stdin=ADMIN_PASS + "\n", env={"HAVEN_GUI": "0"})
    out = done.stdout + done.stderr
    assert done.returncode == 4, out
    assert "not a valid server address" in out and "postgresql://" in out and "did not answer" not in out, out
    status = run_cli("--vault", str(vault), "--user", ADMIN, "--passphrase-stdin", "sync", "status", "--json",
                     stdin=ADMIN_PASS + "\n", env={"HAVEN_GUI": "0"})
    assert json.loads(status.stdout)["connected"] is False


def test_a_refused_login_is_explained_before_a_round(tmp_path: Path, server_url: str) -> None:
    """The window checks the login before a round; a refused one showed the server's own words
    ("password authentication failed for user …"), which tell a person nothing."""
    from clinic_app.services.sync import connection, server
    from clinic_app.services.sync.engine import SyncFailed

    _admin, made = _invite(tmp_path, server_url)
    joined = enrol.join(tmp_path / "first", made.path, made.code, PASSES["lawyer"], kdf_profile="fast")
    settings = local.settings(joined.session.vault.conn)
    joined.session.lock()
    connection.check(settings.url)  # its own login works
    with pytest.raises(SyncFailed) as refused:
        connection.check(server.device_url(settings.url, settings.device_id, "not-its-password"))
    assert "refused this laptop's login" in str(refused.value) and "password authentication" not in str(refused.value)
