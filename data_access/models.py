"""SQLAlchemy 2 table definitions.

Date-times are stored naive, in local time (Asia/Ho_Chi_Minh), exactly as the
provincial one-stop system exports them; every rule compares calendar days in
that zone, so storing UTC would only add conversions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

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
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from dashboard.domain.vocabulary import DossierStatus, ExplanationStatus
from data_access.measures import MEASURES

# Explicit constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


UNIT_KINDS = ("province", "district", "commune", "town", "ward", "department")

# Canonical dossier statuses (domain guide, "Counting rules").
STATUSES = tuple(s.value for s in DossierStatus)

# Date-time columns that an export may give as a bare date, and their bit in Dossier.day_only.
DAY_ONLY_BITS: dict[str, int] = {
    "submitted_at": 1,
    "received_at": 2,
    "due_at": 4,
    "finished_at": 8,
    "returned_at": 16,
    "supplement_requested_at": 32,
    "supplement_received_at": 64,
}

# Channels as the national sync model numbers them.
CHANNEL_DIRECT, CHANNEL_ONLINE, CHANNEL_POST = 1, 2, 3


class Unit(Base):
    """A version of an administrative unit or a department that receives dossiers.

    A code names different territories over time (10633: Nam Trung, then Trần Phú, then the
    larger Xã Trần Phú) and a name can too, so a unit is a version: code plus validity dates.
    Code and a day identify one version; `id` is what everything else refers to.
    """

    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("code", "valid_from", name="uq_units_code_valid_from"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class UnitLink(Base):
    """A reorganization: `predecessor_id` ended and (part of) it went to `successor_id`.

    A merger is several links into one successor; a split is several links out of one
    predecessor, of which exactly one `carries_dossiers`: the successor that answers for the
    predecessor's dossiers still open after it ended.
    """

    __tablename__ = "unit_links"

    predecessor_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    successor_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    carries_dossiers: Mapped[bool] = mapped_column(Boolean, default=True)


class Field(Base):
    """A field (lĩnh vực) of administrative procedures, e.g. Hộ tịch."""

    __tablename__ = "fields"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class Procedure(Base):
    """An administrative procedure (TTHC) from the national catalogue."""

    __tablename__ = "procedures"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    field_id: Mapped[int] = mapped_column(ForeignKey("fields.id"), index=True)
    level: Mapped[str] = mapped_column(String(16))  # "xa" (commune) or "huyen" (district)
    has_fee: Mapped[bool] = mapped_column(Boolean, default=False)
    online: Mapped[bool] = mapped_column(Boolean, default=False)  # offered as DVCTT


class Import(Base):
    """Audit record of one import (or demo-data load)."""

    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    user: Mapped[str] = mapped_column(String(100))
    file_name: Mapped[str] = mapped_column(String(500))
    file_hash: Mapped[str] = mapped_column(String(64), index=True)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    inserted: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16))  # committed, refused, dry_run
    # A committed import: the key of its bytes and reading, and the data version it left
    # (data_access/importer/again.py: the same file again while nothing changed is not read).
    content_key: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    data_version: Mapped[str | None] = mapped_column(String(32), nullable=True)
    has_history: Mapped[bool | None] = mapped_column(nullable=True)  # it carried steps
    # What the file held: dossiers (with their steps), or one of the 766 sources
    # (data_access/score_models.py): catalogue, feedback, satisfaction, sync.
    kind: Mapped[str] = mapped_column(String(16), default="dossiers", server_default="dossiers")


class Dossier(Base):
    """One dossier (hồ sơ) as the provincial one-stop system exports it."""

    __tablename__ = "dossiers"
    __table_args__ = (
        UniqueConstraint("unit_id", "code", name="uq_dossiers_unit_id_code"),
        # Figures come from the rollups; the dossier table itself is read for one unit's
        # lists (by reception day), by import (rollup deltas) and for the dossiers open on a
        # day (early warning: not finished, or finished after it; a small share of all, so
        # an index on the finish time finds them without reading the rest). Every index
        # costs each imported row a B-tree insert, so there are no others.
        Index("ix_dossiers_unit_received", "unit_id", "received_at"),
        Index("ix_dossiers_open", "finished_at", "received_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The unit version valid on the reception day (the submission day when not received).
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    code: Mapped[str] = mapped_column(String(64))
    procedure_code: Mapped[str | None] = mapped_column(ForeignKey("procedures.code"))
    field_id: Mapped[int | None] = mapped_column(ForeignKey("fields.id"))
    channel: Mapped[int] = mapped_column(SmallInteger)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    received_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    due_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    returned_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16))
    status_label: Mapped[str | None] = mapped_column(String(100))  # the export's own word
    has_fee: Mapped[bool] = mapped_column(Boolean, default=False)
    paid_online: Mapped[bool] = mapped_column(Boolean, default=False)
    digitized: Mapped[bool] = mapped_column(Boolean, default=False)
    e_result: Mapped[bool] = mapped_column(Boolean, default=False)
    reused_data: Mapped[bool] = mapped_column(Boolean, default=False)
    # 766 extras from the sync format: a component taken from the national data store
    # (TaiLieuNop[].DuocLayTuKhoDMQG), a submitter's account verified with VNeID, and how many
    # times supplements were asked (more than once counts as late in the 766 on-time formula).
    national_store: Mapped[bool] = mapped_column(Boolean, default=False)
    vneid: Mapped[bool] = mapped_column(Boolean, default=False)
    supplement_count: Mapped[int] = mapped_column(SmallInteger, default=0)
    supplement_requested_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    supplement_received_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"), index=True)
    # Working minutes from online submission to the desk's first answer (None: not online, or
    # no answer yet); computed with the work calendar when the row is written.
    first_response_minutes: Mapped[float | None] = mapped_column(Float)
    # Which date-times the export gave as a bare date (known to the day only): a bit per
    # column of DAY_ONLY_BITS. Rules use days anyway; this keeps the display honest.
    day_only: Mapped[int] = mapped_column(SmallInteger, default=0)
    # A 64-bit digest of the exported values (data_access.writer.row_hashes): re-importing an
    # unchanged export compares digests instead of every column. None for rows written before.
    row_hash: Mapped[int | None] = mapped_column(BigInteger)


class Target(Base):
    """A target for an indicator from a date on, for all units or one unit."""

    __tablename__ = "targets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator: Mapped[str] = mapped_column(String(40))
    value: Mapped[float] = mapped_column(Float)
    effective_from: Mapped[dt.date] = mapped_column(Date)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    source: Mapped[str | None] = mapped_column(String(300))  # e.g. the directive's number


EXPLANATION_STATUSES = tuple(s.value for s in ExplanationStatus)


class Explanation(Base):
    """A unit's written explanation and remediation plan for one indicator and period."""

    __tablename__ = "explanations"
    __table_args__ = (
        UniqueConstraint("unit_id", "period", "indicator", name="uq_explanations_unit_period"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    period: Mapped[str] = mapped_column(String(32))  # e.g. 2025-Q1
    indicator: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text, default="")
    remediation_plan: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="requested")
    author: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ExplanationEvent(Base):
    """One change to an explanation, kept for the record (who, when, what)."""

    __tablename__ = "explanation_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    explanation_id: Mapped[int] = mapped_column(ForeignKey("explanations.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    author: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")
    remediation_plan: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[dt.date | None] = mapped_column(Date)


ROLES = ("lanh_dao", "van_phong", "don_vi", "can_bo", "man_hinh")


class User(Base):
    """An account: leadership, office staff, or a unit's staff (bound to its unit)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(16))
    # A unit account is bound to one unit version and sees it and the versions it descends
    # from (data_access.accounts explains why).
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    # An officer account (role can_bo) is one person of its unit: the key its steps carry
    # (dashboard.domain.steps.officer_key), so it finds its steps whenever they are imported.
    officer_key: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class DisplayToken(Base):
    """A long-lived, revocable token for a meeting-room screen (read-only, presentation only)."""

    __tablename__ = "display_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class DataState(Base):
    """One row: a token that every write replaces (data_access.versioning). Cached figures are
    keyed by it, so no process serves figures older than the data, whoever wrote."""

    __tablename__ = "data_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class AuditEvent(Base):
    """Who did what and when: imports, explanation changes, account changes, failed logins."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    username: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(String(64), default="")


# Sessions and login limits. Times are seconds since the epoch (zone-free): they are compared
# with the clock, never shown as dates of the office.


class WebSession(Base):
    """A login: the browser's cookie holds a random id, this row its SHA-256 and what the
    session remembers. Ended by deleting the row (logout, password or role change, disabling
    the account, "sign out everywhere"); it never outlives `expires_at`, set at login."""

    __tablename__ = "web_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    display_label: Mapped[str | None] = mapped_column(String(200), index=True)
    created_at: Mapped[float] = mapped_column(Float)
    expires_at: Mapped[float] = mapped_column(Float, index=True)
    data: Mapped[str] = mapped_column(Text, default="{}")


class LoginAttempt(Base):
    """Password tries per key (an account, or an account from one address) in a 10-minute
    window, counted before the password is checked, so parallel tries cannot slip past."""

    __tablename__ = "login_attempts"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window: Mapped[int] = mapped_column(Integer, primary_key=True)
    tries: Mapped[int] = mapped_column(Integer, default=0)


class LoginFailure(Base):
    """Failed and refused logins, one row per account name and minute with their counts."""

    __tablename__ = "login_failures"

    username: Mapped[str] = mapped_column(String(100), primary_key=True)
    minute: Mapped[int] = mapped_column(Integer, primary_key=True)  # epoch minutes
    wrong: Mapped[int] = mapped_column(Integer, default=0)
    blocked: Mapped[int] = mapped_column(Integer, default=0)
    last_address: Mapped[str] = mapped_column(String(64), default="")


# Rollups: per (unit, field, procedure, channel) and per day / month, the counts every rule
# needs, one column per measure (data_access/measures.py defines each: its day, its condition).


def _rollup_table(name: str, bucket: str, by_channel: bool = True) -> Table:
    """Counts per unit, field, procedure and (`by_channel`) channel, per `bucket`; the full
    rollups are also read by day or month across units, the narrow ones only by unit."""
    return Table(
        name,
        Base.metadata,
        Column("id", Integer, primary_key=True),
        Column("unit_id", Integer, ForeignKey("units.id"), nullable=False),
        Column("field_id", Integer, ForeignKey("fields.id")),
        Column("procedure_code", String(32), ForeignKey("procedures.code")),
        *([Column("channel", SmallInteger, nullable=False)] if by_channel else []),
        Column(bucket, Date, nullable=False),
        *[Column(m, Integer, nullable=False, server_default="0") for m in MEASURES],
        *([Index(f"ix_{name}_{bucket}_unit", bucket, "unit_id")] if by_channel else []),
        Index(f"ix_{name}_unit_{bucket}", "unit_id", bucket),
    )


rollup_daily = _rollup_table("rollup_daily", "day")
rollup_monthly = _rollup_table("rollup_monthly", "month")
# Narrower copies of the rollups: the same counts summed over the keys a reading does not
# need, so it reads a few rows where rollup_daily / rollup_monthly hold many. Kept in step
# with them by data_access/rollups.py; data_access/counts.py reads the narrowest that keeps
# the keys asked for and filtered on.
#
# Per unit (fields, procedures and channels summed): every unit without a filter, about 20×
# fewer rows.
rollup_unit_daily = Table(
    "rollup_unit_daily",
    Base.metadata,
    Column("unit_id", Integer, ForeignKey("units.id"), primary_key=True),
    Column("day", Date, primary_key=True),
    *[Column(m, Integer, nullable=False, server_default="0") for m in MEASURES],
)
rollup_unit_monthly = Table(
    "rollup_unit_monthly",
    Base.metadata,
    Column("unit_id", Integer, ForeignKey("units.id"), primary_key=True),
    Column("month", Date, primary_key=True),
    *[Column(m, Integer, nullable=False, server_default="0") for m in MEASURES],
)


# Per unit, field and procedure (channels summed): the 766 score's procedure usage and a field
# or procedure filter, about half the rows, each unit's together.
rollup_procedure_daily = _rollup_table("rollup_procedure_daily", "day", by_channel=False)
rollup_procedure_monthly = _rollup_table("rollup_procedure_monthly", "month", by_channel=False)


@dataclass(frozen=True)
class Projection:
    """A narrower pair of rollup tables and the rollup keys it keeps."""

    keys: tuple[str, ...]
    daily: Table
    monthly: Table


# Narrowest first.
PROJECTIONS = (
    Projection(("unit_id",), rollup_unit_daily, rollup_unit_monthly),
    Projection(
        ("unit_id", "field_id", "procedure_code"), rollup_procedure_daily, rollup_procedure_monthly
    ),
)


def table_of(model: type[Base]) -> Table:
    """The Core table of a mapped class (typed: `__table__` is only a FromClause to mypy)."""
    return cast(Table, model.__table__)


# The processing history's, the daily rhythm's and the 766 sources' tables live beside these,
# in one metadata.
from data_access import rhythm_models as _rhythm_models  # noqa: E402,F401
from data_access import score_models as _score_models  # noqa: E402,F401
from data_access import step_models as _step_models  # noqa: E402,F401
