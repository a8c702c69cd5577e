"""The data page's "Việc chạy tự động" and "Thư chưa gửi được" as layouts of their inputs: what
an office reads about runs that were late, missed or failed, and letters not sent."""

from __future__ import annotations

import datetime as dt

from dash import html

from dashboard.rhythm.jobs import LABELS, setup_lines
from dashboard.settings import Settings
from data_access.deliveries import DeliveryRecord
from data_access.runs import RunRow
from layouts import data as view

D = dt.datetime


def _text(node) -> str:
    """Every string under a Dash component, in order."""
    if isinstance(node, str):
        return node
    if isinstance(node, (list, tuple)):
        return " ".join(_text(n) for n in node)
    children = getattr(node, "children", None)
    return "" if children is None else _text(children)


def test_runs_say_late_missed_and_failed_in_words() -> None:
    rows = [
        RunRow(3, "daily_report", D(2025, 3, 6, 17), D(2025, 3, 7, 9), D(2025, 3, 7, 9, 0, 4),
               "ok", True, "Chạy bù lúc 09:00 07/03/2025: máy chủ không chạy lúc 17:00 06/03/2025.",
               ("/srv/bao-cao/2025-03-06/2025-03-06-bao-cao-17h.xlsx",)),
        RunRow(2, "digest", D(2025, 3, 6, 7, 30), None, None, "missed", False, "Bỏ lỡ", ()),
        RunRow(1, "inbox", D(2025, 3, 5, 12, 5), D(2025, 3, 5, 12, 5), D(2025, 3, 5, 12, 5),
               "failed", False, "Tệp bị từ chối: không ghi gì vào cơ sở dữ liệu.", ()),
    ]  # fmt: skip
    settings = Settings.from_env({"TTHC_INBOX": "/srv/hop-thu"})
    text = _text(view.runs_table(rows, LABELS, setup_lines(settings)))
    assert "Hộp thư: /srv/hop-thu — xem mỗi 5 phút" in text
    assert "17:00 06/03/2025 Báo cáo 17:00 Xong  · chạy bù Chạy bù lúc 09:00 07/03/2025" in text
    assert "2025-03-06-bao-cao-17h.xlsx" in text and "/srv/bao-cao" not in text
    assert "07:30 06/03/2025 Tin nhắn buổi sáng Bỏ lỡ Bỏ lỡ" in text  # not "chạy bù": not run
    assert "12:05 05/03/2025 Hộp thư nhập tự động Lỗi Tệp bị từ chối" in text
    empty = _text(view.runs_table([], LABELS, setup_lines(Settings.from_env({}))))
    assert "Hộp thư: chưa đặt (TTHC_INBOX)" in empty and "Chưa có lần chạy nào." in empty


def test_unsent_letters_are_listed_with_their_next_try() -> None:
    failed = DeliveryRecord(
        7, "daily_report", dt.date(2025, 3, 3), "chutich@namsach.gov.vn", "",
        "Báo cáo 17:00 ngày 03/03/2025", "failed", 2, "Máy chủ thư 127.0.0.1:1 từ chối kết nối",
        D(2025, 3, 3, 17, 6), None, D(2025, 3, 3, 17, 1),
    )  # fmt: skip
    text = _text(view.unsent_mail([failed], configured=True))
    assert "chutich@namsach.gov.vn" in text
    assert "lỗi, thử lại lúc 17:06 03/03/2025" in text
    assert "Máy chủ thư 127.0.0.1:1 từ chối kết nối" in text
    assert "Mọi thư đã gửi." in _text(view.unsent_mail([], configured=True))
    off = view.unsent_mail([], configured=False)
    assert isinstance(off, html.P) and "Chưa đặt máy chủ thư (TTHC_SMTP_HOST)" in _text(off)
