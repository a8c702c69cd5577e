"""A throw-away PostgreSQL server on 127.0.0.1 for the test session (initdb + pg_ctl)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or ""]
    if not found[-1]:
        raise RuntimeError(f"PostgreSQL's {name} not found: install the Debian package postgresql")
    return found[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """Start with `start()`, stop with `stop()`; `url(db)` gives a psycopg 3 SQLAlchemy URL."""

    extra_options = ""  # more `-c` settings for the server (a replica's)

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="tthc-pg-"))
        self.port = _free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        cmd = list(args)
        if self.as_root:  # PostgreSQL refuses to run as root
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        if self.as_root:
            shutil.chown(self.dir, "postgres")
        data = self.dir / "data"
        self._run(
            _bin("initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        self.resume()

    def resume(self) -> None:
        """Start the server on its existing data folder (after `pause`)."""
        data = self.dir / "data"
        opts = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off "
            f"-c synchronous_commit=off -c full_page_writes=off "
            f"-c unix_socket_directories={self.dir} {self.extra_options}"
        )
        self._run(
            _bin("pg_ctl"), "-D", str(data), "-o", opts, "-l", str(self.dir / "log"), "-w", "start"
        )

    def pause(self) -> None:
        """Stop the server but keep its data (a database restart or outage)."""
        self._run(_bin("pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast", "-w", "stop")

    def stop(self) -> None:
        try:
            self._run(_bin("pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create an empty database and return its URL."""
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


class PostgresReplica(PostgresServer):
    """A streaming replica (hot standby) of a running `PostgresServer`, on its own port:
    `start()` copies the primary with pg_basebackup (-R: it follows the primary), then
    `pause()`, `resume()`, `stop()` and `url(db)` as for the primary. The primary's pg_hba
    from `initdb --auth=trust` lets 127.0.0.1 replicate; wal_level=replica and
    max_wal_senders=10 are the defaults."""

    extra_options = "-c hot_standby=on"

    def __init__(self, primary: PostgresServer) -> None:
        super().__init__()
        self.primary = primary

    def start(self) -> None:
        if self.as_root:
            shutil.chown(self.dir, "postgres")
        self._run(
            _bin("pg_basebackup"),
            "-D",
            str(self.dir / "data"),
            "-R",
            "-X",
            "stream",
            "--checkpoint=fast",  # else it waits for the primary's next spread checkpoint
            "-h",
            "127.0.0.1",
            "-p",
            str(self.primary.port),
            "-U",
            "postgres",
        )
        self.resume()
