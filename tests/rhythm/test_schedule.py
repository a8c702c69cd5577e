"""When jobs are due (pure), and the scheduler running days in a second with a fast clock on a
real database: each slot once, missed slots run late at the next start, runs recorded."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from pathlib import Path

from sqlalchemy import Engine

from dashboard.domain.schedule import Job, due
from dashboard.domain.worktime import WorkCalendar
from dashboard.rhythm import scheduler
from dashboard.services import context
from dashboard.settings import Settings
from data_access import runs

D = dt.datetime
# 5/3/2025, a Wednesday, made a day off; the weekend of 8–9/3.
CAL = WorkCalendar(extra_days_off=frozenset({dt.date(2025, 3, 5)}))
DAILY = Job("daily_report", "Báo cáo 17:00", "working_day", dt.time(17, 0))


def test_working_day_slots_skip_weekends_and_days_off() -> None:
    assert list(DAILY.slots(D(2025, 3, 3, 17, 0), D(2025, 3, 10, 17, 0), CAL)) == [
        D(2025, 3, 4, 17, 0),
        D(2025, 3, 6, 17, 0),
        D(2025, 3, 7, 17, 0),
        D(2025, 3, 10, 17, 0),
    ]  # after the start (3/3 17:00 itself excluded), up to the end included
    assert DAILY.next_slot(D(2025, 3, 7, 17, 0), CAL) == D(2025, 3, 10, 17, 0)


def test_monthly_and_interval_slots() -> None:
    monthly = Job("monthly_report", "Tháng", "monthly", dt.time(7, 0))
    assert list(monthly.slots(D(2025, 1, 15), D(2025, 4, 1, 7, 0), CAL)) == [
        D(2025, 2, 1, 7, 0),
        D(2025, 3, 1, 7, 0),  # a Saturday: the 1st all the same
        D(2025, 4, 1, 7, 0),
    ]
    every = Job("inbox", "Hộp thư", "every", minutes=5)
    assert list(every.slots(D(2025, 3, 3, 6, 2), D(2025, 3, 3, 6, 15), CAL)) == [
        D(2025, 3, 3, 6, 5),
        D(2025, 3, 3, 6, 10),
        D(2025, 3, 3, 6, 15),
    ]


def test_only_the_newest_missed_slot_runs_and_it_says_late() -> None:
    # The last run was Monday's; the server comes back Friday 08:00.
    d = due(DAILY, D(2025, 3, 7, 8, 0), D(2025, 3, 3, 17, 0), CAL)
    assert d is not None
    assert (d.slot, d.late, d.missed) == (D(2025, 3, 6, 17, 0), True, (D(2025, 3, 4, 17, 0),))
    on_time = due(DAILY, D(2025, 3, 6, 17, 0, 30), D(2025, 3, 4, 17, 0), CAL)
    assert on_time is not None and (on_time.slot, on_time.late) == (D(2025, 3, 6, 17, 0), False)
    assert due(DAILY, D(2025, 3, 6, 16, 59), D(2025, 3, 4, 17, 0), CAL) is None


class FastClock:
    """Virtual time: a sleep moves it on at once; stops at `end`."""

    def __init__(self, start: dt.datetime, end: dt.datetime) -> None:
        self.t, self.end, self.sleeps = start, end, 0

    def now(self) -> dt.datetime:
        return self.t

    def sleep(self, seconds: float) -> bool:
        self.sleeps += 1
        self.t += dt.timedelta(seconds=seconds)
        return self.t < self.end


def _settings(tmp_path: Path) -> Settings:
    base = Settings.from_env({"DATABASE_URL": "sqlite://", "TTHC_EXTRA_DAYS_OFF": "2025-03-05"})
    return dataclasses.replace(base, reports_dir=tmp_path / "bao-cao", warm_cache=False)


def _runs(engine: Engine) -> list[tuple[str, dt.datetime, str, bool]]:
    return sorted((r.job, r.slot, r.status, r.late) for r in runs.recent(engine, 100))


def test_the_scheduler_runs_each_slot_once_and_catches_up_after_a_stop(
    ref_engine: Engine, add, tmp_path: Path
) -> None:
    add("10621", [{"received_at": "2025-03-03 08:00", "due_at": "2025-03-10 17:00",
                   "finished_at": "2025-03-03 15:00"}])  # fmt: skip
    settings = _settings(tmp_path)
    with context.standalone(ref_engine, settings):
        # Monday 06:00 to Tuesday 18:00.
        clk = FastClock(D(2025, 3, 3, 6, 0), D(2025, 3, 4, 18, 0))
        scheduler.serve(ref_engine, settings, clk)
        assert _runs(ref_engine) == [
            ("daily_report", D(2025, 3, 3, 17, 0), "ok", False),
            ("daily_report", D(2025, 3, 4, 17, 0), "ok", False),
            ("digest", D(2025, 3, 3, 7, 30), "ok", False),
            ("digest", D(2025, 3, 4, 7, 30), "ok", False),
            ("scheduler", D(2025, 3, 3, 6, 0), "ok", False),
        ]
        # It slept from slot to slot, not minute by minute (no inbox set).
        assert clk.sleeps <= 6
        # Down from Tuesday 18:00 to Friday 09:00 (Wednesday a day off): Thursday's 17:00 and
        # Friday's 07:30 run late; Thursday's 07:30, older, is listed as missed.
        scheduler.serve(ref_engine, settings, FastClock(D(2025, 3, 7, 9, 0), D(2025, 3, 7, 9, 1)))
    assert _runs(ref_engine) == [
        ("daily_report", D(2025, 3, 3, 17, 0), "ok", False),
        ("daily_report", D(2025, 3, 4, 17, 0), "ok", False),
        ("daily_report", D(2025, 3, 6, 17, 0), "ok", True),
        ("digest", D(2025, 3, 3, 7, 30), "ok", False),
        ("digest", D(2025, 3, 4, 7, 30), "ok", False),
        ("digest", D(2025, 3, 6, 7, 30), "missed", False),
        ("digest", D(2025, 3, 7, 7, 30), "ok", True),
        ("scheduler", D(2025, 3, 3, 6, 0), "ok", False),
    ]
    late = runs.recent(ref_engine, 1, job="daily_report")[0]
    assert late.result.startswith(
        "Chạy bù lúc 09:00 07/03/2025: máy chủ không chạy lúc 17:00 06/03/2025."
    )
    monday = runs.recent(ref_engine, 10, job="daily_report")[-1]
    assert {Path(f).name for f in monday.files} >= {
        "2025-03-03-bao-cao-17h.xlsx", "2025-03-03-bao-cao-17h.txt", "2025-03-03-bao-cao-17h.html",
    }  # fmt: skip
    text = (tmp_path / "bao-cao" / "2025-03-03" / "2025-03-03-bao-cao-17h.txt").read_text("utf-8")
    # One dossier received and resolved on Monday 3/3 in Quốc Tuấn, on time.
    assert "Trong ngày 03/03/2025: tiếp nhận 1, giải quyết 1, quá hạn 0." in text


def test_two_schedulers_waking_at_once_run_a_slot_once(ref_engine: Engine, tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    now = D(2025, 3, 3, 7, 31)
    runs.claim(ref_engine, "scheduler", D(2025, 3, 3, 6, 0), False, D(2025, 3, 3, 6, 0))
    results: list[scheduler.Wake] = []
    barrier = threading.Barrier(2)

    def one() -> None:
        with context.standalone(ref_engine, settings):
            barrier.wait()
            results.append(scheduler.wake(ref_engine, settings, now, inbox_due=False))

    threads = [threading.Thread(target=one) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(len(w.ran) for w in results) == [0, 1]
    assert [(r.job, r.slot) for r in runs.recent(ref_engine, 10, job="digest")] == [
        ("digest", D(2025, 3, 3, 7, 30))
    ]


def test_a_run_whose_process_died_runs_again_late(ref_engine: Engine, tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    started = runs.claim(ref_engine, "scheduler", D(2025, 3, 3, 6, 0), False, D(2025, 3, 3, 6, 0))
    assert started is not None
    runs.finish(ref_engine, started, True, ["Lịch chạy bắt đầu từ lúc này."])
    runs.claim(ref_engine, "digest", D(2025, 3, 3, 7, 30), False, D(2025, 3, 3, 7, 30))
    # Killed while writing the digest (the row stays "running"); back at 07:50: too soon to
    # call it dead. Back at 08:10: the slot is free again and runs, late.
    with context.standalone(ref_engine, settings):
        assert scheduler.wake(ref_engine, settings, D(2025, 3, 3, 7, 50), False).ran == []
        w = scheduler.wake(ref_engine, settings, D(2025, 3, 3, 8, 10), False)
    assert w.ran == [("digest", D(2025, 3, 3, 7, 30), True)]
    assert [(r.status, r.late) for r in runs.recent(ref_engine, 5, job="digest")] == [("ok", True)]
