"""Files are read in a child process under a memory and a time limit: a reader that aborts or
runs away takes only the child with it, and the user reads why."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from data_access.importer.config import load_mapping
from data_access.importer.isolation import read_isolated
from data_access.importer.reader import FileRefused
from tests.importer.files import (
    HEADER,
    csv_bytes,
    falsified_size_zip,
    far_cell_sheet,
    shared_string_amplifier,
    sparse_far_sheet,
    unplaced_cells_sheet,
    xlsx_bytes,
)

M = load_mapping()


def test_the_child_sends_back_the_cells_the_reader_read() -> None:
    rows = [[str(i), f"HS-{i}", "Xã Đồng Lạc", 1.5, ""] for i in range(1, 51)]
    table = read_isolated(xlsx_bytes(rows), "hoso.xlsx", M.limits)
    assert table.kind == "xlsx"
    assert table.rows[2] == HEADER  # after the two title rows
    assert table.rows[3][:4] == ["1", "HS-1", "Xã Đồng Lạc", 1.5]
    assert table.row_numbers[3] == 5  # the Excel row the user sees (an empty third row)
    assert table.rows[-1][:2] == ["Tổng cộng", 50]


def test_a_reader_that_runs_out_of_memory_takes_only_the_child() -> None:
    # One shared string of 1 MB used by 400 cells: a small sheet the scan lets through, and
    # calamine holds a copy per cell. Under a 300 MB limit the child fails; this process
    # does not, and says why.
    limits = dict(M.limits, max_read_mb=300)
    with pytest.raises(FileRefused) as err:
        read_isolated(shared_string_amplifier(), "nhan-ban.xlsx", limits)
    assert "Đọc tệp cần hơn 300 MB bộ nhớ" in str(err.value)
    assert "xóa các ô thừa ở xa" in str(err.value)
    # This process is whole and reads the next file.
    assert read_isolated(csv_bytes([["1", "HS-1"]]), "tiep.csv", M.limits).rows[-1][:2] == [
        "1",
        "HS-1",
    ]


def test_a_read_over_its_time_is_stopped() -> None:
    # No read answers in zero seconds: the child is stopped, and its reason given.
    data = csv_bytes([[str(i), f"HS-{i}", "Xã Đồng Lạc"] for i in range(20_000)])
    with pytest.raises(FileRefused) as err:
        read_isolated(data, "cham.csv", dict(M.limits, max_read_seconds=0))
    assert "Đọc tệp quá 0 giây: đã dừng" in str(err.value)


@pytest.mark.parametrize(
    "make", [sparse_far_sheet, far_cell_sheet, unplaced_cells_sheet, falsified_size_zip]
)
def test_the_cli_dry_run_refuses_with_a_reason(make, tmp_path: Path) -> None:
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(make())
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        TTHC_INSTANCE_DIR=str(tmp_path),
    )
    out = subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "import", "--dry-run", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 1, out.stderr  # refused, not killed by a signal
    assert "Tệp bị từ chối" in out.stderr
    reasons = ("rất xa vùng dữ liệu", "không ghi vị trí", "không khớp với kích thước")
    assert any(reason in out.stderr for reason in reasons), out.stderr
    assert "Traceback" not in out.stderr
