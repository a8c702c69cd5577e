"""Recipients and the mail commands through `tthc` (dashboard.cli.main) on a real SQLite file:
add, list, remove and their refusals, the audit, a test letter and the retries sent to a real
SMTP server."""

from __future__ import annotations

import csv
import datetime as dt
import email
import getpass
import io
import json
from email import policy

import pytest
from sqlalchemy import Engine

from dashboard.domain import clock
from data_access import accounts, deliveries, recipients
from tests.cli_runner import cli_runner
from tests.smtp_server import SmtpServer

HEAD = ["email", "unit_code", "unit_name", "role", "added_at", "added_by"]


@pytest.fixture
def run(db: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    return cli_runner(db.url.render_as_string(hide_password=False), monkeypatch, capsys)


def listed(run) -> list[list[str]]:
    code, out, _ = run("recipients", "list", "--format", "csv")
    assert code == 0
    table = list(csv.reader(io.StringIO(out)))
    assert table[0] == HEAD
    return [[r[0], r[1], r[2], r[3], r[5]] for r in table[1:]]  # all but the time added


def test_add_list_remove_round_trip(run, db: Engine) -> None:
    code, out, _ = run("recipients", "add", "Dong.Lac@NamSach.gov.vn", "--unit", "10657")
    assert (
        code == 0
        and out == "Đã thêm dong.lac@namsach.gov.vn: nhận thư của Đơn vị Đồng Lạc (10657).\n"
    )
    assert run("recipients", "add", "chu.tich@namsach.gov.vn", "--role", "lanh_dao")[0] == 0
    assert run("recipients", "add", "chu.tich@namsach.gov.vn", "--unit", "10612")[0] == 0
    me = getpass.getuser()  # who ran the command
    assert listed(run) == [
        ["chu.tich@namsach.gov.vn", "", "", "lanh_dao", me],
        ["chu.tich@namsach.gov.vn", "10612", "Nam Tân", "", me],
        ["dong.lac@namsach.gov.vn", "10657", "Đồng Lạc", "", me],
    ]
    code, out, _ = run("recipients", "list", "--format", "json")
    assert [r["email"] for r in json.loads(out)] == [
        "chu.tich@namsach.gov.vn",
        "chu.tich@namsach.gov.vn",
        "dong.lac@namsach.gov.vn",
    ]
    code, out, _ = run("recipients", "list")
    assert "Lãnh đạo" in out and "Đơn vị Nam Tân (10612)" in out
    code, out, _ = run("recipients", "remove", "chu.tich@namsach.gov.vn", "--unit", "10612")
    assert code == 0
    assert (
        out == "Đã bỏ chu.tich@namsach.gov.vn khỏi danh sách nhận thư của Đơn vị Nam Tân (10612).\n"
    )
    assert [r[0] + r[1] + r[3] for r in listed(run)] == [
        "chu.tich@namsach.gov.vnlanh_dao",
        "dong.lac@namsach.gov.vn10657",
    ]
    with db.connect() as conn:
        events = [(e[2], e[3]) for e in accounts.audit_events(conn)][::-1]
        assert recipients.for_unit(conn, "10657") == ["dong.lac@namsach.gov.vn"]
        assert recipients.for_unit(conn, "10612") == []
        assert recipients.for_role(conn, "lanh_dao") == ["chu.tich@namsach.gov.vn"]
        assert recipients.for_role(conn, "van_phong") == []
    assert events == [
        ("them_nguoi_nhan_thu", "dong.lac@namsach.gov.vn → Đơn vị Đồng Lạc (10657)"),
        ("them_nguoi_nhan_thu", "chu.tich@namsach.gov.vn → Lãnh đạo"),
        ("them_nguoi_nhan_thu", "chu.tich@namsach.gov.vn → Đơn vị Nam Tân (10612)"),
        ("bo_nguoi_nhan_thu", "chu.tich@namsach.gov.vn → Đơn vị Nam Tân (10612)"),
    ]


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (("add", "a@namsach.gov.vn", "--unit", "99999"), "Không có đơn vị mã 99999 trong danh mục"),
        (("add", "a@namsach.gov.vn"), "Chọn một đơn vị hoặc một vai trò"),
        (("add", "khong co@namsach.gov.vn", "--role", "lanh_dao"), "Địa chỉ thư không hợp lệ"),
        (("add", "a@localhost", "--role", "lanh_dao"), "Địa chỉ thư không hợp lệ"),
        (("add", "a@b.vn\nBcc: x@y.vn", "--role", "lanh_dao"), "Địa chỉ thư không hợp lệ"),
        (("add", "a..b@namsach.gov.vn", "--role", "lanh_dao"), "Địa chỉ thư không hợp lệ"),
        (("add", "lê@namsach.gov.vn", "--role", "lanh_dao"), "Địa chỉ thư không hợp lệ"),
        (("remove", "a@namsach.gov.vn", "--role", "van_phong"), "Không có người nhận này"),
        (("add", "--role", "van_phong"), "Cần địa chỉ thư"),
    ],
)
def test_refusals_are_said_and_write_nothing(run, db: Engine, argv, said: str) -> None:
    code, out, err = run("recipients", *argv)
    assert code == 2 and said in err and out == ""
    with db.connect() as conn:
        assert recipients.all_recipients(conn) == []
        assert accounts.audit_events(conn) == []


def test_the_same_line_twice_is_refused(run) -> None:
    assert run("recipients", "add", "a@namsach.gov.vn", "--role", "van_phong")[0] == 0
    code, _, err = run("recipients", "add", "A@namsach.gov.vn", "--role", "van_phong")
    assert code == 2 and "a@namsach.gov.vn đã có trong danh sách nhận thư này" in err


def test_unit_and_role_together_are_refused_by_the_parser(run) -> None:
    with pytest.raises(SystemExit) as exc:
        run("recipients", "add", "a@namsach.gov.vn", "--unit", "10657", "--role", "lanh_dao")
    assert exc.value.code == 2


def _smtp_env(monkeypatch: pytest.MonkeyPatch, server: SmtpServer) -> None:
    monkeypatch.setenv("TTHC_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("TTHC_SMTP_PORT", str(server.port))
    monkeypatch.setenv("TTHC_SMTP_SECURITY", "none")
    monkeypatch.setenv("TTHC_MAIL_FROM", "Văn phòng UBND <vanphong@namsach.gov.vn>")


def test_a_test_letter(run, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> None:
    _smtp_env(monkeypatch, smtp_server)
    code, out, _ = run("mail", "test", "can.bo@namsach.gov.vn")
    assert code == 0
    assert (
        out
        == f"Đã gửi thư thử tới can.bo@namsach.gov.vn qua 127.0.0.1:{smtp_server.port} (none).\n"
    )
    (got,) = smtp_server.recorder.messages()
    msg = email.message_from_bytes(got.data, policy=policy.default)
    assert msg["Subject"].startswith("Thư thử của hệ thống theo dõi cải cách TTHC — ")
    assert msg["From"].addresses[0].display_name == "Văn phòng UBND"
    assert got.mail_from == "vanphong@namsach.gov.vn"
    # Again the same day: a test letter is outside the ledger, it goes as often as asked.
    assert run("mail", "test", "can.bo@namsach.gov.vn")[0] == 0
    assert len(smtp_server.recorder.messages()) == 2
    smtp_server.stop()
    code, out, _ = run("mail", "test", "can.bo@namsach.gov.vn")
    assert code == 1 and "từ chối kết nối" in out


def test_mail_retry_sends_what_is_due(
    run, db: Engine, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _smtp_env(monkeypatch, smtp_server)
    assert run("mail", "retry")[1] == "Không có thư nào đến lượt gửi lại.\n"
    an_hour_ago = clock.now() - dt.timedelta(hours=1)
    message = b"Subject: =?utf-8?q?Th=C6=B0?=\r\n\r\nx\r\n"
    key = ("digest", dt.date(2026, 12, 4), "dong.lac@namsach.gov.vn", "10657")
    delivery_id = deliveries.claim(db, *key, "Thư", message, an_hour_ago)
    assert delivery_id is not None
    deliveries.mark_failed(db, delivery_id, "Máy chủ thư từ chối kết nối", an_hour_ago)
    code, out, _ = run("mail", "list")
    assert "Tin nhắn cảnh báo của đơn vị 04/12/2026\tdong.lac@namsach.gov.vn (10657)" in out
    assert "lỗi, thử lại lúc" in out and "Máy chủ thư từ chối kết nối" in out
    code, out, _ = run("mail", "retry")
    assert code == 0
    assert out == "Đã gửi 1 thư, bỏ qua 0 thư đã gửi trước đó, lỗi 0 thư.\n"
    (got,) = smtp_server.recorder.messages()
    assert got.data == message  # the kept bytes, unchanged
    assert "\tđã gửi" in run("mail", "list")[1]
