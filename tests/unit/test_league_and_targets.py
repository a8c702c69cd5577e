import datetime as dt

from dashboard.domain.league import competition_ranks, rank_units
from dashboard.domain.rules import IndicatorValue
from dashboard.domain.targets import TargetRule, evaluate, target_for


def test_competition_ranking_ties_and_missing() -> None:
    values = {"a": 0.9, "b": 0.8, "c": 0.8, "d": 0.7, "e": None}
    assert competition_ranks(values) == {"a": 1, "b": 2, "c": 2, "d": 4, "e": None}
    # lower is better (counts)
    assert competition_ranks({"a": 3, "b": 0, "c": 0, "d": 1}, higher_is_better=False) == {
        "a": 4,
        "b": 1,
        "c": 1,
        "d": 3,
    }
    # float noise does not break a tie: 0.1 + 0.2 equals 0.3 for ranking
    assert competition_ranks({"a": 0.1 + 0.2, "b": 0.3}) == {"a": 1, "b": 1}


def test_rank_units_movement_and_order() -> None:
    rows = rank_units(
        {"a": 0.5, "b": 0.9, "c": None, "d": 0.9},
        {"a": 0.95, "b": 0.6, "d": None},
        higher_is_better=True,
        tie_order=["d", "c", "b", "a"],
    )
    assert [(r.unit_id, r.rank, r.previous_rank, r.movement) for r in rows] == [
        ("d", 1, None, None),  # tie with b, listed first by name order
        ("b", 1, 2, 1),  # up one place
        ("a", 3, 1, -2),  # down two places
        ("c", None, None, None),  # no data: last, unranked
    ]


def test_targets_in_force() -> None:
    rules = [
        TargetRule("online_payment", 0.9, dt.date(2023, 8, 1)),
        TargetRule("online_payment", 0.8, dt.date(2025, 3, 1)),
        TargetRule("online_payment", 0.6, dt.date(2025, 1, 1), "10657"),
    ]
    assert target_for("online_payment", "10606", dt.date(2022, 12, 31), rules) == 0.8  # default
    assert target_for("online_payment", "10606", dt.date(2024, 6, 30), rules) == 0.9
    assert target_for("online_payment", "10606", dt.date(2025, 3, 31), rules) == 0.8
    assert target_for("online_payment", "10657", dt.date(2025, 3, 31), rules) == 0.6
    assert target_for("online_payment", "10657", dt.date(2024, 12, 31), rules) == 0.9
    assert target_for("data_reuse", "10657", dt.date(2025, 3, 31), rules) == 0.5


def test_evaluation_is_exact_at_the_boundary() -> None:
    # 4 of 5 is exactly 80 %: met, although 0.8 * 5 is 4.000000000000001 in floats.
    met = evaluate(IndicatorValue("online_submission", 4, 5, 0.8), 0.8)
    assert (met.status_label, met.gap) == ("đạt", 0.0)
    missed = evaluate(IndicatorValue("online_submission", 79, 100, 0.79), 0.8)
    assert missed.status_label == "không đạt"
    assert abs(missed.gap + 0.01) < 1e-12
    none = evaluate(IndicatorValue("online_submission", 0, 0, None), 0.8)
    assert (none.status_label, none.gap) == ("không có dữ liệu", None)
    # counts: lower is better; 0 is the target
    assert evaluate(IndicatorValue("overdue", 0, 10, 0.0), 0).status_label == "đạt"
    late = evaluate(IndicatorValue("overdue", 2, 10, 2.0), 0)
    assert (late.status_label, late.gap) == ("không đạt", 2.0)
