"""`tthc recipients …` (who receives mail) and `tthc mail …` (a test letter, the retries now,
the newest deliveries)."""

from __future__ import annotations

import argparse
import getpass

from dashboard.cli import common
from dashboard.settings import Settings

COLUMNS = ("email", "unit_code", "unit_name", "role", "added_at", "added_by")


def _cmd_recipients(args: argparse.Namespace, settings: Settings) -> int:
    """Add, list or remove the addresses that receive a unit's digest or a role's reports
    (changes audited)."""
    from data_access import accounts, recipients

    engine = common.open_database(settings, reading=args.action == "list")
    actor = getpass.getuser()
    with engine.begin() as conn:
        if args.action == "list":
            rows = [
                {
                    "email": r.email,
                    "unit_code": r.unit_code,
                    "unit_name": r.unit_name,
                    "role": r.role,
                    "added_at": r.added_at.isoformat(sep=" ")
                    if args.format != "table"
                    else f"{r.added_at:%d/%m/%Y %H:%M}",
                    "added_by": r.added_by,
                    "target": r.target,
                }
                for r in recipients.all_recipients(conn)
            ]
            if not rows and args.format == "table":
                print("Chưa có người nhận thư nào.")
                return 0
            common.emit(
                rows,
                COLUMNS,
                [("email", "Địa chỉ"), ("target", "Nhận thư của"), ("added_at", "Thêm lúc"),
                 ("added_by", "Người thêm")],
                args.format,
            )  # fmt: skip
            return 0
        if not args.email:
            raise ValueError("Cần địa chỉ thư")
        if args.action == "add":
            r = recipients.add(conn, args.email, args.unit or "", args.role or "", actor)
            accounts.audit(conn, actor, "them_nguoi_nhan_thu", f"{r.email} → {r.target}")
            print(f"Đã thêm {r.email}: nhận thư của {r.target}.")
        else:
            r = recipients.remove(
                conn, email=args.email, unit_code=args.unit or "", role=args.role or ""
            )
            accounts.audit(conn, actor, "bo_nguoi_nhan_thu", f"{r.email} → {r.target}")
            print(f"Đã bỏ {r.email} khỏi danh sách nhận thư của {r.target}.")
    return 0


def _cmd_mail(args: argparse.Namespace, settings: Settings) -> int:
    """A test letter (outside the ledger: it may be sent as often as needed), the due
    retries now, or the newest deliveries."""
    from dashboard.delivery import outbox, status

    if args.action == "test":
        return _test_letter(args, settings)
    engine = common.open_database(settings, reading=args.action == "list")
    if args.action == "retry":
        outcome = outbox.retry_due(engine, settings)
        if not outcome.results:
            print("Không có thư nào đến lượt gửi lại.")
            return 0
        print("\n".join(outcome.lines()))
        return 1 if outcome.failed else 0
    from data_access import deliveries

    for d in deliveries.recent(engine, args.limit):
        error = f"\t{d.last_error}" if d.last_error and d.status != "sent" else ""
        print(
            f"{d.updated_at:%d/%m/%Y %H:%M}\t{status.kind_text(d.kind)} {d.day:%d/%m/%Y}\t"
            f"{d.email}{f' ({d.unit_code})' if d.unit_code else ''}\t"
            f"{status.status_text(d)}{error}"
        )
    return 0


def _test_letter(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.delivery import letters, outbox, smtp
    from dashboard.domain import clock
    from data_access.recipients import normalize_email

    if not args.email:
        raise ValueError("Cần địa chỉ nhận thư thử")
    address = normalize_email(args.email)
    config = smtp.SmtpConfig.from_settings(settings)
    outbox.check_sender(config.sender)
    now = clock.now()
    letter = letters.Letter(
        kind="test",
        day=now.date(),
        unit_code="",
        subject=f"Thư thử của hệ thống theo dõi cải cách TTHC — {now:%H:%M %d/%m/%Y}",
        text=(
            "Đây là thư thử của hệ thống theo dõi cải cách thủ tục hành chính.\n"
            f"Máy chủ thư: {config.where} ({config.security}); người gửi: {config.sender}.\n"
            "Nhận được thư này nghĩa là cấu hình gửi thư đã đúng.\n"
        ),
    )
    try:
        smtp.send(config, letters.to_bytes(letter, config.sender, address), address)
    except smtp.SendError as exc:
        print(f"Chưa gửi được thư thử tới {address}: {exc}")
        return 1
    print(f"Đã gửi thư thử tới {address} qua {config.where} ({config.security}).")
    return 0


def add_commands(sub) -> None:
    """Add this group's commands to the `tthc` parser."""
    rc = sub.add_parser(
        "recipients", help="người nhận thư: add | list | remove (theo đơn vị hoặc vai trò)"
    )
    rc.add_argument("action", choices=["add", "list", "remove"])
    rc.add_argument("email", nargs="?", help="địa chỉ thư, ví dụ van.phong@namsach.gov.vn")
    target = rc.add_mutually_exclusive_group()
    target.add_argument("--unit", help="mã đơn vị: nhận tin nhắn cảnh báo của riêng đơn vị đó")
    target.add_argument(
        "--role",
        choices=["lanh_dao", "van_phong"],
        help="vai trò: lanh_dao nhận báo cáo ngày, van_phong nhận thư của văn phòng",
    )
    rc.add_argument("--format", choices=common.FORMATS, default="table", help="table | csv | json")
    rc.set_defaults(func=_cmd_recipients)
    ml = sub.add_parser(
        "mail", help="thư điện tử: test (gửi thư thử) | retry (gửi lại thư lỗi đến lượt) | list"
    )
    ml.add_argument("action", choices=["test", "retry", "list"])
    ml.add_argument("email", nargs="?", help="địa chỉ nhận thư thử (với test)")
    ml.add_argument("--limit", type=int, default=50, help="số thư gần nhất (với list, mặc định 50)")
    ml.set_defaults(func=_cmd_mail)
