"""An import's record around its writes, in the one transaction that writes its rows: the
record opened "pending", the status and counts set when the rows are in, the audit line, the
commit (a dry run rolls it all back). Dossier lists and the 766 sources share it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, insert, update

from dashboard.domain import clock
from data_access import accounts
from data_access.db import inserted_id
from data_access.importer import again
from data_access.models import Import

if TYPE_CHECKING:
    from data_access.importer.load import ImportReport


def audit_event(conn: Connection, report: ImportReport, user: str) -> None:
    """The audit log's line for this import, in the transaction that writes its rows (or its
    refusal): a killed import leaves neither rows nor a line, a committed one both."""
    accounts.audit(
        conn,
        user,
        "nhap_du_lieu" if report.status in ("committed", "partial") else "nhap_du_lieu_bi_tu_choi",
        f"{report.file_name}: mới {report.inserted}, cập nhật {report.updated}, "
        f"lỗi {report.rejected}",
    )


def insert_record(conn: Connection, report: ImportReport, user: str, status: str) -> int:
    """The import's record as the report stands (rows read, rejected, kind); its id."""
    return inserted_id(
        conn.execute(
            insert(Import).values(
                created_at=clock.now(),
                user=user,
                file_name=report.file_name,
                file_hash=report.file_hash,
                rows_read=report.rows_read,
                rejected=report.rejected,
                status=status,
                kind=report.kind,
            )
        )
    )


@contextmanager
def recorded(
    engine: Engine,
    report: ImportReport,
    user: str,
    *,
    dry_run: bool,
    partial: bool,
    key: str,
    reached: Callable[[str], None],
) -> Iterator[tuple[Connection, int]]:
    """(connection, import id) for the body's writes; then the record says what they did
    (`report`'s counts, partial when rows were left out) and the transaction commits, or rolls
    back in a dry run or on any error. `reached("written")` is the fault tests' last stop."""
    with engine.connect() as conn:
        tx = conn.begin()
        try:
            import_id = insert_record(conn, report, user, "pending")
            yield conn, import_id
            history = report.history
            partly = partial and (report.rejected or (history is not None and history.rejected))
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
                    data_version=again.version_now(conn),  # after this import's own bump
                    has_history=history is not None,
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
