"""Shared fixtures: real SQLite files, a real PostgreSQL server, one session-wide demo database."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from data_access.bootstrap import prepare_database
from data_access.db import make_engine, migrate
from tests.pg_server import PostgresServer

_db_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server on 127.0.0.1, started once for the session and stopped after."""
    server = PostgresServer()
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
def demo_engine(demo_url: str) -> Iterator[Engine]:
    """Engine on the session demo database (tests must not write to it)."""
    engine = make_engine(demo_url)
    yield engine
    engine.dispose()
