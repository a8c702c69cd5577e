"""The whole 766 score from the database, on crafted dossiers and sources: every component by
hand, one source missing, the exact CSV of `tthc score766`, and the dossiers behind a loss."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, delete, insert

from dashboard.domain.periods import parse_period
from dashboard.domain.scope import load_scope
from dashboard.services import report, score766_rows
from data_access import score_lists
from data_access.db import make_engine
from data_access.queries import all_units
from data_access.score_models import FeedbackItem, ProcedureVersion, SatisfactionVote, SyncCount

MARCH = parse_period("2025-03")
D = dt.date


@pytest.fixture
def crafted(ref_engine: Engine, add) -> Engine:
    add(
        "10657",
        [
            # On time by the directive, late by 766: supplements were asked twice.
            dict(code="A1", channel=2, submitted_at="2025-03-03 08:00",
                 received_at="2025-03-03 09:00", due_at="2025-03-04 17:00",
                 finished_at="2025-03-04 10:00", e_result=True, national_store=True,
                 vneid=True, supplement_count=2),
            dict(code="A2", received_at="2025-03-05 09:00", due_at="2025-03-06 17:00",
                 finished_at="2025-03-06 10:00"),  # no electronic result
            dict(code="A3", received_at="2025-03-10 09:00", due_at="2025-03-11 17:00",
                 finished_at="2025-03-12 10:00", e_result=True),  # late
            dict(code="A4", channel=2, submitted_at="2025-03-12 08:00",
                 received_at="2025-03-12 09:00", due_at="2025-03-13 17:00",
                 finished_at="2025-03-13 10:00", e_result=True),
        ],
    )  # fmt: skip
    with ref_engine.begin() as conn:
        unit = all_units(conn).resolve("10657", MARCH.start, MARCH.end).id
        common = dict(field_name="Hộ tịch", payment_integrated=False, paper_result=True)
        conn.execute(
            insert(ProcedureVersion),
            [
                # On time: decided 2/12/2024, 5 working days → 9/12 ≤ 1/1/2025; public 4/12.
                dict(common, code="1.001193", name="Đăng ký khai sinh", level="xa",
                     online_level="toan_trinh", has_fee=False, decision_on=D(2024, 12, 2),
                     effective_from=D(2025, 1, 1), published_on=D(2024, 12, 4),
                     parts_published=7),
                # Late on both counts, 5 of 7 parts, fee-bearing, no dossier.
                dict(common, code="2.000001", name="Thủ tục có phí", level="xa",
                     online_level="khong", has_fee=True, decision_on=D(2024, 12, 30),
                     effective_from=D(2025, 1, 1), published_on=D(2025, 1, 20),
                     parts_published=5),
                # Another level: not the commune's.
                dict(common, code="2.000002", name="Thủ tục cấp huyện", level="huyen",
                     online_level="khong", has_fee=True, decision_on=None,
                     effective_from=D(2025, 1, 1), published_on=None, parts_published=0),
            ],
        )  # fmt: skip
        conn.execute(
            insert(FeedbackItem),
            [
                dict(unit_id=unit, code="P1", received_on=D(2025, 3, 3), due_on=D(2025, 3, 17),
                     handled_on=D(2025, 3, 10), category="tthc", rating="hai_long"),
                dict(unit_id=unit, code="P2", received_on=D(2025, 3, 20), due_on=D(2025, 4, 3),
                     handled_on=None, category="khac", rating=""),
            ],
        )  # fmt: skip
        conn.execute(
            insert(SatisfactionVote),
            [
                dict(unit_id=unit, month=D(2025, 3, 1), dossier_code="", votes=10, satisfied=8),
                # The month given whole stands for the single votes of that month.
                dict(unit_id=unit, month=D(2025, 3, 1), dossier_code="A2", votes=1, satisfied=0),
            ],
        )
        conn.execute(insert(SyncCount).values(unit_id=unit, month=D(2025, 3, 1), synced=3))
    return ref_engine


BY_HAND = {
    "1.1": 3.0,  # 1 of 2 procedures in force published on time: 6 × 1/2
    "1.2": 2.0,  # 4 × 1/2
    "1.3": 1.0,  # 2 × 1/2
    "1.4": 4.5,  # 6 × 3 synced / 4 received
    "2.1": 10.0,  # 20 × 2/4: A3 late, A1 late by 766
    "3.1": 1.25,  # min(2, 2 × 0,5 / 0,8)
    "3.2": 4.0,  # the one online procedure has online dossiers
    "3.3": 6.0,  # 2 of 4 online: min(6, 6 × 0,5 / 0,5)
    "4.1": 4.5,  # 3 of 4 resolved with an electronic result
    "4.2": 0.0,
    "4.3": 0.0,  # no certification dossier
    "4.4": 0.0,
    "4.5": 1.0,  # 4 × 1/4
    "4.6": 2.0,  # 4 × 1/2 online submissions by a VNeID account
    "5.2": 3.0,  # 1 of 2 PAKN handled by its due day
    "5.3": 3.0,  # 1 of 2 rated satisfied
    "5.4": 6 * 0.8 / 0.9,  # 8 of 10 votes
    "6.A": 0.0,  # no fee-bearing dossier
    "6.B": 0.0,  # the fee-bearing procedure: no payment
    "6.C": 0.0,  # … and no dossier
}


def test_every_component_from_the_database(crafted: Engine) -> None:
    unit = report.compute(crafted, MARCH, ["10657"]).units[0]
    got = {c.code: c.points for c in unit.score.components}
    assert got == pytest.approx(BY_HAND)
    assert unit.score.complete and unit.score.max_supported == 100
    assert unit.score.points == pytest.approx(sum(BY_HAND.values()))
    # The directive's on-time figure stays 3 of 4 (A1 counts on time there).
    assert unit.indicators["on_time"].value == pytest.approx(0.75)


def test_one_source_missing_leaves_exactly_its_points(crafted: Engine) -> None:
    with crafted.begin() as conn:
        conn.execute(delete(SyncCount))
    unit = report.compute(crafted, MARCH, ["10657"]).units[0]
    assert unit.score.component("1.4").points is None
    assert unit.score.max_supported == 94
    assert unit.score.points == pytest.approx(sum(BY_HAND.values()) - 4.5)


def test_a_period_the_dossier_list_does_not_reach_has_no_dossier_points(crafted: Engine) -> None:
    # The crafted dossiers are of March 2025: June 2024 has no dossier data at all (and no
    # catalogue in force), which is not a month of zero dossiers.
    before = report.compute(crafted, parse_period("2024-06"), ["10657"])
    for rep in (before.units[0], before.parent):
        assert rep.score.component("2.1").points is None
        assert "ho_so" in rep.score.component("2.1").missing
        assert rep.score.points is None
    # In March another unit with no dossier of its own scores its dossier components.
    other = report.compute(crafted, MARCH, ["10606"]).units[0]
    assert other.score.component("4.2").points is not None


def test_score766_csv_exact(crafted: Engine, monkeypatch, capsys) -> None:
    from tests.cli_runner import cli_runner

    run = cli_runner(crafted.url.render_as_string(hide_password=False), monkeypatch, capsys)
    code, out, _err = run("score766", "--period", "2025-03", "--unit", "10657", "--format", "csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "ma_don_vi,nhom,thanh_phan,diem,diem_toi_da,nguon"
    assert len(lines) == 1 + 20 + 1
    e_result = next(x for x in lines if ",4.1 Số hóa kết quả," in x)
    assert e_result.startswith("10657,Số hóa hồ sơ,4.1 Số hóa kết quả,4.5,6,")
    total = lines[-1].split(",")
    assert total[:5] == ["10657", "", "Tổng", f"{round(sum(BY_HAND.values()), 2)}", "100"]


def test_a_scope_counts_each_units_instance_of_a_procedure(crafted: Engine) -> None:
    """Every unit has one procedure published late (a commune 2.000001, a department
    2.000002, decided on no day): the scope's 1.1 counts one per unit, and says so."""
    rep = report.compute(crafted, MARCH)
    unit, scope = (score766_rows.rows([r], {})[0]["shortfall"] for r in (rep.units[0], rep.parent))
    assert unit == "1 TTHC công bố không đúng hạn"
    assert scope == f"{len(rep.units)} lượt TTHC – đơn vị công bố không đúng hạn"


def test_the_dossiers_behind_a_loss(crafted: Engine) -> None:
    with crafted.connect() as conn:
        unit = all_units(conn).resolve("10657", MARCH.start, MARCH.end).id
    _n, rows = score_lists.gap_dossiers(crafted, "4.1", [unit], MARCH.start, MARCH.end)
    assert [r[0] for r in rows] == ["A2"]
    _n, rows = score_lists.gap_dossiers(crafted, "2.1", [unit], MARCH.start, MARCH.end)
    assert [(r[0], r[-1]) for r in rows] == [("A1", 2), ("A3", 0)]  # A1: asked twice
    n, pakn = score_lists.gap_feedback(crafted, "5.2", [unit], MARCH.start, MARCH.end)
    assert n == 1 and pakn[0][0] == "P2"


@pytest.mark.parametrize("period", ["2025-03", "2025-Q4"])
def test_the_demo_scores_every_unit_out_of_100(demo_engine: Engine, period: str) -> None:
    """The demo ships a catalogue, PAKN, votes and sync counts: no component is missing for
    any unit, in the district's era or the communes' (the scope's total too)."""
    rep = report.compute(demo_engine, parse_period(period))
    assert rep.units
    for u in [*rep.units, rep.parent]:
        missing = [c.code for c in u.score.components if c.points is None]
        assert missing == [], (u.unit.name, missing)
        assert u.score.max_supported == 100


def test_sync_counts_are_needed_for_every_month_each_taken_over_unit_existed(
    ref_engine: Engine,
) -> None:
    """Xã Nam Sách from 1/7/2025 took over TT Nam Sách, Hồng Phong and Đồng Lạc: for 2025 its
    1.4 needs their January–June and its own July–December, month by month (eighteen months
    of predecessors do not stand for its own six)."""
    year = parse_period("2025")
    with ref_engine.connect() as conn:
        units = all_units(conn)
    new = units.resolve("10606", D(2025, 7, 1), D(2025, 7, 1))
    old = [units[p] for p in new.predecessor_ids]
    assert sorted(u.name for u in old) == ["Hồng Phong", "Thị trấn Nam Sách", "Đồng Lạc"]
    counts = [
        dict(unit_id=u.id, month=D(2025, m, 1), synced=10) for u in old for m in range(1, 7)
    ] + [dict(unit_id=new.id, month=D(2025, m, 1), synced=10) for m in range(7, 13)]

    def synced(rows: list[dict]) -> int | None:
        with ref_engine.begin() as conn:
            conn.execute(delete(SyncCount))
            if rows:
                conn.execute(insert(SyncCount), rows)
        rep = report.compute(ref_engine, year, ["10606@2025-07-01"])
        return rep.units[0].inputs.synced

    assert synced(counts) == 24 * 10
    # Its own months missing: the predecessors' eighteen do not count for them.
    assert synced([c for c in counts if c["unit_id"] != new.id]) is None
    # Đồng Lạc's March missing, while another month is there: missing all the same.
    dong_lac = next(u for u in old if u.name == "Đồng Lạc").id
    lacking = [c for c in counts if not (c["unit_id"] == dong_lac and c["month"].month == 3)]
    assert len(lacking) == 23 and synced(lacking) is None
    assert synced([]) is None


def test_the_city_formed_in_july_scores_its_year_2025_whole(city_url: str) -> None:
    """Thành phố Hải Phòng's communes exist from 1/7/2025: the PAKN and votes loaded need to
    reach over 2025 only from July for them. Nam Sách's five communes took over units that
    existed all year, whose first half the city's demo does not hold: theirs stay missing."""
    engine = make_engine(city_url)  # the session's database: read only
    try:
        rep = report.compute(engine, parse_period("2025"), scope=load_scope("31"))
    finally:
        engine.dispose()
    assert len(rep.units) == 114
    missing = {
        u.unit.name: [c.code for c in u.score.components if c.points is None] for u in rep.units
    }
    took_over = {u.unit.name for u in rep.units if u.unit.predecessor_ids}
    assert took_over == {"Xã An Phú", "Xã Hợp Tiến", "Xã Nam Sách", "Xã Thái Tân", "Xã Trần Phú"}
    assert {n: m for n, m in missing.items() if m} == dict.fromkeys(
        took_over, ["1.4", "5.2", "5.3", "5.4"]
    )
