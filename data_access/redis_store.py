"""Sessions and login tries in Redis, for several server processes on one or more machines.

The same contract as the database's (data_access/sessions.py): a session is a key the cookie's
id hash names, with its end as the key's expiry; each account and each meeting-room label
keeps the set of its sessions, so "sign out everywhere", a password reset, a role change or a
revoked display token ends them all at once, on every process. Login tries are one counter per
key and 10-minute window, added to atomically (INCR) before the password is checked, exactly as
in the database. Redis must keep its data over a restart (appendonly yes: deploy/redis).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from typing import Any

from data_access.sessions import LIMIT_WINDOW, StoredSession, Tries

PREFIX = "tthc:"
# Replace a session's data only while the session lives: a session ended by another process
# between the request's start and its end must not come back as a key without an expiry.
_SAVE_IF_LIVE = """
if redis.call('exists', KEYS[1]) == 1 then
  return redis.call('hset', KEYS[1], 'data', ARGV[1])
end
return -1
"""


@functools.cache
def client(url: str) -> Any:
    """One connection pool per Redis URL and process (redis-py's client is thread-safe).
    A command that finds Redis away is tried again for about three seconds: a Redis restart
    (its append-only file read back in well under that) costs a request a short wait, not an
    error."""
    import redis
    from redis.backoff import ExponentialBackoff
    from redis.retry import Retry

    return redis.Redis.from_url(
        url,
        socket_timeout=5,
        socket_connect_timeout=2,
        health_check_interval=30,
        retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), retries=8),
    )


def _session_key(id_hash: str) -> str:
    return f"{PREFIX}s:{id_hash}"


def _account_key(account_id: int) -> str:
    return f"{PREFIX}sa:{account_id}"


def _display_key(label: str) -> str:
    return f"{PREFIX}sd:{label}"


class RedisSessions:
    """Server-side sessions in Redis."""

    def __init__(self, url: str) -> None:
        self.r = client(url)
        self._save = self.r.register_script(_SAVE_IF_LIVE)

    def create(
        self,
        id_hash: str,
        data: dict[str, Any],
        now: float,
        expires_at: float,
        account_id: int | None = None,
        display_label: str | None = None,
    ) -> None:
        """Store a new session that Redis drops by itself at `expires_at`."""
        key = _session_key(id_hash)
        fields = {
            "data": json.dumps(data, ensure_ascii=False),
            "created": repr(now),
            "expires": repr(expires_at),
            "account": "" if account_id is None else str(account_id),
            "display": display_label or "",
        }
        owner = (
            _account_key(account_id)
            if account_id is not None
            else _display_key(display_label or "")
        )
        with self.r.pipeline(transaction=True) as p:
            p.hset(key, mapping=fields)
            p.expireat(key, int(expires_at) + 1)
            p.sadd(owner, id_hash)
            # The owner's set lives as long as its longest session (a set never outlives them).
            p.expireat(owner, int(expires_at) + 1, gt=True)
            p.expireat(owner, int(expires_at) + 1, nx=True)
            p.execute()

    def load(self, id_hash: str, now: float) -> StoredSession | None:
        """The session with this id, unless it ended or expired."""
        raw = self.r.hgetall(_session_key(id_hash))
        if not raw or b"expires" not in raw or float(raw[b"expires"]) <= now:
            return None
        account = raw.get(b"account", b"").decode()
        return StoredSession(
            int(account) if account else None,
            raw.get(b"display", b"").decode() or None,
            float(raw[b"created"]),
            float(raw[b"expires"]),
            json.loads(raw[b"data"]),
        )

    def save_data(self, id_hash: str, data: dict[str, Any]) -> None:
        """Replace what a live session remembers (never its lifetime)."""
        self._save(keys=[_session_key(id_hash)], args=[json.dumps(data, ensure_ascii=False)])

    def end(self, id_hash: str) -> None:
        """End one session (logout)."""
        self.r.delete(_session_key(id_hash))

    def _end_set(self, owner: str) -> int:
        hashes = self.r.smembers(owner)
        if not hashes:
            return 0
        with self.r.pipeline(transaction=True) as p:
            for h in hashes:
                p.delete(_session_key(h.decode()))
            p.delete(owner)
            ended = p.execute()
        return sum(int(n) for n in ended[:-1])

    def end_for_account(self, account_id: int) -> int:
        """End every session of an account; how many were live."""
        return self._end_set(_account_key(account_id))

    def end_for_display(self, label: str) -> int:
        """End every session opened with a display token of this label."""
        return self._end_set(_display_key(label))


class RedisTries:
    """Login tries per key and 10-minute window, shared by every process."""

    def __init__(self, url: str) -> None:
        self.r = client(url)

    @staticmethod
    def _key(key: str, window: int) -> str:
        return f"{PREFIX}t:{key[:200]}:{window}"

    def take(self, keys: Iterable[str], now: float) -> Tries:
        """Count one try for each key (atomically); per key this window's and the last one's."""
        window = int(now // LIMIT_WINDOW)
        keys = list(keys)
        with self.r.pipeline(transaction=False) as p:
            for key in keys:
                p.incr(self._key(key, window))
                p.expire(self._key(key, window), 2 * LIMIT_WINDOW + 60)
                p.get(self._key(key, window - 1))
            out = p.execute()
        counts = {}
        for i, key in enumerate(keys):
            now_count, before = int(out[3 * i]), out[3 * i + 2]
            counts[key[:200]] = now_count + int(before or 0)
        return Tries(window, counts)

    def give_back(self, keys: Iterable[str], window: int) -> None:
        """Undo the tries taken in `window` (only wrong passwords count)."""
        with self.r.pipeline(transaction=False) as p:
            for key in keys:
                p.decr(self._key(key, window))
            p.execute()

    def clear(self, username: str) -> int:
        """Forget an account's counted tries (an administrator lifting a lockout); how many."""
        name = username.strip().lower()
        found = [
            *self.r.scan_iter(match=f"{PREFIX}t:tk:{name}:*"),
            *self.r.scan_iter(match=f"{PREFIX}t:tk:{name}|*"),
        ]
        return int(self.r.delete(*found)) if found else 0
