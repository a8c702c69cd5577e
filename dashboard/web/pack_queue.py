"""Briefing packs on the shared job queue (RQ on Redis, TTHC_REDIS_URL), built by `tthc
worker` processes: any server process can start a pack, poll it and hand out its zip, and a
pack goes on being built when the process that started it dies.

The job carries what the page shows (its steps as they happen, its error) in its meta; the zip,
once built, is kept in Redis for an hour, where every server process (on any machine) finds it.
Without Redis, dashboard/web/pack_jobs.py builds packs in the server process itself.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import tempfile
import time
import uuid
import zipfile
from pathlib import Path
from typing import Any

from dashboard.domain.query import ViewQuery
from dashboard.web import job_queue
from data_access.redis_store import PREFIX, client

KEEP_SECONDS = 3600
BUILD_SECONDS = 3600  # a pack taking longer than this is stopped (and says so)


def _queue(url: str) -> Any:
    return job_queue.queue(url, job_queue.PACKS)


def _zip_key(job_id: str) -> str:
    return f"{PREFIX}pack-zip:{job_id}"


def _stamp(moment: dt.datetime | None) -> float | None:
    return None if moment is None else moment.replace(tzinfo=dt.UTC).timestamp()


def active(url: str) -> int:
    """Packs waiting or being built now, by every worker."""
    queue = _queue(url)
    return int(queue.count) + int(queue.started_job_registry.count)


def enqueue(
    url: str, q: ViewQuery, label: str, deadline: dt.date, owner: str, key: str, words: list[str]
) -> str:
    """Put the pack on the queue, or find the one this person already asked for; its id."""
    r = client(url)
    asked = f"{PREFIX}pack-asked:{owner}|{key}"
    earlier = r.get(asked)
    if earlier is not None:
        found = fetch(url, earlier.decode())
        if found is not None and found["ended"] is None:
            return earlier.decode()
    job_id = uuid.uuid4().hex
    meta = {"label": label, "owner": owner, "key": key, "words": words, "steps": []}
    _queue(url).enqueue_call(
        build,
        args=(q, deadline),
        job_id=job_id,
        meta=meta,
        timeout=BUILD_SECONDS,
        result_ttl=KEEP_SECONDS,
        failure_ttl=KEEP_SECONDS,
        ttl=KEEP_SECONDS,
    )
    r.set(asked, job_id, ex=KEEP_SECONDS)
    return job_id


def fetch(url: str, job_id: str) -> dict[str, Any] | None:
    """What the page shows of a job: its meta, when it started and ended, its error."""
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus

    try:
        job = Job.fetch(job_id, connection=client(url))
    except NoSuchJobError:
        return None
    status = job.get_status(refresh=False)
    meta = dict(job.meta)
    error = meta.get("error")
    ended = _stamp(job.ended_at)
    if status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED) and not error:
        # The worker died or the build ran out of time: no zip will come.
        error = "Không tạo được bộ báo cáo: máy tạo báo cáo dừng giữa chừng, hãy tạo lại."
        ended = ended or time.time()
    position = job.get_position()
    return {
        **meta,
        "id": job.id,
        "started": _stamp(job.started_at),
        "ended": ended,
        "error": error,
        "position": position,
        "running": int(_queue(url).started_job_registry.count),
    }


def zip_data(url: str, job_id: str) -> bytes | None:
    """The built zip, while it is kept."""
    data = client(url).get(_zip_key(job_id))
    return bytes(data) if data is not None else None


def build(q: ViewQuery, deadline: dt.date) -> None:
    """In a worker: build the pack, telling each step to the job's meta, and keep the zip."""
    from rq import get_current_job

    from dashboard.exports import pack
    from dashboard.services import context

    job = get_current_job()
    assert job is not None, "build runs in a worker"
    steps: list[str] = job.meta.setdefault("steps", [])

    def step(text: str) -> None:
        steps.append(text)
        job.save_meta()

    work = Path(tempfile.mkdtemp(prefix="tthc-pack-"))
    try:
        built = pack.build(q, work, deadline, step)
        out = io.BytesIO()
        # Stored, not deflated: pptx, xlsx, docx and pdf are compressed already.
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
            for path in built.files:
                zf.write(path, path.name)
        url = context.get().settings.redis_url
        assert url is not None
        client(url).set(_zip_key(job.id), out.getvalue(), ex=KEEP_SECONDS)
        job.meta["size"] = out.tell()
        step(f"Xong sau {built.seconds:.1f} giây".replace(".", ","))
    except Exception as exc:  # shown on the page; the worker takes the next job
        job.meta["error"] = f"Không tạo được bộ báo cáo: {exc}"
        job.save_meta()
    finally:
        shutil.rmtree(work, ignore_errors=True)
