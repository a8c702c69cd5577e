"""Check a processing history (one row per step) before anything is written: the header,
then every cell, column by column like the dossier list (validate.py). Which dossier a step
belongs to is looked up later, against the database and the file's own dossiers (steps.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dashboard.domain import steps as rules
from dashboard.domain.formatting import fmt_int
from data_access.importer import parse
from data_access.importer.cells import Column
from data_access.importer.config import Mapping
from data_access.importer.reader import RawTable
from data_access.importer.validate import Problem

TEXT = ("code", "unit", "officer", "account", "title", "department", "content", "status")
DATES = ("ended_at", "started_at", "deadline_at")
# Stored lengths (data_access/step_models.py): longer text is cut, a longer name refused.
LENGTHS = {"title": 200, "department": 200, "content": 500, "status": 32, "account": 100}
LABELS = {
    "code": "Mã hồ sơ",
    "officer": "Người xử lý",
    "ended_at": "Thời điểm xử lý",
    "started_at": "Ngày bắt đầu",
    "deadline_at": "Hạn xử lý của bước",
}


@dataclass
class CheckedSteps:
    """The steps that passed (`frame`: one column per step field plus `_row`, `kind` and the
    officer's `key`), the problems, and the rejected rows as they were."""

    frame: pd.DataFrame
    problems: list[Problem]
    rejected: dict[int, list[Any]]
    header: list[str]
    rows_read: int
    notes: list[str] = field(default_factory=list)
    from_json: bool = False


def history_header(table: RawTable, mapping: Mapping) -> tuple[int, dict[int, str]] | None:
    """Where a history's header is and column -> step field, or None when the table is not a
    history (its header must name the dossier, the officer and the step's time)."""
    for i, row in enumerate(table.head(mapping.limits["header_search_rows"])):
        columns: dict[int, str] = {}
        for c, cell in enumerate(row):
            found = mapping.history_field(parse.text(cell))
            if found and found not in columns.values():
                columns[c] = found
        if {"code", "officer", "ended_at"} <= set(columns.values()):
            return i, columns
    return None


def check_history(table: RawTable, mapping: Mapping) -> CheckedSteps:
    """Every step row checked; a table that is not a history gives no rows (the caller found
    its header first)."""
    found = history_header(table, mapping)
    assert found is not None, "history_header first"
    at, columns = found
    head = table.head(at + 1)[at]
    headers = {fld: parse.text(head[c]) for c, fld in columns.items()}
    body = table.cells[at + 1 :]
    numbers = np.asarray(table.row_numbers[at + 1 :], dtype=np.int64)
    col = {fld: Column.of(table, c, at + 1) for c, fld in columns.items()}
    n = len(body)
    txt = {f: col[f].texts() if f in col else np.full(n, "", dtype=object) for f in TEXT}
    # Whole columns at once (a Python loop per cell cost seconds at 800 000 steps).
    texts = [col[f].texts() for f in columns.values()]
    blank = np.logical_and.reduce([t == "" for t in texts]) if texts else np.ones(n, dtype=bool)
    keep = np.flatnonzero(~blank)
    body, numbers = body[keep], numbers[keep]
    txt = {f: v[keep] for f, v in txt.items()}
    m = len(keep)
    found_problems: list[tuple[int, int, Problem]] = []
    bad = np.zeros(m, dtype=bool)

    def add(mask: np.ndarray, fld: str, values: np.ndarray, reason: Any, order: int) -> None:
        nonlocal bad
        for i in np.flatnonzero(mask):
            why = (
                reason(i) if callable(reason) else reason if isinstance(reason, str) else reason[i]
            )
            name = headers.get(fld) or LABELS.get(fld, fld)
            found_problems.append(
                (
                    int(numbers[i]),
                    order,
                    Problem(int(numbers[i]), name, str(values[i])[:200], why, txt["code"][i]),
                )
            )
        bad |= mask

    add(txt["code"] == "", "code", txt["code"], "thiếu mã hồ sơ", 1)
    no_one = (txt["officer"] == "") & (txt["account"] == "")
    add(no_one, "officer", txt["officer"], "thiếu người xử lý", 2)
    long_name = np.array([len(v) > 200 for v in txt["officer"]], dtype=bool)
    add(long_name, "officer", txt["officer"], "tên người xử lý dài quá 200 ký tự", 3)
    when: dict[str, np.ndarray] = {}
    for order, fld in enumerate(DATES, start=4):
        if fld not in col:
            when[fld] = np.full(m, np.datetime64("NaT", "us"))
            continue
        w, _, err = col[fld].moments()
        when[fld] = w[keep]
        add(pd.notna(err[keep]), fld, col[fld].texts()[keep], err[keep], order)
    start, end = when["started_at"], when["ended_at"]
    add(
        ~np.isnat(start) & ~np.isnat(end) & (start > end),
        "started_at",
        col["started_at"].texts()[keep] if "started_at" in col else txt["code"],
        "ngày bắt đầu sau thời điểm xử lý",
        8,
    )
    words = mapping.step_kinds
    # A history repeats a few contents, titles and officers: each worked out once.
    kind_of: dict[tuple[str, str], str] = {}
    key_of: dict[tuple[str, str], str] = {}
    kinds = np.array(
        [
            kind_of.get((c, t)) or kind_of.setdefault((c, t), rules.step_kind(c, t, words))
            for c, t in zip(txt["content"], txt["title"], strict=True)
        ],
        dtype=object,
    )
    keys = np.array(
        [
            key_of.get((o, a)) or key_of.setdefault((o, a), rules.officer_key(o, a))
            for o, a in zip(txt["officer"], txt["account"], strict=True)
        ],
        dtype=object,
    )
    good = ~bad
    frame = pd.DataFrame(
        {
            "_row": numbers[good],
            "code": txt["code"][good],
            "unit": txt["unit"][good],
            "officer": np.where(txt["officer"] == "", txt["account"], txt["officer"])[good],
            "account": txt["account"][good],
            "key": keys[good],
            **{f: np.array([v[: LENGTHS[f]] for v in txt[f][good]], dtype=object) for f in LENGTHS},
            "kind": kinds[good],
            **{f: when[f][good] for f in DATES},
        }
    )
    out = CheckedSteps(
        frame,
        [p for _, _, p in sorted(found_problems, key=lambda t: (t[0], t[1]))],
        {int(numbers[i]): body[i].tolist() for i in np.flatnonzero(bad)},
        [parse.text(c) for c in head],
        m,
        from_json=table.kind == "json",
    )
    if n - m:
        out.notes.append(f"Quá trình xử lý: bỏ qua {fmt_int(n - m)} dòng trống.")
    return out
