"""The clinic's PostgreSQL server, as Haven uses it: a blind relay with row-level security.

Everything stored is ciphertext (records, chunks, audit rows, key grants) or signed
(membership). The server sees counts, sizes, timing, laptop ids and scopes; `docs/sync.md`
says so. One database login per laptop; row-level security limits each login to its
scopes, lets it insert and read audit rows but never change them, and lets only admin
laptops write membership, grants and logins. Passwords travel as SCRAM verifiers
computed on the laptop, never in clear. A joining laptop claims its login once (a row
keyed by its laptop id) and changes its password, so an invitation cannot be used twice.

Pushes are serialised by a transaction-scoped advisory lock taken before the sequence
number is drawn, so sequence numbers become visible in commit order and a pull of
"everything after N" can never skip a row that commits late (PostgreSQL sequences are
not transactional).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # psycopg loads on first use: most commands never reach the server (0.15 s a start)
    import psycopg

SCHEMA_VERSION = 1
PUSH_LOCK = 0x4861_7665_6E50  # "HavenP": one lock for every push of this clinic's database
serialise_pushes = True  # False only in the test that shows what goes wrong without the lock
CONNECT_TIMEOUT = 10


class ServerError(Exception):
    """The server refused, was unreachable, or went away (the message says which)."""


class LoginRefused(ServerError):
    """The server answered and was given the password, then refused the login (a wrong or changed
    password, a login cut off): told apart from a server that cannot be reached."""


class AlreadyClaimed(Exception):
    """This laptop's login was claimed already: its invitation was used."""


@dataclass(frozen=True)
class PulledRow:
    seq: int
    scope: str
    record_id: str
    version: int
    epoch: int
    author: str
    body: bytes


@dataclass(frozen=True)
class PushRow:
    scope: str
    record_id: str
    expected_version: int  # 0: the record must not exist yet
    epoch: int
    body: bytes


def login_name(device_id: str) -> str:
    return f"haven_{device_id}"


def device_url(setup_url: str, device_id: str, password: str) -> str:
    """The setup URL's host, port, database and TLS settings with this laptop's own login."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(setup_url)
    params.update(user=login_name(device_id), password=password)
    return make_conninfo("", **params)


def describe(url: str) -> str:
    """Host and database of a URL, for messages (never the password)."""
    from psycopg.conninfo import conninfo_to_dict

    params = conninfo_to_dict(url)
    return f"{params.get('host', 'localhost')}/{params.get('dbname', '')}"


def is_address(url: str) -> bool:
    """Whether `url` is a PostgreSQL connection URI libpq can read, checked before connecting so
    that a host name alone is not reported as a server that refused the connection."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    if not url.startswith(("postgresql://", "postgres://")):
        return False
    try:
        params = conninfo_to_dict(url)
    except psycopg.Error:
        return False
    ports = str(params.get("port") or "5432").split(",")
    return all(p.isdigit() and 0 < int(p) < 65536 for p in ports)


@contextmanager
def connect(url: str) -> Iterator[psycopg.Connection[Any]]:
    import psycopg

    try:
        conn = psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT, autocommit=False)
    except psycopg.Error as exc:
        failed = getattr(exc, "pgconn", None)
        if failed is not None and failed.used_password:
            raise LoginRefused(_short(exc)) from exc
        raise ServerError(_short(exc)) from exc
    try:
        yield conn
    except psycopg.Error as exc:
        raise ServerError(_short(exc)) from exc
    finally:
        conn.close()


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# --- schema ------------------------------------------------------------------------------------

_DDL = """
CREATE SCHEMA IF NOT EXISTS haven;
CREATE TABLE haven.clinic (
    id text PRIMARY KEY, schema_version int NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE haven.logins (
    login name PRIMARY KEY, device_id text UNIQUE NOT NULL, scopes text[] NOT NULL,
    is_admin boolean NOT NULL DEFAULT false, active boolean NOT NULL DEFAULT true);
CREATE TABLE haven.membership (seq bigint PRIMARY KEY, entry bytea NOT NULL);
CREATE TABLE haven.grants (
    device_id text NOT NULL, scope text NOT NULL, epoch int NOT NULL, sealed bytea NOT NULL,
    PRIMARY KEY (device_id, scope, epoch));
CREATE SEQUENCE haven.record_seq;
CREATE TABLE haven.records (
    scope text NOT NULL, record_id text NOT NULL, seq bigint NOT NULL, version bigint NOT NULL,
    epoch int NOT NULL, author text NOT NULL, body bytea NOT NULL, PRIMARY KEY (scope, record_id));
CREATE INDEX records_seq ON haven.records (seq);
CREATE TABLE haven.chunks (
    scope text NOT NULL, chunk_id text NOT NULL, body bytea NOT NULL, PRIMARY KEY (scope, chunk_id));
CREATE TABLE haven.audit (
    device_id text NOT NULL, chain int NOT NULL, seq bigint NOT NULL, scope text NOT NULL,
    prev_hash text NOT NULL, hash text NOT NULL, body bytea NOT NULL, PRIMARY KEY (device_id, chain, seq));
CREATE TABLE haven.claims (device_id text PRIMARY KEY, claimed_at timestamptz NOT NULL DEFAULT now());

CREATE FUNCTION haven.my_device() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = haven
    AS $$ SELECT device_id FROM haven.logins WHERE login = session_user AND active $$;
CREATE FUNCTION haven.my_scopes() RETURNS text[] LANGUAGE sql STABLE SECURITY DEFINER SET search_path = haven
    AS $$ SELECT coalesce((SELECT scopes FROM haven.logins WHERE login = session_user AND active), '{}') $$;
CREATE FUNCTION haven.am_admin() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = haven
    AS $$ SELECT coalesce((SELECT is_admin FROM haven.logins WHERE login = session_user AND active), false) $$;

ALTER TABLE haven.clinic ENABLE ROW LEVEL SECURITY;
ALTER TABLE haven.logins ENABLE ROW LEVEL SECURITY;
ALTER TABLE haven.membership ENABLE ROW LEVEL SECURITY;
ALTER TABLE haven.grants ENABLE ROW LEVEL SECURITY;
ALTER TABLE haven.records ENABLE ROW LEVEL SECURITY;
ALTER TABLE haven.chunks ENABLE ROW LEVEL SECURITY;
ALTER TABLE haven.audit ENABLE ROW LEVEL SECURITY;
ALTER TABLE haven.claims ENABLE ROW LEVEL SECURITY;

CREATE POLICY clinic_read ON haven.clinic FOR SELECT USING (haven.my_device() IS NOT NULL);
CREATE POLICY logins_read ON haven.logins FOR SELECT USING (login = session_user OR haven.am_admin());
CREATE POLICY logins_add ON haven.logins FOR INSERT WITH CHECK (haven.am_admin());
CREATE POLICY logins_change ON haven.logins FOR UPDATE USING (haven.am_admin()) WITH CHECK (haven.am_admin());
CREATE POLICY membership_read ON haven.membership FOR SELECT USING (haven.my_device() IS NOT NULL);
CREATE POLICY membership_add ON haven.membership FOR INSERT WITH CHECK (haven.am_admin());
CREATE POLICY grants_read ON haven.grants FOR SELECT USING (device_id = haven.my_device() OR haven.am_admin());
CREATE POLICY grants_add ON haven.grants FOR INSERT WITH CHECK (haven.am_admin());
CREATE POLICY records_read ON haven.records FOR SELECT USING (scope = ANY (haven.my_scopes()));
CREATE POLICY records_add ON haven.records FOR INSERT
    WITH CHECK (scope = ANY (haven.my_scopes()) AND author = haven.my_device());
CREATE POLICY records_change ON haven.records FOR UPDATE USING (scope = ANY (haven.my_scopes()))
    WITH CHECK (scope = ANY (haven.my_scopes()) AND author = haven.my_device());
CREATE POLICY chunks_read ON haven.chunks FOR SELECT USING (scope = ANY (haven.my_scopes()));
CREATE POLICY chunks_add ON haven.chunks FOR INSERT WITH CHECK (scope = ANY (haven.my_scopes()));
CREATE POLICY chunks_remove ON haven.chunks FOR DELETE USING (scope = ANY (haven.my_scopes()) AND 'all' = ANY (haven.my_scopes()));
CREATE POLICY audit_read ON haven.audit FOR SELECT USING (scope = ANY (haven.my_scopes()));
CREATE POLICY audit_add ON haven.audit FOR INSERT WITH CHECK (scope = ANY (haven.my_scopes()) AND device_id = haven.my_device());
CREATE POLICY claims_read ON haven.claims FOR SELECT USING (device_id = haven.my_device() OR haven.am_admin());
CREATE POLICY claims_add ON haven.claims FOR INSERT WITH CHECK (device_id = haven.my_device());
"""

_GRANTS = """
REVOKE ALL ON SCHEMA haven FROM PUBLIC;
GRANT USAGE ON SCHEMA haven TO {members};
GRANT SELECT ON haven.clinic TO {members};
GRANT SELECT, INSERT, UPDATE ON haven.logins TO {members};
GRANT SELECT, INSERT ON haven.membership, haven.grants, haven.audit, haven.claims TO {members};
GRANT SELECT, INSERT, UPDATE ON haven.records TO {members};
GRANT SELECT, INSERT, DELETE ON haven.chunks TO {members};
GRANT USAGE ON SEQUENCE haven.record_seq TO {members};
GRANT EXECUTE ON FUNCTION haven.my_device(), haven.my_scopes(), haven.am_admin() TO {members};
"""


def members_role(clinic_id: str) -> str:
    return f"haven_members_{clinic_id[:12]}"


def clinic_of(conn: psycopg.Connection[Any]) -> str | None:
    exists = conn.execute("SELECT to_regclass('haven.clinic')").fetchone()
    if not exists or exists[0] is None:
        return None
    row = conn.execute("SELECT id FROM haven.clinic").fetchone()
    return str(row[0]) if row else None


def install(conn: psycopg.Connection[Any], clinic_id: str) -> None:
    """Create the schema, its policies and the members' group role (the setup URL's login)."""
    from psycopg import sql

    conn.execute(_DDL)  # type: ignore[arg-type]
    group = members_role(clinic_id)
    conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(group)))
    conn.execute(_GRANTS.format(members=sql.Identifier(group).as_string(conn)))  # type: ignore[arg-type]
    conn.execute("INSERT INTO haven.clinic (id, schema_version) VALUES (%s, %s)", (clinic_id, SCHEMA_VERSION))
    # no commit: the caller creates the first login and entry and commits once (all or nothing)


def create_login(conn: psycopg.Connection[Any], clinic_id: str, device_id: str, scopes: list[str], *,
                 admin: bool) -> str:
    """A new database login for one laptop; returns its password (the server only sees a verifier)."""
    from psycopg import sql

    password = secrets.token_urlsafe(32)
    login = login_name(device_id)
    verifier = conn.pgconn.encrypt_password(password.encode(), login.encode(), b"scram-sha-256").decode()
    options = sql.SQL("LOGIN CREATEROLE") if admin else sql.SQL("LOGIN")
    conn.execute(sql.SQL("CREATE ROLE {} {} PASSWORD {} IN ROLE {}").format(
        sql.Identifier(login), options, sql.Literal(verifier), sql.Identifier(members_role(clinic_id))))
    if admin:
        conn.execute(sql.SQL("GRANT {} TO {} WITH ADMIN OPTION").format(
            sql.Identifier(members_role(clinic_id)), sql.Identifier(login)))
    conn.execute("INSERT INTO haven.logins (login, device_id, scopes, is_admin) VALUES (%s, %s, %s, %s)",
                 (login, device_id, scopes, admin))
    return password


def claim_login(conn: psycopg.Connection[Any], device_id: str, password: str) -> None:
    """Mark an invited laptop's login as used and give it `password`, which only this laptop
    knows. Raises AlreadyClaimed when it was claimed before.

    Called on that login, inside a transaction the caller commits once its vault exists: of
    two joins racing with one invitation, the second waits on the first one's row and is then
    refused, and after the commit the password in the invitation file opens nothing. The
    server learns only that this laptop joined, and when."""
    import psycopg
    from psycopg import sql

    conn.execute("SAVEPOINT haven_claim")  # inside the caller's transaction, which commits the claim
    try:
        conn.execute("INSERT INTO haven.claims (device_id) VALUES (%s)", (device_id,))
    except psycopg.errors.UniqueViolation as exc:
        conn.rollback()
        raise AlreadyClaimed(device_id) from exc
    except psycopg.errors.UndefinedTable:  # a server set up before claims existed: the new
        conn.execute("ROLLBACK TO SAVEPOINT haven_claim")  # password alone keeps the invitation to one laptop
    login = login_name(device_id)
    verifier = conn.pgconn.encrypt_password(password.encode(), login.encode(), b"scram-sha-256").decode()
    conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(login), sql.Literal(verifier)))


def disable_login(conn: psycopg.Connection[Any], device_id: str) -> None:
    """Cut one laptop off at once: no new sessions, running ones ended, no scope any more."""
    from psycopg import sql

    login = login_name(device_id)
    conn.execute("UPDATE haven.logins SET active = false, scopes = '{}' WHERE device_id = %s", (device_id,))
    conn.execute(sql.SQL("ALTER ROLE {} NOLOGIN").format(sql.Identifier(login)))
    conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (login,))


# --- membership and grants ---------------------------------------------------------------------


def append_entry(conn: psycopg.Connection[Any], seq: int, entry: bytes) -> None:
    conn.execute("INSERT INTO haven.membership (seq, entry) VALUES (%s, %s)", (seq, entry))


def entries(conn: psycopg.Connection[Any]) -> list[bytes]:
    return [bytes(r[0]) for r in conn.execute("SELECT entry FROM haven.membership ORDER BY seq")]


def put_grant(conn: psycopg.Connection[Any], device_id: str, scope: str, epoch: int, sealed: bytes) -> None:
    conn.execute("INSERT INTO haven.grants (device_id, scope, epoch, sealed) VALUES (%s, %s, %s, %s) "
                 "ON CONFLICT (device_id, scope, epoch) DO NOTHING", (device_id, scope, epoch, sealed))


def my_grants(conn: psycopg.Connection[Any], device_id: str) -> list[tuple[str, int, bytes]]:
    return [(str(s), int(e), bytes(b)) for s, e, b in
            conn.execute("SELECT scope, epoch, sealed FROM haven.grants WHERE device_id = %s ORDER BY epoch",
                         (device_id,))]


# --- records -----------------------------------------------------------------------------------


# A seam for the concurrency tests: called inside a push's transaction, after its rows are
# written and before it commits (None in use). Tests hold a push open here to show that a
# concurrent push waits and a concurrent pull cannot skip the row.
before_commit: Callable[[], None] | None = None


def push(conn: psycopg.Connection[Any], author: str, rows: Iterable[PushRow]) -> dict[tuple[str, str], int | None]:
    """Compare-and-swap every row in one transaction, in commit order; returns, per (scope,
    record id), the new version, or None when someone else's version got there first."""
    results: dict[tuple[str, str], int | None] = {}
    with conn.transaction():
        if serialise_pushes:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (PUSH_LOCK,))
        for row in rows:
            key = (row.scope, row.record_id)
            if row.expected_version == 0:
                done = conn.execute(
                    "INSERT INTO haven.records (scope, record_id, seq, version, epoch, author, body) "
                    "VALUES (%s, %s, nextval('haven.record_seq'), 1, %s, %s, %s) "
                    "ON CONFLICT (scope, record_id) DO NOTHING", (row.scope, row.record_id, row.epoch, author,
                                                                   row.body)).rowcount
                results[key] = 1 if done else None
            else:
                done = conn.execute(
                    "UPDATE haven.records SET seq = nextval('haven.record_seq'), version = version + 1, epoch = %s, "
                    "author = %s, body = %s WHERE scope = %s AND record_id = %s AND version = %s",
                    (row.epoch, author, row.body, row.scope, row.record_id, row.expected_version)).rowcount
                results[key] = row.expected_version + 1 if done else None
        if before_commit is not None:
            before_commit()
    return results


def pull(conn: psycopg.Connection[Any], after: int, limit: int = 500) -> list[PulledRow]:
    rows = conn.execute("SELECT seq, scope, record_id, version, epoch, author, body FROM haven.records "
                        "WHERE seq > %s ORDER BY seq LIMIT %s", (after, limit)).fetchall()
    conn.commit()
    return [PulledRow(int(r[0]), str(r[1]), str(r[2]), int(r[3]), int(r[4]), str(r[5]), bytes(r[6])) for r in rows]


# --- chunks ------------------------------------------------------------------------------------


def missing_chunks(conn: psycopg.Connection[Any], scope: str, chunk_ids: list[str]) -> set[str]:
    if not chunk_ids:
        return set()
    have = {str(r[0]) for r in conn.execute(
        "SELECT chunk_id FROM haven.chunks WHERE scope = %s AND chunk_id = ANY(%s)", (scope, chunk_ids))}
    conn.commit()
    return set(chunk_ids) - have


def put_chunk(conn: psycopg.Connection[Any], scope: str, chunk_id: str, body: bytes) -> None:
    """One chunk in its own short transaction: an interrupted upload resumes where it stopped."""
    with conn.transaction():
        conn.execute("INSERT INTO haven.chunks (scope, chunk_id, body) VALUES (%s, %s, %s) "
                     "ON CONFLICT DO NOTHING", (scope, chunk_id, body))


def get_chunks(conn: psycopg.Connection[Any], scope: str, chunk_ids: list[str]) -> dict[str, bytes]:
    """Several chunks in one round trip (a new laptop pulls thousands)."""
    rows = conn.execute("SELECT chunk_id, body FROM haven.chunks WHERE scope = %s AND chunk_id = ANY(%s)",
                        (scope, chunk_ids)).fetchall()
    conn.commit()
    return {str(r[0]): bytes(r[1]) for r in rows}


def delete_chunks(conn: psycopg.Connection[Any], scope: str, chunk_ids: list[str]) -> int:
    with conn.transaction():
        return conn.execute("DELETE FROM haven.chunks WHERE scope = %s AND chunk_id = ANY(%s)",
                            (scope, chunk_ids)).rowcount


# --- audit -------------------------------------------------------------------------------------


def push_audit(conn: psycopg.Connection[Any], device_id: str, chain: int,
               rows: list[tuple[int, str, str, str, bytes]]) -> None:
    """(seq, scope, prev hash, hash, sealed body) rows of this laptop's chain, after its newest."""
    with conn.transaction():
        for seq, scope, prev, digest, body in rows:
            conn.execute("INSERT INTO haven.audit (device_id, chain, seq, scope, prev_hash, hash, body) "
                         "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                         (device_id, chain, seq, scope, prev, digest, body))


def audit_head(conn: psycopg.Connection[Any], device_id: str, chain: int) -> tuple[int, str]:
    row = conn.execute("SELECT seq, hash FROM haven.audit WHERE device_id = %s AND chain = %s "
                       "ORDER BY seq DESC LIMIT 1", (device_id, chain)).fetchone()
    conn.commit()
    return (int(row[0]), str(row[1])) if row else (0, "")


def audit_heads(conn: psycopg.Connection[Any]) -> dict[str, tuple[int, str]]:
    """The newest row of every chain this login may read, keyed "<device>/<chain>"."""
    rows = conn.execute("SELECT DISTINCT ON (device_id, chain) device_id, chain, seq, hash FROM haven.audit "
                        "ORDER BY device_id, chain, seq DESC").fetchall()
    conn.commit()
    return {f"{d}/{c}": (int(s), str(h)) for d, c, s, h in rows}


def audit_rows(conn: psycopg.Connection[Any]) -> list[tuple[str, int, str, str, str, bytes]]:
    """Every readable audit row as ("<device>/<chain>", seq, scope, prev hash, hash, body)."""
    rows = conn.execute("SELECT device_id, chain, seq, scope, prev_hash, hash, body FROM haven.audit "
                        "ORDER BY device_id, chain, seq").fetchall()
    conn.commit()
    return [(f"{r[0]}/{r[1]}", int(r[2]), str(r[3]), str(r[4]), str(r[5]), bytes(r[6])) for r in rows]
