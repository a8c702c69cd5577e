"""The province's procedure catalogue: detected, stored exactly, idempotent, closed by a later
file, refused whole for a bad row, and the report names every code the dossiers use that the
catalogue lacks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, select

from data_access.importer import import_bytes
from data_access.models import Dossier
from data_access.score_models import ProcedureVersion
from tests.importer.files import csv_bytes as dossier_csv
from tests.importer.test_load import GOOD
from tests.sources.files import count, imports, make

D = dt.date
HEADER = [
    "STT",
    "Mã thủ tục",
    "Tên thủ tục",
    "Cấp thực hiện",
    "Lĩnh vực",
    "Mức độ DVCTT",
    "Có phí, lệ phí",
    "Tích hợp thanh toán",
    "Kết quả là giấy tờ",
    "Ngày quyết định công bố",
    "Ngày hiệu lực",
    "Ngày hết hiệu lực",
    "Ngày công khai",
    "Số bộ phận công khai",
]
ROWS = [
    ["1", "1.001193", "Đăng ký khai sinh", "Cấp xã", "Hộ tịch", "Toàn trình", "Không",
     "Không", "Có", "15/03/2024", "01/04/2024", "", "02/04/2024", "7"],
    ["2", "2.000815.000.00.00.H23", "Chứng thực bản sao từ bản chính", "Xã", "Chứng thực",
     "DVC trực tuyến một phần", "Có", "Có", "", "15/03/2024", "01/04/2024", "", "", "5"],
    ["3", "1.004082", "Cấp giấy phép xây dựng", "Cấp huyện", "Xây dựng", "Chưa cung cấp",
     "Có", "Không", "Không", "", "01/01/2024", "30/06/2025", "", ""],
]  # fmt: skip
TITLE = "DANH MỤC THỦ TỤC HÀNH CHÍNH"
# (code, name, level, field, online, fee, payment, paper, decision, from, to, published, parts)
STORED = [
    ("1.001193", "Đăng ký khai sinh", "xa", "Hộ tịch", "toan_trinh", False, False, True,
     D(2024, 3, 15), D(2024, 4, 1), None, D(2024, 4, 2), 7),
    ("1.004082", "Cấp giấy phép xây dựng", "huyen", "Xây dựng", "khong", True, False, False,
     None, D(2024, 1, 1), D(2025, 6, 30), None, 0),
    ("2.000815", "Chứng thực bản sao từ bản chính", "xa", "Chứng thực", "mot_phan", True,
     True, True, D(2024, 3, 15), D(2024, 4, 1), None, None, 5),
]  # fmt: skip


def _stored(engine: Engine) -> list[tuple]:
    p = ProcedureVersion
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                select(
                    p.code, p.name, p.level, p.field_name, p.online_level, p.has_fee,
                    p.payment_integrated, p.paper_result, p.decision_on, p.effective_from,
                    p.effective_to, p.published_on, p.parts_published,
                ).order_by(p.code, p.effective_from)
            )
        ]  # fmt: skip


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_catalogue_is_detected_and_stored_exactly(ref_engine: Engine, kind: str) -> None:
    rep = import_bytes(ref_engine, make(kind, HEADER, ROWS, TITLE), f"danh-muc.{kind}")
    assert rep.status == "committed", rep.summary()
    assert rep.kind == "catalogue"
    assert (rep.rows_read, rep.inserted, rep.updated, rep.rejected) == (3, 3, 0, 0)
    assert _stored(ref_engine) == STORED
    assert any(n.startswith("Bỏ qua dòng tổng cộng 8") for n in rep.notes)
    assert "Danh mục TTHC: đọc 3 dòng; 3 thủ tục mới, 0 cập nhật" in "\n".join(rep.summary())
    assert imports(ref_engine) == [("catalogue", "committed", 3, 0, 0, 0)]
    with ref_engine.connect() as conn:
        ids = set(conn.execute(select(ProcedureVersion.import_id)).scalars())
    assert ids == {rep.import_id}


def test_the_same_file_twice_changes_nothing_and_a_closing_file_updates(
    ref_engine: Engine,
) -> None:
    data = make("xlsx", HEADER, ROWS, TITLE)
    first = import_bytes(ref_engine, data, "danh-muc.xlsx")
    again = import_bytes(ref_engine, data, "danh-muc.xlsx")
    assert again.status == "committed" and again.kind == "catalogue"
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    assert count(ref_engine, ProcedureVersion) == 3
    # The same rows in a new file (another title): read and compared, nothing changes.
    same = import_bytes(ref_engine, make("csv", HEADER, ROWS, "DANH MỤC (bản 2)"), "b.csv")
    assert (same.inserted, same.updated, same.unchanged) == (0, 0, 3), same.summary()
    # A later decision abolishes the birth registration from 1/1/2026.
    closing = [r[:] for r in ROWS]
    closing[0][11] = "31/12/2025"
    later = import_bytes(ref_engine, make("xlsx", HEADER, closing, TITLE), "bai-bo.xlsx")
    assert (later.inserted, later.updated, later.unchanged) == (0, 1, 2), later.summary()
    assert _stored(ref_engine)[0][10] == D(2025, 12, 31)
    with ref_engine.connect() as conn:
        rows = conn.execute(select(ProcedureVersion.code, ProcedureVersion.import_id))
        by_code = {code: import_id for code, import_id in rows}
    assert by_code == {
        "1.001193": later.import_id,
        "1.004082": first.import_id,
        "2.000815": first.import_id,
    }


def test_a_bad_row_refuses_the_whole_file(ref_engine: Engine) -> None:
    bad = [r[:] for r in ROWS]
    bad[1][3] = "Cấp bộ"
    bad[2][13] = "9"
    rep = import_bytes(ref_engine, make("xlsx", HEADER, bad, TITLE), "danh-muc.xlsx")
    assert rep.status == "refused" and rep.kind == "catalogue"
    found = [(p.row, p.column, p.value) for p in rep.problems]
    assert found == [(6, "Cấp thực hiện", "Cấp bộ"), (7, "Số bộ phận công khai", "9")]
    assert count(ref_engine, ProcedureVersion) == 0
    assert imports(ref_engine) == [("catalogue", "refused", 0, 0, 0, 2)]
    assert "Dòng 6, cột «Cấp thực hiện», giá trị «Cấp bộ»" in "\n".join(rep.summary())
    # Partial: the good row goes in, the two bad ones are kept for download.
    part = import_bytes(ref_engine, make("xlsx", HEADER, bad, TITLE), "d.xlsx", partial=True)
    assert part.status == "partial" and (part.inserted, part.rejected) == (1, 2)
    assert [r[0] for r in _stored(ref_engine)] == ["1.001193"]
    assert "Cấp bộ" in part.rejected_csv().decode("utf-8-sig")


def test_a_missing_required_column_is_named(ref_engine: Engine) -> None:
    header = [h for h in HEADER if h != "Ngày hiệu lực"]
    rows = [r[:10] + r[11:] for r in ROWS]
    rep = import_bytes(ref_engine, make("xlsx", header, rows, TITLE), "danh-muc.xlsx")
    assert rep.status == "refused"
    assert rep.error == "Tệp Danh mục TTHC thiếu cột bắt buộc: Ngày hiệu lực."


def test_the_report_names_every_code_the_dossiers_use_that_the_catalogue_lacks(
    ref_engine: Engine, add: Callable[..., None]
) -> None:
    codes = ["1.001193", "1.000894", "1.000656", "1.004884", "2.000635"]
    add("10657", [{"procedure_code": c, "received_at": "2025-03-03 08:00"} for c in codes])
    rep = import_bytes(ref_engine, make("xlsx", HEADER, ROWS, TITLE), "danh-muc.xlsx")
    assert rep.status == "committed"
    assert (
        "Mã thủ tục hồ sơ đang dùng nhưng không có trong danh mục TTHC (4 mã): 1.000656, "
        "1.000894, 1.004884, 2.000635."
    ) in rep.notes


def test_a_dossier_import_names_codes_missing_from_the_catalogue(ref_engine: Engine) -> None:
    before = import_bytes(ref_engine, dossier_csv(GOOD), "hs.csv", dry_run=True)
    assert not any("danh mục TTHC" in n for n in before.notes)  # no catalogue yet: no check
    import_bytes(ref_engine, make("xlsx", HEADER, ROWS, TITLE), "danh-muc.xlsx")
    rep = import_bytes(ref_engine, dossier_csv(GOOD), "hs.csv")
    assert rep.status == "committed" and rep.kind == "dossiers"
    with ref_engine.connect() as conn:
        used = set(conn.execute(select(Dossier.procedure_code)).scalars())
    absent = sorted(used - {"1.001193", "2.000815", "1.004082"})
    assert absent  # the dossier file uses codes the three-row catalogue lacks
    assert (
        "Mã thủ tục không có trong danh mục TTHC: " + ", ".join(absent) + " (hồ sơ vẫn được nhập)."
    ) in rep.notes
