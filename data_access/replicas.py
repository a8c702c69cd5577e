"""Read replicas: reads that may be a little stale go to a healthy PostgreSQL standby.

A `ReadRouter` holds the primary engine (every write, and the fallback for reads) and one
engine per replica URL (TTHC_DATABASE_REPLICAS). `pick()` answers a healthy replica, in turn
among several, else the primary. A replica is healthy when it answers and lags at most
`max_lag` seconds behind the primary. Its health is checked at most every `check_every`
seconds, by one thread at a time (the others use the last answer, so a stopped replica never
holds many requests), through a connection that gives up after `CONNECT_TIMEOUT` seconds.

A query on a replica that fails as the server goes away (OperationalError, a dropped
connection) marks that replica down at once: the next `pick()` skips it without waiting for
the next check. The request that was running there gets the app's "database away" answer
(503, dashboard/web/server.py); its retry reads from the primary or another replica.

Which reads may go to a replica, and a user's reads right after their own write, are decided
above this layer (dashboard/services/context.py: `AppContext.reader`).
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Engine, event, text
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import OperationalError

from data_access.db import make_engine

log = logging.getLogger(__name__)

CHECK_EVERY = 2.0  # seconds between two health checks of a replica (per process)
CONNECT_TIMEOUT = 2  # seconds libpq waits to connect to a replica (psycopg connect_timeout)
# Milliseconds a replica may leave what we sent unacknowledged before the connection is
# dropped (libpq tcp_user_timeout): a host lost mid-query frees its requests after this, not
# after the system's TCP retries (about 15 minutes). A slow query is not affected: its text
# was acknowledged when it arrived.
TCP_USER_TIMEOUT_MS = 10_000
WRITE_MARGIN = 1.0  # seconds added to a recent write's window beyond lag and check interval

# Lag 0 when the standby has replayed everything it received (an idle primary sends nothing,
# and the newest replayed transaction then grows old without the standby being behind); else
# the age of the newest transaction it replayed. NULL (streaming not started and nothing
# replayed yet) is unknown: not healthy. A server not in recovery (promoted) has no lag.
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0
    ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp())
END
"""


@dataclass(eq=False)
class Replica:
    """One replica: its engine and what its last health check found."""

    url: str  # for logs: without its password
    engine: Engine
    healthy: bool = False  # unknown until checked: reads go to the primary meanwhile
    lag: float | None = None  # seconds, at the last check (None: unknown or down)
    checked_at: float = float("-inf")  # time.monotonic() of the last check or failure
    lock: threading.Lock = field(default_factory=threading.Lock)


def replica_url(url: str) -> str:
    """`url` with short timeouts unless it names its own: a stopped or unreachable replica
    must not hold a request for the system's defaults (minutes, for a lost host)."""
    parsed = make_url(url)
    defaults = {
        "connect_timeout": str(CONNECT_TIMEOUT),
        "tcp_user_timeout": str(TCP_USER_TIMEOUT_MS),
    }
    missing = {k: v for k, v in defaults.items() if k not in parsed.query}
    return parsed.update_query_dict(missing).render_as_string(hide_password=False)


class ReadRouter:
    """The primary engine and the replicas' engines; `pick()` chooses where a read goes."""

    def __init__(
        self,
        primary: Engine,
        replica_urls: Sequence[str] = (),
        max_lag: float = 10.0,
        check_every: float = CHECK_EVERY,
    ) -> None:
        if replica_urls and primary.dialect.name != "postgresql":
            raise ValueError(
                "Bản sao chỉ đọc (TTHC_DATABASE_REPLICAS) chỉ dùng với PostgreSQL "
                "(read replicas need a PostgreSQL DATABASE_URL)"
            )
        self.primary = primary
        self.max_lag = max_lag
        self.check_every = check_every
        self.replicas: list[Replica] = []
        for url in replica_urls:
            if make_url(url).get_backend_name() != "postgresql":
                raise ValueError(
                    f"Bản sao chỉ đọc phải là PostgreSQL (a replica must be PostgreSQL): {url}"
                )
            # The primary's engine options (make_engine: pre-ping, so connections left from
            # before a replica restart are replaced, not handed to a request).
            engine = make_engine(replica_url(url))
            replica = Replica(make_url(url).render_as_string(hide_password=True), engine)
            event.listen(engine, "handle_error", self._on_error(replica))
            self.replicas.append(replica)
        self._turn = itertools.count()

    def recent_write_window(self) -> float:
        """Seconds after a write during which the writer's reads go to the primary: a replica
        in use lags at most `max_lag`, measured up to `check_every` ago."""
        return self.max_lag + self.check_every + WRITE_MARGIN

    def pick(self) -> Engine:
        """A healthy replica's engine (in turn among several), else the primary's."""
        healthy = [r for r in self.replicas if self._healthy(r)]
        if not healthy:
            return self.primary
        return healthy[next(self._turn) % len(healthy)].engine

    def mark_down(self, engine: Engine) -> None:
        """Skip the replica of `engine` until its next health check (a query on it failed)."""
        for r in self.replicas:
            if r.engine is engine:
                self._set(r, False, None)

    def dispose(self) -> None:
        """Close the replicas' pooled connections (the primary's stay: the app owns them)."""
        for r in self.replicas:
            r.engine.dispose()

    def _healthy(self, r: Replica) -> bool:
        # One thread checks; the others do not wait for it and use the last answer.
        if time.monotonic() - r.checked_at >= self.check_every and r.lock.acquire(blocking=False):
            try:
                if time.monotonic() - r.checked_at >= self.check_every:  # not just checked
                    self.check(r)
            finally:
                r.lock.release()
        return r.healthy

    def check(self, r: Replica) -> bool:
        """Ask the replica for its lag now; record and return whether it may serve reads."""
        try:
            with r.engine.connect() as conn:
                lag = conn.execute(text(LAG_SQL)).scalar()
        except Exception as exc:  # down, refusing, timing out: skipped until the next check
            self._set(r, False, None, exc)
            return False
        lag = None if lag is None else float(lag)
        self._set(r, lag is not None and lag <= self.max_lag, lag)
        return r.healthy

    def _set(
        self, r: Replica, healthy: bool, lag: float | None, exc: BaseException | None = None
    ) -> None:
        if healthy != r.healthy:  # one log line per change, not one per check
            if healthy:
                log.info("read replica %s in use (lag %.1f s)", r.url, lag or 0.0)
            elif exc is not None:
                log.warning("read replica %s skipped: %s", r.url, exc.__class__.__name__)
            else:
                log.warning("read replica %s skipped: lag %s s", r.url, lag)
        r.healthy, r.lag, r.checked_at = healthy, lag, time.monotonic()

    def _on_error(self, r: Replica):
        def failed(ctx: ExceptionContext) -> None:
            # A stale pooled connection found by the pre-ping is replaced, not a failure.
            if ctx.is_pre_ping:
                return
            if ctx.is_disconnect or isinstance(ctx.sqlalchemy_exception, OperationalError):
                self._set(r, False, None, ctx.original_exception)

        return failed
