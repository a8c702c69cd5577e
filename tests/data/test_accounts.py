"""Accounts, display tokens and the audit log on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from data_access import accounts
from data_access.models import Unit, User


def test_add_verify_disable_reset(ref_engine: Engine) -> None:
    with ref_engine.begin() as conn:
        office = accounts.add_user(conn, "Hoa.VP", "mat-khau-dai-1", "van_phong", full_name="Hoa")
        unit = accounts.add_user(conn, "donglac", "mat-khau-dai-2", "don_vi", unit="10657")
        dong_lac = conn.execute(select(Unit.id).where(Unit.code == "10657")).scalar()
    assert (office.username, office.role, office.unit_id) == ("hoa.vp", "van_phong", None)
    assert unit.unit_id == dong_lac
    with ref_engine.begin() as conn:
        assert accounts.verify(conn, "HOA.VP", "mat-khau-dai-1") == office
        assert accounts.verify(conn, "hoa.vp", "sai-mat-khau-99") is None
        assert accounts.verify(conn, "khong-co", "mat-khau-dai-1") is None
        stored = conn.execute(select(User.password_hash).where(User.id == office.id)).scalar()
        assert "mat-khau-dai-1" not in stored and stored.startswith("scrypt:")
        accounts.set_active(conn, "hoa.vp", False)
        assert accounts.verify(conn, "hoa.vp", "mat-khau-dai-1") is None
        assert accounts.get(conn, office.id) is None
        accounts.reset_password(conn, "donglac", "mat-khau-moi-3")
        assert accounts.verify(conn, "donglac", "mat-khau-dai-2") is None
        assert accounts.verify(conn, "donglac", "mat-khau-moi-3") == unit
        assert [a.username for a in accounts.users(conn)] == ["donglac", "hoa.vp"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("a b", "mat-khau-dai-1", "van_phong"), "Tên đăng nhập"),
        (("x", "ngan", "van_phong"), "ít nhất 10 ký tự"),
        (("x", "mat-khau-dai-1", "admin"), "Vai trò"),
        (("x", "mat-khau-dai-1", "don_vi"), "cần mã đơn vị"),
    ],
)
def test_bad_accounts_are_refused(ref_engine: Engine, args: tuple, message: str) -> None:
    with ref_engine.begin() as conn, pytest.raises(ValueError, match=message):
        accounts.add_user(conn, *args)


def test_display_tokens_are_hashed_and_revocable(ref_engine: Engine) -> None:
    with ref_engine.begin() as conn:
        token = accounts.new_display_token(conn, "Phòng họp tầng 2")
        assert accounts.check_display_token(conn, token) == "Phòng họp tầng 2"
        assert accounts.check_display_token(conn, token + "x") is None
        assert accounts.revoke_display_token(conn, "Phòng họp tầng 2") == 1
        assert accounts.check_display_token(conn, token) is None


def test_audit_log_keeps_who_what_when(ref_engine: Engine) -> None:
    with ref_engine.begin() as conn:
        accounts.audit(conn, "hoa.vp", "nhap_du_lieu", "export.xlsx: 12 mới", "127.0.0.1")
        accounts.audit(conn, "", "dang_nhap_sai", "", "10.0.0.9")
        events = accounts.audit_events(conn)
    assert [(e[1], e[2], e[3], e[4]) for e in events] == [
        ("—", "dang_nhap_sai", "", "10.0.0.9"),
        ("hoa.vp", "nhap_du_lieu", "export.xlsx: 12 mới", "127.0.0.1"),
    ]


def test_login_tries_carry_across_a_window_boundary(empty_engine) -> None:
    from data_access import sessions

    boundary = 1_800_000 * sessions.LIMIT_WINDOW  # a window starts here
    keys = ["tk:vp|10.0.0.9"]
    with empty_engine.begin() as conn:
        for i in range(5):  # five wrong passwords in the last seconds of a window
            got = sessions.take_tries(conn, keys, boundary - 5 + i)
            assert got.counts[keys[0]] == i + 1
        after = sessions.take_tries(conn, keys, boundary + 1)  # the next window's first try
        assert after.window == boundary // sessions.LIMIT_WINDOW
        assert after.counts[keys[0]] == 6  # still counted: no fresh start at the boundary
        sessions.give_back(conn, keys, after.window)  # a right password takes nothing
        again = sessions.take_tries(conn, keys, boundary + 2)
        assert again.counts[keys[0]] == 6
        # A window later, this window's one try still counts beside the new one; the five
        # before it no longer do; two windows later only the new try counts.
        nxt = sessions.take_tries(conn, keys, boundary + sessions.LIMIT_WINDOW)
        assert nxt.counts[keys[0]] == 1 + 1
        later = sessions.take_tries(conn, keys, boundary + 3 * sessions.LIMIT_WINDOW)
        assert later.counts[keys[0]] == 1
