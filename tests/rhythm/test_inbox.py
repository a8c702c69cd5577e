"""The inbox imports each complete file once, moves it out, and never loses or double-counts
one: files shaped like the provincial system's (title rows, totals row, bare dates), on real
databases. Expected figures are the hand counts of tests/importer/test_real_exports.py."""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from dashboard.domain.periods import parse_period
from dashboard.rhythm import inbox
from dashboard.services import report
from dashboard.settings import Settings
from data_access.importer import import_bytes
from data_access.models import Dossier, Import
from data_access.rhythm_models import InboxFile
from tests.importer.test_real_exports import export


def _settings(folder: Path, settle: float = 60) -> Settings:
    return dataclasses.replace(
        Settings.from_env({"DATABASE_URL": "sqlite://"}), inbox=folder, inbox_settle_seconds=settle
    )


def _drop(folder: Path, name: str, data: bytes, done: bool = False, age: float = 0) -> Path:
    path = folder / name
    path.write_bytes(data)
    if age:
        old = time.time() - age
        os.utime(path, (old, old))
    if done:
        path.with_name(name + ".done").write_bytes(b"")
    return path


def _count(engine: Engine, what) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(what)).scalar_one()


def _quoc_tuan_q1(engine: Engine) -> tuple:
    rep = report.compute(engine, parse_period("2025-Q1"), ["10621"])
    return rep.units[0].indicators["on_time"].numerator, rep.units[0].indicators[
        "on_time"
    ].denominator


def test_a_complete_file_is_imported_once_and_moved(ref_engine: Engine, tmp_path: Path) -> None:
    box = tmp_path / "hop-thu"
    box.mkdir()
    data = export("xlsx")  # once: a workbook carries the moment it was written
    _drop(box, "ho-so-ngay.xlsx", data, done=True)
    done = inbox.run_pass(ref_engine, _settings(box), box)
    assert [(t.name, t.status) for t in done.taken] == [("ho-so-ngay.xlsx", "imported")]
    moved = done.taken[0].moved_to
    assert moved.parent == box / "da-nhap" and moved.name.endswith("-ho-so-ngay.xlsx")
    assert moved.read_bytes() == data
    assert sorted(p.name for p in box.iterdir()) == [".tthc-inbox.lock", "da-nhap"]
    assert _count(ref_engine, Dossier) == 13  # the file's 13 dossiers, title and totals left
    # Quốc Tuấn, Q1/2025: 5 of 7 on time, counted by hand in test_real_exports.
    assert _quoc_tuan_q1(ref_engine) == (5, 7)
    with ref_engine.connect() as conn:
        user = conn.execute(select(Import.user)).scalar_one()
    assert user == "hộp thư tự động"

    # The same bytes again, under another name (the vendor sent it twice): moved, not imported.
    _drop(box, "ho-so-ngay (1).xlsx", data, done=True)
    again = inbox.run_pass(ref_engine, _settings(box), box)
    assert [t.status for t in again.taken] == ["already"]
    assert "không nhập lại" in again.taken[0].lines[0]
    assert again.taken[0].moved_to.parent == box / "da-nhap"
    assert _count(ref_engine, Import) == 1 and _count(ref_engine, Dossier) == 13
    assert _quoc_tuan_q1(ref_engine) == (5, 7)


def test_a_file_being_written_waits_until_it_settles(ref_engine: Engine, tmp_path: Path) -> None:
    box = tmp_path / "in"
    box.mkdir()
    data = export("csv")
    path = _drop(box, "ho-so.csv", data[: len(data) // 2])  # half written, just now
    _drop(box, "ho-so.csv.filepart", b"partial upload by WinSCP")
    first = inbox.run_pass(ref_engine, _settings(box, settle=60), box)
    assert first.taken == [] and first.waiting == ["ho-so.csv"]
    assert _count(ref_engine, Import) == 0
    # The writer finishes; a minute later the file has not changed: complete.
    path.write_bytes(data)
    old = time.time() - 61
    os.utime(path, (old, old))
    second = inbox.run_pass(ref_engine, _settings(box, settle=60), box)
    assert [(t.name, t.status) for t in second.taken] == [("ho-so.csv", "imported")]
    assert (box / "ho-so.csv.filepart").exists()  # never taken
    assert _quoc_tuan_q1(ref_engine) == (5, 7)


def test_an_import_committed_before_a_crash_is_not_counted_again(
    ref_engine: Engine, tmp_path: Path
) -> None:
    """The server died after the import committed and before the file left the inbox: the
    next pass finds the content imported and moves the file."""
    box = tmp_path / "in"
    box.mkdir()
    data = export("csv")
    assert import_bytes(ref_engine, data, "ho-so.csv", user="hộp thư tự động").status == "committed"
    _drop(box, "ho-so.csv", data, done=True)
    done = inbox.run_pass(ref_engine, _settings(box), box)
    assert [t.status for t in done.taken] == ["already"]
    assert _count(ref_engine, Import) == 1 and _count(ref_engine, Dossier) == 13


def test_a_refused_file_goes_to_loi_with_its_report(ref_engine: Engine, tmp_path: Path) -> None:
    box = tmp_path / "in"
    box.mkdir()
    broken = (
        b"\xef\xbb\xbfSTT,Ghi ch\xc3\xba\r\n1,kh\xc3\xb4ng c\xc3\xb3 c\xe1\xbb\x99t n\xc3\xa0o\r\n"
    )
    _drop(box, "sai-mau.csv", broken, age=120)
    _drop(box, "ghi-chu.docx", b"PK\x03\x04 not an export", age=120)
    done = inbox.run_pass(ref_engine, _settings(box), box)
    assert sorted((t.name, t.status) for t in done.taken) == [
        ("ghi-chu.docx", "refused"),
        ("sai-mau.csv", "refused"),
    ]
    errors = box / "loi"
    reports = {
        p.name.split("-", 2)[2]: p.read_text(encoding="utf-8") for p in errors.glob("*.loi.txt")
    }
    assert "Tệp bị từ chối: không ghi gì vào cơ sở dữ liệu." in reports["sai-mau.csv.loi.txt"]
    assert reports["ghi-chu.docx.loi.txt"] == "Tệp ghi-chu.docx: chỉ nhận .csv, .xlsx, .json.\n"
    assert len(list(errors.glob("*-sai-mau.csv"))) == 1
    assert _count(ref_engine, Dossier) == 0
    with ref_engine.connect() as conn:
        assert conn.execute(select(InboxFile.status)).scalars().all() == ["refused", "refused"]


def test_two_passes_at_once_take_turns(ref_engine: Engine, tmp_path: Path) -> None:
    fcntl = pytest.importorskip("fcntl")
    box = tmp_path / "in"
    box.mkdir()
    _drop(box, "ho-so.csv", export("csv"), done=True)
    with open(box / inbox.LOCK_NAME, "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        busy = inbox.run_pass(ref_engine, _settings(box), box)
        fcntl.flock(held, fcntl.LOCK_UN)
    assert busy.busy and busy.taken == [] and (box / "ho-so.csv").exists()
    assert [t.status for t in inbox.run_pass(ref_engine, _settings(box), box).taken] == ["imported"]


def test_a_link_is_refused_unread(ref_engine: Engine, tmp_path: Path) -> None:
    """A symlink dropped in the inbox (SFTP allows it) is never followed: the file it points
    to, outside the inbox, is neither imported nor quoted in a report."""
    box = tmp_path / "in"
    box.mkdir()
    outside = tmp_path / "ngoai" / "bi-mat.csv"
    outside.parent.mkdir()
    outside.write_bytes(export("csv"))  # a valid export: it would import if followed
    (box / "lien-ket.csv").symlink_to(outside)
    done = inbox.run_pass(ref_engine, _settings(box), box)
    assert [(t.name, t.status) for t in done.taken] == [("lien-ket.csv", "refused")]
    moved = done.taken[0].moved_to
    assert moved.parent == box / "loi" and moved.is_symlink()
    report = moved.with_name(moved.name + ".loi.txt").read_text(encoding="utf-8")
    assert report == "Tệp lien-ket.csv là liên kết (symlink) tới tệp khác: không đọc, không nhập.\n"
    assert _count(ref_engine, Dossier) == 0 and _count(ref_engine, Import) == 0
    assert outside.is_file()  # the target untouched
