"""Every write renews the data version, across processes: a production server process keeps
serving, the CLI beside it changes a target, and the next request shows the new figures."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from dash.testing.wait import until

from dashboard import report
from dashboard.indicators.periods import parse_period
from data_access.db import make_engine

BELOW = "/xuat/bang/giai-trinh.csv?ky=2025-Q1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(demo_url: str, tmp_path: Path):
    db = tmp_path / "served.sqlite3"
    shutil.copy(Path(demo_url.removeprefix("sqlite:///")), db)
    port = _free_port()
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{db}",
        TTHC_INSTANCE_DIR=str(tmp_path),
        TTHC_WARM_CACHE="0",
        TTHC_DEMO_ON_EMPTY="0",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "serve", "--production", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        assert proc.poll() is None, "the server stopped"
        try:
            return requests.get(f"{base}/healthz", timeout=5).status_code == 200
        except requests.ConnectionError:
            return False

    try:
        until(ready, timeout=180)  # the server says it is ready; no guess from the clock
        yield base, env
    finally:
        proc.terminate()
        proc.wait()


def _rows(base: str) -> list[str]:
    res = requests.get(base + BELOW, timeout=120)
    assert res.status_code == 200
    return res.content.decode("utf-8-sig").splitlines()[1:]


def test_a_target_set_by_the_cli_shows_at_the_next_request(server) -> None:
    base, env = server
    before = _rows(base)
    version = requests.get(f"{base}/healthz", timeout=30).json()["data_version"]
    assert _rows(base) == before  # cached, and the same
    done = subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "targets", "set", "online_submission", "10%"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    after = _rows(base)
    assert requests.get(f"{base}/healthz", timeout=30).json()["data_version"] != version
    # What a fresh process computes now: online submission is below 10 % nowhere.
    fresh = report.below_target(
        make_engine(env["DATABASE_URL"]), parse_period("2025-Q1"), with_explanations=False
    )
    assert len(after) == len(fresh) < len(before)
    assert not [r for r in after if "Tỷ lệ nộp hồ sơ trực tuyến" in r]
    # Rebuilding the rollups is a write too.
    version = requests.get(f"{base}/healthz", timeout=30).json()["data_version"]
    done = subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "rebuild-rollups"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert requests.get(f"{base}/healthz", timeout=30).json()["data_version"] != version
