"""Early warning on crafted dossiers around every boundary; each class, each count of working
days and each best/worst case is worked out by hand here (docs/indicators.md, "Early
warning"). Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from dashboard.domain.periods import parse_period
from dashboard.domain.vocabulary import RiskFlag, WarningClass
from dashboard.domain.worktime import WorkCalendar
from dashboard.services import early_warning
from dashboard.services.report import compute
from data_access.targets import add_target

CAL = WorkCalendar()
THU_13_MARCH = dt.date(2025, 3, 13)  # a Thursday: the next working days are Fri 14, Mon 17


def _march(add) -> None:
    def d(code: str, **kw) -> dict:
        return {"code": code, "received_at": "2025-03-10 09:00", "status": "processing"} | kw

    add(
        "10657",
        [
            d("A-qua-han", due_at="2025-03-12 17:00"),
            d("B-den-han", due_at="2025-03-13 17:00"),
            d("C-sap-thu-sau", due_at="2025-03-14 17:00"),
            d("D-sap-thu-bay", due_at="2025-03-15 12:00"),  # a Saturday: 1 working day left
            d("E-sap-thu-hai", due_at="2025-03-17 17:00"),  # the 2nd working day after D
            d("F-sau-nua", due_at="2025-03-18 17:00"),  # the 3rd: no warning
            # Finished at 23:59 of D: not open. Finished the next morning: open on D, and
            # classed by its due day whatever its status in the export.
            d(
                "G-xong-23h59",
                due_at="2025-03-12 17:00",
                finished_at="2025-03-13 23:59",
                status="resolved",
            ),
            d(
                "H-xong-hom-sau",
                due_at="2025-03-12 17:00",
                finished_at="2025-03-14 08:00",
                status="resolved",
            ),
            d("I-bo-sung", due_at="2025-03-05 17:00", status="supplement"),
            d("J-tam-dung", due_at="2025-03-20 17:00", status="paused"),
            d(
                "K-rut",
                due_at="2025-03-20 17:00",
                finished_at="2025-03-13 10:00",
                status="withdrawn",
            ),
            d("L-khong-tiep-nhan", received_at=None, status="not_accepted"),
            d("M-moi", received_at=None, status="new", submitted_at="2025-03-11 08:00"),
            d("N-nhan-sau", received_at="2025-03-14 08:00", due_at="2025-03-14 17:00"),
            d("O-khong-hen", due_at=None),
        ],
    )
    add("10612", [d("P-don-vi-khac", due_at="2025-03-11 17:00")])


def _classes(w: early_warning.Warnings) -> dict[str, tuple[str, int | None]]:
    return {x.dossier.code: (x.klass.value, x.days_left) for x in w.dossiers}


def test_every_boundary_of_the_classes(ref_engine: Engine, add) -> None:
    _march(add)
    w = early_warning.compute(ref_engine, THU_13_MARCH, CAL, ["10657"])
    assert w.horizon.last_day == dt.date(2025, 3, 17)
    assert _classes(w) == {
        "A-qua-han": ("qua_han", -1),  # due Wed 12, D Thu 13: one working day late
        "H-xong-hom-sau": ("qua_han", -1),
        "B-den-han": ("den_han", 0),
        "C-sap-thu-sau": ("sap_den_han", 1),
        "D-sap-thu-bay": ("sap_den_han", 1),
        "E-sap-thu-hai": ("sap_den_han", 2),
        "I-bo-sung": ("cho_cong_dan", -6),  # due Wed 5: Thu 6 … Thu 13 are 6 working days
        "J-tam-dung": ("cho_cong_dan", 5),  # due Thu 20: Fri 14, Mon 17 … Thu 20
    }
    # Not listed: F (due later), O (no due day), G and K (finished by the end of D), L and M
    # (not accepted), N (received after D), P (another unit).
    (unit,) = w.units
    assert unit.counts == {
        WarningClass.OVERDUE: 2,
        WarningClass.DUE_TODAY: 1,
        WarningClass.DUE_SOON: 3,
        WarningClass.WAITING_CITIZEN: 2,
    }
    # The scope's totals count every unit, P of Nam Tân included.
    assert w.parent.counts[WarningClass.OVERDUE] == 3
    # Left open, B, C, D, E and F (clock running, due in [13/3, 31/3)) are overdue at the end
    # of March and of the quarter; I and J wait for the citizen, O has no due day.
    assert unit.turning == {"month": 5, "quarter": 5}


def test_more_days_and_none(ref_engine: Engine, add) -> None:
    _march(add)
    three = _classes(early_warning.compute(ref_engine, THU_13_MARCH, CAL, ["10657"], days=3))
    assert three["F-sau-nua"] == ("sap_den_han", 3)
    zero = _classes(early_warning.compute(ref_engine, THU_13_MARCH, CAL, ["10657"], days=0))
    assert {k for k, (c, _) in zero.items() if c == "sap_den_han"} == set()


def test_due_soon_across_tet(ref_engine: Engine, add) -> None:
    # Friday 24/01/2025; Tết closes Mon 27 to Fri 31, then a weekend: the first working day
    # after D is Mon 03/02, the second Tue 04/02.
    rows = [
        ("truoc-2", "2025-01-22"),
        ("truoc-1", "2025-01-23"),
        ("hom-nay", "2025-01-24"),
        ("trong-tet", "2025-01-29"),
        ("sau-tet-1", "2025-02-03"),
        ("sau-tet-2", "2025-02-04"),
        ("sau-tet-3", "2025-02-05"),
    ]
    add(
        "10657",
        [
            {"code": c, "received_at": "2025-01-20 08:00", "due_at": f"{due} 17:00"}
            | {"status": "processing"}
            for c, due in rows
        ],
    )
    w = early_warning.compute(ref_engine, dt.date(2025, 1, 24), CAL, ["10657"])
    assert w.horizon.last_day == dt.date(2025, 2, 4)
    assert _classes(w) == {
        "truoc-2": ("qua_han", -2),
        "truoc-1": ("qua_han", -1),
        "hom-nay": ("den_han", 0),
        "trong-tet": ("sap_den_han", 0),  # due on a holiday: no working day before it
        "sau-tet-1": ("sap_den_han", 1),
        "sau-tet-2": ("sap_den_han", 2),
    }


def test_a_merged_units_open_dossiers_are_on_its_successors_list(ref_engine: Engine, add) -> None:
    # Quốc Tuấn 10624 ended on 30/11/2024; 10621 (Xã Quốc Tuấn) took over from 1/12/2024.
    add(
        "10624",
        [
            {
                "code": "QT-cu",
                "received_at": "2024-11-25 08:00",
                "due_at": "2025-01-20 17:00",
                "status": "processing",
            }
        ],
    )
    w = early_warning.compute(ref_engine, dt.date(2025, 1, 24), CAL, ["10621"])
    (unit,) = w.units
    assert (unit.unit.code, unit.unit.valid_from) == ("10621", dt.date(2024, 12, 1))
    assert [(x.unit.code, x.dossier.code, x.klass.value) for x in w.dossiers] == [
        ("10621", "QT-cu", "qua_han")
    ]
    whole = early_warning.compute(ref_engine, dt.date(2025, 1, 24), CAL)
    assert whole.parent.counts[WarningClass.OVERDUE] == 1
    assert "10624" not in {u.unit.code for u in whole.units}


def test_best_and_worst_case_of_the_running_month(ref_engine: Engine, add) -> None:
    _march(add)
    w = early_warning.compute(ref_engine, THU_13_MARCH, CAL, ["10657"])
    so_far = {"month": compute(ref_engine, parse_period("2025-03-01:2025-03-13"), ["10657"])}
    (scope, unit) = early_warning.outlooks(w, so_far)
    on_time, overdue = unit.outlooks["month"]["on_time"], unit.outlooks["month"]["overdue"]
    # Handled from 1/3 to 13/3: the 12 accepted dossiers received by D (all but L, M, N).
    # On time: K withdrawn in the period (1) + pending within due on D: B, C, D, E, F, I, J, O
    # (8; A and H are pending overdue) = 9 of 12. Overdue: G resolved late + A and H = 3.
    assert (on_time.so_far.numerator, on_time.so_far.denominator) == (9, 12)
    assert overdue.so_far.numerator == 3
    assert on_time.best.numerator == 9 and overdue.best.numerator == 3
    # Worst: B, C, D, E, F turn overdue by 31/3: on time 4 of 12, overdue 8.
    assert (on_time.worst.numerator, on_time.worst.denominator) == (4, 12)
    assert on_time.worst.value == 4 / 12
    assert overdue.worst.numerator == 8
    # Default targets (on time 100 %, overdue 0): even the best case misses.
    assert on_time.flag == RiskFlag.AT_RISK and overdue.flag == RiskFlag.AT_RISK
    assert scope.unit.id == 0


def test_the_flags_follow_the_targets(ref_engine: Engine, add) -> None:
    _march(add)
    with ref_engine.begin() as conn:
        # 9/12 = 75 % meets 70 %, the worst case 4/12 does not: needs action. Overdue ≤ 10:
        # 3 and 8 both meet it.
        add_target(conn, "on_time", 0.7, dt.date(2025, 1, 1), unit="10657")
        add_target(conn, "overdue", 10, dt.date(2025, 1, 1), unit="10657")
    w = early_warning.compute(ref_engine, THU_13_MARCH, CAL, ["10657"])
    so_far = {"month": compute(ref_engine, parse_period("2025-03-01:2025-03-13"), ["10657"])}
    (_, unit) = early_warning.outlooks(w, so_far)
    assert unit.outlooks["month"]["on_time"].flag == RiskFlag.NEEDS_ACTION
    assert unit.outlooks["month"]["overdue"].flag == RiskFlag.SAFE
