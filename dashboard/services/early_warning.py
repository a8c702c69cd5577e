"""Early warning: the dossiers open on a day that need action, per unit, and where the running
month's and quarter's targets can still end up (rules: docs/indicators.md, "Early warning";
classes and outlooks: `dashboard/domain/warnings.py`).

A dossier counts for the unit valid on the day: one received by a commune that has since
merged is on the new commune's list, as its figures are.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine

from dashboard.domain import warnings as rules
from dashboard.domain.formatting import vn_sort_key
from dashboard.domain.periods import Period, month, quarter
from dashboard.domain.records import OpenDossier
from dashboard.domain.scope import Era, Scope, named
from dashboard.domain.units import UnitRow
from dashboard.domain.vocabulary import WarningClass
from dashboard.domain.worktime import WorkCalendar
from dashboard.services.report import Report, default_scope, fold_map, resolve_units, scope_members
from data_access import queries
from data_access.counts import NO_FILTERS, Filters
from data_access.open_dossiers import open_dossiers


@dataclass(frozen=True)
class Warned:
    """An open dossier with a warning, on the unit it counts for."""

    unit: UnitRow
    dossier: OpenDossier
    klass: WarningClass
    days_left: int | None  # working days to the due day; negative when late


@dataclass(frozen=True)
class UnitWarnings:
    """One unit's (or the scope's) counts per class, and the open dossiers that turn overdue
    by the end of the running month and quarter if nobody finishes them."""

    unit: UnitRow
    counts: dict[WarningClass, int]
    turning: dict[str, int]  # "month" / "quarter" -> open dossiers due before that period ends

    @property
    def warned(self) -> int:
        """Dossiers late, due today or due soon (what must be done in the next days)."""
        return sum(self.counts[c] for c in rules.ORDER if c != WarningClass.WAITING_CITIZEN)


@dataclass(frozen=True)
class Warnings:
    """The morning's list of a scope as of a day."""

    horizon: rules.Horizon
    era: Era
    parent: UnitWarnings
    units: list[UnitWarnings]
    dossiers: list[Warned]  # by unit (Vietnamese order), class, due day
    periods: dict[str, Period]  # the running month and quarter

    @property
    def as_of(self) -> dt.date:
        """The day the list is for."""
        return self.horizon.as_of


def running_periods(as_of: dt.date) -> dict[str, Period]:
    """The month and the quarter that contain `as_of`."""
    return {
        "month": month(as_of.year, as_of.month),
        "quarter": quarter(as_of.year, (as_of.month - 1) // 3 + 1),
    }


def compute(
    engine: Engine,
    as_of: dt.date,
    calendar: WorkCalendar,
    unit_refs: Sequence[str] = (),
    filters: Filters = NO_FILTERS,
    scope: Scope | None = None,
    days: int = rules.DEFAULT_DAYS,
) -> Warnings:
    """The warnings of the scope's units on `as_of` (or of the units `unit_refs` name)."""
    h = rules.horizon(calendar, as_of, days)
    day = Period(as_of, as_of, "day")
    with engine.connect() as conn:
        units = queries.all_units(conn)
        era, members = scope_members(named(scope or default_scope(), units), units, day)
        chosen = resolve_units(units, unit_refs, day) if unit_refs else members
        chosen = sorted({u.id: u for u in chosen}.values(), key=lambda u: vn_sort_key(u.name))
        fold = fold_map(units, list({u.id: u for u in [*members, *chosen]}.values()))
        found = open_dossiers(conn, as_of, sorted(fold), filters)
    periods = running_periods(as_of)
    by_id = {u.id: u for u in chosen}
    member_ids = {u.id for u in members}
    counts: dict[int, Counter] = {u.id: Counter() for u in [*members, *chosen]}
    turning: dict[int, Counter] = {u.id: Counter() for u in [*members, *chosen]}
    warned: list[tuple[UnitRow, OpenDossier, WarningClass]] = []
    for d in found:
        target = fold[d.unit_id]
        due = d.due_at.date() if d.due_at else None
        klass = rules.classify(d.status, due, h)
        if klass is not None:
            counts[target][klass] += 1
            if target in by_id:
                warned.append((by_id[target], d, klass))
        for name, p in periods.items():
            if rules.turns_overdue(d.status, due, as_of, p.end):
                turning[target][name] += 1
    left = rules.working_days_left(
        calendar, as_of, [d.due_at.date() if d.due_at else None for _, d, _ in warned]
    )
    rank = {c: i for i, c in enumerate(rules.ORDER)}
    position = {u.id: i for i, u in enumerate(chosen)}
    dossiers = sorted(
        (Warned(u, d, k, n) for (u, d, k), n in zip(warned, left, strict=True)),
        key=lambda w: (position[w.unit.id], rank[w.klass], w.dossier.due_at or dt.datetime.max),
    )

    def unit_warnings(u: UnitRow, ids: set[int]) -> UnitWarnings:
        total = sum((counts[i] for i in ids), Counter())
        turns = sum((turning[i] for i in ids), Counter())
        return UnitWarnings(
            u,
            {c: total.get(c, 0) for c in rules.ORDER},
            {name: turns.get(name, 0) for name in periods},
        )

    parent_row = UnitRow(0, era.unit or "", era.name, "scope", None, as_of, None)
    return Warnings(
        h,
        era,
        unit_warnings(parent_row, member_ids),
        [unit_warnings(u, {u.id}) for u in chosen],
        dossiers,
        periods,
    )


@dataclass(frozen=True)
class UnitOutlook:
    """A unit's (or the scope's) outlook on the running month and quarter."""

    unit: UnitRow
    outlooks: dict[str, dict[str, rules.Outlook]]  # period name -> indicator key -> outlook


def outlooks(w: Warnings, so_far: dict[str, Report]) -> list[UnitOutlook]:
    """For the scope first and each unit: the on-time rate and the overdue count of the
    running month and quarter so far (`so_far`: the reports of [period start, as-of day]),
    with their best and worst case at the period's end."""
    out = []
    for uw in [w.parent, *w.units]:
        per_period: dict[str, dict[str, rules.Outlook]] = {}
        for name, rep in so_far.items():
            mine = rep.parent if uw.unit.id == 0 else rep.by_id().get(uw.unit.id)
            if mine is None:
                continue
            per_period[name] = {
                key: rules.outlook(mine.indicators[key], uw.turning[name])
                for key in rules.OUTLOOK_KEYS
            }
        out.append(UnitOutlook(uw.unit, per_period))
    return out
