"""Accounts, meeting-room display tokens and the audit log (all writes in the caller's
transaction). Passwords are stored as salted scrypt hashes; tokens as SHA-256 digests.

A unit account is bound to one unit version, the one valid when it was created (or on the
day named with `code@day`). It sees that version and every version it descends from: a
successor answers for its predecessors' dossiers and history. It does not follow its code
to a later, larger unit: that unit answers for other communes too, and its staff may not be
the same people. After a reorganization the office creates accounts for the new units.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, func, insert, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from dashboard.domain import clock
from dashboard.domain.steps import officer_key
from data_access import sessions
from data_access.db import inserted_id
from data_access.models import ROLES, AuditEvent, DisplayToken, User
from data_access.queries import all_units

ROLE_LABELS = {
    "lanh_dao": "Lãnh đạo",
    "van_phong": "Văn phòng",
    "don_vi": "Đơn vị",
    "can_bo": "Cán bộ",
    "man_hinh": "Màn hình phòng họp",
}
assert set(ROLE_LABELS) == set(ROLES)
MIN_PASSWORD = 10
# A hash to check against when the user does not exist, so a wrong name takes as long as a
# wrong password (no user enumeration by timing).
_DUMMY_HASH = generate_password_hash("không-có-tài-khoản-này", method="scrypt")


@dataclass(frozen=True)
class Account:
    """An account as the app sees it (never the password hash)."""

    id: int
    username: str
    full_name: str
    role: str
    unit_id: int | None
    active: bool
    officer_key: str = ""  # an officer account: who it is in its unit's histories


def _now() -> dt.datetime:
    return clock.now()


def _account(row) -> Account:
    return Account(
        row.id, row.username, row.full_name, row.role, row.unit_id, row.active,
        row.officer_key or "",
    )  # fmt: skip


def add_user(
    conn: Connection,
    username: str,
    password: str,
    role: str,
    unit: str | None = None,
    full_name: str = "",
    today: dt.date | None = None,
    officer: str = "",
) -> Account:
    """Create an account; ValueError (Vietnamese) for a bad role, unit, name or password.
    `unit` (for roles don_vi and can_bo) is a code, bound to its version valid `today`, or
    code@day; `officer` (can_bo) the person's name in the histories, or tk:ACCOUNT."""
    username = username.strip().lower()
    if (
        not username
        or len(username) > 100
        or not username.replace(".", "").replace("_", "").replace("-", "").isalnum()
    ):
        raise ValueError("Tên đăng nhập chỉ gồm chữ không dấu, số, dấu chấm, gạch dưới, gạch nối")
    unit_id = _unit_for(conn, role, unit, today)
    key = _officer_key(role, officer)
    _check_password(password)
    if conn.execute(select(User.id).where(User.username == username)).first() is not None:
        raise ValueError(f"Đã có tài khoản {username}")
    new_id = inserted_id(
        conn.execute(
            insert(User).values(
                username=username,
                full_name=full_name,
                password_hash=generate_password_hash(password, method="scrypt"),
                role=role,
                unit_id=unit_id,
                officer_key=key,
                active=True,
                created_at=_now(),
            )
        )
    )
    return Account(new_id, username, full_name, role, unit_id, True, key or "")


def _officer_key(role: str, officer: str) -> str | None:
    """An officer account's key in the histories (dashboard/domain/steps.officer_key)."""
    if role != "can_bo":
        return None
    text = officer.strip()
    if not text:
        raise ValueError("Tài khoản cán bộ cần tên cán bộ như trong quá trình xử lý (--officer)")
    if text.lower().startswith("tk:"):
        return officer_key("", text[3:])
    return officer_key(text)


def _unit_for(conn: Connection, role: str, unit: str | None, today: dt.date | None) -> int | None:
    if role not in ROLES or role == "man_hinh":
        raise ValueError("Vai trò phải là lanh_dao, van_phong, don_vi hoặc can_bo")
    if role not in ("don_vi", "can_bo"):
        return None
    day = today or clock.today()
    try:
        return all_units(conn).resolve(unit or "", day, day).id
    except ValueError:
        raise ValueError(
            f"Tài khoản đơn vị, cán bộ cần mã đơn vị có trong danh mục (--unit): {unit}"
        ) from None


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự")


def users(conn: Connection) -> list[Account]:
    """Every account, by name."""
    return [_account(r) for r in conn.execute(select(User).order_by(User.username))]


def get(conn: Connection, user_id: int) -> Account | None:
    """The account with this id, if it exists and is active."""
    row = conn.execute(select(User).where(User.id == user_id, User.active.is_(True))).first()
    return _account(row) if row else None


def _account_id(conn: Connection, username: str) -> int:
    found = conn.execute(select(User.id).where(User.username == username.strip().lower())).first()
    if found is None:
        raise ValueError(f"Không có tài khoản {username}")
    return int(found.id)


def set_active(conn: Connection, username: str, active: bool) -> None:
    """Disable (ending every session of it at once) or enable again an account; enabling it
    brings no old session back."""
    account_id = _account_id(conn, username)
    conn.execute(update(User).where(User.id == account_id).values(active=active))
    if not active:
        sessions.end_for_account(conn, account_id)


def reset_password(conn: Connection, username: str, password: str) -> None:
    """Give an account a new password; every session of it ends at once."""
    _check_password(password)
    account_id = _account_id(conn, username)
    conn.execute(
        update(User)
        .where(User.id == account_id)
        .values(password_hash=generate_password_hash(password, method="scrypt"))
    )
    sessions.end_for_account(conn, account_id)


def set_role(
    conn: Connection,
    username: str,
    role: str,
    unit: str | None = None,
    today: dt.date | None = None,
    officer: str = "",
) -> Account:
    """Change an account's role (and unit, for a unit or officer account); every session of
    it ends at once, so the next request is made with the new rights."""
    account_id = _account_id(conn, username)
    unit_id = _unit_for(conn, role, unit, today)
    key = _officer_key(role, officer)
    conn.execute(
        update(User)
        .where(User.id == account_id)
        .values(role=role, unit_id=unit_id, officer_key=key)
    )
    sessions.end_for_account(conn, account_id)
    row = conn.execute(select(User).where(User.id == account_id)).one()
    return _account(row)


def sign_out_everywhere(conn: Connection, username: str) -> int:
    """End every session of an account; how many were live."""
    return sessions.end_for_account(conn, _account_id(conn, username))


def verify(conn: Connection, username: str, password: str) -> Account | None:
    """The active account these credentials open, or None."""
    row = conn.execute(select(User).where(User.username == username.strip().lower())).first()
    ok = check_password_hash(row.password_hash if row else _DUMMY_HASH, password)
    return _account(row) if row is not None and ok and row.active else None


def any_accounts(conn: Connection) -> bool:
    """Whether accounts are configured (then every page needs a login)."""
    return (conn.execute(select(func.count()).select_from(User)).scalar() or 0) > 0


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_display_token(conn: Connection, label: str) -> str:
    """Create a display token; the plain token is shown once and only its digest is kept."""
    token = secrets.token_urlsafe(32)
    conn.execute(
        insert(DisplayToken).values(token_hash=_digest(token), label=label, created_at=_now())
    )
    return token


def check_display_token(conn: Connection, token: str) -> str | None:
    """The label of a valid (not revoked) display token, or None."""
    row = conn.execute(
        select(DisplayToken.label).where(
            DisplayToken.token_hash == _digest(token), DisplayToken.revoked_at.is_(None)
        )
    ).first()
    return row.label if row else None


def revoke_display_token(conn: Connection, label: str) -> int:
    """Revoke every token with this label, ending the screens' sessions; returns how many."""
    sessions.end_for_display(conn, label)
    return conn.execute(
        update(DisplayToken)
        .where(DisplayToken.label == label, DisplayToken.revoked_at.is_(None))
        .values(revoked_at=_now())
    ).rowcount


def audit(
    conn: Connection, username: str, action: str, detail: str = "", address: str = ""
) -> None:
    """Append an event to the audit log."""
    conn.execute(
        insert(AuditEvent).values(
            at=_now(),
            username=username or "—",
            action=action,
            detail=detail[:2000],
            address=address[:64],
        )
    )


def audit_events(conn: Connection, limit: int = 200) -> list[tuple]:
    """The newest events: (time, user, action, detail, address)."""
    a = AuditEvent
    return [
        tuple(r)
        for r in conn.execute(
            select(a.at, a.username, a.action, a.detail, a.address)
            .order_by(a.id.desc())
            .limit(limit)
        )
    ]
