"""Small monthly trend charts: a sparkline per indicator, a unit against the district, a rank."""

from __future__ import annotations

from dashboard.domain.catalog import IndicatorSpec
from dashboard.exports.gauge import STATUS_COLORS

DISTRICT_COLOR = "#6c757d"
SUMMED_NOTE = "cộng các đơn vị cũ"


def summed_band(months: list[str], summed: list[bool], since: str | None) -> tuple[list, list]:
    """A shaded band over the months whose figures add up the units that formed today's, and
    its label ("trước 1/7/2025: cộng các đơn vị cũ"): shapes and annotations for a figure."""
    marked = [m for m, s in zip(months, summed, strict=True) if s]
    if not marked:
        return [], []
    label = f"trước {since}: {SUMMED_NOTE}" if since else SUMMED_NOTE
    band = {
        "type": "rect",
        "xref": "x",
        "yref": "paper",
        "x0": marked[0],
        "x1": marked[-1],
        "y0": 0,
        "y1": 1,
        "fillcolor": "rgba(108,117,125,0.12)",
        "line": {"width": 0},
        "layer": "below",
    }
    note = {
        "xref": "x",
        "yref": "paper",
        "x": marked[0],
        "y": 1,
        "xanchor": "left",
        "yanchor": "bottom",
        "showarrow": False,
        "text": label,
        "font": {"size": 9, "color": "#495057"},
    }
    return [band], [note]


def _scale(spec: IndicatorSpec, value: float | None) -> float | None:
    """Rates in percent (87.03), counts as they are."""
    if value is None:
        return None
    return value * 100 if spec.unit == "%" else value


def _hover(spec: IndicatorSpec) -> str:
    return (
        "%{x}: %{y:.2f} %<extra></extra>" if spec.unit == "%" else "%{x}: %{y:,.0f}<extra></extra>"
    )


def _figure(
    traces: list[dict],
    height: int,
    title: str | None,
    shapes: list[dict],
    annotations: list[dict] | None = None,
) -> dict:
    """A plain figure dict: building go.Figure objects costs about 50 ms a chart (validation),
    and a page draws a dozen of these."""
    return {
        "data": traces,
        "layout": {
            "separators": ",.",  # 87,03 % and 1.234
            "height": height,
            # A band's label sits above the plot: room for it there, so it is neither cut
            # off nor crossed by a target line at the top.
            "margin": {"l": 40, "r": 10, "t": 30 if title else (18 if annotations else 6), "b": 24},
            "title": {"text": title, "font": {"size": 13}, "x": 0.01} if title else None,
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
            "showlegend": False,
            "font": {"size": 11},
            "xaxis": {"showgrid": False, "tickfont": {"size": 10}, "tickangle": 0, "nticks": 4},
            "yaxis": {"gridcolor": "#e9ecef", "tickfont": {"size": 10}, "zeroline": False},
            "shapes": shapes,
            "annotations": annotations or [],
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
    summed: list[bool] | None = None,
    since: str | None = None,
) -> dict:
    """The scope's value month by month; markers coloured by status, target dashed; months
    that add up the units that formed today's (`summed`) in a labelled band."""
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
    band, notes = summed_band(months, summed or [False] * len(months), since)
    fig = _figure([trace], 110, None, band + _target_line(spec, target), notes)
    if spec.unit != "%":  # a count is never negative: an all-zero month row sits on 0, not ±1
        top = max([v for v in values if v is not None] or [0])
        fig["layout"]["yaxis"] |= (
            {"rangemode": "tozero"} if top else {"range": [0, 1], "tickvals": [0, 1]}
        )
    return fig


def unit_vs_district(
    spec: IndicatorSpec,
    months: list[str],
    unit_values: list[float | None],
    district_values: list[float | None],
    target: float | None,
    unit_name: str,
    scope_name: str = "Toàn phạm vi",
    summed: list[bool] | None = None,
    since: str | None = None,
) -> dict:
    """One indicator month by month: the unit (solid) and the scope (dotted); months when the
    unit did not exist yet show its predecessors' sum, in a labelled band."""
    traces = [
        {
            "type": "scatter",
            "x": months,
            "y": [_scale(spec, v) for v in district_values],
            "name": scope_name,
            "mode": "lines",
            "line": {"color": DISTRICT_COLOR, "width": 1.5, "dash": "dot"},
            "hovertemplate": f"{scope_name} " + _hover(spec),
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
    band, notes = summed_band(months, summed or [False] * len(months), since)
    return _figure(traces, 190, spec.name_vi, band + _target_line(spec, target), notes)


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
