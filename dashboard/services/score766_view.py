"""The Điểm 766 page's figures: one unit's (or the scope's) score with each component's source,
the points lost and, for a component, the dossiers, PAKN or procedures behind the loss."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dashboard.domain import catalogue766
from dashboard.domain.catalogue766 import CATALOGUE_GAPS, level_of
from dashboard.domain.formatting import fmt_date, fmt_datetime, fmt_int, fmt_number
from dashboard.domain.periods import Period, parse_period
from dashboard.domain.query import ViewQuery
from dashboard.domain.score766 import BY_CODE, on_time_pair
from dashboard.domain.worktime import WorkCalendar
from dashboard.services import context, entries, score766_rows, viewer
from dashboard.services.report import USAGE, UnitReport, fold_map
from data_access import queries, score_lists, score_sources
from data_access.counts import NO_FILTERS, period_counts
from data_access.procedure_times import procedure_times

RATINGS_VI = {"hai_long": "Hài lòng", "khong_hai_long": "Không hài lòng", "": "Chưa đánh giá"}
ONLINE_VI = {"toan_trinh": "Toàn trình", "mot_phan": "Một phần", "khong": "Không"}
TIMES = "thoi-gian"  # not a component: the average processing time per procedure
TIMES_HEADER = (
    "Mã thủ tục",
    "Tên thủ tục",
    "Đã giải quyết",
    "Trễ hạn",
    "Trung bình (ngày lịch)",
    "Thời hạn trung bình (ngày lịch)",
)


@dataclass(frozen=True)
class GapList:
    """The items behind a component's lost points (a table), or why there is none."""

    title: str
    header: tuple[str, ...]
    rows: Sequence[Sequence[str]]
    total: int
    note: str = ""


@dataclass(frozen=True)
class ScoreView:
    """What the page shows for a unit (or the scope) and a period."""

    report: UnitReport
    rows: list[dict]  # score766_rows.rows for this unit
    on_time_directive: float | None
    on_time_766: float | None
    late_by_supplements: int  # resolved on time, counted late by 766 (asked 2+ times)
    may_list: bool = True  # the account may open the items behind a loss (its own unit's)


def chosen(q: ViewQuery) -> UnitReport:
    """The figures of `q.unit` (or of the scope when none) for `q.period`."""
    q = entries.resolved(q)
    rep = entries.indicators(ViewQuery(period=q.period, units=(q.unit,) if q.unit else ()))
    return rep.units[0] if q.unit and rep.units else rep.parent


def unit_view(q: ViewQuery) -> ScoreView:
    """The score of `q.unit` (or of the scope when none) for `q.period`."""
    unit = chosen(q)
    notes = score766_rows.source_notes(context.get().reader())
    directive, by_766, handled = on_time_pair(unit.counts)
    scope = viewer.current()
    return ScoreView(
        unit,
        score766_rows.rows([unit], notes),
        directive / handled if handled else None,
        by_766 / handled if handled else None,
        unit.counts["resolved_on_time"] - unit.counts["resolved_on_time_766"],
        not scope.unit_only or scope.may_see_unit(unit.unit.id),
    )


def _versions(unit: UnitReport, members: list[UnitReport]) -> list[int]:
    """The unit versions whose records count for `unit` (the scope: all its members')."""
    engine = context.get().reader()
    with engine.connect() as conn:
        units = queries.all_units(conn)
    targets = [m.unit for m in members] if unit.unit.id == 0 else [unit.unit]
    return sorted(fold_map(units, targets))


def gap_list(q: ViewQuery, unit: UnitReport, component: str) -> GapList:
    """The dossiers, PAKN or procedures that cost `unit` (`chosen(q)`) points on
    `component`."""
    spec = BY_CODE.get(component)
    if spec is None and component != TIMES:
        return GapList("", (), [], 0, f"Không có thành phần {component}.")
    scope = viewer.current()
    if scope.unit_only and not scope.may_see_unit(unit.unit.id):
        return GapList("", (), [], 0, "Chỉ xem được danh sách của đơn vị mình.")
    period = parse_period(q.period)
    rep = entries.indicators(ViewQuery(period=q.period))
    unit_ids = _versions(unit, rep.units)
    if spec is None:
        return _times(unit_ids, period)
    title = f"Chưa đạt ở {spec.code} {spec.name}"
    engine = context.get().reader()
    if component in score_lists.DOSSIER_COMPONENTS:
        total, found = score_lists.gap_dossiers(
            engine, component, unit_ids, period.start, period.end
        )
        # On time counts late by 766 when supplements were asked more than once: say so.
        asked = component == "2.1"
        rows = [
            (code, name or "", fmt_datetime(rec), fmt_datetime(due), fmt_datetime(fin), st or "")
            + ((fmt_int(n),) if asked else ())
            for code, name, rec, due, fin, st, n in found
        ]
        header = score_lists.DOSSIER_HEADER + (("Số lần yêu cầu bổ sung",) if asked else ())
        return GapList(title, header, rows, total)
    if component in score_lists.FEEDBACK_COMPONENTS:
        total, items = score_lists.gap_feedback(
            engine, component, unit_ids, period.start, period.end
        )
        pakn = [
            (code, fmt_date(rec), fmt_date(due), fmt_date(done), RATINGS_VI.get(r, r))
            for code, rec, due, done, r in items
        ]
        return GapList(title, score_lists.FEEDBACK_HEADER, pakn, total)
    if component in CATALOGUE_GAPS:
        return _procedure_gaps(title, component, unit.unit.kind, unit_ids, period)
    return GapList(title, (), [], 0, "Thành phần này tính từ số liệu tổng hợp, không có danh sách.")


def _times(unit_ids: list[int], period: Period) -> GapList:
    """Per procedure, the dossiers resolved in the period: how long they took on average
    (calendar days from reception to result) against the time they were given."""
    found = procedure_times(context.get().reader(), unit_ids, period.start, period.end)
    rows = [
        (
            p.code,
            p.name,
            fmt_int(p.resolved),
            fmt_int(p.late),
            fmt_number(p.days_taken),
            fmt_number(p.days_given),
        )
        for p in found
    ]
    title = "Thời gian giải quyết trung bình theo thủ tục"
    if not rows:
        return GapList(title, (), [], 0, "Không có hồ sơ nào được giải quyết trong kỳ.")
    return GapList(title, TIMES_HEADER, rows, len(rows))


def _procedure_gaps(
    title: str, component: str, kind: str, unit_ids: list[int], period: Period
) -> GapList:
    engine = context.get().reader()
    with engine.connect() as conn:
        entries_ = score_sources.catalogue_in_force(conn, period.start, period.end)
        used = period_counts(
            conn, period.start, period.end, unit_ids, NO_FILTERS,
            by=("procedure_code",), quantities=USAGE,
        )  # fmt: skip
    usage = {k[0]: catalogue766.Usage(**{q: v[q] for q in USAGE}) for k, v in used.items() if k[0]}
    level = "xa" if kind == "scope" else level_of(kind)
    found = catalogue766.failing(entries_, level, usage, WorkCalendar(), component)
    rows = [
        (
            e.code,
            e.name,
            ONLINE_VI.get(e.online_level, e.online_level),
            fmt_date(e.decision_on) if e.decision_on else "—",
            fmt_date(e.effective_from),
            fmt_date(e.published_on) if e.published_on else "—",
            f"{e.parts_published}/{catalogue766.FULL_PARTS}",
        )
        for e in found
    ]
    header = (
        "Mã thủ tục",
        "Tên thủ tục",
        "Trực tuyến",
        "Quyết định công bố",
        "Hiệu lực",
        "Công khai",
        "Bộ phận công khai",
    )
    return GapList(title, header, rows, len(rows))
