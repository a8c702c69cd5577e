"""When the daily rhythm's jobs are due: the morning digest and the 17:00 report on working
days, the monthly report on the 1st, the inbox every few minutes. Pure: the scheduler asks
which slot is due at a moment and when the next one comes; the record of what ran is the
database's (data_access/runs.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from dashboard.domain.worktime import WorkCalendar

Cadence = Literal["working_day", "monthly", "every"]

# A run this long after its slot is said to be late (a scheduler's tick is never exact).
LATE_AFTER = dt.timedelta(minutes=5)
# Slots further back than this are not looked for (a scheduler off for months).
LOOK_BACK = dt.timedelta(days=40)


@dataclass(frozen=True)
class Job:
    """A scheduled job: its key (the runs table's), its name on the data page, its cadence."""

    key: str
    label: str
    cadence: Cadence
    at: dt.time = dt.time(0, 0)  # working_day, monthly: the time of day
    minutes: int = 0  # every: the interval, counted from midnight

    def slots(
        self, start: dt.datetime, end: dt.datetime, cal: WorkCalendar
    ) -> Iterator[dt.datetime]:
        """The slots after `start` up to `end` included, oldest first."""
        if self.cadence == "every":
            step = dt.timedelta(minutes=self.minutes)
            midnight = dt.datetime.combine(start.date(), dt.time(0, 0))
            slot = midnight + step * ((start - midnight) // step + 1)
            while slot <= end:
                yield slot
                slot += step
            return
        day = start.date()
        while day <= end.date():
            slot = dt.datetime.combine(day, self.at)
            due = cal.is_working_day(day) if self.cadence == "working_day" else day.day == 1
            if due and start < slot <= end:
                yield slot
            day += dt.timedelta(days=1)

    def next_slot(self, after: dt.datetime, cal: WorkCalendar) -> dt.datetime:
        """The first slot after `after`."""
        horizon = after + dt.timedelta(days=40)
        return next(self.slots(after, horizon, cal))


@dataclass(frozen=True)
class Due:
    """What the scheduler does for a job at a moment: run `slot` (late or not) and record the
    older slots nobody ran as missed."""

    job: Job
    slot: dt.datetime
    late: bool
    missed: tuple[dt.datetime, ...]


def due(job: Job, now: dt.datetime, since: dt.datetime, cal: WorkCalendar) -> Due | None:
    """The newest slot of `job` after `since` (the newest slot already recorded, or when the
    scheduler first started) up to `now`; None when there is none. Only the newest runs: a
    report of last Tuesday sent on Friday helps nobody, and is listed as missed."""
    start = max(since, now - LOOK_BACK)
    slots = list(job.slots(start, now, cal))
    if not slots:
        return None
    *older, newest = slots
    return Due(job, newest, now - newest > LATE_AFTER, tuple(older))
