"""Engine creation and schema migrations (Alembic, applied at start)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import CursorResult, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
SCHEMA_REVISION = "0014"  # the newest migration; tests/data/test_migrations.py holds it so


def default_url(instance_dir: Path) -> str:
    """The embedded default: a SQLite file in the instance folder."""
    return f"sqlite:///{instance_dir / 'tthc.sqlite3'}"


def database_url_from_env(env: Mapping[str, str] | None = None) -> str:
    """DATABASE_URL, else the default file in TTHC_INSTANCE_DIR (instance)."""
    env = os.environ if env is None else env
    instance = Path(env.get("TTHC_INSTANCE_DIR", "instance")).resolve()
    return env.get("DATABASE_URL") or default_url(instance)


def make_engine(url: str) -> Engine:
    """Create an engine for `url`; for SQLite, create the file's folder and tune pragmas."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_conn: Any, _record: object) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets the dashboard read while an import writes; foreign keys are off by default.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    # A 128 MiB page cache (the default is 2 MiB): bulk writes touch seven B-trees per row.
    cur.execute("PRAGMA cache_size=-131072")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()


def alembic_config(engine: Engine) -> Config:
    """An Alembic config bound to `engine` (no alembic.ini needed at run time)."""
    from alembic.config import Config  # here: a read-only command opens no migration

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision; safe to call at every start. A migration
    changes what the data means: the data version is bumped after one ran."""
    from alembic import command

    before = _revision(engine)
    command.upgrade(alembic_config(engine), "head")
    if _revision(engine) != before:
        from data_access import versioning

        with engine.begin() as conn:
            versioning.bump(conn)


def is_current(engine: Engine) -> bool:
    """Whether the database is at the newest schema (then a read-only command needs no
    migration, reference load or rollup check: the server's start did those). Read against
    `SCHEMA_REVISION`, not Alembic's scripts: importing Alembic costs a command 0,15 s."""
    return _revision(engine) == SCHEMA_REVISION


def _revision(engine: Engine) -> str | None:
    if "alembic_version" not in inspect(engine).get_table_names():
        return None
    with engine.connect() as conn:
        return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def inserted_id(result: CursorResult) -> int:
    """The primary key of the row an INSERT just added."""
    key = result.inserted_primary_key
    assert key is not None, "not an INSERT of one row"
    return int(key[0])


def has_schema(engine: Engine) -> bool:
    """Whether the database already holds our tables."""
    return "dossiers" in inspect(engine).get_table_names()
