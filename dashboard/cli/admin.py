"""`tthc serve`, `tthc users …`, `tthc display-token …`, `tthc audit`, `tthc backup|restore`:
the commands an administrator runs on the office server."""

from __future__ import annotations

import argparse
import getpass
import os
import time
from pathlib import Path

from dashboard.cli.common import open_database
from dashboard.domain.formatting import fmt_number
from dashboard.settings import Settings


def _password(args: argparse.Namespace) -> str:
    # From the environment for scripts (never on the command line: it would show in `ps`).
    if os.environ.get("TTHC_NEW_PASSWORD"):
        return os.environ["TTHC_NEW_PASSWORD"]
    first = getpass.getpass("Mật khẩu: ")
    if first != getpass.getpass("Nhập lại mật khẩu: "):
        raise ValueError("Hai lần nhập mật khẩu không khớp")
    return first


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """The production server (waitress), or the development server without --production."""
    from dashboard.web import server
    from dashboard.web.app import create_app
    from data_access import accounts

    host = args.host or settings.host
    port = args.port or settings.port
    if not args.production:
        app = create_app(settings)
        app.run(host=host, port=port)
        return 0
    server.json_logging()
    started = time.perf_counter()
    with open_database(settings).connect() as conn:
        server.refuse_open_bind(host, accounts.any_accounts(conn))
    app = create_app(settings)
    ready = fmt_number(time.perf_counter() - started, 1)
    print(f"Sẵn sàng sau {ready} s: http://{host}:{port}", flush=True)
    server.serve(
        app,
        host,
        port,
        args.threads,
        args.connection_limit or settings.connection_limit,
        args.channel_timeout or settings.channel_timeout,
        settings.trusted_proxies,
    )
    return 0


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    """A job worker on the shared queue (TTHC_REDIS_URL): runs the imports and builds the packs
    any server process started; run as many as jobs should run at once."""
    from dashboard.services import context
    from dashboard.web import job_queue, server

    if not settings.redis_url:
        raise SystemExit("Cần TTHC_REDIS_URL: hàng đợi công việc dùng chung nằm trên Redis.")
    server.json_logging()
    with context.standalone(open_database(settings), settings, shared_cache=True):
        job_queue.work(settings.redis_url, burst=args.burst)
    return 0


def _unit_text(u) -> str:
    until = f" đến {u.valid_to:%d/%m/%Y}" if u.valid_to else ""
    return f"{u.name} ({u.code}, từ {u.valid_from:%d/%m/%Y}{until})"


def cmd_users(args: argparse.Namespace, settings: Settings) -> int:
    """Add, list, disable, enable or reset the password of accounts (audited)."""
    from data_access import accounts, queries

    engine = open_database(settings)
    actor = getpass.getuser()
    with engine.begin() as conn:
        if args.action == "list":
            units = queries.all_units(conn)
            for a in accounts.users(conn):
                state = "hoạt động" if a.active else "đã khóa"
                unit = f" {_unit_text(units[a.unit_id])}" if a.unit_id else ""
                print(f"{a.username}\t{accounts.ROLE_LABELS[a.role]}{unit}\t{state}\t{a.full_name}")
            return 0
        if not args.username:
            raise ValueError("Cần tên đăng nhập")
        if args.action == "add":
            acc = accounts.add_user(
                conn,
                args.username,
                _password(args),
                args.role,
                args.unit,
                args.name or "",
                officer=args.officer or "",
            )
            unit = _unit_text(queries.all_units(conn)[acc.unit_id]) if acc.unit_id else ""
            accounts.audit(conn, actor, "them_tai_khoan", f"{acc.username} {acc.role} {unit}")
            print(f"Đã tạo tài khoản {acc.username} ({accounts.ROLE_LABELS[acc.role]}).")
        elif args.action in ("disable", "enable"):
            accounts.set_active(conn, args.username, args.action == "enable")
            accounts.audit(conn, actor, f"{args.action}_tai_khoan", args.username)
            print(f"Đã {'mở khóa' if args.action == 'enable' else 'khóa'} {args.username}.")
        elif args.action == "reset-password":
            accounts.reset_password(conn, args.username, _password(args))
            accounts.audit(conn, actor, "doi_mat_khau", args.username)
            print(f"Đã đặt mật khẩu mới cho {args.username}; các phiên đăng nhập cũ đã kết thúc.")
        elif args.action == "set-role":
            acc = accounts.set_role(
                conn, args.username, args.role, args.unit, officer=args.officer or ""
            )
            unit = _unit_text(queries.all_units(conn)[acc.unit_id]) if acc.unit_id else ""
            accounts.audit(conn, actor, "doi_vai_tro", f"{acc.username} {acc.role} {unit}")
            print(
                f"{acc.username}: {accounts.ROLE_LABELS[acc.role]} {unit}; "
                "các phiên đăng nhập cũ đã kết thúc."
            )
        elif args.action == "unlock":
            from data_access import sessions

            n = sessions.clear_tries(conn, args.username)
            accounts.audit(conn, actor, "mo_khoa_dang_nhap", args.username)
            print(f"Đã bỏ {n} bộ đếm đăng nhập sai của {args.username}: đăng nhập lại được ngay.")
        elif args.action == "sign-out":
            n = accounts.sign_out_everywhere(conn, args.username)
            accounts.audit(conn, actor, "dang_xuat_moi_noi", f"{args.username}: {n} phiên")
            print(f"Đã kết thúc {n} phiên đăng nhập của {args.username}.")
    return 0


def cmd_display_token(args: argparse.Namespace, settings: Settings) -> int:
    """Create or revoke a meeting-room screen token."""
    from data_access import accounts

    engine = open_database(settings)
    with engine.begin() as conn:
        if args.action == "new":
            token = accounts.new_display_token(conn, args.label)
            accounts.audit(conn, getpass.getuser(), "tao_ma_man_hinh", args.label)
            print(f"Mở trên màn hình phòng họp: /trinh-chieu?token={token}")
        else:
            n = accounts.revoke_display_token(conn, args.label)
            accounts.audit(conn, getpass.getuser(), "thu_hoi_ma_man_hinh", args.label)
            print(f"Đã thu hồi {n} mã của «{args.label}».")
    return 0


def cmd_audit(args: argparse.Namespace, settings: Settings) -> int:
    """The newest audit events."""
    from dashboard.domain import clock
    from data_access import accounts, sessions

    with open_database(settings).connect() as conn:
        for at, user, action, detail, address in accounts.audit_events(conn, args.limit):
            print(f"{at:%d/%m/%Y %H:%M:%S}\t{user}\t{action}\t{detail}\t{address}")
        failed = sessions.failures(conn, args.limit)
    if failed:
        print("\nĐăng nhập sai hoặc bị chặn (mỗi dòng: một tài khoản trong một phút):")
    for f in failed:
        minute = clock.from_epoch(f.minute * 60)
        print(
            f"{minute:%d/%m/%Y %H:%M}\t{f.username}\tsai {f.wrong}, bị chặn {f.blocked}"
            f"\t{f.last_address}"
        )
    return 0


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    """A consistent copy of the SQLite database while the server runs (online backup API)."""
    from data_access import backup

    target_path = Path(args.file)
    backup.backup(settings.database_url, target_path)
    print(f"Đã sao lưu vào {target_path} ({target_path.stat().st_size / 1048576:.1f} MiB).")
    return 0


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    """Replace the SQLite database with a backup (stop the server first)."""
    from data_access import backup

    backup.restore(settings.database_url, Path(args.file))
    print(f"Đã khôi phục từ {args.file}.")
    return 0


def add_commands(sub) -> None:
    """Register the administrator's commands."""
    sv = sub.add_parser("serve", help="máy chủ chạy thật (--production: waitress, log JSON)")
    sv.add_argument("--production", action="store_true", help="waitress, nhiều luồng, log JSON")
    sv.add_argument("--host", help="địa chỉ lắng nghe (mặc định TTHC_HOST)")
    sv.add_argument("--port", type=int, help="cổng (mặc định TTHC_PORT)")
    sv.add_argument("--threads", type=int, default=8, help="số luồng xử lý (mặc định 8)")
    sv.add_argument(
        "--connection-limit",
        type=int,
        help="số kết nối giữ cùng lúc (mặc định TTHC_CONNECTION_LIMIT, 1000)",
    )
    sv.add_argument(
        "--channel-timeout",
        type=int,
        help="giây giữ một kết nối im lặng hoặc gửi dở (mặc định TTHC_CHANNEL_TIMEOUT, 30)",
    )
    sv.set_defaults(func=cmd_serve)
    wk = sub.add_parser(
        "worker", help="tiến trình làm việc nền (bộ báo cáo) trên hàng đợi Redis dùng chung"
    )
    wk.add_argument("--burst", action="store_true", help="làm hết việc đang chờ rồi dừng")
    wk.set_defaults(func=cmd_worker)
    us = sub.add_parser(
        "users",
        help="tài khoản: add | list | disable | enable | reset-password | set-role | sign-out "
        "| unlock",
    )
    us.add_argument(
        "action",
        choices=[
            "add",
            "list",
            "disable",
            "enable",
            "reset-password",
            "set-role",
            "sign-out",
            "unlock",
        ],
    )
    us.add_argument("username", nargs="?")
    us.add_argument(
        "--role", choices=["lanh_dao", "van_phong", "don_vi", "can_bo"], default="van_phong"
    )
    us.add_argument(
        "--officer",
        help="tài khoản cán bộ: tên như trong quá trình xử lý (hoặc tk:TÀI_KHOẢN)",
    )
    us.add_argument(
        "--unit",
        help="mã đơn vị (tài khoản đơn vị): gắn với đơn vị mang mã này hôm nay, "
        "hoặc MÃ@YYYY-MM-DD cho đơn vị mang mã đó vào ngày ấy",
    )
    us.add_argument("--name", help="họ tên")
    us.set_defaults(func=cmd_users)
    dt_ = sub.add_parser("display-token", help="mã cho màn hình phòng họp: new | revoke")
    dt_.add_argument("action", choices=["new", "revoke"])
    dt_.add_argument("label", help="tên màn hình, ví dụ 'Phòng họp tầng 2'")
    dt_.set_defaults(func=cmd_display_token)
    au = sub.add_parser("audit", help="nhật ký: nhập dữ liệu, giải trình, tài khoản, đăng nhập")
    au.add_argument("--limit", type=int, default=100)
    au.set_defaults(func=cmd_audit)
    bk = sub.add_parser("backup", help="sao lưu CSDL SQLite khi đang chạy")
    bk.add_argument("file")
    bk.set_defaults(func=cmd_backup)
    rs = sub.add_parser("restore", help="khôi phục CSDL SQLite từ bản sao lưu")
    rs.add_argument("file")
    rs.set_defaults(func=cmd_restore)
