"""Load a validated export in one transaction, or refuse it with a report."""

from __future__ import annotations

import csv
import hashlib
import io
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.exc import OperationalError

from dashboard.domain import clock
from dashboard.domain.formatting import fmt_int, safe_cell
from dashboard.domain.worktime import WorkCalendar
from data_access import queries
from data_access.db import inserted_id
from data_access.importer import again, sources
from data_access.importer.config import Mapping, load_mapping
from data_access.importer.history import check_history, history_header
from data_access.importer.isolation import read_isolated
from data_access.importer.matching import Catalog
from data_access.importer.reader import FileRefused, RawTable
from data_access.importer.record import audit_event, insert_record, recorded
from data_access.importer.sources import catalogue
from data_access.importer.sources.store import fill, store
from data_access.importer.step_history import HistoryWrite
from data_access.importer.step_plan import StepPlan, plan_steps
from data_access.importer.validate import Problem, Validated, validate
from data_access.models import Field, Import, Procedure
from data_access.writer import raise_supplement_counts, store_frame

log = logging.getLogger(__name__)


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
    history: HistoryReport | None = None  # the processing history the file carried
    kind: str = "dossiers"  # or a 766 source: catalogue, feedback, satisfaction, sync

    @property
    def ok(self) -> bool:
        """Whether data was (or, in a dry run, would be) written."""
        return self.status in ("committed", "partial", "dry_run")

    @property
    def waits_for_dossiers(self) -> bool:
        """A refused history whose only problems are dossiers not found (yet): tried again
        once the other files of the same batch are in."""
        from data_access.importer.step_plan import NO_DOSSIER

        h = self.history
        return bool(
            h is not None
            and not self.rows_read
            and h.problems
            and all(p.reason == NO_DOSSIER for p in h.problems)
        )

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
        if self.kind in sources.TITLES:
            title, noun = sources.TITLES[self.kind]
            lines.append(
                f"{title}: đọc {fmt_int(self.rows_read)} dòng; {fmt_int(self.inserted)} {noun} "
                f"mới, {fmt_int(self.updated)} cập nhật, {fmt_int(self.unchanged)} không đổi, "
                f"{fmt_int(self.rejected)} dòng lỗi."
            )
        elif self.rows_read or self.history is None:
            lines.append(
                f"Đọc {fmt_int(self.rows_read)} dòng: mới {fmt_int(self.inserted)}, cập nhật "
                f"{fmt_int(self.updated)}, không đổi {fmt_int(self.unchanged)}, lỗi "
                f"{fmt_int(self.rejected)}."
            )
        if self.history is not None:
            lines.append(self.history.line())
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
            lines.append(
                f"Dòng {p.row}, cột «{p.column}», giá trị «{p.value}»: {p.reason}{_of(p)}."
            )
        if len(self.problems) > 200:
            lines.append(f"… và {fmt_int(len(self.problems) - 200)} lỗi khác.")
        if self.history is not None:
            lines += self.history.problem_lines()
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


def _of(p: Problem) -> str:
    return f" (hồ sơ {p.code})" if p.code and p.value != p.code else ""


@dataclass
class HistoryReport:
    """What an import did with the processing history it carried."""

    steps_read: int = 0
    rejected: int = 0
    dossiers: int = 0
    new: int = 0
    replaced: int = 0
    unchanged: int = 0
    steps_written: int = 0
    officers_new: int = 0
    problems: list[Problem] = field(default_factory=list)
    numbered: str = "dòng"  # "thứ" in a .json: a step's place among the file's steps

    def line(self) -> str:
        """The history's line of the report."""
        return (
            f"Quá trình xử lý: đọc {fmt_int(self.steps_read)} bước của "
            f"{fmt_int(self.dossiers)} hồ sơ: lịch sử mới {fmt_int(self.new)}, thay thế "
            f"{fmt_int(self.replaced)}, không đổi {fmt_int(self.unchanged)}; bước lỗi "
            f"{fmt_int(self.rejected)}; cán bộ mới {fmt_int(self.officers_new)}."
        )

    def problem_lines(self) -> list[str]:
        """Each step problem, the dossier named."""
        lines = [
            f"Bước {self.numbered} {p.row}{_of(p)}, cột «{p.column}», giá trị «{p.value}»: "
            f"{p.reason}."
            for p in self.problems[:200]
        ]
        if len(self.problems) > 200:
            lines.append(f"… và {fmt_int(len(self.problems) - 200)} lỗi bước khác.")
        return lines


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


def _audit(engine: Engine, report: ImportReport, user: str) -> None:
    with engine.begin() as conn:
        audit_event(conn, report, user)
        report.import_id = insert_record(conn, report, user, "refused")


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
    """Validate `data` (a dossier list, a processing history, a 766 source) and, unless
    refused or a dry run, write it in one transaction. A file that trips an error nobody
    foresaw is refused with a report (nothing written, the trace in the log), never raised
    into the page, the command or the inbox; only a database that is away is raised."""
    try:
        return _import_bytes(
            engine, data, file_name, user, partial, dry_run, unit_default, mapping, calendar
        )
    except OperationalError:
        raise  # the database is away: the server says so (503), the inbox tries again
    except Exception:
        log.exception("import of %s failed unexpectedly", file_name)
        report = ImportReport(Path(file_name).name, hashlib.sha256(data).hexdigest(), "refused")
        report.error = (
            "Không nhập được tệp: gặp lỗi chưa lường trước khi đọc hoặc ghi (đã ghi vào nhật "
            "ký máy chủ). Chưa ghi gì từ tệp này; hãy gửi tệp cho quản trị hệ thống."
        )
        if not dry_run:
            _audit(engine, report, user)
        return report


def _import_bytes(
    engine: Engine,
    data: bytes,
    file_name: str,
    user: str,
    partial: bool,
    dry_run: bool,
    unit_default: str | None,
    mapping: Mapping | None,
    calendar: WorkCalendar | None,
) -> ImportReport:
    mapping = mapping or load_mapping()
    report = ImportReport(Path(file_name).name, hashlib.sha256(data).hexdigest(), "refused")
    key = again.content_key(report.file_hash, mapping, unit_default, calendar)
    if not dry_run and (previous := again.unchanged_since(engine, key, partial)) is not None:
        return _imported_before(engine, report, previous, user, key)
    try:
        table = read_isolated(data, file_name, mapping.limits)
        _reached("read")
        catalog = _catalog(engine)
        if unit_default and not catalog.units.versions(unit_default):
            raise FileRefused(f"Mã đơn vị mặc định không có trong danh mục: {unit_default}")
        if (sheet := sources.detect(table, mapping)) is not None:  # a 766 source, not dossiers
            report.kind = sheet.kind
            checked_source = sources.check(sheet, catalog, mapping, unit_default)
            return _import_source(engine, report, checked_source, user, partial, dry_run, key)
        dossier_table: RawTable | None = table if table.has_dossiers else None
        history_table = table.history
        if dossier_table is not None and history_header(dossier_table, mapping) is not None:
            history_table, dossier_table = dossier_table, None  # a history on its own
        checked = (
            validate(dossier_table, catalog, mapping, unit_default)
            if dossier_table is not None
            else None
        )
        steps_checked = None
        if history_table is not None and history_header(history_table, mapping) is not None:
            steps_checked = check_history(history_table, mapping)
        elif history_table is not None and checked is not None:
            checked.notes.append(
                "Trang tính thứ hai không phải quá trình xử lý (cần các cột Mã hồ sơ, Người xử "
                "lý, Thời điểm xử lý): bỏ qua."
            )
        if checked is None and steps_checked is None:
            raise FileRefused("Tệp không có danh sách hồ sơ hay quá trình xử lý.")
        del table, dossier_table, history_table  # the checked columns are all the write needs
        plan = plan_steps(engine, steps_checked, checked, partial) if steps_checked else None
    except FileRefused as exc:
        report.error = str(exc)
        if not dry_run:
            _audit(engine, report, user)
        return report
    _reached("validated")
    if checked is not None:
        _fill(report, checked)
        _catalogue_note(engine, report, checked)
    if plan is not None:
        report.history = HistoryReport(
            steps_read=plan.rows_read,
            dossiers=len(set(plan.frame["code"]) | {p.code for p in plan.problems if p.code}),
            rejected=len({p.row for p in plan.problems}),
            problems=plan.problems,
            numbered="thứ" if plan.from_json else "dòng",
        )
        report.notes += plan.notes
    bad_steps = report.history.rejected if report.history else 0
    if (report.rejected or bad_steps) and not partial:
        parts = []
        if report.rejected:
            parts.append(f"{fmt_int(report.rejected)} dòng hồ sơ có lỗi")
        if bad_steps:
            parts.append(f"{fmt_int(bad_steps)} bước xử lý có lỗi")
        report.error = " và ".join(parts) + "; sửa tệp rồi nhập lại, hoặc chỉ nhập các dòng hợp lệ."
        if not dry_run:
            _audit(engine, report, user)
        return report
    try:
        _write(engine, report, checked, plan, catalog, user, dry_run, partial, calendar, key)
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


def _imported_before(
    engine: Engine, report: ImportReport, previous: Any, user: str, key: str
) -> ImportReport:
    """The report of a file imported before while nothing changed since: every row unchanged,
    nothing read or written but the import's record and audit line."""
    report.status = previous.status
    report.kind = previous.kind
    report.rows_read, report.rejected = previous.rows_read, previous.rejected
    report.unchanged = previous.inserted + previous.updated + previous.unchanged
    report.notes = [again.note(previous)]
    if report.kind == "catalogue":  # the dossiers are as they were: the same codes missing
        with engine.connect() as conn:
            report.notes.append(catalogue.dossier_codes_note(conn))
    with engine.begin() as conn:
        audit_event(conn, report, user)
        report.import_id = inserted_id(
            conn.execute(
                insert(Import).values(
                    created_at=clock.now(), user=user, file_name=report.file_name,
                    file_hash=report.file_hash, rows_read=report.rows_read, inserted=0,
                    updated=0, unchanged=report.unchanged, rejected=report.rejected,
                    status=report.status, content_key=key, data_version=previous.data_version,
                    has_history=False, kind=report.kind,
                )
            )
        )  # fmt: skip
    return report


def _import_source(
    engine: Engine,
    report: ImportReport,
    checked: sources.Checked,
    user: str,
    partial: bool,
    dry_run: bool,
    key: str,
) -> ImportReport:
    """A 766 source file validated: refused whole for a bad row unless partial, else written
    (importer/sources/store.py)."""
    _reached("validated")
    fill(report, checked)
    if report.rejected and not partial:
        report.error = (
            f"{fmt_int(report.rejected)} dòng có lỗi; sửa tệp rồi nhập lại, hoặc chỉ nhập các "
            "dòng hợp lệ."
        )
        if not dry_run:
            _audit(engine, report, user)
        return report
    try:
        store(engine, report, checked, user, dry_run, partial, key, _reached)
    except OperationalError as exc:
        if "locked" not in str(exc).lower():
            raise
        report.status = "refused"
        report.error = (
            "Cơ sở dữ liệu đang ghi một lần nhập khác: chưa ghi gì từ tệp này, hãy nhập lại "
            "sau ít phút."
        )
    return report


def _catalogue_note(engine: Engine, report: ImportReport, checked: Validated) -> None:
    """Once the province's catalogue is in: the file's procedure codes it does not have (the
    dossiers are imported all the same)."""
    if checked.frame.empty or "procedure_code" not in checked.frame:
        return
    with engine.connect() as conn:
        codes = {c for c in checked.frame["procedure_code"].unique() if isinstance(c, str)}
        if note := catalogue.file_codes_note(conn, codes):
            report.notes.append(note)


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


def _store_dossiers(
    conn: Connection,
    checked: Validated,
    catalog: Catalog,
    import_id: int,
    calendar: WorkCalendar | None,
    before_change: Any,
) -> Any:
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
    return store_frame(
        conn,
        frame,
        import_id=import_id,
        cal=calendar,
        before_change=before_change,
        absent=checked.absent,
    )


def _write(
    engine: Engine,
    report: ImportReport,
    checked: Validated | None,
    plan: StepPlan | None,
    catalog: Catalog,
    user: str,
    dry_run: bool,
    partial: bool,
    calendar: WorkCalendar | None,
    key: str,
) -> None:
    with recorded(
        engine, report, user, dry_run=dry_run, partial=partial, key=key, reached=_reached
    ) as (conn, import_id):
        history = HistoryWrite(conn, import_id, calendar or WorkCalendar())
        if checked is not None:
            result = _store_dossiers(
                conn, checked, catalog, import_id, calendar, history.before_change
            )
            report.inserted, report.updated, report.unchanged = (
                result.inserted,
                result.updated,
                result.unchanged,
            )
        written = history.finish(checked, plan)
        if plan is not None:
            raise_supplement_counts(conn, import_id)
        if report.history is not None and written is not None:
            h = report.history
            h.dossiers, h.new, h.replaced, h.unchanged = (
                written.dossiers,
                written.new,
                written.replaced,
                written.unchanged,
            )
            h.steps_written, h.officers_new = written.steps, written.officers_new


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
