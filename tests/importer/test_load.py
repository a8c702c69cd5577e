"""Importing into a real database (SQLite file and PostgreSQL): atomic, idempotent, exact."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, func, select, text

from dashboard.domain.periods import parse_period
from dashboard.services import report
from data_access import rollups
from data_access.importer import import_bytes
from data_access.models import Dossier, Import, Procedure, Unit, rollup_daily, rollup_monthly
from tests.importer.files import HEADER, csv_bytes, xlsx_bytes

# Đồng Lạc, March 2025; the expected figures are worked out by hand in the tests below.
GOOD = [
    # STT, code, unit, proc code, proc name, field, channel, submitted, received, due,
    # finished, status, fee, paid online, digitized, e-result, reused, note
    [
        "1",
        "HS-001",
        "Xã Đồng Lạc",
        "1.001193.000.00.00.H23",
        "Đăng ký khai sinh",
        "Hộ tịch",
        "Trực tuyến",
        "03/03/2025 07:10",
        "03/03/2025 08:00",
        "04/03/2025 17:00",
        "04/03/2025 09:00",
        "Đã trả kết quả",
        "Có",
        "Có",
        "Có",
        "Có",
        "Không",
        "",
    ],
    [
        "2",
        "HS-002",
        "10657",
        "2.000815",
        "",
        "",
        "Trực tiếp",
        "",
        "2025-03-03T09:00",
        "03/03/2025 17:00",
        "",
        "Đang xử lý",
        "2.000 đ",
        "",
        "x",
        "",
        "",
        "",
    ],
    [
        "3",
        "HS-003",
        "UBND xã Đồng Lạc",
        "1.000656",
        "",
        "",
        "2",
        "05/03/2025 20:00",
        "06/03/2025 10:00",
        "10/03/2025",
        "",
        "Chờ bổ sung",
        "0",
        "",
        "",
        "",
        "",
        "",
    ],
    [
        "4",
        "HS-004",
        "dong lac",
        "1.000894",
        "",
        "",
        "Bưu chính",
        "",
        45726,
        "12/03/2025",
        "12/03/2025 16:00",
        "10",
        "",
        "",
        "",
        "x",
        "",
        "",
    ],
    [
        "5",
        "HS-005",
        "Đồng Lạc",
        "",
        "Đăng ký kết hôn",
        "",
        "1",
        "",
        "11/03/2025 08:00",
        "14/03/2025",
        "12/03/2025 08:00",
        "Từ chối",
        "Có",
        "",
        "",
        "",
        "",
        "=HYPERLINK(1)",
    ],
]


def _count(engine: Engine, model) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar()


def _fingerprint(engine: Engine) -> list:
    with engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT unit_id, code, status, channel, received_at, due_at, finished_at, "
                "has_fee, paid_online, digitized, e_result, first_response_minutes, import_id, "
                "day_only FROM dossiers ORDER BY unit_id, code"
            )
        ).all()


def test_good_xlsx_gives_the_hand_computed_indicators(ref_engine: Engine) -> None:
    rep = import_bytes(ref_engine, xlsx_bytes(GOOD), "ho-so-thang-3.xlsx", user="văn thư")
    assert rep.status == "committed", rep.summary()
    assert (rep.rows_read, rep.inserted, rep.updated, rep.unchanged, rep.rejected) == (
        5,
        5,
        0,
        0,
        0,
    )
    assert "STT" in rep.ignored_columns and "Ghi chú" in rep.ignored_columns
    assert any("tổng cộng" in n for n in rep.notes)
    ind = report.compute(ref_engine, parse_period("2025-03"), ["10657"]).units[0].indicators
    pairs = {k: (v.numerator, v.denominator) for k, v in ind.items()}
    assert pairs["online_submission"] == (2, 5)  # HS-001, HS-003
    assert pairs["online_payment"] == (1, 3)  # fees: 001, 002 (2.000 đ), 005; paid: 001
    assert pairs["dossier_digitization"] == (2, 5)  # 001, 002
    assert pairs["result_digitization"] == (2, 2)  # resolved: 001, 004 (status 10)
    assert pairs["on_time"] == (4, 5)  # 001 and 004 on due day, 005 refused, 003 waiting
    assert ind["overdue"].value == 1  # HS-002, due 3/3, still processing
    assert ind["returned"].value == 1  # HS-005
    assert pairs["online_reception_6h"] == (2, 2)  # 30 and 150 working minutes
    with ref_engine.connect() as conn:
        audit = conn.execute(select(Import).order_by(Import.id.desc())).first()
    assert (audit.user, audit.file_name, audit.inserted, audit.status) == (
        "văn thư",
        "ho-so-thang-3.xlsx",
        5,
        "committed",
    )
    assert len(audit.file_hash) == 64


def test_reimport_changes_nothing_and_a_newer_export_updates(ref_engine: Engine) -> None:
    data = csv_bytes(GOOD)
    assert import_bytes(ref_engine, data, "a.csv").inserted == 5
    before = _fingerprint(ref_engine)
    again = import_bytes(ref_engine, data, "a.csv")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 5)
    assert _fingerprint(ref_engine) == before
    newer = [list(r) for r in GOOD]
    newer[1][10], newer[1][11] = "05/03/2025 10:00", "Đã trả kết quả"  # HS-002 finished late
    rep = import_bytes(ref_engine, csv_bytes(newer), "b.csv")
    assert (rep.inserted, rep.updated, rep.unchanged) == (0, 1, 4)
    ind = report.compute(ref_engine, parse_period("2025-03"), ["10657"]).units[0].indicators
    assert ind["overdue"].value == 1  # now resolved late instead of pending overdue
    assert ind["result_digitization"].denominator == 3
    # More changes that move events between days and statuses.
    newer[0][10] = "07/03/2025 09:00"  # HS-001 now late
    newer[2][11], newer[2][10] = "Đã trả kết quả", "12/03/2025 10:00"  # HS-003 finished
    newer[3][9] = "20/03/2025"  # HS-004 due later
    newer[4][11] = "Rút hồ sơ"  # HS-005 withdrawn instead of refused
    rep = import_bytes(ref_engine, csv_bytes(newer), "c.csv")
    assert (rep.inserted, rep.updated, rep.unchanged) == (0, 4, 1)
    ind = report.compute(ref_engine, parse_period("2025-03"), ["10657"]).units[0].indicators
    assert ind["overdue"].value == 3  # 001 and 002 resolved late, 003 finished 12/3 > due 10/3
    assert ind["returned"].value == 0
    # The rollups maintained incrementally equal a rebuild from the dossiers.
    with ref_engine.begin() as conn:
        before = _rollup_rows(conn)
        rollups.rebuild(conn)
        assert _rollup_rows(conn) == before


def _rollup_rows(conn) -> tuple[list, list]:
    out = []
    for table in (rollup_daily, rollup_monthly):
        rows = [tuple(r)[1:] for r in conn.execute(select(table))]
        out.append(sorted(r for r in rows if any(r[5:])))  # all-zero rows carry nothing
    return tuple(out)


def test_a_bad_row_refuses_the_whole_file_by_default(ref_engine: Engine) -> None:
    rows = [list(r) for r in GOOD]
    rows[2][9] = "01/03/2025"  # due before received
    rows[3][2] = "Đồng Lạk"  # no such unit
    rows[4][11] = "Bay màu"  # unknown status
    rows.append(list(GOOD[0]))  # the same dossier twice
    rep = import_bytes(ref_engine, csv_bytes(rows), "bad.csv")
    assert rep.status == "refused" and rep.inserted == 0
    got = {(p.row, p.column, p.value, p.reason) for p in rep.problems}
    assert got == {
        (6, "Ngày hẹn trả", "01/03/2025", "ngày hẹn trả trước ngày tiếp nhận (06/03/2025)"),
        (7, "Đơn vị", "Đồng Lạk", "không có đơn vị này; có phải: Đồng Lạc (10657)?"),
        (8, "Trạng thái", "Bay màu", "trạng thái không có trong danh mục trạng thái"),
        (9, "Mã hồ sơ", "HS-001", "trùng mã hồ sơ với dòng 4"),
    }
    assert _count(ref_engine, Dossier) == 0
    with ref_engine.connect() as conn:
        assert conn.execute(select(Import.status)).scalars().all() == ["refused"]


def test_partial_mode_commits_valid_rows_and_keeps_the_rejected(ref_engine: Engine) -> None:
    rows = [list(r) for r in GOOD]
    rows[4][11] = "Bay màu"
    rep = import_bytes(ref_engine, csv_bytes(rows), "p.csv", partial=True)
    assert (rep.status, rep.inserted, rep.rejected) == ("partial", 4, 1)
    assert _count(ref_engine, Dossier) == 4
    rejected = rep.rejected_csv().decode("utf-8")
    assert rejected.startswith("\ufeffDòng,STT,Mã hồ sơ")
    assert "HS-005" in rejected and "Trạng thái: trạng thái không có" in rejected
    assert "'=HYPERLINK(1)" in rejected  # never a live formula when opened in Excel


def test_missing_required_column_is_named(ref_engine: Engine) -> None:
    header = [
        h
        for h in csv_bytes([]).decode("utf-8-sig").splitlines()[2].split(",")
        if h != "Ngày hẹn trả"
    ]
    rep = import_bytes(ref_engine, csv_bytes([], header=header), "x.csv")
    assert rep.status == "refused" and rep.error == "Thiếu cột bắt buộc: Ngày hẹn trả."


def test_unit_names_tones_prefixes_and_merged_units(ref_engine: Engine) -> None:
    base = list(GOOD[1])

    def row(code: str, unit: str, day: str) -> list:
        r = list(base)
        r[1], r[2], r[8], r[9] = code, unit, f"{day} 09:00", f"{day} 17:00"
        return r

    rows = [
        row("U1", "Cộng Hoà", "03/03/2025"),  # old tone placement
        row("U2", "TT Nam Sách", "03/03/2025"),
        row("U3", "Thị trấn Nam Sách", "03/03/2025"),
        row("U4", "An Lâm", "05/11/2024"),  # before the merger
        row("U5", "An Lâm", "05/03/2025"),  # after it
        row("U6", "PHÒNG TƯ PHÁP", "03/03/2025"),
    ]
    rep = import_bytes(ref_engine, csv_bytes(rows), "u.csv", partial=True)
    with ref_engine.connect() as conn:
        units = {
            code: (unit, name)
            for code, unit, name in conn.execute(
                select(Dossier.code, Unit.code, Unit.name).join(Unit, Unit.id == Dossier.unit_id)
            )
        }
    assert units == {
        "U1": ("10639", "Cộng Hòa"),
        "U2": ("10606", "Thị trấn Nam Sách"),
        "U3": ("10606", "Thị trấn Nam Sách"),
        "U4": ("10645", "An Lâm"),
        "U6": ("291-TP", "Phòng Tư pháp"),
    }
    assert [(p.row, p.reason) for p in rep.problems] == [
        (8, "đơn vị An Lâm không còn hiệu lực ngày 05/03/2025 (đã sáp nhập vào An Phú (10645))")
    ]


def test_unknown_procedures_join_the_catalog(ref_engine: Engine) -> None:
    rows = [list(GOOD[1]), list(GOOD[2])]
    rows[0][3], rows[0][4], rows[0][5] = "9.999999.000.00.00.H23", "Thủ tục thử", "Lĩnh vực thử"
    rows[1][3], rows[1][4] = "", "Một thủ tục chưa có mã"
    rep = import_bytes(ref_engine, csv_bytes(rows), "n.csv")
    assert rep.status == "committed"
    assert rep.new_procedures["9.999999"] == ("Thủ tục thử", "Lĩnh vực thử")
    with ref_engine.connect() as conn:
        names = dict(conn.execute(select(Procedure.code, Procedure.name)).all())
    assert names["9.999999"] == "Thủ tục thử"
    assert "Một thủ tục chưa có mã" in names.values()
    with ref_engine.connect() as conn:
        filters = report.resolve_filters(conn, field_names=["linh vuc thu"])
    rep = report.compute(ref_engine, parse_period("2025-03"), ["10657"], filters=filters)
    assert rep.units[0].indicators["on_time"].denominator == 1


def test_an_injected_failure_leaves_the_database_unchanged(ref_engine: Engine, monkeypatch) -> None:
    import_bytes(ref_engine, csv_bytes(GOOD[:2]), "first.csv")
    before = (_fingerprint(ref_engine), _count(ref_engine, Import), _count(ref_engine, Procedure))

    def boom(*_a, **_k):
        raise RuntimeError("mất điện giữa chừng")

    from data_access import writer

    monkeypatch.setattr(writer.rollups.Delta, "apply", boom)  # after the dossiers are written
    rows = [list(r) for r in GOOD]
    rows[0][3], rows[0][4] = "9.888888", "Thủ tục mới"  # would add to the catalog too
    rep = import_bytes(ref_engine, csv_bytes(rows), "second.csv")
    # Refused with a report (the trace goes to the log), nothing of it written but the
    # refusal's record.
    assert rep.status == "refused" and "lỗi chưa lường trước" in rep.error
    after = (_fingerprint(ref_engine), _count(ref_engine, Import), _count(ref_engine, Procedure))
    assert after == (before[0], before[1] + 1, before[2])


def test_dry_run_reports_without_writing(ref_engine: Engine) -> None:
    rep = import_bytes(ref_engine, csv_bytes(GOOD), "d.csv", dry_run=True)
    assert (rep.status, rep.inserted) == ("dry_run", 5)
    assert _count(ref_engine, Dossier) == 0 and _count(ref_engine, Import) == 0


def test_unit_default_fills_rows_without_a_unit(ref_engine: Engine) -> None:
    rows = [[c for h, c in zip(HEADER, GOOD[1], strict=True) if h != "Đơn vị"]]
    header = [h for h in HEADER if h != "Đơn vị"]
    assert import_bytes(ref_engine, csv_bytes(rows, header=header), "x.csv").status == "refused"
    rep = import_bytes(ref_engine, csv_bytes(rows, header=header), "x.csv", unit_default="10630")
    assert rep.status == "committed"
    with ref_engine.connect() as conn:
        unit = select(Unit.code).join(Dossier, Dossier.unit_id == Unit.id)
        assert conn.execute(unit).scalar() == "10630"


def test_dates_from_every_format_land_as_local_times(ref_engine: Engine) -> None:
    rows = []
    for i, received in enumerate(
        [
            "05/03/2025 08:15",
            "2025-03-05T08:15:00",
            "2025-03-05T01:15:00Z",
            45721.34375,
            "08:15 05/03/2025",
        ]
    ):
        r = list(GOOD[1])
        r[1], r[8], r[9] = f"D{i}", received, "06/03/2025"
        rows.append(r)
    assert import_bytes(ref_engine, xlsx_bytes(rows), "dates.xlsx").status == "committed"
    with ref_engine.connect() as conn:
        got = set(conn.execute(select(Dossier.received_at)).scalars())
    assert got == {dt.datetime(2025, 3, 5, 8, 15)}
