"""The ledger of deliveries on SQLite and PostgreSQL: one claim per (kind, day, address,
unit), the waits between tries written by hand, giving up, at most once when the outcome is
unknown, and claims raced from threads."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import Engine, select

from data_access import deliveries
from data_access.rhythm_models import Delivery

DAY = dt.date(2026, 12, 4)
T0 = dt.datetime(2026, 12, 4, 7, 0)
KEY = ("digest", DAY, "dong.lac@namsach.gov.vn", "10657")


def claim(engine: Engine, now: dt.datetime, key=KEY, message: bytes = b"thu-1") -> int | None:
    return deliveries.claim(engine, *key, "Cảnh báo hồ sơ", message, now)


def stored_message(engine: Engine, delivery_id: int) -> bytes | None:
    with engine.connect() as conn:
        return conn.execute(select(Delivery.message).where(Delivery.id == delivery_id)).scalar()


def test_a_key_is_claimed_once(empty_engine: Engine) -> None:
    first = claim(empty_engine, T0)
    assert first is not None
    assert claim(empty_engine, T0) is None  # being sent
    # Another unit, address, day or kind is another message.
    assert claim(empty_engine, T0, ("digest", DAY, "dong.lac@namsach.gov.vn", "10612"))
    assert claim(empty_engine, T0, ("digest", DAY, "khac@namsach.gov.vn", "10657"))
    assert claim(empty_engine, T0, ("digest", dt.date(2026, 12, 5), *KEY[2:]))
    assert claim(empty_engine, T0, ("daily_report", *KEY[1:]))
    deliveries.mark_sent(empty_engine, first, T0 + dt.timedelta(seconds=3))
    assert claim(empty_engine, T0 + dt.timedelta(days=1)) is None  # sent: never again
    record = deliveries.get(empty_engine, first)
    assert record is not None
    assert (record.status, record.attempts, record.sent_at) == (
        "sent",
        1,
        dt.datetime(2026, 12, 4, 7, 0, 3),
    )
    assert stored_message(empty_engine, first) is None  # not needed any more


def test_failures_wait_1_5_15_60_180_minutes_then_give_up(empty_engine: Engine) -> None:
    delivery_id = claim(empty_engine, T0)
    assert delivery_id is not None
    now = T0
    # (next try after the n-th failure, by hand)
    expected = [
        dt.datetime(2026, 12, 4, 7, 1),
        dt.datetime(2026, 12, 4, 7, 6),
        dt.datetime(2026, 12, 4, 7, 21),
        dt.datetime(2026, 12, 4, 8, 21),
        dt.datetime(2026, 12, 4, 11, 21),
    ]
    for attempt, next_try in enumerate(expected, start=1):
        record = deliveries.mark_failed(empty_engine, delivery_id, f"lỗi lần {attempt}", now)
        assert (record.status, record.attempts, record.next_try_at) == (
            "failed",
            attempt,
            next_try,
        )
        assert record.last_error == f"lỗi lần {attempt}"
        # Not before its time, by a send or a retry.
        early = next_try - dt.timedelta(seconds=1)
        assert claim(empty_engine, early) is None
        assert deliveries.due_retries(empty_engine, early) == []
        assert deliveries.reclaim(empty_engine, delivery_id, early) is None
        assert [d.id for d in deliveries.due_retries(empty_engine, next_try)] == [delivery_id]
        now = next_try
        if attempt % 2:  # taken back by a retry (same bytes) or by a new send (new bytes)
            taken = deliveries.reclaim(empty_engine, delivery_id, now)
            assert taken is not None and taken[1] == b"thu-1" and taken[0].attempts == attempt + 1
        else:
            assert claim(empty_engine, now) == delivery_id
    record = deliveries.mark_failed(empty_engine, delivery_id, "lỗi lần 6", now)
    assert (record.status, record.attempts, record.next_try_at) == ("gave_up", 6, None)
    assert claim(empty_engine, now + dt.timedelta(days=1)) is None
    assert deliveries.due_retries(empty_engine, now + dt.timedelta(days=1)) == []


def test_a_refusal_for_good_gives_up_at_once(empty_engine: Engine) -> None:
    delivery_id = claim(empty_engine, T0)
    assert delivery_id is not None
    record = deliveries.mark_failed(empty_engine, delivery_id, "550", T0, permanent=True)
    assert (record.status, record.attempts) == ("gave_up", 1)


def test_an_unknown_outcome_is_never_sent_again(empty_engine: Engine) -> None:
    delivery_id = claim(empty_engine, T0)
    assert delivery_id is not None
    deliveries.mark_uncertain(empty_engine, delivery_id, "mất kết nối", T0)
    later = T0 + dt.timedelta(days=2)
    assert claim(empty_engine, later) is None
    assert deliveries.due_retries(empty_engine, later) == []
    (shown,) = deliveries.recent(empty_engine)
    assert (shown.status, shown.last_error) == ("sending", "mất kết nối")


def test_racing_claims_give_one_sender(empty_engine: Engine) -> None:
    """Eight threads claim the same new key, then the same failed key whose wait is over:
    each time exactly one of them may send."""

    def race() -> list[int | None]:
        start = threading.Barrier(8)
        got: list[int | None] = []
        lock = threading.Lock()

        def one() -> None:
            start.wait()
            result = claim(empty_engine, T0 + dt.timedelta(minutes=1))
            with lock:
                got.append(result)

        threads = [threading.Thread(target=one) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        return got

    first = race()
    assert len(first) == 8 and sum(r is not None for r in first) == 1
    delivery_id = next(r for r in first if r is not None)
    deliveries.mark_failed(empty_engine, delivery_id, "lỗi", T0)  # due at 07:01
    second = race()
    assert len(second) == 8 and [r for r in second if r is not None] == [delivery_id]


def test_recent_lists_the_newest_changes_first(empty_engine: Engine) -> None:
    ids = [
        claim(empty_engine, T0 + dt.timedelta(minutes=i), ("digest", DAY, f"a{i}@b.vn", ""))
        for i in range(3)
    ]
    assert [d.id for d in deliveries.recent(empty_engine)] == ids[::-1]
    assert [d.id for d in deliveries.recent(empty_engine, limit=2)] == ids[:0:-1]
