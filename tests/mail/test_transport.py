"""Letters made into messages and sent to a real SMTP server on 127.0.0.1; what it received is
parsed back and compared with the exact strings written (Vietnamese subject, text, HTML,
attachment name, inline image by content id)."""

from __future__ import annotations

import datetime as dt
import email
import threading
from email import policy

import pytest
from dash.testing.wait import until

from dashboard.delivery import letters, smtp
from dashboard.delivery.letters import Letter
from tests.serving import free_port
from tests.smtp_server import PASSWORD, USER, Certificate, SmtpServer

SUBJECT = "Báo cáo ngày 04/12/2026 — Khu vực Nam Sách: 3 hồ sơ quá hạn"
TEXT = "Kính gửi đồng chí Chủ tịch,\nSố hồ sơ quá hạn hôm nay: 3 (Xã Trần Phú 2, Xã Thái Tân 1).\n"
HTML = (
    "<p>Kính gửi đồng chí Chủ tịch,</p>"
    '<p><img src="cid:bieu-do-1@tthc" alt="Biểu đồ hồ sơ quá hạn"></p>'
)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4  # any bytes: they must arrive unchanged
XLSX = b"PK\x03\x04" + "Bảng tổng hợp".encode() * 50
XLSX_NAME = "Báo cáo ngày 04-12-2026 (Khu vực Nam Sách).xlsx"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SENDER = "Theo dõi TTHC <tthc@namsach.gov.vn>"
TO = "lanh.dao@namsach.gov.vn"


def report_letter() -> Letter:
    return Letter(
        kind="daily_report",
        day=dt.date(2026, 12, 4),
        unit_code="",
        subject=SUBJECT,
        text=TEXT,
        html=HTML,
        images=[("bieu-do-1@tthc", PNG)],
        attachments=[(XLSX_NAME, XLSX_TYPE, XLSX)],
    )


def config(server: SmtpServer, **kw) -> smtp.SmtpConfig:
    return smtp.SmtpConfig(
        "127.0.0.1", server.port, kw.pop("security", "none"), sender=SENDER, **kw
    )


def parsed(data: bytes) -> email.message.EmailMessage:
    msg = email.message_from_bytes(data, policy=policy.default)
    assert isinstance(msg, email.message.EmailMessage)
    return msg


def test_a_vietnamese_report_arrives_exactly_as_written(smtp_server: SmtpServer) -> None:
    data = letters.to_bytes(report_letter(), SENDER, TO)
    assert max(data) < 128  # 7-bit clean: no relay needs 8BITMIME or SMTPUTF8
    smtp.send(config(smtp_server), data, TO)
    (got,) = smtp_server.recorder.messages()
    assert got.mail_from == "tthc@namsach.gov.vn" and got.rcpt_tos == (TO,)
    msg = parsed(got.data)
    assert msg["Subject"] == SUBJECT
    assert msg["To"] == TO
    assert msg["From"].addresses[0].display_name == "Theo dõi TTHC"
    assert msg["Message-ID"].endswith("@namsach.gov.vn>")
    assert msg.get_content_type() == "multipart/mixed"
    assert msg.get_body(("plain",)).get_content() == TEXT.replace("\n", "\r\n")
    assert msg.get_body(("html",)).get_content().replace("\r\n", "") == HTML
    # The image the HTML names by cid: is beside it, in the same multipart/related.
    related = next(p for p in msg.walk() if p.get_content_type() == "multipart/related")
    image = next(p for p in related.iter_parts() if p.get_content_type() == "image/png")
    assert image["Content-ID"] == "<bieu-do-1@tthc>"
    assert image.get_content_disposition() == "inline"
    assert image.get_content() == PNG
    (attachment,) = list(msg.iter_attachments())
    assert attachment.get_filename() == XLSX_NAME
    assert attachment.get_content_type() == XLSX_TYPE
    assert attachment.get_content() == XLSX
    assert b"filename*" in got.data  # the name as RFC 2231 says, not as raw UTF-8


def test_a_text_letter_is_one_plain_part(smtp_server: SmtpServer) -> None:
    letter = Letter("digest", dt.date(2026, 12, 4), "10657", "Cảnh báo hồ sơ — Đồng Lạc", "Ổn.\n")
    smtp.send(config(smtp_server), letters.to_bytes(letter, "tthc@localhost", TO), TO)
    msg = parsed(smtp_server.recorder.messages()[0].data)
    assert msg.get_content_type() == "text/plain"
    assert msg.get_content() == "Ổn.\r\n"
    assert msg["Subject"] == "Cảnh báo hồ sơ — Đồng Lạc"


def test_a_subject_never_breaks_into_a_second_header(smtp_server: SmtpServer) -> None:
    letter = Letter("digest", dt.date(2026, 12, 4), "10657", "Dòng một\r\nBcc: x@y.vn", "x\n")
    smtp.send(config(smtp_server), letters.to_bytes(letter, "tthc@localhost", TO), TO)
    msg = parsed(smtp_server.recorder.messages()[0].data)
    assert msg["Subject"] == "Dòng một Bcc: x@y.vn" and msg["Bcc"] is None


def test_one_session_sends_several_and_survives_a_refused_address(
    smtp_server: SmtpServer,
) -> None:
    smtp_server.recorder.refuse["khong.co@namsach.gov.vn"] = "550 5.1.1 Không có hộp thư này"
    letter = Letter("digest", dt.date(2026, 12, 4), "10657", "Thư", "x\n")
    with smtp.Mailer(config(smtp_server)) as mailer:
        mailer.send(letters.to_bytes(letter, SENDER, "a@namsach.gov.vn"), "a@namsach.gov.vn")
        with pytest.raises(smtp.SendError) as refused:
            mailer.send(letters.to_bytes(letter, SENDER, "x@y.vn"), "khong.co@namsach.gov.vn")
        mailer.send(letters.to_bytes(letter, SENDER, "b@namsach.gov.vn"), "b@namsach.gov.vn")
    assert refused.value.permanent and not refused.value.uncertain
    assert str(refused.value) == (
        "Máy chủ thư không nhận địa chỉ khong.co@namsach.gov.vn: 550 5.1.1 Không có hộp thư này"
    )
    assert [m.rcpt_tos for m in smtp_server.recorder.messages()] == [
        ("a@namsach.gov.vn",),
        ("b@namsach.gov.vn",),
    ]


def test_a_message_refused_for_now_is_not_permanent(smtp_server: SmtpServer) -> None:
    smtp_server.recorder.data_answer = "451 4.3.0 Thử lại sau"
    with pytest.raises(smtp.SendError) as exc:
        smtp.send(config(smtp_server), b"Subject: x\r\n\r\nx\r\n", TO)
    assert not exc.value.permanent and not exc.value.uncertain
    assert str(exc.value) == "Máy chủ thư không nhận thư: 451 4.3.0 Thử lại sau"


def test_a_closed_port_is_said_in_one_vietnamese_line() -> None:
    port = free_port()  # nobody listens there
    with pytest.raises(smtp.SendError) as exc:
        smtp.send(smtp.SmtpConfig("127.0.0.1", port, "none"), b"x", TO)
    assert str(exc.value) == (
        f"Máy chủ thư 127.0.0.1:{port} từ chối kết nối (kiểm tra TTHC_SMTP_HOST, TTHC_SMTP_PORT)"
    )
    assert not exc.value.permanent and not exc.value.uncertain
    # A batch does not knock again on a door that stayed shut: every message fails at once.
    with smtp.Mailer(smtp.SmtpConfig("127.0.0.1", port, "none")) as mailer:
        errors = []
        for _ in range(3):
            with pytest.raises(smtp.SendError) as each:
                mailer.send(b"x", TO)
            errors.append(str(each.value))
    assert errors == [str(exc.value)] * 3


def test_no_server_set_is_said() -> None:
    with pytest.raises(smtp.SendError, match="Chưa đặt máy chủ thư"):
        smtp.send(smtp.SmtpConfig("", 25, "none"), b"x", TO)


def test_an_answer_that_never_comes_after_the_message_is_uncertain(
    smtp_server: SmtpServer,
) -> None:
    """The server took the bytes and went quiet: the message may have arrived (the server has
    it), so it must not be sent again."""
    release = threading.Event()
    smtp_server.recorder.hold = release
    try:
        with pytest.raises(smtp.SendError) as exc:
            smtp.send(config(smtp_server, timeout=1), b"Subject: x\r\n\r\nx\r\n", TO)
    finally:
        release.set()
    assert exc.value.uncertain and not exc.value.permanent
    assert "không rõ thư đã đến chưa" in str(exc.value)
    until(lambda: smtp_server.recorder.handed, timeout=10)  # the server has it
    assert smtp_server.recorder.handed == [b"Subject: x\r\n\r\nx\r\n"]


def test_starttls_with_a_login(certificate: Certificate) -> None:
    server = SmtpServer(tls="starttls", certificate=certificate).start()
    try:
        trusted = certificate.client_context()
        cfg = config(server, security="starttls", user=USER, password=PASSWORD, context=trusted)
        smtp.send(cfg, letters.to_bytes(report_letter(), SENDER, TO), TO)
        assert server.recorder.logins == [USER]
        assert parsed(server.recorder.messages()[0].data)["Subject"] == SUBJECT
        # A wrong password, no login, and a certificate nobody vouches for: each said.
        wrong = config(server, security="starttls", user=USER, password="sai", context=trusted)
        with pytest.raises(smtp.SendError, match="không nhận tên đăng nhập hoặc mật khẩu"):
            smtp.send(wrong, b"x", TO)
        anonymous = config(server, security="starttls", context=trusted)
        with pytest.raises(smtp.SendError, match="yêu cầu đăng nhập"):
            smtp.send(anonymous, b"x", TO)
        untrusted = config(server, security="starttls", user=USER, password=PASSWORD)
        with pytest.raises(smtp.SendError, match="Chứng chỉ TLS của máy chủ thư .* không hợp lệ"):
            smtp.send(untrusted, b"x", TO)
        assert len(server.recorder.messages()) == 1
    finally:
        server.stop()


def test_starttls_asked_of_a_server_without_it(smtp_server: SmtpServer) -> None:
    with pytest.raises(smtp.SendError, match="không hỗ trợ STARTTLS"):
        smtp.send(config(smtp_server, security="starttls"), b"x", TO)
    assert smtp_server.recorder.messages() == []


def test_tls_from_the_start(certificate: Certificate) -> None:
    server = SmtpServer(tls="ssl", certificate=certificate).start()
    try:
        cfg = config(server, security="ssl", context=certificate.client_context())
        smtp.send(cfg, letters.to_bytes(report_letter(), SENDER, TO), TO)
        assert parsed(server.recorder.messages()[0].data)["Subject"] == SUBJECT
    finally:
        server.stop()
