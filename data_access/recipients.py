"""Who receives mail (all writes in the caller's transaction, which also writes the audit
event): an address gets a unit's own digest (by unit code) or a role's reports (leadership,
the office). The same address may be listed for several units and roles, once each.

A unit is named by its code, not by a version: the digest of a day goes to the unit that
carries the code that day, so a recipient outlives a reorganization that keeps the code.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select
from sqlalchemy.exc import IntegrityError

from dashboard.domain import clock
from data_access.db import inserted_id
from data_access.models import Unit
from data_access.rhythm_models import Recipient

ROLES = ("lanh_dao", "van_phong")
ROLE_LABELS = {"lanh_dao": "Lãnh đạo", "van_phong": "Văn phòng"}

# A deliberately narrow address: ASCII dot-atoms on both sides, a domain with a dot. It
# refuses quoted local parts, IP literals and international addresses (which need SMTPUTF8
# from every relay on the way), and anything that could break a header line.
_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_ADDRESS = re.compile(rf"({_LOCAL})@({_LABEL}(?:\.{_LABEL})+)")


@dataclass(frozen=True)
class MailRecipient:
    """One listed address: for a unit (`unit_code`) or for a role (`role`), never both."""

    id: int
    email: str
    unit_code: str
    role: str
    added_at: dt.datetime
    added_by: str
    unit_name: str = ""  # the newest version's name of the unit, for lists

    @property
    def target(self) -> str:
        """What it receives, in words: "Đơn vị Đồng Lạc (10657)" or "Lãnh đạo"."""
        if self.role:
            return ROLE_LABELS.get(self.role, self.role)
        return f"Đơn vị {self.unit_name or self.unit_code} ({self.unit_code})"


def normalize_email(text: str) -> str:
    """The address as kept (trimmed, lower case: the same mailbox is listed once); ValueError
    (Vietnamese) for anything but a plain address like can.bo@namsach.gov.vn."""
    address = (text or "").strip()
    match = _ADDRESS.fullmatch(address)
    if match is None or len(address) > 254 or len(match[1]) > 64:
        raise ValueError(f"Địa chỉ thư không hợp lệ: «{address}» (ví dụ: van.phong@namsach.gov.vn)")
    return address.lower()


def _target(conn: Connection, unit_code: str, role: str) -> tuple[str, str]:
    unit_code, role = (unit_code or "").strip(), (role or "").strip()
    if bool(unit_code) == bool(role):
        raise ValueError("Chọn một đơn vị hoặc một vai trò (lanh_dao, van_phong), không cả hai")
    if role and role not in ROLES:
        raise ValueError(f"Vai trò nhận thư phải là lanh_dao hoặc van_phong (không phải «{role}»)")
    if unit_code and _unit_names(conn, [unit_code]) == {}:
        raise ValueError(f"Không có đơn vị mã {unit_code} trong danh mục")
    return unit_code, role


def _unit_names(conn: Connection, codes: list[str]) -> dict[str, str]:
    """Each code's name in its newest version (a code may have had several)."""
    rows = conn.execute(
        select(Unit.code, Unit.name).where(Unit.code.in_(codes)).order_by(Unit.valid_from)
    )
    return {code: name for code, name in rows}  # later versions overwrite earlier ones


def _recipient(row, names: dict[str, str]) -> MailRecipient:
    return MailRecipient(
        row.id, row.email, row.unit_code, row.role, row.added_at, row.added_by,
        names.get(row.unit_code, ""),
    )  # fmt: skip


def add(
    conn: Connection, email: str, unit_code: str = "", role: str = "", added_by: str = ""
) -> MailRecipient:
    """List an address for a unit's digest (`unit_code`, a code of the units table) or for a
    role's reports (`role`: lanh_dao, van_phong); ValueError (Vietnamese) for a bad address,
    an unknown unit, both or neither, or an address already listed so."""
    address = normalize_email(email)
    unit_code, role = _target(conn, unit_code, role)
    now = clock.now()
    taken = select(Recipient.id).where(
        Recipient.email == address, Recipient.unit_code == unit_code, Recipient.role == role
    )
    duplicate = ValueError(f"{address} đã có trong danh sách nhận thư này")
    if conn.execute(taken).first() is not None:
        raise duplicate
    try:
        new_id = inserted_id(
            conn.execute(
                insert(Recipient).values(
                    email=address,
                    unit_code=unit_code,
                    role=role,
                    added_at=now,
                    added_by=added_by[:100],
                )
            )
        )
    except IntegrityError:
        # Added by someone else since the check: the caller's transaction ends with this
        # error (no savepoint: SQLite's driver would commit one on its own).
        raise duplicate from None
    names = _unit_names(conn, [unit_code]) if unit_code else {}
    return MailRecipient(
        new_id, address, unit_code, role, now, added_by[:100], names.get(unit_code, "")
    )


def all_recipients(conn: Connection) -> list[MailRecipient]:
    """Every listed address: the roles' first, then the units' by code, each by address."""
    rows = conn.execute(
        select(Recipient).order_by(
            Recipient.unit_code != "", Recipient.role, Recipient.unit_code, Recipient.email
        )
    ).all()
    names = _unit_names(conn, sorted({r.unit_code for r in rows if r.unit_code}))
    return [_recipient(r, names) for r in rows]


def remove(
    conn: Connection,
    recipient_id: int | None = None,
    email: str = "",
    unit_code: str = "",
    role: str = "",
) -> MailRecipient:
    """Take one address off a list, named by its id or by address and unit or role; the line
    removed. ValueError (Vietnamese) when there is no such line."""
    query = select(Recipient)
    if recipient_id is not None:
        query = query.where(Recipient.id == recipient_id)
    else:
        address = (email or "").strip().lower()
        unit_code, role = (unit_code or "").strip(), (role or "").strip()
        if bool(unit_code) == bool(role):
            raise ValueError("Chọn một đơn vị hoặc một vai trò (lanh_dao, van_phong), không cả hai")
        query = query.where(
            Recipient.email == address, Recipient.unit_code == unit_code, Recipient.role == role
        )
    row = conn.execute(query).first()
    if row is None:
        raise ValueError("Không có người nhận này trong danh sách")
    conn.execute(delete(Recipient).where(Recipient.id == row.id))
    names = _unit_names(conn, [row.unit_code]) if row.unit_code else {}
    return _recipient(row, names)


def _addresses(conn: Connection, unit_code: str, role: str) -> list[str]:
    return list(
        conn.execute(
            select(Recipient.email)
            .where(Recipient.unit_code == unit_code, Recipient.role == role)
            .order_by(Recipient.email)
        ).scalars()
    )


def for_unit(conn: Connection, unit_code: str) -> list[str]:
    """The addresses that receive the unit's own digest (only this unit's), in order."""
    return _addresses(conn, unit_code, "")


def for_role(conn: Connection, role: str) -> list[str]:
    """The addresses that receive a role's reports (lanh_dao: the daily report), in order."""
    if role not in ROLES:
        raise ValueError(f"Vai trò nhận thư phải là lanh_dao hoặc van_phong (không phải «{role}»)")
    return _addresses(conn, "", role)
