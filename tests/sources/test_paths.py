"""The 766 sources through `tthc import` (the CLI prints the report's summary) and the inbox."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from dashboard.rhythm import inbox
from dashboard.settings import Settings
from data_access.importer.load import latest_imports
from data_access.models import Import
from data_access.score_models import FeedbackItem, SyncCount
from layouts import data as data_page
from tests.cli_runner import cli_runner
from tests.sources import test_feedback as fb
from tests.sources import test_satisfaction_sync as ss
from tests.sources.files import count, make


@pytest.fixture
def run(ref_engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys):
    return cli_runner(ref_engine.url.render_as_string(hide_password=False), monkeypatch, capsys)


def test_tthc_import_prints_each_sources_summary(ref_engine: Engine, run, tmp_path: Path) -> None:
    pakn = tmp_path / "pakn.xlsx"
    pakn.write_bytes(make("xlsx", fb.HEADER, fb.ROWS, fb.TITLE))
    sync = tmp_path / "dongbo.csv"
    sync.write_bytes(make("csv", ss.SYNC_HEADER, ss.SYNCS, "SỐ LIỆU ĐỒNG BỘ"))
    code, out, err = run("import", str(pakn), str(sync))
    assert code == 0, err
    assert "Phản ánh, kiến nghị (PAKN): đọc 4 dòng; 4 PAKN mới, 0 cập nhật" in out
    assert "Số hồ sơ đồng bộ lên Cổng DVCQG: đọc 3 dòng; 3 dòng đơn vị – tháng mới" in out
    assert (count(ref_engine, FeedbackItem), count(ref_engine, SyncCount)) == (4, 3)


def test_the_inbox_takes_a_source_file_once(ref_engine: Engine, tmp_path: Path) -> None:
    box = tmp_path / "hop-thu"
    box.mkdir()
    data = make("xlsx", fb.HEADER, fb.ROWS, fb.TITLE)  # once: a workbook carries its moment
    (box / "pakn-thang-3.xlsx").write_bytes(data)
    (box / "pakn-thang-3.xlsx.done").write_bytes(b"")
    settings = dataclasses.replace(
        Settings.from_env({"DATABASE_URL": "sqlite://"}), inbox=box, inbox_settle_seconds=60
    )
    done = inbox.run_pass(ref_engine, settings, box)
    assert [(t.name, t.status) for t in done.taken] == [("pakn-thang-3.xlsx", "imported")]
    assert any("4 PAKN mới" in line for line in done.taken[0].lines)
    assert done.taken[0].moved_to.parent == box / "da-nhap"
    assert count(ref_engine, FeedbackItem) == 4
    with ref_engine.connect() as conn:
        assert conn.execute(select(Import.kind, Import.user)).all() == [
            ("feedback", "hộp thư tự động")
        ]
    # The data page's list says what the file held.
    table = data_page.imports_table(latest_imports(ref_engine))
    cells = [td.children for td in table.children[1].children[0].children]
    assert cells[1:4] == ["hộp thư tự động", "PAKN", "pakn-thang-3.xlsx"]
    # The same bytes again under another name: moved, not imported twice.
    (box / "pakn (1).xlsx").write_bytes(data)
    (box / "pakn (1).xlsx.done").write_bytes(b"")
    again = inbox.run_pass(ref_engine, settings, box)
    assert [t.status for t in again.taken] == ["already"]
    assert count(ref_engine, FeedbackItem) == 4 and count(ref_engine, Import) == 1


def test_tthc_import_of_a_missing_file_says_so(run, tmp_path: Path) -> None:
    code, _out, err = run("import", str(tmp_path / "khong-co.csv"), str(tmp_path))
    assert code == 2
    assert err.splitlines() == [
        f"Không có tệp «{tmp_path / 'khong-co.csv'}» (hoặc đó là một thư mục): không nhập gì.",
        f"Không có tệp «{tmp_path}» (hoặc đó là một thư mục): không nhập gì.",
    ]
