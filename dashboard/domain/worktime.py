"""The working-time calendar: office hours, weekends, Vietnamese public holidays.

Deadlines and the 6-working-hour rule skip nights, weekends and holidays; the
holidays come from the `holidays` package (lunar Tết included) plus any
configured extra days off.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

import holidays
import numpy as np

DEFAULT_OFFICE_HOURS: tuple[tuple[dt.time, dt.time], ...] = (
    (dt.time(7, 30), dt.time(11, 30)),
    (dt.time(13, 30), dt.time(17, 0)),
)


@dataclass(frozen=True)
class WorkCalendar:
    """Working days and office hours; immutable so it can be shared and cached."""

    years: tuple[int, ...] = tuple(range(2020, 2031))
    office_hours: tuple[tuple[dt.time, dt.time], ...] = DEFAULT_OFFICE_HOURS
    extra_days_off: frozenset[dt.date] = field(default_factory=frozenset)

    @cached_property
    def days_off(self) -> frozenset[dt.date]:
        """Public holidays of Vietnam in `years` plus the configured extra days off."""
        return frozenset(holidays.VN(years=self.years).keys()) | self.extra_days_off

    def is_working_day(self, day: dt.date) -> bool:
        """Monday to Friday and not a holiday or configured day off."""
        return day.weekday() < 5 and day not in self.days_off

    def working_days(self, start: dt.date, end: dt.date) -> Iterable[dt.date]:
        """Working days from `start` to `end`, both included."""
        day = start
        while day <= end:
            if self.is_working_day(day):
                yield day
            day += dt.timedelta(days=1)

    @cached_property
    def _add_days_memo(self) -> dict[tuple[dt.date, int], dt.date]:
        return {}

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The `n`-th working day after `day` (n = 0: `day` itself if working, else the next)."""
        key = (day, n)
        memo = self._add_days_memo
        if key not in memo:
            memo[key] = self._add_working_days(day, n)
        return memo[key]

    def _add_working_days(self, day: dt.date, n: int) -> dt.date:
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        while n > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day

    # -- working minutes (the 6-working-hour reception rule) ------------------------------

    def _intervals(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        if not self.is_working_day(day):
            return []
        return [
            (dt.datetime.combine(day, a), dt.datetime.combine(day, b)) for a, b in self.office_hours
        ]

    def next_working_minute(self, moment: dt.datetime) -> dt.datetime:
        """`moment` itself when inside office hours, else the start of the next office interval."""
        day = moment.date()
        for _ in range(400):  # a year of holidays cannot be longer than this
            for start, end in self._intervals(day):
                if moment < end:
                    return max(moment, start)
            day += dt.timedelta(days=1)
            moment = dt.datetime.combine(day, dt.time.min)
        raise ValueError("no working time within 400 days")

    def add_working_minutes(self, moment: dt.datetime, minutes: float) -> dt.datetime:
        """The moment `minutes` working minutes after `moment` (counted from a working minute)."""
        t = self.next_working_minute(moment)
        left = dt.timedelta(minutes=minutes)
        while True:
            for start, end in self._intervals(t.date()):
                if t >= end:
                    continue
                t = max(t, start)
                if t + left <= end:
                    return t + left
                left -= end - t
                t = end
            t = self.next_working_minute(
                dt.datetime.combine(t.date() + dt.timedelta(days=1), dt.time.min)
            )

    def working_minutes_between(self, a: dt.datetime, b: dt.datetime) -> float:
        """Working minutes from `a` to `b` (0 when `b` is not after `a`)."""
        if b <= a:
            return 0.0
        total = dt.timedelta()
        day = a.date()
        while day <= b.date():
            for start, end in self._intervals(day):
                lo, hi = max(start, a), min(end, b)
                if hi > lo:
                    total += hi - lo
            day += dt.timedelta(days=1)
        return total.total_seconds() / 60


def first_response_minutes(
    cal: WorkCalendar,
    *,
    channel: int,
    status: str,
    submitted_at: dt.datetime | None,
    received_at: dt.datetime | None,
    supplement_requested_at: dt.datetime | None,
    finished_at: dt.datetime | None,
) -> float | None:
    """Working minutes from an online submission to the desk's first answer, or None.

    The first answer is the earliest of: acceptance (received_at), a request to supplement,
    and for a dossier not accepted, its finished_at (the refusal). None when the dossier was
    not submitted online or has no answer yet.
    """
    if channel != 2 or submitted_at is None:
        return None
    answers = [t for t in (received_at, supplement_requested_at) if t is not None]
    if status == "not_accepted" and finished_at is not None:
        answers.append(finished_at)
    if not answers:
        return None
    return cal.working_minutes_between(submitted_at, min(answers))


def working_minutes_array(cal: WorkCalendar, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`cal.working_minutes_between(a[i], b[i])` for whole arrays of datetime64 at once
    (NaN where either is NaT): the working seconds from a fixed day to each moment, as the
    working days before its day plus the office time elapsed on its day, subtracted."""
    a = np.asarray(a, dtype="datetime64[us]")
    b = np.asarray(b, dtype="datetime64[us]")
    out = np.full(a.shape, np.nan)
    known = ~(np.isnat(a) | np.isnat(b))
    if not known.any():
        return out
    a, b = a[known], b[known]
    first = min(a.min(), b.min()).astype("datetime64[D]")
    last = max(a.max(), b.max()).astype("datetime64[D]")
    origin = first.astype(dt.date)
    n = int((last - first).astype(int)) + 1
    working = np.array(
        [cal.is_working_day(origin + dt.timedelta(days=i)) for i in range(n)], dtype=bool
    )
    spans = [
        ((s.hour * 60 + s.minute) * 60 + s.second, (e.hour * 60 + e.minute) * 60 + e.second)
        for s, e in cal.office_hours
    ]
    per_day = sum(e - s for s, e in spans)
    before = np.concatenate(([0], np.cumsum(working * per_day)))  # seconds before day i

    def elapsed(t: np.ndarray) -> np.ndarray:
        day = (t.astype("datetime64[D]") - first).astype(np.int64)
        second = (t - t.astype("datetime64[D]")).astype("timedelta64[us]").astype(np.int64) / 1e6
        inside = sum(np.clip(second - s, 0, e - s) for s, e in spans)
        return before[day] + np.where(working[day], inside, 0.0)

    out[known] = np.maximum(elapsed(b) - elapsed(a), 0.0) / 60
    return out


def first_response_minutes_array(
    cal: WorkCalendar,
    *,
    channel: np.ndarray,
    status: np.ndarray,
    submitted_at: np.ndarray,
    received_at: np.ndarray,
    supplement_requested_at: np.ndarray,
    finished_at: np.ndarray,
) -> np.ndarray:
    """`first_response_minutes` for whole columns at once (NaN where it is None)."""
    refused = np.where(np.asarray(status) == "not_accepted", finished_at, np.datetime64("NaT"))
    answers = np.stack(
        [
            np.asarray(received_at, dtype="datetime64[us]"),
            np.asarray(supplement_requested_at, dtype="datetime64[us]"),
            refused.astype("datetime64[us]"),
        ]
    )
    # The earliest answer; a missing one counts as never.
    first = np.where(np.isnat(answers), np.datetime64("9999-12-31", "us"), answers).min(axis=0)
    first = np.where(first == np.datetime64("9999-12-31", "us"), np.datetime64("NaT"), first)
    minutes = working_minutes_array(cal, submitted_at, first)
    return np.where(np.asarray(channel) == 2, minutes, np.nan)
