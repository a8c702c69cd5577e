"""An export that crosses 1/7/2025, shaped like the provincial system's: old units by their
(reused) codes and names in June, the new communes of Hải Phòng by code and by name after.
It imports in full, and its June, August and Q3 figures, its league movement and a new
commune's history equal values worked out by hand below, as .xlsx and .csv, on SQLite and
PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select

from dashboard.domain.periods import parse_period
from dashboard.services import report, standing
from data_access.importer import import_bytes
from data_access.models import Dossier, Unit
from tests.importer.test_real_exports import CT, KS, export

TP = ("1.001695.000.00.00.H23", "Cấp bản sao trích lục hộ tịch", "Hộ tịch")
D = dt.date
ROWS = [
    # June 2025: the district's units, by the codes they had then.
    ("HS-J1", "10606", "", KS, "Trực tuyến", "09/06/2025 22:00", "10/06/2025 08:00",
     "11/06/2025", "11/06/2025", "Đã trả kết quả", "", "", "Không", "Không"),
    ("HS-J2", "10633", "", CT, "Trực tiếp", "", "12/06/2025 09:00", "13/06/2025",
     "16/06/2025", "Đã trả kết quả", "", "", "Không", "Không"),
    ("HS-J3", "", "Đồng Lạc", CT, "Trực tiếp", "", "20/06/2025 10:00", "27/06/2025",
     D(2025, 7, 3), "Đã trả kết quả", "", "", "Không", "Không"),
    ("HS-J4", "10642", "", CT, "Trực tiếp", "", "25/06/2025 14:00", "25/06/2025",
     "25/06/2025", "Đã trả kết quả", "", "", "Không", "Không"),
    ("HS-J5", "", "Phòng Tư pháp", TP, "Trực tiếp", "", "16/06/2025 08:00", "20/06/2025",
     "19/06/2025", "Đã trả kết quả", "", "", "Không", "Không"),
    # From 1/7/2025: the five communes, by code and by name.
    ("HS-A1", "10606", "Xã Nam Sách", KS, "Trực tuyến", "07/07/2025 08:00",
     "07/07/2025 08:30", "08/07/2025", "08/07/2025", "Đã trả kết quả", "", "", "Không",
     "Không"),
    ("HS-A2", "", "Xã Trần Phú", CT, "Trực tiếp", "", "15/07/2025 09:00", "22/07/2025",
     "21/07/2025", "Đã trả kết quả", "", "", "Không", "Không"),
    ("HS-A3", "", "Xã Thái Tân", CT, "Trực tiếp", "", "05/08/2025 10:00", "08/08/2025",
     "12/08/2025", "Đã trả kết quả", "", "", "Không", "Không"),
    ("HS-A4", "10645", "", CT, "Trực tiếp", "", "12/08/2025 09:00", "14/08/2025", "",
     "Chờ bổ sung", "", "", "Không", "Không"),
    ("HS-A5", "10615", "", CT, "Trực tiếp", "", "20/08/2025 08:00", "22/08/2025",
     "21/08/2025", "Trả lại", "", "", "Không", "Không"),
    ("HS-A6", "", "Hợp Tiến", CT, "Trực tiếp", "", "05/09/2025 08:00", "09/09/2025",
     "09/09/2025", "Đã trả kết quả", "", "", "Không", "Không"),
    ("HS-A7", "10633", "", CT, "Trực tiếp", "", "30/09/2025 14:00", "01/10/2025", "",
     "Đang xử lý", "", "", "Không", "Không"),
]  # fmt: skip


def _by_name(rep: report.Report) -> dict[str, dict]:
    return {
        u.unit.name: {k: (v.numerator, v.denominator) for k, v in u.indicators.items()}
        for u in rep.units
    }


def _whole(rep: report.Report) -> dict:
    return {k: (v.numerator, v.denominator) for k, v in rep.parent.indicators.items()}


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_an_export_across_the_reorganization(ref_engine: Engine, kind: str) -> None:
    rep = import_bytes(ref_engine, export(kind, ROWS), f"ho-so.{kind}")
    assert rep.problems == [] and (rep.status, rep.inserted) == ("committed", 12)
    with ref_engine.connect() as conn:
        landed = dict(
            conn.execute(
                select(Dossier.code, Unit.name).join(Unit, Unit.id == Dossier.unit_id)
            ).all()
        )
    # The same code on both sides of 1/7/2025 lands on the unit valid on the reception day.
    assert (landed["HS-J1"], landed["HS-A1"]) == ("Thị trấn Nam Sách", "Xã Nam Sách")
    assert (landed["HS-J2"], landed["HS-A7"]) == ("Trần Phú", "Xã Trần Phú")
    assert (landed["HS-J4"], landed["HS-A3"]) == ("Thái Tân", "Xã Thái Tân")
    assert landed["HS-A6"] == "Xã Hợp Tiến"  # the old commune's name, now the new commune's

    # June 2025, the district: J1 on time (online, answered 30 working minutes after the
    # office opened), J2 a day late, J3 still open on 30/6 past its due day 27/6, J4 on time,
    # J5 (a department) on time: on time 3 of 5, overdue 1 late + 1 pending = 2.
    june = report.compute(ref_engine, parse_period("2025-06"))
    assert june.era is not None and june.era.name == "Huyện Nam Sách"
    whole = _whole(june)
    assert (whole["on_time"], whole["overdue"]) == ((3, 5), (2, 5))
    assert (whole["online_submission"], whole["online_reception_6h"]) == ((1, 5), (1, 1))
    units = _by_name(june)
    assert units["Đồng Lạc"]["overdue"] == (1, 1)
    assert units["Trần Phú"]["overdue"] == (1, 1)

    # August 2025, the five communes: A3 late, A4 waiting for the citizen (within due), A5
    # returned: on time 2 of 3, overdue 1, returned 1.
    august = report.compute(ref_engine, parse_period("2025-08"))
    assert august.era is not None and august.era.name == "Khu vực Nam Sách"
    assert [u.unit.name for u in august.units] == [
        "Xã An Phú", "Xã Hợp Tiến", "Xã Nam Sách", "Xã Thái Tân", "Xã Trần Phú"
    ]  # fmt: skip
    whole = _whole(august)
    assert (whole["on_time"], whole["overdue"], whole["returned"]) == ((2, 3), (1, 3), (1, 3))
    assert _by_name(august)["Xã Thái Tân"]["overdue"] == (1, 1)

    # Q3/2025: Xã Nam Sách handles A1 (on time) and J3, Đồng Lạc's dossier finished late on
    # 3/7 (it counts for the successor); Xã Trần Phú A2 on time and A7 open within due; Xã Hợp
    # Tiến A5 returned and A6 on time. Whole: received 7, handled 8, on time 6, overdue 2.
    q3 = report.compute(ref_engine, parse_period("2025-Q3"))
    units = _by_name(q3)
    assert (units["Xã Nam Sách"]["on_time"], units["Xã Nam Sách"]["overdue"]) == ((1, 2), (1, 2))
    assert units["Xã Nam Sách"]["online_reception_6h"] == (1, 1)
    assert units["Xã Trần Phú"]["on_time"] == (2, 2)
    assert (units["Xã Hợp Tiến"]["on_time"], units["Xã Hợp Tiến"]["returned"]) == ((2, 2), (1, 2))
    whole = _whole(q3)
    assert (whole["online_submission"], whole["on_time"], whole["overdue"]) == (
        (1, 7),
        (6, 8),
        (2, 8),
    )
    assert q3.how_counted is None  # Q3 begins on 1/7/2025

    # A period across 1/7/2025 is reported on the new communes, says so, and leaves out the
    # department (J5): J3, J4, A1, A2 received, one of them online.
    across = report.compute(ref_engine, parse_period("2025-06-15:2025-07-15"))
    assert across.era is not None and across.era.name == "Khu vực Nam Sách"
    assert _whole(across)["online_submission"] == (1, 4)
    assert across.how_counted and "cộng các đơn vị cũ" in across.how_counted


def test_league_and_history_carry_the_predecessors_sum(ref_engine: Engine) -> None:
    import_bytes(ref_engine, export("csv", ROWS), "ho-so.csv")
    # Ranked by on-time rate. Q3: Trần Phú, An Phú, Hợp Tiến 100 % (rank 1), Nam Sách 50 %
    # (4), Thái Tân 0 % (5). Q2, as the sums of each commune's predecessors: Thái Tân 1 of 1
    # (J4) rank 1, Nam Sách 1 of 2 (J1; J3 open past due) rank 2, Trần Phú 0 of 1 (J2) rank
    # 3; An Phú and Hợp Tiến had no dossier.
    rows = standing.league(ref_engine, parse_period("2025-Q3"), "xa", by="on_time")
    got = {r.report.unit.name: (r.ranked.rank, r.ranked.previous_rank) for r in rows}
    assert got == {
        "Xã Trần Phú": (1, 3),
        "Xã An Phú": (1, None),
        "Xã Hợp Tiến": (1, None),
        "Xã Nam Sách": (4, 2),
        "Xã Thái Tân": (5, 1),
    }
    # Runs below target carry across the merger: Xã Nam Sách misses "on time" in Q3 (1 of 2)
    # and so did its predecessors together in Q2 (1 of 2); Q1 had no dossier: 2 in a row.
    below = standing.below_target(ref_engine, parse_period("2025-Q3"), with_explanations=False)
    runs = {(b.unit.name, b.indicator.key): b.consecutive_periods for b in below}
    assert runs[("Xã Nam Sách", "on_time")] == 2
    assert runs[("Xã Thái Tân", "on_time")] == 1  # its predecessors met it in Q2 (J4)
    # Xã Nam Sách's June, on its own (it did not exist): the sum of Thị trấn Nam Sách, Hồng
    # Phong and Đồng Lạc, and marked as such.
    june = report.compute(ref_engine, parse_period("2025-06"), as_of=parse_period("2025-Q3"))
    nam_sach = next(u for u in june.units if u.unit.name == "Xã Nam Sách")
    assert nam_sach.indicators["on_time"].numerator == 1
    assert nam_sach.indicators["on_time"].denominator == 2
    assert set(nam_sach.predecessors) == {"Thị trấn Nam Sách", "Hồng Phong", "Đồng Lạc"}
    # The chart of that history shades those months and says why.
    from dashboard.services.trends import UnitMonth
    from layouts import unit as unit_view

    months = [
        UnitMonth(parse_period(p), rep.by_id().get(nam_sach.unit.id), rep.parent, None, 0)
        for p, rep in (
            ("2025-06", june),
            ("2025-07", report.compute(ref_engine, parse_period("2025-07"))),
        )
    ]
    charts = unit_view.trends(months, "Xã Nam Sách")
    figures = [c.figure for c in _graphs(charts)]
    notes = [a["text"] for f in figures for a in f["layout"].get("annotations", [])]
    assert "trước 1/7/2025: cộng các đơn vị cũ" in notes


def _graphs(component):
    """Every dcc.Graph inside a component tree."""
    from dash import dcc

    found = []
    stack = [component]
    while stack:
        c = stack.pop()
        if isinstance(c, dcc.Graph):
            found.append(c)
        children = getattr(c, "children", None)
        if isinstance(children, list):
            stack.extend(children)
        elif children is not None and not isinstance(children, str):
            stack.append(children)
    return found
