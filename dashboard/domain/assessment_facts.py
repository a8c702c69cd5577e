"""What the assessment reads and how it names things: the figures (`Facts`, filled by the
services from the reports), the sections it writes, and the small phrases every section uses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dashboard.domain.catalog import BY_KEY
from dashboard.domain.formatting import fmt_int, fmt_number, fmt_percent
from dashboard.domain.score766 import Score766
from dashboard.domain.targets import Evaluated
from dashboard.domain.vocabulary import ExplanationStatus

# How a target reads after "chỉ tiêu" (the catalog's names are titles, not phrases).
PHRASES: dict[str, str] = {
    "online_submission": "nộp hồ sơ trực tuyến",
    "online_payment": "thanh toán trực tuyến",
    "dossier_digitization": "số hóa hồ sơ",
    "result_digitization": "số hóa kết quả giải quyết",
    "data_reuse": "khai thác, tái sử dụng dữ liệu số hóa",
    "on_time": "giải quyết trước hạn, đúng hạn",
    "online_reception_6h": "tiếp nhận hồ sơ trực tuyến trong 6 giờ làm việc",
    "publicity": "công khai, minh bạch",
    "overdue": "không có hồ sơ quá hạn",
    "paused": "không có hồ sơ tạm dừng",
    "returned": "không có hồ sơ trả lại, từ chối",
}


KIND_WORDS = {
    "commune": "xã",
    "ward": "phường",
    "town": "thị trấn",
    "special_zone": "đặc khu",
    "department": "phòng, ban",
}


PERIOD_WORDS = {"month": "tháng", "quarter": "quý", "year": "năm"}


TOP = 3  # improvements and declines named (more when tied at the last place)


@dataclass(frozen=True)
class UnitFacts:
    """One unit's figures for the period and the one before (on the same unit)."""

    name: str
    kind: str
    indicators: Mapping[str, Evaluated]
    score: float | None  # 766 points as a share of the maximum the data supports
    previous_score: float | None
    predecessors: tuple[str, ...] = ()

    def count(self, key: str) -> int:
        """overdue / paused / returned: the count, 0 without data."""
        return int(self.indicators[key].value or 0)


@dataclass(frozen=True)
class Shortfall:
    """A unit below one target, for how many periods in a row, and its explanation."""

    unit: str
    indicator: str
    periods: int
    explanation: ExplanationStatus | None
    remediation_due: dt.date | None = None


@dataclass(frozen=True)
class Facts:
    """Everything the assessment reads."""

    scope: str
    period_label: str
    period_kind: str  # month | quarter | year | day | range
    previous_label: str
    counts: Mapping[str, int]  # the scope's period counts (data_access.counts quantities)
    previous_counts: Mapping[str, int]
    indicators: Mapping[str, Evaluated]  # the scope's
    score: Score766
    units: Sequence[UnitFacts]
    shortfalls: Sequence[Shortfall]
    as_of: dt.date  # overdue remediation is judged on this day
    field: str | None = None  # the field filter, when there is one
    notes: tuple[str, ...] = ()  # e.g. how a period across a reorganization is counted


@dataclass(frozen=True)
class Section:
    """A numbered part of the assessment: its heading and its paragraphs."""

    title: str
    paragraphs: tuple[str, ...]


def joined_names(items: Sequence[str]) -> str:
    return ", ".join(items)


def kind_words(units: Sequence[UnitFacts]) -> str:
    order = list(KIND_WORDS)
    kinds = sorted({u.kind for u in units}, key=order.index)
    return ", ".join(KIND_WORDS[k] for k in kinds)


def points_text(diff: float) -> str:
    return f"{fmt_number(abs(diff) * 100)} điểm phần trăm"


def lowered(label: str) -> str:
    """'Quý I/2025' inside a sentence: 'quý I/2025'."""
    return label[:1].lower() + label[1:]


def value_text(ev: Evaluated) -> str:
    return fmt_percent(ev.value) if BY_KEY[ev.key].unit == "%" else fmt_int(int(ev.value or 0))
