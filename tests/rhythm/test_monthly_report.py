"""The 1st of the month: the scheduler builds the month before's pack and mails its PDF,
workbook and letter to leadership, through a real SMTP server, on a fast clock."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import Engine

from dashboard.rhythm import scheduler
from dashboard.services import context
from dashboard.settings import Settings
from data_access import recipients, runs
from tests.rhythm.test_schedule import FastClock
from tests.smtp_server import SmtpServer

pytestmark = pytest.mark.slow
D = dt.datetime


def test_the_first_of_the_month_sends_the_pack(ref_engine: Engine, add, tmp_path: Path) -> None:
    if ref_engine.dialect.name != "sqlite":
        pytest.skip("the pack on PostgreSQL: tests/exports/test_pack_city.py")
    add("10657", [{"received_at": "2025-03-10 08:00", "due_at": "2025-03-12 17:00",
                   "finished_at": "2025-03-11 10:00"}])  # fmt: skip
    mail = SmtpServer().start()
    settings = dataclasses.replace(
        Settings.from_env({"DATABASE_URL": "sqlite://", "TTHC_SMTP_SECURITY": "none"}),
        reports_dir=tmp_path / "bao-cao", smtp_host="127.0.0.1", smtp_port=mail.port,
    )  # fmt: skip
    with ref_engine.begin() as conn:
        recipients.add(conn, "chutich@namsach.gov.vn", role="lanh_dao")
    try:
        with context.standalone(ref_engine, settings):
            # Monday 31/3 18:00 to Tuesday 1/4/2025 07:10: the 1st's 07:00 slot only.
            scheduler.serve(
                ref_engine, settings, FastClock(D(2025, 3, 31, 18), D(2025, 4, 1, 7, 10))
            )
    finally:
        mail.stop()
    month = runs.recent(ref_engine, 5, job="monthly_report")
    assert [(r.slot, r.status, r.late) for r in month] == [(D(2025, 4, 1, 7, 0), "ok", False)]
    assert month[0].result.startswith("Bộ báo cáo Tháng 3/2025:")
    names = {Path(f).name for f in month[0].files}
    assert {
        "bao-cao-tthc-2025-03.pdf",
        "bao-cao-tthc-2025-03.pptx",
        "bao-cao-tthc-2025-03.xlsx",
    } <= names
    assert all(Path(f).is_file() for f in month[0].files)
    (got,) = mail.recorder.messages()
    msg = email.message_from_bytes(got.data, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    assert got.rcpt_tos == ("chutich@namsach.gov.vn",)
    assert str(msg["Subject"]) == "Bộ báo cáo cải cách TTHC tháng 3/2025"
    attached = sorted(p.get_filename() or "" for p in msg.iter_attachments())
    # The pack's PDF, its workbook, the letter and the result report; the .pptx stays on disk.
    assert sorted(Path(a).suffix for a in attached) == [".docx", ".docx", ".pdf", ".xlsx", ".xlsx"]
    pdf = next(p for p in msg.iter_attachments() if (p.get_filename() or "").endswith(".pdf"))
    assert pdf.get_content().startswith(b"%PDF")
