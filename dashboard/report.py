"""One path from the database to every figure: indicators, 766 scores, league, below target.

The dashboard, the CLI and the exports call these functions with the same
arguments, so a figure cannot differ between them. Counting happens in the
database (data_access.counts over the rollups); the rules are pure
(dashboard.indicators).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import Connection, Engine

from dashboard.formatting import fold, vn_sort_key
from dashboard.indicators import rules
from dashboard.indicators.catalog import BY_KEY, CATALOG
from dashboard.indicators.league import Ranked, rank_units
from dashboard.indicators.periods import Period
from dashboard.indicators.score766 import ProcedureStats, Score766, score
from dashboard.indicators.targets import Evaluated, TargetRule, evaluate, target_for
from dashboard.indicators.units import COMMUNE_KINDS, RECEIVING_KINDS, UnitRow, Units
from data_access import explanations, queries
from data_access.counts import NO_FILTERS, QUANTITIES, Filters, period_counts
from data_access.explanations import ExplanationRow

LEAGUE_GROUPS = {"xa": COMMUNE_KINDS, "phong": ("department",)}


@dataclass(frozen=True)
class UnitReport:
    """One unit's (or the parent's) figures for a period."""

    unit: UnitRow
    counts: dict[str, int]
    indicators: dict[str, Evaluated]
    score: Score766

    @property
    def has_data(self) -> bool:
        """Whether any dossier was handled or submitted in the period."""
        return bool(rules.states(self.counts)["handled"] or self.counts["online_submitted"])


@dataclass(frozen=True)
class Report:
    """Figures of a period for the units in scope and for their parent."""

    period: Period
    filters: Filters
    parent: UnitReport | None
    units: list[UnitReport] = field(default_factory=list)

    def by_id(self) -> dict[int, UnitReport]:
        """Unit reports keyed by unit version id."""
        return {u.unit.id: u for u in self.units}

    def find(self, ref: str) -> UnitReport | None:
        """The report of the unit a reference names (its `ref`, or a bare code: the version
        valid at the period's end, else the newest in the period)."""
        exact = next((u for u in self.units if u.unit.ref == ref), None)
        if exact is not None:
            return exact
        same_code = [u for u in self.units if u.unit.code == ref]
        same_code.sort(key=lambda u: (u.unit.valid_on(self.period.end), u.unit.valid_from))
        return same_code[-1] if same_code else None


class ScopeError(ValueError):
    """An unknown unit, field or procedure in the request."""


def resolve_filters(
    conn: Connection,
    field_names: Sequence[str] = (),
    procedure_codes: Sequence[str] = (),
    channels: Sequence[int] = (),
) -> Filters:
    """Turn field names (diacritics-insensitive) and procedure codes into filter ids."""
    field_ids = None
    if field_names:
        by_name = {fold(name): fid for fid, name in queries.fields(conn).items()}
        missing = [n for n in field_names if fold(n) not in by_name]
        if missing:
            raise ScopeError(f"Không có lĩnh vực (unknown field): {', '.join(missing)}")
        field_ids = tuple(sorted(by_name[fold(n)] for n in field_names))
    procs = None
    if procedure_codes:
        known = queries.procedures(conn)
        missing = [c for c in procedure_codes if c not in known]
        if missing:
            raise ScopeError(f"Không có thủ tục (unknown procedure): {', '.join(missing)}")
        procs = tuple(sorted(procedure_codes))
    return Filters(field_ids, procs, tuple(sorted(channels)) if channels else None)


def default_parent(units: Units) -> UnitRow:
    """The district the dashboard reports on (the first district in the units table)."""
    districts = sorted((u for u in units.values() if u.kind == "district"), key=lambda u: u.code)
    if not districts:
        raise ScopeError("Chưa có đơn vị cấp huyện trong danh mục (no district loaded)")
    return districts[0]


def units_in_period(units: Units, parent: int, period: Period) -> list[UnitRow]:
    """Receiving unit versions under `parent` that existed at some time in the period, by
    name (Vietnamese order), older versions of the same name first."""
    chosen = [
        u
        for u in units.values()
        if u.parent_id == parent
        and u.kind in RECEIVING_KINDS
        and u.overlaps(period.start, period.end)
    ]
    return sorted(chosen, key=lambda u: (vn_sort_key(u.name), u.valid_from))


def absorbed(units: Units, parent: int, period: Period) -> dict[int, int]:
    """Versions under `parent` that ended before the period, mapped to the successor that
    exists in it and carries their dossiers (following mergers of mergers): their dossiers
    still open, or finished late, count for that successor."""
    out = {}
    for u in units.values():
        if u.parent_id != parent or u.valid_to is None or u.valid_to >= period.start:
            continue
        carrier = units.carrier_in(u.id, period.start, period.end)
        if carrier is not None:
            out[u.id] = carrier
    return out


def resolve_units(units: Units, refs: Sequence[str], period: Period) -> list[UnitRow]:
    """The unit versions that references (codes, or code@day) name for `period`."""
    try:
        return [units.resolve(r, period.start, period.end) for r in refs]
    except ValueError as exc:
        raise ScopeError(str(exc)) from None


def _procedure_stats(
    conn: Connection, period: Period, unit_ids: Sequence[int], filters: Filters
) -> dict[int, ProcedureStats]:
    """Per unit: how many of its procedures were used online / paid online / used at all."""
    catalog = queries.procedures(conn)
    used = period_counts(
        conn,
        period.start,
        period.end,
        unit_ids,
        filters,
        by=("unit_id", "procedure_code"),
        quantities=("received", "received_online", "received_fee_paid_online", "received_to_end"),
    )
    stats: dict[int, dict[str, int]] = {}
    for (unit, proc), now in used.items():
        if proc is None or not now["received_to_end"]:
            continue  # the unit has never used this procedure: not in its catalog
        _name, _field, fee, online = catalog[proc]
        s = stats.setdefault(unit, dict.fromkeys(ProcedureStats.__dataclass_fields__, 0))
        if online:
            s["online_offered"] += 1
            s["online_offered_used_online"] += bool(now["received_online"])
        if fee:
            s["fee_bearing"] += 1
            s["fee_bearing_paid_online"] += bool(now["received_fee_paid_online"])
            s["fee_bearing_with_dossiers"] += bool(now["received"])
    return {u: ProcedureStats(**s) for u, s in stats.items()}


def _merge_stats(parts: Sequence[ProcedureStats]) -> ProcedureStats:
    # A procedure used by several units counts once per unit here; the parent's catalog is
    # the sum of its units' (each unit offers its own instance of a procedure).
    return ProcedureStats(
        *[sum(getattr(p, f) for p in parts) for f in ProcedureStats.__dataclass_fields__]
    )


def _unit_report(
    unit: UnitRow,
    counts: dict[str, int],
    stats: ProcedureStats | None,
    rules_: list[TargetRule],
    period: Period,
) -> UnitReport:
    values = rules.compute(counts)
    evaluated = {
        k: evaluate(v, target_for(k, unit.id, period.end, rules_)) for k, v in values.items()
    }
    return UnitReport(unit, counts, evaluated, score(values, stats))


def compute(
    engine: Engine,
    period: Period,
    unit_refs: Sequence[str] | None = None,
    filters: Filters = NO_FILTERS,
    parent_id: int | None = None,
) -> Report:
    """Every indicator and score for the units in scope (default: all of the parent's unit
    versions that exist in the period) and for the parent, computed from the parent's units'
    dossiers. `unit_refs` are codes or code@day (see Units.resolve)."""
    with engine.connect() as conn:
        units = queries.all_units(conn)
        parent = units[parent_id] if parent_id else default_parent(units)
        in_period = units_in_period(units, parent.id, period)
        chosen = resolve_units(units, unit_refs, period) if unit_refs else in_period
        successor_of = absorbed(units, parent.id, period)
        everyone = sorted({u.id for u in in_period} | {u.id for u in chosen} | set(successor_of))
        counts = {
            k[0]: v
            for k, v in period_counts(conn, period.start, period.end, everyone, filters).items()
        }
        stats = _procedure_stats(conn, period, everyone, filters)
        rules_ = [TargetRule(*r) for r in queries.target_rows(conn)]
    # Dossiers still handled by a unit after it was merged count for its successor.
    for old_id, new_id in successor_of.items():
        if old_id in counts:
            counts[new_id] = rules.add_counts([counts.get(new_id, {}), counts.pop(old_id)])
        if old_id in stats:
            stats[new_id] = _merge_stats([s for s in (stats.get(new_id), stats.pop(old_id)) if s])
    empty = dict.fromkeys(QUANTITIES, 0)
    reports = [
        _unit_report(u, counts.get(u.id, empty), stats.get(u.id), rules_, period) for u in chosen
    ]
    members = [u.id for u in in_period]
    parent_counts = rules.add_counts([empty, *[counts.get(c, empty) for c in members]])
    parent_stats = _merge_stats([stats[c] for c in members if c in stats])
    parent_report = _unit_report(parent, parent_counts, parent_stats, rules_, period)
    return Report(period, filters, parent_report, reports)


def carried_ids(engine: Engine, unit: UnitRow, period: Period) -> list[int]:
    """The versions whose dossiers count for `unit` in `period`: itself, and the versions
    that ended before the period and handed it their open dossiers."""
    with engine.connect() as conn:
        units = queries.all_units(conn)
    if unit.parent_id is None:
        return [unit.id]
    return [unit.id] + [
        old for old, new in absorbed(units, unit.parent_id, period).items() if new == unit.id
    ]


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
) -> list[LeagueRow]:
    """Communes/towns (`xa`) or departments (`phong`) ranked by total score or by indicator
    `by`, with movement against the previous period of the same length."""
    if group not in LEAGUE_GROUPS:
        raise ScopeError(f"Nhóm xếp hạng không hợp lệ: {group} (xa | phong)")
    if by is not None and by not in BY_KEY:
        raise ScopeError(f"Không có chỉ số (unknown indicator): {by}")
    higher = True if by is None else BY_KEY[by].higher_is_better
    now = compute(engine, period, filters=filters)
    before = compute(engine, period.previous(), filters=filters)
    kinds = LEAGUE_GROUPS[group]
    mine = [r for r in now.units if r.unit.kind in kinds]
    values = {r.unit.id: league_value(r, by) for r in mine}
    previous = {r.unit.id: league_value(r, by) for r in before.units if r.unit.kind in kinds}
    ranked = rank_units(values, previous, higher, [r.unit.id for r in mine])
    by_id = {r.unit.id: r for r in mine}
    return [LeagueRow(x, by_id[x.unit_id]) for x in ranked]


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
) -> list[BelowTarget]:
    """Every unit × indicator below target in `period`, with the number of consecutive
    periods of the same length it has been below (this one included, up to max_lookback+1),
    and the explanation on record (left out when `with_explanations` is False: see
    `attach_explanations`, for results cached across explanation changes)."""
    now = compute(engine, period, filters=filters)
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
        past = compute(engine, earlier, filters=filters).by_id()
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


def scope_report(
    engine: Engine,
    period: Period,
    unit_refs: Sequence[str] = (),
    filters: Filters = NO_FILTERS,
) -> UnitReport:
    """Figures for a scope: the district (no units chosen), one unit, or several units
    together (their dossiers counted together, never an average of their rates)."""
    rep = compute(engine, period, list(unit_refs) or None, filters)
    if not unit_refs:
        return rep.parent
    if len(rep.units) == 1:
        return rep.units[0]
    with engine.connect() as conn:
        rules_ = [TargetRule(*r) for r in queries.target_rows(conn)]
    combined = UnitRow(
        0,
        ",".join(u.unit.code for u in rep.units),
        f"{len(rep.units)} đơn vị đã chọn",
        "scope",
        None,
        period.start,
        None,
    )
    counts = rules.add_counts([dict.fromkeys(QUANTITIES, 0), *[u.counts for u in rep.units]])
    return _unit_report(combined, counts, None, rules_, period)
