"""One path from the database to every figure: indicators, 766 scores, league, below target.

The dashboard, the CLI and the exports call these functions with the same
arguments, so a figure cannot differ between them. Counting happens in the
database (data_access.counts over the rollups); the rules are pure
(dashboard.indicators).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine

from dashboard.domain import catalogue766, rules
from dashboard.domain.catalogue766 import CatalogueEntry, Usage, level_of
from dashboard.domain.formatting import fold, vn_sort_key
from dashboard.domain.periods import Period
from dashboard.domain.scope import Era, Scope, load_scope, named
from dashboard.domain.score766 import FeedbackStats, Inputs, SatisfactionStats, Score766, score
from dashboard.domain.targets import Evaluated, TargetRule, evaluate, target_for
from dashboard.domain.units import COMMUNE_KINDS, UnitRow, Units
from dashboard.domain.worktime import WorkCalendar
from data_access import queries, score_sources
from data_access.counts import NO_FILTERS, QUANTITIES, Filters, period_counts

LEAGUE_GROUPS = {"xa": COMMUNE_KINDS, "phong": ("department",)}


@dataclass(frozen=True)
class UnitReport:
    """One unit's (or the parent's) figures for a period."""

    unit: UnitRow
    counts: dict[str, int]
    indicators: dict[str, Evaluated]
    score: Score766
    inputs: Inputs  # what the score was computed from (sources besides the counts)
    # The units that ended before this one began and whose dossiers are counted in it for the
    # part of the period before it existed ("trước 1/7/2025: cộng các đơn vị cũ").
    predecessors: tuple[str, ...] = ()

    @property
    def has_data(self) -> bool:
        """Whether any dossier was handled or submitted in the period."""
        return bool(rules.states(self.counts)["handled"] or self.counts["online_submitted"])


@dataclass(frozen=True)
class Report:
    """Figures of a period for the units in scope and for their parent."""

    period: Period
    filters: Filters
    parent: UnitReport
    units: list[UnitReport]
    era: Era  # the scope's era the period is reported in
    how_counted: str | None = None  # said when the period crosses a reorganization

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


@lru_cache(maxsize=1)
def default_scope() -> Scope:
    """The shipped scope (Nam Sách, then Khu vực Nam Sách): what callers get without one."""
    return load_scope(None)


def scope_members(sc: Scope, units: Units, period: Period) -> tuple[Era, list[UnitRow]]:
    """The era of the (named) scope `sc` for `period` and the units it watches then (a scope
    that does not cover the period is a ScopeError, said in Vietnamese)."""
    era = sc.era(period)
    try:
        return era, era.members(units, period)
    except ValueError as exc:
        raise ScopeError(str(exc)) from None


def fold_map(units: Units, targets: Sequence[UnitRow]) -> dict[int, int]:
    """Every unit version whose dossiers count for one of `targets`: each target itself, and
    each of its predecessors (and theirs) whose carrying successors lead first to it. A unit
    formed by a merger thus counts its predecessors' dossiers; a unit that ended counts for
    its successor."""
    target_ids = {t.id for t in targets}
    out = {t: t for t in target_ids}
    for t in targets:
        for old in units.ancestors(t.id):
            if old in out:
                continue
            nxt, seen = units[old].successor_id, set()
            while nxt is not None and nxt not in target_ids and nxt not in seen:
                seen.add(nxt)
                nxt = units[nxt].successor_id
            if nxt is not None and nxt in target_ids:
                out[old] = nxt
    return out


def resolve_units(units: Units, refs: Sequence[str], period: Period) -> list[UnitRow]:
    """The unit versions that references (codes, or code@day) name for `period`."""
    try:
        return [units.resolve(r, period.start, period.end) for r in refs]
    except ValueError as exc:
        raise ScopeError(str(exc)) from None


USAGE = tuple(f.name for f in fields(Usage))  # the rollup quantities a Usage holds


def _usage(
    conn: Connection, period: Period, unit_ids: Sequence[int], filters: Filters
) -> dict[int, dict[str, Usage]]:
    """Per unit version and procedure: how its dossiers used the procedure in the period."""
    used = period_counts(
        conn, period.start, period.end, unit_ids, filters, by=("unit_id", "procedure_code"),
        quantities=USAGE,
    )  # fmt: skip
    out: dict[int, dict[str, Usage]] = {}
    for (unit, proc), now in used.items():
        if proc is not None and any(now.values()):
            out.setdefault(unit, {})[proc] = Usage(**{q: now[q] for q in USAGE})
    return out


def _add_usage(into: dict[str, Usage], more: dict[str, Usage]) -> None:
    for code, u in more.items():
        into[code] = into.get(code, Usage()) + u


@dataclass(frozen=True)
class _Sources:
    """The non-dossier sources of a period, per unit version (None: not loaded)."""

    catalogue: list[CatalogueEntry]
    levels: set[str]
    feedback: dict[int, FeedbackStats]
    feedback_span: tuple[dt.date, dt.date] | None  # months the loaded PAKN reach over
    satisfaction: dict[int, SatisfactionStats]
    satisfaction_span: tuple[dt.date, dt.date] | None
    sync: dict[int, tuple[int, frozenset[dt.date]]]
    period: Period


def _sources(conn: Connection, period: Period, versions: Sequence[int]) -> _Sources:
    start, end = period.start, period.end
    return _Sources(
        score_sources.catalogue_in_force(conn, start, end),
        score_sources.catalogue_levels(conn, end),
        score_sources.feedback_stats(conn, start, end, versions),
        score_sources.feedback_span(conn),
        score_sources.satisfaction_stats(conn, start, end, versions),
        score_sources.satisfaction_span(conn),
        score_sources.sync_stats(conn, start, end, versions),
        period,
    )


def _unit_report(
    unit: UnitRow,
    counts: dict[str, int],
    inputs: Inputs,
    rules_: list[TargetRule],
    period: Period,
    dossiers: bool = True,
) -> UnitReport:
    values = rules.compute(counts)
    evaluated = {
        k: evaluate(v, target_for(k, unit.id, period.end, rules_)) for k, v in values.items()
    }
    # A period the dossier list does not reach scores its dossier components as not loaded,
    # not as a period of zero dossiers.
    scored = score(replace(inputs, counts=counts if dossiers else None))
    return UnitReport(unit, counts, evaluated, scored, inputs)


@dataclass
class _Counted:
    """Counts folded onto their target units: per target version id, its counts, its 766
    inputs and the predecessors it took over."""

    counts: dict[int, dict[str, int]]
    inputs: dict[int, Inputs]
    before: dict[int, list[str]]
    rules: list[TargetRule]
    dossiers: bool = True  # the dossier list reaches into the period (else: not loaded)

    def report(self, u: UnitRow, period: Period) -> UnitReport:
        """The unit's figures (a target of the fold)."""
        rep = _unit_report(
            u,
            self.counts.get(u.id, EMPTY),
            self.inputs.get(u.id, Inputs()),
            self.rules,
            period,
            self.dossiers,
        )
        return replace(rep, predecessors=tuple(sorted(self.before.get(u.id, []), key=vn_sort_key)))


def _target_inputs(
    units: Units,
    fold: dict[int, int],
    usage: dict[int, dict[str, Usage]],
    src: _Sources,
) -> dict[int, Inputs]:
    """Each target's 766 inputs: its folded versions' usage, feedback, votes and sync counts
    summed; the catalogue of its own level."""
    cal = WorkCalendar()
    targets = set(fold.values())
    used: dict[int, dict[str, Usage]] = {t: {} for t in targets}
    fb: dict[int, FeedbackStats] = {t: FeedbackStats() for t in targets}
    sat: dict[int, SatisfactionStats] = {t: SatisfactionStats() for t in targets}
    synced: dict[int, int] = dict.fromkeys(targets, 0)
    complete: dict[int, bool] = dict.fromkeys(targets, True)
    existed: dict[int, set[dt.date]] = {t: set() for t in targets}
    for version, target in fold.items():
        _add_usage(used[target], usage.get(version, {}))
        fb[target] = fb[target] + src.feedback.get(version, FeedbackStats())
        sat[target] = sat[target] + src.satisfaction.get(version, SatisfactionStats())
        n, months = src.sync.get(version, (0, frozenset()))
        synced[target] += n
        own = _months_existed(units[version], src.period)
        complete[target] = complete[target] and own <= months
        existed[target] |= own
    out = {}
    for t in targets:
        level = level_of(units[t].kind)
        out[t] = Inputs(
            catalogue=(
                catalogue766.stats(src.catalogue, level, used[t], cal)
                if level in src.levels
                else None
            ),
            # The PAKN and votes loaded must reach over every month the unit (or one it took
            # over) existed in: a city formed on 1/7/2025 needs 2025 from July only.
            feedback=fb[t] if score_sources.covers(src.feedback_span, existed[t]) else None,
            satisfaction=(
                sat[t] if score_sources.covers(src.satisfaction_span, existed[t]) else None
            ),
            # A month with no count, for the unit or a predecessor it took over, in which that
            # version existed, leaves the component unscored rather than guessed.
            synced=synced[t] if complete[t] else None,
        )
    return out


def _months_existed(version: UnitRow, period: Period) -> set[dt.date]:
    """The months of `period` in which `version` existed: each needs its sync count, and the
    PAKN and votes loaded must reach over it."""
    start = max(period.start, version.valid_from)
    end = min(period.end, version.valid_to or period.end)
    return set(score_sources.months_of(start, end)) if start <= end else set()


def _sum_inputs(parts: Sequence[Inputs]) -> Inputs:
    """A scope's inputs: its units' summed; a source missing for one unit is missing for all."""

    def total(values: list[Any]) -> Any:
        if not values or any(v is None for v in values):
            return None
        out = values[0]
        for v in values[1:]:
            out = out + v
        return out

    return Inputs(
        catalogue=total([p.catalogue for p in parts]),
        feedback=total([p.feedback for p in parts]),
        satisfaction=total([p.satisfaction for p in parts]),
        synced=total([p.synced for p in parts]),
    )


EMPTY = dict.fromkeys(QUANTITIES, 0)


def _count(
    conn: Connection, units: Units, fold: dict[int, int], period: Period, filters: Filters
) -> _Counted:
    """Count the versions of `fold` (version -> the target it counts for) in the period."""
    versions = sorted(fold)
    raw = {
        k[0]: v for k, v in period_counts(conn, period.start, period.end, versions, filters).items()
    }
    usage = _usage(conn, period, versions, filters)
    inputs = _target_inputs(units, fold, usage, _sources(conn, period, versions))
    out = _Counted(
        {},
        inputs,
        {},
        [TargetRule(*r) for r in queries.target_rows(conn)],
        queries.dossiers_cover(conn, period.start, period.end),
    )
    for version, target in fold.items():
        if version in raw:
            out.counts[target] = rules.add_counts([out.counts.get(target, {}), raw[version]])
        old = units[version]
        if (
            version != target
            and old.valid_from < units[target].valid_from
            and (old.overlaps(period.start, period.end))
        ):
            out.before.setdefault(target, []).append(old.name)
    return out


@dataclass(frozen=True)
class _Selection:
    """The units a report is about: the scope (named), its era and members (sorted), the
    units chosen (the members when none is named), and every version folded onto them."""

    units: Units
    scope: Scope
    era: Era
    members: list[UnitRow]
    chosen: list[UnitRow]
    fold: dict[int, int]


def _select(
    conn: Connection,
    period: Period,
    unit_refs: Sequence[str] | None,
    scope: Scope | None,
    as_of: Period | None,
) -> _Selection:
    units = queries.all_units(conn)
    sc = named(scope or default_scope(), units)
    era, members = scope_members(sc, units, as_of or period)
    members.sort(key=lambda u: (vn_sort_key(u.name), u.valid_from))
    chosen = resolve_units(units, unit_refs, period) if unit_refs else members
    # Folded onto members and chosen units together: a predecessor counts for the first of
    # them its successors reach, whichever of them a caller reads.
    fold = fold_map(units, list({u.id: u for u in [*members, *chosen]}.values()))
    return _Selection(units, sc, era, members, chosen, fold)


def compute(
    engine: Engine,
    period: Period,
    unit_refs: Sequence[str] | None = None,
    filters: Filters = NO_FILTERS,
    scope: Scope | None = None,
    as_of: Period | None = None,
) -> Report:
    """Every indicator and score for the units in scope (default: the units the scope's era
    watches in the period) and for the scope, computed from those units' dossiers (never
    averaged). `unit_refs` are codes or code@day (see Units.resolve). With `as_of`, the units
    are those of `as_of`'s era, each counting its predecessors' dossiers where it did not exist
    yet: last quarter's figures of this quarter's units, a new commune's history."""
    with engine.connect() as conn:
        sel = _select(conn, period, unit_refs, scope, as_of)
        counted = _count(conn, sel.units, sel.fold, period, filters)
    era, members = sel.era, sel.members
    reports = [counted.report(u, period) for u in sel.chosen]
    parent_row = UnitRow(0, era.unit or "", era.name, "scope", None, period.start, None)
    parent_counts = rules.add_counts([EMPTY, *[counted.counts.get(u.id, EMPTY) for u in members]])
    parent_inputs = _sum_inputs([counted.inputs.get(u.id, Inputs()) for u in members])
    parent = replace(
        _unit_report(
            parent_row, parent_counts, parent_inputs, counted.rules, period, counted.dossiers
        ),
        predecessors=tuple(
            sorted({n for u in members for n in counted.before.get(u.id, [])}, key=vn_sort_key)
        ),
    )
    note = None if as_of is not None else sel.scope.how_counted(period)
    return Report(period, filters, parent, reports, era, note)


def chosen_reports(
    engine: Engine,
    period: Period,
    unit_refs: Sequence[str],
    filters: Filters = NO_FILTERS,
    scope: Scope | None = None,
    as_of: Period | None = None,
) -> list[UnitReport]:
    """The figures of the named units only, equal to theirs in `compute` (the same fold)
    without counting the scope's other units: one unit's page reads its own rows."""
    with engine.connect() as conn:
        sel = _select(conn, period, unit_refs, scope, as_of)
        wanted = {u.id for u in sel.chosen}
        fold = {v: t for v, t in sel.fold.items() if t in wanted}
        counted = _count(conn, sel.units, fold, period, filters)
    return [counted.report(u, period) for u in sel.chosen]


def field_counts(
    engine: Engine,
    period: Period,
    filters: Filters = NO_FILTERS,
    scope: Scope | None = None,
) -> dict[str, dict[str, int]]:
    """The scope's period counts per field name (the units the scope's era watches in the
    period, each with the predecessors it took over), for the statistics form's rows."""
    with engine.connect() as conn:
        units = queries.all_units(conn)
        _era, members = scope_members(named(scope or default_scope(), units), units, period)
        versions = sorted(fold_map(units, members))
        names = queries.fields(conn)
        raw = period_counts(conn, period.start, period.end, versions, filters, by=("field_id",))
    out: dict[str, dict[str, int]] = {}
    for (field_id,), counts in raw.items():
        name = (
            names.get(field_id, "Chưa xác định lĩnh vực") if field_id else "Chưa xác định lĩnh vực"
        )
        out[name] = rules.add_counts([out.get(name, {}), counts])
    return out


def needs_anchor(engine: Engine, period: Period, anchor: Period, scope: Scope | None) -> bool:
    """Whether `period` reported on `anchor`'s units differs from `period` on its own: after
    a reorganization, or for a unit that did not exist yet (then pass `as_of=anchor`)."""
    with engine.connect() as conn:
        units = queries.all_units(conn)
    sc = named(scope or default_scope(), units)
    try:
        own = {u.id for u in sc.era(period).members(units, period)}
        theirs = {u.id for u in sc.era(anchor).members(units, anchor)}
    except ValueError:
        return False
    return own != theirs


def carried_ids(engine: Engine, unit: UnitRow) -> list[int]:
    """The versions whose dossiers count for `unit`: itself and the predecessors it took
    over (their open dossiers, and its history before it existed)."""
    with engine.connect() as conn:
        units = queries.all_units(conn)
    return sorted(fold_map(units, [unit]))


def scope_report(
    engine: Engine,
    period: Period,
    unit_refs: Sequence[str] = (),
    filters: Filters = NO_FILTERS,
    scope: Scope | None = None,
    as_of: Period | None = None,
) -> UnitReport:
    """Figures for a scope: the whole scope (no units chosen), one unit, or several units
    together (their dossiers counted together, never an average of their rates)."""
    if not unit_refs:
        return compute(engine, period, None, filters, scope, as_of).parent
    chosen = chosen_reports(engine, period, unit_refs, filters, scope, as_of)
    if len(chosen) == 1:
        return chosen[0]
    with engine.connect() as conn:
        rules_ = [TargetRule(*r) for r in queries.target_rows(conn)]
        dossiers = queries.dossiers_cover(conn, period.start, period.end)
    combined = UnitRow(
        0,
        ",".join(u.unit.code for u in chosen),
        f"{len(chosen)} đơn vị đã chọn",
        "scope",
        None,
        period.start,
        None,
    )
    counts = rules.add_counts([dict.fromkeys(QUANTITIES, 0), *[u.counts for u in chosen]])
    inputs = _sum_inputs([u.inputs for u in chosen])
    return _unit_report(combined, counts, inputs, rules_, period, dossiers)
