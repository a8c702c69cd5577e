"""Imports from the data page run by `tthc worker` when several processes serve the app
(TTHC_REDIS_URL): the file's check and its import take a worker's core and memory, not a
server process's, and the page waits for the report as it does when the server imports
itself (dashboard/web/uploads.py keeps the file in Redis meanwhile)."""

from __future__ import annotations

import time

from dashboard.services import context
from dashboard.web import job_queue, uploads
from data_access.importer import import_bytes
from data_access.importer.load import ImportReport

WAIT_SECONDS = uploads.TURN_SECONDS


def run(url: str, token: str, dry_run: bool, partial: bool, user: str) -> ImportReport:
    """Queue the check or the import of an upload and wait for its report. FileNotFoundError
    when the file is gone; RuntimeError when the worker failed or nobody took the job."""
    from rq.results import Result

    job = job_queue.queue(url, job_queue.IMPORTS).enqueue_call(
        work_import,
        args=(token, dry_run, partial, user),
        timeout=WAIT_SECONDS,
        result_ttl=600,
        failure_ttl=3600,
        ttl=WAIT_SECONDS,
    )
    deadline = time.monotonic() + WAIT_SECONDS
    while (result := job.latest_result(timeout=4)) is None:  # blocks on Redis, 4 s a call
        if time.monotonic() > deadline:
            job.cancel()
            raise RuntimeError("Không có tiến trình nào nhận việc nhập (tthc worker).")
    if result.type == Result.Type.SUCCESSFUL:
        return result.return_value
    if "FileNotFoundError" in (result.exc_string or ""):
        raise FileNotFoundError(token)
    last = (result.exc_string or "").strip().splitlines()[-1:] or ["lỗi không rõ"]
    raise RuntimeError(f"Không nhập được tệp: {last[0]}")


def work_import(token: str, dry_run: bool, partial: bool, user: str) -> ImportReport:
    """Check or import the upload kept under `token` (in a worker, or in the server process
    itself when it serves alone)."""
    ctx = context.get()
    data, name = uploads.read(ctx.settings.instance_dir, token)
    return import_bytes(
        ctx.engine,
        data,
        name,
        user=user,
        partial=partial,
        dry_run=dry_run,
        calendar=ctx.settings.work_calendar(),
    )
