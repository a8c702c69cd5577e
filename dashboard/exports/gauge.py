"""A gauge for one rate indicator: value, target as the threshold mark, colour by status (a
plain plotly figure dict: the pages draw it, and so do the exported charts)."""

from __future__ import annotations

from dashboard.domain.catalog import BY_KEY
from dashboard.domain.targets import Evaluated

# Colour-blind-safe pair (blue / orange); the status is also written in words.
STATUS_COLORS = {"dat": "#1f6fb2", "khong_dat": "#e07b00", "khong_co_du_lieu": "#9aa0a6"}


def _wrap(title: str, width: int = 34) -> str:
    """Long indicator names on two lines so they are not cut off in a narrow card."""
    if len(title) <= width:
        return title
    cut = title.rfind(" ", 0, len(title) // 2 + 6)
    return f"{title[:cut]}<br>{title[cut + 1 :]}" if cut > 0 else title


def gauge_figure(ev: Evaluated, previous: Evaluated | None, title: str) -> dict:
    """Plotly Indicator gauge in percent, Vietnamese separators (87,03 %)."""
    value = None if ev.value is None else ev.value * 100
    delta = None
    if previous is not None and previous.value is not None and value is not None:
        good_up = BY_KEY[ev.key].higher_is_better
        delta = {
            "reference": previous.value * 100,
            "valueformat": ".2f",
            "suffix": " điểm %",
            "increasing": {"color": STATUS_COLORS["dat" if good_up else "khong_dat"]},
            "decreasing": {"color": STATUS_COLORS["khong_dat" if good_up else "dat"]},
        }
    # A plain figure dict: plotly's objects validate every property (about 8 ms a gauge and
    # 3 ms more to serialise), and the overview draws eight of them on every filter change.
    trace = {
        "type": "indicator",
        "mode": "gauge+number" + ("+delta" if delta else ""),
        "value": value if value is not None else 0,
        "number": {"suffix": " %", "valueformat": ".2f"}
        if value is not None
        else {"suffix": " —", "valueformat": ".0f", "font": {"color": "#ffffff"}},
        "title": {"text": _wrap(title), "font": {"size": 14}},
        "gauge": {
            "axis": {"range": [0, 100], "ticksuffix": "%"},
            "bar": {"color": STATUS_COLORS[ev.status]},
            "threshold": {
                "line": {"color": "#222", "width": 3},
                "thickness": 0.85,
                "value": ev.target * 100,
            },
        },
    }
    if delta:
        trace["delta"] = delta
    return {
        "data": [trace],
        "layout": {
            "separators": ",.",
            "margin": {"l": 45, "r": 50, "t": 70, "b": 10},
            "height": 230,
            "paper_bgcolor": "rgba(0,0,0,0)",
        },
    }
