"""The shared flask-caching instance; the app factory initialises it from settings."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask_caching import Cache

from dashboard.settings import Settings

cache = Cache()
_flights: dict[tuple, threading.Lock] = {}
_flights_guard = threading.Lock()


def memoize_once(fn: Callable) -> Callable:
    """`cache.memoize`, and callers asking for the same arguments at the same time wait for
    the first one instead of computing the same figures side by side (a crowd arriving on a
    cold cache would otherwise multiply the work by its size)."""
    memo = cache.memoize()(fn)

    @functools.wraps(fn)
    def once(*args: Any) -> Any:
        key = (fn.__qualname__, args)
        with _flights_guard:
            lock = _flights.setdefault(key, threading.Lock())
        try:
            with lock:
                return memo(*args)
        finally:
            with _flights_guard:
                _flights.pop(key, None)

    return once


def init_cache(server: Flask, settings: Settings) -> None:
    """Bind the cache to the Flask server with the configured backend."""
    config: dict = {
        "CACHE_TYPE": settings.cache_type,
        "CACHE_DEFAULT_TIMEOUT": settings.cache_timeout,
    }
    if settings.cache_type == "FileSystemCache":
        config["CACHE_DIR"] = str(settings.cache_dir)
    if settings.cache_type == "RedisCache":
        config["CACHE_REDIS_URL"] = settings.cache_redis_url
    cache.init_app(server, config=config)


def scope():
    """The monitoring scope the app's settings name."""
    from dashboard import context

    return context.get().settings.monitoring_scope()


@memoize_once
def scope_figures(
    version: str,
    period_key: str,
    units: tuple[str, ...],
    fields: tuple[str, ...],
    as_of: str | None = None,
):
    """The scope's figures, cached by filters and data version (an import bumps it); with
    `as_of`, on the units of that period's era (a trend before a merger)."""
    from dashboard import context, report
    from dashboard.indicators.periods import parse_period

    engine = context.get().engine
    with engine.connect() as conn:
        filters = report.resolve_filters(conn, list(fields))
    anchor = parse_period(as_of) if as_of else None
    return report.scope_report(
        engine, parse_period(period_key), list(units), filters, scope(), anchor
    )


@memoize_once
def below_target_figures(version: str, period_key: str):
    """Units × indicators below target with their streaks, cached by data version; the
    explanations on record are attached fresh by the caller (they change without an import)."""
    from dashboard import context, report
    from dashboard.indicators.periods import parse_period

    return report.below_target(
        context.get().engine, parse_period(period_key), with_explanations=False, scope=scope()
    )


@memoize_once
def district_figures(
    version: str, period_key: str, as_of: str | None = None, fields: tuple[str, ...] = ()
):
    """Every unit's figures and the scope's for a period (and fields), cached by data version;
    with `as_of`, on the units of that period's era (each counting its predecessors)."""
    from dashboard import context, report
    from dashboard.indicators.periods import parse_period

    engine = context.get().engine
    with engine.connect() as conn:
        filters = report.resolve_filters(conn, list(fields))
    anchor = parse_period(as_of) if as_of else None
    return report.compute(
        engine, parse_period(period_key), filters=filters, scope=scope(), as_of=anchor
    )


@memoize_once
def league_figures(
    version: str, period_key: str, group: str, by: str | None, fields: tuple[str, ...]
):
    """A league table, cached by filters and data version."""
    from dashboard import context, report
    from dashboard.indicators.periods import parse_period

    engine = context.get().engine
    with engine.connect() as conn:
        filters = report.resolve_filters(conn, list(fields))
    return report.league(engine, parse_period(period_key), group, by, filters, scope())


@memoize_once
def _date_range(version: str):
    from dashboard import context
    from data_access import queries

    return queries.data_date_range(context.get().engine)


def data_range(engine):
    """Oldest and newest reception time, cached by data version: a min/max over a million
    dossiers costs a quarter of a second, and every page change asks for it."""
    from data_access import queries

    return _date_range(queries.data_version(engine))


@memoize_once
def problem_dossiers(version: str, unit_id: int, period_key: str):
    """One unit version's overdue, paused and returned dossiers of a period (with those of
    the versions it took over), cached by data version."""
    from dashboard import context, report
    from dashboard.indicators.periods import parse_period
    from data_access import queries

    engine = context.get().engine
    p = parse_period(period_key)
    with engine.connect() as conn:
        unit = queries.all_units(conn)[unit_id]
    ids = report.carried_ids(engine, unit)
    return queries.problem_dossiers(engine, ids, p.start, p.end)
