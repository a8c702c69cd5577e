"""The scheduled jobs: the morning digest, the 17:00 daily report and the monthly report and
pack. Each writes its files under the reports folder and, when mail is set up, sends them to
their recipients; the scheduler (scheduler.py) and the CLI (`tthc digest --send`, `tthc
daily-report --send`) run the same functions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from dashboard.delivery import outbox
from dashboard.delivery.letters import Letter
from dashboard.domain.formatting import fmt_int
from dashboard.domain.periods import month
from dashboard.domain.query import ViewQuery
from dashboard.domain.schedule import Job
from dashboard.exports import daily_report as report_files
from dashboard.exports import warnings as digest_files
from dashboard.rhythm import letters
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
    "mail_retry": "Gửi lại thư bị lỗi",
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
    q: ViewQuery | None = None, now: dt.datetime | None = None,
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
        own, office = letters.digest(view, written.texts)
        _mail(out, engine, settings, own, [(office, "van_phong")], now)
    return out


# -- the 17:00 report ------------------------------------------------------------------------
def daily(
    engine: Engine, settings: Settings, day: dt.date, send: bool, out_dir: Path | None = None,
    now: dt.datetime | None = None,
) -> Outcome:  # fmt: skip
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
        letter = letters.daily(r, name, written.images, written.xlsx)
        _mail(out, engine, settings, [], [(letter, role) for role in LEADERS], now)
    return out


# -- the monthly report and pack -------------------------------------------------------------
def monthly(
    engine: Engine, settings: Settings, day: dt.date, send: bool, out_dir: Path | None = None,
    now: dt.datetime | None = None,
) -> Outcome:  # fmt: skip
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
        letter = letters.monthly(day, period.label, built.files)
        _mail(out, engine, settings, [], [(letter, role) for role in LEADERS], now)
    return out


RUNNERS: dict[str, Callable[..., Outcome]] = {
    "digest": digest,
    "daily_report": daily,
    "monthly_report": monthly,
}


# The reports go to leadership and the office; each unit receives only its own digest.
LEADERS = ("lanh_dao", "van_phong")


def _mail(
    out: Outcome,
    engine: Engine,
    settings: Settings,
    unit_letters: Sequence[Letter],
    role_letters: Sequence[tuple[Letter, str]],
    now: dt.datetime | None,
) -> None:
    """Send each unit's letters to its own addresses and each role letter to its role's; an
    address listed under two roles receives a letter once. What happened joins `out.lines`;
    a failure waits for its retry (the ledger), the run itself stays done."""
    if not settings.smtp_host:
        out.lines.append("Không gửi thư: chưa đặt máy chủ thư (TTHC_SMTP_HOST).")
        return
    with engine.connect() as conn:
        pairs = outbox.addressed(conn, unit_letters)
        for letter, role in role_letters:
            pairs += outbox.addressed(conn, [letter], role=role)
    unique = list({(id(letter), address): (letter, address) for letter, address in pairs}.values())
    if not unique:
        out.lines.append("Không gửi thư: chưa có người nhận (trang Người nhận thư).")
        return
    out.lines += outbox.send_letters(engine, settings, unique, now=now).lines()


def retry_mail(engine: Engine, settings: Settings, now: dt.datetime | None = None) -> Outcome:
    """Send again the letters whose wait after a failure is over (no lines: none was due)."""
    if not settings.smtp_host:
        return Outcome()
    result = outbox.retry_due(engine, settings, now=now)
    return Outcome(not result.failed, result.lines() if result.results else [])
