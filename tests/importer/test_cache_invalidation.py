"""Cached dashboard figures are keyed by the data version, which every import bumps."""

from __future__ import annotations

from pathlib import Path

from dashboard.services import figures
from dashboard.settings import Settings
from dashboard.web.app import create_app
from data_access import queries
from data_access.importer import import_bytes
from tests.importer.files import csv_bytes
from tests.importer.test_load import GOOD


def test_an_import_invalidates_cached_figures(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    app = create_app(Settings(database_url=url, instance_dir=tmp_path, demo_on_empty=False))
    engine = app.server.extensions["tthc"].engine
    with app.server.app_context():
        import_bytes(engine, csv_bytes(GOOD[:2]), "a.csv")
        v1 = queries.data_version(engine)
        first = figures.scope_report(v1, "2025-03", ("10657",), figures.NO_FILTER)
        assert first.indicators["online_submission"].denominator == 2
        import_bytes(engine, csv_bytes(GOOD), "b.csv")
        v2 = queries.data_version(engine)
        assert v2 != v1
        assert (
            figures.scope_report(v2, "2025-03", ("10657",), figures.NO_FILTER)
            .indicators["online_submission"]
            .denominator
            == 5
        )
        # The old key still answers from the cache (proof that results are cached at all).
        assert (
            figures.scope_report(v1, "2025-03", ("10657",), figures.NO_FILTER)
            .indicators["online_submission"]
            .denominator
            == 2
        )
        # A refused or dry-run import does not change the version.
        import_bytes(engine, b"not a file", "x.csv")
        import_bytes(engine, csv_bytes(GOOD), "b.csv", dry_run=True)
        assert queries.data_version(engine) == v2
