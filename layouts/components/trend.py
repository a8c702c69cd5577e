"""Small monthly trend charts: a sparkline per indicator, a unit against the district, a rank."""

from __future__ import annotations

from dashboard.indicators.catalog import IndicatorSpec
from layouts.components.gauge import STATUS_COLORS

DISTRICT_COLOR = "#6c757d"


def _scale(spec: IndicatorSpec, value: float | None) -> float | None:
    """Rates in percent (87.03), counts as they are."""
    if value is None:
        return None
    return value * 100 if spec.unit == "%" else value


def _hover(spec: IndicatorSpec) -> str:
    return (
        "%{x}: %{y:.2f} %<extra></extra>" if spec.unit == "%" else "%{x}: %{y:,.0f}<extra></extra>"
    )


def _figure(traces: list[dict], height: int, title: str | None, shapes: list[dict]) -> dict:
    """A plain figure dict: building go.Figure objects costs about 50 ms a chart (validation),
    and a page draws a dozen of these."""
    return {
        "data": traces,
        "layout": {
            "separators": ",.",  # 87,03 % and 1.234
            "height": height,
            "margin": {"l": 40, "r": 10, "t": 30 if title else 6, "b": 24},
            "title": {"text": title, "font": {"size": 13}, "x": 0.01} if title else None,
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
            "showlegend": False,
            "font": {"size": 11},
            "xaxis": {"showgrid": False, "tickfont": {"size": 10}, "tickangle": 0, "nticks": 4},
            "yaxis": {"gridcolor": "#e9ecef", "tickfont": {"size": 10}, "zeroline": False},
            "shapes": shapes,
        },
    }


def _target_line(spec: IndicatorSpec, target: float | None) -> list[dict]:
    if target is None:
        return []
    y = _scale(spec, target)
    return [
        {
            "type": "line",
            "xref": "paper",
            "x0": 0,
            "x1": 1,
            "y0": y,
            "y1": y,
            "line": {"color": "#222", "width": 1, "dash": "dash"},
        }
    ]


def sparkline(
    spec: IndicatorSpec,
    months: list[str],
    values: list[float | None],
    statuses: list[str],
    target: float | None,
) -> dict:
    """The scope's value month by month; markers coloured by status, target dashed."""
    trace = {
        "type": "scatter",
        "x": months,
        "y": [_scale(spec, v) for v in values],
        "mode": "lines+markers",
        "line": {"color": DISTRICT_COLOR, "width": 1.5},
        "marker": {"color": [STATUS_COLORS[s] for s in statuses], "size": 6},
        "hovertemplate": _hover(spec),
        "connectgaps": False,
    }
    return _figure([trace], 110, None, _target_line(spec, target))


def unit_vs_district(
    spec: IndicatorSpec,
    months: list[str],
    unit_values: list[float | None],
    district_values: list[float | None],
    target: float | None,
    unit_name: str,
) -> dict:
    """One indicator month by month: the unit (solid) and the district (dotted)."""
    traces = [
        {
            "type": "scatter",
            "x": months,
            "y": [_scale(spec, v) for v in district_values],
            "name": "Toàn huyện",
            "mode": "lines",
            "line": {"color": DISTRICT_COLOR, "width": 1.5, "dash": "dot"},
            "hovertemplate": "Toàn huyện " + _hover(spec),
        },
        {
            "type": "scatter",
            "x": months,
            "y": [_scale(spec, v) for v in unit_values],
            "name": unit_name,
            "mode": "lines+markers",
            "line": {"color": STATUS_COLORS["dat"], "width": 2},
            "hovertemplate": _hover(spec),
        },
    ]
    return _figure(traces, 190, spec.name_vi, _target_line(spec, target))


def rank_chart(months: list[str], ranks: list[int | None], counts: list[int]) -> dict:
    """The unit's 766 rank in its group month by month (1 at the top)."""
    trace = {
        "type": "scatter",
        "x": months,
        "y": ranks,
        "customdata": counts,
        "mode": "lines+markers",
        "line": {"color": STATUS_COLORS["dat"], "width": 2},
        "hovertemplate": "%{x}: hạng %{y}/%{customdata}<extra></extra>",
    }
    fig = _figure([trace], 190, "Hạng theo điểm 766 trong nhóm", [])
    top = max([c for c in counts if c] or [1])
    fig["layout"]["yaxis"] |= {
        "autorange": False,
        "range": [top + 0.5, 0.5],
        "dtick": max(1, top // 5),
    }
    return fig
