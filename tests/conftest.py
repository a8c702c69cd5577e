"""Shared fixtures: real SQLite files, a real PostgreSQL server, one session-wide demo database."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from data_access.bootstrap import prepare_database
from data_access.db import make_engine, migrate
from data_access.models import Procedure
from data_access.queries import all_units
from data_access.reference import load_reference
from data_access.writer import store_dossiers
from tests.pg_server import PostgresServer
from tests.redis_server import RedisServer

_db_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server on 127.0.0.1, started once for the session and stopped after."""
    server = PostgresServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """A Redis server on 127.0.0.1 (append-only persistence on), started once for the session."""
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty database: a new SQLite file, or a new database on the PG server."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_server").create_database(f"t{next(_db_counter)}")
    engine = make_engine(url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """URL of a SQLite file holding the reference and demo data, built once per session."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    url = f"sqlite:///{path}"
    prepare_database(url, demo_on_empty=True, demo_seed=2025).dispose()
    return url


@pytest.fixture(scope="session")
def city_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """URL of a SQLite file on Thành phố Hải Phòng's map (TTHC_SCOPE=31: 114 communes and
    wards from 1/7/2025, beside Nam Sách's history), with a small demo (about 40 000 dossiers),
    built once per session."""
    from data_access.demo import generate_demo
    from data_access.reference import load_province

    path = tmp_path_factory.mktemp("city") / "city.sqlite3"
    url = f"sqlite:///{path}"
    engine = prepare_database(url, demo_on_empty=False)
    with engine.begin() as conn:
        load_province(conn, "31")
        generate_demo(conn, seed=2025, scale=0.02, province="31")
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def demo_engine(demo_url: str) -> Iterator[Engine]:
    """Engine on the session demo database (tests must not write to it)."""
    engine = make_engine(demo_url)
    yield engine
    engine.dispose()


def at(text: str) -> dt.datetime:
    """'2025-03-05 14:00' -> datetime."""
    return dt.datetime.fromisoformat(text)


@pytest.fixture
def ref_engine(empty_engine: Engine) -> Engine:
    """An empty database with the Nam Sách reference data."""
    with empty_engine.begin() as conn:
        load_reference(conn)
    return empty_engine


@pytest.fixture
def add(ref_engine: Engine) -> Callable[..., None]:
    """add(unit, [dossier kwargs, ...]) stores crafted dossiers through the write path."""
    with ref_engine.connect() as conn:
        field_of = dict(conn.execute(select(Procedure.code, Procedure.field_id)).all())
        units = all_units(conn)
    counter = iter(range(1, 10_000))

    def _add(unit: str, dossiers: list[dict]) -> None:
        """`unit` is a code (the version valid on each dossier's reception day) or code@day."""
        rows = []
        for d in dossiers:
            row = {
                "code": d.pop("code", f"{unit}-{next(counter):05d}"),
                "procedure_code": d.get("procedure_code", "1.001193"),
                "channel": 1,
                "status": "resolved",
            }
            row["field_id"] = field_of[row["procedure_code"]]
            for key in (
                "submitted_at",
                "received_at",
                "due_at",
                "finished_at",
                "supplement_requested_at",
            ):
                if isinstance(d.get(key), str):
                    d[key] = at(d[key])
            row.update(d)
            if row["channel"] != 2 and row.get("submitted_at") is None:
                row["submitted_at"] = row.get("received_at")
            day = (row.get("received_at") or row.get("submitted_at") or at("2025-01-01")).date()
            row["unit_id"] = units.resolve(unit, day, day).id
            rows.append(row)
        with ref_engine.begin() as conn:
            store_dossiers(conn, rows)

    return _add


# Markers set from what a test uses, so the fast subset stays right as tests are added:
# `postgres` needs the PostgreSQL server; `slow` needs the session's demo database (built once,
# about 10 s), a browser, a server or a child process, or a property search.
SLOW_FIXTURES = {
    "demo_url",
    "demo_engine",
    "demo_app",
    "dash_duo",
    "writable_demo_url",
    "server",
    "city_url",
}
SLOW_MODULES = {"test_rollup_properties", "test_faults", "test_isolation"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "pg_server" in names or "postgresql" in params.values():
            item.add_marker(pytest.mark.postgres)
        module = item.module.__name__.rsplit(".", 1)[-1] if item.module else ""
        if names & SLOW_FIXTURES or module in SLOW_MODULES or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)
