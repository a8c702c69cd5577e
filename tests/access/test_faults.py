"""Faults: a kill mid-import, a full disk, a database restart, backups, the production
server's refusals, and migrations from every released schema."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from dashboard.settings import Settings
from dashboard.web.app import create_app
from data_access.db import make_engine, migrate
from data_access.importer import import_bytes
from data_access.models import AuditEvent, Dossier, Import
from tests.data.test_migrations import HEAD
from tests.importer.files import csv_bytes

ROW = [
    "1", "F-1", "Xã Đồng Lạc", "1.001193.000.00.00.H23", "Đăng ký khai sinh", "Hộ tịch",
    "Trực tiếp", "", "10/03/2025 08:00", "11/03/2025 17:00", "11/03/2025 09:00",
    "Đã trả kết quả", "Không", "Không", "Không", "Không", "Không", "",
]  # fmt: skip


def _rows(n: int) -> list[list[str]]:
    return [[str(i), f"F-{i}", *ROW[2:]] for i in range(n)]


def _fingerprint(url: str) -> tuple:
    with create_engine(url).connect() as conn:
        return (
            conn.execute(select(func.count()).select_from(Dossier)).scalar(),
            conn.execute(
                text("SELECT count(*), coalesce(sum(received), 0) FROM rollup_daily")
            ).one(),
            conn.execute(select(func.count()).select_from(Import)).scalar(),
            conn.execute(select(func.count()).select_from(AuditEvent)).scalar(),
        )


@pytest.fixture
def copy_url(demo_url: str, tmp_path: Path) -> str:
    target = tmp_path / "copy.sqlite3"
    shutil.copy(Path(demo_url.removeprefix("sqlite:///")), target)
    return f"sqlite:///{target}"


# `tthc import` in a child process that stops at the importer's "written" checkpoint (every row
# inserted in the open transaction, the commit not yet sent), says so, and waits to be killed.
HELD_IMPORT = """
import sys
from data_access.importer import load

def hold(stage):
    if stage == "written":
        print("written", flush=True)
        sys.stdin.read()  # held mid-transaction until the test kills this process

with load.checkpoint_hook(hold):
    sys.exit(__import__("dashboard.cli").cli.main(sys.argv[1:]))
"""


def test_killing_the_process_mid_import_loses_nothing(copy_url: str, tmp_path: Path) -> None:
    export = tmp_path / "lon.csv"
    export.write_bytes(csv_bytes(_rows(20_000)))
    before = _fingerprint(copy_url)
    env = dict(os.environ, DATABASE_URL=copy_url, TTHC_INSTANCE_DIR=str(tmp_path))
    proc = subprocess.Popen(
        [sys.executable, "-c", HELD_IMPORT, "import", str(export)],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    # Blocks until the child reaches the checkpoint (or ends, which gives an empty line).
    assert proc.stdout.readline().strip() == "written", "the import never reached its commit"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _fingerprint(copy_url) == before  # no rows, no import record, no audit line
    # And the database is healthy: the same file imports in full afterwards, its audit line
    # naming who imported it, written with the rows.
    rep = import_bytes(make_engine(copy_url), export.read_bytes(), "lon.csv", user="vanphong")
    assert rep.status == "committed" and rep.inserted == 20_000
    with create_engine(copy_url).connect() as conn:
        last = conn.execute(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
    assert (last.username, last.action) == ("vanphong", "nhap_du_lieu")
    assert last.detail == "lon.csv: mới 20000, cập nhật 0, lỗi 0"


def test_a_full_disk_during_import_fails_cleanly(copy_url: str) -> None:
    # SQLite's page limit stands in for a full disk: the write fails with SQLITE_FULL.
    path = copy_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    before = _fingerprint(copy_url)
    engine = make_engine(copy_url)

    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _cap(dbapi_conn, _record) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 5}")

    with pytest.raises(Exception, match="full"):
        import_bytes(engine, csv_bytes(_rows(20_000)), "day.csv")
    engine.dispose()
    assert _fingerprint(copy_url) == before


def test_backup_while_serving_and_restore(copy_url: str, tmp_path: Path) -> None:
    env = dict(os.environ, DATABASE_URL=copy_url, TTHC_INSTANCE_DIR=str(tmp_path))
    backup = tmp_path / "sao-luu.sqlite3"
    run = [sys.executable, "-m", "dashboard.cli"]
    out = subprocess.run([*run, "backup", str(backup)], env=env, capture_output=True, text=True)
    assert out.returncode == 0 and "Đã sao lưu" in out.stdout
    saved = _fingerprint(copy_url)
    import_bytes(make_engine(copy_url), csv_bytes(_rows(10)), "sau.csv")
    assert _fingerprint(copy_url) != saved
    out = subprocess.run([*run, "restore", str(backup)], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert _fingerprint(copy_url) == saved
    junk = tmp_path / "rac.sqlite3"
    junk.write_bytes(b"not a database" * 100)
    out = subprocess.run([*run, "restore", str(junk)], env=env, capture_output=True, text=True)
    assert out.returncode == 2 and "Không phải bản sao lưu SQLite hợp lệ" in out.stderr
    assert _fingerprint(copy_url) == saved


def test_production_server_refuses_an_open_address_without_accounts(
    copy_url: str, tmp_path: Path
) -> None:
    env = dict(os.environ, DATABASE_URL=copy_url, TTHC_INSTANCE_DIR=str(tmp_path))
    out = subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "serve", "--production", "--host", "0.0.0.0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode != 0 and "chưa có tài khoản nào" in out.stderr


def test_healthz_and_security_headers(copy_url: str, tmp_path: Path) -> None:
    app = create_app(Settings(database_url=copy_url, instance_dir=tmp_path, demo_on_empty=False))
    client = app.server.test_client()
    res = client.get("/healthz")
    assert res.status_code == 200 and res.json["status"] == "ok"
    page = client.get("/")
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "http" not in csp  # no remote origin
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "same-origin"


def test_oversized_upload_is_refused_before_it_is_read(copy_url: str, tmp_path: Path) -> None:
    app = create_app(Settings(database_url=copy_url, instance_dir=tmp_path, demo_on_empty=False))
    limit = app.server.config["MAX_CONTENT_LENGTH"]
    res = app.server.test_client().post(
        "/_dash-update-component",
        data=b"x" * (limit + 1),
        headers={"Content-Type": "application/json"},
    )
    assert res.status_code == 413


def test_a_database_restart_is_survived(pg_server, tmp_path: Path) -> None:
    url = pg_server.create_database("restart")
    app = create_app(Settings(database_url=url, instance_dir=tmp_path, demo_on_empty=False))
    client = app.server.test_client()
    assert client.get("/healthz").status_code == 200
    pg_server.pause()
    try:
        down = client.get("/healthz")
        assert down.status_code == 503 and down.json["status"] == "error"
        page = client.get("/xuat/bang/chi-so.csv?ky=2025-Q1")
        assert page.status_code == 503
        assert "Không kết nối được cơ sở dữ liệu" in page.data.decode()
    finally:
        pg_server.resume()
    assert client.get("/healthz").status_code == 200  # recovered without a restart


def test_migrations_run_forward_from_every_released_schema(tmp_path: Path) -> None:
    from alembic import command

    from data_access.db import alembic_config

    for release in ("0001", "0002", "0003"):
        url = f"sqlite:///{tmp_path / f'from-{release}.sqlite3'}"
        engine = make_engine(url)
        command.upgrade(alembic_config(engine), release)
        migrate(engine)  # what every start does
        with engine.connect() as conn:
            head = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            tables = set(
                conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'")).scalars()
            )
        assert head == HEAD
        assert {
            "users",
            "audit_events",
            "display_tokens",
            "rollup_daily",
            "unit_links",
            "data_state",
        } <= tables


def test_the_server_keeps_serving_while_an_import_runs(copy_url: str, tmp_path: Path) -> None:
    import threading

    from data_access.importer.load import checkpoint_hook

    app = create_app(Settings(database_url=copy_url, instance_dir=tmp_path, demo_on_empty=False))
    client = app.server.test_client()
    figures = "/xuat/bang/chi-so.csv?ky=2025-03"
    before = client.get(figures).data
    data = csv_bytes(_rows(3_000))
    reached: list[str] = []
    at_stage, go, stop = threading.Event(), threading.Event(), threading.Event()

    def hold(stage: str) -> None:  # runs in the import's thread
        reached.append(stage)
        at_stage.set()
        go.wait()
        if not stop.is_set():  # a failed test lets the import run to its end
            go.clear()

    result = {}

    def run() -> None:
        with checkpoint_hook(hold):
            result["rep"] = import_bytes(make_engine(copy_url), data, "lon.csv")

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    try:
        # At each stage of the import (file read, rows checked, rows written but not
        # committed) the server answers, and serves the figures as they were: an uncommitted
        # import is invisible to readers.
        for stage in ("read", "validated", "written"):
            assert at_stage.wait(timeout=600), f"the import never reached «{stage}»"
            at_stage.clear()
            assert reached[-1] == stage
            assert client.get("/healthz").status_code == 200
            during = client.get(figures)
            assert during.status_code == 200 and during.data == before
            go.set()
    finally:
        stop.set()
        go.set()
        worker.join()
    assert result["rep"].status == "committed" and result["rep"].inserted == 3_000
    assert client.get(figures).data != before  # the committed import shows at once


def test_times_are_vietnams_whatever_the_servers_zone(copy_url: str, tmp_path: Path) -> None:
    import datetime as dt
    from zoneinfo import ZoneInfo

    export = tmp_path / "gio.csv"
    export.write_bytes(csv_bytes(_rows(3)))
    # A server in New York (UTC-5 or -4): 11 or 12 hours from Vietnam, never the same day-hour.
    env = dict(
        os.environ, DATABASE_URL=copy_url, TTHC_INSTANCE_DIR=str(tmp_path), TZ="America/New_York"
    )
    before = dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).replace(tzinfo=None, microsecond=0)
    done = subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "import", str(export), "--user", "vp"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    after = dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).replace(tzinfo=None)
    with create_engine(copy_url).connect() as conn:
        created = conn.execute(select(func.max(Import.created_at))).scalar()
        audited = conn.execute(select(func.max(AuditEvent.at))).scalar()
    assert before <= created <= after and before <= audited <= after
