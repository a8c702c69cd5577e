"""The README documents every setting and every CLI command and option (kept true by this test)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from dashboard.cli import build_parser
from dashboard.settings import DOCUMENTED, Settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_and_read() -> None:
    for name in DOCUMENTED:
        assert f"`{name}`" in README, name
    # Each documented variable really changes the settings.
    env = {
        "DATABASE_URL": "sqlite:///x.db",
        "TTHC_INSTANCE_DIR": "/tmp/i",
        "TTHC_HOST": "0.0.0.0",
        "TTHC_PORT": "9000",
        "TTHC_CACHE_TYPE": "FileSystemCache",
        "TTHC_CACHE_DIR": "/tmp/c",
        "TTHC_CACHE_REDIS_URL": "redis://127.0.0.1:6379/0",
        "TTHC_CACHE_TIMEOUT": "5",
        "TTHC_DEMO_ON_EMPTY": "0",
        "TTHC_OFFICE_HOURS": "08:00-12:00",
        "TTHC_EXTRA_DAYS_OFF": "2025-02-03",
        "TTHC_IMPORT_MAPPING": "/etc/tthc/mapping.toml",
        "TTHC_DEMO_SEED": "7",
        "TTHC_WARM_CACHE": "0",
        "TTHC_KIOSK_SLIDE_SECONDS": "45",
        "TTHC_KIOSK_REFRESH_SECONDS": "60",
        "TTHC_KIOSK_CYCLE_SECONDS": "600",
        "TTHC_SCOPE": "31",
        "TTHC_CONNECTION_LIMIT": "200",
        "TTHC_CHANNEL_TIMEOUT": "10",
        "TTHC_HTTPS": "1",
        "TTHC_TRUSTED_PROXIES": "1",
        "TTHC_LOGIN_TRIES": "3",
        "TTHC_LOGIN_TRIES_ACCOUNT": "10",
        "TTHC_SESSION_HOURS": "4",
        "TTHC_PACK_WORKERS": "1",
        "TTHC_OFFICER_NAMES_ON_WALL": "1",
        "TTHC_REDIS_URL": "redis://127.0.0.1:6379/1",
        "TTHC_DATABASE_REPLICAS": "postgresql+psycopg://r1/tthc, postgresql+psycopg://r2/tthc",
        "TTHC_REPLICA_MAX_LAG": "3",
        "TTHC_SECRET_KEY": "k" * 32,
        "TTHC_INBOX": "/srv/tthc/hop-thu",
        "TTHC_INBOX_MINUTES": "2",
        "TTHC_INBOX_SETTLE_SECONDS": "15",
        "TTHC_DIGEST_AT": "07:00",
        "TTHC_DAILY_REPORT_AT": "16:30",
        "TTHC_MONTHLY_REPORT_AT": "08:00",
        "TTHC_REPORTS_DIR": "/srv/tthc/bao-cao",
        "TTHC_SMTP_HOST": "mail.namsach.gov.vn",
        "TTHC_SMTP_PORT": "2525",
        "TTHC_SMTP_SECURITY": "ssl",
        "TTHC_SMTP_USER": "tthc",
        "TTHC_SMTP_PASSWORD": "mat-khau-thu",
        "TTHC_MAIL_FROM": "tthc@namsach.gov.vn",
    }
    assert set(env) == set(DOCUMENTED)
    default, custom = Settings.from_env({}), Settings.from_env(env)
    changed = {f for f in default.__dataclass_fields__ if getattr(default, f) != getattr(custom, f)}
    assert len(changed) == len(DOCUMENTED)
    cal = custom.work_calendar()
    assert cal.office_hours == ((dt.time(8), dt.time(12)),)
    assert not cal.is_working_day(dt.date(2025, 2, 3))
    assert Settings.from_env({}).work_calendar().is_working_day(dt.date(2025, 2, 3))


def test_the_smtp_port_follows_the_security_unless_given() -> None:
    ports = {
        security: Settings.from_env({"TTHC_SMTP_SECURITY": security}).smtp_port
        for security in ("none", "starttls", "ssl")
    }
    assert ports == {"none": 25, "starttls": 587, "ssl": 465}
    assert Settings.from_env({}).smtp_port == 587  # starttls by default
    given = {"TTHC_SMTP_SECURITY": "ssl", "TTHC_SMTP_PORT": "2465"}
    assert Settings.from_env(given).smtp_port == 2465
    assert "mat-khau" not in repr(Settings.from_env({"TTHC_SMTP_PASSWORD": "mat-khau-thu"}))


def test_every_cli_command_and_option_is_documented() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert sub.choices
    for name, command in sub.choices.items():
        assert f"tthc {name}" in README, name
        for action in command._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert option in README, f"tthc {name} {option}"


def test_the_command_line_speaks_vietnamese() -> None:
    """`tthc --help` and every command's help: argparse's own words and the placeholders of
    values in Vietnamese (no 'usage', 'options', PERIOD …)."""
    import re

    parser = build_parser()
    texts = [parser.format_help()]

    def walk(p: argparse.ArgumentParser) -> None:
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for child in action.choices.values():
                    texts.append(child.format_help())
                    walk(child)

    walk(parser)
    assert len(texts) > 20
    english = ("usage", "options", "positional arguments", "show this help", "error")
    allowed = {"CSV", "JSON", "TTHC", "CSDL", "KSTT", "VPCP", "YYYY", "TTHC_HOST", "TTHC_PORT"}
    allowed |= {"TTHC_CONNECTION_LIMIT", "TTHC_CHANNEL_TIMEOUT"}  # settings named in help
    allowed |= {"TTHC_INBOX", "TTHC_REPORTS_DIR"}
    for text in texts:
        assert not [w for w in english if w in text.lower()], text[:200]
        caps = {
            t for t in re.findall(r"[^\s\[\]{}(),.:;=|/]+", text) if re.fullmatch(r"[A-Z_]{3,}", t)
        }
        assert caps <= allowed, (caps - allowed, text[:120])
    assert "cách dùng: tthc" in texts[0] and "hiện hướng dẫn này rồi thoát" in texts[0]
