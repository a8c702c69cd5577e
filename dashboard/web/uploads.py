"""Uploaded files waiting for their confirmation, and their rejected rows, on disk under
instance/uploads, or in Redis when several processes serve the app (TTHC_REDIS_URL: the check
may run on one process, the confirmation on another, the import in `tthc worker`). They hold
citizens' names: each is deleted as soon as it has served (the import done or refused, a newer
file chosen) and at the latest an hour after it came."""

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
from typing import Any

from data_access import redis_store

KEEP_SECONDS = 3600
MAX_TOTAL_BYTES = 1 << 30  # what waits for confirmation, all users together
SUFFIXES = (".bin", ".json", "-rejected.csv")
_one_at_a_time = threading.BoundedSemaphore(1)


class Busy(RuntimeError):
    """Another file is being checked or imported, or too much waits; for the user."""


BUSY = "Máy chủ đang kiểm tra hoặc nhập một tệp khác: hãy thử lại sau ít phút."
TURN_SECONDS = 1800  # the shared turn frees itself if its holder dies


def _shared() -> Any:
    """The Redis client when uploads are shared (TTHC_REDIS_URL), else None (on disk)."""
    from dashboard.services import context

    url = context.get().settings.redis_url
    return redis_store.client(url) if url else None


@contextmanager
def turn() -> Iterator[None]:
    """Check or import one file at a time (in this process, or with Redis in the whole
    deployment): each takes a core, a few hundred MB and the database's write lock; a second
    one waits for nothing but is told to retry, so no server thread is held waiting and
    /healthz keeps answering."""
    r = _shared()
    if r is not None:
        lock = r.lock(f"{redis_store.PREFIX}import-turn", timeout=TURN_SECONDS)
        if not lock.acquire(blocking=False):
            raise Busy(BUSY)
        try:
            yield
        finally:
            with contextlib.suppress(Exception):  # expired while held: nothing left to free
                lock.release()
        return
    if not _one_at_a_time.acquire(blocking=False):
        raise Busy(BUSY)
    try:
        yield
    finally:
        _one_at_a_time.release()
        _give_back_memory()


def _key(token: str, suffix: str) -> str:
    return f"{redis_store.PREFIX}upload:{_valid(token)}{suffix}"


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
    token = uuid.uuid4().hex
    r = _shared()
    if r is not None:  # Redis drops what waited an hour by itself
        with r.pipeline(transaction=True) as p:
            p.set(_key(token, ".bin"), data, ex=KEEP_SECONDS)
            p.set(_key(token, ".json"), json.dumps({"name": name}), ex=KEEP_SECONDS)
            p.execute()
        return token
    sweep(instance_dir)
    held = sum(p.stat().st_size for p in folder(instance_dir).iterdir() if p.is_file())
    if held + len(data) > MAX_TOTAL_BYTES:
        raise Busy("Đang có nhiều tệp chờ xác nhận nhập: hãy thử lại sau ít phút.")
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
    r = _shared()
    if r is not None:
        data, meta = r.mget(_key(token, ".bin"), _key(token, ".json"))
        if data is None or meta is None:
            raise FileNotFoundError(token)
        return bytes(data), json.loads(meta)["name"]
    base = folder(instance_dir)
    meta = json.loads((base / f"{_valid(token)}.json").read_text(encoding="utf-8"))
    return (base / f"{token}.bin").read_bytes(), meta["name"]


def keep_rejected(instance_dir: Path, token: str, data: bytes) -> None:
    """The rejected rows of an upload, for the page's download link."""
    r = _shared()
    if r is not None:
        r.set(_key(token, "-rejected.csv"), data, ex=KEEP_SECONDS)
        return
    (folder(instance_dir) / f"{_valid(token)}-rejected.csv").write_bytes(data)


def rejected(instance_dir: Path, token: str) -> bytes:
    """The rejected rows kept for an upload; FileNotFoundError once they are gone."""
    r = _shared()
    if r is not None:
        found = r.get(_key(token, "-rejected.csv"))
        if found is None:
            raise FileNotFoundError(token)
        return bytes(found)
    return (folder(instance_dir) / f"{_valid(token)}-rejected.csv").read_bytes()


def discard(instance_dir: Path, token: str, keep_rejected_rows: bool = False) -> None:
    """Delete an upload (and, unless kept, its rejected rows)."""
    suffixes = [s for s in SUFFIXES if not (keep_rejected_rows and s == "-rejected.csv")]
    r = _shared()
    if r is not None:
        r.delete(*(_key(token, suffix) for suffix in suffixes))
        return
    base = folder(instance_dir)
    for suffix in suffixes:
        (base / f"{_valid(token)}{suffix}").unlink(missing_ok=True)
