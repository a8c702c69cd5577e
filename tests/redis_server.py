"""A throw-away Redis server on 127.0.0.1 for the test session (Debian's redis-server), with
append-only persistence on, as deploy/redis/tthc.conf asks: a restart keeps the sessions."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
from pathlib import Path

from dash.testing.wait import until

from tests.serving import free_port


class RedisServer:
    """`start()`, `restart()` (the data survives), `stop()`; `url(db)` for the app."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="tthc-redis-"))
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server not found: install the Debian package redis-server")
        self.proc = subprocess.Popen(
            [
                binary,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--dir",
                str(self.dir),
                "--appendonly",
                "yes",
                "--appendfsync",
                "everysec",
                "--save",
                "",
                "--protected-mode",
                "yes",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        until(self._answers, timeout=30)

    def _answers(self) -> bool:
        import redis

        assert self.proc is not None and self.proc.poll() is None, "redis-server stopped"
        try:
            return bool(redis.Redis(port=self.port, socket_timeout=1).ping())
        except redis.ConnectionError:
            return False

    def pause(self) -> None:
        """Shut Redis down; its append-only file stays for `start()`."""
        import redis

        assert self.proc is not None
        with contextlib.suppress(redis.ConnectionError):  # it closes the connection it came on
            redis.Redis(port=self.port, socket_timeout=5).shutdown()
        self.proc.wait(timeout=30)

    def restart(self) -> None:
        """Shut Redis down (it writes its append-only file) and start it again."""
        self.pause()
        self.start()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
        shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"
