"""Several server processes sharing their state through a real Redis (TTHC_REDIS_URL): a login
on one process opens pages on the other; a password reset, a role change, disabling and "sign
out everywhere" end the sessions on both at once, from the command line too; sessions survive a
Redis restart; wrong passwords are counted across processes and lifted by `users unlock`; a
pack started on one process is polled and downloaded on the other, built by `tthc worker`, and
goes on after the process that started it is killed."""

from __future__ import annotations

import io
import re
import signal
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
import requests
from dash.testing.wait import until
from sqlalchemy import create_engine, func, select, text

from data_access import accounts
from data_access.models import WebSession
from tests.access.test_sessions_live import (
    PASSWORD,
    _logout_token,
    cookie_of,
    login,
    opens,
    post_callback,
)
from tests.redis_server import RedisServer
from tests.serving import Served, copy_database, production_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def shared(
    demo_url: str, redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Served, Served, str, dict[str, str]]]:
    """Two production servers on one database and one Redis (database 3, emptied first)."""
    folder = tmp_path_factory.mktemp("shared-state")
    url = copy_database(demo_url, folder)
    with create_engine(url).begin() as conn:
        for name in ("vp", "vp2", "vp3", "vp4", "vp5"):
            accounts.add_user(conn, name, PASSWORD, "van_phong")
        accounts.add_user(conn, "dv", PASSWORD, "don_vi", unit="10657")
    redis.Redis.from_url(redis_server.url(3)).flushdb()
    env = {"TTHC_REDIS_URL": redis_server.url(3), "TTHC_SECRET_KEY": "khoa-chung-" + "x" * 20}
    with (
        production_server(url, folder / "a", env) as first,
        production_server(url, folder / "b", env) as second,
    ):
        yield first, second, url, env


@contextmanager
def worker(env: dict[str, str]) -> Iterator[subprocess.Popen]:
    """`tthc worker` on the shared queue, stopped (SIGTERM: it ends its job first) on exit."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=120)


def _cli(served: Served, *args: str, **env: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dashboard.cli", *args],
        env=dict(served.env, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def test_sessions_live_in_redis_and_every_revocation_reaches_both_processes(
    shared, redis_server: RedisServer
) -> None:
    first, second, url, _ = shared
    clients = {name: login(first.base, name)[0] for name in ("vp2", "vp3", "vp4", "vp5")}
    cookies = {name: cookie_of(c) for name, c in clients.items()}
    other_browser = cookie_of(login(second.base, "vp5")[0])
    for cookie in [*cookies.values(), other_browser]:
        assert opens(cookie, first.base) and opens(cookie, second.base)
    with create_engine(url).connect() as conn:  # nothing of them in the database
        assert conn.execute(select(func.count()).select_from(WebSession)).scalar() == 0

    # Redis away: /healthz says so and a page is a readable 503, never a stack trace.
    redis_server.pause()
    assert requests.get(f"{first.base}/healthz", timeout=60).status_code == 503
    away = requests.get(f"{first.base}/", cookies={"tthc_phien": cookies["vp2"]}, timeout=60)
    assert away.status_code == 503 and "thử lại sau ít phút" in away.text
    # Back (append-only file on): every session is still there.
    redis_server.start()
    assert requests.get(f"{first.base}/healthz", timeout=60).status_code == 200
    assert all(opens(c, second.base) for c in cookies.values())

    _cli(first, "users", "reset-password", "vp2", TTHC_NEW_PASSWORD="mot-mat-khau-moi-dai")
    _cli(first, "users", "set-role", "vp3", "--role", "lanh_dao")
    _cli(first, "users", "disable", "vp4")
    for name in ("vp2", "vp3", "vp4"):
        assert not opens(cookies[name], first.base) and not opens(cookies[name], second.base)
    assert opens(cookies["vp5"], first.base)  # nobody else's session ended

    # "Đăng xuất mọi nơi" on the second process ends the login made on the first.
    client = login(second.base, "vp5")[0]
    token = _logout_token(client, second.base, "/dang-xuat-moi-noi")
    done = client.post(
        f"{second.base}/dang-xuat-moi-noi", data={"csrf": token}, allow_redirects=False
    )
    assert done.status_code == 302
    assert not opens(cookies["vp5"], first.base) and not opens(other_browser, second.base)


def test_wrong_passwords_are_counted_across_processes_in_redis(shared) -> None:
    first, second, _, _ = shared
    codes = [
        login(server.base, "dv", "sai-mat-khau-nhe")[1].status_code
        for server in (first, second, first, second, first)
    ]
    assert codes == [200] * 5  # five wrong passwords, told as such
    assert login(second.base, "dv")[1].status_code == 429  # the sixth, on either process
    assert login(first.base, "dv")[1].status_code == 429
    _cli(first, "users", "unlock", "dv")
    assert login(second.base, "dv")[1].status_code == 302  # lifted at once, everywhere


def test_an_upload_checked_on_one_process_is_imported_on_the_other_by_the_worker(
    shared, redis_server: RedisServer
) -> None:
    from tests.access.test_sessions_live import _upload, json_text
    from tests.importer.files import csv_bytes

    first, second, url, env = shared
    client = login(first.base, "vp")[0]
    row = [
        "1", "WEB-Q1", "Xã Đồng Lạc", "1.001193.000.00.00.H23", "Đăng ký khai sinh", "Hộ tịch",
        "Trực tiếp", "", "10/03/2025 08:00", "11/03/2025 17:00", "11/03/2025 09:00",
        "Đã trả kết quả", "Không", "Không", "Không", "Không", "Không", "",
    ]  # fmt: skip
    shared_redis = redis.Redis.from_url(env["TTHC_REDIS_URL"])
    with worker(second.env):  # the servers' database and Redis
        checked = _upload(client, first.base, csv_bytes([row]), "hang-doi.csv")
        found = checked["data-found"]["data"]
        assert found["valid"] == 1, json_text(checked["data-report"])
        kept = list(shared_redis.scan_iter(match="tthc:upload:*"))
        assert len(kept) == 2  # the file and its name, in Redis for whichever process confirms
        done = post_callback(
            client,
            second.base,
            ["data-result", "data-imports"],
            {"data-confirm": 1, "data-found": found, "data-partial": False},
        )
    assert "Đã nhập dữ liệu" in json_text(done["data-result"])
    assert list(shared_redis.scan_iter(match="tthc:upload:*")) == []
    for served in (first, second):  # nothing of the file on either server's disk
        folder = Path(served.env["TTHC_INSTANCE_DIR"]) / "uploads"
        assert not folder.exists() or list(folder.iterdir()) == []
    with create_engine(url).connect() as conn:
        assert (
            conn.execute(text("SELECT count(*) FROM dossiers WHERE code = 'WEB-Q1'")).scalar() == 1
        )
        last = conn.execute(
            text("SELECT username, action, detail FROM audit_events ORDER BY id DESC LIMIT 1")
        ).one()
    assert tuple(last) == ("vp", "nhap_du_lieu", "hang-doi.csv: mới 1, cập nhật 0, lỗi 0")


def test_a_pack_started_on_one_process_is_polled_and_downloaded_on_the_other(shared) -> None:
    # The module's last test: the first process starts the pack, then dies at once (SIGKILL);
    # the job is on the queue, not in it.
    starter, second, _, _ = shared
    client = login(starter.base, "vp")[0]
    started = post_callback(
        client,
        starter.base,
        ["ov-pack-job"],
        {"ov-pack-start.n_clicks": 1, "ov-query": "?ky=2025-Q1"},
    )
    starter.proc.send_signal(signal.SIGKILL)
    starter.proc.wait()
    job_id = started["ov-pack-job"]["data"]
    assert started["ov-pack-poll"]["disabled"] is False
    assert "Đang tạo" in str(started["ov-pack-status"]["children"])

    def poll(job: str, n: int) -> tuple[bool, str]:
        out = post_callback(
            client,
            second.base,
            ["ov-pack-poll.disabled", "ov-pack-status.children"],  # not the start's outputs
            {"ov-pack-poll.n_intervals": n, "ov-pack-job": job},
        )
        return out["ov-pack-poll"]["disabled"], re.sub(
            r"\s+", " ", str(out["ov-pack-status"]["children"])
        )

    # The same browser session, served by the second process, sees the job wait in line.
    stop, waiting = poll(job_id, 1)
    assert stop is False and "Đang chờ: 0 bộ báo cáo tạo trước" in waiting
    seen: list[str] = []
    with worker(second.env):

        def ended() -> bool:
            stop, status = poll(job_id, len(seen) + 2)
            seen.append(status)
            return stop is True

        until(ended, timeout=300, poll=0.5)
    assert "Không tạo được" not in seen[-1], seen[-1]
    assert f"/xuat/bao-cao/{job_id}.zip" in seen[-1]
    res = client.get(f"{second.base}/xuat/bao-cao/{job_id}.zip", timeout=60)
    assert res.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(res.content)).namelist()
    assert "bao-cao-tthc-2025-Q1.pptx" in names and "bao-cao-tthc-2025-Q1.pdf" in names
    # An unknown job is told as gone, on any process.
    stop, gone = poll("0" * 32, 1)
    assert stop is True and "Không còn bộ báo cáo này" in gone
