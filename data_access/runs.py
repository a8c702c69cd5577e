"""The scheduler's record: one row per job and slot (the moment the run was due), claimed by
inserting it, so one slot runs once whatever the number of schedulers, restarts or `--once`
calls from cron; the data page reads the newest rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from dashboard.domain import clock
from data_access.db import inserted_id
from data_access.models import table_of
from data_access.rhythm_models import ScheduledRun


@dataclass(frozen=True)
class RunRow:
    """A recorded run, as the data page shows it."""

    id: int
    job: str
    slot: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    status: str
    late: bool
    result: str
    files: tuple[str, ...]


def claim(engine: Engine, job: str, slot: dt.datetime, late: bool, now: dt.datetime) -> int | None:
    """Take the run of `job` for `slot`: its id, or None when another run already has it."""
    try:
        with engine.begin() as conn:
            return inserted_id(
                conn.execute(
                    insert(ScheduledRun).values(
                        job=job, slot=slot, started_at=now, status="running", late=late,
                        result="", files="",
                    )
                )
            )  # fmt: skip
    except IntegrityError:
        return None


def record_missed(engine: Engine, job: str, slots: Sequence[dt.datetime]) -> int:
    """Record slots that passed while nothing ran and will not run (only the newest missed
    slot of a job runs late): the page lists them as missed. Returns how many were new."""
    added = 0
    for slot in slots:
        try:
            with engine.begin() as conn:
                conn.execute(
                    insert(ScheduledRun).values(
                        job=job, slot=slot, status="missed", late=False,
                        result=(
                            f"Bỏ lỡ: máy chủ không chạy lúc {slot:%H:%M %d/%m/%Y}; "
                            "chỉ lần gần nhất được chạy bù."
                        ),
                        files="",
                    )
                )  # fmt: skip
            added += 1
        except IntegrityError:
            pass
    return added


def release_stale(engine: Engine, started_before: dt.datetime) -> int:
    """Free the slots of runs still "running" that started before `started_before`: their
    process died (a job takes minutes), so the slot is due again and runs late. How many."""
    with engine.begin() as conn:
        return conn.execute(
            delete(ScheduledRun).where(
                ScheduledRun.status == "running",
                ScheduledRun.started_at < started_before,
                ScheduledRun.job != "scheduler",  # the start record, never a job to redo
            )
        ).rowcount


def finish(
    engine: Engine, run_id: int, ok: bool, result: Sequence[str], files: Sequence[str] = ()
) -> None:
    """Close a claimed run with its outcome, Vietnamese lines and the files it wrote."""
    with engine.begin() as conn:
        conn.execute(
            update(ScheduledRun)
            .where(ScheduledRun.id == run_id)
            .values(
                finished_at=clock.now(),
                status="ok" if ok else "failed",
                result="\n".join(result),
                files="\n".join(str(f) for f in files),
            )
        )


def first_slot(engine: Engine, job: str) -> dt.datetime | None:
    """The oldest slot recorded for `job`."""
    with engine.connect() as conn:
        return conn.execute(
            select(func.min(ScheduledRun.slot)).where(ScheduledRun.job == job)
        ).scalar()


def last_slot(engine: Engine, job: str) -> dt.datetime | None:
    """The newest slot recorded for `job` (run, running, failed or missed)."""
    with engine.connect() as conn:
        return conn.execute(
            select(func.max(ScheduledRun.slot)).where(ScheduledRun.job == job)
        ).scalar()


def recent(engine: Engine, limit: int = 30, job: str | None = None) -> list[RunRow]:
    """The newest runs, newest slot first."""
    table = table_of(ScheduledRun)
    q = select(table).order_by(table.c.slot.desc(), table.c.id.desc())
    if job is not None:
        q = q.where(table.c.job == job)
    with engine.connect() as conn:
        rows = conn.execute(q.limit(limit)).all()
    return [
        RunRow(
            r.id, r.job, r.slot, r.started_at, r.finished_at, r.status, bool(r.late),
            r.result, tuple(f for f in r.files.split("\n") if f),
        )
        for r in rows
    ]  # fmt: skip
