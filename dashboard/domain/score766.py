"""The service-quality score of Decision 766/QĐ-TTg: 100 points in six groups, per unit and
period, from the dossiers and the four files an office holds besides them.

Group maxima and formulas follow the domain guide (after the public reverse-engineering of the
national portal's scoring, which reproduces published scores within 0,015 points). Each
component names its sources; when one of them is not loaded the component is missing
("chưa có dữ liệu"), never 0 or full, and the total is points over the maximum the loaded
sources support. A formula the reverse-engineering could not confirm, or a rule that is our
own reading of the law, is marked `estimated` and the screen says "ước tính".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace

from dashboard.domain.rules import on_time_count, states

DOSSIERS, CATALOGUE, FEEDBACK, SATISFACTION, SYNC = (
    "ho_so",
    "danh_muc",
    "pakn",
    "hai_long",
    "dong_bo",
)
SOURCE_LABELS: dict[str, str] = {
    DOSSIERS: "Danh sách hồ sơ",
    CATALOGUE: "Danh mục TTHC",
    FEEDBACK: "Phản ánh, kiến nghị (PAKN)",
    SATISFACTION: "Phiếu đánh giá hài lòng",
    SYNC: "Số hồ sơ đồng bộ Cổng DVCQG",
}


@dataclass(frozen=True)
class CatalogueStats:
    """A unit's procedures in force in the period (those of its level in the catalogue) and
    the dossier figures that need the catalogue to be counted."""

    in_force: int = 0
    published_on_time: int = 0  # decision issued ≥ 5 working days before taking effect
    updated_on_time: int = 0  # made public ≤ 5 working days after the decision
    full_content: int = 0  # all 7 parts of NĐ 63/2010 Art. 8(2) published
    online_offered: int = 0  # toàn trình or một phần
    online_offered_used_online: int = 0  # … with an online dossier of the unit in the period
    paper_resolved: int = 0  # resolved dossiers of procedures whose result is a paper
    paper_e_result: int = 0  # … with an electronic result
    certification_resolved: int = 0  # resolved dossiers of the field Chứng thực
    certification_e_result: int = 0  # … with an electronic (certified) copy
    fee_bearing: int = 0
    fee_bearing_paid_online: int = 0  # … with a dossier paid online in the period
    fee_bearing_with_dossiers: int = 0  # … with a dossier in the period

    def __add__(self, other: CatalogueStats) -> CatalogueStats:
        return CatalogueStats(
            *[getattr(self, f.name) + getattr(other, f.name) for f in fields(self)]
        )


@dataclass(frozen=True)
class FeedbackStats:
    """PAKN received in the period: how many, handled by their due day, rated satisfied."""

    received: int = 0
    on_time: int = 0
    satisfied: int = 0

    def __add__(self, other: FeedbackStats) -> FeedbackStats:
        return FeedbackStats(
            self.received + other.received,
            self.on_time + other.on_time,
            self.satisfied + other.satisfied,
        )


@dataclass(frozen=True)
class SatisfactionStats:
    """Votes on dossier handling in the period's months, and the satisfied ones."""

    votes: int = 0
    satisfied: int = 0

    def __add__(self, other: SatisfactionStats) -> SatisfactionStats:
        return SatisfactionStats(self.votes + other.votes, self.satisfied + other.satisfied)


@dataclass(frozen=True)
class Inputs:
    """What one unit (or the scope) holds for a period; None: that source is not loaded."""

    counts: Mapping[str, int] | None = None  # the dossier rollup counts (QUANTITIES)
    catalogue: CatalogueStats | None = None
    feedback: FeedbackStats | None = None
    satisfaction: SatisfactionStats | None = None
    synced: int | None = None  # dossiers the portal says it received from the unit


def on_time_pair(c: Mapping[str, int]) -> tuple[int, int, int]:
    """(on time by the directive, on time by 766, handled): the 766 formula counts a dossier
    resolved on time after more than one supplement request as late."""
    handled = states(c)["handled"]
    return on_time_count(c), on_time_count(c, "resolved_on_time_766"), handled


Ratio = tuple[int, int]  # numerator, denominator
Getter = Callable[[Inputs], Ratio]


def _c(num: str, den: str) -> Getter:
    def get(i: Inputs) -> Ratio:
        assert i.counts is not None
        return i.counts[num], i.counts[den]

    return get


def _cat(num: str, den: str) -> Getter:
    def get(i: Inputs) -> Ratio:
        assert i.catalogue is not None
        return getattr(i.catalogue, num), getattr(i.catalogue, den)

    return get


def _on_time(i: Inputs) -> Ratio:
    assert i.counts is not None
    _directive, by_766, handled = on_time_pair(i.counts)
    return by_766, handled


def _sync(i: Inputs) -> Ratio:
    assert i.counts is not None and i.synced is not None
    return min(i.synced, i.counts["received"]), i.counts["received"]


def _fb(num: str) -> Getter:
    def get(i: Inputs) -> Ratio:
        assert i.feedback is not None
        return getattr(i.feedback, num), i.feedback.received

    return get


def _sat(i: Inputs) -> Ratio:
    assert i.satisfaction is not None
    return i.satisfaction.satisfied, i.satisfaction.votes


@dataclass(frozen=True)
class ComponentSpec:
    """One scored component: its code, group, name, maximum, sources, the ratio it scores,
    the ratio at which it reaches its maximum (`full_at`), its points when there is nothing to
    count (`when_none`), what a shortfall is called, and whether the formula is confirmed."""

    code: str
    group: str
    name: str
    max_points: float
    sources: tuple[str, ...]
    ratio: Getter
    full_at: float = 1.0
    when_none: float = 0.0
    shortfall: str = ""  # "{n} hồ sơ thiếu kết quả điện tử"
    estimated: bool = False

    def points(self, num: int, den: int) -> float:
        """The component's points for numerator `num` over denominator `den`: max × r /
        full_at, capped at the maximum."""
        if den <= 0:
            return self.when_none
        return min(self.max_points, self.max_points * (num / den) / self.full_at)

    def needed(self, num: int, den: int) -> int:
        """How many more counted items would give the maximum (0 when it is reached)."""
        if den <= 0:
            return 0
        return max(0, math.ceil(self.full_at * den - 1e-9) - num)


GROUP_MAX: dict[str, float] = {
    "Công khai, minh bạch": 18,
    "Tiến độ giải quyết": 20,
    "Dịch vụ công trực tuyến": 12,
    "Số hóa hồ sơ": 22,
    "Mức độ hài lòng": 18,
    "Thanh toán trực tuyến": 10,
}
_PUB, _PROG, _DVC, _DIG, _SAT, _PAY = GROUP_MAX

COMPONENTS: tuple[ComponentSpec, ...] = (
    ComponentSpec(
        "1.1", _PUB, "TTHC công bố đúng hạn", 6, (CATALOGUE,),
        _cat("published_on_time", "in_force"),
        shortfall="{n} TTHC công bố không đúng hạn", estimated=True,
    ),
    ComponentSpec(
        "1.2", _PUB, "TTHC cập nhật, công khai đúng hạn", 4, (CATALOGUE,),
        _cat("updated_on_time", "in_force"),
        shortfall="{n} TTHC công khai chậm", estimated=True,
    ),
    ComponentSpec(
        "1.3", _PUB, "TTHC công khai đầy đủ nội dung", 2, (CATALOGUE,),
        _cat("full_content", "in_force"), shortfall="{n} TTHC công khai thiếu nội dung",
    ),
    ComponentSpec(
        "1.4", _PUB, "Hồ sơ đồng bộ lên Cổng DVC quốc gia", 6, (DOSSIERS, SYNC), _sync,
        shortfall="{n} hồ sơ chưa đồng bộ lên Cổng DVCQG",
    ),
    ComponentSpec(
        "2.1", _PROG, "Hồ sơ giải quyết đúng hạn", 20, (DOSSIERS,), _on_time,
        shortfall="{n} hồ sơ trễ hạn (kể cả hồ sơ yêu cầu bổ sung quá 1 lần)",
    ),
    ComponentSpec(
        "3.1", _DVC, "TTHC cung cấp trực tuyến", 2, (CATALOGUE,),
        _cat("online_offered", "in_force"), full_at=0.8,
        shortfall="cần thêm {n} TTHC cung cấp trực tuyến", estimated=True,
    ),
    ComponentSpec(
        "3.2", _DVC, "Dịch vụ trực tuyến phát sinh hồ sơ", 4, (DOSSIERS, CATALOGUE),
        _cat("online_offered_used_online", "online_offered"),
        shortfall="{n} dịch vụ trực tuyến chưa phát sinh hồ sơ trực tuyến", estimated=True,
    ),
    ComponentSpec(
        "3.3", _DVC, "Hồ sơ nộp trực tuyến", 6, (DOSSIERS,),
        _c("received_online", "received"), full_at=0.5,
        shortfall="cần thêm {n} hồ sơ nộp trực tuyến", estimated=True,
    ),
    ComponentSpec(
        "4.1", _DIG, "Số hóa kết quả", 6, (DOSSIERS, CATALOGUE),
        _cat("paper_e_result", "paper_resolved"), shortfall="{n} hồ sơ thiếu kết quả điện tử",
    ),
    ComponentSpec(
        "4.2", _DIG, "Số hóa thành phần hồ sơ", 4, (DOSSIERS,),
        _c("received_digitized", "received"), shortfall="{n} hồ sơ chưa số hóa thành phần",
    ),
    ComponentSpec(
        "4.3", _DIG, "Cấp bản sao điện tử có chứng thực", 2, (DOSSIERS, CATALOGUE),
        _cat("certification_e_result", "certification_resolved"),
        shortfall="{n} hồ sơ chứng thực chưa cấp bản sao điện tử", estimated=True,
    ),
    ComponentSpec(
        "4.4", _DIG, "Khai thác, tái sử dụng dữ liệu số hóa", 2, (DOSSIERS,),
        _c("received_reused", "received"), full_at=0.8,
        shortfall="cần thêm {n} hồ sơ tái sử dụng dữ liệu số hóa",
    ),
    ComponentSpec(
        "4.5", _DIG, "Kết nối, lấy dữ liệu từ kho dữ liệu quốc gia", 4, (DOSSIERS,),
        _c("received_national_store", "received"),
        shortfall="{n} hồ sơ chưa lấy dữ liệu từ kho dữ liệu quốc gia", estimated=True,
    ),
    ComponentSpec(
        "4.6", _DIG, "Hồ sơ trực tuyến xác thực VNeID (thay chỉ tiêu riêng cấp tỉnh)", 4,
        (DOSSIERS,), _c("online_vneid", "online_submitted"),
        shortfall="{n} hồ sơ trực tuyến chưa xác thực VNeID", estimated=True,
    ),
    ComponentSpec(
        "5.2", _SAT, "PAKN xử lý đúng hạn", 6, (FEEDBACK,), _fb("on_time"), when_none=6,
        shortfall="{n} PAKN xử lý chậm hoặc chưa xử lý",
    ),
    ComponentSpec(
        "5.3", _SAT, "Hài lòng về xử lý PAKN", 6, (FEEDBACK,), _fb("satisfied"), when_none=6,
        shortfall="{n} PAKN chưa được đánh giá hài lòng",
    ),
    ComponentSpec(
        "5.4", _SAT, "Hài lòng về tiếp nhận, giải quyết TTHC", 6, (SATISFACTION,), _sat,
        full_at=0.9, shortfall="cần thêm {n} phiếu hài lòng",
    ),
    ComponentSpec(
        "6.A", _PAY, "Hồ sơ có nghĩa vụ tài chính thanh toán trực tuyến", 6, (DOSSIERS,),
        _c("received_fee_paid_online", "received_fee"),
        shortfall="{n} hồ sơ có phí chưa thanh toán trực tuyến",
    ),
    ComponentSpec(
        "6.B", _PAY, "TTHC có phí có thanh toán trực tuyến thành công", 2, (DOSSIERS, CATALOGUE),
        _cat("fee_bearing_paid_online", "fee_bearing"), full_at=0.8,  # min(2, 2,5 × B)
        shortfall="cần thêm {n} TTHC có phí có thanh toán trực tuyến",
    ),
    # 2,5 × C as the portal computes it; the group is capped at its maximum of 10.
    ComponentSpec(
        "6.C", _PAY, "TTHC có phí phát sinh hồ sơ", 2.5, (DOSSIERS, CATALOGUE),
        _cat("fee_bearing_with_dossiers", "fee_bearing"),
        shortfall="{n} TTHC có phí chưa phát sinh hồ sơ",
    ),
)  # fmt: skip
BY_CODE = {c.code: c for c in COMPONENTS}


def _loaded(i: Inputs) -> set[str]:
    have = {
        DOSSIERS: i.counts is not None,
        CATALOGUE: i.catalogue is not None,
        FEEDBACK: i.feedback is not None,
        SATISFACTION: i.satisfaction is not None,
        SYNC: i.synced is not None,
    }
    return {k for k, v in have.items() if v}


@dataclass(frozen=True)
class ComponentScore:
    """A component's points, or None when a source it needs is not loaded."""

    code: str
    group: str
    name: str
    max_points: float
    points: float | None
    numerator: int | None = None
    denominator: int | None = None
    missing: tuple[str, ...] = ()  # the sources not loaded
    estimated: bool = False
    shortfall: str = ""  # "41 hồ sơ thiếu kết quả điện tử", "" when at the maximum
    recoverable: float | None = None  # what reaching the maximum adds under the group's cap

    @property
    def lost(self) -> float | None:
        """Points the unit would win back by reaching this component's maximum: short of the
        maximum, less what the group's cap would not count (6.A's loss is worth at most
        what keeps group 6 under 10 points when 6.B and 6.C are full)."""
        if self.points is None:
            return None
        short = max(0.0, self.max_points - self.points)
        return short if self.recoverable is None else min(short, self.recoverable)


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

    @property
    def complete(self) -> bool:
        """Whether every component could be scored (the maximum is 100)."""
        return all(c.points is not None for c in self.components)

    def component(self, code: str) -> ComponentScore:
        """The component with `code` (e.g. "4.1")."""
        return next(c for c in self.components if c.code == code)


def _component(spec: ComponentSpec, i: Inputs, loaded: set[str]) -> ComponentScore:
    missing = tuple(s for s in spec.sources if s not in loaded)
    base = ComponentScore(spec.code, spec.group, spec.name, spec.max_points, None)
    if missing:
        return replace(base, missing=missing, estimated=spec.estimated)
    num, den = spec.ratio(i)
    pts = spec.points(num, den)
    gap = spec.needed(num, den)
    text = spec.shortfall.format(n=f"{gap:,}".replace(",", ".")) if gap > 0 else ""
    if den <= 0 and spec.when_none < spec.max_points:
        text = "không phát sinh trong kỳ: tính 0 điểm"
    return replace(
        base, points=pts, numerator=num, denominator=den, estimated=spec.estimated, shortfall=text
    )


def capped_groups() -> list[tuple[str, float, float]]:
    """(group, its maximum, its components' maxima summed) where the group caps the sum."""
    out = []
    for name, cap in GROUP_MAX.items():
        total = sum(c.max_points for c in COMPONENTS if c.group == name)
        if total > cap:
            out.append((name, cap, total))
    return out


def _under_caps(comps: tuple[ComponentScore, ...]) -> tuple[ComponentScore, ...]:
    """Each scored component with what its full marks would add to its group, capped."""
    out = []
    for c in comps:
        if c.points is None:
            out.append(c)
            continue
        cap = GROUP_MAX[c.group]
        raw = sum(o.points or 0.0 for o in comps if o.group == c.group and o.points is not None)
        gain = min(cap, raw + (c.max_points - c.points)) - min(cap, raw)
        out.append(replace(c, recoverable=max(0.0, gain)))
    return tuple(out)


def score(i: Inputs) -> Score766:
    """Score one unit (or a scope) for a period from what is loaded."""
    loaded = _loaded(i)
    comps = _under_caps(tuple(_component(spec, i, loaded) for spec in COMPONENTS))
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
