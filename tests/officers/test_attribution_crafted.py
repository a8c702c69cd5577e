"""Per-officer figures on hand-made histories, imported in the national sync shape and read
through `tthc officers --format csv`; every expected value worked out by hand from the rules
of docs/domain.md "Steps and officers" (comments give the working), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import Engine

from dashboard import cli
from data_access.importer import import_bytes

AN, BINH, CUONG, DUNG = "Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Văn Dũng"


def step(who: str, what: str, end: str = "", start: str = "", deadline: str = "") -> dict:
    """One QuaTrinhXuLy entry (times yyyyMMddHHmmss, as the national format writes them)."""
    return {
        "NguoiXuLy": who,
        "ChucDanh": "",
        "PhongBanXuLy": "",
        "NoiDungXuLy": what,
        "ThoiDiemXuLy": end,
        "NgayBatDau": start,
        "NgayKetThucTheoQuyDinh": deadline,
    }


def dossier(
    code: str,
    received: str,
    due: str,
    finished: str = "",
    status: str = "10",
    steps: tuple[dict, ...] = (),
    unit: str = "10606",
) -> dict:
    """A DongBoHoSoMC dossier carrying its steps."""
    return {
        "MaHoSo": code,
        "DonViXuLy": unit,
        "MaTTHC": "1.001193",
        "TenTTHC": "Đăng ký khai sinh",
        "TenLinhVuc": "Hộ tịch",
        "KenhThucHien": "1",
        "NgayTiepNhan": received,
        "NgayHenTra": due,
        "NgayKetThucXuLy": finished,
        "TrangThaiHoSo": status,
        "QuaTrinhXuLy": list(steps),
    }


RECEPTION = step(AN, "Tiếp nhận hồ sơ", "20250908081000")
D1_STEPS = (
    RECEPTION,
    # M = 10/09 23:59:59 falls inside Bình's step (08/09 08:10 -> 11/09 09:00): Bình holds
    # it; the step also ended after its own deadline (10/09 17:00): a late step.
    step(BINH, "Thẩm định hồ sơ", "20250911090000", deadline="20250910170000"),
    step(CUONG, "Ký duyệt", "20250911100000"),
)
DOSSIERS = [
    dossier("D1", "20250908080000", "20250910170000", "20250911100000", steps=D1_STEPS),
    # Dũng's step ends exactly at M: it no longer runs at M (end > M is needed); Cường's
    # starts at M: his.
    dossier(
        "D2",
        "20250908080000",
        "20250910",
        "20250911100000",
        steps=(
            RECEPTION,
            step(DUNG, "Thẩm định", "20250910235959"),
            step(CUONG, "Ký duyệt", "20250911100000"),
        ),
    ),
    # M falls in a gap (Dũng ended 10/09 16:00, Cường started 11/09 08:00): the next to start.
    dossier(
        "D3",
        "20250908080000",
        "20250910",
        "20250911090000",
        steps=(
            RECEPTION,
            step(DUNG, "Thẩm định", "20250910160000"),
            step(CUONG, "Ký duyệt", "20250911090000", start="20250911080000"),
        ),
    ),
    # Pending, due 17/09, Bình's step open: pending overdue at the end of September, Bình's.
    dossier(
        "D4",
        "20250915080000",
        "20250917170000",
        status="4",
        steps=(step(AN, "Tiếp nhận", "20250915081000"), step(BINH, "Thẩm định")),
    ),
    # Pending overdue, last step ended before M, none open: chưa rõ bước.
    dossier(
        "D5",
        "20250915080000",
        "20250917",
        status="4",
        steps=(step(AN, "Tiếp nhận", "20250915081000"), step(DUNG, "Thẩm định", "20250916100000")),
    ),
    # Pending overdue with no history at all: chưa rõ bước.
    dossier("D6", "20250915080000", "20250917", status="4"),
    # D1's steps listed backwards: the same answer (Bình).
    dossier(
        "D7",
        "20250908080000",
        "20250910170000",
        "20250911100000",
        steps=tuple(reversed(D1_STEPS)),
    ),
    # Waiting for the citizen's supplement (status 5) past its due day: not overdue, so held
    # by nobody, though Bình's step is open.
    dossier(
        "D8",
        "20250915080000",
        "20250917",
        status="5",
        steps=(step(AN, "Tiếp nhận", "20250915081000"), step(BINH, "Thẩm định")),
    ),
    # On time (finished 25/09, due 26/09), but Dũng's step ended after its own deadline.
    dossier(
        "D9",
        "20250922080000",
        "20250926170000",
        "20250925100000",
        steps=(
            step(AN, "Tiếp nhận", "20250922081000"),
            step(DUNG, "Thẩm định", "20250924100000", deadline="20250923170000"),
            step(CUONG, "Ký duyệt", "20250925100000"),
        ),
    ),
    # Another unit's Nguyễn Văn An: another person. M = 12/09 23:59:59 is in his second step.
    dossier(
        "D10",
        "20250910080000",
        "20250912",
        "20250915090000",
        unit="10642",
        steps=(step(AN, "Tiếp nhận", "20250910081000"), step(AN, "Thẩm định", "20250915090000")),
    ),
    # An spelled without diacritics at reception: two officers until the office merges them.
    dossier(
        "D11",
        "20250922080000",
        "20250930",
        "20250923090000",
        steps=(
            step("NGUYEN VAN AN", "Tiếp nhận", "20250922081000"),
            step(AN, "Thẩm định", "20250923090000"),
        ),
    ),
]

# September 2025, worked by hand. Handled = dossiers of September with a step of theirs:
# An D1 D2 D3 D4 D5 D7 D8 D9 D11 = 9; Bình D1 D4 D7 D8 = 4; Cường D1 D2 D3 D7 D9 = 5;
# Dũng D2 D3 D5 D9 = 4. Overdue: Bình D1 D4 D7; Cường D2 D3; chưa rõ D5 D6 (the unit's 7 =
# 4 resolved late + 3 pending overdue). Late steps: Bình D1 D7; Dũng D9.
SEPTEMBER = [
    ["10606", BINH, "4", "3", "2"],
    ["10606", CUONG, "5", "2", "0"],
    ["10606", DUNG, "4", "0", "1"],
    ["10606", "NGUYEN VAN AN", "1", "0", "0"],  # tones sort after the bare letter
    ["10606", AN, "9", "0", "0"],
    ["10606", "", "2", "2", "0"],
    ["10642", AN, "1", "1", "0"],
]
# October: still open D4 (Bình's, overdue), D5 and D6 (chưa rõ), D8 (paused for supplement).
# Bình's late steps ended on 11/09, before October began: not October's.
OCTOBER = [
    ["10606", BINH, "2", "1", "0"],
    ["10606", AN, "3", "0", "0"],
    ["10606", DUNG, "1", "0", "0"],
    ["10606", "", "2", "2", "0"],
]


@pytest.fixture
def officers(ref_engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys):
    """Import the crafted file, then run `tthc officers … --format csv` on that database."""
    data = json.dumps({"service": "DongBoHoSoMC", "data": DOSSIERS}, ensure_ascii=False)
    report = import_bytes(ref_engine, data.encode(), "dongbo.json")
    assert report.ok, report.summary()
    monkeypatch.setenv("DATABASE_URL", ref_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("TTHC_DEMO_ON_EMPTY", "0")

    def run(*argv: str) -> list[list[str]]:
        capsys.readouterr()
        assert cli.main(["officers", "--format", "csv", *argv]) == 0
        rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
        assert rows[0] == ["ma_don_vi", "can_bo", "ho_so", "qua_han", "buoc_tre_han"]
        return rows[1:]

    return run


def test_each_rule_of_attribution(officers) -> None:
    assert officers("--period", "2025-09") == SEPTEMBER
    assert officers("--period", "2025-10") == OCTOBER
    assert officers("--period", "2025-08") == []
    assert officers("--period", "2025-09", "--unit", "10642") == [SEPTEMBER[-1]]


def test_merging_two_spellings_counts_one_person(officers, capsys) -> None:
    assert (
        cli.main(["officer-merge", "--unit", "10606", "--keep", AN, "--merge", "nguyen van an"])
        == 0
    )
    # D11 had a step by each spelling: one dossier of one person now, An 9 (not 10).
    merged = [r for r in SEPTEMBER if r[1] != "NGUYEN VAN AN"]
    assert officers("--period", "2025-09") == merged
    capsys.readouterr()
    assert (
        cli.main(["officer-merge", "--unit", "10606", "--keep", AN, "--merge", "nguyen van an"])
        == 2
    )
    assert "đã được gộp" in capsys.readouterr().err


def test_kinds_hold_the_same_overdue_as_officers(officers, capsys) -> None:
    capsys.readouterr()
    assert cli.main(["officers", "--period", "2025-09", "--unit", "10606", "--by", "kind",
                     "--format", "csv"]) == 0  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    got = {r["buoc_xu_ly"]: (r["qua_han"], r["buoc_tre_han"], r["buoc_dang_mo"]) for r in rows}
    # Thẩm định held D1 D4 D7 (Bình); Trình ký D2 D3 (Cường); open at 30/09: D4's and D8's.
    assert got == {
        "Tiếp nhận": ("0", "0", "0"),
        "Thẩm định, xử lý": ("3", "3", "2"),
        "Trình ký, phê duyệt": ("2", "0", "0"),
        "": ("2", "0", "0"),
    }


def test_reimport_changes_nothing_and_a_new_history_replaces_the_old(
    ref_engine: Engine, officers
) -> None:
    data = json.dumps({"service": "DongBoHoSoMC", "data": DOSSIERS}, ensure_ascii=False)
    again = import_bytes(ref_engine, data.encode(), "dongbo.json")
    assert again.history is not None and again.history.unchanged == 10
    assert officers("--period", "2025-09") == SEPTEMBER
    # D4 is signed now: Cường's step, opened 18/09, holds... nothing (M 17/09 fell in Bình's,
    # which ended 19/09): Bình keeps D4, and Cường gains one dossier handled.
    fixed = dossier(
        "D4",
        "20250915080000",
        "20250917170000",
        status="4",
        steps=(
            step(AN, "Tiếp nhận", "20250915081000"),
            step(BINH, "Thẩm định", "20250919100000"),
            step(CUONG, "Ký duyệt"),
        ),
    )
    data = json.dumps({"service": "DongBoHoSoMC", "data": [fixed]}, ensure_ascii=False)
    rep = import_bytes(ref_engine, data.encode(), "d4.json")
    assert rep.history is not None and rep.history.replaced == 1
    rows = officers("--period", "2025-09")
    assert ["10606", BINH, "4", "3", "2"] in rows
    assert ["10606", CUONG, "6", "2", "0"] in rows


def _counts(engine: Engine) -> list[tuple]:
    from sqlalchemy import select

    from data_access.step_models import step_daily

    with engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(select(step_daily)))


def test_counts_kept_by_imports_equal_a_rebuild_from_the_steps(
    ref_engine: Engine, officers
) -> None:
    """Imports add their officer counts from the columns in memory and take old ones away in
    SQL: both must equal what the SQL definitions give from the stored steps."""
    from data_access import step_rollups

    changed = [dict(d) for d in DOSSIERS[:4]]
    changed[0]["NgayHenTra"] = "20250912170000"  # D1 no longer late: Bình loses it
    changed[3]["QuaTrinhXuLy"] = changed[3]["QuaTrinhXuLy"][:1]  # D4 back at reception
    data = json.dumps({"service": "DongBoHoSoMC", "data": changed}, ensure_ascii=False)
    assert import_bytes(ref_engine, data.encode(), "sua.json").ok
    kept = _counts(ref_engine)
    assert kept
    with ref_engine.begin() as conn:
        step_rollups.rebuild(conn)
    assert _counts(ref_engine) == kept


def test_officer_targets_and_runs_below_them(officers, capsys) -> None:
    def below(period: str) -> list[list[str]]:
        capsys.readouterr()
        args = ["officers", "--period", period, "--below-target", "--format", "csv"]
        assert cli.main(args) == 0
        return list(csv.reader(io.StringIO(capsys.readouterr().out)))[1:]

    assert cli.main(["officer-targets", "set", "overdue", "0", "--unit", "10606"]) == 0
    assert cli.main(["officer-targets", "set", "steps_on_time", "95%", "--unit", "10606",
                     "--officer", DUNG]) == 0  # fmt: skip
    assert cli.main(["officer-targets", "set", "overdue", "0", "--unit", "10606",
                     "--officer", "Không Có Ai"]) == 2  # fmt: skip
    # September: Bình 3 and Cường 2 overdue against 0; Dũng's steps that ended in September
    # (D2, D3, D5, D9) were on time but D9's: 3 of 4 = 75 % against 95 %.
    name = "Hồ sơ quá hạn do bước của mình"
    assert below("2025-09") == [
        ["10606", BINH, name, "3.0", "0.0", "1"],
        ["10606", CUONG, name, "2.0", "0.0", "1"],
        ["10606", DUNG, "Tỷ lệ bước xong trong hạn của bước", "0.75", "0.95", "1"],
    ]
    # October: D4 still Bình's: below two months running; Dũng ended no step (not judged).
    assert below("2025-10") == [["10606", BINH, name, "1.0", "0.0", "2"]]


def test_where_the_late_days_were_spent(ref_engine: Engine, officers) -> None:
    import datetime as dt

    from sqlalchemy import text as sql

    from data_access.officer_dossiers import late_days

    with ref_engine.connect() as conn:
        unit = conn.execute(
            sql("SELECT id FROM units WHERE code = '10606' AND valid_from >= '2025-07-01'")
        ).scalar()
        ids = dict(conn.execute(sql("SELECT name, id FROM officers WHERE unit_id = :u"),
                                {"u": unit}).all())  # fmt: skip
        got = late_days(conn, unit, "o", dt.date(2025, 9, 1), dt.date(2025, 9, 30),
                        dt.datetime(2026, 1, 1))  # fmt: skip
    # From M (the due day's 23:59:59) to the dossier's end, inside each step. Bình: D1 and D7
    # 9 h 1 s each (to 11/09 09:00), D4 open from M 17/09 to the period's end: 13 d 1 s.
    # Cường: D1, D7 and D3 1 h each, D2 10 h 1 s (from M, where Dũng's step ended).
    day = 86400
    assert got[str(ids[BINH])] == pytest.approx((2 * (9 * 3600 + 1) + 13 * day + 1) / day)
    assert got[str(ids[CUONG])] == pytest.approx((3 * 3600 + 10 * 3600 + 1) / day)
    assert str(ids[DUNG]) not in got and str(ids[AN]) not in got
