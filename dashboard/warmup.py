"""Fill the cache in the background: the first person to open a page after a start or an
import should not wait for a year of monthly figures to be computed."""

from __future__ import annotations

import logging
import threading

from flask import Flask

from dashboard import cache
from dashboard.filters import default_period
from dashboard.indicators.periods import Period, parse_period, quarter
from dashboard.trends import months_up_to
from data_access import queries

log = logging.getLogger(__name__)


def periods_to_warm(newest_day) -> list[Period]:
    """The default month and its quarter first, then 24 months (the trends of any month of
    the last year draw on the twelve before it) and the last eight quarters."""
    month = parse_period(default_period(newest_day))
    q = quarter(month.start.year, (month.start.month - 1) // 3 + 1)
    quarters = [q]
    for _ in range(7):
        quarters.append(quarters[-1].previous())
    return [month, q, *months_up_to(month, None, 24)[::-1], *quarters[1:]]


def warm(server: Flask) -> None:
    """Compute and cache the figures every page opens with."""
    from dashboard import context

    with server.app_context():
        engine = context.get().engine
        try:
            version = queries.data_version(engine)
            first, last = cache.data_range(engine)
            if last is None:
                return
            periods = periods_to_warm(last.date())
            for p in periods[:2]:  # what the pages open with, first
                cache.district_figures(version, p.key)
                cache.scope_figures(version, p.key, (), ())
                cache.scope_figures(version, p.previous().key, (), ())
                for group in ("xa", "phong"):
                    cache.league_figures(version, p.key, group, None, ())
                cache.below_target_figures(version, p.key)
            for p in periods[2:]:  # then the months and quarters the trends and tables use
                cache.district_figures(version, p.key)
        except Exception:  # a warm-up must never take the app down; the pages compute anyway
            log.exception("cache warm-up failed")


def start(server: Flask) -> threading.Thread:
    """Warm the cache in a daemon thread."""
    thread = threading.Thread(target=warm, args=(server,), daemon=True, name="tthc-warmup")
    thread.start()
    return thread
