"""Briefing packs from the page wait in line: at most TTHC_PACK_WORKERS are built at once, the
others say how many are ahead, a second ask for the same pack gets the same job, and each zip
ends as a file on disk, not in memory."""

from __future__ import annotations

import datetime as dt
import threading
import zipfile
from pathlib import Path

from dash.testing.wait import until

from callbacks.overview import poll_pack
from dashboard.domain.query import ViewQuery
from dashboard.settings import Settings
from dashboard.web import pack_jobs
from dashboard.web.app import create_app


def test_packs_wait_in_line_and_end_on_disk(demo_url: str, tmp_path: Path) -> None:
    app = create_app(
        Settings(database_url=demo_url, instance_dir=tmp_path, demo_on_empty=False, pack_workers=1)
    )
    server = app.server
    deadline = dt.date(2025, 4, 15)
    release = threading.Event()
    started: list[str] = []

    def hold_the_first(stage: str, job: pack_jobs.Job) -> None:  # in the worker's thread
        started.append(job.id)
        if len(started) == 1:
            release.wait(600)

    with server.test_request_context(), pack_jobs.hook(hold_the_first):
        try:
            a = pack_jobs.start(server, ViewQuery(period="2025-Q1"), "Quý I/2025", deadline, "vp")
            b = pack_jobs.start(server, ViewQuery(period="2025-03"), "Tháng 3/2025", deadline, "vp")
            c = pack_jobs.start(server, ViewQuery(period="2025-Q1"), "Quý I/2025", deadline, "ld")
            # The same person asking again for the same pack: the same job, not a fourth.
            again = pack_jobs.start(
                server, ViewQuery(period="2025-Q1"), "Quý I/2025", deadline, "vp"
            )
            assert again is a
            until(lambda: started == [a.id], timeout=60)
            # One worker, held on the first pack: the others wait and say where they stand.
            assert b.started is None and c.started is None
            assert pack_jobs.waiting_before(b) == 1 and pack_jobs.waiting_before(c) == 2
            stop, status = poll_pack(1, c.id)
            assert stop is False and "Đang chờ: 2 bộ báo cáo tạo trước" in str(status)
        finally:
            release.set()
        until(lambda: a.done and b.done and c.done, timeout=600)
    assert [j.error for j in (a, b, c)] == [None, None, None]
    # One at a time: each began after the one before it ended.
    assert a.ended <= b.started and b.ended <= c.started
    for job in (a, b, c):
        assert job.zip_path is not None and job.zip_path.parent == tmp_path / "packs"
        assert job.size == job.zip_path.stat().st_size > 100_000
        assert any(n.endswith(".pptx") for n in zipfile.ZipFile(job.zip_path).namelist())
    client = server.test_client()
    res = client.get(f"/xuat/bao-cao/{b.id}.zip")
    assert res.status_code == 200 and res.data == b.zip_path.read_bytes()
