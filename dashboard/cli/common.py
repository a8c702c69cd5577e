"""What the commands share: opening the database, running a view's entry for the command's
flags, and printing rows as a table, CSV or JSON."""

from __future__ import annotations

import argparse
import sys

from dashboard.settings import Settings

FORMATS = ("table", "csv", "json")


def open_database(settings: Settings, reading: bool = False):
    """The database, migrated and with the reference data (no demo data). A reading command
    (`reading`) on a database already at the newest schema opens it as it is: the start of
    the server, `init-db` and every writing command migrate and load the reference data."""
    from data_access import sessions
    from data_access.db import is_current, make_engine

    # Revocations from the command line (reset-password, set-role, …) reach Redis sessions.
    sessions.bind_redis(settings.redis_url)
    if reading:
        engine = make_engine(settings.database_url)
        if is_current(engine):
            return engine
        engine.dispose()
    from data_access.bootstrap import prepare_database

    return prepare_database(settings.database_url, demo_on_empty=False)


def emit(
    rows: list[dict], columns: tuple[str, ...], text_columns: list[tuple[str, str]], fmt: str
) -> None:
    from dashboard.services import tabular

    if fmt == "csv":
        sys.stdout.write(tabular.to_csv(rows, columns))
    elif fmt == "json":
        sys.stdout.write(tabular.to_json(rows) + "\n")
    else:
        sys.stdout.write(tabular.to_text(rows, text_columns) + "\n")


def view(args: argparse.Namespace, settings: Settings, entry):
    """Run a view's entry (`dashboard/services/entries.py`) for the command's flags: the figures the
    page and its downloads show for the same query."""
    from dashboard.domain.query import ViewQuery
    from dashboard.services import context

    engine = open_database(settings, reading=True)
    with context.standalone(engine, settings):
        return entry(ViewQuery.from_cli(args))


def add_view(p: argparse.ArgumentParser, command: str) -> None:
    from dashboard.domain.query import COMMANDS, add_cli_flags

    add_cli_flags(p, COMMANDS[command])
    p.add_argument("--format", choices=FORMATS, default="table", help="table | csv | json")
