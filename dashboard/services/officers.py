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
from dataclasses import dataclass, field, replace

from dashboard.domain import clock, rules
from dashboard.domain.officer_rows import (
    BY,
    OfficerRow,
    member_label,
    ordered,
    unknown_row,
)
from dashboard.domain.officer_targets import MEASURES as TARGET_MEASURES
from dashboard.domain.officer_targets import meets, target_for, value_of
from dashboard.domain.officer_warnings import OfficerLine, per_officer
from dashboard.domain.periods import Period, parse_period
from dashboard.domain.query import ViewQuery
from dashboard.services import context, figures, report, viewer
from dashboard.services.cache import memoize_once
from dashboard.services.report import ScopeError
from dashboard.services.warning_view import WarningView
from data_access import (
    officer_aliases,
    officer_counts,
    officer_dossiers,
    officer_targets,
    officer_warnings,
)


class NotAllowed(Exception):
    """The account may not see these officer figures (the message says why, in Vietnamese)."""


@dataclass(frozen=True)
class Judged:
    """A row against one of its targets; `streak`: periods of the same length in a row
    (this one included) below it."""

    measure: str
    value: float | None
    target: float
    met: bool | None
    streak: int = 0


@dataclass(frozen=True)
class OfficerView:
    """The rows of one view of the officer figures, and each row's targets."""

    period: Period
    by: str  # officer | kind | department
    rows: tuple[OfficerRow, ...]
    unit_names: tuple[str, ...]  # the units listed, in order
    judged: dict[tuple[int, str], list[Judged]] = field(default_factory=dict)

    def below(self) -> list[tuple[OfficerRow, Judged]]:
        """The rows below a target, with the target missed (they never enter a unit league)."""
        return [
            (r, j) for r in self.rows for j in self.judged.get((r.unit_id, r.member), ())
            if j.met is False
        ]  # fmt: skip


def names_allowed(scope: viewer.Scope) -> bool:
    """Whether the account may see officers by name (any unit it may see)."""
    if scope.role in ("van_phong", "don_vi", "can_bo"):
        return True
    return context.get().settings.officer_names_on_wall


def officers(q: ViewQuery, by: str = "officer", medians: bool = True) -> OfficerView:
    """The officer figures the query asks for, narrowed to what the account may see. The
    median working time is a pass over the period's steps, not a sum (0,1–1,2 s for one unit
    at 5 million dossiers): without `medians` it is left out, and the tab fills it after the
    counts are on screen."""
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
        if mine is None or not scope.may_see_unit(mine.unit.id):
            raise NotAllowed(f"Không có đơn vị {q.unit} trong kỳ {p.label}, hoặc tài khoản này "
                             "không được xem.")  # fmt: skip
        units = (mine.unit.id,)
    else:
        units = tuple(u.unit.id for u in rep.units if scope.may_see_unit(u.unit.id))
    version, fields = figures.data_version(), tuple(sorted(q.fields))
    rows = _rows(version, p.key, by, fields, units)
    if medians:
        hours = _median_hours(version, p.key, by, fields, units)
        rows = tuple(replace(r, median_hours=hours.get((r.unit_id, r.member))) for r in rows)
    if scope.role == "can_bo":
        mine_ids = _own_persons(scope)
        rows = tuple(r for r in rows if not r.unknown and r.member in mine_ids)
    names = tuple(dict.fromkeys(r.unit_name for r in rows))
    judged = _judged(p, by, tuple(sorted(q.fields)), rows) if by != "department" else {}
    return OfficerView(p, by, rows, names, judged)


def _judged(
    p: Period, by: str, fields: tuple[str, ...], rows: tuple[OfficerRow, ...]
) -> dict[tuple[int, str], list[Judged]]:
    """Each row against its targets, with the run of periods below for those that miss."""
    with context.get().reader().connect() as conn:
        found = officer_targets.rules(conn)
    if not found:
        return {}
    version = figures.data_version()
    units = tuple(sorted({r.unit_id for r in rows}))

    def judge(r: OfficerRow, measure: str, day) -> Judged | None:
        officer = int(r.member) if by == "officer" and r.member.isdigit() else None
        kind = r.member if by == "kind" else None
        target = target_for(measure, day, found, r.unit_id, officer, kind)
        if target is None:
            return None
        value = value_of(measure, r.overdue, r.steps_ended, r.late_ended)
        return Judged(measure, value, target, meets(measure, value, target))

    out: dict[tuple[int, str], list[Judged]] = {}
    for r in rows:
        if r.unknown:
            continue
        for measure in TARGET_MEASURES:
            j = judge(r, measure, p.end)
            if j is None:
                continue
            streak = 0
            if j.met is False:
                streak, earlier = 1, p.previous()
                while streak < 24:
                    before = {(x.unit_id, x.member): x for x in
                              _rows(version, earlier.key, by, fields, units)}  # fmt: skip
                    prior = before.get((r.unit_id, r.member))
                    k = judge(prior, measure, earlier.end) if prior is not None else None
                    if k is None or k.met is not False:
                        break
                    streak, earlier = streak + 1, earlier.previous()
            out.setdefault((r.unit_id, r.member), []).append(replace(j, streak=streak))
    return out


def _own_persons(scope: viewer.Scope) -> set[str]:
    if not scope.officer_key or scope.unit_id is None:
        return set()
    with context.get().reader().connect() as conn:
        ids = officer_counts.persons_of(conn, sorted(scope.visible), scope.officer_key)
    return {str(i) for i in ids}


@memoize_once
def _median_hours(
    version: str, period_key: str, by: str, fields: tuple[str, ...], units: tuple[int, ...]
) -> dict[tuple[int, str], float]:
    p = parse_period(period_key)
    with context.get().reader().connect() as conn:
        field_ids = report.resolve_filters(conn, fields).field_ids if fields else None
        minutes = officer_counts.median_minutes(conn, p.start, p.end, units, BY[by], field_ids)
    return {k: v / 60 for k, v in minutes.items()}


@memoize_once
def _rows(
    version: str, period_key: str, by: str, fields: tuple[str, ...], units: tuple[int, ...]
) -> tuple[OfficerRow, ...]:
    p = parse_period(period_key)
    engine = context.get().reader()
    filter_key = (fields, (), ())
    rep = figures.district_report(version, p.key, None, filter_key)
    known = rep.by_id()
    with engine.connect() as conn:
        field_ids = report.resolve_filters(conn, fields).field_ids if fields else None
        counts = officer_counts.member_counts(
            conn, p.start, p.end, list(units), BY[by], clock.now(), field_ids, medians=False
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
                    steps_ended=f.steps_ended,
                    late_ended=f.late_ended,
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
    view = officers(q, by, medians=False)  # refuses what the account may not see
    if not q.unit:  # with a unit, every row is of that unit
        raise NotAllowed("Chọn một đơn vị.")
    if not any(r.member == member or (r.unknown and member == "") for r in view.rows):
        raise NotAllowed("Không có số liệu này cho tài khoản này.")
    unit_id = view.rows[0].unit_id
    with context.get().reader().connect() as conn:
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
    with context.get().reader().connect() as conn:
        holders = officer_warnings.open_holders(conn, unit_ids, dt.date.fromisoformat(as_of))
    return per_officer(warned, holders)


# -- The office's alias table (the data page) ---------------------------------------------
def _office_only() -> None:
    if viewer.current().role not in ("van_phong", "lanh_dao"):
        raise NotAllowed("Chỉ văn phòng được gộp tên cán bộ.")


def merge_units() -> list[tuple[int, str]]:
    """The unit versions with officers, as (id, label) for the merge form."""
    _office_only()
    # The primary, as for unit_officers: the form edits what it shows (never a stale copy).
    with context.get().engine.connect() as conn:
        return [(i, f"{n} ({c})") for i, c, n in officer_aliases.units_with_officers(conn)]


def unit_officers(unit_id: int) -> list[tuple[int, str, str | None]]:
    """A unit's officers: (id, name, the person it is merged into or None)."""
    _office_only()
    with context.get().engine.connect() as conn:
        return [(i, n, p) for i, n, _k, p in officer_aliases.officers_of(conn, unit_id)]


def merge(keep_id: int, other_id: int) -> str:
    """Count officer `other_id` as `keep_id` (two spellings of one person); the message."""
    _office_only()
    with context.get().engine.begin() as conn:
        return officer_aliases.merge_ids(conn, keep_id, other_id, viewer.current().person)


def unmerge(officer_id: int) -> None:
    """Undo a merge."""
    _office_only()
    with context.get().engine.begin() as conn:
        officer_aliases.unmerge(conn, officer_id, viewer.current().person)


def late_days(q: ViewQuery, by: str) -> list[tuple[str, float]]:
    """Where the late days of the unit's overdue dossiers of the period were spent: (member's
    name, calendar days), most first, under the table's rules (a forged request gets the
    table's refusal)."""
    view = officers(q, by, medians=False)
    if not q.unit or not view.rows:
        return []
    names = {r.member: r.name for r in view.rows if not r.unknown}
    with context.get().reader().connect() as conn:
        days = officer_dossiers.late_days(
            conn, view.rows[0].unit_id, BY[by], view.period.start, view.period.end, clock.now()
        )
    found = [(names[m], d) for m, d in days.items() if m in names and d > 0]
    return sorted(found, key=lambda x: -x[1])


# -- Targets set from the tab (the office, or the unit's own leadership) -------------------
def may_set_targets(scope: viewer.Scope) -> bool:
    """Office staff and leadership for any unit, a unit account for its own (checked again
    on the unit by `set_target`)."""
    return scope.role in ("van_phong", "lanh_dao", "don_vi")


def set_target(
    q: ViewQuery,
    measure: str,
    value: float,
    effective_from: dt.date,
    officer_member: str | None = None,
    kind: str | None = None,
    source: str = "",
) -> str:
    """Give the unit of `q` (one officer by its member id, a step kind, or every officer of
    the unit) a target from a day; the message. A unit account only for its own unit."""
    scope = viewer.current()
    if not may_set_targets(scope):
        raise NotAllowed("Tài khoản này không giao chỉ tiêu.")
    view = officers(q, "officer" if officer_member else "kind", medians=False)
    if not q.unit:
        raise NotAllowed("Chọn một đơn vị.")
    officer_id = None
    if officer_member:
        found = next((r for r in view.rows if r.member == officer_member and not r.unknown), None)
        if found is None:
            raise NotAllowed("Không có cán bộ này trong đơn vị.")
        officer_id = int(officer_member)
    with context.get().engine.begin() as conn:
        return officer_targets.add(
            conn, measure, value, effective_from, q.unit, None, kind, source, scope.person,
            officer_id=officer_id,
        )  # fmt: skip
