"""Every write renews the data version, across processes: a production server process keeps
serving, the CLI beside it changes a target, and the next request shows the new figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import requests

from dashboard.domain.periods import parse_period
from dashboard.services import standing
from data_access.db import make_engine
from tests.serving import copy_database, production_server

BELOW = "/xuat/bang/giai-trinh.csv?ky=2025-Q1"


@pytest.fixture
def server(demo_url: str, tmp_path: Path):
    with production_server(copy_database(demo_url, tmp_path), tmp_path) as served:
        yield served.base, served.env


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
    fresh = standing.below_target(
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
