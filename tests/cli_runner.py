"""Run `tthc` in the test's process against a database: (exit code, stdout, stderr)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from dashboard import cli

Runner = Callable[..., tuple[int, str, str]]


def cli_runner(url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> Runner:
    """`run("indicators", "--period", "2025-Q1")` with DATABASE_URL set to `url` and no demo
    data; the output printed before the call is not counted."""
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("TTHC_DEMO_ON_EMPTY", "0")

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = cli.main(list(argv))
        out = capsys.readouterr()
        return code, out.out, out.err

    return run
