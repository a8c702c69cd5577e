"""Charts as images that stand on their own in a briefing: the title, scope, period and data
date are inside the picture. Rendered on the server by kaleido with the system Chromium,
started once per process and reused (about 0.13 s an image, several at once)."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from dashboard.domain.catalog import BY_KEY
from dashboard.domain.formatting import fmt_datetime
from dashboard.domain.targets import STATUS_TEXT, Evaluated
from dashboard.exports.gauge import STATUS_COLORS, gauge_figure
from dashboard.services.report import UnitReport
from dashboard.services.tabular import display_value

WIDTH, HEIGHT = 1920, 1080
FONT = "DejaVu Sans, Arial, sans-serif"  # DejaVu carries every Vietnamese glyph
TABS = 2  # pages rendering at once (two cores)
TIMEOUT = 60  # seconds for one image: a stuck browser must not hang a request


class _Renderer:
    """One Chromium (through kaleido) on an event loop of its own thread, opened at the first
    image and kept. Not kaleido's sync server: that one blocks its loop on a queue between
    images. MathJax is off: kaleido would load it from a CDN, and without the internet every
    few images waited 5 s for it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None

    def _alive(self) -> bool:
        browser = getattr(self._kaleido, "subprocess", None)
        return (
            self._thread is not None
            and self._thread.is_alive()
            and browser is not None
            and browser.poll() is None
        )

    def _start(self) -> tuple[asyncio.AbstractEventLoop, Any]:
        """The loop and the browser, started again if either died (a crashed Chromium, or a
        thread stopped from outside) rather than leaving every later image to time out."""
        with self._lock:
            if self._loop is None or not self._alive():
                import kaleido

                old = getattr(self._kaleido, "subprocess", None)
                if old is not None and old.poll() is None:
                    old.kill()
                loop = asyncio.new_event_loop()
                thread = threading.Thread(target=loop.run_forever, daemon=True, name="tthc-kaleido")
                thread.start()
                k = kaleido.Kaleido(n=TABS, mathjax=False, timeout=TIMEOUT)
                asyncio.run_coroutine_threadsafe(k.open(), loop).result(timeout=TIMEOUT)
                self._loop, self._thread, self._kaleido = loop, thread, k
            assert self._loop is not None
            return self._loop, self._kaleido

    def submit(self, fig: go.Figure, opts: dict) -> Future:
        """Start rendering `fig` on one of the browser's tabs; a future of its bytes."""
        loop, k = self._start()
        return asyncio.run_coroutine_threadsafe(k.calc_fig(fig.to_dict(), opts), loop)

    def print_pdf(self, page: Path) -> bytes:
        """Print a local HTML page to PDF in a tab of the same browser (its @page size)."""
        loop, k = self._start()

        async def printed() -> bytes:
            tab = await k.create_tab("about:blank")
            try:
                await tab.send_command("Page.enable")
                loaded = tab.subscribe_once("Page.loadEventFired")
                await tab.send_command("Page.navigate", params={"url": page.as_uri()})
                await loaded
                answer = await tab.send_command(
                    "Page.printToPDF", params={"printBackground": True, "preferCSSPageSize": True}
                )
            finally:
                await k.close_tab(tab)
            return base64.b64decode(answer["result"]["data"])

        return asyncio.run_coroutine_threadsafe(printed(), loop).result(timeout=TIMEOUT)


_renderer = _Renderer()


def print_pdf(page: Path) -> bytes:
    """PDF bytes of the HTML file `page`, printed by the charts' Chromium."""
    return _renderer.print_pdf(page)


def _opts(fmt: str, width: int, height: int) -> dict:
    if fmt not in ("png", "svg"):
        raise ValueError(f"Định dạng ảnh không hỗ trợ: {fmt}")
    return {"format": fmt, "width": width, "height": height}


@dataclass(frozen=True)
class Pending:
    """An image on its way: drawn before (`ready`), or being drawn (`future`)."""

    key: str
    ready: bytes | None = None
    future: Future | None = None


def images(
    figs: Sequence[go.Figure], fmt: str, width: int = WIDTH, height: int = HEIGHT
) -> list[Pending]:
    """Every figure started at once. A figure drawn before at the same size (the same JSON:
    the same data, period and words) comes from the app's cache: a second pack of the period,
    or a chart downloaded from the overview before, costs no drawing."""
    opts = _opts(fmt, width, height)
    out = []
    for fig in figs:
        key = "img:" + hashlib.sha256(f"{fmt}{width}x{height}{fig.to_json()}".encode()).hexdigest()
        hit = _cache().get(key) if _cache() else None
        out.append(Pending(key, hit) if hit else Pending(key, None, _renderer.submit(fig, opts)))
    return out


def _cache() -> Any:
    from flask import has_app_context

    from dashboard.services.cache import cache

    return cache if has_app_context() else None  # a test or script without the app: none


def result(p: Pending) -> bytes:
    """The image's bytes, kept in the cache when they were drawn now."""
    if p.ready is not None:
        return p.ready
    assert p.future is not None
    data = p.future.result(timeout=TIMEOUT)
    if _cache():
        _cache().set(p.key, data)
    return data


def render(fig: go.Figure, fmt: str, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """PNG or SVG bytes of `fig` (from the cache when drawn before)."""
    return result(images([fig], fmt, width, height)[0])


def _heading(title: str, scope: str, period_label: str, data_date: dt.datetime | None) -> str:
    when = fmt_datetime(data_date) if data_date else "—"
    return (
        f"<b>{title}</b><br><span style='font-size:0.75em'>{scope} · {period_label} · "
        f"dữ liệu đến {when}</span>"
    )


def indicator_figure(
    ev: Evaluated,
    scope: UnitReport,
    period_label: str,
    data_date: dt.datetime | None,
    previous: Evaluated | None = None,
    words: Sequence[str] = (),
) -> go.Figure:
    """A rate as a gauge with its target mark, a count as a big number; status in words. The
    filter (`words`: exports/naming.py; default the scope's name) is named in the title, so a
    picture pasted into a report never reads as the unit's overall figure."""
    spec = BY_KEY[ev.key]
    if spec.unit == "%":
        fig = go.Figure(gauge_figure(ev, previous, ""))
    else:
        fig = go.Figure(
            go.Indicator(
                mode="number",
                value=round(ev.value or 0),
                number={"font": {"size": 220, "color": STATUS_COLORS[ev.status]}},
            )
        )
    fig.update_layout(
        title={
            "text": _heading(
                spec.name_vi,
                " · ".join(words or [scope.unit.name]),
                period_label,
                data_date,
            ),
            "x": 0.5,
            "font": {"size": 40},
        },
        font={"family": FONT, "size": 26},
        margin={"l": 120, "r": 120, "t": 190, "b": 120},
        height=HEIGHT,
        paper_bgcolor="#ffffff",
    )
    target = "" if ev.target is None else f"mục tiêu {display_value(ev.key, ev.target)}"
    fig.add_annotation(
        text=f"{STATUS_TEXT[ev.status]} · {target}",
        x=0.5,
        y=-0.06,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 34, "color": STATUS_COLORS[ev.status]},
    )
    return fig
