"""Uploaded files waiting for their confirmation, and their rejected rows, on disk under
instance/uploads. They hold citizens' names: each is deleted as soon as it has served (the
import done or refused, a newer file chosen) and at the latest an hour after it came."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

KEEP_SECONDS = 3600
SUFFIXES = (".bin", ".json", "-rejected.csv")


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
    """Store an upload until its confirmation; the token that names it."""
    sweep(instance_dir)
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
