"""`tthc demo-files`: the demo's catalogue, PAKN, satisfaction and sync counts written as the
files an office receives (title, blank row, header with STT, dd/mm/yyyy) and read back by
`tthc import` into a copy of the database whose sources were emptied: the same rows, the same
766 scores."""

from __future__ import annotations

import csv
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, text

from data_access.bootstrap import prepare_database
from data_access.db import make_engine
from data_access.demo import generate_demo
from tests.cli_runner import cli_runner

DATE = re.compile(r"\d{2}/\d{2}/\d{4}")
MONTH = re.compile(r"\d{2}/\d{4}")
FILES = ["danh-muc-tthc.xlsx", "pakn.xlsx", "hai-long-theo-thang.csv", "dong-bo.csv"]
# Each source table as the office knows it: units by code and the day their version began.
CONTENT = {
    "procedure_versions": """SELECT code, name, level, field_name, online_level, has_fee,
        payment_integrated, paper_result, decision_on, effective_from, effective_to,
        published_on, parts_published FROM procedure_versions""",
    "feedback_items": """SELECT u.code, u.valid_from, f.code, f.received_on, f.due_on,
        f.handled_on, f.category, f.rating
        FROM feedback_items f JOIN units u ON u.id = f.unit_id""",
    "satisfaction_votes": """SELECT u.code, u.valid_from, s.month, s.dossier_code, s.votes,
        s.satisfied FROM satisfaction_votes s JOIN units u ON u.id = s.unit_id""",
    "sync_counts": """SELECT u.code, u.valid_from, s.month, s.synced
        FROM sync_counts s JOIN units u ON u.id = s.unit_id""",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A tenth of the Nam Sách demo (both eras: the district to 30/6/2025, then Hải Phòng's
    communes), in a SQLite file."""
    path = tmp_path_factory.mktemp("demo-files") / "demo.sqlite3"
    engine = prepare_database(f"sqlite:///{path}", demo_on_empty=False)
    with engine.begin() as conn:
        generate_demo(conn, seed=2025, scale=0.1)
    engine.dispose()
    yield path


def _content(engine: Engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {
            table: sorted(tuple(str(v) for v in row) for row in conn.execute(text(sql)))
            for table, sql in CONTENT.items()
        }


def _csv(path: Path) -> list[list[str]]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads the diacritics
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def _sheet(path: Path) -> list[tuple]:
    book = load_workbook(path, read_only=True)
    rows = [
        tuple("" if v is None else str(v) for v in r)
        for r in book.active.iter_rows(values_only=True)
    ]
    book.close()
    return rows


def _score_rows(out: str) -> list[list[str]]:
    rows = list(csv.reader(out.splitlines()))
    assert rows[0] == ["ma_don_vi", "nhom", "thanh_phan", "diem", "diem_toi_da", "nguon"]
    return rows[1:]


def test_the_files_look_like_the_portals(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    run = cli_runner(f"sqlite:///{demo}", monkeypatch, capsys)
    code, out, _ = run("demo-files", "--out", str(tmp_path / "tep"))
    assert code == 0
    assert sorted(Path(p).name for p in out.split()) == sorted(FILES)
    catalogue, feedback = _sheet(tmp_path / "tep" / FILES[0]), _sheet(tmp_path / "tep" / FILES[1])
    monthly, sync = _csv(tmp_path / "tep" / FILES[2]), _csv(tmp_path / "tep" / FILES[3])
    for rows in (catalogue, feedback, monthly, sync):
        assert rows[0][0] == "UBND THÀNH PHỐ HẢI PHÒNG"
        assert not any(rows[2])
        assert rows[3][0] == "STT"
        assert [int(r[0]) for r in rows[4:]] == list(range(1, len(rows) - 3))
    assert catalogue[3][1:3] == ("Mã thủ tục", "Tên thủ tục")
    assert all(DATE.fullmatch(r[10]) for r in catalogue[4:])
    assert all(DATE.fullmatch(r[4]) and DATE.fullmatch(r[5]) for r in feedback[4:])
    assert all(MONTH.fullmatch(r[3]) for r in monthly[4:] + sync[4:])
    engine = make_engine(f"sqlite:///{demo}")
    try:
        tables = _content(engine)
    finally:
        engine.dispose()
    assert len(catalogue) - 4 == len(tables["procedure_versions"])
    assert len(feedback) - 4 == len(tables["feedback_items"])
    assert len(monthly) - 4 == len(tables["satisfaction_votes"])
    assert sum(int(r[4]) for r in sync[4:]) == sum(int(r[3]) for r in tables["sync_counts"])


def test_the_files_import_back_to_the_same_rows_and_scores(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    copy = tmp_path / "copy.sqlite3"
    shutil.copy(demo, copy)
    engine = make_engine(f"sqlite:///{copy}")
    try:
        before = _content(engine)
        with engine.begin() as conn:
            for table in CONTENT:
                conn.execute(text(f"DELETE FROM {table}"))
        assert all(rows == [] for rows in _content(engine).values())
        run = cli_runner(f"sqlite:///{demo}", monkeypatch, capsys)
        periods = ("2025-03", "2025-09", "2025")
        scores = {p: run("score766", "--period", p, "--format", "csv") for p in periods}
        assert run("demo-files", "--out", str(tmp_path / "tep"))[0] == 0
        files = [str(tmp_path / "tep" / name) for name in FILES]

        run = cli_runner(f"sqlite:///{copy}", monkeypatch, capsys)
        code, _, err = run("import", *files, "--user", "van-phong")
        assert code == 0, err
        assert _content(engine) == before
        for period, (code, out, _) in scores.items():
            assert code == 0
            again = run("score766", "--period", period, "--format", "csv")
            assert again[0] == 0
            want, got = _score_rows(out), _score_rows(again[1])
            assert any(r[2] == "Tổng" for r in want)
            # The same points; only the sources differ: the office's files, by their names.
            assert [r[:5] for r in got] == [r[:5] for r in want]
            assert any("danh-muc-tthc.xlsx" in r[5] for r in got)
            assert any("Dữ liệu mẫu: danh mục TTHC" in r[5] for r in want)
        # Again: nothing is added twice.
        assert run("import", *files, "--user", "van-phong")[0] == 0
        assert _content(engine) == before
    finally:
        engine.dispose()
