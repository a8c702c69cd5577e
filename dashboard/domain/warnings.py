"""Early warning (pure): which open dossiers need action as of a day, and where a running
period's targets can still end up. The rules are docs/indicators.md, "Early warning".

As of a day D a dossier is open when it was accepted, received on or before D and not
finished by the end of D. Every open dossier is in at most one class: waiting for the citizen
(status supplement or paused: the clock stopped), else by its due day: overdue (before D), due
today (on D), due soon (within the next N working days after D); due later, no warning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dashboard.domain.rules import IndicatorValue
from dashboard.domain.targets import Evaluated, evaluate
from dashboard.domain.vocabulary import DossierStatus, Evaluation, RiskFlag, WarningClass
from dashboard.domain.worktime import WorkCalendar

DEFAULT_DAYS = 2  # "sắp đến hạn": due within this many working days after D
MAX_DAYS = 30
WAITING = (DossierStatus.SUPPLEMENT.value, DossierStatus.PAUSED.value)
NOT_ACCEPTED = (DossierStatus.NEW.value, DossierStatus.NOT_ACCEPTED.value)
ORDER = (
    WarningClass.OVERDUE,
    WarningClass.DUE_TODAY,
    WarningClass.DUE_SOON,
    WarningClass.WAITING_CITIZEN,
)
# The indicators the handling of today's open dossiers decides (the others count receptions
# and results that have not happened yet).
OUTLOOK_KEYS = ("on_time", "overdue")


@dataclass(frozen=True)
class Horizon:
    """As of `as_of`, "due soon" runs to `last_day`: the `days`-th working day after it."""

    as_of: dt.date
    days: int
    last_day: dt.date


def horizon(cal: WorkCalendar, as_of: dt.date, days: int = DEFAULT_DAYS) -> Horizon:
    """The `days` working days after `as_of` (not counting `as_of` itself)."""
    if not 0 <= days <= MAX_DAYS:
        raise ValueError(f"Số ngày làm việc phải từ 0 đến {MAX_DAYS} (nhận được {days})")
    day, left = as_of, days
    while left > 0:
        day += dt.timedelta(days=1)
        if cal.is_working_day(day):
            left -= 1
    return Horizon(as_of, days, day)


def is_open(
    status: str,
    received: dt.datetime | None,
    finished: dt.datetime | None,
    as_of: dt.date,
) -> bool:
    """Accepted, received on or before `as_of`, not finished by the end of `as_of`."""
    return (
        status not in NOT_ACCEPTED
        and received is not None
        and received.date() <= as_of
        and (finished is None or finished.date() > as_of)
    )


def classify(status: str, due: dt.date | None, h: Horizon) -> WarningClass | None:
    """The warning class of an open dossier (None: due later, or no due day)."""
    if status in WAITING:
        return WarningClass.WAITING_CITIZEN
    if due is None or due > h.last_day:
        return None
    if due < h.as_of:
        return WarningClass.OVERDUE
    if due == h.as_of:
        return WarningClass.DUE_TODAY
    return WarningClass.DUE_SOON


def working_days_left(
    cal: WorkCalendar, as_of: dt.date, dues: Sequence[dt.date | None]
) -> list[int | None]:
    """Working days from `as_of` to each due day: the working days in (as_of, due] when it
    is later, 0 on the day, minus the working days in (due, as_of] when it has passed."""
    known = [i for i, d in enumerate(dues) if d is not None]
    out: list[int | None] = [None] * len(dues)
    if not known:
        return out
    due = np.array([dues[i] for i in known], dtype="datetime64[D]")
    day = np.datetime64(as_of, "D")
    one = np.timedelta64(1, "D")
    holidays = np.array(sorted(cal.days_off), dtype="datetime64[D]")
    later = np.busday_count(day + one, due + one, holidays=holidays)
    passed = np.busday_count(due + one, day + one, holidays=holidays)
    for k, i in enumerate(known):
        out[i] = int(later[k]) if due[k] >= day else -int(passed[k])
    return out


@dataclass(frozen=True)
class Outlook:
    """One indicator of one unit in the running period: its value so far, the best case at
    the period's end (every open dossier finished by its due day), the worst (none finished
    in the period, so each one due before the period's end turns overdue), and the flag."""

    key: str
    so_far: Evaluated
    best: Evaluated
    worst: Evaluated
    turning_overdue: int  # open dossiers that turn overdue in the worst case

    @property
    def flag(self) -> RiskFlag | None:
        """At risk when even the best case misses; needs action when only the best case
        meets; None without data."""
        if self.best.status == Evaluation.NO_DATA:
            return None
        if self.best.status == Evaluation.MISSED:
            return RiskFlag.AT_RISK
        if self.worst.status == Evaluation.MISSED:
            return RiskFlag.NEEDS_ACTION
        return RiskFlag.SAFE


def outlook(so_far: Evaluated, turning_overdue: int) -> Outlook:
    """Best and worst case of `so_far` (an on-time rate or an overdue count) when
    `turning_overdue` open dossiers, not overdue yet, are due before the period ends.

    Finished by its due day, such a dossier stays on time; left open, it is overdue at the
    period's end. The dossiers already overdue are late either way, and no reception after D
    is assumed (the denominator, dossiers handled in the period, stays as it is)."""
    if so_far.key not in OUTLOOK_KEYS:
        raise ValueError(f"no outlook for {so_far.key}")
    best = so_far
    if so_far.numerator is None:
        worst = so_far
    else:
        shift = -turning_overdue if so_far.key == "on_time" else turning_overdue
        num = so_far.numerator + shift
        den = so_far.denominator
        value = (num / den if den else None) if so_far.key == "on_time" else float(num)
        worst = evaluate(IndicatorValue(so_far.key, num, den, value), so_far.target)
    return Outlook(so_far.key, so_far, best, worst, turning_overdue)


def turns_overdue(status: str, due: dt.date | None, as_of: dt.date, period_end: dt.date) -> bool:
    """An open dossier, not overdue on `as_of`, that is overdue at `period_end` if it is not
    finished: its clock runs and its due day is in [as_of, period_end)."""
    return status not in WAITING and due is not None and as_of <= due < period_end
