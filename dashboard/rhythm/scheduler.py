"""The one scheduler of a deployment (`tthc scheduler`): a loop that, at each wake, runs the
jobs whose slot has come, looks at the inbox every few minutes and retries mail due again,
then sleeps until the next of these.

Why not APScheduler or systemd timers (docs/schedule.md): the record of runs is what the data
page shows and what makes a run happen once, so it is the job store itself: a run is claimed
by inserting (job, slot), a second scheduler or a restart finds the slot taken. A missed slot
(the server was down at 17:00) is found at the next start by comparing the schedule with that
record, and runs then, saying it is late. The clock is a parameter, so a test runs a whole day
in a second. `tthc scheduler --once` does one wake for cron or a systemd timer.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Engine

from dashboard.domain import clock, schedule
from dashboard.domain.formatting import fmt_datetime
from dashboard.rhythm import inbox, jobs
from dashboard.settings import Settings
from data_access import deliveries, runs

log = logging.getLogger(__name__)
# A run still "running" this long after it started belongs to a process that died: its slot
# is due again (every job takes minutes).
STALE_RUN = dt.timedelta(minutes=30)


class Clock(Protocol):
    """Where the scheduler reads the time and waits."""

    def now(self) -> dt.datetime:
        """Vietnam's time now."""
        ...

    def sleep(self, seconds: float) -> bool:
        """Wait `seconds`; False when the scheduler is asked to stop."""
        ...


class RealClock:
    """The office's clock; waits wake early on `stop`, and at least every minute (a clock
    changed or a machine resumed from sleep is noticed)."""

    def __init__(self, stop: threading.Event | None = None) -> None:
        self.stop = stop or threading.Event()

    def now(self) -> dt.datetime:
        """Vietnam's time now."""
        return clock.now()

    def sleep(self, seconds: float) -> bool:
        """Wait up to a minute; False once stopped."""
        return not self.stop.wait(max(0.0, min(seconds, 60.0)))


@dataclass
class Wake:
    """What one wake did (for the log and the tests)."""

    ran: list[tuple[str, dt.datetime, bool]]  # (job, slot, late)
    inbox: inbox.Pass | None
    next_at: dt.datetime


def _started(engine: Engine, now: dt.datetime) -> dt.datetime:
    """When this deployment's scheduler first started (recorded now if never): slots before
    it were never the scheduler's to run, so they are not missed."""
    first = runs.first_slot(engine, "scheduler")
    if first is None:
        run_id = runs.claim(engine, "scheduler", now, False, now)
        if run_id is not None:
            runs.finish(engine, run_id, True, ["Lịch chạy bắt đầu từ lúc này."])
        first = runs.first_slot(engine, "scheduler") or now
    return first


def _run_job(
    engine: Engine, settings: Settings, job: schedule.Job, due: schedule.Due, now: dt.datetime
) -> bool:
    """Run one due slot unless another scheduler has it; True when this one ran it."""
    runs.record_missed(engine, job.key, due.missed)
    run_id = runs.claim(engine, job.key, due.slot, due.late, now)
    if run_id is None:
        return False
    head = []
    if due.late:
        head = [
            f"Chạy bù lúc {fmt_datetime(now)}: máy chủ không chạy lúc {fmt_datetime(due.slot)}."
        ]
    try:
        outcome = jobs.RUNNERS[job.key](engine, settings, due.slot.date(), True, now=now)
    except Exception as exc:  # a job's failure is recorded and shown, the loop goes on
        log.exception("scheduled job %s failed", job.key)
        last = traceback.format_exception_only(exc)[-1].strip()
        runs.finish(engine, run_id, False, [*head, f"Lỗi: {last}"])
        return True
    runs.finish(
        engine, run_id, outcome.ok, [*head, *outcome.lines], [str(f) for f in outcome.files]
    )
    return True


def _inbox(engine: Engine, settings: Settings, now: dt.datetime) -> inbox.Pass | None:
    """A look at the inbox; recorded as a run only when it took a file (a look every five
    minutes that found nothing is not news)."""
    if settings.inbox is None:
        return None
    try:
        done = inbox.run_pass(engine, settings, settings.inbox)
    except Exception as exc:
        log.exception("inbox pass failed")
        run_id = runs.claim(engine, "inbox", now, False, now)
        if run_id is not None:
            last = traceback.format_exception_only(exc)[-1].strip()
            runs.finish(engine, run_id, False, [f"Lỗi khi xem hộp thư: {last}"])
        return None
    if done.taken:
        run_id = runs.claim(engine, "inbox", now, False, now)
        if run_id is not None:
            lines = [line for t in done.taken for line in t.lines[:3]]
            ok = all(t.status != "refused" for t in done.taken)
            runs.finish(engine, run_id, ok, lines, [str(t.moved_to) for t in done.taken])
    return done


def _retry_mail(engine: Engine, settings: Settings, now: dt.datetime) -> None:
    """Letters due again after a failure; recorded as a run when some were due."""
    try:
        done = jobs.retry_mail(engine, settings, now)
    except Exception:  # the mail server's trouble never stops the schedule
        log.exception("mail retry failed")
        return
    if done.lines:
        run_id = runs.claim(engine, "mail_retry", now, False, now)
        if run_id is not None:
            runs.finish(engine, run_id, done.ok, done.lines)


def wake(engine: Engine, settings: Settings, now: dt.datetime, inbox_due: bool) -> Wake:
    """One wake at `now`: the due slots, the inbox when `inbox_due`, mail retries."""
    cal = settings.work_calendar()
    since_start = _started(engine, now)
    runs.release_stale(engine, now - STALE_RUN)
    ran = []
    for job in jobs.scheduled(settings):
        since = max(runs.last_slot(engine, job.key) or since_start, since_start)
        due = schedule.due(job, now, since, cal)
        if due is not None and _run_job(engine, settings, job, due, now):
            ran.append((job.key, due.slot, due.late))
    taken = _inbox(engine, settings, now) if inbox_due else None
    _retry_mail(engine, settings, now)
    upcoming = [job.next_slot(now, cal) for job in jobs.scheduled(settings)]
    if settings.smtp_host and (retry := deliveries.next_retry_at(engine)) is not None:
        upcoming.append(max(retry, now))
    return Wake(ran, taken, min(upcoming))


def serve(
    engine: Engine,
    settings: Settings,
    clk: Clock,
    on_wake: Callable[[Wake], None] | None = None,
) -> None:
    """Wake, sleep until the next slot or inbox look, again, until the clock says stop."""
    every = dt.timedelta(minutes=settings.inbox_minutes)
    next_inbox = clk.now()
    while True:
        now = clk.now()
        inbox_due = now >= next_inbox
        if inbox_due:
            next_inbox = now + every
        w = wake(engine, settings, now, inbox_due)
        if on_wake is not None:
            on_wake(w)
        for key, slot, late in w.ran:
            log.info("ran %s for %s%s", key, slot, " (late)" if late else "")
        until = min(w.next_at, next_inbox) if settings.inbox else w.next_at
        if not clk.sleep(max(1.0, (until - clk.now()).total_seconds())):
            return
