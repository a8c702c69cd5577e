"""The production server (`tthc serve --production`: waitress, real sockets) in a child process,
ready when its /healthz answers."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests
from dash.testing.wait import until


def free_port() -> int:
    """A port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Served:
    """A running production server: its base URL, environment and process."""

    base: str
    env: dict[str, str]
    proc: subprocess.Popen
    port: int


def copy_database(demo_url: str, folder: Path, name: str = "served.sqlite3") -> str:
    """A private copy of a SQLite demo database, as a URL."""
    db = folder / name
    shutil.copy(Path(demo_url.removeprefix("sqlite:///")), db)
    return f"sqlite:///{db}"


@contextmanager
def production_server(
    database_url: str,
    folder: Path,
    extra_env: dict[str, str] | None = None,
    args: tuple[str, ...] = (),
) -> Iterator[Served]:
    """`tthc serve --production` on a free port of 127.0.0.1, stopped on exit."""
    port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        TTHC_INSTANCE_DIR=str(folder),
        TTHC_WARM_CACHE="0",
        TTHC_DEMO_ON_EMPTY="0",
        **(extra_env or {}),
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "serve", "--production", "--port", str(port)]
        + list(args),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        assert proc.poll() is None, "the server stopped"
        try:
            return requests.get(f"{base}/healthz", timeout=5).status_code == 200
        except requests.ConnectionError:
            return False

    try:
        until(ready, timeout=180)  # the server says it is ready; no guess from the clock
        yield Served(base, env, proc, port)
    finally:
        proc.terminate()
        proc.wait()
