"""SQLite backup and restore (PostgreSQL uses pg_dump / pg_restore: README "Production")."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from data_access import versioning
from data_access.db import make_engine, migrate


def sqlite_path(database_url: str) -> Path:
    """The file of a SQLite URL; ValueError (Vietnamese) for another database."""
    if not database_url.startswith("sqlite:///"):
        raise ValueError(
            "backup/restore dùng cho SQLite; với PostgreSQL dùng pg_dump -Fc và pg_restore "
            "(xem README)"
        )
    return Path(database_url.removeprefix("sqlite:///"))


def copy_database(source_path: Path, target_path: Path) -> None:
    """Page-by-page copy through SQLite's online backup API (consistent while others write)."""
    source, target = sqlite3.connect(source_path), sqlite3.connect(target_path)
    try:
        with target:
            source.backup(target)
    finally:
        source.close()
        target.close()


def backup(database_url: str, target_path: Path) -> None:
    """A consistent copy of the database into a new file, while the server runs."""
    if target_path.exists():
        raise ValueError(f"Tệp đã có, không ghi đè: {target_path}")
    copy_database(sqlite_path(database_url), target_path)


def restore(database_url: str, backup_path: Path) -> None:
    """Replace the database with a checked backup (stop the server first), bring it to the
    current schema and renew the data version."""
    check = sqlite3.connect(backup_path)
    try:
        ok = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError as exc:
        raise ValueError(f"Không phải bản sao lưu SQLite hợp lệ: {exc}") from None
    finally:
        check.close()
    if not ok:
        raise ValueError("Bản sao lưu bị hỏng (integrity_check)")
    copy_database(backup_path, sqlite_path(database_url))
    engine = make_engine(database_url)
    migrate(engine)  # a backup from an earlier release
    with engine.begin() as conn:  # a running server must not serve the figures it cached
        versioning.bump(conn)
    engine.dispose()
