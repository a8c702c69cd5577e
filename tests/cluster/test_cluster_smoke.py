"""The several-process topology of scripts/cluster.sh for a minute: nginx (deploy/nginx) in
front of two app processes, two workers, Redis (deploy/redis) and a PostgreSQL primary with a
streaming replica, on the city scope. People of every role use it (bench/cluster_load.py, the
same people as the 10-minute load run) while an app process is killed with SIGKILL, Redis
restarts and the replica stops: nothing fails but requests in flight at those instants, and
nobody is logged out. Through nginx: gzip, cached static files, /healthz, and a callback
posted from another site's page refused by its Origin."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from bench.cluster_load import (
    PASSWORD,
    by_action,
    cluster,
    ensure_accounts,
    failed,
    in_flight,
    play,
)
from tests.serving import free_port

pytestmark = pytest.mark.slow


def _logged_in(base: str, username: str) -> requests.Session:
    http = requests.Session()
    page = http.get(f"{base}/dang-nhap", timeout=30).text
    csrf = re.search(r"name='csrf' value='([^']+)'", page).group(1)
    res = http.post(
        f"{base}/dang-nhap",
        data={"username": username, "password": PASSWORD, "csrf": csrf},
        headers={"Origin": base},
        allow_redirects=False,
        timeout=30,
    )
    assert res.status_code == 302
    return http


def _ranking_callback(origin: str) -> tuple[dict, dict]:
    body = {
        "output": "..lg-content.children...lg-query.data..",
        "outputs": [
            {"id": "lg-content", "property": "children"},
            {"id": "lg-query", "property": "data"},
        ],
        "inputs": [
            {"id": "lg-period", "property": "value", "value": "2026-Q3"},
            {"id": "lg-by", "property": "value", "value": ""},
            {"id": "lg-fields", "property": "value", "value": []},
            {"id": "lg-group", "property": "active_tab", "value": "xa"},
        ],
        "changedPropIds": ["lg-period.value"],
    }
    return body, {"Origin": origin}


@pytest.fixture
def folder() -> Iterator[Path]:
    """A folder PostgreSQL's own user can reach (pytest's are its owner's alone)."""
    path = Path(tempfile.mkdtemp(prefix="tthc-cum-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_a_minute_of_people_through_a_crash_a_redis_restart_and_a_lost_replica(
    folder: Path,
) -> None:
    with cluster(folder, free_port(), processes=2, scale=0.003, extras="test") as c:
        base = c.base
        # nginx in front: health, gzip, static files from its cache.
        assert requests.get(f"{base}/healthz", timeout=30).json() == {"status": "ok"}
        css = [
            requests.get(f"{base}/assets/app.css", headers={"Accept-Encoding": "gzip"}, timeout=30)
            for _ in range(2)
        ]
        assert css[0].headers["Content-Encoding"] == "gzip"
        assert css[1].headers["X-Cache"] == "HIT" and "Set-Cookie" not in css[1].headers

        people = ensure_accounts(c.env(), office=4, leaders=2, units=14)
        http = _logged_in(base, "vp0")
        page = http.get(f"{base}/", timeout=30).text
        script = re.search(r'/_dash-component-suites/[^"]+\.js', page).group(0)
        first = http.get(base + script, timeout=30)
        assert "max-age=31536000" in first.headers["Cache-Control"]
        assert http.get(base + script, timeout=30).headers["X-Cache"] == "HIT"
        # A callback posted by another site's page (the session cookie rides along) is
        # refused by its Origin; the same from this site's page is answered.
        body, forged = _ranking_callback("https://tran-gia-mao.example")
        res = http.post(f"{base}/_dash-update-component", json=body, headers=forged, timeout=60)
        assert res.status_code == 403
        body, own = _ranking_callback(base)
        res = http.post(f"{base}/_dash-update-component", json=body, headers=own, timeout=60)
        assert res.status_code == 200 and "lg-content" in res.json()["response"]

        events = [
            (9.0, "kill -9 app 1", lambda: c.kill_app(1)),
            (16.0, "restart Redis", c.restart_redis),
            (23.0, "stop the replica", c.stop_replica),
        ]
        rec, happened = play(base, people, 32.0, events, pause=(1.0, 2.0), start_within=4.0)
        # The page opened before Redis restarted still works with its session.
        assert http.get(f"{base}/xep-hang", allow_redirects=False, timeout=30).status_code == 200

    assert [label for _, _, label in happened] == [label for _, label, _ in events]
    hits = rec.hits
    bad = [h for h in hits if failed(h)]
    flight = [h for h in bad if in_flight(h, happened)]
    assert [h for h in bad if h not in flight] == []  # only what was under way at an instant
    assert len(flight) <= 10
    actions = by_action(hits)
    for action in ("dang-nhap", "trang", "tong-quan", "xep-hang", "don-vi", "tai-xuong",
                   "trinh-chieu"):  # fmt: skip
        ok = sum(1 for h in hits if h.action == action and h.status == 200)
        assert ok >= 1, (action, actions.get(action))
    # Nobody was logged out or refused: no 401/403/429 anywhere, before or after the events.
    assert [h for h in hits if 400 <= h.status < 500] == []
    after = [h for h in hits if h.at > happened[-1][1] + 2]
    assert after and all(h.status == 200 or h.status == 302 for h in after)
