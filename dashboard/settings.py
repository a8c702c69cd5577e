"""Settings from environment variables (and an optional `.env` in the working folder)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import load_dotenv

from dashboard.domain.scope import Scope, load_scope
from dashboard.domain.worktime import WorkCalendar
from data_access.db import database_url_from_env

# Every setting, its default and meaning; the README table is checked against this.
DOCUMENTED = {
    "DATABASE_URL": "SQLAlchemy URL; default a SQLite file instance/tthc.sqlite3",
    "TTHC_INSTANCE_DIR": "folder for the default database and the file cache (instance)",
    "TTHC_HOST": "address the server listens on (127.0.0.1)",
    "TTHC_PORT": "port (8050)",
    "TTHC_CACHE_TYPE": "flask-caching backend: SimpleCache, FileSystemCache, RedisCache, NullCache",
    "TTHC_CACHE_DIR": "folder of FileSystemCache (instance/cache)",
    "TTHC_CACHE_REDIS_URL": "Redis URL for RedisCache",
    "TTHC_CACHE_TIMEOUT": "seconds a cached result lives (600; 86400 with Redis)",
    "TTHC_DEMO_ON_EMPTY": "fill an empty database with demo data at start (1)",
    "TTHC_DEMO_SEED": "seed of the demo data (2025)",
    "TTHC_OFFICE_HOURS": "office hours for the 6-working-hour rule (07:30-11:30,13:30-17:00)",
    "TTHC_EXTRA_DAYS_OFF": "extra days off besides public holidays (2025-02-03,2025-02-04)",
    "TTHC_IMPORT_MAPPING": "a TOML file adding header aliases and words to the importer's",
    "TTHC_WARM_CACHE": "compute the newest periods' figures in the background at start (1)",
    "TTHC_KIOSK_SLIDE_SECONDS": "seconds each meeting-room slide stays on screen (20)",
    "TTHC_KIOSK_REFRESH_SECONDS": "how often the meeting-room screen checks for new data (300)",
    "TTHC_KIOSK_CYCLE_SECONDS": "longest meeting-room rotation; past it lists show their top (300)",
    "TTHC_SCOPE": "what the office monitors: nam-sach (shipped), a unit code (31), or a TOML file",
    "TTHC_CONNECTION_LIMIT": "open connections the production server holds at once (1000)",
    "TTHC_CHANNEL_TIMEOUT": "seconds an idle or half-sent connection is kept open (30)",
    "TTHC_HTTPS": "the site is served over https (behind a proxy): Secure cookies and HSTS (0)",
    "TTHC_TRUSTED_PROXIES": "proxies in front whose X-Forwarded-For/-Proto are believed (0)",
    "TTHC_LOGIN_TRIES": "wrong passwords per account from one address in 10 minutes (5)",
    "TTHC_LOGIN_TRIES_ACCOUNT": "wrong passwords per account from all addresses in 10 min (20)",
    "TTHC_SESSION_HOURS": "hours a login lasts, counted from the login, never extended (8)",
    "TTHC_PACK_WORKERS": "briefing packs built at once; more wait in line (2)",
    "TTHC_OFFICER_NAMES_ON_WALL": "officers' names for leadership and the meeting-room screen (0)",
    "TTHC_REDIS_URL": "Redis shared by server processes: sessions, login limits, cache, jobs",
    "TTHC_DATABASE_REPLICAS": "PostgreSQL read replicas (SQLAlchemy URLs, comma-separated)",
    "TTHC_REPLICA_MAX_LAG": "seconds a replica may lag before reads skip it (10)",
    "TTHC_SECRET_KEY": "session signing key shared by every machine (default instance/secret_key)",
    "TTHC_INBOX": "folder whose complete exports are imported by themselves (unset: no inbox)",
    "TTHC_INBOX_MINUTES": "minutes between two looks at the inbox by the scheduler (5)",
    "TTHC_INBOX_SETTLE_SECONDS": "seconds a file must stay unchanged to count as complete (60)",
    "TTHC_DIGEST_AT": "time of the morning digest on working days (07:30)",
    "TTHC_DAILY_REPORT_AT": "time of the daily report on working days (17:00)",
    "TTHC_MONTHLY_REPORT_AT": "time of the monthly report and pack on the 1st (07:00)",
    "TTHC_REPORTS_DIR": "folder of the scheduled reports' files (instance/bao-cao)",
    "TTHC_SMTP_HOST": "SMTP server that sends the mail (unset: mail is not sent)",
    "TTHC_SMTP_PORT": "SMTP port (default by security: none 25, starttls 587, ssl 465)",
    "TTHC_SMTP_SECURITY": "SMTP connection security: none, starttls (default) or ssl",
    "TTHC_SMTP_USER": "SMTP login name (unset: no login)",
    "TTHC_SMTP_PASSWORD": "SMTP password",
    "TTHC_MAIL_FROM": "sender address of the mail (tthc@localhost)",
}

# TTHC_SMTP_SECURITY -> the port used when TTHC_SMTP_PORT is not set (the standard ones).
SMTP_PORTS = {"none": 25, "starttls": 587, "ssl": 465}


def _flag(value: str) -> bool:
    return value.strip().lower() not in ("0", "false", "no", "")


def _smtp_security(env: dict[str, str]) -> str:
    security = (env.get("TTHC_SMTP_SECURITY") or "starttls").strip().lower()
    if security not in SMTP_PORTS:
        raise ValueError(
            f"TTHC_SMTP_SECURITY phải là none, starttls hoặc ssl (không phải «{security}»)"
        )
    return security


@dataclass(frozen=True)
class Settings:
    """Application settings; build with `Settings.from_env()`."""

    database_url: str
    instance_dir: Path
    host: str = "127.0.0.1"
    port: int = 8050
    cache_type: str = "SimpleCache"
    cache_dir: Path | None = None
    cache_redis_url: str | None = None
    cache_timeout: int = 600
    demo_on_empty: bool = True
    demo_seed: int = 2025
    office_hours: str = "07:30-11:30,13:30-17:00"
    extra_days_off: str = ""
    import_mapping: str | None = None
    warm_cache: bool = False
    kiosk_slide_seconds: float = 20
    kiosk_refresh_seconds: float = 300
    kiosk_cycle_seconds: float = 300
    scope: str = "nam-sach"
    connection_limit: int = 1000
    channel_timeout: int = 30
    https: bool = False
    trusted_proxies: int = 0
    login_tries: int = 5
    login_tries_account: int = 20
    session_hours: float = 8
    pack_workers: int = 2
    officer_names_on_wall: bool = False
    redis_url: str | None = None
    database_replicas: tuple[str, ...] = ()
    replica_max_lag: float = 10
    secret_key: str | None = None
    inbox: Path | None = None
    inbox_minutes: int = 5
    inbox_settle_seconds: float = 60
    digest_at: dt.time = dt.time(7, 30)
    daily_report_at: dt.time = dt.time(17, 0)
    monthly_report_at: dt.time = dt.time(7, 0)
    reports_dir: Path | None = None
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_security: str = "starttls"  # SMTP_PORTS
    smtp_user: str = ""
    smtp_password: str = field(default="", repr=False)  # never in a log line or a trace
    mail_from: str = "tthc@localhost"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Read settings from `env` (default: os.environ after loading `.env`)."""
        if env is None:
            load_dotenv(Path.cwd() / ".env", override=False)
            env = dict(os.environ)
        instance = Path(env.get("TTHC_INSTANCE_DIR", "instance")).resolve()
        security = _smtp_security(env)
        return cls(
            database_url=database_url_from_env(env),
            instance_dir=instance,
            host=env.get("TTHC_HOST", "127.0.0.1"),
            port=int(env.get("TTHC_PORT", "8050")),
            cache_type=env.get(
                "TTHC_CACHE_TYPE", "RedisCache" if env.get("TTHC_REDIS_URL") else "SimpleCache"
            ),
            cache_dir=Path(env.get("TTHC_CACHE_DIR", str(instance / "cache"))),
            cache_redis_url=env.get("TTHC_CACHE_REDIS_URL") or env.get("TTHC_REDIS_URL"),
            # Cached figures are keyed by the data version; a shared cache keeps them a day.
            cache_timeout=int(
                env.get("TTHC_CACHE_TIMEOUT", "86400" if env.get("TTHC_REDIS_URL") else "600")
            ),
            demo_on_empty=env.get("TTHC_DEMO_ON_EMPTY", "1").lower() not in ("0", "false", "no"),
            demo_seed=int(env.get("TTHC_DEMO_SEED", "2025")),
            office_hours=env.get("TTHC_OFFICE_HOURS", "07:30-11:30,13:30-17:00"),
            extra_days_off=env.get("TTHC_EXTRA_DAYS_OFF", ""),
            import_mapping=env.get("TTHC_IMPORT_MAPPING") or None,
            warm_cache=env.get("TTHC_WARM_CACHE", "1").lower() not in ("0", "false", "no"),
            kiosk_slide_seconds=float(env.get("TTHC_KIOSK_SLIDE_SECONDS", "20")),
            kiosk_refresh_seconds=float(env.get("TTHC_KIOSK_REFRESH_SECONDS", "300")),
            kiosk_cycle_seconds=float(env.get("TTHC_KIOSK_CYCLE_SECONDS", "300")),
            scope=env.get("TTHC_SCOPE", "nam-sach") or "nam-sach",
            connection_limit=int(env.get("TTHC_CONNECTION_LIMIT", "1000")),
            channel_timeout=int(env.get("TTHC_CHANNEL_TIMEOUT", "30")),
            https=_flag(env.get("TTHC_HTTPS", "0")),
            trusted_proxies=int(env.get("TTHC_TRUSTED_PROXIES", "0")),
            login_tries=int(env.get("TTHC_LOGIN_TRIES", "5")),
            login_tries_account=int(env.get("TTHC_LOGIN_TRIES_ACCOUNT", "20")),
            session_hours=float(env.get("TTHC_SESSION_HOURS", "8")),
            pack_workers=max(1, int(env.get("TTHC_PACK_WORKERS", "2"))),
            officer_names_on_wall=_flag(env.get("TTHC_OFFICER_NAMES_ON_WALL", "0")),
            redis_url=env.get("TTHC_REDIS_URL") or None,
            database_replicas=tuple(
                u.strip() for u in env.get("TTHC_DATABASE_REPLICAS", "").split(",") if u.strip()
            ),
            replica_max_lag=float(env.get("TTHC_REPLICA_MAX_LAG", "10")),
            secret_key=env.get("TTHC_SECRET_KEY") or None,
            inbox=Path(env["TTHC_INBOX"]).resolve() if env.get("TTHC_INBOX") else None,
            inbox_minutes=max(1, int(env.get("TTHC_INBOX_MINUTES", "5"))),
            inbox_settle_seconds=float(env.get("TTHC_INBOX_SETTLE_SECONDS", "60")),
            digest_at=dt.time.fromisoformat(env.get("TTHC_DIGEST_AT", "07:30")),
            daily_report_at=dt.time.fromisoformat(env.get("TTHC_DAILY_REPORT_AT", "17:00")),
            monthly_report_at=dt.time.fromisoformat(env.get("TTHC_MONTHLY_REPORT_AT", "07:00")),
            reports_dir=Path(env.get("TTHC_REPORTS_DIR") or instance / "bao-cao").resolve(),
            smtp_host=env.get("TTHC_SMTP_HOST", "").strip(),
            # The standard port of the security chosen, unless one is given.
            smtp_port=int(env.get("TTHC_SMTP_PORT") or SMTP_PORTS[security]),
            smtp_security=security,
            smtp_user=env.get("TTHC_SMTP_USER", ""),
            smtp_password=env.get("TTHC_SMTP_PASSWORD", ""),
            mail_from=env.get("TTHC_MAIL_FROM", "").strip() or "tthc@localhost",
        )

    def monitoring_scope(self) -> Scope:
        """The scope these settings name (dashboard/domain/scope.py)."""
        return load_scope(self.scope)

    def work_calendar(self) -> WorkCalendar:
        """The working-time calendar these settings describe."""
        hours = []
        for span in filter(None, (p.strip() for p in self.office_hours.split(","))):
            a, b = (dt.time.fromisoformat(t.strip()) for t in span.split("-"))
            hours.append((a, b))
        days = frozenset(
            dt.date.fromisoformat(d.strip()) for d in self.extra_days_off.split(",") if d.strip()
        )
        return WorkCalendar(office_hours=tuple(hours), extra_days_off=days)
