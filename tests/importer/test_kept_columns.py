"""The national store, VNeID and supplement counts come in the national sync JSON, not in the
province's Excel export: importing the export after the JSON keeps what the JSON said (a count
keeps the larger), and a file with the columns sets them, "Không" included."""

from __future__ import annotations

from sqlalchemy import Engine, select

from data_access.importer import import_bytes
from data_access.models import Dossier
from tests.importer.files import HEADER, csv_bytes
from tests.importer.test_load import GOOD

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

    # A file that has the columns says what they are now.
    says_no = csv_bytes([row + ["Không", "Không", "0"]], header=HEADER + EXTRA)
    assert import_bytes(ref_engine, says_no, "dongbo-2.csv").status == "committed"
    assert _extras(ref_engine) == (False, False, 0)
