"""Per-application state (engine, settings) kept on the Flask app, read by callbacks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy import Engine

from dashboard.services.cache import cache, init_cache
from dashboard.settings import Settings

EXTENSION_KEY = "tthc"


@dataclass(frozen=True)
class AppContext:
    """What a request needs: the database engine and the settings."""

    engine: Engine
    settings: Settings


def attach(server: Flask, ctx: AppContext) -> None:
    """Store `ctx` on the Flask app."""
    server.extensions[EXTENSION_KEY] = ctx


def get() -> AppContext:
    """The context of the app serving the current request."""
    return current_app.extensions[EXTENSION_KEY]


@contextmanager
def standalone(
    engine: Engine, settings: Settings, shared_cache: bool = False
) -> Iterator[AppContext]:
    """The context outside a server (the CLI, the pack written from a terminal): the same
    entries and figures, with an in-process cache for the one command, or the deployment's
    cache (`shared_cache`: a job worker, whose figures the servers reuse and vice versa)."""
    server = Flask("tthc-standalone")
    ctx = AppContext(engine, settings)
    attach(server, ctx)
    if shared_cache:
        init_cache(server, settings)
    else:
        cache.init_app(server, config={"CACHE_TYPE": "SimpleCache"})
    with server.app_context():
        yield ctx
