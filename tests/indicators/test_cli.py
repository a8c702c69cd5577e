"""The `tthc` reporting commands on the session demo database."""

from __future__ import annotations

import csv
import io
import json

import pytest

from dashboard import cli
from tests.cli_runner import cli_runner

# Q1/2025 from the March 2025 directive (seed 004): overdue, paused, refused/returned.
DIRECTIVE = {
    "291-NNMT": (1, 76, 25),
    "10606": (8, 0, 2),
    "10639": (1, 0, 1),
    "10618": (1, 0, 1),
    "10654": (1, 0, 2),
    "10666": (2, 0, 0),
    "10612": (2, 0, 2),
    "10621": (3, 0, 2),  # Quốc Tuấn (Thanh Quang's code since 1/12/2024)
    "10642": (1, 0, 1),
    "10633": (2, 0, 3),  # Trần Phú
    "10657": (0, 0, 2),
}


@pytest.fixture
def run(demo_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    return cli_runner(demo_url, monkeypatch, capsys)


def test_indicators_json_reproduces_the_directive(run) -> None:
    code, out, _ = run("indicators", "--period", "2025-Q1", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    got = {}
    for r in rows:
        if r["indicator"] in ("overdue", "paused", "returned"):
            got.setdefault(r["unit_code"], {})[r["indicator"]] = r["numerator"]
    district = got.pop("291")
    assert district == {"overdue": 22, "paused": 76, "returned": 41}  # sums of the directive
    for unit, counts in got.items():
        expected = DIRECTIVE.get(unit, (0, 0, 0))
        assert (counts["overdue"], counts["paused"], counts["returned"]) == expected, unit
    assert len(got) == 15 + 8  # units valid in Q1/2025


def test_indicators_csv_lets_a_spreadsheet_recompute(run) -> None:
    code, out, _ = run("indicators", "--period", "2025-03", "--unit", "10657", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 11 and {r["unit_name"] for r in rows} == {"Đồng Lạc"}
    for r in rows:
        if r["indicator"] == "publicity":
            assert r["value"] == "" and r["status"] == "không có dữ liệu"
            continue
        num, den, val = int(r["numerator"]), int(r["denominator"]), float(r["value"])
        rate = r["indicator"] not in ("overdue", "paused", "returned")
        assert val == (num / den if rate else num)
        target = float(r["target"])
        met = (val >= target) if rate else (val <= target)
        assert r["status"] == ("đạt" if met else "không đạt")


def test_league_orders_by_rank_with_ties(run) -> None:
    code, out, _ = run(
        "league", "--period", "2025-Q1", "--by", "online_payment", "--format", "json"
    )
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 15
    ranks = [r["rank"] for r in rows]
    assert ranks == sorted(ranks)
    values = [r["value"] for r in rows]
    assert values == sorted(values, reverse=True)
    for i, r in enumerate(rows):  # competition ranking: rank = 1 + number strictly better
        assert r["rank"] == 1 + sum(v > r["value"] for v in values), i
    code, out, _ = run(
        "league", "--period", "2025-Q1", "--group", "phong", "--by", "overdue", "--format", "json"
    )
    rows = json.loads(out)
    assert len(rows) == 8 and rows[-1]["unit_code"] == "291-NNMT"  # the only one with overdue


def test_below_target_lists_the_paused_dossiers(run) -> None:
    code, out, err = run("below-target", "--period", "2025-Q1", "--format", "json")
    assert code == 0 and "chỉ số không đạt" in err
    rows = json.loads(out)
    paused = [r for r in rows if r["indicator"] == "paused"]
    assert [(r["unit_code"], r["numerator"], r["gap"]) for r in paused] == [("291-NNMT", 76, 76)]
    assert all(r["consecutive_periods"] >= 1 for r in rows)


def test_bad_input_gets_a_clear_message(run) -> None:
    code, _, err = run("indicators", "--period", "2025-Q9")
    assert code == 2 and "Kỳ báo cáo không hợp lệ" in err
    code, _, err = run("indicators", "--period", "2025-Q1", "--unit", "99999")
    assert code == 2 and "Không có đơn vị" in err
    code, _, err = run("indicators", "--period", "2025-Q1", "--field", "Không tồn tại")
    assert code == 2 and "Không có lĩnh vực" in err


def test_targets_set_changes_the_evaluation(ref_engine, add, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", ref_engine.url.render_as_string(hide_password=False))
    add(
        "10657",
        [
            dict(
                channel=2 if i < 3 else 1,
                submitted_at=f"2025-03-0{i + 3} 07:00",
                received_at=f"2025-03-0{i + 3} 08:00",
                due_at=f"2025-03-0{i + 3} 17:00",
                finished_at=f"2025-03-0{i + 3} 10:00",
            )
            for i in range(4)
        ],
    )

    def status() -> tuple[float, str]:
        assert (
            cli.main(
                [
                    "indicators",
                    "--period",
                    "2025-03",
                    "--unit",
                    "10657",
                    "--indicator",
                    "online_submission",
                    "--format",
                    "json",
                ]
            )
            == 0
        )
        row = json.loads(capsys.readouterr().out)[0]
        return row["target"], row["status"]

    assert status() == (0.8, "không đạt")  # 3 of 4 = 75 % against the default 80 %
    assert (
        cli.main(
            [
                "targets",
                "set",
                "online_submission",
                "70%",
                "--from",
                "2025-03-01",
                "--unit",
                "10657",
                "--source",
                "CV 12/UBND",
            ]
        )
        == 0
    )
    listing = capsys.readouterr().out
    assert "online_submission" in listing and "từ 01/03/2025" in listing and "10657" in listing
    assert status() == (0.7, "đạt")


def test_csv_output_never_hands_a_formula_to_a_spreadsheet(ref_engine, add, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", ref_engine.url.render_as_string(hide_password=False))
    hostile = '=HYPERLINK("http://x.example","bấm")'
    add(
        "10657",
        [
            dict(  # resolved two days late
                code=hostile,
                received_at="2025-03-03 08:00",
                due_at="2025-03-05 17:00",
                finished_at="2025-03-07 10:00",
            ),
            dict(  # open, due 21/03: overdue at the month's end, due soon on 20/03
                code="@SUM(A1)",
                status="processing",
                received_at="2025-03-17 08:00",
                due_at="2025-03-21 17:00",
            ),
        ],
    )
    assert cli.main(["dossiers", "--period", "2025-03", "--unit", "10657", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert sorted(r["code"] for r in rows) == ["'" + hostile, "'@SUM(A1)"]
    assert cli.main(["warnings", "--as-of", "2025-03-20", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["code"] for r in rows] == ["'@SUM(A1)"]
    # Numbers stay numbers (a negative one too): a spreadsheet can recompute them.
    assert (
        cli.main(["indicators", "--period", "2025-03", "--unit", "10657", "--format", "csv"]) == 0
    )
    gaps = [r["gap"] for r in csv.DictReader(io.StringIO(capsys.readouterr().out)) if r["gap"]]
    assert gaps and all(not g.startswith("'") for g in gaps)
    assert any(g.startswith("-") for g in gaps)
