"""Load a validated export in one transaction, or refuse it with a report."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import OperationalError

from dashboard.domain import clock
from dashboard.domain.formatting import fmt_int, safe_cell
from dashboard.domain.worktime import WorkCalendar
from data_access import accounts, queries
from data_access.db import inserted_id
from data_access.importer.config import Mapping, load_mapping
from data_access.importer.isolation import read_isolated
from data_access.importer.matching import Catalog
from data_access.importer.reader import FileRefused
from data_access.importer.validate import Problem, Validated, validate
from data_access.models import Field, Import, Procedure
from data_access.writer import store_frame


@dataclass
class ImportReport:
    """What an import did, or would do (dry run), or why it was refused."""

    file_name: str
    file_hash: str
    status: str  # committed, partial, dry_run, refused
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    error: str | None = None  # the whole file refused
    new_procedures: dict[str, tuple[str, str]] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    import_id: int | None = None
    header: list[str] = field(default_factory=list)
    day_only: dict[str, int] = field(default_factory=dict)  # date column -> values with no time
    rejected_cells: dict[int, list[Any]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether data was (or, in a dry run, would be) written."""
        return self.status in ("committed", "partial", "dry_run")

    def summary(self) -> list[str]:
        """The report in Vietnamese, one line each."""
        head = {
            "committed": "Đã nhập dữ liệu.",
            "partial": "Đã nhập các dòng hợp lệ; các dòng lỗi bị loại.",
            "dry_run": "Kiểm tra xong (chưa ghi gì vào cơ sở dữ liệu).",
            "refused": "Tệp bị từ chối: không ghi gì vào cơ sở dữ liệu.",
        }[self.status]
        lines = [f"{head} Tệp: {self.file_name}"]
        if self.error:
            lines.append(f"Lý do: {self.error}")
        lines.append(
            f"Đọc {fmt_int(self.rows_read)} dòng: mới {fmt_int(self.inserted)}, cập nhật "
            f"{fmt_int(self.updated)}, không đổi {fmt_int(self.unchanged)}, lỗi "
            f"{fmt_int(self.rejected)}."
        )
        if self.new_procedures:
            lines.append(
                "Thủ tục mới thêm vào danh mục: "
                + "; ".join(
                    f"{code} {name} ({fld})" for code, (name, fld) in self.new_procedures.items()
                )
            )
        if self.ignored_columns:
            lines.append("Cột không dùng: " + ", ".join(self.ignored_columns) + ".")
        lines += self.notes
        for p in self.problems[:200]:
            lines.append(f"Dòng {p.row}, cột «{p.column}», giá trị «{p.value}»: {p.reason}.")
        if len(self.problems) > 200:
            lines.append(f"… và {fmt_int(len(self.problems) - 200)} lỗi khác.")
        return lines

    def rejected_csv(self) -> bytes:
        """The rejected rows as the file had them, plus the reasons; opens in Excel (BOM),
        and cells starting with = + - @ are prefixed with ' so they are never formulas."""
        reasons: dict[int, list[str]] = {}
        for p in self.problems:
            reasons.setdefault(p.row, []).append(f"{p.column}: {p.reason}")
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["Dòng", *self.header, "Lý do"])
        for number, cells in sorted(self.rejected_cells.items()):
            writer.writerow(
                [
                    number,
                    *[safe_cell(c) for c in cells],
                    safe_cell("; ".join(reasons.get(number, []))),
                ]
            )
        return ("\ufeff" + out.getvalue()).encode("utf-8")


# Called with the name of each stage an import reaches ("read", "validated", "written": every
# row is in the open transaction, just before the commit). Empty in production; tests hold an
# import at a stage to act at that exact moment instead of guessing it from the clock.
_checkpoints: list[Callable[[str], None]] = []


@contextmanager
def checkpoint_hook(fn: Callable[[str], None]) -> Iterator[None]:
    """Call `fn(stage)` at each stage of the imports run inside the block."""
    _checkpoints.append(fn)
    try:
        yield
    finally:
        _checkpoints.remove(fn)


def _reached(stage: str) -> None:
    for fn in list(_checkpoints):
        fn(stage)


def _catalog(engine: Engine) -> Catalog:
    with engine.connect() as conn:
        fields = {name: fid for fid, name in queries.fields(conn).items()}
        return Catalog(queries.all_units(conn), queries.procedures(conn), fields)


def _audit_event(conn: Connection, report: ImportReport, user: str) -> None:
    """The audit log's line for this import, in the transaction that writes its rows (or its
    refusal): a killed import leaves neither rows nor a line, a committed one both."""
    accounts.audit(
        conn,
        user,
        "nhap_du_lieu" if report.status in ("committed", "partial") else "nhap_du_lieu_bi_tu_choi",
        f"{report.file_name}: mới {report.inserted}, cập nhật {report.updated}, "
        f"lỗi {report.rejected}",
    )


def _audit(engine: Engine, report: ImportReport, user: str) -> None:
    with engine.begin() as conn:
        _audit_event(conn, report, user)
        report.import_id = inserted_id(
            conn.execute(
                insert(Import).values(
                    created_at=clock.now(),
                    user=user,
                    file_name=report.file_name,
                    file_hash=report.file_hash,
                    rows_read=report.rows_read,
                    inserted=0,
                    updated=0,
                    unchanged=0,
                    rejected=report.rejected,
                    status="refused",
                )
            )
        )


def import_bytes(
    engine: Engine,
    data: bytes,
    file_name: str,
    user: str = "",
    partial: bool = False,
    dry_run: bool = False,
    unit_default: str | None = None,
    mapping: Mapping | None = None,
    calendar: WorkCalendar | None = None,
) -> ImportReport:
    """Validate `data` and, unless refused or a dry run, write it in one transaction."""
    mapping = mapping or load_mapping()
    report = ImportReport(Path(file_name).name, hashlib.sha256(data).hexdigest(), "refused")
    try:
        table = read_isolated(data, file_name, mapping.limits)
        _reached("read")
        catalog = _catalog(engine)
        if unit_default and not catalog.units.versions(unit_default):
            raise FileRefused(f"Mã đơn vị mặc định không có trong danh mục: {unit_default}")
        checked = validate(table, catalog, mapping, unit_default)
        del table  # the cells as read: the checked columns are all the write needs
    except FileRefused as exc:
        report.error = str(exc)
        if not dry_run:
            _audit(engine, report, user)
        return report
    _reached("validated")
    _fill(report, checked)
    if checked.problems and not partial:
        report.error = (
            f"{fmt_int(report.rejected)} dòng có lỗi; sửa tệp rồi nhập lại, hoặc chỉ "
            "nhập các dòng hợp lệ."
        )
        if not dry_run:
            _audit(engine, report, user)
        return report
    try:
        _write(engine, report, checked, catalog, user, dry_run, partial, calendar)
    except OperationalError as exc:
        if "locked" not in str(exc).lower():
            raise  # the database is away: the server says so
        # SQLite: another process's import holds the write lock past the wait.
        report.status = "refused"
        report.error = (
            "Cơ sở dữ liệu đang ghi một lần nhập khác: chưa ghi gì từ tệp này, hãy nhập lại "
            "sau ít phút."
        )
    return report


def _fill(report: ImportReport, checked: Validated) -> None:
    report.rows_read = checked.rows_read
    report.problems = checked.problems
    report.rejected = len(checked.rejected)
    report.rejected_cells = checked.rejected
    report.header = checked.header
    report.ignored_columns = checked.ignored_columns
    report.new_procedures = checked.new_procedures
    report.notes = checked.notes
    report.day_only = checked.day_only


def _write(
    engine: Engine,
    report: ImportReport,
    checked: Validated,
    catalog: Catalog,
    user: str,
    dry_run: bool,
    partial: bool,
    calendar: WorkCalendar | None,
) -> None:
    with engine.connect() as conn:
        tx = conn.begin()
        try:
            field_ids = dict(catalog.fields)
            for name in sorted(checked.new_fields - field_ids.keys()):
                field_ids[name] = inserted_id(conn.execute(insert(Field).values(name=name)))
            for code, (name, fld) in checked.new_procedures.items():
                conn.execute(
                    insert(Procedure).values(
                        code=code,
                        name=name[:500],
                        field_id=field_ids[fld],
                        level="",
                        has_fee=False,
                        online=False,
                    )
                )
            frame = checked.frame
            unknown = frame["field_id"].isna()
            if unknown.any():  # fields created above (or none: an unclassified procedure)
                frame.loc[unknown, "field_id"] = [
                    field_ids.get(name or "", np.nan) for name in frame["_field_name"][unknown]
                ]
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
                    )
                )
            )
            result = store_frame(conn, frame, import_id=import_id, cal=calendar)
            report.inserted, report.updated, report.unchanged = (
                result.inserted,
                result.updated,
                result.unchanged,
            )
            report.status = (
                "dry_run"
                if dry_run
                else ("partial" if partial and report.rejected else "committed")
            )
            conn.execute(
                update(Import)
                .where(Import.id == import_id)
                .values(
                    inserted=result.inserted,
                    updated=result.updated,
                    unchanged=result.unchanged,
                    status=report.status,
                )
            )
            if dry_run:
                tx.rollback()
            else:
                _audit_event(conn, report, user)
                _reached("written")
                tx.commit()
                report.import_id = import_id
        except BaseException:
            tx.rollback()
            raise


def import_file(engine: Engine, path: str | Path, **kwargs: Any) -> ImportReport:
    """Import a file from disk (the CLI path); refuses it unread when it is over the limit."""
    path = Path(path)
    limit = (kwargs.get("mapping") or load_mapping()).limits["max_file_mb"] * 1024 * 1024
    if path.stat().st_size > limit:
        report = ImportReport(path.name, "", "refused")
        report.error = f"Tệp vượt giới hạn {limit // 1048576} MB."
        return report
    return import_bytes(engine, path.read_bytes(), path.name, **kwargs)


def latest_imports(engine: Engine, limit: int = 20) -> list[Any]:
    """The newest import records (for the data page)."""
    with engine.connect() as conn:
        return list(conn.execute(select(Import).order_by(Import.id.desc()).limit(limit)))
