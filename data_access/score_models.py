"""The 766 score's sources besides the dossiers: the province's procedure catalogue, citizen
feedback (PAKN), satisfaction votes and the portal's sync counts (migration 0014).

Each row keeps the import it came from (imports.kind says which source the file was), so a
score shows beside each component the file and the day its figures come from.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Integer, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from data_access.models import Base

ONLINE_LEVELS = ("toan_trinh", "mot_phan", "khong")  # fully online, partly online, not online
PROCEDURE_LEVELS = ("tinh", "huyen", "xa")  # province, district (before 1/7/2025), commune
FEEDBACK_CLASSES = ("tthc", "can_bo", "khac")  # about a procedure, an officer's conduct, other
RATINGS = ("hai_long", "khong_hai_long", "")  # satisfied, not satisfied, not rated


class ProcedureVersion(Base):
    """A procedure as the province's catalogue publishes it, from its effective day on.

    A later row of the same code (a new decision) replaces it from that row's effective day;
    `effective_to` closes a procedure the catalogue abolished. A unit is served by the
    procedures of its level in force in the period: level "xa" for communes, wards and towns,
    "huyen" for the district's departments before 1/7/2025.
    """

    __tablename__ = "procedure_versions"
    __table_args__ = (
        UniqueConstraint("code", "effective_from", name="uq_procedure_versions_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(500))
    level: Mapped[str] = mapped_column(String(8))
    field_name: Mapped[str] = mapped_column(String(200), default="")
    online_level: Mapped[str] = mapped_column(String(12))
    has_fee: Mapped[bool] = mapped_column(Boolean, default=False)
    payment_integrated: Mapped[bool] = mapped_column(Boolean, default=False)
    paper_result: Mapped[bool] = mapped_column(Boolean, default=True)  # 4.1's denominator
    decision_on: Mapped[dt.date | None] = mapped_column(Date)  # quyết định công bố
    effective_from: Mapped[dt.date] = mapped_column(Date)
    effective_to: Mapped[dt.date | None] = mapped_column(Date)
    published_on: Mapped[dt.date | None] = mapped_column(Date)  # công khai on the portal
    parts_published: Mapped[int] = mapped_column(SmallInteger, default=0)  # of NĐ 63 Art. 8(2)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"), index=True)


class FeedbackItem(Base):
    """One citizen feedback (phản ánh, kiến nghị) from the PAKN system's export."""

    __tablename__ = "feedback_items"
    __table_args__ = (UniqueConstraint("unit_id", "code", name="uq_feedback_items_unit_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    received_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    handled_on: Mapped[dt.date | None] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(8), default="khac")
    rating: Mapped[str] = mapped_column(String(16), default="")
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"), index=True)


class SatisfactionVote(Base):
    """Satisfaction with dossier handling: one vote per dossier (`dossier_code`), or a unit's
    month in one row (`dossier_code` empty: the portal's own count, which then stands for
    that unit and month instead of the single votes)."""

    __tablename__ = "satisfaction_votes"
    __table_args__ = (
        UniqueConstraint("unit_id", "month", "dossier_code", name="uq_satisfaction_votes_unit_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    month: Mapped[dt.date] = mapped_column(Date)  # the first day of the month voted in
    dossier_code: Mapped[str] = mapped_column(String(64), default="")
    votes: Mapped[int] = mapped_column(Integer, default=0)
    satisfied: Mapped[int] = mapped_column(Integer, default=0)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"), index=True)


class SyncCount(Base):
    """How many of a unit's dossiers of a month the national portal holds (its own count)."""

    __tablename__ = "sync_counts"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    synced: Mapped[int] = mapped_column(Integer, default=0)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"), index=True)
