"""Read replicas on real servers: a PostgreSQL primary and a streaming replica of it
(pg_basebackup), both on 127.0.0.1. Reads go to the replica while it answers and keeps up; a
stopped or lagging replica is skipped, and used again once it is back; a user's reads right
after their own write go to the primary; the pages' downloads read from the replica."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from dash.testing.wait import until
from flask import Response
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError

from dashboard.services import context
from dashboard.settings import Settings
from dashboard.web.app import create_app
from data_access import accounts, replicas, versioning
from data_access.bootstrap import prepare_database
from data_access.db import make_engine
from tests.pg_server import PostgresReplica, PostgresServer

DB = "read_replicas"
PASSWORD = "mat-khau-rat-dai"


@pytest.fixture(scope="module")
def primary_url(pg_server: PostgresServer) -> str:
    url = pg_server.create_database(DB)
    engine = prepare_database(url, demo_on_empty=False)  # schema and reference data
    with engine.begin() as conn:
        accounts.add_user(conn, "vp", PASSWORD, "van_phong")
        accounts.add_user(conn, "vp2", PASSWORD, "van_phong")
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def replica(pg_server: PostgresServer, primary_url: str) -> Iterator[PostgresReplica]:
    server = PostgresReplica(pg_server)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def replica_url(replica: PostgresReplica) -> str:
    return replica.url(DB)


@pytest.fixture(scope="module")
def primary(primary_url: str) -> Iterator[Engine]:
    engine = make_engine(primary_url)
    yield engine
    engine.dispose()


@pytest.fixture
def router(primary: Engine, replica_url: str) -> Iterator[Callable[..., replicas.ReadRouter]]:
    made: list[replicas.ReadRouter] = []

    def make(max_lag: float = 10, check_every: float = 0.1) -> replicas.ReadRouter:
        made.append(replicas.ReadRouter(primary, [replica_url], max_lag, check_every))
        return made[-1]

    yield make
    for r in made:
        r.dispose()


def standby(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(conn.execute(text("SELECT pg_is_in_recovery()")).scalar())


def version(engine: Engine) -> str:
    with engine.connect() as conn:
        return conn.execute(text("SELECT version FROM data_state WHERE id = 1")).scalar() or ""


def bump(engine: Engine) -> str:
    with engine.begin() as conn:
        return versioning.bump(conn)


def replica_in_use(r: replicas.ReadRouter) -> Engine | None:
    picked = r.pick()
    return picked if picked is not r.primary else None


def on_replica(url: str, sql: str) -> None:
    engine = create_engine(url)
    with engine.connect() as conn:
        conn.execute(text(sql))
    engine.dispose()


@pytest.mark.postgres
def test_a_write_reaches_the_replica_and_reads_go_there(router, primary: Engine) -> None:
    r = router()
    token = bump(primary)
    until(lambda: version(r.replicas[0].engine) == token, 10, msg="never replicated")
    picked = until(lambda: replica_in_use(r), 10, msg="the replica is never picked")
    assert standby(picked) and not standby(primary)
    assert version(picked) == token
    assert r.replicas[0].lag is not None and r.replicas[0].lag <= 10


@pytest.mark.postgres
def test_a_stopped_replica_is_skipped_quickly_and_used_again_when_back(
    router, replica: PostgresReplica, primary: Engine
) -> None:
    r = router(check_every=0.2)
    until(lambda: replica_in_use(r), 10)
    replica.pause()
    try:
        started, slowest = time.monotonic(), 0.0

        def on_primary() -> bool:
            nonlocal slowest
            t = time.monotonic()
            picked = r.pick()
            slowest = max(slowest, time.monotonic() - t)
            return picked is primary

        until(on_primary, 5, poll=0.05, msg="a stopped replica is still picked")
        assert time.monotonic() - started < 5
        assert slowest < replicas.CONNECT_TIMEOUT + 1  # a pick never waits longer than a connect
        assert version(r.pick()) == version(primary)  # the reads go on, on the primary
        assert not r.replicas[0].healthy
    finally:
        replica.resume()
    picked = until(lambda: replica_in_use(r), 15, msg="the restarted replica is not used again")
    assert standby(picked)


@pytest.mark.postgres
def test_a_query_failing_on_a_replica_marks_it_down_at_once(
    router, replica: PostgresReplica, primary: Engine
) -> None:
    r = router(check_every=600)  # no new check during the test: only the failure tells
    picked = until(lambda: replica_in_use(r), 10)
    replica.pause()
    try:
        with pytest.raises(OperationalError):
            version(picked)
        assert r.pick() is primary
    finally:
        replica.resume()


@pytest.mark.postgres
def test_a_lagging_replica_is_skipped_until_it_catches_up(
    router, replica_url: str, primary: Engine
) -> None:
    r = router(max_lag=0.5)
    until(lambda: replica_in_use(r), 15)
    on_replica(replica_url, "SELECT pg_wal_replay_pause()")
    try:
        token = bump(primary)  # received, not replayed: the replica falls behind
        until(lambda: r.pick() is primary, 10, msg="a lagging replica is still picked")
        assert r.replicas[0].lag is not None and r.replicas[0].lag > 0.5
        assert version(r.replicas[0].engine) != token
    finally:
        on_replica(replica_url, "SELECT pg_wal_replay_resume()")
    picked = until(lambda: replica_in_use(r), 10, msg="the caught-up replica is not used again")
    assert version(picked) == token


def test_without_replicas_every_read_is_on_the_primary(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    settings = Settings(database_url=str(engine.url), instance_dir=tmp_path)
    ctx = context.serving(engine, settings)
    assert ctx.router is None and ctx.reader() is engine
    assert not event.contains(engine, "commit", context._on_commit)  # nothing added
    with pytest.raises(ValueError, match="PostgreSQL"):
        replicas.ReadRouter(engine, ["postgresql+psycopg://postgres@127.0.0.1:1/x"])
    engine.dispose()


def test_replica_urls_get_short_timeouts_unless_they_name_theirs() -> None:
    url = replicas.replica_url(
        "postgresql+psycopg://app:p%40ss@10.0.0.12:5432/tthc?connect_timeout=5"
    )
    assert url.startswith("postgresql+psycopg://app:p%40ss@10.0.0.12:5432/tthc?")
    assert "connect_timeout=5" in url and "tcp_user_timeout=10000" in url


# -- A real app on the primary, configured with the replica -----------------------------------
@pytest.fixture(scope="module")
def app(primary_url: str, replica_url: str, tmp_path_factory: pytest.TempPathFactory):
    settings = Settings(
        database_url=primary_url,
        instance_dir=tmp_path_factory.mktemp("replicas"),
        demo_on_empty=False,
        database_replicas=(replica_url,),
        replica_max_lag=0.5,
    )
    application = create_app(settings)
    server = application.server

    # Two routes for the test: where this request reads, and a write then the same answer.
    def reads_from() -> Response:
        where = "replica" if standby(context.get().reader()) else "primary"
        return Response(where, mimetype="text/plain")

    def write() -> Response:
        bump(context.get().engine)
        return reads_from()

    server.add_url_rule("/_thu/doc", view_func=reads_from)
    server.add_url_rule("/_thu/ghi", view_func=write)
    ctx = server.extensions[context.EXTENSION_KEY]
    ctx.router.check_every = 0.1  # the test's pace; the window after a write follows it
    yield application
    ctx.router.dispose()
    ctx.engine.dispose()


def login(app, username: str):
    client = app.server.test_client()
    page = client.get("/dang-nhap")
    csrf = re.search(r"name='csrf' value='([^']+)'", page.data.decode()).group(1)
    res = client.post("/dang-nhap", data={"username": username, "password": PASSWORD, "csrf": csrf})
    assert res.status_code == 302
    return client


def reads(client) -> str:
    return client.get("/_thu/doc").data.decode()


@pytest.mark.postgres
def test_a_users_reads_after_their_own_write_go_to_the_primary(app) -> None:
    writer, other = login(app, "vp"), login(app, "vp2")
    until(lambda: reads(writer) == "replica", 10, msg="the replica is never used")
    assert writer.get("/_thu/ghi").data.decode() == "primary"  # the same request, after it
    assert reads(writer) == "primary"  # the next request: the write is remembered
    assert reads(other) == "replica"  # nobody else waits for it
    window = app.server.extensions[context.EXTENSION_KEY].router.recent_write_window()
    wrote = time.monotonic()
    until(lambda: reads(writer) == "replica", window + 5, msg="never back on the replica")
    assert time.monotonic() - wrote >= window - 0.5


@pytest.mark.postgres
def test_downloads_read_from_the_replica_and_survive_it_stopping(
    app, replica: PostgresReplica
) -> None:
    client = login(app, "vp")
    ctx = app.server.extensions[context.EXTENSION_KEY]
    seen: dict[str, list[str]] = {"primary": [], "replica": []}

    def counter(name: str):
        def count(_conn, _cursor, statement: str, *_args) -> None:
            if "pg_last_wal" not in statement:  # not the health check
                seen[name].append(statement)

        return count

    hooks = [(ctx.engine, counter("primary")), (ctx.router.replicas[0].engine, counter("replica"))]
    for engine, hook in hooks:
        event.listen(engine, "before_cursor_execute", hook)
    url = "/xuat/bang/xep-hang.csv?ky=2025-Q1&nhom=phong"
    try:
        until(lambda: reads(client) == "replica", 10)
        for found in seen.values():
            found.clear()
        res = client.get(url)
        assert res.status_code == 200 and res.data.startswith("\ufeff".encode())
        assert any("data_state" in s for s in seen["replica"])  # the figures' data version
        assert not any("data_state" in s for s in seen["primary"])  # only the session's row
        # The replica stops while chosen (no new check for a while): the request that reads
        # there fails, is answered again from the primary (it had written nothing), and the
        # next ones read from the primary.
        ctx.router.check_every = 600
        replica.pause()
        try:
            for found in seen.values():
                found.clear()
            res = client.get(url)
            assert res.status_code == 200 and res.data.startswith("\ufeff".encode())
            assert any("data_state" in s for s in seen["primary"])  # the answer's reads
            assert reads(client) == "primary"
        finally:
            replica.resume()
            ctx.router.check_every = 0.1
        until(lambda: reads(client) == "replica", 15, msg="the restarted replica is not used")
    finally:
        for engine, hook in hooks:
            event.remove(engine, "before_cursor_execute", hook)
