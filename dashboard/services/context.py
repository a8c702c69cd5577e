"""Per-application state (engine, settings, read replicas) kept on the Flask app, read by
callbacks."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask, current_app, g, has_app_context, has_request_context
from flask.globals import request_ctx
from sqlalchemy import Connection, Engine, event

from dashboard.services.cache import cache, init_cache
from dashboard.settings import Settings
from data_access.replicas import ReadRouter

EXTENSION_KEY = "tthc"
WROTE_AT = "_wrote_at"  # session key: when the logged-in user last committed a write
_WROTE_G = "tthc_wrote_at"  # the same for this request or app context (flask.g)
_READER_G = "tthc_reader"  # the engine this request reads from, once chosen (flask.g)


@dataclass(frozen=True)
class AppContext:
    """What a request needs: the database engine (the primary: every write) and the
    settings; with read replicas (`router`), `reader()` for reads that may be a little
    stale."""

    engine: Engine
    settings: Settings
    router: ReadRouter | None = None

    def reader(self) -> Engine:
        """The engine for reads that may be a few seconds stale (pages, downloads, the
        meeting-room screen): a healthy replica, else the primary. The primary for a user who
        wrote within the window (docs/replicas.md), so they see their own change. One engine
        for a whole request: the data version and the figures cached under it must come from
        the same server (a version read on one replica and figures from an older one would
        cache old figures under the new version)."""
        router = self.router
        if router is None or not router.replicas:
            return self.engine
        if time.time() - _wrote_at() <= router.recent_write_window():
            return self.engine
        if not has_app_context():
            return router.pick()
        chosen = g.get(_READER_G)
        if chosen is None:
            chosen = router.pick()
            setattr(g, _READER_G, chosen)
        return chosen


def read_on_replica() -> bool:
    """Whether this request has read from a replica (not the primary) so far."""
    if not has_app_context():
        return False
    chosen = g.get(_READER_G)
    return chosen is not None and chosen is not get().engine


def serving(engine: Engine, settings: Settings) -> AppContext:
    """The context of a server: reads routed to the replicas the settings list (none: every
    read on `engine`, as without replicas), and the writes of a logged-in user remembered in
    their session so that their next reads see them."""
    if not settings.database_replicas:
        return AppContext(engine, settings)
    router = ReadRouter(engine, settings.database_replicas, settings.replica_max_lag)
    if not event.contains(engine, "commit", _on_commit):
        event.listen(engine, "commit", _on_commit)
    return AppContext(engine, settings, router)


def _on_commit(_conn: Connection) -> None:
    note_write()


def note_write() -> None:
    """Remember that this request wrote: for the rest of it and, for a logged-in user, in
    their session, reads go to the primary for a while (`ReadRouter.recent_write_window`).
    Called after every commit on the primary; call it too after a write another process made
    for this request (an import run by a worker), which no commit here reports."""
    if not has_app_context():  # no app, no reader to steer
        return
    now = time.time()
    setattr(g, _WROTE_G, now)
    if not has_request_context():
        return
    # None while the session is being opened; a commit by the session store itself while it
    # saves after the response only changes a session already written (harmless).
    session = request_ctx.session
    if session is not None and "_user_id" in session:
        session[WROTE_AT] = now


def _wrote_at() -> float:
    """When this request, or the logged-in user before it, last wrote (0: never)."""
    if not has_app_context():
        return 0.0
    found = float(g.get(_WROTE_G, 0.0))
    if has_request_context() and request_ctx.session is not None:
        stored = request_ctx.session.get(WROTE_AT)
        if isinstance(stored, int | float):
            found = max(found, float(stored))
    return found


def attach(server: Flask, ctx: AppContext) -> None:
    """Store `ctx` on the Flask app."""
    server.extensions[EXTENSION_KEY] = ctx


def get() -> AppContext:
    """The context of the app serving the current request."""
    return current_app.extensions[EXTENSION_KEY]


@contextmanager
def standalone(
    engine: Engine, settings: Settings, shared_cache: bool = False
) -> Iterator[AppContext]:
    """The context outside a server (the CLI, the pack written from a terminal): the same
    entries and figures, with an in-process cache for the one command, or the deployment's
    cache (`shared_cache`: a job worker, whose figures the servers reuse and vice versa)."""
    server = Flask("tthc-standalone")
    ctx = AppContext(engine, settings)
    attach(server, ctx)
    if shared_cache:
        init_cache(server, settings)
    else:
        cache.init_app(server, config={"CACHE_TYPE": "SimpleCache"})
    with server.app_context():
        yield ctx
