"""Small monthly trend charts: a sparkline per indicator, a unit against the district, a rank."""

from __future__ import annotations

import plotly.graph_objects as go

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


def _base(fig: go.Figure, height: int, title: str | None = None) -> go.Figure:
    fig.update_layout(
        separators=",.",  # 87,03 % and 1.234
        height=height,
        margin={"l": 40, "r": 10, "t": 30 if title else 6, "b": 24},
        title={"text": title, "font": {"size": 13}, "x": 0.01} if title else None,
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        showlegend=False,
        font={"size": 11},
    )
    fig.update_xaxes(showgrid=False, tickfont={"size": 10}, tickangle=0, nticks=4)
    fig.update_yaxes(gridcolor="#e9ecef", tickfont={"size": 10}, zeroline=False)
    return fig


def _target_line(fig: go.Figure, spec: IndicatorSpec, target: float | None) -> None:
    if target is not None:
        fig.add_hline(y=_scale(spec, target), line={"color": "#222", "width": 1, "dash": "dash"})


def sparkline(
    spec: IndicatorSpec,
    months: list[str],
    values: list[float | None],
    statuses: list[str],
    target: float | None,
) -> go.Figure:
    """The scope's value month by month; markers coloured by status, target dashed."""
    fig = go.Figure(
        go.Scatter(
            x=months,
            y=[_scale(spec, v) for v in values],
            mode="lines+markers",
            line={"color": DISTRICT_COLOR, "width": 1.5},
            marker={"color": [STATUS_COLORS[s] for s in statuses], "size": 6},
            hovertemplate=_hover(spec),
            connectgaps=False,
        )
    )
    _target_line(fig, spec, target)
    return _base(fig, 110)


def unit_vs_district(
    spec: IndicatorSpec,
    months: list[str],
    unit_values: list[float | None],
    district_values: list[float | None],
    target: float | None,
    unit_name: str,
) -> go.Figure:
    """One indicator month by month: the unit (solid) and the district (dotted)."""
    fig = go.Figure(
        [
            go.Scatter(
                x=months,
                y=[_scale(spec, v) for v in district_values],
                name="Toàn huyện",
                mode="lines",
                line={"color": DISTRICT_COLOR, "width": 1.5, "dash": "dot"},
                hovertemplate="Toàn huyện " + _hover(spec),
            ),
            go.Scatter(
                x=months,
                y=[_scale(spec, v) for v in unit_values],
                name=unit_name,
                mode="lines+markers",
                line={"color": STATUS_COLORS["dat"], "width": 2},
                hovertemplate=_hover(spec),
            ),
        ]
    )
    _target_line(fig, spec, target)
    return _base(fig, 190, spec.name_vi)


def rank_chart(months: list[str], ranks: list[int | None], counts: list[int]) -> go.Figure:
    """The unit's 766 rank in its group month by month (1 at the top)."""
    fig = go.Figure(
        go.Scatter(
            x=months,
            y=ranks,
            customdata=counts,
            mode="lines+markers",
            line={"color": STATUS_COLORS["dat"], "width": 2},
            hovertemplate="%{x}: hạng %{y}/%{customdata}<extra></extra>",
        )
    )
    top = max([c for c in counts if c] or [1])
    fig.update_yaxes(autorange=False, range=[top + 0.5, 0.5], dtick=max(1, top // 5))
    return _base(fig, 190, "Hạng theo điểm 766 trong nhóm")
