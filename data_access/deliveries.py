"""The ledger of mail sent: one row per (kind, day, address, unit), claimed before the message
goes out, so no day's message is sent twice, across processes and restarts.

The life of a row:

- `claim` inserts it as "sending" with the message's bytes (or takes back a "failed" one whose
  wait is over); whoever claims it sends it, nobody else.
- `mark_sent` after the server accepted it ("sent"; the bytes are dropped).
- `mark_failed` when the server surely did not take it: "failed" with `next_try_at` after a
  growing wait (`BACKOFF_MINUTES`), or "gave_up" after `MAX_ATTEMPTS` tries or a refusal that
  no retry can change. `due_retries` lists the failed rows whose wait is over; `reclaim` takes
  one back for a retry, which sends the kept bytes unchanged.
- `mark_uncertain` when the connection broke after the message was handed over: the server may
  have taken it. The row stays "sending" and is never sent again by itself (at most once: a
  message lost is said on the data page; a message twice cannot be taken back).

A row left "sending" by a process that died between the claim and the answer is the same
case. Times are the office's clock (dashboard.domain.clock), like every time stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from dashboard.domain import clock
from data_access.db import inserted_id
from data_access.rhythm_models import Delivery

# Minutes to wait after the 1st, 2nd, … failure; the try after the last wait is the last one.
BACKOFF_MINUTES = (1, 5, 15, 60, 180)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1


@dataclass(frozen=True)
class DeliveryRecord:
    """A ledger row as the page and the commands see it (without the message's bytes)."""

    id: int
    kind: str
    day: dt.date
    email: str
    unit_code: str
    subject: str
    status: str  # sending, sent, failed, gave_up
    attempts: int
    last_error: str
    next_try_at: dt.datetime | None
    sent_at: dt.datetime | None
    updated_at: dt.datetime


_COLUMNS = (
    Delivery.id, Delivery.kind, Delivery.day, Delivery.email, Delivery.unit_code,
    Delivery.subject, Delivery.status, Delivery.attempts, Delivery.last_error,
    Delivery.next_try_at, Delivery.sent_at, Delivery.updated_at,
)  # fmt: skip


def _record(row: Any) -> DeliveryRecord:
    return DeliveryRecord(
        row.id, row.kind, row.day, row.email, row.unit_code, row.subject, row.status,
        row.attempts, row.last_error, row.next_try_at, row.sent_at, row.updated_at,
    )  # fmt: skip


def _key(kind: str, day: dt.date, email: str, unit_code: str):
    return (
        Delivery.kind == kind,
        Delivery.day == day,
        Delivery.email == email,
        Delivery.unit_code == unit_code,
    )


def claim(
    engine: Engine,
    kind: str,
    day: dt.date,
    email: str,
    unit_code: str,
    subject: str,
    message: bytes,
    now: dt.datetime | None = None,
) -> int | None:
    """Take the right to send this message: the row's id, or None when the (kind, day,
    address, unit) is already sent, being sent (or unknown), given up, or failed and still
    waiting. Race-safe: the unique key lets one insert win, and a failed row is taken back by
    one conditional UPDATE, so of two processes claiming at once exactly one gets the id.
    `message` is kept for the retries (a failed row taken back here gets the new bytes)."""
    now = now or clock.now()
    try:
        with engine.begin() as conn:
            return inserted_id(
                conn.execute(
                    insert(Delivery).values(
                        kind=kind,
                        day=day,
                        email=email,
                        unit_code=unit_code,
                        subject=subject[:500],
                        status="sending",
                        attempts=1,
                        last_error="",
                        next_try_at=None,
                        sent_at=None,
                        updated_at=now,
                        message=message,
                    )
                )
            )
    except IntegrityError:
        pass  # a row for this key exists: only a failed one whose wait is over is taken back
    with engine.begin() as conn:
        taken = conn.execute(
            update(Delivery)
            .where(
                *_key(kind, day, email, unit_code),
                Delivery.status == "failed",
                Delivery.next_try_at <= now,
            )
            .values(
                status="sending",
                attempts=Delivery.attempts + 1,
                next_try_at=None,
                subject=subject[:500],
                message=message,
                updated_at=now,
            )
        )
        if taken.rowcount != 1:
            return None
        return int(
            conn.execute(select(Delivery.id).where(*_key(kind, day, email, unit_code))).scalar_one()
        )


def reclaim(
    engine: Engine, delivery_id: int, now: dt.datetime | None = None
) -> tuple[DeliveryRecord, bytes] | None:
    """Take a failed row whose wait is over back for a retry: the row and the bytes to send
    again, or None when another process took it first (or it is not due, or has no bytes)."""
    now = now or clock.now()
    with engine.begin() as conn:
        taken = conn.execute(
            update(Delivery)
            .where(
                Delivery.id == delivery_id,
                Delivery.status == "failed",
                Delivery.next_try_at <= now,
                Delivery.message.is_not(None),
            )
            .values(
                status="sending",
                attempts=Delivery.attempts + 1,
                next_try_at=None,
                updated_at=now,
            )
        )
        if taken.rowcount != 1:
            return None
        row = conn.execute(
            select(*_COLUMNS, Delivery.message).where(Delivery.id == delivery_id)
        ).one()
    return _record(row), bytes(row.message)


def mark_sent(engine: Engine, delivery_id: int, now: dt.datetime | None = None) -> None:
    """The server accepted the message: "sent"; its bytes are no longer needed."""
    now = now or clock.now()
    with engine.begin() as conn:
        conn.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id)
            .values(
                status="sent", sent_at=now, updated_at=now, last_error="", message=None
            )  # fmt: skip
        )


def mark_failed(
    engine: Engine,
    delivery_id: int,
    error: str,
    now: dt.datetime | None = None,
    permanent: bool = False,
) -> DeliveryRecord:
    """The server surely did not take the message: "failed" until the next try (1, 5, 15,
    60, 180 minutes after the 1st … 5th failure), or "gave_up" after the 6th, or at once
    when `permanent` (the server refused the address for good). The row as it is now."""
    now = now or clock.now()
    with engine.begin() as conn:
        attempts = conn.execute(
            select(Delivery.attempts).where(Delivery.id == delivery_id)
        ).scalar_one()
        if permanent or attempts >= MAX_ATTEMPTS:
            values: dict = {"status": "gave_up", "next_try_at": None}
        else:
            wait = dt.timedelta(minutes=BACKOFF_MINUTES[max(attempts, 1) - 1])
            values = {"status": "failed", "next_try_at": now + wait}
        conn.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id, Delivery.status == "sending")
            .values(last_error=error[:2000], updated_at=now, **values)
        )
        return _record(conn.execute(select(*_COLUMNS).where(Delivery.id == delivery_id)).one())


def mark_uncertain(
    engine: Engine, delivery_id: int, error: str, now: dt.datetime | None = None
) -> None:
    """The connection broke after the message was handed over: it may have arrived. The row
    stays "sending" (never sent again by itself) with the error said."""
    now = now or clock.now()
    with engine.begin() as conn:
        conn.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id)
            .values(last_error=error[:2000], updated_at=now)
        )


def find(
    engine: Engine, kind: str, day: dt.date, email: str, unit_code: str
) -> DeliveryRecord | None:
    """The row of a (kind, day, address, unit), or None when nothing was claimed."""
    with engine.connect() as conn:
        row = conn.execute(select(*_COLUMNS).where(*_key(kind, day, email, unit_code))).first()
    return _record(row) if row else None


def get(engine: Engine, delivery_id: int) -> DeliveryRecord | None:
    """One row by its id."""
    with engine.connect() as conn:
        row = conn.execute(select(*_COLUMNS).where(Delivery.id == delivery_id)).first()
    return _record(row) if row else None


def due_retries(engine: Engine, now: dt.datetime | None = None) -> list[DeliveryRecord]:
    """The failed rows whose wait is over, the longest waiting first."""
    now = now or clock.now()
    with engine.connect() as conn:
        rows = conn.execute(
            select(*_COLUMNS)
            .where(Delivery.status == "failed", Delivery.next_try_at <= now)
            .order_by(Delivery.next_try_at, Delivery.id)
        ).all()
    return [_record(r) for r in rows]


def next_retry_at(engine: Engine) -> dt.datetime | None:
    """When the next failed row's wait ends (the scheduler wakes then), None when none waits."""
    with engine.connect() as conn:
        return conn.execute(
            select(func.min(Delivery.next_try_at)).where(Delivery.status == "failed")
        ).scalar()


def unsettled(engine: Engine, limit: int = 20) -> list[DeliveryRecord]:
    """Rows not sent: failed (waiting for a retry), given up, or left sending by a process
    that died; newest first (the data page says them)."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(*_COLUMNS)
            .where(Delivery.status != "sent")
            .order_by(Delivery.updated_at.desc(), Delivery.id.desc())
            .limit(limit)
        ).all()
    return [_record(r) for r in rows]


def recent(engine: Engine, limit: int = 50) -> list[DeliveryRecord]:
    """The rows changed last, newest first (the page's list)."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(*_COLUMNS).order_by(Delivery.updated_at.desc(), Delivery.id.desc()).limit(limit)
        ).all()
    return [_record(r) for r in rows]
