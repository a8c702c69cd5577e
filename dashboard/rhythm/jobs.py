"""The scheduled jobs: the morning digest, the 17:00 daily report and the monthly report and
pack. Each writes its files under the reports folder and, when mail is set up, sends them to
their recipients; the scheduler (scheduler.py) and the CLI (`tthc digest --send`, `tthc
daily-report --send`) run the same functions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from dashboard.domain.formatting import fmt_date, fmt_int
from dashboard.domain.periods import month
from dashboard.domain.query import ViewQuery
from dashboard.domain.schedule import Job
from dashboard.exports import daily_report as report_files
from dashboard.exports import warnings as digest_files
from dashboard.services import daily_report, officers, warning_view
from dashboard.settings import Settings


@dataclass
class Outcome:
    """What a job did: ok or not, its lines in Vietnamese, the files it wrote."""

    ok: bool = True
    lines: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def scheduled(settings: Settings) -> list[Job]:
    """The jobs the scheduler runs at set times (the inbox runs on its own interval)."""
    return [
        Job("digest", "Tin nhắn buổi sáng", "working_day", settings.digest_at),
        Job("daily_report", "Báo cáo 17:00", "working_day", settings.daily_report_at),
        Job("monthly_report", "Báo cáo tháng và bộ báo cáo", "monthly", settings.monthly_report_at),
    ]


LABELS = {
    "inbox": "Hộp thư nhập tự động",
    "scheduler": "Khởi động lịch chạy",
    "digest": "Tin nhắn buổi sáng",
    "daily_report": "Báo cáo 17:00",
    "monthly_report": "Báo cáo tháng và bộ báo cáo",
}


def setup_lines(settings: Settings) -> list[str]:
    """What runs by itself and when, in words (the data page, above the runs)."""
    at = "%H:%M"
    inbox = (
        f"Hộp thư: {settings.inbox} — xem mỗi {settings.inbox_minutes} phút; tệp .csv, .xlsx, "
        f".json ghi xong (có tệp <tên>.done, hoặc không đổi {settings.inbox_settle_seconds:g} "
        "giây) được nhập rồi chuyển vào da-nhap/, tệp bị từ chối vào loi/."
        if settings.inbox
        else "Hộp thư: chưa đặt (TTHC_INBOX); tệp được nhập tại trang này hoặc bằng tthc import."
    )
    return [
        inbox,
        f"Tin nhắn buổi sáng {settings.digest_at:{at}} và báo cáo {settings.daily_report_at:{at}} "
        f"mỗi ngày làm việc; báo cáo tháng và bộ báo cáo {settings.monthly_report_at:{at}} ngày 1. "
        "Chạy bởi tiến trình lịch (tthc scheduler); lần lỡ giờ được chạy bù khi khởi động lại.",
    ]


def reports_dir(settings: Settings, day: dt.date) -> Path:
    """The folder of one day's scheduled files."""
    base = settings.reports_dir or settings.instance_dir / "bao-cao"
    return base / day.isoformat()


# -- the morning digest ----------------------------------------------------------------------
def digest(
    engine: Engine, settings: Settings, day: dt.date, send: bool, out_dir: Path | None = None,
    q: ViewQuery | None = None,
) -> Outcome:  # fmt: skip
    """Each unit's morning message and the warning workbook as of `day` (`q`: the CLI's
    filters, with its as-of day)."""
    q = q if q is not None else ViewQuery(as_of=day.isoformat())
    view = warning_view.warnings(q)
    per_officer = officers.warning_lines(view)
    stale = digest_files.stale_text(view.warnings, view.newest, view.missing_day)
    written = digest_files.write_digest(
        view.warnings, view.outlooks, view.newest,
        out_dir or reports_dir(settings, day) / "tin-nhan", stale, per_officer,
    )  # fmt: skip
    out = Outcome(
        lines=[
            f"{digest_files.as_of_text(view.warnings, view.newest)}: {fmt_int(written.units)} "
            f"đơn vị, {fmt_int(written.warned)} hồ sơ cần xử lý."
        ],
        files=list(written.files),
    )
    if stale:
        out.lines.insert(0, f"Lưu ý: {stale}")
    if send:
        _send(out, engine, settings, "digest", day, lambda: _digest_letters(view, per_officer))
    return out


# -- the 17:00 report ------------------------------------------------------------------------
def daily(
    engine: Engine, settings: Settings, day: dt.date, send: bool, out_dir: Path | None = None
) -> Outcome:
    """The day's figures and the month to date, with who is below target."""
    r = daily_report.build(day)
    name = r.month.era.name
    written = report_files.write(r, name, out_dir or reports_dir(settings, day))
    out = Outcome(
        lines=[f"{report_files.subject(r, name)} ({fmt_int(len(r.below))} chỉ số không đạt)."],
        files=written.files,
    )
    if r.stale:
        out.lines.append("Lưu ý: chưa có dữ liệu của ngày; báo cáo theo dữ liệu mới nhất.")
    if send:
        _send(out, engine, settings, "daily_report", day, lambda: _daily_letters(r, name, written))
    return out


# -- the monthly report and pack -------------------------------------------------------------
def monthly(
    engine: Engine, settings: Settings, day: dt.date, send: bool, out_dir: Path | None = None
) -> Outcome:
    """The briefing pack (with the 766 league) of the month before `day`."""
    from dashboard.exports import pack

    last = day.replace(day=1) - dt.timedelta(days=1)
    period = month(last.year, last.month)
    built = pack.build(
        ViewQuery(period=period.key), out_dir or reports_dir(settings, day) / "thang",
        day + dt.timedelta(days=7),
    )  # fmt: skip
    out = Outcome(
        lines=[f"Bộ báo cáo {period.label}: {built.images} biểu đồ, {built.seconds:.1f} s."],
        files=list(built.files),
    )
    if send:
        _send(
            out,
            engine,
            settings,
            "monthly_report",
            day,
            lambda: _monthly_letters(built, period.label),
        )
    return out


RUNNERS: dict[str, Callable[..., Outcome]] = {
    "digest": digest,
    "daily_report": daily,
    "monthly_report": monthly,
}


def _send(
    out: Outcome, engine: Engine, settings: Settings, kind: str, day: dt.date, letters
) -> None:
    """Mail a job's letters (hooked in with the mail delivery)."""
    out.lines.append(f"Chưa gửi thư ({kind}, {fmt_date(day)}): chưa cấu hình thư điện tử.")


def retry_mail(engine: Engine, settings: Settings) -> int:
    """Send again the letters whose failure's wait is over; how many went."""
    return 0


def _digest_letters(view, per_officer):  # pragma: no cover - filled with the mail delivery
    return []


def _daily_letters(r, name, written):  # pragma: no cover - filled with the mail delivery
    return []


def _monthly_letters(built, label):  # pragma: no cover - filled with the mail delivery
    return []
