"""Meeting-room screen: configuration from the URL, and slides rebuilt only when data changes.

The rotation itself runs in the browser (assets/kiosk.js) so a refresh never moves the
current slide; the server is asked only for the data version every few minutes, and builds
slides (from the cached reports) only when an import has changed it.
"""

from __future__ import annotations

import time

from dash import Dash, Input, Output, State, no_update

from dashboard.domain import clock
from dashboard.domain.formatting import fmt_datetime
from dashboard.domain.query import ViewQuery
from dashboard.services import briefing_entries, context, entries, figures
from layouts import kiosk as view

MIN_SLIDE_SECONDS, MIN_REFRESH_SECONDS = 2, 2


def cycle_pages(slide_seconds: float, cycle_seconds: float) -> int:
    """Pages one rotation may hold at the settings' pace (0: no limit). A `?giay=` in the URL
    changes the pace only: the same slides, whatever the presenter chooses."""
    if cycle_seconds <= 0:
        return 0
    return max(1, int(cycle_seconds // max(MIN_SLIDE_SECONDS, slide_seconds)))


def configure(_id: str, search: str | None):
    """Period (?ky=), seconds per slide (?giay=), refresh seconds (?lam_moi=) and the pages a
    rotation holds before its long lists are cut to one page each."""
    settings = context.get().settings
    q = entries.resolved(ViewQuery.from_url(search))
    slide = max(MIN_SLIDE_SECONDS, q.slide_seconds or settings.kiosk_slide_seconds)
    refresh = max(MIN_REFRESH_SECONDS, q.refresh_seconds or settings.kiosk_refresh_seconds)
    config = {
        "period": q.period,
        "slide_ms": slide * 1000,
        "refresh_ms": refresh * 1000,
        "cycle_pages": cycle_pages(settings.kiosk_slide_seconds, settings.kiosk_cycle_seconds),
    }
    return config, slide * 1000, refresh * 1000


def refresh(_n: int | None, config: dict | None, known: str | None):
    """Slides for the period when the data version changed; always a heartbeat and the time."""
    if not config:
        return (no_update,) * 6
    version = figures.data_version()
    now = clock.now()
    stamp = f"Cập nhật lúc {now:%H:%M} {now:%d/%m/%Y}"
    beat = time.time() * 1000
    if version == known:
        return no_update, no_update, no_update, no_update, stamp, beat
    k = briefing_entries.kiosk(ViewQuery(period=config["period"]))
    words = briefing_entries.assessment(ViewQuery(period=config["period"]))
    slides = [view.assessment_slide(words.sections), view.overview_slide(k.district.parent)]
    slides += view.league_slides(k.leagues["xa"], "xa")
    slides += view.league_slides(k.leagues["phong"], "phong")
    slides += view.explain_slides(k.below)
    slides += view.warning_slides(k.warnings)
    slides += view.counts_slides(k.district.units)
    title = f"{k.era.issuer} · Cải cách thủ tục hành chính"
    period_text = f"{k.period.label} · dữ liệu đến {fmt_datetime(k.newest)}"
    return slides, version, title, period_text, stamp, beat


def register(app: Dash) -> None:
    """Attach this page's callbacks to `app`."""
    app.callback(
        Output("kiosk-config", "data"),
        Output("kiosk-tick", "interval"),
        Output("kiosk-refresh", "interval"),
        Input("kiosk-config", "id"),
        State("url", "search"),
    )(configure)
    app.callback(
        Output("kiosk-slides", "children"),
        Output("kiosk-version", "data"),
        Output("kiosk-title", "children"),
        Output("kiosk-period", "children"),
        Output("kiosk-updated", "children"),
        Output("kiosk-heartbeat", "data"),
        Input("kiosk-refresh", "n_intervals"),
        Input("kiosk-config", "data"),
        State("kiosk-version", "data"),
    )(refresh)
    # The rotation, the progress cue and the offline notice run in the browser.
    app.clientside_callback(
        "function (n, slides, beat, config) { return window.tthcKiosk.tick(n, beat, config); }",
        Output("kiosk-progress", "children"),
        Output("kiosk-offline", "hidden"),
        Output("kiosk-offline", "children"),
        Input("kiosk-tick", "n_intervals"),
        Input("kiosk-slides", "children"),
        State("kiosk-heartbeat", "data"),
        State("kiosk-config", "data"),
    )
    app.clientside_callback(
        "function (path) { document.body.classList.toggle('kiosk-mode', path === '/trinh-chieu');"
        " return ''; }",
        Output("kiosk-mode-sink", "children"),
        Input("url", "pathname"),
    )
