"""Fixtures of the mail tests: a real SMTP server on 127.0.0.1 (tests/smtp_server.py), one
per test, and a migrated SQLite database with the reference units."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from data_access.db import make_engine, migrate
from data_access.reference import load_reference
from tests.smtp_server import Certificate, SmtpServer


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A plain SMTP server (no TLS, no login) that records what it accepts."""
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def certificate(tmp_path: Path) -> Certificate:
    """A self-signed certificate for 127.0.0.1 (needs the cryptography package)."""
    pytest.importorskip("cryptography")
    return Certificate.make(tmp_path)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Engine]:
    """A migrated SQLite file with the Nam Sách reference units."""
    engine = make_engine(f"sqlite:///{tmp_path / 'mail.sqlite3'}")
    migrate(engine)
    with engine.begin() as conn:
        load_reference(conn)
    yield engine
    engine.dispose()
