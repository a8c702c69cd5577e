from dashboard.domain.rules import IndicatorValue
from dashboard.domain.score766 import ProcedureStats, score


def iv(key: str, num: int, den: int) -> IndicatorValue:
    return IndicatorValue(key, num, den, num / den if den else None)


def test_score_from_dossier_data_with_missing_components() -> None:
    values = {
        "on_time": iv("on_time", 9, 10),  # 20 × 0.9 = 18
        "online_submission": iv("online_submission", 2, 10),  # min(6, 6 × 0.2 / 0.5) = 2.4
        "result_digitization": iv("result_digitization", 1, 2),  # 6 × 0.5 = 3
        "dossier_digitization": iv("dossier_digitization", 10, 10),  # 4
        "data_reuse": iv("data_reuse", 4, 10),  # min(2, 2 × 0.4 / 0.8) = 1
        "online_payment": iv("online_payment", 1, 4),  # 6 × 0.25 = 1.5
    }
    stats = ProcedureStats(
        online_offered=4,
        online_offered_used_online=3,  # 4 × 0.75 = 3
        fee_bearing=5,
        fee_bearing_paid_online=2,
        fee_bearing_with_dossiers=4,
        # B: min(2, 2.5 × 0.4) = 1; C: 2.5 × 0.8 = 2
    )
    s = score(values, stats)
    groups = {g.name: (g.points, g.max_supported) for g in s.groups}
    assert groups["Tiến độ giải quyết"] == (18, 20)
    assert groups["Dịch vụ công trực tuyến"] == (3 + 2.4, 10)  # "offered online" (2) missing
    assert groups["Số hóa hồ sơ"] == (3 + 4 + 1, 12)  # certified copies, data store, province
    assert groups["Thanh toán trực tuyến"] == (1.5 + 1 + 2, 10)
    assert groups["Công khai, minh bạch"] == (None, 0)
    assert groups["Mức độ hài lòng"] == (None, 0)
    assert abs(s.points - (18 + 5.4 + 8 + 4.5)) < 1e-9
    assert s.max_supported == 52
    assert abs(s.share - 35.9 / 52) < 1e-9


def test_online_share_is_capped_and_payment_group_capped_at_ten() -> None:
    values = {
        "online_submission": iv("online_submission", 9, 10),  # 6 × 0.9 / 0.5 → capped at 6
        "online_payment": iv("online_payment", 10, 10),  # 6
    }
    stats = ProcedureStats(fee_bearing=2, fee_bearing_paid_online=2, fee_bearing_with_dossiers=2)
    s = score(values, stats)
    groups = {g.name: g.points for g in s.groups}
    assert groups["Dịch vụ công trực tuyến"] == 6
    assert groups["Thanh toán trực tuyến"] == 10  # 6 + 2 + 2.5 = 10.5, capped at 10


def test_no_data_at_all() -> None:
    s = score({"on_time": iv("on_time", 0, 0)}, None)
    assert s.points is None and s.share is None and s.max_supported == 0
