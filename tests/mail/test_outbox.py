"""Letters through the outbox to a real SMTP server: each unit gets only its own, nothing goes
twice, a server that is down leads to a retry that sends once it is up, and a message whose
outcome is unknown stays unsent."""

from __future__ import annotations

import datetime as dt
import email
import threading
from email import policy
from pathlib import Path

import pytest
from dash.testing.wait import until
from sqlalchemy import Engine, func, select

from dashboard.delivery import outbox
from dashboard.delivery.letters import Letter
from dashboard.settings import Settings
from data_access import deliveries, recipients
from data_access.rhythm_models import Delivery
from tests.serving import free_port
from tests.smtp_server import SmtpServer

DAY = dt.date(2026, 12, 4)
NOW = dt.datetime(2026, 12, 4, 7, 0)


def settings_for(port: int, tmp_path: Path) -> Settings:
    return Settings(
        database_url="sqlite://",
        instance_dir=tmp_path,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_security="none",
        mail_from="Theo dõi TTHC <tthc@namsach.gov.vn>",
    )


def digest(unit_code: str, name: str) -> Letter:
    return Letter("digest", DAY, unit_code, f"Cảnh báo hồ sơ ngày 04/12/2026 — {name}", f"{name}\n")


def subject_of(data: bytes) -> str:
    return str(email.message_from_bytes(data, policy=policy.default)["Subject"])


def rows(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Delivery)).scalar_one()


def test_each_unit_gets_its_own_digest_once(
    db: Engine, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    with db.begin() as conn:
        recipients.add(conn, "dong.lac@namsach.gov.vn", unit_code="10657")
        recipients.add(conn, "ca.hai@namsach.gov.vn", unit_code="10657")
        recipients.add(conn, "nam.tan@namsach.gov.vn", unit_code="10612")
        recipients.add(conn, "chu.tich@namsach.gov.vn", role="lanh_dao")
        letters = [digest("10657", "Đồng Lạc"), digest("10612", "Nam Tân"), digest("10606", "X")]
        pairs = outbox.addressed(conn, letters)
        report = Letter("daily_report", DAY, "", "Báo cáo ngày 04/12/2026", "Tổng hợp\n")
        pairs += outbox.addressed(conn, [report], role="lanh_dao")
    settings = settings_for(smtp_server.port, tmp_path)
    outcome = outbox.send_letters(db, settings, pairs, NOW)
    assert (len(outcome.sent), len(outcome.skipped), len(outcome.failed)) == (4, 0, 0)
    got = {(m.rcpt_tos, subject_of(m.data)) for m in smtp_server.recorder.messages()}
    assert got == {
        (("ca.hai@namsach.gov.vn",), "Cảnh báo hồ sơ ngày 04/12/2026 — Đồng Lạc"),
        (("dong.lac@namsach.gov.vn",), "Cảnh báo hồ sơ ngày 04/12/2026 — Đồng Lạc"),
        (("nam.tan@namsach.gov.vn",), "Cảnh báo hồ sơ ngày 04/12/2026 — Nam Tân"),
        (("chu.tich@namsach.gov.vn",), "Báo cáo ngày 04/12/2026"),
    }
    # Sent again (a second run, a second process): nothing goes out twice.
    again = outbox.send_letters(db, settings, pairs, NOW + dt.timedelta(hours=1))
    assert (len(again.sent), len(again.skipped), len(again.failed)) == (0, 4, 0)
    assert again.skipped[0].detail == "đã gửi lúc 07:00 04/12/2026"
    assert again.lines()[0] == "Đã gửi 0 thư, bỏ qua 4 thư đã gửi trước đó, lỗi 0 thư."
    assert len(smtp_server.recorder.messages()) == 4


def test_a_server_down_is_retried_once_it_is_up(db: Engine, tmp_path: Path) -> None:
    port = free_port()  # nobody listens yet
    settings = settings_for(port, tmp_path)
    letter = digest("10657", "Đồng Lạc")
    outcome = outbox.send_letters(db, settings, [(letter, "Dong.Lac@NamSach.gov.vn")], NOW)
    (failed,) = outcome.failed
    assert failed.address == "dong.lac@namsach.gov.vn"  # kept as listed: lower case
    assert failed.detail == (
        f"Máy chủ thư 127.0.0.1:{port} từ chối kết nối (kiểm tra TTHC_SMTP_HOST, "
        "TTHC_SMTP_PORT) — lỗi, thử lại lúc 07:01 04/12/2026"
    )
    # A second run before the wait is over sends nothing and says why.
    early = outbox.send_letters(db, settings, [(letter, "dong.lac@namsach.gov.vn")], NOW)
    assert early.skipped[0].detail == "lỗi, thử lại lúc 07:01 04/12/2026"
    server = SmtpServer(port=port).start()
    try:
        not_yet = outbox.retry_due(db, settings, dt.datetime(2026, 12, 4, 7, 0, 59))
        assert not_yet.results == [] and server.recorder.messages() == []
        done = outbox.retry_due(db, settings, dt.datetime(2026, 12, 4, 7, 1))
        assert [r.outcome for r in done.results] == ["sent"]
        (got,) = server.recorder.messages()
        assert got.rcpt_tos == ("dong.lac@namsach.gov.vn",)
        assert subject_of(got.data) == "Cảnh báo hồ sơ ngày 04/12/2026 — Đồng Lạc"
        assert outbox.retry_due(db, settings, dt.datetime(2026, 12, 5)).results == []
        later = outbox.send_letters(db, settings, [(letter, "dong.lac@namsach.gov.vn")], NOW)
        assert later.sent == [] and len(server.recorder.messages()) == 1
    finally:
        server.stop()
    (record,) = deliveries.recent(db)
    assert (record.status, record.attempts, record.last_error) == ("sent", 2, "")


def test_an_unknown_outcome_stays_unsent(
    db: Engine, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    from dashboard.delivery import smtp

    release = threading.Event()
    smtp_server.recorder.hold = release
    quick = smtp.SmtpConfig(
        "127.0.0.1", smtp_server.port, "none", sender="tthc@namsach.gov.vn", timeout=1
    )
    settings = settings_for(smtp_server.port, tmp_path)
    letter = digest("10657", "Đồng Lạc")
    try:
        outcome = outbox.send_letters(
            db, settings, [(letter, "dong.lac@namsach.gov.vn")], NOW, config=quick
        )
    finally:
        release.set()
    assert [r.outcome for r in outcome.results] == ["uncertain"]
    smtp_server.recorder.hold = None
    assert outbox.retry_due(db, settings, NOW + dt.timedelta(days=1)).results == []
    again = outbox.send_letters(db, settings, [(letter, "dong.lac@namsach.gov.vn")], NOW)
    assert again.skipped[0].detail == "đang gửi — không rõ đã gửi chưa"
    until(lambda: smtp_server.recorder.handed, timeout=10)
    assert len(smtp_server.recorder.handed) == 1  # handed over once, never again


def test_nothing_is_claimed_without_a_server_or_for_a_bad_address(
    db: Engine, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    letter = digest("10657", "Đồng Lạc")
    unset = Settings(database_url="sqlite://", instance_dir=tmp_path)
    with pytest.raises(ValueError, match="Chưa đặt máy chủ thư"):
        outbox.send_letters(db, unset, [(letter, "dong.lac@namsach.gov.vn")])
    bad = outbox.send_letters(
        db, settings_for(smtp_server.port, tmp_path), [(letter, "khong-phai-dia-chi")]
    )
    assert [r.outcome for r in bad.results] == ["failed"]
    assert rows(db) == 0 and smtp_server.recorder.messages() == []


def test_a_bad_sender_is_said_before_anything_is_claimed(db: Engine, smtp_server) -> None:
    import dataclasses

    base = Settings.from_env({"TTHC_SMTP_SECURITY": "none"})
    letter = Letter("test", dt.date(2026, 12, 4), "", "Thư thử", "Nội dung")
    for sender, said in (
        ("không hợp lệ", "TTHC_MAIL_FROM «không hợp lệ» không phải địa chỉ thư hợp lệ"),
        ("tthc@namsach.gov.vn\r\nBcc: x@y.vn", "TTHC_MAIL_FROM có ký tự xuống dòng"),
    ):
        settings = dataclasses.replace(
            base, smtp_host="127.0.0.1", smtp_port=smtp_server.port, mail_from=sender
        )
        with pytest.raises(ValueError, match=said):
            outbox.send_letters(db, settings, [(letter, "a@namsach.gov.vn")])
    assert deliveries.recent(db) == [] and smtp_server.recorder.messages() == []
