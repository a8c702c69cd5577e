"""Explanations: the workflow, the history with author and time, and refusals (both databases)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, func, select

from data_access import explanations
from data_access.models import Explanation, ExplanationEvent, Unit

T0 = dt.datetime(2025, 4, 2, 9, 0)
UNIT_CODE = "10609"  # Nam Hưng in the reference data (one version)


@pytest.fixture
def unit(ref_engine: Engine) -> int:
    with ref_engine.connect() as conn:
        return conn.execute(select(Unit.id).where(Unit.code == UNIT_CODE)).scalar_one()


def _record(engine: Engine, **kw) -> int:
    with engine.connect() as conn:
        unit_id = conn.execute(select(Unit.id).where(Unit.code == UNIT_CODE)).scalar_one()
    args = {
        "unit_id": unit_id,
        "period": "2025-Q1",
        "indicator": "online_payment",
        "author": "Văn phòng",
    } | kw
    with engine.begin() as conn:
        return explanations.record(conn, **args)


def test_the_workflow_keeps_every_change_with_author_and_time(
    ref_engine: Engine, unit: int
) -> None:
    first = _record(ref_engine, status="requested", deadline=dt.date(2025, 4, 10), at=T0)
    _record(
        ref_engine,
        status="submitted",
        author="Nguyễn Thị Hoa",
        text="Người dân chưa quen thanh toán trực tuyến.",
        remediation_plan="Hướng dẫn tại bộ phận một cửa.",
        deadline=dt.date(2025, 4, 10),
        at=T0 + dt.timedelta(days=3),
    )
    last = _record(
        ref_engine,
        status="returned",
        text="Người dân chưa quen thanh toán trực tuyến.",
        at=T0 + dt.timedelta(days=4),
    )
    assert first == last  # one explanation, changed in place
    with ref_engine.connect() as conn:
        now = explanations.current_of(conn, unit, "2025-Q1", "online_payment")
        events = explanations.history(conn, unit)
        assert conn.execute(select(func.count()).select_from(Explanation)).scalar() == 1
        assert conn.execute(select(func.count()).select_from(ExplanationEvent)).scalar() == 3
    assert now is not None
    assert (now.status, now.author, now.updated_at) == (
        "returned",
        "Văn phòng",
        T0 + dt.timedelta(days=4),
    )
    assert now.status_label == "Trả lại để bổ sung"
    assert [(e.status, e.author, e.at) for e in events] == [
        ("returned", "Văn phòng", T0 + dt.timedelta(days=4)),
        ("submitted", "Nguyễn Thị Hoa", T0 + dt.timedelta(days=3)),
        ("requested", "Văn phòng", T0),
    ]
    assert events[1].remediation_plan == "Hướng dẫn tại bộ phận một cửa."
    assert events[2].deadline == dt.date(2025, 4, 10)


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        (["accepted"], "Không chuyển được từ «chưa có» sang «Đã chấp nhận»"),
        (["requested", "accepted"], "Không chuyển được từ «Đã yêu cầu giải trình»"),
        (["requested", "returned"], "sang «Trả lại để bổ sung»"),
    ],
)
def test_steps_the_workflow_does_not_allow_are_refused(
    ref_engine: Engine, steps: list[str], message: str
) -> None:
    for step in steps[:-1]:
        _record(ref_engine, status=step, text="x")
    with pytest.raises(ValueError, match=message):
        _record(ref_engine, status=steps[-1], text="x")
    with ref_engine.connect() as conn:
        events = conn.execute(select(func.count()).select_from(ExplanationEvent)).scalar()
    assert events == len(steps) - 1


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"author": "  "}, "Cần ghi tên người cập nhật"),
        ({"unit_id": 99999}, "Không có đơn vị số 99999"),
        ({"status": "done"}, "Trạng thái giải trình không hợp lệ"),
        ({"status": "submitted", "text": ""}, "phải có nội dung giải trình"),
        ({"text": "a" * 20_001}, "Nội dung quá dài"),
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_nothing_is_written(
    ref_engine: Engine, kw: dict, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        _record(ref_engine, **({"status": "requested"} | kw))
    with ref_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Explanation)).scalar() == 0


def test_text_is_stored_as_given(ref_engine: Engine, unit: int) -> None:
    hostile = "<script>alert('x')</script> '; DROP TABLE units; --"
    _record(ref_engine, status="submitted", text=hostile, remediation_plan=hostile)
    with ref_engine.connect() as conn:
        row = explanations.for_period(conn, "2025-Q1")[(unit, "online_payment")]
    assert (row.text, row.remediation_plan) == (hostile, hostile)
