"""Where units stand against each other and against their targets: the league tables (rank,
ties, movement against the previous period) and the units × indicators below target with how
many periods in a row, and the explanations on record."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import Engine

from dashboard.domain.catalog import BY_KEY, CATALOG
from dashboard.domain.formatting import vn_sort_key
from dashboard.domain.league import Ranked, rank_units
from dashboard.domain.periods import Period
from dashboard.domain.scope import Scope
from dashboard.domain.targets import Evaluated
from dashboard.domain.units import UnitRow
from dashboard.services.report import LEAGUE_GROUPS, ScopeError, UnitReport, compute
from data_access import explanations
from data_access.counts import NO_FILTERS, Filters
from data_access.explanations import ExplanationRow


@dataclass(frozen=True)
class LeagueRow:
    """A place in a league table."""

    ranked: Ranked
    report: UnitReport


def league_value(report: UnitReport, by: str | None) -> float | None:
    """What a league ranks on: the 766 share of the data-supported maximum, or one indicator."""
    if by is None:
        return report.score.share if report.has_data else None
    return report.indicators[by].value


def league(
    engine: Engine,
    period: Period,
    group: str = "xa",
    by: str | None = None,
    filters: Filters = NO_FILTERS,
    scope: Scope | None = None,
) -> list[LeagueRow]:
    """Communes/towns (`xa`) or departments (`phong`) ranked by total score or by indicator
    `by`, with movement against the previous period of the same length."""
    if group not in LEAGUE_GROUPS:
        raise ScopeError(f"Nhóm xếp hạng không hợp lệ: {group} (xa | phong)")
    if by is not None and by not in BY_KEY:
        raise ScopeError(f"Không có chỉ số (unknown indicator): {by}")
    higher = True if by is None else BY_KEY[by].higher_is_better
    now = compute(engine, period, filters=filters, scope=scope)
    # Last period's figures of this period's units: after a merger, the predecessors' sum.
    before = compute(engine, period.previous(), filters=filters, scope=scope, as_of=period)
    kinds = LEAGUE_GROUPS[group]
    mine = [r for r in now.units if r.unit.kind in kinds]
    values = {r.unit.id: league_value(r, by) for r in mine}
    previous = {r.unit.id: league_value(r, by) for r in before.units if r.unit.kind in kinds}
    ranked = rank_units(values, previous, higher, [r.unit.id for r in mine])
    by_id = {r.unit.id: r for r in mine}
    return [LeagueRow(x, by_id[x.unit_id]) for x in ranked]


# Seed 002/003: three periods in a row below target is a pattern, not an accident (highlighted,
# and what the "only long runs" view lists).
LONG_RUN = 3


@dataclass(frozen=True)
class BelowTarget:
    """A unit × indicator below target, how long it has been, and what is on record."""

    unit: UnitRow
    indicator: Evaluated
    consecutive_periods: int
    explanation: ExplanationRow | None

    @property
    def explanation_status(self) -> str | None:
        """The status of the explanation on record (None: nothing asked yet)."""
        return self.explanation.status if self.explanation else None


def below_target(
    engine: Engine,
    period: Period,
    filters: Filters = NO_FILTERS,
    max_lookback: int = 12,
    with_explanations: bool = True,
    scope: Scope | None = None,
) -> list[BelowTarget]:
    """Every unit × indicator below target in `period`, with the number of consecutive
    periods of the same length it has been below (this one included, up to max_lookback+1),
    and the explanation on record (left out when `with_explanations` is False: see
    `attach_explanations`, for results cached across explanation changes)."""
    now = compute(engine, period, filters=filters, scope=scope)
    misses = [
        (r.unit, ev) for r in now.units for ev in r.indicators.values() if ev.status == "khong_dat"
    ]
    streak = {(u.id, ev.key): 1 for u, ev in misses}
    open_keys = set(streak)
    earlier = period
    for _ in range(max_lookback):
        if not open_keys:
            break
        earlier = earlier.previous()
        # This period's units, back in time (a merged unit's run counts its predecessors').
        past = compute(engine, earlier, filters=filters, scope=scope, as_of=period).by_id()
        for key in list(open_keys):
            unit, ind = key
            rep = past.get(unit)
            if rep is not None and rep.indicators[ind].status == "khong_dat":
                streak[key] += 1
            else:
                open_keys.discard(key)
    order = {spec.key: i for i, spec in enumerate(CATALOG)}
    rows = [BelowTarget(u, ev, streak[(u.id, ev.key)], None) for u, ev in misses]
    rows.sort(key=lambda r: (vn_sort_key(r.unit.name), r.unit.valid_from, order[r.indicator.key]))
    return attach_explanations(engine, period.key, rows) if with_explanations else rows


def attach_explanations(
    engine: Engine, period_key: str, rows: Sequence[BelowTarget]
) -> list[BelowTarget]:
    """`rows` with the explanations on record for the period, read now."""
    with engine.connect() as conn:
        on_record = explanations.for_period(conn, period_key)
    return [replace(r, explanation=on_record.get((r.unit.id, r.indicator.key))) for r in rows]
