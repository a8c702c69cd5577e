"""Uploaded files waiting for their confirmation, and their rejected rows, on disk under
instance/uploads. They hold citizens' names: each is deleted as soon as it has served (the
import done or refused, a newer file chosen) and at the latest an hour after it came."""

from __future__ import annotations

import contextlib
import ctypes
import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

KEEP_SECONDS = 3600
MAX_TOTAL_BYTES = 1 << 30  # what waits for confirmation, all users together
SUFFIXES = (".bin", ".json", "-rejected.csv")
_one_at_a_time = threading.BoundedSemaphore(1)


class Busy(RuntimeError):
    """Another file is being checked or imported, or too much waits; for the user."""


@contextmanager
def turn() -> Iterator[None]:
    """Check or import one file at a time in this process: each takes a core, a few hundred
    MB and the database's write lock; a second one waits for nothing but is told to retry,
    so no server thread is held waiting and /healthz keeps answering."""
    if not _one_at_a_time.acquire(blocking=False):
        raise Busy("Máy chủ đang kiểm tra hoặc nhập một tệp khác: hãy thử lại sau ít phút.")
    try:
        yield
    finally:
        _one_at_a_time.release()
        _give_back_memory()


def _give_back_memory() -> None:
    # A large file leaves the heap large; glibc keeps freed pages unless asked to return them.
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to ask
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def folder(instance_dir: Path) -> Path:
    """The uploads folder (created when missing, owner-only)."""
    path = instance_dir / "uploads"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def sweep(instance_dir: Path, now: float | None = None) -> int:
    """Delete what was uploaded more than an hour ago; how many files went."""
    limit = (now or time.time()) - KEEP_SECONDS
    gone = 0
    for path in folder(instance_dir).iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                gone += 1
        except FileNotFoundError:  # another process swept it first
            pass
    return gone


def keep(instance_dir: Path, data: bytes, name: str) -> str:
    """Store an upload until its confirmation; the token that names it. Busy when what waits
    already holds the disk's share."""
    sweep(instance_dir)
    held = sum(p.stat().st_size for p in folder(instance_dir).iterdir() if p.is_file())
    if held + len(data) > MAX_TOTAL_BYTES:
        raise Busy("Đang có nhiều tệp chờ xác nhận nhập: hãy thử lại sau ít phút.")
    token = uuid.uuid4().hex
    base = folder(instance_dir)
    (base / f"{token}.bin").write_bytes(data)
    (base / f"{token}.json").write_text(json.dumps({"name": name}), encoding="utf-8")
    return token


def _valid(token: str) -> str:
    if not (len(token) == 32 and all(c in "0123456789abcdef" for c in token)):
        raise ValueError("mã tệp tải lên không hợp lệ")
    return token


def read(instance_dir: Path, token: str) -> tuple[bytes, str]:
    """The upload's bytes and file name; FileNotFoundError once it is gone."""
    base = folder(instance_dir)
    meta = json.loads((base / f"{_valid(token)}.json").read_text(encoding="utf-8"))
    return (base / f"{token}.bin").read_bytes(), meta["name"]


def keep_rejected(instance_dir: Path, token: str, data: bytes) -> None:
    """The rejected rows of an upload, for the page's download link."""
    (folder(instance_dir) / f"{_valid(token)}-rejected.csv").write_bytes(data)


def rejected(instance_dir: Path, token: str) -> bytes:
    """The rejected rows kept for an upload; FileNotFoundError once they are gone."""
    return (folder(instance_dir) / f"{_valid(token)}-rejected.csv").read_bytes()


def discard(instance_dir: Path, token: str, keep_rejected_rows: bool = False) -> None:
    """Delete an upload (and, unless kept, its rejected rows)."""
    base = folder(instance_dir)
    for suffix in SUFFIXES:
        if keep_rejected_rows and suffix == "-rejected.csv":
            continue
        (base / f"{_valid(token)}{suffix}").unlink(missing_ok=True)
