"""What lies behind a 766 component's lost points: the dossiers (or PAKN) that did not count
for it in the period, by the same conditions the rollups count (data_access.measures)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, and_, func, not_, or_, select

from data_access.measures import SQL, terms
from data_access.models import Dossier, Procedure, table_of
from data_access.score_models import FeedbackItem, ProcedureVersion

LIMIT = 500  # rows shown; the count says how many there are


def _dossier_gaps(start: dt.date, end: dt.date) -> dict[str, Any]:
    d = table_of(Dossier).c
    t = terms(SQL(table_of(Dossier)))
    received = and_(d.received_at.is_not(None), t.accepted, t.received_day.between(start, end))
    resolved = and_(t.resolved, t.finished_day.between(start, end))
    late_766 = and_(
        resolved,
        or_(
            and_(d.due_at.is_not(None), t.finished_day > t.due_day),
            d.supplement_count > 1,
        ),
    )
    no_paper = select(ProcedureVersion.code).where(ProcedureVersion.paper_result.is_(False))
    return {
        "2.1": late_766,
        "3.3": and_(received, not_(t.online)),
        "4.1": and_(resolved, not_(d.e_result), d.procedure_code.not_in(no_paper)),
        "4.2": and_(received, not_(d.digitized)),
        "4.4": and_(received, not_(d.reused_data)),
        "4.5": and_(received, not_(d.national_store)),
        "4.6": and_(
            t.online,
            d.submitted_at.is_not(None),
            t.submitted_day.between(start, end),
            not_(d.vneid),
        ),
        "6.A": and_(received, d.has_fee, not_(d.paid_online)),
    }


DOSSIER_COMPONENTS = ("2.1", "3.3", "4.1", "4.2", "4.4", "4.5", "4.6", "6.A")
FEEDBACK_COMPONENTS = ("5.2", "5.3")
DOSSIER_HEADER = (
    "Mã hồ sơ",
    "Thủ tục",
    "Ngày tiếp nhận",
    "Hạn trả",
    "Ngày có kết quả",
    "Trạng thái",
)
FEEDBACK_HEADER = ("Mã PAKN", "Ngày tiếp nhận", "Hạn xử lý", "Ngày xử lý xong", "Đánh giá")


def gap_dossiers(
    engine: Engine, component: str, unit_ids: Sequence[int], start: dt.date, end: dt.date
) -> tuple[int, list[tuple]]:
    """(how many, the first LIMIT rows) of the dossiers that cost `component` its points."""
    d = table_of(Dossier).c
    cond = and_(d.unit_id.in_(list(unit_ids)), _dossier_gaps(start, end)[component])
    query = (
        select(
            d.code,
            Procedure.name,
            d.received_at,
            d.due_at,
            d.finished_at,
            d.status_label,
            d.supplement_count,
        )
        .outerjoin(Procedure, Procedure.code == d.procedure_code)
        .where(cond)
        .order_by(d.received_at, d.code)
    )
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(query.limit(LIMIT + 1))]
        total = len(rows)
        if total > LIMIT:
            total = conn.execute(
                select(func.count()).select_from(table_of(Dossier)).where(cond)
            ).scalar_one()
    return total, rows[:LIMIT]


def gap_feedback(
    engine: Engine, component: str, unit_ids: Sequence[int], start: dt.date, end: dt.date
) -> tuple[int, list[tuple]]:
    """The PAKN received in the period that were late or unhandled (5.2) or not rated
    satisfied (5.3)."""
    f = FeedbackItem
    late = or_(f.handled_on.is_(None), and_(f.due_on.is_not(None), f.handled_on > f.due_on))
    cond = and_(
        f.unit_id.in_(list(unit_ids)),
        f.received_on.between(start, end),
        late if component == "5.2" else f.rating != "hai_long",
    )
    with engine.connect() as conn:
        rows = [
            tuple(r)
            for r in conn.execute(
                select(f.code, f.received_on, f.due_on, f.handled_on, f.rating)
                .where(cond)
                .order_by(f.received_on, f.code)
                .limit(LIMIT)
            )
        ]
        total = len(rows)
        if total == LIMIT:
            total = conn.execute(select(func.count()).select_from(f).where(cond)).scalar_one()
    return total, rows
