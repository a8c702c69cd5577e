"""One transaction for a 766 source file: the import's record (with its kind), the rows, the
data version bumped when a row changed (cached figures refresh), the audit line."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, insert, update

from dashboard.domain import clock
from data_access import versioning
from data_access.db import inserted_id
from data_access.importer import again
from data_access.importer.sources import Checked, write
from data_access.models import Import

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
    audit_event: Callable[[Connection, ImportReport, str], None],
    reached: Callable[[str], None],
) -> None:
    """Write the valid rows (rolled back in a dry run) and record the import."""
    with engine.connect() as conn:
        tx = conn.begin()
        try:
            import_id = inserted_id(
                conn.execute(
                    insert(Import).values(
                        created_at=clock.now(),
                        user=user,
                        file_name=report.file_name,
                        file_hash=report.file_hash,
                        rows_read=report.rows_read,
                        rejected=report.rejected,
                        status="pending",
                        kind=report.kind,
                    )
                )
            )
            counts, notes = write(conn, checked, import_id)
            report.inserted, report.updated = counts.inserted, counts.updated
            report.unchanged = counts.unchanged
            report.notes += notes
            if counts.inserted or counts.updated:
                versioning.bump(conn)
            partly = partial and report.rejected
            report.status = "dry_run" if dry_run else ("partial" if partly else "committed")
            conn.execute(
                update(Import)
                .where(Import.id == import_id)
                .values(
                    inserted=report.inserted,
                    updated=report.updated,
                    unchanged=report.unchanged,
                    status=report.status,
                    content_key=key,
                    data_version=again.version_now(conn),
                    has_history=False,
                )
            )
            if dry_run:
                tx.rollback()
            else:
                audit_event(conn, report, user)
                reached("written")
                tx.commit()
                report.import_id = import_id
        except BaseException:
            tx.rollback()
            raise
