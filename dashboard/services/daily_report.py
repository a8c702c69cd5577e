"""The 17:00 daily report (seed 004: every unit's figures to the chairman each day): each
unit's indicators for the day and for the month to that day, and the units × indicators below
target in the month so far. The same entries as the pages, so the report equals the screen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dashboard.domain.periods import Period
from dashboard.domain.query import ViewQuery
from dashboard.services import entries, figures
from dashboard.services.report import Report
from dashboard.services.standing import BelowTarget


@dataclass(frozen=True)
class DailyReport:
    """The figures of one day's report."""

    day: dt.date
    today: Report  # the day alone
    month: Report  # the 1st of the month to the day
    below: list[BelowTarget]  # the month so far, units × indicators below target
    newest: dt.datetime | None  # the newest moment in the data

    @property
    def month_period(self) -> Period:
        """The month to date (1st to the day)."""
        return self.month.period

    @property
    def stale(self) -> bool:
        """Whether the data stop before the day's end (no export of the day imported yet)."""
        return self.newest is None or self.newest.date() < self.day


def month_to_date(day: dt.date) -> str:
    """The period key of the 1st of `day`'s month to `day`."""
    return f"{day.replace(day=1).isoformat()}:{day.isoformat()}"


def build(day: dt.date) -> DailyReport:
    """The report of `day` (inside an app context: a server, a worker or `standalone`)."""
    today = entries.indicators(ViewQuery(period=day.isoformat()))
    mtd = month_to_date(day)
    month = entries.indicators(ViewQuery(period=mtd))
    below = entries.below_target(ViewQuery(period=mtd)).all
    _, newest = figures.data_range()
    return DailyReport(day, today, month, below, newest)
