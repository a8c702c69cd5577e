"""Average processing time per procedure, from the database, on crafted dossiers counted by
hand: resolved in the period only, calendar days from reception, late by the directive's rule."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from dashboard.domain.periods import parse_period
from data_access.procedure_times import ProcedureTime, procedure_times
from data_access.queries import all_units

MARCH = parse_period("2025-03")


def test_times_per_procedure_by_hand(ref_engine: Engine, add) -> None:
    add(
        "10657",
        [
            # Đăng ký khai sinh: 1,5 days of 2 given.
            dict(received_at="2025-03-03 08:00", due_at="2025-03-05 08:00",
                 finished_at="2025-03-04 20:00"),
            # 3 days of 1 given: late (finished 13/3 after the due day 11/3).
            dict(received_at="2025-03-10 08:00", due_at="2025-03-11 08:00",
                 finished_at="2025-03-13 08:00"),
            # Received in February, resolved in March: 2 days of 3 given.
            dict(received_at="2025-02-28 08:00", due_at="2025-03-03 08:00",
                 finished_at="2025-03-02 08:00"),
            # No due date: 0,25 days taken, nothing given.
            dict(received_at="2025-03-17 08:00", finished_at="2025-03-17 14:00"),
            # Resolved in April, and one returned in March: neither counts.
            dict(received_at="2025-03-20 08:00", due_at="2025-04-03 08:00",
                 finished_at="2025-04-02 08:00"),
            dict(received_at="2025-03-21 08:00", due_at="2025-03-25 08:00",
                 finished_at="2025-03-24 08:00", status="returned"),
            # Đăng ký kết hôn: a third of a day of 1 given.
            dict(procedure_code="1.000894", received_at="2025-03-05 08:00",
                 due_at="2025-03-06 08:00", finished_at="2025-03-05 16:00"),
        ],
    )  # fmt: skip
    # Another unit's dossier is not counted.
    add("10606", [dict(received_at="2025-03-03 08:00", finished_at="2025-03-03 09:00")])
    with ref_engine.connect() as conn:
        unit = all_units(conn).resolve("10657", MARCH.start, MARCH.end).id

    got = procedure_times(ref_engine, [unit], MARCH.start, MARCH.end)

    assert [(p.code, p.name, p.resolved, p.late) for p in got] == [
        ("1.001193", "Đăng ký khai sinh", 4, 1),
        ("1.000894", "Đăng ký kết hôn", 1, 0),
    ]
    birth, marriage = got
    assert birth.days_taken == pytest.approx((1.5 + 3 + 2 + 0.25) / 4, abs=1e-6)
    assert birth.days_given == pytest.approx((2 + 1 + 3) / 3, abs=1e-6)
    assert marriage.days_taken == pytest.approx(1 / 3, abs=1e-6)
    assert marriage.days_given == pytest.approx(1.0, abs=1e-6)
    may = parse_period("2025-05")
    assert procedure_times(ref_engine, [unit], may.start, may.end) == []


def test_a_procedure_with_no_due_date_has_no_time_given(ref_engine: Engine, add) -> None:
    add("10657", [dict(received_at="2025-03-03 08:00", finished_at="2025-03-05 08:00")])
    with ref_engine.connect() as conn:
        unit = all_units(conn).resolve("10657", MARCH.start, MARCH.end).id
    assert procedure_times(ref_engine, [unit], MARCH.start, MARCH.end) == [
        ProcedureTime("1.001193", "Đăng ký khai sinh", 1, 0, pytest.approx(2.0), None)
    ]
