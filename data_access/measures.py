"""The one definition of every rollup measure: the day it counts on and its condition.

Written once against a small vocabulary (`b.col`, `b.day`, `b.eq`, …) and read two ways:
as SQL over the dossiers table (rebuilds, corrections, the dossier lists behind a count) and
as numpy over the columns of an import still in memory (its rollup delta, without reading
200 000 rows back from the database). Tests hold the two equal.

Measures, the day each counts on, and its condition (accepted = not new, not not_accepted):
- received, received_online/_fee/_fee_paid_online/_digitized/_reused: received day; accepted
  (and the flag);
- finished: finished day; accepted and finished;
- resolved, resolved_e_result: finished day; status resolved (and an electronic result);
- resolved_on_time / resolved_late: finished day; resolved, finish day <= / > due day;
- resolved_early: finished day; resolved, finish day < due day (Biểu 06's "trước hạn");
- withdrawn_or_returned, returned: finished day; status withdrawn or returned / returned;
- paused_open: received day; accepted, status paused, not finished;
- overdue_start: max(received day, due day); accepted, not supplement/paused, due known, and
  not finished by that day; overdue_end: finished day of those;
- online_submitted, online_answered_6h: submitted day; online (and answered within 360
  working minutes);
- received_national_store: received day; accepted, a component taken from the national data
  store; online_vneid: submitted day; online, the account verified with VNeID;
- resolved_on_time_766: finished day; resolved on time and supplements asked at most once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Table, and_, case, literal, or_

from data_access.sqlfuncs import day_of

RESPONSE_LIMIT_MINUTES = 360  # 6 working hours (seed 001)


class SQL:
    """Terms as SQLAlchemy expressions over the dossiers table (passed in: the models import
    this module for the measure names)."""

    def __init__(self, dossiers: Table) -> None:
        self.c = dossiers.c

    def col(self, name: str) -> Any:
        return self.c[name]

    def day(self, name: str) -> Any:
        return day_of(self.c[name])

    def known(self, x: Any) -> Any:
        return x.is_not(None)

    def missing(self, x: Any) -> Any:
        return x.is_(None)

    def eq(self, x: Any, value: Any) -> Any:
        return x == value

    def isin(self, x: Any, values: list) -> Any:
        return x.in_(values)

    def notin(self, x: Any, values: list) -> Any:
        return x.not_in(values)

    def le(self, x: Any, y: Any) -> Any:
        return x <= y

    def gt(self, x: Any, y: Any) -> Any:
        return x > y

    def flag(self, name: str) -> Any:
        return self.c[name]

    def all(self, *xs: Any) -> Any:
        return and_(*xs)

    def any(self, *xs: Any) -> Any:
        return or_(*xs)

    def later(self, x: Any, y: Any) -> Any:
        return case((x > y, x), else_=y)

    def always(self) -> Any:
        return literal(True)


class Arrays:
    """Terms as numpy arrays over columns held in memory (a missing value is NaT / NaN /
    None, and any comparison with one is false, as in SQL's WHERE)."""

    def __init__(self, columns: Mapping[str, np.ndarray]) -> None:
        self.columns = columns
        self.n = len(next(iter(columns.values())))

    def col(self, name: str) -> np.ndarray:
        return self.columns[name]

    def day(self, name: str) -> np.ndarray:
        return np.asarray(self.columns[name]).astype("datetime64[D]")

    def known(self, x: np.ndarray) -> np.ndarray:
        return ~self.missing(x)

    def missing(self, x: np.ndarray) -> np.ndarray:
        import pandas as pd  # here: the models import this module, and a read-only command
        # (tthc warnings) should not pay pandas' 0,2 s import for an import's tool

        return np.asarray(pd.isna(x), dtype=bool)

    def eq(self, x: np.ndarray, value: Any) -> np.ndarray:
        return np.asarray(x == value, dtype=bool)

    def isin(self, x: np.ndarray, values: list) -> np.ndarray:
        return np.isin(x, values)

    def notin(self, x: np.ndarray, values: list) -> np.ndarray:
        return ~np.isin(x, values)

    def le(self, x: np.ndarray, y: Any) -> np.ndarray:
        return np.asarray(x <= y, dtype=bool)

    def gt(self, x: np.ndarray, y: Any) -> np.ndarray:
        return np.asarray(x > y, dtype=bool)

    def flag(self, name: str) -> np.ndarray:
        return np.asarray(self.columns[name], dtype=bool)

    def all(self, *xs: np.ndarray) -> np.ndarray:
        return np.logical_and.reduce([np.broadcast_to(x, self.n) for x in xs])

    def any(self, *xs: np.ndarray) -> np.ndarray:
        return np.logical_or.reduce([np.broadcast_to(x, self.n) for x in xs])

    def later(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.where(x > y, x, y)

    def always(self) -> np.ndarray:
        return np.ones(self.n, dtype=bool)


@dataclass(frozen=True)
class Terms:
    """The named conditions the measures (and the dossier lists behind a count) are built
    from, in one vocabulary."""

    accepted: Any
    received_day: Any
    finished_day: Any
    due_day: Any
    submitted_day: Any
    overdue_day: Any
    can_be_overdue: Any
    resolved: Any
    online: Any


def terms(b: Any) -> Terms:
    """The shared conditions, built with backend `b`."""
    accepted = b.notin(b.col("status"), ["new", "not_accepted"])
    received_day, finished_day, due_day = (
        b.day("received_at"),
        b.day("finished_at"),
        b.day("due_at"),
    )
    overdue_day = b.later(due_day, received_day)
    return Terms(
        accepted=accepted,
        received_day=received_day,
        finished_day=finished_day,
        due_day=due_day,
        submitted_day=b.day("submitted_at"),
        overdue_day=overdue_day,
        can_be_overdue=b.all(
            accepted,
            b.notin(b.col("status"), ["supplement", "paused"]),
            b.known(b.col("due_at")),
            b.known(b.col("received_at")),
            b.any(b.missing(b.col("finished_at")), b.gt(finished_day, overdue_day)),
        ),
        resolved=b.eq(b.col("status"), "resolved"),
        online=b.eq(b.col("channel"), 2),
    )


@dataclass(frozen=True)
class Measure:
    """One rollup measure: the day it counts on, the condition of a dossier counted (besides
    its day's own, see `DAYS`), and whether a period sums it (a flow) or only reads it as a
    running total at a day (a state: see `data_access/counts.py`)."""

    name: str
    day: str  # a key of DAYS
    flow: bool
    condition: Callable[[Any, Terms], Any]  # (backend, terms) -> condition


def _received(b: Any, t: Terms) -> Any:
    return b.all(b.known(b.col("received_at")), t.accepted)


def _finished(b: Any, t: Terms) -> Any:
    return b.all(b.known(b.col("finished_at")), t.accepted)


def _overdue(b: Any, t: Terms) -> Any:
    return t.can_be_overdue


def _submitted(b: Any, t: Terms) -> Any:
    return b.all(t.online, b.known(b.col("submitted_at")))


# The day each measure counts on, and the condition every measure of that day shares.
DAYS: dict[str, tuple[Callable[[Terms], Any], Callable[[Any, Terms], Any]]] = {
    "received": (lambda t: t.received_day, _received),
    "finished": (lambda t: t.finished_day, _finished),
    "overdue": (lambda t: t.overdue_day, _overdue),
    "submitted": (lambda t: t.submitted_day, _submitted),
}


def _resolved_on_time(b: Any, t: Terms) -> Any:
    due = b.col("due_at")
    return b.all(t.resolved, b.any(b.missing(due), b.le(t.finished_day, t.due_day)))


def _resolved_late(b: Any, t: Terms) -> Any:
    return b.all(t.resolved, b.known(b.col("due_at")), b.gt(t.finished_day, t.due_day))


def _resolved_early(b: Any, t: Terms) -> Any:
    return b.all(t.resolved, b.known(b.col("due_at")), b.gt(t.due_day, t.finished_day))


def _resolved_on_time_766(b: Any, t: Terms) -> Any:
    # The 766 formula counts a dossier whose supplements were asked more than once as late.
    return b.all(_resolved_on_time(b, t), b.le(b.col("supplement_count"), 1))


def _answered_6h(b: Any, t: Terms) -> Any:
    minutes = b.col("first_response_minutes")
    return b.all(b.known(minutes), b.le(minutes, RESPONSE_LIMIT_MINUTES))


# Every measure, once: its name is the rollup column's and the flow's.
DEFINITIONS: tuple[Measure, ...] = (
    Measure("received", "received", True, lambda b, t: b.always()),
    Measure("received_online", "received", True, lambda b, t: t.online),
    Measure("received_fee", "received", True, lambda b, t: b.flag("has_fee")),
    Measure(
        "received_fee_paid_online",
        "received",
        True,
        lambda b, t: b.all(b.flag("has_fee"), b.flag("paid_online")),
    ),
    Measure("received_digitized", "received", True, lambda b, t: b.flag("digitized")),
    Measure("received_reused", "received", True, lambda b, t: b.flag("reused_data")),
    Measure("finished", "finished", False, lambda b, t: b.always()),
    Measure("resolved", "finished", True, lambda b, t: t.resolved),
    Measure("resolved_on_time", "finished", True, _resolved_on_time),
    Measure("resolved_late", "finished", True, _resolved_late),
    Measure(
        "resolved_e_result", "finished", True, lambda b, t: b.all(t.resolved, b.flag("e_result"))
    ),
    Measure(
        "withdrawn_or_returned",
        "finished",
        True,
        lambda b, t: b.isin(b.col("status"), ["withdrawn", "returned"]),
    ),
    Measure("returned", "finished", True, lambda b, t: b.eq(b.col("status"), "returned")),
    Measure(
        "paused_open",
        "received",
        False,
        lambda b, t: b.all(b.eq(b.col("status"), "paused"), b.missing(b.col("finished_at"))),
    ),
    Measure("overdue_start", "overdue", False, lambda b, t: b.always()),
    Measure("overdue_end", "finished", False, lambda b, t: t.can_be_overdue),
    Measure("online_submitted", "submitted", True, lambda b, t: b.always()),
    Measure("online_answered_6h", "submitted", True, _answered_6h),
    # Last: a column added later (migration 0007) sits last in the table.
    Measure("resolved_early", "finished", True, _resolved_early),
    # Added with the whole 766 score (migration 0014), last for the same reason.
    Measure("received_national_store", "received", True, lambda b, t: b.flag("national_store")),
    Measure("online_vneid", "submitted", True, lambda b, t: b.flag("vneid")),
    Measure("resolved_on_time_766", "finished", True, _resolved_on_time_766),
)
MEASURES: tuple[str, ...] = tuple(m.name for m in DEFINITIONS)  # the rollup columns, in order
FLOWS: tuple[str, ...] = tuple(m.name for m in DEFINITIONS if m.flow)


def events(b: Any) -> list[tuple[Any, Any, dict[str, Any]]]:
    """[(day, condition, {measure: condition})], one per day a measure counts on, built with
    backend `b`; a measure not listed for a day counts 0 there."""
    t = terms(b)
    out = []
    for key, (day, shared) in DAYS.items():
        mine = {m.name: m.condition(b, t) for m in DEFINITIONS if m.day == key}
        out.append((day(t), shared(b, t), mine))
    return out


def event_of(b: Any, name: str) -> tuple[Any, Any]:
    """The day measure `name` counts on and its whole condition, built with backend `b` (the
    officer counts reuse the dossier measures through this)."""
    t = terms(b)
    m = next(m for m in DEFINITIONS if m.name == name)
    day, shared = DAYS[m.day]
    return day(t), b.all(shared(b, t), m.condition(b, t))
