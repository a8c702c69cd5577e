"""The officer figures' entry: per officer, step kind or department, for a period, a unit (or
every unit in scope) and a field filter. The unit page's tab, its downloads and `tthc
officers` call it with the same query, so they cannot differ.

Who sees what (docs/officers.md): the office every unit's officers; a unit account its own
unit's; an officer account only its own row; leadership and the meeting-room screen only
step kinds and departments unless TTHC_OFFICER_NAMES_ON_WALL is on. Where a number comes
from: here → data_access/officer_counts.py (sums of the per-day officer counts).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dashboard.domain import clock, rules
from dashboard.domain.officer_rows import (
    BY,
    OfficerRow,
    member_label,
    ordered,
    unknown_row,
)
from dashboard.domain.officer_warnings import OfficerLine, per_officer
from dashboard.domain.periods import Period, parse_period
from dashboard.domain.query import ViewQuery
from dashboard.services import context, figures, report, viewer
from dashboard.services.cache import memoize_once
from dashboard.services.report import ScopeError
from dashboard.services.warning_view import WarningView
from data_access import officer_counts, officer_dossiers, officer_warnings


class NotAllowed(Exception):
    """The account may not see these officer figures (the message says why, in Vietnamese)."""


@dataclass(frozen=True)
class OfficerView:
    """The rows of one view of the officer figures."""

    period: Period
    by: str  # officer | kind | department
    rows: tuple[OfficerRow, ...]
    unit_names: tuple[str, ...]  # the units listed, in order


def names_allowed(scope: viewer.Scope) -> bool:
    """Whether the account may see officers by name (any unit it may see)."""
    if scope.role in ("van_phong", "don_vi", "can_bo"):
        return True
    return context.get().settings.officer_names_on_wall


def officers(q: ViewQuery, by: str = "officer") -> OfficerView:
    """The officer figures the query asks for, narrowed to what the account may see."""
    if by not in BY:
        raise ScopeError(f"Cách nhóm không hợp lệ: {by} (officer, kind hoặc department)")
    scope = viewer.current()
    if by == "officer" and not names_allowed(scope):
        raise NotAllowed("Tài khoản này chỉ xem số liệu theo bước xử lý và phòng ban.")
    q = q if q.period else q.with_default_period(figures.newest_day())
    p = parse_period(q.period)
    rep = figures.district_report(figures.data_version(), p.key)
    if q.unit:
        mine = rep.find(q.unit)
        if mine is None or not _may_see(scope, mine.unit.id):
            raise NotAllowed(f"Không có đơn vị {q.unit} trong kỳ {p.label}, hoặc tài khoản này "
                             "không được xem.")  # fmt: skip
        units = (mine.unit.id,)
    else:
        units = tuple(u.unit.id for u in rep.units if _may_see(scope, u.unit.id))
    rows = _rows(figures.data_version(), p.key, by, tuple(sorted(q.fields)), units)
    if scope.role == "can_bo":
        mine_ids = _own_persons(scope)
        rows = tuple(r for r in rows if not r.unknown and r.member in mine_ids)
    names = tuple(dict.fromkeys(r.unit_name for r in rows))
    return OfficerView(p, by, rows, names)


def _may_see(scope: viewer.Scope, unit_id: int) -> bool:
    if scope.role == "can_bo":
        return unit_id in scope.visible
    return scope.may_see_unit(unit_id)


def _own_persons(scope: viewer.Scope) -> set[str]:
    if not scope.officer_key or scope.unit_id is None:
        return set()
    with context.get().engine.connect() as conn:
        ids = officer_counts.persons_of(conn, sorted(scope.visible), scope.officer_key)
    return {str(i) for i in ids}


@memoize_once
def _rows(
    version: str, period_key: str, by: str, fields: tuple[str, ...], units: tuple[int, ...]
) -> tuple[OfficerRow, ...]:
    p = parse_period(period_key)
    engine = context.get().engine
    filter_key = (fields, (), ())
    rep = figures.district_report(version, p.key, None, filter_key)
    known = rep.by_id()
    with engine.connect() as conn:
        field_ids = report.resolve_filters(conn, fields).field_ids if fields else None
        counts = officer_counts.member_counts(
            conn, p.start, p.end, list(units), BY[by], clock.now(), field_ids
        )
        names: dict[str, str] = {}
        titles: dict[str, str] = {}
        if by == "officer":
            found = officer_counts.officer_names(conn, [int(m) for _, m in counts])
            names = {str(k): v[0] for k, v in found.items()}
            titles = {str(k): v[1] for k, v in found.items()}
    out: list[OfficerRow] = []
    for uid in units:
        u = known.get(uid)
        if u is None:
            continue
        mine = {m: f for (unit, m), f in counts.items() if unit == uid}
        for member, f in mine.items():
            out.append(
                OfficerRow(
                    uid,
                    u.unit.code,
                    u.unit.name,
                    member,
                    member_label(by, member, names),
                    titles.get(member, ""),
                    f.handled,
                    f.overdue,
                    f.late_steps,
                    f.open_steps,
                    f.online_submitted,
                    f.online_answered_6h,
                    None if f.median_minutes is None else f.median_minutes / 60,
                )
            )
        s = rules.states(u.counts)
        unit_overdue = u.counts["resolved_late"] + s["pending_overdue"]
        extra = unknown_row(
            uid, u.unit.code, u.unit.name, unit_overdue, sum(f.overdue for f in mine.values())
        )
        if extra is not None:
            out.append(extra)
    return tuple(ordered(out, by))


@dataclass(frozen=True)
class MemberDossiers:
    """The dossiers behind one number of the officer table."""

    total: int
    dossiers: list[officer_dossiers.DossierTimeline]


def member_dossiers(q: ViewQuery, by: str, member: str, measure: str) -> MemberDossiers:
    """The dossiers behind `measure` of `member` in the query's unit and period, with their
    timelines, under the same rules as the table they are clicked from."""
    view = officers(q, by)  # refuses what the account may not see
    if not q.unit or len(view.rows) and len({r.unit_id for r in view.rows}) > 1:
        raise NotAllowed("Chọn một đơn vị.")
    if not any(r.member == member or (r.unknown and member == "") for r in view.rows):
        raise NotAllowed("Không có số liệu này cho tài khoản này.")
    unit_id = view.rows[0].unit_id
    with context.get().engine.connect() as conn:
        total, found = officer_dossiers.member_dossiers(
            conn, unit_id, BY[by], member, measure, view.period.start, view.period.end,
            clock.now(),
        )  # fmt: skip
    return MemberDossiers(total, found)


def warning_lines(view: WarningView) -> dict[int, list[OfficerLine]]:
    """The early warning per officer for the units of `view` (its day's list): empty for an
    account that may not see officers by name."""
    if not names_allowed(viewer.current()):
        return {}
    w = view.warnings
    unit_ids = tuple(sorted(u.unit.id for u in w.units))
    warned = tuple((x.unit.id, x.dossier.code, x.klass) for x in w.dossiers)
    return _warning_lines(figures.data_version(), w.as_of.isoformat(), unit_ids, warned)


@memoize_once
def _warning_lines(
    version: str, as_of: str, unit_ids: tuple[int, ...], warned: tuple
) -> dict[int, list[OfficerLine]]:
    with context.get().engine.connect() as conn:
        holders = officer_warnings.open_holders(conn, unit_ids, dt.date.fromisoformat(as_of))
    return per_officer(warned, holders)
