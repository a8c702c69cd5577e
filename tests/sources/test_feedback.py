"""The PAKN export: the unit found on the received day (10606 was Thị trấn Nam Sách until
30/6/2025, Xã Nam Sách from 1/7/2025), words mapped, idempotent, refused whole or partial."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select

from data_access.importer import import_bytes
from data_access.models import Unit
from data_access.score_models import FeedbackItem
from tests.sources.files import count, imports, make

D = dt.date
HEADER = ["STT", "Mã PAKN", "Mã đơn vị", "Ngày tiếp nhận", "Hạn xử lý", "Ngày trả lời",
          "Phân loại", "Đánh giá", "Nội dung"]  # fmt: skip
ROWS = [
    ["1", "PAKN-0001", "10606", "20/06/2025", "30/06/2025", "25/06/2025",
     "Thủ tục hành chính", "Hài lòng", "Chậm trả kết quả"],
    ["2", "PAKN-0002", "10606", "15/07/2025", "25/07/2025", "",
     "Hành vi cán bộ", "", "Thái độ"],
    ["3", "PAKN-0003", "10657", "02/03/2025", "12/03/2025", "14/03/2025",
     "Khác", "Chưa hài lòng", ""],
    ["4", "PAKN-0004", "10633", "01/08/2025", "", "05/08/2025", "TTHC", "Rất hài lòng", ""],
]  # fmt: skip
TITLE = "DANH SÁCH PHẢN ÁNH, KIẾN NGHỊ"
# (code, unit name, unit valid from, received, due, handled, category, rating)
STORED = [
    ("PAKN-0001", "Thị trấn Nam Sách", D(1997, 1, 1), D(2025, 6, 20), D(2025, 6, 30),
     D(2025, 6, 25), "tthc", "hai_long"),
    ("PAKN-0002", "Xã Nam Sách", D(2025, 7, 1), D(2025, 7, 15), D(2025, 7, 25), None,
     "can_bo", ""),
    ("PAKN-0003", "Đồng Lạc", D(1997, 1, 1), D(2025, 3, 2), D(2025, 3, 12), D(2025, 3, 14),
     "khac", "khong_hai_long"),
    ("PAKN-0004", "Xã Trần Phú", D(2025, 7, 1), D(2025, 8, 1), None, D(2025, 8, 5), "tthc",
     "hai_long"),
]  # fmt: skip


def _stored(engine: Engine) -> list[tuple]:
    f = FeedbackItem
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                select(f.code, Unit.name, Unit.valid_from, f.received_on, f.due_on,
                       f.handled_on, f.category, f.rating)
                .join(Unit, Unit.id == f.unit_id)
                .order_by(f.code)
            )
        ]  # fmt: skip


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_pakn_rows_land_on_the_unit_of_their_day(ref_engine: Engine, kind: str) -> None:
    rep = import_bytes(ref_engine, make(kind, HEADER, ROWS, TITLE), f"pakn.{kind}")
    assert rep.status == "committed", rep.summary()
    assert rep.kind == "feedback"
    assert (rep.rows_read, rep.inserted) == (4, 4)
    assert _stored(ref_engine) == STORED
    assert rep.ignored_columns == ["STT", "Nội dung"]
    assert "Phản ánh, kiến nghị (PAKN): đọc 4 dòng; 4 PAKN mới" in "\n".join(rep.summary())


def test_same_file_again_unchanged_and_a_changed_row_updated(ref_engine: Engine) -> None:
    import_bytes(ref_engine, make("xlsx", HEADER, ROWS, TITLE), "pakn.xlsx")
    again = import_bytes(ref_engine, make("xlsx", HEADER, ROWS, TITLE), "pakn.xlsx")
    assert (again.kind, again.inserted, again.updated, again.unchanged) == ("feedback", 0, 0, 4)
    answered = [r[:] for r in ROWS]
    answered[1][5] = "24/07/2025"
    rep = import_bytes(ref_engine, make("csv", HEADER, answered, TITLE), "pakn-moi.csv")
    assert (rep.inserted, rep.updated, rep.unchanged) == (0, 1, 3), rep.summary()
    assert _stored(ref_engine)[1][5] == D(2025, 7, 24)
    assert count(ref_engine, FeedbackItem) == 4
    kinds = [(k, s, i, u, n) for k, s, i, u, n, _ in imports(ref_engine)]
    assert kinds == [
        ("feedback", "committed", 4, 0, 0),
        ("feedback", "committed", 0, 0, 4),
        ("feedback", "committed", 0, 1, 3),
    ]


def test_bad_rows_refuse_the_file_and_partial_keeps_the_good(ref_engine: Engine) -> None:
    bad = [r[:] for r in ROWS]
    bad[0][4] = "10/06/2025"  # due before received
    bad[2][2] = "99999"  # no such unit
    bad[3][3] = "32/08/2025"
    rep = import_bytes(ref_engine, make("xlsx", HEADER, bad, TITLE), "pakn.xlsx")
    assert rep.status == "refused"
    assert [(p.row, p.column, p.value) for p in rep.problems] == [
        (5, "Hạn xử lý", "10/06/2025"),
        (7, "Mã đơn vị", "99999"),
        (8, "Ngày tiếp nhận", "32/08/2025"),
    ]
    assert rep.problems[0].reason == "hạn xử lý trước ngày tiếp nhận (20/06/2025)"
    assert count(ref_engine, FeedbackItem) == 0
    part = import_bytes(ref_engine, make("xlsx", HEADER, bad, TITLE), "pakn.xlsx", partial=True)
    assert (part.status, part.inserted, part.rejected) == ("partial", 1, 3)
    assert [r[0] for r in _stored(ref_engine)] == ["PAKN-0002"]


def test_an_old_unit_code_after_its_end_is_a_row_problem(ref_engine: Engine) -> None:
    # 10657 (Đồng Lạc) merged into Xã Nam Sách on 1/7/2025: its code names nothing after.
    late = [["1", "PAKN-9", "10657", "10/07/2025", "", "", "", "", ""]]
    rep = import_bytes(ref_engine, make("xlsx", HEADER, late, TITLE), "pakn.xlsx")
    assert rep.status == "refused"
    assert (rep.problems[0].row, rep.problems[0].column) == (5, "Mã đơn vị")
    assert "không còn hiệu lực ngày 10/07/2025" in rep.problems[0].reason
