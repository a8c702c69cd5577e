"""Fill the cache in the background: the first person to open a page after a start or an
import should not wait for a year of monthly figures to be computed."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import replace
from typing import Any

from flask import Flask

from dashboard.domain.filters import period_options
from dashboard.domain.periods import Period, parse_period, quarter
from dashboard.domain.query import ViewQuery
from dashboard.services import context, entries, figures, warning_view
from dashboard.services.trends import months_up_to
from data_access import redis_store

log = logging.getLogger(__name__)
WARMING = f"{redis_store.PREFIX}warming:"  # + data version: the process warming it
WARMED = f"{redis_store.PREFIX}warmed:"  # + data version: its warm-up ended


def periods_to_warm(newest_day: dt.date) -> list[Period]:
    """The default month and its quarter first, then 24 months (the trends of any month of
    the last year draw on the twelve before it) and the last eight quarters."""
    month = parse_period(ViewQuery().with_default_period(newest_day).period)
    q = quarter(month.start.year, (month.start.month - 1) // 3 + 1)
    quarters = [q]
    for _ in range(7):
        quarters.append(quarters[-1].previous())
    return [month, q, *months_up_to(month, None, 24)[::-1], *quarters[1:]]


def named_periods(first: dt.date, newest: dt.date) -> list[str]:
    """Every month, quarter and year the period chooser offers for the data, newest first."""
    return [o["value"] for o in period_options(first, newest)][::-1]


def _pages(key: str) -> None:
    """What the overview, the league's two tabs and the below-target page open with."""
    q = ViewQuery(period=key)
    entries.overview(q)
    entries.indicators(q)
    for group in ("xa", "phong"):
        entries.league(replace(q, group=group))
    entries.below_target(q)


def warm(server: Flask) -> None:
    """Compute and cache the figures every page opens with: the default period first, then
    the months and quarters the trends and tables use, then every month, quarter and year the
    chooser offers, so a first look at any of them finds its figures ready (a city's period
    costs its first viewer up to a second otherwise). The default month's and quarter's unit
    pages too: the unit accounts' morning. With several processes, one warms for all."""

    with server.app_context():
        try:
            first, newest = figures.data_range()
            if newest is None or first is None:
                return
            periods = periods_to_warm(newest.date())
            version = figures.data_version()
            if not _claim(version):
                return  # another process of the deployment warms the shared cache
            # The overview's card of today's open dossiers (the same for every period).
            warning_view.warnings(ViewQuery(), outlook=False, dossiers=False)
            for p in periods[:2]:  # what the pages open with, first
                _pages(p.key)
            # Every unit's page as its account opens it: this month, this quarter, and the
            # month just closed (the one reported on).
            for p in (*periods[:2], periods[0].previous()):
                for u in figures.period_units(version, p.key)[0]:
                    entries.prepare_unit(version, p.key, u.ref)
            for p in periods[2:]:  # then the months and quarters the trends and tables use
                figures.district_report(version, p.key)
            for key in named_periods(first.date(), newest.date()):
                if figures.data_version() != version:
                    return  # new data: the next warm-up starts over
                _pages(key)
            _done(version)
        except Exception:  # a warm-up must never take the app down; the pages compute anyway
            log.exception("cache warm-up failed")


def _shared() -> Any:
    url = context.get().settings.redis_url
    return redis_store.client(url) if url else None


def _claim(version: str) -> bool:
    """Whether this process warms the cache for this data version: always alone; with Redis
    (one cache for every process), only the first process to ask, for an hour."""
    r = _shared()
    return r is None or bool(r.set(f"{WARMING}{version}", "1", nx=True, ex=3600))


def _done(version: str) -> None:
    r = _shared()
    if r is not None:  # for whoever waits on a warm cache (bench/bench_cluster.py)
        r.set(f"{WARMED}{version}", "1", ex=86400)


def start(server: Flask) -> threading.Thread:
    """Warm the cache in a daemon thread."""
    thread = threading.Thread(target=warm, args=(server,), daemon=True, name="tthc-warmup")
    thread.start()
    return thread
