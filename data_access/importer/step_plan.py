"""Which dossier each step of a file belongs to, found before anything is written: a dossier
of the same file, else a stored one (by code: national codes are unique across units; when a
reorganization reused one, the step's unit decides, else the newest reception). A step whose
dossier is nowhere, or was rejected, is a problem of its row; a dossier keeps its history
whole or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from dashboard.domain.formatting import fmt_int
from data_access.importer.config import normalize_key
from data_access.importer.history import CheckedSteps
from data_access.importer.validate import Problem, Validated
from data_access.step_writer import find_dossiers

# The reason of a step whose dossier is nowhere (yet): `tthc import` retries such a file after
# the others of the command.
NO_DOSSIER = "không có hồ sơ mã này trong tệp hay trong cơ sở dữ liệu"


@dataclass
class StepPlan:
    """The steps to write: `frame` (history.CheckedSteps columns plus `file_pos`, the row of
    the file's dossier frame, or -1, and `dossier_id`, a stored dossier, or -1)."""

    frame: pd.DataFrame
    problems: list[Problem]
    rejected: dict[int, list[Any]]
    header: list[str]
    rows_read: int
    notes: list[str] = field(default_factory=list)
    from_json: bool = False


def _pick(found: list[tuple], unit_text: str) -> int:
    """The stored dossier a step means among those with its code."""
    if len(found) > 1 and unit_text:
        key = normalize_key(unit_text)
        for did, ucode, uname, _ in found:
            if key in (normalize_key(ucode), normalize_key(uname)) or normalize_key(uname).endswith(
                key
            ):
                return did
    return found[0][0]  # the newest reception


def plan_steps(
    engine: Engine, checked: CheckedSteps, dossiers: Validated | None, partial: bool
) -> StepPlan:
    """Link every valid step to its dossier; problems for the others."""
    frame = checked.frame
    problems = list(checked.problems)
    rejected = dict(checked.rejected)
    codes = frame["code"].to_numpy(dtype=object)
    file_pos = np.full(len(frame), -1, dtype=np.int64)
    rejected_codes: set[str] = set()
    if dossiers is not None:
        first = pd.Series(np.arange(len(dossiers.frame)), index=dossiers.frame["code"].to_numpy())
        first = first[~first.index.duplicated()]
        file_pos = first.reindex(codes).fillna(-1).to_numpy(dtype=np.int64)
        rejected_codes = {p.code for p in dossiers.problems if p.code}
    stored = np.full(len(frame), -1, dtype=np.int64)
    elsewhere = sorted({c for c, p in zip(codes, file_pos, strict=True) if p < 0})
    if elsewhere:
        with engine.connect() as conn:
            found = find_dossiers(conn, elsewhere)
        ambiguous = 0
        units = frame["unit"].to_numpy(dtype=object)
        for i in np.flatnonzero(file_pos < 0):
            candidates = found.get(codes[i])
            if candidates:
                stored[i] = _pick(candidates, units[i])
                ambiguous += len(candidates) > 1
        if ambiguous:
            checked.notes.append(
                f"{fmt_int(ambiguous)} bước ghi mã hồ sơ có ở nhiều đơn vị (mã dùng lại sau sắp "
                "xếp): đã gắn vào hồ sơ của đơn vị ghi trong bước, không có thì hồ sơ tiếp nhận "
                "gần nhất."
            )
    nowhere = (file_pos < 0) & (stored < 0)
    bad = np.zeros(len(frame), dtype=bool)
    rows = frame["_row"].to_numpy()
    for i in np.flatnonzero(nowhere):
        reason = (
            "hồ sơ của bước này bị loại (xem lỗi của hồ sơ)"
            if codes[i] in rejected_codes
            else NO_DOSSIER
        )
        problems.append(Problem(int(rows[i]), "Mã hồ sơ", str(codes[i]), reason, str(codes[i])))
        bad[i] = True
    # A history is kept whole or not at all: a dossier with a bad step loses the others.
    bad_codes = {p.code for p in problems if p.code}
    dropped = np.isin(codes, list(bad_codes)) & ~bad
    if partial and dropped.any():
        checked.notes.append(
            f"Bỏ {fmt_int(int(dropped.sum()))} bước hợp lệ của các hồ sơ có bước lỗi: lịch sử "
            "của một hồ sơ được nhập trọn vẹn hoặc không nhập."
        )
    keep = ~bad & ~dropped
    out = frame[keep].copy()
    out["file_pos"] = file_pos[keep]
    out["dossier_id"] = stored[keep]
    problems.sort(key=lambda p: p.row)
    return StepPlan(
        out,
        problems,
        rejected,
        checked.header,
        checked.rows_read,
        list(checked.notes),
        checked.from_json,
    )
