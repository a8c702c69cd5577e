"""The shared flask-caching instance (the app factory initialises it from settings) and
`memoize_once`. What is cached lives with what computes it: `figures` and `entries`."""

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
