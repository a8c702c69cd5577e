"""The inbox: a folder where the one-stop vendor's exports arrive (shared folder, SFTP drop).
A complete file is imported, then moved to `da-nhap/`, or to `loi/` with the refusal report
beside it. Nothing is lost and nothing counted twice:

- a file is complete when a marker `<name>.done` sits beside it, or when it has not changed
  for `settle_seconds` (a file still being written is left for the next pass);
- the file leaves the inbox only after its import committed (a crash in between leaves it
  there, and the next pass finds its content already imported: moved, not imported again);
- the same content again (by SHA-256, the import's own file hash) is moved to `da-nhap/`
  unimported, and a dossier is keyed by its code in any case;
- one pass at a time per inbox (a lock file): the scheduler and a `tthc inbox --once` from
  cron may overlap.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from dashboard.domain import clock
from dashboard.settings import Settings
from data_access import inbox_files
from data_access.importer import ImportReport, import_bytes
from data_access.importer.config import load_mapping

SUFFIXES = (".csv", ".xlsx", ".json")
DONE_DIR, ERROR_DIR = "da-nhap", "loi"
MARKER = ".done"
LOCK_NAME = ".tthc-inbox.lock"
# Names a copy in progress carries (WinSCP, FileZilla, rsync, Office's lock files).
IN_PROGRESS = (".part", ".filepart", ".tmp", ".crdownload", ".partial")
USER = "hộp thư tự động"


@dataclass
class Taken:
    """What a pass did with one file."""

    name: str
    status: str  # imported, already (the same content before), refused
    moved_to: Path
    lines: list[str] = field(default_factory=list)  # the import report, Vietnamese
    report: ImportReport | None = None


@dataclass
class Pass:
    """One pass over the inbox."""

    taken: list[Taken] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)  # not complete yet
    busy: bool = False  # another pass held the lock


def _candidate(path: Path) -> bool:
    name = path.name
    # A link is a candidate only to be refused unread (never followed: it could point at any
    # file the service account may read, and a refusal report quotes cell values).
    return (
        (path.is_symlink() or path.is_file())
        and not name.startswith((".", "~$"))
        and not name.lower().endswith((MARKER, *IN_PROGRESS))
    )


def ready_files(
    folder: Path, settle_seconds: float, now: float | None = None
) -> tuple[list[Path], list[Path]]:
    """(complete files oldest first, files still being written) in `folder`."""
    now = time.time() if now is None else now
    ready, waiting = [], []
    for path in sorted(folder.iterdir(), key=lambda p: (p.lstat().st_mtime, p.name)):
        if not _candidate(path):
            continue
        marked = path.with_name(path.name + MARKER).exists()
        if marked or path.is_symlink() or now - path.lstat().st_mtime >= settle_seconds:
            ready.append(path)
        else:
            waiting.append(path)
    return ready, waiting


@contextlib.contextmanager
def _lock(folder: Path) -> Iterator[bool]:
    """Hold the inbox's lock for a pass: True when taken, False when another pass has it."""
    try:
        import fcntl
    except ImportError:  # Windows: one scheduler is the rule there
        yield True
        return
    with open(folder / LOCK_NAME, "a+b") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _destination(folder: Path, sub: str, name: str) -> Path:
    """`<folder>/<sub>/<YYYYmmdd-HHMMSS>-<name>`, a counter added when taken."""
    target = folder / sub
    target.mkdir(exist_ok=True)
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    path = target / f"{stamp}-{name}"
    n = 1
    while path.exists():
        n += 1
        path = target / f"{stamp}-{n}-{name}"
    return path


def _move(path: Path, dest: Path) -> None:
    os.replace(path, dest)
    marker = path.with_name(path.name + MARKER)
    if marker.exists():
        marker.unlink()


def _record(engine: Engine, t: Taken, digest: str, size: int) -> None:
    report = t.report
    inbox_files.record(
        engine, digest, t.name, size, t.status != "refused",
        report.import_id if report else None, str(t.moved_to),
    )  # fmt: skip


def _refusal_text(report: ImportReport) -> str:
    lines = report.summary()
    if report.history is not None:
        lines += report.history.problem_lines()
    return "\n".join(lines) + "\n"


def _read_plain(path: Path) -> tuple[os.stat_result, bytes]:
    """The status and bytes of a regular file, never through a link (O_NOFOLLOW: a link put
    in its place between the check and the read fails instead of being followed)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as fh:
        before = os.fstat(fh.fileno())
        return before, fh.read()


def _take(
    engine: Engine, settings: Settings, folder: Path, path: Path, mapping, may_wait: bool
) -> Taken | None:
    """Import `path` and move it; None when it changed while read, or when `may_wait` and it
    is a history waiting for dossiers of another file (left in place for the end of the
    pass: a refused import writes nothing)."""
    if path.is_symlink():
        dest = _destination(folder, ERROR_DIR, path.name)
        reason = f"Tệp {path.name} là liên kết (symlink) tới tệp khác: không đọc, không nhập."
        dest.with_name(dest.name + ".loi.txt").write_text(reason + "\n", encoding="utf-8")
        _move(path, dest)  # the link itself, its target untouched
        return Taken(path.name, "refused", dest, [reason])
    try:
        before, data = _read_plain(path)
    except OSError:
        return None  # replaced by a link or gone meanwhile: the next pass says which
    after = path.stat()
    changed = (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns)
    if changed or len(data) != after.st_size:
        return None  # written while read: the next pass
    digest = hashlib.sha256(data).hexdigest()
    if path.suffix.lower() not in SUFFIXES:
        dest = _destination(folder, ERROR_DIR, path.name)
        t = Taken(path.name, "refused", dest, [f"Tệp {path.name}: chỉ nhận .csv, .xlsx, .json."])
    elif (when := inbox_files.imported_at(engine, digest)) is not None:
        dest = _destination(folder, DONE_DIR, path.name)
        t = Taken(
            path.name, "already", dest,
            [f"Tệp {path.name}: cùng nội dung đã nhập lúc {when:%H:%M %d/%m/%Y}; không nhập lại."],
        )  # fmt: skip
    else:
        report = import_bytes(
            engine, data, path.name, user=USER, mapping=mapping,
            calendar=settings.work_calendar(),
        )  # fmt: skip
        if may_wait and report.waits_for_dossiers:
            return None
        ok = report.status == "committed"
        dest = _destination(folder, DONE_DIR if ok else ERROR_DIR, path.name)
        t = Taken(path.name, "imported" if ok else "refused", dest, report.summary(), report)
    if t.status == "refused":
        dest.with_name(dest.name + ".loi.txt").write_text(
            _refusal_text(t.report) if t.report else "\n".join(t.lines) + "\n", encoding="utf-8"
        )
        if t.report is not None and t.report.rejected_cells:
            dest.with_name(dest.name + ".dong-loi.csv").write_bytes(t.report.rejected_csv())
    _move(path, dest)
    _record(engine, t, digest, len(data))
    return t


def run_pass(engine: Engine, settings: Settings, folder: Path) -> Pass:
    """Import every complete file in `folder` once; a file of steps whose dossiers come in a
    later file of the same pass is tried again after them."""
    folder.mkdir(parents=True, exist_ok=True)
    out = Pass()
    with _lock(folder) as held:
        if not held:
            out.busy = True
            return out
        ready, waiting = ready_files(folder, settings.inbox_settle_seconds)
        out.waiting = [p.name for p in waiting]
        mapping = load_mapping(settings.import_mapping)
        later: list[Path] = []
        for path in ready:
            t = _take(engine, settings, folder, path, mapping, may_wait=len(ready) > 1)
            if t is not None:
                out.taken.append(t)
            elif path.exists():
                later.append(path)
        for path in later:
            t = _take(engine, settings, folder, path, mapping, may_wait=False)
            if t is not None:
                out.taken.append(t)
    return out
