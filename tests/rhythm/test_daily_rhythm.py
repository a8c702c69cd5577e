"""The issue's "done when": with the inbox and SMTP set, the day's export dropped in the folder
leads, without a click, to updated pages (a real production server on the same database), to
each unit's digest and the 17:00 report in a real SMTP server's mailbox (the scheduler on a
fast clock), and to the runs recorded for the data page. Expected figures by hand below."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import email
import io
from email import policy
from email.message import EmailMessage
from pathlib import Path

import openpyxl
import pytest
import requests

from dashboard.rhythm import jobs, scheduler
from dashboard.services import context
from dashboard.settings import Settings
from data_access import recipients, runs
from data_access.bootstrap import prepare_database
from tests.importer.files import csv_bytes
from tests.rhythm.test_schedule import FastClock
from tests.serving import production_server
from tests.smtp_server import SmtpServer

pytestmark = pytest.mark.slow

D = dt.datetime
KS = ("1.001193.000.00.00.H23", "Đăng ký khai sinh", "Hộ tịch")


def _row(n: int, code: str, unit: str, channel: str, received: str, due: str, finished: str,
         status: str) -> list[str]:  # fmt: skip
    return [str(n), code, unit, *KS, channel, received, received, due, finished, status,
            "Không", "", "", "", "", ""]  # fmt: skip


# Monday 3/3/2025, as the one-stop system exports it (title rows, names, dd/mm/yyyy):
# Đồng Lạc: HS-A1 online, resolved on time the same day; HS-A2 at the counter, still open, due
# 5/3 (due soon on Tuesday). Quốc Tuấn: HS-B1 received Thursday 27/2, due Friday 28/2,
# resolved Monday: late (days count, not hours: domain guide). The day, by hand: received 2
# (A1, A2), resolved 2 (A1, B1), overdue 1 (B1). Per unit: Đồng Lạc received 2, resolved 1,
# overdue 0; Quốc Tuấn 0, 1, 1, and 0 of 1 handled on time (B1, carried over into the day).
ROWS = [
    _row(1, "HS-A1", "Xã Đồng Lạc", "Trực tuyến", "03/03/2025 08:00", "05/03/2025 17:00",
         "03/03/2025 15:00", "Đã trả kết quả"),
    _row(2, "HS-A2", "Xã Đồng Lạc", "Trực tiếp", "03/03/2025 09:00", "05/03/2025 17:00", "",
         "Đang xử lý"),
    _row(3, "HS-B1", "Xã Quốc Tuấn", "Trực tiếp", "27/02/2025 10:00", "28/02/2025 16:00",
         "03/03/2025 16:30", "Đã trả kết quả"),
]  # fmt: skip

PEOPLE = {
    "10657": "vp.donglac@namsach.gov.vn",
    "10621": "vp.quoctuan@namsach.gov.vn",
}
CHAIRMAN, OFFICE = "chutich@namsach.gov.vn", "vanphong@namsach.gov.vn"


def _parse(data: bytes) -> EmailMessage:
    msg = email.message_from_bytes(data, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def _day_rows(base: str) -> dict[str, list[str]]:
    """The indicators table of 3/3/2025 downloaded from the running server, by unit code."""
    got = requests.get(f"{base}/xuat/bang/chi-so.csv", params={"ky": "2025-03-03"}, timeout=60)
    assert got.status_code == 200, got.text
    return {r[0]: r for r in csv.reader(io.StringIO(got.content.decode("utf-8-sig"))) if r}


def test_an_export_dropped_in_the_inbox_reaches_pages_and_mailboxes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tthc.sqlite3'}"
    engine = prepare_database(url, demo_on_empty=False)
    box = tmp_path / "hop-thu"
    box.mkdir()
    mail = SmtpServer().start()
    settings = dataclasses.replace(
        Settings.from_env({"DATABASE_URL": url, "TTHC_SMTP_SECURITY": "none"}),
        instance_dir=tmp_path,
        inbox=box,
        reports_dir=tmp_path / "bao-cao",
        smtp_host="127.0.0.1",
        smtp_port=mail.port,
        mail_from="Theo dõi TTHC <tthc@namsach.gov.vn>",
    )
    with engine.begin() as conn:
        for code, address in PEOPLE.items():
            recipients.add(conn, address, unit_code=code)
        recipients.add(conn, CHAIRMAN, role="lanh_dao")
        recipients.add(conn, OFFICE, role="van_phong")

    try:
        with production_server(url, tmp_path) as served:
            before = _day_rows(served.base)
            col = {name: i for i, name in enumerate(before["Mã đơn vị"])}
            on_time, overdue = col["Giải quyết trước hạn, đúng hạn"], col["Hồ sơ quá hạn"]
            assert (before["10621"][on_time], before["10621"][overdue]) == ("—", "0")

            dropped: list[dt.datetime] = []

            def drop_at_noon(_w: scheduler.Wake) -> None:
                if clk.t >= D(2025, 3, 3, 12, 0) and not dropped:
                    (box / "ho-so.csv").write_bytes(csv_bytes(ROWS))
                    (box / "ho-so.csv.done").write_bytes(b"")
                    dropped.append(clk.t)

            # Monday 06:00 to Tuesday 08:00, the inbox looked at every 5 minutes.
            clk = FastClock(D(2025, 3, 3, 6, 0), D(2025, 3, 4, 8, 0))
            with context.standalone(engine, settings):
                scheduler.serve(engine, settings, clk, drop_at_noon)
            after = _day_rows(served.base)  # the same running server, no click, no restart
    finally:
        mail.stop()

    # The page's table: Quốc Tuấn 1 received, 0 of 1 on time; Đồng Lạc 1 of 2 online.
    quoc_tuan, dong_lac = after["10621"], after["10657"]
    assert (quoc_tuan[on_time], quoc_tuan[overdue]) == ("0,00 %", "1")
    assert dong_lac[col["Tỷ lệ nộp hồ sơ trực tuyến"]] == "50,00 %"

    # The runs, as the data page lists them.
    recorded = sorted((r.job, r.slot, r.status, r.late) for r in runs.recent(engine, 50))
    assert [(j, s.strftime("%d %H:%M"), st) for j, s, st, _ in recorded] == [
        ("daily_report", "03 17:00", "ok"),
        ("digest", "03 07:30", "ok"),
        ("digest", "04 07:30", "ok"),
        ("inbox", "03 12:05", "ok"),
        ("scheduler", "03 06:00", "ok"),
    ]
    inbox_run = runs.recent(engine, 1, job="inbox")[0]
    assert inbox_run.result.startswith("Đã nhập dữ liệu. Tệp: ho-so.csv")
    assert (box / "da-nhap").is_dir() and not (box / "ho-so.csv").exists()

    # The mailbox: each unit's digest to its own address only, twice (Monday, Tuesday); the
    # office all of them; the 17:00 report to the chairman and the office.
    got = [(m.rcpt_tos, _parse(m.data)) for m in mail.recorder.messages()]
    subjects: dict[str, list[str]] = {}
    for tos, msg in got:
        assert len(tos) == 1
        subjects.setdefault(tos[0], []).append(str(msg["Subject"]))
    assert sorted(subjects) == sorted([*PEOPLE.values(), CHAIRMAN, OFFICE])
    assert subjects[PEOPLE["10657"]] == [
        "Hồ sơ cần xử lý ngày 03/03/2025 – UBND xã Đồng Lạc",
        "Hồ sơ cần xử lý ngày 04/03/2025 – UBND xã Đồng Lạc",
    ]
    assert subjects[PEOPLE["10621"]] == [
        "Hồ sơ cần xử lý ngày 03/03/2025 – UBND xã Quốc Tuấn",
        "Hồ sơ cần xử lý ngày 04/03/2025 – UBND xã Quốc Tuấn",
    ]
    assert len(subjects[OFFICE]) == 3 and len(subjects[CHAIRMAN]) == 1
    # Tuesday's digest for Đồng Lạc names its open dossier HS-A2 and nobody else's.
    tuesday = next(
        m for tos, m in got if tos == (PEOPLE["10657"],) and "04/03/2025" in str(m["Subject"])
    )
    body = tuesday.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "HS-A2" in text and "HS-B1" not in text

    report = next(m for tos, m in got if tos == (CHAIRMAN,))
    assert str(report["Subject"]).startswith("Báo cáo 17:00 ngày 03/03/2025 – ")
    plain = report.get_body(("plain",))
    assert plain is not None
    text = plain.get_content()
    assert "Trong ngày 03/03/2025: tiếp nhận 2, giải quyết 2, quá hạn 1." in text
    assert "- Đồng Lạc: tiếp nhận 2, giải quyết 1, quá hạn 0." in text
    assert "- Quốc Tuấn: tiếp nhận 0, giải quyết 1, quá hạn 1." in text
    html = report.get_body(("html",))
    assert html is not None
    cids = {str(p["Content-ID"]).strip("<>") for p in report.walk() if p["Content-ID"]}
    assert len(cids) == 2 and all(f"cid:{c}" in html.get_content() for c in cids)
    (name, book), *_ = [(p.get_filename(), p.get_content()) for p in report.iter_attachments()]
    assert name == "Báo cáo 17h ngày 03-03-2025.xlsx"
    sheets = openpyxl.load_workbook(io.BytesIO(book)).sheetnames
    assert sheets == ["Trong ngày", "Lũy kế tháng", "Không đạt chỉ tiêu"]

    # The same report sent again by hand: nothing goes twice.
    count = len(mail.recorder.messages())
    again_mail = SmtpServer(port=mail.port).start()
    try:
        with context.standalone(engine, settings):
            again = jobs.daily(engine, settings, dt.date(2025, 3, 3), True)
    finally:
        again_mail.stop()
    assert again_mail.recorder.messages() == [] and len(mail.recorder.messages()) == count
    assert "Đã gửi 0 thư, bỏ qua 2 thư đã gửi trước đó, lỗi 0 thư." in again.lines
    engine.dispose()
