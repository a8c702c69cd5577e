"""The indicator catalog: what each indicator is, how it is read, and its default target.

Data, not code: the engine, the dashboard, the exports and the CLI read names,
definitions, directions and targets from here. Default targets are those of the
March 2025 directive of UBND huyện Nam Sách (seed 004); configured targets with an
effective date (and optionally per unit) override them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

DIRECTIVE_2025_03 = "Công văn UBND huyện Nam Sách, tháng 3/2025"


@dataclass(frozen=True)
class IndicatorSpec:
    """One indicator of the catalog."""

    key: str
    name_vi: str
    name_en: str
    definition_vi: str
    unit: Literal["%", "count"]
    higher_is_better: bool
    default_target: float  # a ratio (0.8 = 80 %) for rates, a count for counts
    group_766: str | None = None
    points_766: float | None = None
    source: str = DIRECTIVE_2025_03


CATALOG: tuple[IndicatorSpec, ...] = (
    IndicatorSpec(
        "online_submission",
        "Tỷ lệ nộp hồ sơ trực tuyến",
        "Online submission rate",
        "Số hồ sơ tiếp nhận trong kỳ nộp trực tuyến / số hồ sơ tiếp nhận trong kỳ.",
        "%",
        True,
        0.80,
        "Dịch vụ công trực tuyến",
        6,
    ),
    IndicatorSpec(
        "online_payment",
        "Tỷ lệ thanh toán trực tuyến",
        "Online payment rate",
        "Số hồ sơ có phí, lệ phí đã thanh toán trực tuyến / số hồ sơ tiếp nhận có phí, lệ phí.",
        "%",
        True,
        0.80,
        "Thanh toán trực tuyến",
        6,
    ),
    IndicatorSpec(
        "dossier_digitization",
        "Số hóa hồ sơ",
        "Dossier digitization",
        "Số hồ sơ tiếp nhận có thành phần hồ sơ được số hóa / số hồ sơ tiếp nhận.",
        "%",
        True,
        1.0,
        "Số hóa hồ sơ",
        4,
    ),
    IndicatorSpec(
        "result_digitization",
        "Số hóa kết quả giải quyết",
        "Result digitization",
        "Số hồ sơ giải quyết xong có kết quả điện tử (ký số) / số hồ sơ giải quyết xong trong kỳ.",
        "%",
        True,
        1.0,
        "Số hóa hồ sơ",
        6,
    ),
    IndicatorSpec(
        "data_reuse",
        "Khai thác, tái sử dụng dữ liệu số hóa",
        "Reuse of digitized data",
        "Số hồ sơ tiếp nhận có khai thác, tái sử dụng dữ liệu đã số hóa / số hồ sơ tiếp nhận.",
        "%",
        True,
        0.50,
        "Số hóa hồ sơ",
        2,
    ),
    IndicatorSpec(
        "on_time",
        "Giải quyết trước hạn, đúng hạn",
        "Resolved early or on time",
        "(Giải quyết trước hạn, đúng hạn + rút, trả lại + đang giải quyết trong hạn) / "
        "số hồ sơ phải giải quyết trong kỳ (tiếp nhận trong kỳ + kỳ trước chuyển sang).",
        "%",
        True,
        1.0,
        "Tiến độ giải quyết",
        20,
    ),
    IndicatorSpec(
        "overdue",
        "Hồ sơ quá hạn",
        "Overdue dossiers",
        "Số hồ sơ giải quyết quá hạn trong kỳ + số hồ sơ đang giải quyết đã quá hạn cuối kỳ.",
        "count",
        False,
        0,
    ),
    IndicatorSpec(
        "paused",
        "Hồ sơ tạm dừng",
        "Paused dossiers",
        "Số hồ sơ phải giải quyết trong kỳ đang ở trạng thái tạm dừng, dừng xử lý.",
        "count",
        False,
        0,
    ),
    IndicatorSpec(
        "returned",
        "Hồ sơ trả lại, từ chối",
        "Returned or refused dossiers",
        "Số hồ sơ bị trả lại hoặc từ chối giải quyết trong kỳ.",
        "count",
        False,
        0,
    ),
    IndicatorSpec(
        "online_reception_6h",
        "Tiếp nhận hồ sơ trực tuyến trong 6 giờ làm việc",
        "Online dossiers answered within 6 working hours",
        "Số hồ sơ trực tuyến được tiếp nhận hoặc yêu cầu bổ sung trong 6 giờ làm việc kể từ khi "
        "nộp / số hồ sơ nộp trực tuyến trong kỳ.",
        "%",
        True,
        1.0,
        source="Công văn năm 2023 (tiếp nhận không muộn hơn 6 giờ làm việc)",
    ),
    IndicatorSpec(
        "publicity",
        "Công khai, minh bạch",
        "Publicity and transparency",
        "Tỷ lệ thủ tục hành chính của đơn vị được công bố, công khai đầy đủ, đúng hạn.",
        "%",
        True,
        1.0,
        "Công khai, minh bạch",
        18,
    ),
)

BY_KEY: dict[str, IndicatorSpec] = {spec.key: spec for spec in CATALOG}


def indicator(key: str) -> IndicatorSpec:
    """The catalog entry for `key` (KeyError names the unknown key)."""
    return BY_KEY[key]
