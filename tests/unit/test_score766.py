"""The 766 score per component, expected points worked by hand on crafted figures, and checked
against scores the national portal published."""

from __future__ import annotations

import pytest

from dashboard.domain.score766 import (
    CATALOGUE,
    DOSSIERS,
    FEEDBACK,
    SATISFACTION,
    SYNC,
    CatalogueStats,
    FeedbackStats,
    Inputs,
    SatisfactionStats,
    score,
)
from data_access.counts import QUANTITIES


def counts(**given: int) -> dict[str, int]:
    c = dict.fromkeys(QUANTITIES, 0)
    c.update(given)
    return c


# A unit's month, every figure chosen so that each component's points are easy by hand.
COUNTS = counts(
    received=100,
    received_online=20,  # 3.3: min(6, 6 × 0,2 / 0,5) = 2,4
    received_digitized=75,  # 4.2: 4 × 0,75 = 3
    received_reused=40,  # 4.4: min(2, 2 × 0,4 / 0,8) = 1
    received_national_store=50,  # 4.5: 4 × 0,5 = 2
    online_submitted=20,
    online_vneid=15,  # 4.6: 4 × 0,75 = 3
    received_fee=10,
    received_fee_paid_online=5,  # 6.A: 6 × 0,5 = 3
    # 2.1: 50 handled (received to end 50, none finished before the start); 40 resolved on
    # time of which 36 with at most one supplement request, 10 late, none pending.
    received_to_end=50,
    finished_to_end=50,
    resolved=50,
    resolved_on_time=40,
    resolved_on_time_766=36,  # 20 × 36 / 50 = 14,4 (the directive: 40 / 50 = 80 %)
    resolved_late=10,
)
CATALOGUE_STATS = CatalogueStats(
    in_force=10,
    published_on_time=5,  # 1.1: 6 × 0,5 = 3
    updated_on_time=10,  # 1.2: 4
    full_content=9,  # 1.3: 2 × 0,9 = 1,8
    online_offered=4,  # 3.1: min(2, 2 × 0,4 / 0,8) = 1
    online_offered_used_online=1,  # 3.2: 4 × 1/4 = 1
    paper_resolved=40,
    paper_e_result=30,  # 4.1: 6 × 0,75 = 4,5
    certification_resolved=10,
    certification_e_result=5,  # 4.3: 2 × 0,5 = 1
    fee_bearing=5,
    fee_bearing_paid_online=2,  # 6.B: min(2, 2,5 × 0,4) = 1
    fee_bearing_with_dossiers=4,  # 6.C: 2,5 × 0,8 = 2
)
ALL = Inputs(
    counts=COUNTS,
    catalogue=CATALOGUE_STATS,
    feedback=FeedbackStats(received=4, on_time=3, satisfied=2),  # 5.2: 4,5; 5.3: 3
    satisfaction=SatisfactionStats(votes=100, satisfied=45),  # 5.4: min(6, 6 × 0,45/0,9) = 3
    synced=90,  # 1.4: 6 × 90 / 100 = 5,4
)
BY_HAND = {
    "1.1": 3,
    "1.2": 4,
    "1.3": 1.8,
    "1.4": 5.4,
    "2.1": 14.4,
    "3.1": 1,
    "3.2": 1,
    "3.3": 2.4,
    "4.1": 4.5,
    "4.2": 3,
    "4.3": 1,
    "4.4": 1,
    "4.5": 2,
    "4.6": 3,
    "5.2": 4.5,
    "5.3": 3,
    "5.4": 3,
    "6.A": 3,
    "6.B": 1,
    "6.C": 2,
}
# Points each source carries (the maximum of the components that need it; the payment
# group's 10,5 capped at 10 is why the catalogue carries 4 and not 4,5 of it).
CARRIED = {
    CATALOGUE: 6 + 4 + 2 + 2 + 4 + 6 + 2 + 4,
    FEEDBACK: 12,
    SATISFACTION: 6,
    SYNC: 6,
}


def test_every_component_by_hand_and_the_total_out_of_100() -> None:
    s = score(ALL)
    got = {c.code: c.points for c in s.components}
    assert got == pytest.approx(BY_HAND)
    assert s.complete and s.max_supported == 100
    assert s.points == pytest.approx(sum(BY_HAND.values()))  # 64,5; no group over its cap
    groups = {g.name: g.points for g in s.groups}
    assert groups["Công khai, minh bạch"] == pytest.approx(3 + 4 + 1.8 + 5.4)
    assert groups["Thanh toán trực tuyến"] == pytest.approx(3 + 1 + 2)


def test_the_gap_in_points_and_what_is_missing() -> None:
    c = score(ALL).component("4.1")
    assert c.lost == pytest.approx(1.5)
    assert c.shortfall == "10 hồ sơ thiếu kết quả điện tử"
    # A threshold: 3.3 is full at 50 % online, so 50 − 20 = 30 more online dossiers.
    assert score(ALL).component("3.3").shortfall == "cần thêm 30 hồ sơ nộp trực tuyến"
    # 2.1 names the 766 late count: 50 − 36 = 14 (10 late + 4 on time after 2+ requests).
    assert score(ALL).component("2.1").shortfall.startswith("14 hồ sơ trễ hạn")


@pytest.mark.parametrize("source", [CATALOGUE, FEEDBACK, SATISFACTION, SYNC])
def test_one_source_missing_leaves_exactly_its_points_out(source: str) -> None:
    attr = {CATALOGUE: "catalogue", FEEDBACK: "feedback", SATISFACTION: "satisfaction"}
    missing = Inputs(**{**ALL.__dict__, attr.get(source, "synced"): None})
    s = score(missing)
    assert s.max_supported == pytest.approx(100 - CARRIED[source])
    unscored = {c.code for c in s.components if c.points is None}
    assert all(source in c.missing for c in s.components if c.code in unscored)
    assert not s.complete
    # The rest scores as before (the payment group's cap aside).
    for c in s.components:
        if c.points is not None:
            assert c.points == pytest.approx(BY_HAND[c.code])


def test_nothing_to_count() -> None:
    """No PAKN scores the full 6 (the portal's rule); no votes scores 0 (likewise); a unit
    with no fee-bearing dossier gets 0 for 6.A and says why."""
    s = score(
        Inputs(
            counts=counts(),
            catalogue=CatalogueStats(),
            feedback=FeedbackStats(),
            satisfaction=SatisfactionStats(),
            synced=0,
        )
    )
    assert s.component("5.2").points == 6 and s.component("5.3").points == 6
    assert s.component("5.4").points == 0
    assert s.component("6.A").points == 0
    assert s.component("6.A").shortfall == "không phát sinh trong kỳ: tính 0 điểm"


def test_caps() -> None:
    c = counts(received=10, received_online=9, received_fee=2, received_fee_paid_online=2)
    cat = CatalogueStats(fee_bearing=2, fee_bearing_paid_online=2, fee_bearing_with_dossiers=2)
    s = score(Inputs(counts=c, catalogue=cat))
    assert s.component("3.3").points == 6  # 6 × 0,9 / 0,5 = 10,8, capped at 6
    groups = {g.name: g.points for g in s.groups}
    assert groups["Thanh toán trực tuyến"] == 10  # 6 + 2 + 2,5 = 10,5, capped at 10
    # Sync counts above the received dossiers count as all synced, never more.
    assert score(Inputs(counts=c, synced=12)).component("1.4").points == 6


def test_a_loss_is_what_full_marks_would_add_under_the_groups_cap() -> None:
    # 6.B and 6.C full (2 + 2,5), 6.A at 6 × 1/2 = 3: group 6 holds 7,5. 6.A short of its
    # maximum by 3, but 6 + 2 + 2,5 = 10,5 counts 10: full marks there add 2,5.
    c = counts(received=10, received_fee=2, received_fee_paid_online=1)
    cat = CatalogueStats(fee_bearing=2, fee_bearing_paid_online=2, fee_bearing_with_dossiers=2)
    s = score(Inputs(counts=c, catalogue=cat))
    assert s.component("6.A").points == 3
    assert s.component("6.A").lost == pytest.approx(2.5)
    # Below the cap a loss is all of the gap: 3.3 with no online dossier loses its 6.
    assert s.component("3.3").lost == 6


def test_only_the_dossier_list() -> None:
    s = score(Inputs(counts=COUNTS))
    assert s.max_supported == pytest.approx(100 - 30 - 12 - 6 - 6)  # 46
    assert {c.code for c in s.components if c.points is not None} == {
        "2.1", "3.3", "4.2", "4.4", "4.5", "4.6", "6.A",
    }  # fmt: skip
    assert all(DOSSIERS not in c.missing for c in s.components)


# Published portal scores (Phú Thọ, one month of 2026, as the national portal's API gave them;
# collected by the public reverse-engineering repository ChippedTopaz/qd766). The portal shows
# two decimals, hence the 0,005 tolerance.
PUBLISHED_PAYMENT = [
    # unit, A num/den, B num, C num, fee-bearing procedures, published group score
    ("UBND Phường Việt Trì", 1516, 1707, 12, 7, 35, 6.69),
    ("Ban quản lý các khu công nghiệp", 7, 7, 2, 0, 3, 7.67),
    ("UBND xã Thanh Ba", 363, 506, 12, 7, 35, 5.66),
    ("UBND xã Hoàng Cương", 790, 813, 14, 8, 36, 7.36),
]


@pytest.mark.parametrize("unit,a_num,a_den,b_num,c_num,fee,published", PUBLISHED_PAYMENT)
def test_payment_group_reproduces_published_scores(
    unit: str, a_num: int, a_den: int, b_num: int, c_num: int, fee: int, published: float
) -> None:
    s = score(
        Inputs(
            counts=counts(received_fee=a_den, received_fee_paid_online=a_num),
            catalogue=CatalogueStats(
                fee_bearing=fee, fee_bearing_paid_online=b_num, fee_bearing_with_dossiers=c_num
            ),
        )
    )
    group = next(g for g in s.groups if g.name == "Thanh toán trực tuyến")
    assert group.points == pytest.approx(published, abs=0.005), unit


PUBLISHED_SATISFACTION = [
    # unit, dossier votes satisfied/total, PAKN on time, PAKN satisfied, PAKN total, group
    ("UBND tỉnh Phú Thọ", 144574, 184513, 182, 137, 247, 12.97),
    ("UBND Phường Việt Trì", 2348, 2971, 3, 3, 3, 17.27),
    ("UBND xã Lâm Thao", 1660, 2079, 2, 0, 2, 11.32),
    ("UBND xã Xuân Lũng", 939, 1038, 0, 0, 0, 18.0),
]


@pytest.mark.parametrize("unit,sat,votes,on_time,pakn_sat,pakn,published", PUBLISHED_SATISFACTION)
def test_satisfaction_group_reproduces_published_scores(
    unit: str, sat: int, votes: int, on_time: int, pakn_sat: int, pakn: int, published: float
) -> None:
    s = score(
        Inputs(
            feedback=FeedbackStats(received=pakn, on_time=on_time, satisfied=pakn_sat),
            satisfaction=SatisfactionStats(votes=votes, satisfied=sat),
        )
    )
    group = next(g for g in s.groups if g.name == "Mức độ hài lòng")
    # Each component is published rounded to 2 decimals and the group is their sum.
    assert group.points == pytest.approx(published, abs=0.015), unit


def test_publicity_full_content_reproduces_published_score() -> None:
    """87 of 89 procedures published in full: the portal gave 1,96 of 2."""
    s = score(Inputs(catalogue=CatalogueStats(in_force=89, full_content=87)))
    assert s.component("1.3").points == pytest.approx(1.96, abs=0.005)
