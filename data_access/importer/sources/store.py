"""One transaction for a 766 source file: the import's record (with its kind), the rows, the
data version bumped when a row changed (cached figures refresh), the audit line."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from data_access import versioning
from data_access.importer.record import recorded
from data_access.importer.sources import Checked, write

if TYPE_CHECKING:
    from data_access.importer.load import ImportReport


def fill(report: ImportReport, checked: Checked) -> None:
    """The validation's part of the report."""
    report.kind = checked.sheet.kind
    report.rows_read = checked.rows_read
    report.problems = checked.problems
    report.rejected = len(checked.rejected)
    report.rejected_cells = checked.rejected
    report.header = checked.sheet.header
    report.ignored_columns = checked.sheet.ignored
    report.notes = checked.sheet.notes + checked.notes


def store(
    engine: Engine,
    report: ImportReport,
    checked: Checked,
    user: str,
    dry_run: bool,
    partial: bool,
    key: str,
    reached: Callable[[str], None],
) -> None:
    """Write the valid rows (rolled back in a dry run) and record the import."""
    with recorded(
        engine, report, user, dry_run=dry_run, partial=partial, key=key, reached=reached
    ) as (conn, import_id):
        counts, notes = write(conn, checked, import_id)
        report.inserted, report.updated = counts.inserted, counts.updated
        report.unchanged = counts.unchanged
        report.notes += notes
        if counts.inserted or counts.updated:
            versioning.bump(conn)
