"""Tables of the processing history: officers, their aliases, the steps of each dossier, the
officer targets, and the per-day counts the officer figures are summed from.

Imported by data_access.models (the tables join its metadata). The rules that fill the
computed columns are in dashboard/domain/steps.py; data_access/step_rollups.py defines the
counts.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from data_access.models import Base

# Per (unit, dimension, member, field, day): what the officer figures sum. A dimension is
# "o" (officer: the member is the person's id), "k" (step kind) or "d" (department).
STEP_MEASURES = (
    "handled_in",  # (dossier, member) pairs, accepted: on the reception day
    "handled_out",  # the same pairs, on the finish day
    "late_resolved",  # resolved late, the member held the responsible step: finish day
    "overdue_start",  # pending-overdue start (data_access/measures.py), member responsible
    "overdue_end",  # its end (the finish day)
    "steps_started",  # steps: on their start day
    "steps_ended",  # steps: on their end day
    "late_due",  # steps with their own deadline, ended after it or open: the deadline day
    "late_ended",  # those of them that ended: their end day
    "online_submitted",  # online dossiers the member received (reception step): submission day
    "online_answered_6h",  # of those, answered within 6 working hours
)


class Officer(Base):
    """A person within a unit version: by account when the history gives one, else by name
    with case and spacing ignored (`key`, dashboard.domain.steps.officer_key)."""

    __tablename__ = "officers"
    __table_args__ = (UniqueConstraint("unit_id", "key", name="uq_officers_unit_id_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    key: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))  # the display name
    title: Mapped[str] = mapped_column(String(200), default="")  # the latest ChucDanh given
    account: Mapped[str] = mapped_column(String(100), default="")


class OfficerAlias(Base):
    """`officer_id` is the same person as `person_id` (the office merged two spellings)."""

    __tablename__ = "officer_aliases"

    officer_id: Mapped[int] = mapped_column(
        ForeignKey("officers.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("officers.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    user: Mapped[str] = mapped_column(String(100), default="")


class Step(Base):
    """One entry of a dossier's processing history, as imported, with the columns the rules
    work out when it is written (its start, working time, lateness, responsibility)."""

    __tablename__ = "steps"
    __table_args__ = (
        Index("ix_steps_dossier_id", "dossier_id"),
        Index("ix_steps_unit_officer", "unit_id", "officer_id"),
        Index("ix_steps_unit_ended", "unit_id", "ended_at"),
        # Open steps with their own deadline (early warning, and a deadline still ahead).
        Index(
            "ix_steps_open_deadline",
            "unit_id",
            "deadline_at",
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))  # the dossier's
    seq: Mapped[int] = mapped_column(SmallInteger)  # its place in the file, for ties
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    title: Mapped[str] = mapped_column(String(200), default="")
    department: Mapped[str] = mapped_column(String(200), default="")
    content: Mapped[str] = mapped_column(String(500), default="")
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(32), default="")
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # NgayBatDau as given
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # ThoiDiemXuLy
    deadline_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # NgayKetThucTheoQuyDinh
    start_at: Mapped[dt.datetime] = mapped_column(DateTime)  # worked out (domain rule)
    work_minutes: Mapped[float | None] = mapped_column(Float)  # finished steps
    late: Mapped[bool] = mapped_column(Boolean, default=False)  # ended after its deadline
    responsible: Mapped[bool] = mapped_column(Boolean, default=False)  # holds an overdue
    reception: Mapped[bool] = mapped_column(Boolean, default=False)  # the reception step
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"))


class StepHistory(Base):
    """A digest of each dossier's imported history: an unchanged history is not rewritten."""

    __tablename__ = "step_histories"

    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), primary_key=True
    )
    digest: Mapped[int] = mapped_column(BigInteger)


class OfficerTarget(Base):
    """A target for officers from a date on: one officer, every officer of a step kind, or
    every officer of a unit (office-wide when unit_id is None)."""

    __tablename__ = "officer_targets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure: Mapped[str] = mapped_column(String(40))  # dashboard.domain.officer_targets
    value: Mapped[float] = mapped_column(Float)
    effective_from: Mapped[dt.date] = mapped_column(Date)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id", ondelete="CASCADE"))
    kind: Mapped[str | None] = mapped_column(String(16))
    source: Mapped[str | None] = mapped_column(String(300))


step_daily = Table(
    "step_daily",
    Base.metadata,
    Column("unit_id", Integer, ForeignKey("units.id"), primary_key=True),
    Column("dim", String(1), primary_key=True),
    Column("member", String(200), primary_key=True),
    Column("field_id", Integer, primary_key=True),  # 0: no field
    Column("day", Date, primary_key=True),
    *[Column(m, Integer, nullable=False, server_default="0") for m in STEP_MEASURES],
)
# The same summed over fields: a unit's figures without a field filter read a few rows.
step_member_daily = Table(
    "step_member_daily",
    Base.metadata,
    Column("unit_id", Integer, ForeignKey("units.id"), primary_key=True),
    Column("dim", String(1), primary_key=True),
    Column("member", String(200), primary_key=True),
    Column("day", Date, primary_key=True),
    *[Column(m, Integer, nullable=False, server_default="0") for m in STEP_MEASURES],
)
