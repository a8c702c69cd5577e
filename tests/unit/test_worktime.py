import datetime as dt

from dashboard.domain.worktime import WorkCalendar

CAL = WorkCalendar()


def test_weekends_and_lunar_new_year_are_days_off() -> None:
    assert CAL.is_working_day(dt.date(2025, 1, 24))  # Friday before Tết
    assert not CAL.is_working_day(dt.date(2025, 1, 25))  # Saturday
    for day in range(27, 32):  # 27–31/1/2025: Tết Ất Tỵ
        assert not CAL.is_working_day(dt.date(2025, 1, day))
    assert CAL.is_working_day(dt.date(2025, 2, 3))
    assert not CAL.is_working_day(dt.date(2025, 4, 7))  # Giỗ Tổ Hùng Vương


def test_extra_days_off_are_configurable() -> None:
    cal = WorkCalendar(extra_days_off=frozenset({dt.date(2025, 2, 3)}))
    assert not cal.is_working_day(dt.date(2025, 2, 3))
    assert cal.add_working_days(dt.date(2025, 1, 24), 1) == dt.date(2025, 2, 4)


def test_add_working_days_skips_tet() -> None:
    assert CAL.add_working_days(dt.date(2025, 1, 24), 1) == dt.date(2025, 2, 3)
    assert CAL.add_working_days(dt.date(2025, 1, 25), 0) == dt.date(2025, 2, 3)  # next working day
    assert CAL.add_working_days(dt.date(2025, 3, 14), 3) == dt.date(2025, 3, 19)


def test_working_minutes_skip_lunch_night_weekend_and_tet() -> None:
    # Friday 16:00 before Tết: 60 min that day, then Monday 3/2 07:30–11:30 (240) + 60 after lunch.
    start = dt.datetime(2025, 1, 24, 16, 0)
    assert CAL.add_working_minutes(start, 360) == dt.datetime(2025, 2, 3, 14, 30)
    assert CAL.working_minutes_between(start, dt.datetime(2025, 2, 3, 14, 30)) == 360
    # Saturday night submission: the clock starts Monday 07:30.
    assert CAL.next_working_minute(dt.datetime(2025, 3, 1, 22, 0)) == dt.datetime(2025, 3, 3, 7, 30)
    # Lunch break does not count.
    assert (
        CAL.working_minutes_between(dt.datetime(2025, 3, 3, 11, 0), dt.datetime(2025, 3, 3, 14, 0))
        == 60
    )
    assert CAL.working_minutes_between(dt.datetime(2025, 3, 3, 9), dt.datetime(2025, 3, 3, 8)) == 0


def test_working_minutes_for_whole_columns_equal_the_one_at_a_time_rule() -> None:
    import numpy as np
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from dashboard.domain.worktime import first_response_minutes, first_response_minutes_array

    moment = st.datetimes(dt.datetime(2024, 12, 20), dt.datetime(2025, 2, 20)) | st.none()

    @settings(max_examples=60, deadline=None)
    @given(
        st.lists(
            st.tuples(
                st.sampled_from([1, 2]),
                st.sampled_from(["resolved", "not_accepted", "supplement"]),
                moment,
                moment,
                moment,
                moment,
            ),
            min_size=1,
            max_size=40,
        )
    )
    def check(rows):
        cols = list(zip(*rows, strict=True))

        def times(i):
            return np.array(
                [np.datetime64(v, "us") if v else np.datetime64("NaT") for v in cols[i]]
            )

        got = first_response_minutes_array(
            CAL,
            channel=np.array(cols[0]),
            status=np.array(cols[1], dtype=object),
            submitted_at=times(2),
            received_at=times(3),
            supplement_requested_at=times(4),
            finished_at=times(5),
        )
        for row, value in zip(rows, got, strict=True):
            want = first_response_minutes(
                CAL,
                channel=row[0],
                status=row[1],
                submitted_at=row[2],
                received_at=row[3],
                supplement_requested_at=row[4],
                finished_at=row[5],
            )
            if want is None:
                assert np.isnan(value), row
            else:
                assert abs(value - want) < 1e-6, row

    check()
