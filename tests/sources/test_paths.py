"""The 766 sources through `tthc import` (the CLI prints the report's summary) and the inbox."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from data_access.score_models import FeedbackItem, SyncCount
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
