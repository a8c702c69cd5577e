"""Every counting rule on small crafted data; expected values worked out by hand here."""

from __future__ import annotations

from sqlalchemy import Engine, select

from dashboard.domain.periods import parse_period
from dashboard.services import report
from data_access.models import Target, Unit

MARCH = parse_period("2025-03")


def values(engine: Engine, period: str, unit: str, **kw) -> dict:
    # the unit page's path: the unit's own rows only (report.chosen_reports)
    rep = report.scope_report(engine, parse_period(period), [unit], **kw)
    return {k: (v.numerator, v.denominator) for k, v in rep.indicators.items()}


def test_reception_based_rates_and_zero_denominators(ref_engine: Engine, add) -> None:
    add(
        "10657",
        [
            dict(
                channel=2,
                submitted_at="2025-03-03 08:00",
                received_at="2025-03-03 09:00",
                due_at="2025-03-04 17:00",
                finished_at="2025-03-04 10:00",
                has_fee=True,
                paid_online=True,
                digitized=True,
                reused_data=True,
            ),
            dict(
                channel=2,
                submitted_at="2025-03-05 08:00",
                received_at="2025-03-05 09:00",
                due_at="2025-03-06 17:00",
                finished_at="2025-03-06 10:00",
                has_fee=True,
                digitized=True,
            ),
            dict(
                channel=2,
                submitted_at="2025-03-10 08:00",
                received_at="2025-03-10 09:00",
                due_at="2025-03-11 17:00",
                finished_at="2025-03-11 10:00",
                digitized=True,
            ),
            dict(
                channel=1,
                received_at="2025-03-12 09:00",
                due_at="2025-03-13 17:00",
                finished_at="2025-03-13 10:00",
            ),
        ],
    )
    v = values(ref_engine, "2025-03", "10657")
    assert v["online_submission"] == (3, 4)
    assert v["online_payment"] == (1, 2)
    assert v["dossier_digitization"] == (3, 4)
    assert v["data_reuse"] == (1, 4)
    # A unit without any dossier: no rate has a value, nothing is met or missed.
    empty = report.compute(ref_engine, MARCH, ["10666"]).units[0]
    for key in ("online_submission", "online_payment", "on_time", "online_reception_6h"):
        assert empty.indicators[key].value is None
        assert empty.indicators[key].status_label == "không có dữ liệu"
    assert empty.indicators["overdue"].value == 0
    # April: nothing received, so reception rates have no value either.
    assert values(ref_engine, "2025-04", "10657")["online_submission"] == (0, 0)


def _timeliness_set(add) -> None:
    add(
        "10639",
        [
            # d1: resolved early in February: not handled in March.
            dict(
                received_at="2025-02-20 08:00",
                due_at="2025-02-25 17:00",
                finished_at="2025-02-24 10:00",
            ),
            # d2: carried over from February, finished on its due day in March: on time.
            dict(
                received_at="2025-02-25 08:00",
                due_at="2025-03-05 17:00",
                finished_at="2025-03-05 14:00",
            ),
            # d3: received and finished in March, two days late; electronic result.
            dict(
                received_at="2025-03-03 08:00",
                due_at="2025-03-10 17:00",
                finished_at="2025-03-12 09:00",
                e_result=True,
            ),
            # d4: pending at the end of March, past due on 20/3: pending overdue.
            dict(status="processing", received_at="2025-03-10 08:00", due_at="2025-03-20 17:00"),
            # d5: pending, due in April: pending within due.
            dict(status="processing", received_at="2025-03-25 08:00", due_at="2025-04-05 17:00"),
            # d6: finished late in April: at the end of March it was pending and overdue.
            dict(
                received_at="2025-03-12 08:00",
                due_at="2025-03-20 17:00",
                finished_at="2025-04-02 09:00",
            ),
            # d7: waiting for the citizen (supplement), past due: the clock is stopped.
            dict(
                status="supplement",
                received_at="2025-03-14 08:00",
                due_at="2025-03-19 17:00",
                supplement_requested_at="2025-03-15 08:00",
            ),
            # d8: paused, past due: not overdue, but paused.
            dict(status="paused", received_at="2025-03-17 08:00", due_at="2025-03-18 17:00"),
            # d9: withdrawn: counts as handled on time.
            dict(
                status="withdrawn",
                received_at="2025-03-18 08:00",
                due_at="2025-03-25 17:00",
                finished_at="2025-03-19 08:00",
            ),
            # d10: returned (refused after acceptance): on time, and counted as returned.
            dict(
                status="returned",
                received_at="2025-03-18 09:00",
                due_at="2025-03-25 17:00",
                finished_at="2025-03-20 08:00",
            ),
            # d11: due on the last day of March, still pending: not overdue yet.
            dict(status="processing", received_at="2025-03-31 08:00", due_at="2025-03-31 17:00"),
            # d12: not accepted: excluded from everything but the 6-hour rule.
            dict(
                status="not_accepted",
                channel=2,
                submitted_at="2025-03-05 08:00",
                finished_at="2025-03-05 09:00",
            ),
            # d13: new, never answered: excluded from everything but the 6-hour rule.
            dict(status="new", channel=2, submitted_at="2025-03-30 10:00"),
            # d14: pending since January, due 20/1: carried over and overdue.
            dict(status="processing", received_at="2025-01-10 08:00", due_at="2025-01-20 17:00"),
            # d15: resolved early with an electronic result.
            dict(
                received_at="2025-03-04 08:00",
                due_at="2025-03-06 17:00",
                finished_at="2025-03-05 08:00",
                e_result=True,
            ),
        ],
    )


def test_timeliness_across_period_boundaries(ref_engine: Engine, add) -> None:
    _timeliness_set(add)
    rep = report.compute(ref_engine, MARCH, ["10639"]).units[0]
    ind = rep.indicators
    # Handled in March: d2–d11, d14, d15 = 12. On time: d2, d15 (resolved), d9, d10
    # (withdrawn/returned), d5, d7, d8, d11 (pending within due) = 8.
    assert (ind["on_time"].numerator, ind["on_time"].denominator) == (8, 12)
    # Overdue: d3 resolved late + d4, d6, d14 pending overdue = 4.
    assert ind["overdue"].value == 4
    assert ind["paused"].value == 1  # d8
    assert ind["returned"].value == 1  # d10
    # Resolved in March: d2, d3, d15; with an electronic result: d3, d15.
    assert (ind["result_digitization"].numerator, ind["result_digitization"].denominator) == (2, 3)
    # Received (accepted) in March: d3–d11, d15 = 10; none online.
    assert (ind["online_submission"].numerator, ind["online_submission"].denominator) == (0, 10)
    assert ind["on_time"].status_label == "không đạt"
    assert ind["overdue"].status_label == "không đạt"


def test_timeliness_in_the_previous_month(ref_engine: Engine, add) -> None:
    _timeliness_set(add)
    ind = report.compute(ref_engine, parse_period("2025-02"), ["10639"]).units[0].indicators
    # February: d1 resolved early, d2 pending within due (due 5/3), d14 pending overdue.
    assert (ind["on_time"].numerator, ind["on_time"].denominator) == (2, 3)
    assert ind["overdue"].value == 1
    # A single day: 20/3. Handled: d2? no (finished 5/3). Received ≤ 20/3 and not finished
    # before it: d3? finished 12/3, no. d4, d6, d7, d8, d9? finished 19/3, no. d10 (finished
    # 20/3), d14 → d4, d6, d7, d8, d10, d14 = 6. Overdue at the end of 20/3 (due day < 20/3):
    # d14 only (d4 and d6 are due on 20/3 itself).
    ind = report.compute(ref_engine, parse_period("2025-03-20"), ["10639"]).units[0].indicators
    assert ind["on_time"].denominator == 6
    assert ind["overdue"].value == 1
    assert ind["returned"].value == 1
    # 5/3: d2 finishes on its due day (on time); d14 is the only overdue one.
    ind = report.compute(ref_engine, parse_period("2025-03-05"), ["10639"]).units[0].indicators
    assert ind["overdue"].value == 1
    assert (ind["on_time"].numerator, ind["on_time"].denominator) == (3, 4)  # d2, d3, d15 / +d14


def test_six_working_hours_over_nights_weekends_and_tet(ref_engine: Engine, add) -> None:
    add(
        "10612",
        [
            # Friday 16:00 before Tết, answered Monday 3/2 10:00: 60 + 150 = 210 min. Within.
            dict(
                channel=2,
                submitted_at="2025-01-24 16:00",
                received_at="2025-02-03 10:00",
                due_at="2025-02-04 17:00",
                finished_at="2025-02-04 09:00",
            ),
            # Saturday night; clock starts Monday 07:30; answered 14:00: 240 + 30 = 270. Within.
            dict(
                channel=2,
                submitted_at="2025-02-08 22:00",
                received_at="2025-02-10 14:00",
                due_at="2025-02-11 17:00",
                finished_at="2025-02-11 09:00",
            ),
            # Tuesday 09:00 to Wednesday 09:00: 150 + 210 + 90 = 450. Late.
            dict(
                channel=2,
                submitted_at="2025-02-11 09:00",
                received_at="2025-02-12 09:00",
                due_at="2025-02-13 17:00",
                finished_at="2025-02-13 09:00",
            ),
            # Thursday night; asked to supplement Friday 13:45: 240 + 15 = 255. Within.
            dict(
                channel=2,
                submitted_at="2025-02-13 20:00",
                supplement_requested_at="2025-02-14 13:45",
                received_at="2025-02-20 08:00",
                due_at="2025-02-21 17:00",
                finished_at="2025-02-21 09:00",
            ),
            # Refused (not accepted) one hour after submission. Within.
            dict(
                channel=2,
                status="not_accepted",
                submitted_at="2025-02-17 08:00",
                finished_at="2025-02-17 09:00",
            ),
            # Never answered. Late.
            dict(channel=2, status="new", submitted_at="2025-02-27 10:00"),
            # Exactly 360 minutes: 07:30–11:30 and 13:30–15:30. Within (not more than 6 hours).
            dict(
                channel=2,
                submitted_at="2025-02-18 07:30",
                received_at="2025-02-18 15:30",
                due_at="2025-02-19 17:00",
                finished_at="2025-02-19 09:00",
            ),
            # A counter dossier is not part of the rule.
            dict(
                channel=1,
                received_at="2025-02-18 08:00",
                due_at="2025-02-19 17:00",
                finished_at="2025-02-19 09:00",
            ),
        ],
    )
    v = values(ref_engine, "2025-01-01:2025-02-28", "10612")
    assert v["online_reception_6h"] == (5, 7)


def _units(rep: report.Report) -> set[tuple[str, str]]:
    return {(u.unit.code, u.unit.name) for u in rep.units}


def _one(rep: report.Report, code: str, name: str) -> report.UnitReport:
    (found,) = [u for u in rep.units if (u.unit.code, u.unit.name) == (code, name)]
    return found


def test_units_before_and_after_the_merger(ref_engine: Engine, add) -> None:
    # 10633 is Nam Trung until 30/11/2024 and Trần Phú (Nam Trung + Nam Chính) from 1/12: the
    # same code on both sides lands on the version valid on the reception day.
    add(
        "10633",
        [
            dict(
                received_at="2024-11-05 08:00",
                due_at="2024-11-06 17:00",
                finished_at="2024-11-06 08:00",
                channel=2,
                submitted_at="2024-11-05 07:00",
            ),
            dict(
                received_at="2024-12-05 08:00",
                due_at="2024-12-06 17:00",
                finished_at="2024-12-06 08:00",
            ),
            dict(
                received_at="2024-12-06 08:00",
                due_at="2024-12-09 17:00",
                finished_at="2024-12-09 08:00",
            ),
        ],
    )
    nov = report.compute(ref_engine, parse_period("2024-11"))
    dec = report.compute(ref_engine, parse_period("2024-12"))
    q4 = report.compute(ref_engine, parse_period("2024-Q4"))
    assert ("10633", "Nam Trung") in _units(nov) and ("10633", "Trần Phú") not in _units(nov)
    assert ("10633", "Trần Phú") in _units(dec) and ("10633", "Nam Trung") not in _units(dec)
    assert {("10633", "Nam Trung"), ("10633", "Trần Phú")} <= _units(q4)
    assert _one(q4, "10633", "Nam Trung").indicators["online_submission"].denominator == 1
    assert _one(q4, "10633", "Trần Phú").indicators["online_submission"].denominator == 2
    assert len([u for u in nov.units if u.unit.kind in ("commune", "town")]) == 19
    assert len([u for u in dec.units if u.unit.kind in ("commune", "town")]) == 15
    # District figures come from the dossiers: Q4 = 1 online of 3 received.
    online = q4.parent.indicators["online_submission"]
    assert (online.numerator, online.denominator) == (1, 3)
    # A bare code means the version valid at the period's end; code@day names one exactly.
    assert report.compute(ref_engine, parse_period("2024-Q4"), ["10633"]).units[0].unit.name == (
        "Trần Phú"
    )
    older = report.compute(ref_engine, parse_period("2024-Q4"), ["10633@2024-11-05"])
    assert older.units[0].unit.name == "Nam Trung"
    # One unit's page counts its own rows only, yet as the district report does: Nam Trung's
    # November stays Nam Trung's (both are units of Q4), not folded into Trần Phú.
    quarter = parse_period("2024-Q4")
    nam_trung = report.scope_report(ref_engine, quarter, ["10633@2024-11-05"])
    tran_phu = report.scope_report(ref_engine, quarter, ["10633"])
    assert (nam_trung.unit.name, tran_phu.unit.name) == ("Nam Trung", "Trần Phú")
    assert nam_trung.indicators["online_submission"].denominator == 1
    assert tran_phu.indicators["online_submission"].denominator == 2


def test_late_dossiers_of_a_merged_unit_count_for_its_successor(ref_engine: Engine, add) -> None:
    # Nam Chính (10627) received it on 25/11/2024, due 10/12; still pending after the merger,
    # finished late on 6/1/2025 by Trần Phú (10633 from 1/12/2024), Nam Chính's successor.
    add(
        "10627",
        [
            dict(
                received_at="2024-11-25 08:00",
                due_at="2024-12-10 17:00",
                finished_at="2025-01-06 09:00",
            )
        ],
    )
    add(
        "10633",
        [
            dict(
                received_at="2025-01-02 08:00",
                due_at="2025-01-03 17:00",
                finished_at="2025-01-03 08:00",
            )
        ],
    )
    jan = report.compute(ref_engine, parse_period("2025-01"))
    assert not [u for u in jan.units if u.unit.code == "10627"]
    tran_phu = _one(jan, "10633", "Trần Phú").indicators
    assert tran_phu["overdue"].value == 1
    assert (tran_phu["on_time"].numerator, tran_phu["on_time"].denominator) == (1, 2)
    assert jan.parent.indicators["overdue"].value == 1
    # December 2024: already Trần Phú's; November: still Nam Chính's own.
    dec = report.compute(ref_engine, parse_period("2024-12"))
    assert _one(dec, "10633", "Trần Phú").indicators["overdue"].value == 1
    nov = report.compute(ref_engine, parse_period("2024-11"))
    assert _one(nov, "10627", "Nam Chính").indicators["on_time"].denominator == 1


def test_district_rate_is_not_an_average_of_unit_rates(ref_engine: Engine, add) -> None:
    add(
        "10606",
        [
            dict(
                channel=2,
                submitted_at="2025-03-03 07:00",
                received_at="2025-03-03 08:00",
                due_at="2025-03-04 17:00",
                finished_at="2025-03-04 08:00",
            )
        ],
    )
    add(
        "10609",
        [
            dict(
                received_at=f"2025-03-0{d} 08:00",
                due_at=f"2025-03-0{d} 17:00",
                finished_at=f"2025-03-0{d} 10:00",
            )
            for d in (3, 4, 5)
        ],
    )
    rep = report.compute(ref_engine, MARCH)
    online = rep.parent.indicators["online_submission"]
    assert (online.numerator, online.denominator) == (1, 4)  # 25 %, not (100 % + 0 %) / 2


def test_targets_by_date_and_unit(ref_engine: Engine, add) -> None:
    import datetime as dt

    from sqlalchemy.orm import Session

    with Session(ref_engine) as s, s.begin():
        s.add(
            Target(
                indicator="online_submission",
                value=0.7,
                effective_from=dt.date(2025, 3, 1),
                unit_id=s.scalar(select(Unit.id).where(Unit.code == "10657")),
            )
        )
        s.add(Target(indicator="online_submission", value=0.9, effective_from=dt.date(2025, 6, 1)))
    # 3 of 4 online = 75 %.
    rows = [
        dict(
            channel=2 if i < 3 else 1,
            submitted_at=f"2025-{m}-0{i + 3} 07:00",
            received_at=f"2025-{m}-0{i + 3} 08:00",
            due_at=f"2025-{m}-0{i + 3} 17:00",
            finished_at=f"2025-{m}-0{i + 3} 10:00",
        )
        for m in ("03", "06")
        for i in range(4)
    ]
    add("10657", [dict(r) for r in rows])
    add("10609", [dict(r) for r in rows])
    for period, own, other, other_status in (
        ("2025-03", 0.7, 0.8, "không đạt"),  # default 80 % for the others
        ("2025-06", 0.7, 0.9, "không đạt"),  # unit rule still beats the newer general rule
        ("2025-02", 0.8, 0.8, "không có dữ liệu"),  # before the unit rule: the default
    ):
        rep = {
            u.unit.code: u
            for u in report.compute(ref_engine, parse_period(period), ["10657", "10609"]).units
        }
        assert rep["10657"].indicators["online_submission"].target == own, period
        assert rep["10609"].indicators["online_submission"].target == other, period
        assert rep["10609"].indicators["online_submission"].status_label == other_status
    march = report.compute(ref_engine, MARCH, ["10657"]).units[0].indicators
    assert march["online_submission"].status_label == "đạt"  # 75 % against 70 %
    assert abs(march["online_submission"].gap - 0.05) < 1e-12


def test_field_and_channel_filters(ref_engine: Engine, add) -> None:
    add(
        "10630",
        [
            dict(
                procedure_code="1.001193",
                channel=2,
                submitted_at="2025-03-03 07:00",
                received_at="2025-03-03 08:00",
                due_at="2025-03-04 17:00",
                finished_at="2025-03-04 08:00",
            ),  # Hộ tịch, online
            dict(
                procedure_code="2.000815",
                received_at="2025-03-03 08:00",
                due_at="2025-03-03 17:00",
                finished_at="2025-03-03 10:00",
            ),  # Chứng thực
            dict(
                procedure_code="2.000884",
                received_at="2025-03-04 08:00",
                due_at="2025-03-04 17:00",
                finished_at="2025-03-05 10:00",
            ),  # Chứng thực, late
        ],
    )
    with ref_engine.connect() as conn:
        ho_tich = report.resolve_filters(conn, field_names=["ho tich"])
        chung_thuc = report.resolve_filters(conn, field_names=["Chứng thực"])
        online = report.resolve_filters(conn, channels=[2])
        one_proc = report.resolve_filters(conn, procedure_codes=["2.000884"])
    assert values(ref_engine, "2025-03", "10630", filters=ho_tich)["online_submission"] == (1, 1)
    ct = report.compute(ref_engine, MARCH, ["10630"], filters=chung_thuc).units[0].indicators
    assert (ct["online_submission"].numerator, ct["online_submission"].denominator) == (0, 2)
    assert ct["overdue"].value == 1
    assert values(ref_engine, "2025-03", "10630", filters=online)["on_time"] == (1, 1)
    assert values(ref_engine, "2025-03", "10630", filters=one_proc)["on_time"] == (0, 1)


def test_the_dossier_list_behind_the_counts(ref_engine: Engine, add) -> None:
    import datetime as dt
    from collections import Counter

    from data_access import queries

    _timeliness_set(add)
    with ref_engine.connect() as conn:
        cong_hoa = conn.execute(select(Unit.id).where(Unit.code == "10639")).scalar_one()
    listed = queries.problem_dossiers(
        ref_engine, [cong_hoa], dt.date(2025, 3, 1), dt.date(2025, 3, 31)
    )
    # d3 resolved late; d4, d6, d14 pending overdue; d8 paused; d10 returned (hand count above).
    assert Counter(p.kind for p in listed) == {"overdue": 4, "paused": 1, "returned": 1}
    overdue = sorted(p.received_at.date() for p in listed if p.kind == "overdue")
    assert overdue == [
        dt.date(2025, 1, 10),
        dt.date(2025, 3, 3),
        dt.date(2025, 3, 10),
        dt.date(2025, 3, 12),
    ]
