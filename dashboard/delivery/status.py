"""A delivery's state in the office's words (the data page, `tthc mail`)."""

from __future__ import annotations

from data_access.deliveries import DeliveryRecord

KIND_LABELS = {
    "digest": "Tin nhắn cảnh báo của đơn vị",
    "daily_report": "Báo cáo ngày",
    "monthly_report": "Báo cáo tháng",
    "test": "Thư thử",
}


def status_text(d: DeliveryRecord) -> str:
    """In words: đã gửi, đang gửi — không rõ đã gửi chưa, lỗi, thử lại lúc 08:16 05/12/2026,
    đã bỏ sau 6 lần."""
    if d.status == "sent":
        return "đã gửi"
    if d.status == "sending":
        return "đang gửi — không rõ đã gửi chưa"
    if d.status == "failed":
        when = d.next_try_at.strftime("%H:%M %d/%m/%Y") if d.next_try_at else "—"
        return f"lỗi, thử lại lúc {when}"
    if d.status == "gave_up":
        return f"đã bỏ sau {d.attempts} lần"
    return d.status


def kind_text(kind: str) -> str:
    """The kind of a letter in words."""
    return KIND_LABELS.get(kind, kind)
