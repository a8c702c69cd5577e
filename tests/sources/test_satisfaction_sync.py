"""Satisfaction votes (per dossier and per unit-month) and the portal's sync counts: months
matched to the unit valid on their first day, satisfied ≤ votes, totals rows skipped."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from sqlalchemy import Engine, select

from data_access.importer import import_bytes
from data_access.models import Unit
from data_access.score_models import SatisfactionVote, SyncCount
from tests.sources.files import count, imports, make

D = dt.date
VOTE_HEADER = ["STT", "Mã hồ sơ", "Đơn vị", "Ngày đánh giá", "Mức độ hài lòng"]
VOTES = [
    ["1", "000.00.10.H23-250305-0001", "Xã Đồng Lạc", "05/03/2025", "Rất hài lòng"],
    ["2", "000.00.10.H23-250306-0002", "Đồng Lạc", "28/03/2025 10:15", "Bình thường"],
    ["3", "000.00.10.H23-250710-0003", "10606", "10/07/2025", "Hài lòng"],
    ["4", "000.00.10.H23-250620-0004", "10606", "20/06/2025", "Không hài lòng"],
]  # fmt: skip
MONTH_HEADER = ["STT", "Mã đơn vị", "Tháng", "Số phiếu đánh giá", "Số phiếu hài lòng"]
MONTHS = [
    ["1", "10633", "06/2025", "40", "38"],
    ["2", "10633", "07/2025", "12", "12"],
    ["3", "10615", "01/03/2025", "1.250", "1.200"],
]  # fmt: skip
SYNC_HEADER = ["STT", "Đơn vị", "Mã đơn vị", "Tháng", "Số hồ sơ đồng bộ lên Cổng DVCQG"]
SYNCS = [
    ["1", "Trần Phú", "10633", "06/2025", "118"],
    ["2", "Xã Trần Phú", "10633", "07/2025", "96"],
    ["3", "", "10642", "Tháng 05/2025", "0"],
]  # fmt: skip


def _votes(engine: Engine) -> list[tuple]:
    v = SatisfactionVote
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                select(Unit.name, v.month, v.dossier_code, v.votes, v.satisfied)
                .join(Unit, Unit.id == v.unit_id)
                .order_by(v.month, v.dossier_code, Unit.name)
            )
        ]


def _syncs(engine: Engine) -> list[tuple]:
    s = SyncCount
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                select(Unit.name, s.month, s.synced)
                .join(Unit, Unit.id == s.unit_id)
                .order_by(s.month, Unit.name)
            )
        ]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_votes_per_dossier(ref_engine: Engine, kind: str) -> None:
    rep = import_bytes(ref_engine, make(kind, VOTE_HEADER, VOTES, "KẾT QUẢ ĐÁNH GIÁ"), f"dg.{kind}")
    assert rep.status == "committed", rep.summary()
    assert (rep.kind, rep.rows_read, rep.inserted) == ("satisfaction", 4, 4)
    assert _votes(ref_engine) == [
        ("Đồng Lạc", D(2025, 3, 1), "000.00.10.H23-250305-0001", 1, 1),
        ("Đồng Lạc", D(2025, 3, 1), "000.00.10.H23-250306-0002", 1, 0),
        ("Thị trấn Nam Sách", D(2025, 6, 1), "000.00.10.H23-250620-0004", 1, 0),
        ("Xã Nam Sách", D(2025, 7, 1), "000.00.10.H23-250710-0003", 1, 1),
    ]
    assert any(n.startswith("Bỏ qua dòng tổng cộng 9") for n in rep.notes)


def test_votes_per_unit_month_and_satisfied_over_votes_refused(ref_engine: Engine) -> None:
    rep = import_bytes(ref_engine, make("xlsx", MONTH_HEADER, MONTHS, "TỔNG HỢP"), "t.xlsx")
    assert rep.status == "committed", rep.summary()
    assert _votes(ref_engine) == [
        ("Hợp Tiến", D(2025, 3, 1), "", 1250, 1200),
        ("Trần Phú", D(2025, 6, 1), "", 40, 38),
        ("Xã Trần Phú", D(2025, 7, 1), "", 12, 12),
    ]
    again = import_bytes(ref_engine, make("xlsx", MONTH_HEADER, MONTHS, "TỔNG HỢP"), "t.xlsx")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    over = [r[:] for r in MONTHS]
    over[1][4] = "13"
    rep = import_bytes(ref_engine, make("csv", MONTH_HEADER, over, "TỔNG HỢP"), "t2.csv")
    assert rep.status == "refused"
    assert [(p.row, p.column, p.value, p.reason) for p in rep.problems] == [
        (6, "Số phiếu hài lòng", "13", "số phiếu hài lòng lớn hơn số phiếu đánh giá (12)")
    ]
    assert count(ref_engine, SatisfactionVote) == 3
    assert [i[:2] for i in imports(ref_engine)] == [
        ("satisfaction", "committed"),
        ("satisfaction", "committed"),
        ("satisfaction", "refused"),
    ]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_sync_counts_upserted_by_unit_and_month(ref_engine: Engine, kind: str) -> None:
    rep = import_bytes(ref_engine, make(kind, SYNC_HEADER, SYNCS, "SỐ LIỆU ĐỒNG BỘ"), f"s.{kind}")
    assert rep.status == "committed", rep.summary()
    assert (rep.kind, rep.inserted) == ("sync", 3)
    # 10633 is Trần Phú in June (from 1/12/2024), Xã Trần Phú from July; 10642 Thái Tân.
    assert _syncs(ref_engine) == [
        ("Thái Tân", D(2025, 5, 1), 0),
        ("Trần Phú", D(2025, 6, 1), 118),
        ("Xã Trần Phú", D(2025, 7, 1), 96),
    ]
    assert any(n.startswith("Bỏ qua dòng tổng cộng") for n in rep.notes)
    newer = [r[:] for r in SYNCS]
    newer[1][4] = "101"
    rep = import_bytes(ref_engine, make(kind, SYNC_HEADER, newer, "SỐ LIỆU"), f"s2.{kind}")
    assert (rep.inserted, rep.updated, rep.unchanged) == (0, 1, 2)
    assert _syncs(ref_engine)[2] == ("Xã Trần Phú", D(2025, 7, 1), 101)
    assert "Số hồ sơ đồng bộ lên Cổng DVCQG: đọc 3 dòng" in "\n".join(rep.summary())


def test_a_formula_cell_and_a_wrong_file_are_refused_clearly(ref_engine: Engine) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["UBND TỈNH HẢI DƯƠNG"])
    ws.append(SYNC_HEADER)
    ws.append(["1", "Trần Phú", "10633", "06/2025", "=100+18"])  # no value saved by openpyxl
    buf = io.BytesIO()
    wb.save(buf)
    rep = import_bytes(ref_engine, buf.getvalue(), "s.xlsx")
    assert rep.status == "refused" and rep.kind == "sync"
    assert [(p.row, p.column) for p in rep.problems] == [(3, "Số hồ sơ đồng bộ lên Cổng DVCQG")]
    assert any("công thức" in n for n in rep.notes)
    wrong = import_bytes(ref_engine, b"PK\x03\x04 not really a zip", "s.xlsx")
    assert wrong.status == "refused" and wrong.error and "Excel" in wrong.error
    assert count(ref_engine, SyncCount) == 0


def test_a_write_bumps_the_data_version_and_the_mapping_extends(
    ref_engine: Engine, tmp_path
) -> None:
    from data_access import versioning
    from data_access.importer.config import load_mapping

    extra = tmp_path / "extra.toml"
    extra.write_text('[sync_headers]\nsynced = ["SL hồ sơ lên cổng"]\n', encoding="utf-8")
    mapping = load_mapping(str(extra))
    header = ["STT", "Mã đơn vị", "Tháng", "SL HỒ SƠ LÊN CỔNG"]
    rows = [["1", "10642", "05/2025", "7"]]
    before = versioning.current(ref_engine)
    rep = import_bytes(ref_engine, make("csv", header, rows, "SỐ LIỆU"), "s.csv", mapping=mapping)
    assert (rep.kind, rep.inserted) == ("sync", 1), rep.summary()
    after = versioning.current(ref_engine)
    assert after != before
    # Without the extension the header is not a sync count's: the file is not taken as one.
    plain = import_bytes(ref_engine, make("csv", header, rows, "SỐ LIỆU"), "s.csv")
    assert plain.status == "refused" and plain.kind == "dossiers"
    # The same file with the extension again: nothing written, the version stays.
    import_bytes(ref_engine, make("csv", header, rows, "SỐ LIỆU (2)"), "s.csv", mapping=mapping)
    assert versioning.current(ref_engine) == after
