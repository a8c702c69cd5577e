"""Server-side sessions and login limits, in the database every server process shares, or in
Redis when the deployment has one (bind_redis; data_access/redis_store.py).

A session row is the only thing a cookie points to: deleting it ends the session at once,
whichever process serves the next request. Login tries are counted by one atomic upsert per
key before a password is checked, so tries sent in parallel or to another process count too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from data_access.models import LoginAttempt, LoginFailure, WebSession, table_of

LIMIT_WINDOW = 600  # seconds: login tries are counted per 10-minute window, and a limit looks
# at the window and the one before (so a burst at a window's end is still counted after it)


@dataclass(frozen=True)
class StoredSession:
    """A live session as stored."""

    account_id: int | None
    display_label: str | None
    created_at: float
    expires_at: float
    data: dict[str, Any]


def create(
    conn: Connection,
    id_hash: str,
    data: dict[str, Any],
    now: float,
    expires_at: float,
    account_id: int | None = None,
    display_label: str | None = None,
) -> None:
    """Store a new session (a login), and drop the sessions that have expired."""
    conn.execute(delete(WebSession).where(WebSession.expires_at <= now))
    conn.execute(
        table_of(WebSession)
        .insert()
        .values(
            id_hash=id_hash,
            account_id=account_id,
            display_label=display_label,
            created_at=now,
            expires_at=expires_at,
            data=json.dumps(data, ensure_ascii=False),
        )
    )


def load(conn: Connection, id_hash: str, now: float) -> StoredSession | None:
    """The session with this id, unless it ended or expired."""
    row = conn.execute(
        select(WebSession).where(WebSession.id_hash == id_hash, WebSession.expires_at > now)
    ).first()
    if row is None:
        return None
    return StoredSession(
        row.account_id, row.display_label, row.created_at, row.expires_at, json.loads(row.data)
    )


def save_data(conn: Connection, id_hash: str, data: dict[str, Any]) -> None:
    """Replace what a live session remembers (never its lifetime)."""
    conn.execute(
        update(WebSession)
        .where(WebSession.id_hash == id_hash)
        .values(data=json.dumps(data, ensure_ascii=False))
    )


def end(conn: Connection, id_hash: str) -> None:
    """End one session (logout)."""
    conn.execute(delete(WebSession).where(WebSession.id_hash == id_hash))


def end_for_account(conn: Connection, account_id: int) -> int:
    """End every session of an account, in the database and in Redis when sessions live
    there (bind_redis); how many were live."""
    ended = conn.execute(delete(WebSession).where(WebSession.account_id == account_id)).rowcount
    return ended + sum(store.end_for_account(account_id) for store in _also)


def end_for_display(conn: Connection, label: str) -> int:
    """End every session opened with a meeting-room display token of this label."""
    ended = conn.execute(delete(WebSession).where(WebSession.display_label == label)).rowcount
    return ended + sum(store.end_for_display(label) for store in _also)


# The Redis session store of this process, when sessions live there: every revocation (a
# password reset, a role change, disabling, a revoked screen) reaches it too, from the server
# and from the command line alike.
_also: list[Any] = []
_tries: list[Any] = []  # likewise the login tries, counted in Redis


def bind_redis(url: str | None) -> None:
    """Sessions and login tries of this process live in Redis at `url` (None: the database)."""
    _also.clear()
    _tries.clear()
    if url:
        from data_access.redis_store import RedisSessions, RedisTries

        _also.append(RedisSessions(url))
        _tries.append(RedisTries(url))


class DatabaseSessions:
    """The session functions above on an engine: the store when no Redis is configured."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(
        self,
        id_hash: str,
        data: dict[str, Any],
        now: float,
        expires_at: float,
        account_id: int | None = None,
        display_label: str | None = None,
    ) -> None:
        """Store a new session."""
        with self.engine.begin() as conn:
            create(conn, id_hash, data, now, expires_at, account_id, display_label)

    def load(self, id_hash: str, now: float) -> StoredSession | None:
        """The live session with this id, if any."""
        with self.engine.connect() as conn:
            return load(conn, id_hash, now)

    def save_data(self, id_hash: str, data: dict[str, Any]) -> None:
        """Replace what a live session remembers."""
        with self.engine.begin() as conn:
            save_data(conn, id_hash, data)

    def end(self, id_hash: str) -> None:
        """End one session."""
        with self.engine.begin() as conn:
            end(conn, id_hash)

    def end_for_account(self, account_id: int) -> int:
        """End every session of an account."""
        with self.engine.begin() as conn:
            return end_for_account(conn, account_id)


def session_store(engine: Engine) -> Any:
    """Where this process keeps sessions: Redis once bound (bind_redis), else the database."""
    return _also[0] if _also else DatabaseSessions(engine)


def _upsert(conn: Connection, model: Any, keys: list[str], values: dict, increments: dict):
    """INSERT … ON CONFLICT DO UPDATE adding `increments` (SQLite and PostgreSQL)."""
    table = table_of(model)
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table).values(**values)
    changes = {name: table.c[name] + amount for name, amount in increments.items()}
    changes.update({k: v for k, v in values.items() if k not in keys and k not in increments})
    return stmt.on_conflict_do_update(index_elements=keys, set_=changes)


@dataclass(frozen=True)
class Tries:
    """Login tries counted for some keys: the window they went into, and per key the tries
    of the last two windows (this one and the one before: no fresh start at a boundary)."""

    window: int
    counts: dict[str, int]


def take_tries(conn: Connection, keys: Iterable[str], now: float) -> Tries:
    """Count one login try for each key in the current window; per key, the tries of this
    window (after this one) and of the one before. One statement per key adds to this
    window's count: two processes adding at once both see their own increment."""
    if _tries:
        return _tries[0].take(keys, now)
    window = int(now // LIMIT_WINDOW)
    keys = [key[:200] for key in keys]
    counts = {}
    for key in keys:
        stmt = _upsert(
            conn,
            LoginAttempt,
            ["key", "window"],
            {"key": key, "window": window, "tries": 1},
            {"tries": 1},
        ).returning(table_of(LoginAttempt).c.tries)
        counts[key] = int(conn.execute(stmt).scalar_one())
    before = conn.execute(
        select(LoginAttempt.key, LoginAttempt.tries).where(
            LoginAttempt.key.in_(keys), LoginAttempt.window == window - 1
        )
    ).all()
    for key, tries in before:
        counts[key] += tries
    # Older windows are of no use to anyone.
    conn.execute(delete(LoginAttempt).where(LoginAttempt.window < window - 1))
    return Tries(window, counts)


def give_back(conn: Connection, keys: Iterable[str], window: int) -> None:
    """Undo the tries taken in `window` (the password was right, or the try was refused:
    only wrong passwords count)."""
    if _tries:
        _tries[0].give_back(keys, window)
        return
    for key in keys:
        conn.execute(
            update(LoginAttempt)
            .where(LoginAttempt.key == key[:200], LoginAttempt.window == window)
            .values(tries=LoginAttempt.tries - 1)
        )


def clear_tries(conn: Connection, username: str) -> int:
    """Forget an account's counted tries (an administrator lifting a lockout); how many."""
    name = username.strip().lower()
    cleared = conn.execute(
        delete(LoginAttempt).where(
            (LoginAttempt.key == f"tk:{name}") | LoginAttempt.key.startswith(f"tk:{name}|")
        )
    ).rowcount
    return cleared + sum(t.clear(username) for t in _tries)


def record_failure(
    conn: Connection, username: str, address: str, now: float, blocked: bool
) -> None:
    """Add a wrong password (or a try refused by the limit) to the account's row of this
    minute: a flood of tries is one row a minute, not one row a try."""
    conn.execute(
        _upsert(
            conn,
            LoginFailure,
            ["username", "minute"],
            {
                "username": (username or "—")[:100],
                "minute": int(now // 60),
                "wrong": 0 if blocked else 1,
                "blocked": 1 if blocked else 0,
                "last_address": address[:64],
            },
            {"wrong": 0 if blocked else 1, "blocked": 1 if blocked else 0},
        )
    )


@dataclass(frozen=True)
class FailureMinute:
    """Failed and refused logins of one account name in one minute."""

    username: str
    minute: int
    wrong: int
    blocked: int
    last_address: str


def failures(conn: Connection, limit: int = 50) -> list[FailureMinute]:
    """The newest minutes with failed or refused logins."""
    rows = conn.execute(select(LoginFailure).order_by(LoginFailure.minute.desc()).limit(limit))
    return [FailureMinute(r.username, r.minute, r.wrong, r.blocked, r.last_address) for r in rows]
