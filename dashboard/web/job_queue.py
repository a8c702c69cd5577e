"""The shared job queue (RQ on Redis, TTHC_REDIS_URL) and the worker that empties it.

Two queues: imports from the data page, taken first (a person waits on the page for each), and
briefing packs. `tthc worker` runs one worker on both; run as many as jobs should run at once.
"""

from __future__ import annotations

from typing import Any

from data_access.redis_store import client

IMPORTS = "tthc-nhap"
PACKS = "tthc"


def queue(url: str, name: str) -> Any:
    """The queue `name` on the Redis at `url`."""
    from rq import Queue

    return Queue(name, connection=client(url))


def work(url: str, burst: bool = False) -> None:
    """Run one worker on both queues until stopped (or, with `burst`, until they are empty)."""
    from rq import SimpleWorker

    # SimpleWorker: a job runs in this process, on its open database pool and its Chromium
    # for the charts, rather than in a forked child that would share them unsafely.
    worker = SimpleWorker([queue(url, IMPORTS), queue(url, PACKS)], connection=client(url))
    worker.work(burst=burst, logging_level="INFO")
