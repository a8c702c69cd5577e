"""Service-quality score in the style of Decision 766/QĐ-TTg, from what the dossier list holds.

Group maxima and formulas follow the domain guide (after the public reverse-engineering of
the national portal's scoring). A component whose data the district does not hold is
reported as missing ("chưa có dữ liệu"), never as 0 or full; the total is given as points
over the maximum the available data supports, and as a share of it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from dashboard.domain.rules import IndicatorValue


@dataclass(frozen=True)
class ProcedureStats:
    """Counts of a unit's procedures (those it has ever received dossiers for)."""

    online_offered: int = 0  # procedures offered as online services
    online_offered_used_online: int = 0  # … with at least one online dossier in the period
    fee_bearing: int = 0  # procedures with a fee or charge
    fee_bearing_paid_online: int = 0  # … with at least one dossier paid online in the period
    fee_bearing_with_dossiers: int = 0  # … with at least one dossier in the period


Inputs = tuple[Mapping[str, IndicatorValue], ProcedureStats | None]
Formula = Callable[[Inputs], float | None]


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _ind(key: str, fn: Callable[[float], float]) -> Formula:
    def formula(inputs: Inputs) -> float | None:
        v = inputs[0].get(key)
        return None if v is None or v.value is None else fn(v.value)

    return formula


def _procs(num: str, den: str, fn: Callable[[float], float]) -> Formula:
    def formula(inputs: Inputs) -> float | None:
        stats = inputs[1]
        if stats is None:
            return None
        r = _ratio(getattr(stats, num), getattr(stats, den))
        return None if r is None else fn(r)

    return formula


def _missing(_inputs: Inputs) -> None:
    return None


@dataclass(frozen=True)
class ComponentSpec:
    """One scored component: its group, name, maximum points and formula."""

    group: str
    name: str
    max_points: float
    formula: Formula


GROUP_MAX: dict[str, float] = {
    "Công khai, minh bạch": 18,
    "Tiến độ giải quyết": 20,
    "Dịch vụ công trực tuyến": 12,
    "Số hóa hồ sơ": 22,
    "Mức độ hài lòng": 18,
    "Thanh toán trực tuyến": 10,
}

COMPONENTS: tuple[ComponentSpec, ...] = (
    ComponentSpec("Công khai, minh bạch", "Công bố TTHC đúng hạn", 6, _missing),
    ComponentSpec("Công khai, minh bạch", "Cập nhật, công khai TTHC đúng hạn", 4, _missing),
    ComponentSpec("Công khai, minh bạch", "Công khai đầy đủ nội dung TTHC", 2, _missing),
    ComponentSpec("Công khai, minh bạch", "Đồng bộ hồ sơ lên Cổng DVC quốc gia", 6, _missing),
    ComponentSpec(
        "Tiến độ giải quyết", "Hồ sơ giải quyết đúng hạn", 20, _ind("on_time", lambda r: 20 * r)
    ),
    ComponentSpec("Dịch vụ công trực tuyến", "TTHC cung cấp trực tuyến", 2, _missing),
    ComponentSpec(
        "Dịch vụ công trực tuyến",
        "Dịch vụ trực tuyến phát sinh hồ sơ",
        4,
        _procs("online_offered_used_online", "online_offered", lambda r: 4 * r),
    ),
    ComponentSpec(
        "Dịch vụ công trực tuyến",
        "Tỷ lệ hồ sơ nộp trực tuyến",
        6,
        _ind("online_submission", lambda r: min(6, 6 * r / 0.5)),
    ),
    ComponentSpec(
        "Số hóa hồ sơ",
        "Kết quả giải quyết điện tử",
        6,
        _ind("result_digitization", lambda r: min(6, 6 * r)),
    ),
    ComponentSpec(
        "Số hóa hồ sơ",
        "Số hóa thành phần hồ sơ",
        4,
        _ind("dossier_digitization", lambda r: min(4, 4 * r)),
    ),
    ComponentSpec("Số hóa hồ sơ", "Cấp bản sao điện tử có chứng thực", 2, _missing),
    ComponentSpec(
        "Số hóa hồ sơ",
        "Khai thác, tái sử dụng dữ liệu số hóa",
        2,
        _ind("data_reuse", lambda r: min(2, 2 * r / 0.8)),
    ),
    ComponentSpec("Số hóa hồ sơ", "Kết nối kho dữ liệu của công dân", 4, _missing),
    ComponentSpec("Số hóa hồ sơ", "Chỉ tiêu riêng cấp tỉnh", 4, _missing),
    ComponentSpec("Mức độ hài lòng", "Xử lý phản ánh, kiến nghị đúng hạn", 6, _missing),
    ComponentSpec("Mức độ hài lòng", "Hài lòng về xử lý phản ánh, kiến nghị", 6, _missing),
    ComponentSpec("Mức độ hài lòng", "Hài lòng về giải quyết hồ sơ", 6, _missing),
    ComponentSpec(
        "Thanh toán trực tuyến",
        "Hồ sơ thanh toán trực tuyến (A)",
        6,
        _ind("online_payment", lambda r: 6 * r),
    ),
    ComponentSpec(
        "Thanh toán trực tuyến",
        "TTHC có thanh toán trực tuyến thành công (B)",
        2,
        _procs("fee_bearing_paid_online", "fee_bearing", lambda r: min(2, 2.5 * r)),
    ),
    # 2.5 × C as the guide gives it; the group is capped at its maximum of 10.
    ComponentSpec(
        "Thanh toán trực tuyến",
        "TTHC có phí phát sinh hồ sơ (C)",
        2.5,
        _procs("fee_bearing_with_dossiers", "fee_bearing", lambda r: 2.5 * r),
    ),
)


@dataclass(frozen=True)
class ComponentScore:
    """A component's points, or None when the data is missing."""

    group: str
    name: str
    max_points: float
    points: float | None


@dataclass(frozen=True)
class GroupScore:
    """A group's points over the maximum its available components support."""

    name: str
    max_points: float
    points: float | None
    max_supported: float


@dataclass(frozen=True)
class Score766:
    """The total and its parts."""

    components: tuple[ComponentScore, ...]
    groups: tuple[GroupScore, ...]
    points: float | None
    max_supported: float

    @property
    def share(self) -> float | None:
        """Points as a share of the maximum the data supports."""
        return (
            None
            if self.points is None or not self.max_supported
            else (self.points / self.max_supported)
        )


def score(values: Mapping[str, IndicatorValue], stats: ProcedureStats | None) -> Score766:
    """Score one unit (or a parent) for a period."""
    comps = tuple(
        ComponentScore(c.group, c.name, c.max_points, c.formula((values, stats)))
        for c in COMPONENTS
    )
    groups = []
    for name, cap in GROUP_MAX.items():
        mine = [c for c in comps if c.group == name and c.points is not None]
        if not mine:
            groups.append(GroupScore(name, cap, None, 0.0))
            continue
        groups.append(
            GroupScore(
                name,
                cap,
                min(cap, sum(c.points or 0.0 for c in mine)),
                min(cap, sum(c.max_points for c in mine)),
            )
        )
    known = [g for g in groups if g.points is not None]
    return Score766(
        comps,
        tuple(groups),
        sum(g.points or 0.0 for g in known) if known else None,
        sum(g.max_supported for g in known),
    )
