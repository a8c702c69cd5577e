"""The briefing pack built in the background for the page, with its progress to show
("Đang tạo bộ báo cáo… 4/10 biểu đồ") and the zip to download when it is ready.

Jobs live in this process (one waitress process serves the app); a job and its files are
dropped an hour after it ended.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import tempfile
import threading
import time
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

from dashboard.exports import pack
from dashboard.query import ViewQuery

KEEP_SECONDS = 3600


@dataclass
class Job:
    """One pack being built: what it has done so far, and its zip when done."""

    id: str
    period_label: str
    steps: list[str] = field(default_factory=list)
    zip_bytes: bytes | None = None
    error: str | None = None
    ended: float | None = None

    @property
    def done(self) -> bool:
        """Whether it ended, well or not."""
        return self.ended is not None


_jobs: dict[str, Job] = {}
_lock = threading.Lock()


def _forget_old() -> None:
    now = time.monotonic()
    with _lock:
        for key in [k for k, j in _jobs.items() if j.ended and now - j.ended > KEEP_SECONDS]:
            del _jobs[key]


def start(server: Flask, q: ViewQuery, period_label: str, deadline: dt.date) -> Job:
    """Start building the pack of `q`'s period in a thread; the job to poll."""
    _forget_old()
    job = Job(uuid.uuid4().hex, period_label)
    with _lock:
        _jobs[job.id] = job

    def run() -> None:
        folder = Path(tempfile.mkdtemp(prefix="tthc-pack-"))
        try:
            with server.app_context():
                built = pack.build(q, folder, deadline, job.steps.append)
            out = io.BytesIO()
            # Stored, not deflated: pptx, xlsx, docx and pdf are compressed already.
            with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
                for path in built.files:
                    zf.write(path, path.name)
            job.steps.append(f"Xong sau {built.seconds:.1f} giây".replace(".", ","))
            job.zip_bytes = out.getvalue()
        except Exception as exc:  # shown on the page; the server keeps serving
            job.error = f"Không tạo được bộ báo cáo: {exc}"
        finally:
            job.ended = time.monotonic()
            shutil.rmtree(folder, ignore_errors=True)

    threading.Thread(target=run, daemon=True, name=f"tthc-pack-{job.id[:8]}").start()
    return job


def get(job_id: str) -> Job | None:
    """The job of that id, if this process has it."""
    with _lock:
        return _jobs.get(job_id)
