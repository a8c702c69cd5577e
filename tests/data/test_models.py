"""Round trips of every table on a real SQLite file and a real PostgreSQL database."""

import datetime as dt

import pytest
from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access.models import (
    Dossier,
    Explanation,
    ExplanationEvent,
    Field,
    Import,
    Procedure,
    Target,
    Unit,
)

D = dt.datetime


DONG_LAC = 2  # the id the second unit row gets


def _seed_reference(session: Session) -> None:
    district = Unit(
        id=1, code="291", name="Nam Sách", kind="district", valid_from=dt.date(1997, 1, 1)
    )
    session.add_all([district, Field(id=1, name="Hộ tịch")])
    session.flush()
    session.add(
        Unit(
            id=DONG_LAC,
            code="10657",
            name="Đồng Lạc",
            kind="commune",
            parent_id=district.id,
            valid_from=dt.date(1997, 1, 1),
            valid_to=dt.date(2025, 6, 30),
            sort_order=18,
        )
    )
    session.flush()
    session.add(
        Procedure(
            code="1.001193",
            name="Đăng ký khai sinh",
            field_id=1,
            level="xa",
            has_fee=False,
            online=True,
        )
    )
    session.flush()


def test_dossier_round_trip_keeps_every_field(empty_engine: Engine) -> None:
    with Session(empty_engine) as session, session.begin():
        _seed_reference(session)
        imp = Import(
            created_at=D(2025, 3, 31, 17, 0),
            user="văn phòng",
            file_name="hồ sơ.xlsx",
            file_hash="ab" * 32,
            rows_read=1,
            inserted=1,
            status="committed",
        )
        session.add(imp)
        session.flush()
        session.add(
            Dossier(
                unit_id=DONG_LAC,
                code="000.00.21.H23-250314-0001",
                procedure_code="1.001193",
                field_id=1,
                channel=2,
                submitted_at=D(2025, 3, 14, 21, 5),
                received_at=D(2025, 3, 17, 8, 0),
                due_at=D(2025, 3, 18, 17, 0),
                finished_at=D(2025, 3, 18, 10, 0),
                returned_at=D(2025, 3, 19, 9, 0),
                status="resolved",
                status_label="Đã trả kết quả",
                has_fee=True,
                paid_online=True,
                digitized=True,
                e_result=True,
                reused_data=False,
                supplement_requested_at=D(2025, 3, 17, 9, 0),
                supplement_received_at=D(2025, 3, 17, 15, 0),
                import_id=imp.id,
                day_only=4,
            )
        )
    with Session(empty_engine) as session:
        got = session.scalars(select(Dossier)).one()
        assert (got.unit_id, got.code, got.channel) == (DONG_LAC, "000.00.21.H23-250314-0001", 2)
        assert got.day_only == 4
        assert got.submitted_at == D(2025, 3, 14, 21, 5)
        assert got.finished_at == D(2025, 3, 18, 10, 0)
        assert got.supplement_received_at == D(2025, 3, 17, 15, 0)
        assert (got.has_fee, got.paid_online, got.digitized, got.e_result, got.reused_data) == (
            True,
            True,
            True,
            True,
            False,
        )
        assert got.status_label == "Đã trả kết quả"
        assert session.get(Import, got.import_id).file_name == "hồ sơ.xlsx"


def test_dossier_code_is_unique_per_unit(empty_engine: Engine) -> None:
    with Session(empty_engine) as session, session.begin():
        _seed_reference(session)
    row = {
        "unit_id": DONG_LAC,
        "code": "X-1",
        "channel": 1,
        "status": "received",
        "received_at": D(2025, 1, 2, 8),
    }
    with empty_engine.begin() as conn:
        conn.execute(insert(Dossier), [row])
    with pytest.raises(IntegrityError), empty_engine.begin() as conn:
        conn.execute(insert(Dossier), [row])


def test_unit_foreign_keys_are_enforced(empty_engine: Engine) -> None:
    row = {"unit_id": 99999, "code": "X-1", "channel": 1, "status": "received"}
    with pytest.raises(IntegrityError), empty_engine.begin() as conn:
        conn.execute(insert(Dossier), [row])


def test_targets_and_explanations_round_trip(empty_engine: Engine) -> None:
    with Session(empty_engine) as session, session.begin():
        _seed_reference(session)
        session.add(
            Target(
                indicator="online_payment",
                value=0.8,
                effective_from=dt.date(2025, 3, 1),
                source="CV 3/2025",
            )
        )
        session.add(
            Target(
                indicator="online_payment",
                value=0.9,
                effective_from=dt.date(2025, 3, 1),
                unit_id=DONG_LAC,
            )
        )
        exp = Explanation(
            unit_id=DONG_LAC,
            period="2025-Q1",
            indicator="online_payment",
            text="Người dân chưa quen thanh toán trực tuyến",
            remediation_plan="Hướng dẫn tại Bộ phận Một cửa",
            deadline=dt.date(2025, 4, 30),
            status="submitted",
            author="cán bộ xã",
            created_at=D(2025, 4, 2, 9),
            updated_at=D(2025, 4, 2, 9),
        )
        session.add(exp)
        session.flush()
        session.add(
            ExplanationEvent(
                explanation_id=exp.id,
                at=D(2025, 4, 2, 9),
                author="cán bộ xã",
                status="submitted",
                text=exp.text,
                remediation_plan=exp.remediation_plan,
                deadline=exp.deadline,
            )
        )
    with Session(empty_engine) as session:
        targets = session.scalars(select(Target).order_by(Target.value)).all()
        assert [(t.value, t.unit_id) for t in targets] == [(0.8, None), (0.9, DONG_LAC)]
        exp = session.scalars(select(Explanation)).one()
        assert exp.deadline == dt.date(2025, 4, 30)
        assert exp.text == "Người dân chưa quen thanh toán trực tuyến"
        event = session.scalars(select(ExplanationEvent)).one()
        assert (event.explanation_id, event.status) == (exp.id, "submitted")
