"""Written explanations (giải trình) and remediation plans: record, read, and their history.

One explanation per unit × period × indicator; every change is kept as an event with its
author and time, so the record shows who asked, who answered and who accepted.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, insert, select, update

from dashboard.domain import clock, vocabulary
from dashboard.domain.records import EventRow, ExplanationRow
from dashboard.domain.vocabulary import ExplanationStatus
from data_access import versioning
from data_access.db import inserted_id
from data_access.models import Explanation, ExplanationEvent, Unit

# Labels and the workflow live with the statuses (dashboard/domain/vocabulary.py).
STATUS_LABELS: dict[str, str] = {s.value: s.label for s in ExplanationStatus}
NEXT_STATUSES = vocabulary.NEXT_STATUSES

MAX_TEXT = 20_000
MAX_AUTHOR = 100


class FieldError(ValueError):
    """A value the form must correct; `field` names it (author, status, text, plan,
    deadline) so the form can show the message beside it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def record(
    conn: Connection,
    *,
    unit_id: int,
    period: str,
    indicator: str,
    status: str,
    author: str,
    text: str = "",
    remediation_plan: str = "",
    deadline: dt.date | None = None,
    at: dt.datetime | None = None,
) -> int:
    """Create or change the explanation of a unit × period × indicator and log the change.
    Raises ValueError (in Vietnamese) for an unknown unit or status, a step the workflow does
    not allow, a missing author, or text over the limit. Returns the explanation's id."""
    author = author.strip()
    if not author:
        raise FieldError("author", "Cần ghi tên người cập nhật")
    if len(author) > MAX_AUTHOR:
        raise FieldError("author", f"Tên người cập nhật quá dài (tối đa {MAX_AUTHOR} ký tự)")
    if status not in STATUS_LABELS:
        raise FieldError("status", f"Trạng thái giải trình không hợp lệ: {status}")
    too_long = f"Nội dung quá dài (tối đa {MAX_TEXT:,} ký tự)".replace(",", ".")
    if len(text) > MAX_TEXT:
        raise FieldError("text", too_long)
    if len(remediation_plan) > MAX_TEXT:
        raise FieldError("plan", too_long)
    if conn.execute(select(Unit.id).where(Unit.id == unit_id)).first() is None:
        raise ValueError(f"Không có đơn vị số {unit_id}")
    if status == "submitted" and not text.strip():
        raise FieldError("text", "Giải trình đã nộp phải có nội dung giải trình")
    at = at or clock.now()
    current = current_of(conn, unit_id, period, indicator)
    allowed = NEXT_STATUSES[ExplanationStatus(current.status) if current else None]
    if status not in allowed:
        was = STATUS_LABELS[current.status] if current else "chưa có"
        raise FieldError(
            "status",
            f"Không chuyển được từ «{was}» sang «{STATUS_LABELS[status]}»; được chọn: "
            + ", ".join(f"«{STATUS_LABELS[s]}»" for s in allowed),
        )
    values = {
        "status": status,
        "text": text,
        "remediation_plan": remediation_plan,
        "deadline": deadline,
        "author": author,
        "updated_at": at,
    }
    if current is None:
        explanation_id = inserted_id(
            conn.execute(
                insert(Explanation).values(
                    unit_id=unit_id, period=period, indicator=indicator, created_at=at, **values
                )
            )
        )
    else:
        explanation_id = current.id
        conn.execute(update(Explanation).where(Explanation.id == current.id).values(**values))
    versioning.bump(conn)  # the below-target list shows what is on record
    conn.execute(
        insert(ExplanationEvent).values(
            explanation_id=explanation_id,
            at=at,
            author=author,
            status=status,
            text=text,
            remediation_plan=remediation_plan,
            deadline=deadline,
        )
    )
    return explanation_id


def _row(r) -> ExplanationRow:
    return ExplanationRow(
        r.id,
        r.unit_id,
        r.period,
        r.indicator,
        r.status,
        r.text or "",
        r.remediation_plan or "",
        r.deadline,
        r.author,
        r.updated_at,
    )


def current_of(
    conn: Connection, unit_id: int, period: str, indicator: str
) -> ExplanationRow | None:
    """The explanation on record for a unit version × period × indicator, if any."""
    r = conn.execute(
        select(Explanation).where(
            Explanation.unit_id == unit_id,
            Explanation.period == period,
            Explanation.indicator == indicator,
        )
    ).first()
    return _row(r) if r else None


def for_period(conn: Connection, period: str) -> dict[tuple[int, str], ExplanationRow]:
    """(unit version id, indicator) -> the explanation on record for `period`."""
    rows = conn.execute(select(Explanation).where(Explanation.period == period))
    return {(r.unit_id, r.indicator): _row(r) for r in rows}


def history(
    conn: Connection,
    unit_id: int,
    period: str | None = None,
    indicator: str | None = None,
) -> list[EventRow]:
    """Every change to a unit's explanations (optionally one period × indicator), newest first."""
    e, x = ExplanationEvent, Explanation
    query = (
        select(
            e.explanation_id,
            x.unit_id,
            x.period,
            x.indicator,
            e.at,
            e.author,
            e.status,
            e.text,
            e.remediation_plan,
            e.deadline,
        )
        .join(x, x.id == e.explanation_id)
        .where(x.unit_id == unit_id)
        .order_by(e.at.desc(), e.id.desc())
    )
    if period is not None:
        query = query.where(x.period == period)
    if indicator is not None:
        query = query.where(x.indicator == indicator)
    return [
        EventRow(**{**r._asdict(), "status": ExplanationStatus(r.status)})
        for r in conn.execute(query)
    ]
