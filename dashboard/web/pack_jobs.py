"""The briefing pack built in the background for the page, with its progress to show
("Đang tạo bộ báo cáo… 4/10 biểu đồ") and the zip to download when it is ready.

At most `TTHC_PACK_WORKERS` packs are built at once by this process; the others wait in line
and say so ("Đang chờ: 2 bộ báo cáo tạo trước"), and a person asking again for the pack of a
period already on its way gets that job. A finished zip is a file under instance/packs, not
memory; a job and its file are dropped an hour after it ended. Jobs live in this process (one
server process), or, when TTHC_REDIS_URL is set, on the shared queue that `tthc worker`
processes take them from (dashboard/web/pack_queue.py): then any server process polls any job.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import threading
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, has_app_context

from dashboard.domain.query import ViewQuery
from dashboard.exports import pack
from dashboard.services import context, entries
from dashboard.web import pack_queue

KEEP_SECONDS = 3600
MAX_WAITING = 20  # more asked for at once is refused: a queue nobody reaches the end of


class Busy(RuntimeError):
    """Too many packs are waiting; the message is for the user."""


@dataclass
class Job:
    """One pack being built: what it has done so far, and its zip when done."""

    id: str
    period_label: str
    owner: str
    key: str
    words: list[str] = field(default_factory=list)  # what its file name says it holds
    steps: list[str] = field(default_factory=list)
    zip_path: Path | None = None
    size: int = 0
    error: str | None = None
    started: float | None = None
    ended: float | None = None
    queued_at: float = field(default_factory=time.monotonic)
    ahead: int | None = None  # on the shared queue: packs built or waiting before this one

    @property
    def done(self) -> bool:
        """Whether it ended, well or not."""
        return self.ended is not None


_jobs: dict[str, Job] = {}
_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_pool_size = 0
# Called with ("started", job) when a worker takes a job; tests hold a worker there to see the
# line behind it. Empty in production.
_hooks: list[Callable[[str, Job], None]] = []


@contextmanager
def hook(fn: Callable[[str, Job], None]) -> Iterator[None]:
    """Call `fn(stage, job)` when a worker starts a job, inside the block."""
    _hooks.append(fn)
    try:
        yield
    finally:
        _hooks.remove(fn)


def _executor(workers: int) -> ThreadPoolExecutor:
    global _pool, _pool_size
    if _pool is None or _pool_size != workers:
        _pool, _pool_size = ThreadPoolExecutor(workers, thread_name_prefix="tthc-pack"), workers
    return _pool


def _forget_old() -> None:
    now = time.monotonic()
    with _lock:
        for key in [k for k, j in _jobs.items() if j.ended and now - j.ended > KEEP_SECONDS]:
            job = _jobs.pop(key)
            if job.zip_path is not None:
                job.zip_path.unlink(missing_ok=True)


def waiting_before(job: Job) -> int:
    """How many packs are built or waiting ahead of this one."""
    if job.ahead is not None:
        return job.ahead
    with _lock:
        return sum(
            1 for j in _jobs.values() if not j.done and j.queued_at < job.queued_at and j is not job
        )


def _folder() -> Path:
    path = context.get().settings.instance_dir / "packs"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def start(server: Flask, q: ViewQuery, period_label: str, deadline: dt.date, owner: str) -> Job:
    """Queue the pack of `q`'s period; the job to poll (the one already on its way when the
    same person asked for the same period). Busy when too many are waiting."""
    _forget_old()
    key = f"{q.period}|{deadline.isoformat()}"
    words = entries.filter_words(q)
    url = _shared_queue()
    if url is not None:
        if pack_queue.active(url) >= MAX_WAITING:
            raise Busy("Đang có quá nhiều bộ báo cáo chờ tạo: hãy thử lại sau ít phút.")
        found = get(pack_queue.enqueue(url, q, period_label, deadline, owner, key, words))
        assert found is not None
        return found
    with _lock:
        for job in _jobs.values():
            if job.owner == owner and job.key == key and not job.done:
                return job
        if sum(1 for j in _jobs.values() if not j.done) >= MAX_WAITING:
            raise Busy("Đang có quá nhiều bộ báo cáo chờ tạo: hãy thử lại sau ít phút.")
        job = Job(uuid.uuid4().hex, period_label, owner, key, words)
        _jobs[job.id] = job
    folder = _folder()

    def run() -> None:
        job.started = time.monotonic()
        for fn in list(_hooks):
            fn("started", job)
        work = Path(tempfile.mkdtemp(prefix="tthc-pack-"))
        try:
            with server.app_context():
                built = pack.build(q, work, deadline, job.steps.append)
            target = folder / f"{job.id}.zip"
            # Stored, not deflated: pptx, xlsx, docx and pdf are compressed already.
            with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as zf:
                for path in built.files:
                    zf.write(path, path.name)
            job.steps.append(f"Xong sau {built.seconds:.1f} giây".replace(".", ","))
            job.size, job.zip_path = target.stat().st_size, target
        except Exception as exc:  # shown on the page; the server keeps serving
            job.error = f"Không tạo được bộ báo cáo: {exc}"
        finally:
            job.ended = time.monotonic()
            shutil.rmtree(work, ignore_errors=True)

    with server.app_context():
        workers = context.get().settings.pack_workers
    _executor(workers).submit(run)
    return job


def _shared_queue() -> str | None:
    # Outside an app (a test reading this process's jobs) only this process's jobs exist.
    return context.get().settings.redis_url if has_app_context() else None


def get(job_id: str) -> Job | None:
    """The job of that id, if this process (or, with Redis, the shared queue) has it."""
    url = _shared_queue()
    if url is None:
        with _lock:
            return _jobs.get(job_id)
    seen = pack_queue.fetch(url, job_id) if len(job_id) <= 64 else None
    if seen is None:
        return None
    position = seen["position"]
    return Job(
        seen["id"],
        seen["label"],
        seen["owner"],
        seen["key"],
        words=list(seen["words"]),
        steps=list(seen["steps"]),
        size=int(seen.get("size", 0)),
        error=seen["error"],
        started=seen["started"],
        ended=seen["ended"],
        ahead=None if position is None else position + seen["running"],
    )


def zip_data(job: Job) -> bytes | Path | None:
    """The built zip: its file here, or its bytes from the shared store; None when gone."""
    url = _shared_queue()
    if url is None:
        return job.zip_path if job.zip_path is not None and job.zip_path.exists() else None
    return pack_queue.zip_data(url, job.id) if job.done and not job.error else None
