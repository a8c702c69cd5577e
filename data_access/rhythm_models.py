"""Tables of the daily rhythm (issue 28): the scheduler's runs, the inbox's files, who receives
mail and every message sent.

Imported by data_access.models (the tables join its metadata). Each table's unique key is what
makes a step happen once across processes and restarts: a run per (job, slot), a file per
content hash, a message per (kind, day, address, unit).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from data_access.models import Base

RUN_STATUSES = ("running", "ok", "failed", "missed")
DELIVERY_STATUSES = ("sending", "sent", "failed", "gave_up")


class ScheduledRun(Base):
    """One run of a scheduled job for one slot (the time it was due): claimed by inserting the
    row, so two schedulers never run the same slot."""

    __tablename__ = "scheduled_runs"
    __table_args__ = (UniqueConstraint("job", "slot"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job: Mapped[str] = mapped_column(String(40))
    slot: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    status: Mapped[str] = mapped_column(String(16))  # RUN_STATUSES
    late: Mapped[bool] = mapped_column(default=False)
    result: Mapped[str] = mapped_column(Text, default="")  # Vietnamese, one line each
    files: Mapped[str] = mapped_column(Text, default="")  # paths, one per line


class InboxFile(Base):
    """A file taken from the inbox, by content: the same bytes again are not imported twice."""

    __tablename__ = "inbox_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_hash: Mapped[str] = mapped_column(String(64), unique=True)
    file_name: Mapped[str] = mapped_column(String(500))
    size: Mapped[int] = mapped_column(Integer)
    taken_at: Mapped[dt.datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16))  # imported, refused
    import_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    moved_to: Mapped[str] = mapped_column(String(1000), default="")


class Recipient(Base):
    """An address that receives mail: a unit's own digest (unit_code) or a role's reports."""

    __tablename__ = "mail_recipients"
    __table_args__ = (UniqueConstraint("email", "unit_code", "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    unit_code: Mapped[str] = mapped_column(String(20), default="")  # "" when by role
    role: Mapped[str] = mapped_column(String(20), default="")  # lanh_dao, van_phong or ""
    added_at: Mapped[dt.datetime] = mapped_column(DateTime)
    added_by: Mapped[str] = mapped_column(String(100), default="")


class Delivery(Base):
    """One message to one address for one day: claimed before it is sent, so a day's message
    never goes out twice; failures wait `next_try_at` before the next attempt, which sends the
    very bytes kept in `message` (dropped once sent)."""

    __tablename__ = "mail_deliveries"
    __table_args__ = (UniqueConstraint("kind", "day", "email", "unit_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # digest, daily_report, monthly_report
    day: Mapped[dt.date] = mapped_column(Date)
    email: Mapped[str] = mapped_column(String(254))
    unit_code: Mapped[str] = mapped_column(String(20), default="")
    subject: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(16))  # DELIVERY_STATUSES
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_try_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    message: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # RFC 5322 bytes
