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
- withdrawn_or_returned, returned: finished day; status withdrawn or returned / returned;
- paused_open: received day; accepted, status paused, not finished;
- overdue_start: max(received day, due day); accepted, not supplement/paused, due known, and
  not finished by that day; overdue_end: finished day of those;
- online_submitted, online_answered_6h: submitted day; online (and answered within 360
  working minutes).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import and_, case, literal, or_

from data_access.models import Dossier, table_of
from data_access.sqlfuncs import day_of

RESPONSE_LIMIT_MINUTES = 360  # 6 working hours (seed 001)


class SQL:
    """Terms as SQLAlchemy expressions over the dossiers table."""

    c = table_of(Dossier).c

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


def events(b: Any) -> list[tuple[Any, Any, dict[str, Any]]]:
    """[(day, condition, {measure: condition})]: every measure once; a measure not listed
    for an event counts 0 there."""
    t = terms(b)
    status, due, finished = b.col("status"), b.col("due_at"), b.col("finished_at")
    minutes = b.col("first_response_minutes")
    return [
        (
            t.received_day,
            b.all(b.known(b.col("received_at")), t.accepted),
            {
                "received": b.always(),
                "received_online": t.online,
                "received_fee": b.flag("has_fee"),
                "received_fee_paid_online": b.all(b.flag("has_fee"), b.flag("paid_online")),
                "received_digitized": b.flag("digitized"),
                "received_reused": b.flag("reused_data"),
                "paused_open": b.all(b.eq(status, "paused"), b.missing(finished)),
            },
        ),
        (
            t.finished_day,
            b.all(b.known(finished), t.accepted),
            {
                "finished": b.always(),
                "resolved": t.resolved,
                "resolved_on_time": b.all(
                    t.resolved, b.any(b.missing(due), b.le(t.finished_day, t.due_day))
                ),
                "resolved_late": b.all(t.resolved, b.known(due), b.gt(t.finished_day, t.due_day)),
                "resolved_e_result": b.all(t.resolved, b.flag("e_result")),
                "withdrawn_or_returned": b.isin(status, ["withdrawn", "returned"]),
                "returned": b.eq(status, "returned"),
                "overdue_end": t.can_be_overdue,
            },
        ),
        (t.overdue_day, t.can_be_overdue, {"overdue_start": b.always()}),
        (
            t.submitted_day,
            b.all(t.online, b.known(b.col("submitted_at"))),
            {
                "online_submitted": b.always(),
                "online_answered_6h": b.all(
                    b.known(minutes), b.le(minutes, RESPONSE_LIMIT_MINUTES)
                ),
            },
        ),
    ]
