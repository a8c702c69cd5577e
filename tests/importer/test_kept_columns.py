"""The national store, VNeID and supplement counts come in the national sync JSON, not in the
province's Excel export: importing the export after the JSON keeps what the JSON said, a file
with the columns sets them ("Không" included), and a supplement count only grows, also from a
history file given apart from its dossiers."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine, select

from dashboard.domain.periods import parse_period
from dashboard.services import report
from data_access.importer import import_bytes
from data_access.models import Dossier
from tests.importer.files import HEADER, csv_bytes
from tests.importer.test_load import GOOD

NATIONAL = Path(__file__).parent.parent / "fixtures" / "national"
EXTRA = ["Lấy từ kho dữ liệu quốc gia", "Xác thực VNeID", "Số lần yêu cầu bổ sung"]


def _extras(engine: Engine) -> tuple:
    with engine.connect() as conn:
        return tuple(
            conn.execute(
                select(Dossier.national_store, Dossier.vneid, Dossier.supplement_count).where(
                    Dossier.code == GOOD[0][1]
                )
            ).one()
        )


def test_an_export_without_the_columns_keeps_the_stored_values(ref_engine: Engine) -> None:
    row = list(GOOD[0])
    with_extras = csv_bytes([row + ["Có", "Có", "2"]], header=HEADER + EXTRA)
    assert import_bytes(ref_engine, with_extras, "dongbo.csv").status == "committed"
    assert _extras(ref_engine) == (True, True, 2)

    # The province's export: no such columns, and the data reused now (the row is updated).
    plain = list(row)
    plain[16] = "Có"  # Tái sử dụng dữ liệu
    rep = import_bytes(ref_engine, csv_bytes([plain]), "xuat-excel.csv")
    assert (rep.status, rep.updated) == ("committed", 1)
    assert _extras(ref_engine) == (True, True, 2)

    # A file that has the columns says what they are now; a supplement count only grows.
    says_no = csv_bytes([row + ["Không", "Không", "0"]], header=HEADER + EXTRA)
    assert import_bytes(ref_engine, says_no, "dongbo-2.csv").status == "committed"
    assert _extras(ref_engine) == (False, False, 2)


def test_a_history_file_apart_from_its_dossiers_raises_the_supplement_count(
    ref_engine: Engine, tmp_path
) -> None:
    """The national sync sends dossiers and their steps in two files: the steps file's two
    "chờ bổ sung" steps (status 5) make the dossier late by the 766 formula, though on time by
    the directive; the dossiers file again does not lower the count."""
    dossiers = json.loads((NATIONAL / "dongbo-hoso.json").read_text(encoding="utf-8"))
    first = dossiers["data"][0]
    first["NgayHenTra"] = "20250815170000"  # resolved 13/08: on time
    first["NgayYeuCauBoSung"] = "20250812090000"
    code = first["MaHoSo"]
    steps = json.loads((NATIONAL / "capnhat-tiendo.json").read_text(encoding="utf-8"))
    for i, at in enumerate(("20250812090000", "20250812150000")):
        steps["data"].append(
            {"MaHoSo": code, "NguoiXuLy": "Nguyễn Văn Hùng", "ChucDanh": "", "PhongBanXuLy": "",
             "NoiDungXuLy": f"Yêu cầu bổ sung lần {i + 1}", "ThoiDiemXuLy": at,
             "TrangThai": "5", "NgayBatDau": "", "NgayKetThucTheoQuyDinh": ""}
        )  # fmt: skip
    dossier_file = json.dumps(dossiers, ensure_ascii=False).encode()
    steps_file = json.dumps(steps, ensure_ascii=False).encode()

    assert import_bytes(ref_engine, dossier_file, "dongbo.json").status == "committed"
    assert _supplements(ref_engine, code) == 1  # the request day alone: once
    assert _on_time(ref_engine) == (1, 1)
    assert import_bytes(ref_engine, steps_file, "tiendo.json").status == "committed"
    assert _supplements(ref_engine, code) == 2
    assert _on_time(ref_engine) == (1, 0)  # (directive, 766), from the rollups
    # The dossiers file again, which knows one request: the count stays.
    assert import_bytes(ref_engine, dossier_file, "dongbo-lai.json").status == "committed"
    assert _supplements(ref_engine, code) == 2
    assert _on_time(ref_engine) == (1, 0)


def _supplements(engine: Engine, code: str) -> int:
    with engine.connect() as conn:
        return conn.execute(
            select(Dossier.supplement_count).where(Dossier.code == code)
        ).scalar_one()


def _on_time(engine: Engine) -> tuple[int, int]:
    rep = report.compute(engine, parse_period("2025-08"), ["10606@2025-07-01"])
    c = rep.units[0].counts
    return c["resolved_on_time"], c["resolved_on_time_766"]
