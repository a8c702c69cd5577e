"""Read the 766 sources besides the dossiers, aggregated in the database: the catalogue in
force, PAKN and satisfaction per unit, sync counts per unit, and which file each came from.

A source is "loaded" for a period when its data reaches into it: the catalogue when a version
of the level took effect by the period's end; PAKN and satisfaction when the loaded items'
months span the period (a unit with no item in a loaded span had none); sync counts per unit,
when it has a count for every month of the period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, case, func, or_, select

from dashboard.domain.catalogue766 import CatalogueEntry
from dashboard.domain.score766 import FeedbackStats, SatisfactionStats
from data_access.models import Import
from data_access.score_models import FeedbackItem, ProcedureVersion, SatisfactionVote, SyncCount


def _day(v: Any) -> dt.date | None:
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v)[:10])


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_of(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first days of the months [start, end] touches."""
    out, m = [], _month(start)
    while m <= end:
        out.append(m)
        m = dt.date(m.year + m.month // 12, m.month % 12 + 1, 1)
    return out


def catalogue_in_force(conn: Connection, start: dt.date, end: dt.date) -> list[CatalogueEntry]:
    """Each procedure's newest version that took effect by `end`, unless closed before
    `start`."""
    p = ProcedureVersion
    newest = (
        select(p.code, func.max(p.effective_from).label("since"))
        .where(p.effective_from <= end)
        .group_by(p.code)
        .subquery()
    )
    rows = conn.execute(
        select(p)
        .join(newest, and_(newest.c.code == p.code, newest.c.since == p.effective_from))
        .where(or_(p.effective_to.is_(None), p.effective_to >= start))
    ).all()
    return [
        CatalogueEntry(
            r.code,
            r.name,
            r.level,
            r.field_name,
            r.online_level,
            r.has_fee,
            r.paper_result,
            _day(r.decision_on),
            _day(r.effective_from) or start,
            _day(r.published_on),
            r.parts_published,
        )
        for r in rows
    ]


def catalogue_levels(conn: Connection, end: dt.date) -> set[str]:
    """The levels with a catalogue version in effect by `end` (the source is loaded)."""
    p = ProcedureVersion
    return set(conn.execute(select(p.level).where(p.effective_from <= end).distinct()).scalars())


def _span(conn: Connection, column: Any) -> tuple[dt.date, dt.date] | None:
    lo, hi = conn.execute(select(func.min(column), func.max(column))).one()
    return None if lo is None else (_month(_day(lo) or dt.date.min), _day(hi) or dt.date.max)


def covers(span: tuple[dt.date, dt.date] | None, months: Iterable[dt.date]) -> bool:
    """Whether the loaded data's months [first, last] reach over every one of `months` (first
    days); no data covers nothing, and no month asked for is covered by any data."""
    if span is None:
        return False
    first, last = span[0], _month(span[1])
    return all(first <= m <= last for m in months)


def feedback_span(conn: Connection) -> tuple[dt.date, dt.date] | None:
    """The first month and the last day the loaded PAKN were received in (None: none)."""
    return _span(conn, FeedbackItem.received_on)


def satisfaction_span(conn: Connection) -> tuple[dt.date, dt.date] | None:
    """The first and last month of the loaded satisfaction votes (None: none)."""
    return _span(conn, SatisfactionVote.month)


def feedback_stats(
    conn: Connection, start: dt.date, end: dt.date, unit_ids: Sequence[int]
) -> dict[int, FeedbackStats]:
    """PAKN received in [start, end] per unit version: how many, handled by the due day,
    rated satisfied (whether the loaded PAKN cover the period: `feedback_span`)."""
    f = FeedbackItem
    on_time = and_(f.handled_on.is_not(None), or_(f.due_on.is_(None), f.handled_on <= f.due_on))
    rows = conn.execute(
        select(
            f.unit_id,
            func.count(),
            func.sum(case((on_time, 1), else_=0)),
            func.sum(case((f.rating == "hai_long", 1), else_=0)),
        )
        .where(f.unit_id.in_(list(unit_ids)), f.received_on.between(start, end))
        .group_by(f.unit_id)
    ).all()
    return {u: FeedbackStats(int(n), int(ok or 0), int(sat or 0)) for u, n, ok, sat in rows}


def satisfaction_stats(
    conn: Connection, start: dt.date, end: dt.date, unit_ids: Sequence[int]
) -> dict[int, SatisfactionStats]:
    """Votes in the period's months per unit version (a unit's month given whole stands for
    its single votes); whether the loaded votes cover the period: `satisfaction_span`."""
    s = SatisfactionVote
    whole = s.dossier_code == ""

    def part(cond: Any, col: Any) -> Any:
        return func.sum(case((cond, col), else_=0))

    rows = conn.execute(
        select(
            s.unit_id,
            func.max(case((whole, 1), else_=0)),
            part(whole, s.votes),
            part(whole, s.satisfied),
            part(~whole, s.votes),
            part(~whole, s.satisfied),
        )
        .where(s.unit_id.in_(list(unit_ids)), s.month.between(_month(start), end))
        .group_by(s.unit_id, s.month)
    ).all()
    out: dict[int, SatisfactionStats] = {}
    for unit, has_whole, w_votes, w_sat, votes, sat in rows:
        # A unit's month given whole is the portal's own count: it stands for the single votes.
        got = (
            SatisfactionStats(int(w_votes), int(w_sat))
            if has_whole
            else SatisfactionStats(int(votes), int(sat))
        )
        out[unit] = out.get(unit, SatisfactionStats()) + got
    return out


def sync_stats(
    conn: Connection, start: dt.date, end: dt.date, unit_ids: Sequence[int]
) -> dict[int, tuple[int, frozenset[dt.date]]]:
    """Per unit version: (dossiers synced in the period's months, the months with a count)."""
    c = SyncCount
    rows = conn.execute(
        select(c.unit_id, c.month, c.synced).where(
            c.unit_id.in_(list(unit_ids)), c.month.between(_month(start), end)
        )
    ).all()  # a row per unit and month: a few per unit
    synced: dict[int, int] = {}
    months: dict[int, set[dt.date]] = {}
    for unit, month, n in rows:
        synced[unit] = synced.get(unit, 0) + int(n or 0)
        months.setdefault(unit, set()).add(month)
    return {u: (synced[u], frozenset(months[u])) for u in synced}


@dataclass(frozen=True)
class SourceFile:
    """The newest committed file of a source: its name and when it was imported."""

    file_name: str
    imported_at: dt.datetime


def source_files(conn: Connection) -> dict[str, SourceFile]:
    """The newest committed import of each kind (dossiers, catalogue, feedback, …)."""
    i = Import
    newest = (
        select(i.kind, func.max(i.id).label("id"))
        .where(i.status.in_(("committed", "partial")))
        .group_by(i.kind)
        .subquery()
    )
    rows = conn.execute(
        select(i.kind, i.file_name, i.created_at).join(newest, newest.c.id == i.id)
    ).all()
    return {k: SourceFile(name, at) for k, name, at in rows}
