"""The morning digest per officer, on the hand-made histories of test_attribution_crafted
plus one dossier whose open step is past its own deadline; every line worked out by hand."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine

from dashboard import cli
from data_access.importer import import_bytes
from tests.officers.test_attribution_crafted import AN, BINH, DOSSIERS, DUNG, dossier, step

# Due 25/09, beyond the 2-working-day horizon of 17/09, so not on the list; but Dũng's open
# step had its own deadline on 16/09 17:00: a late step of his on the 17th.
E1 = dossier(
    "E1",
    "20250915080000",
    "20250925",
    status="4",
    steps=(
        step(AN, "Tiếp nhận", "20250915081000"),
        step(DUNG, "Thẩm định", deadline="20250916170000"),
    ),
)


def test_the_digest_says_who_holds_the_dossiers_due(
    ref_engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path, capsys
) -> None:
    data = json.dumps({"service": "DongBoHoSoMC", "data": [*DOSSIERS, E1]}, ensure_ascii=False)
    assert import_bytes(ref_engine, data.encode(), "dongbo.json").ok
    monkeypatch.setenv("DATABASE_URL", ref_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("TTHC_DEMO_ON_EMPTY", "0")
    assert cli.main(["digest", "--as-of", "2025-09-17", "--out", str(tmp_path)]) == 0
    text = next(tmp_path.glob("*-10606-*.txt")).read_text(encoding="utf-8")
    # Open on 17/09: D4 (due that day, Bình's step open), D5 and D6 (due that day, no step
    # running: chưa rõ), D8 (waiting for the citizen: nobody to push), E1 (not due yet).
    assert "- Theo cán bộ đang giữ hồ sơ:" in text.splitlines()
    lines = [line for line in text.splitlines() if line.startswith("  + ")]
    assert lines == [
        f"  + {BINH}: 1 đến hạn ngày 17/09/2025.",
        f"  + {DUNG}: 1 bước trễ hạn.",
        "  + Chưa rõ bước: 2 đến hạn ngày 17/09/2025.",
    ]
