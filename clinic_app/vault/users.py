"""The users table: login names and roles (passphrases live only in key slots)."""

from __future__ import annotations

from clinic_app.domain.roles import Role, User
from clinic_app.vault.audit import now_utc
from clinic_app.vault.connection import Connection


def add(conn: Connection, name: str, role: Role) -> None:
    conn.execute(
        "INSERT INTO users (name, role, created_at) VALUES (?, ?, ?)", (name, role.value, now_utc())
    )


def get(conn: Connection, name: str) -> User | None:
    row = conn.execute("SELECT name, role, created_at FROM users WHERE name = ?", (name,)).fetchone()
    return User(row[0], Role(row[1]), row[2]) if row else None


def all_users(conn: Connection) -> list[User]:
    rows = conn.execute("SELECT name, role, created_at FROM users ORDER BY name").fetchall()
    return [User(r[0], Role(r[1]), r[2]) for r in rows]


def remove(conn: Connection, name: str) -> bool:
    return conn.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount > 0


def set_role(conn: Connection, name: str, role: Role) -> None:
    conn.execute("UPDATE users SET role = ? WHERE name = ?", (role.value, name))


def admin_count(conn: Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM users WHERE role = 'admin'").fetchone()[0])
