"""The processing-history half of one import's transaction: the officer counts of dossiers the
import changes are taken away before they change, the histories written, and every changed
dossier's counts added back, all before the commit (data_access/step_writer.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select

from dashboard.domain import steps as rules
from dashboard.domain.worktime import WorkCalendar
from data_access import versioning
from data_access.importer.step_plan import StepPlan
from data_access.importer.validate import Validated
from data_access.step_rollups import StepDelta
from data_access.step_writer import (
    HistoryResult,
    id_table,
    refresh,
    with_history,
    write_histories,
)
from data_access.writer import stored_ids


class HistoryWrite:
    """Keeps the officer counts exact through one import's writes."""

    def __init__(self, conn: Connection, import_id: int, cal: WorkCalendar) -> None:
        self.conn, self.import_id, self.cal = conn, import_id, cal
        self.delta: StepDelta | None = None
        self.taken: set[int] = set()

    def _delta(self) -> StepDelta:
        if self.delta is None:
            self.delta = StepDelta(self.conn)
        return self.delta

    def before_change(self, ids: list[int]) -> None:
        """Called with stored dossiers about to change: take their counts away while their
        rows still say what they contributed."""
        held = with_history(self.conn, ids)
        if held:
            with id_table(self.conn, held) as t:
                self._delta().add(select(t.c.id), sign=-1)
            self.taken |= set(held)

    def finish(self, dossiers: Validated | None, plan: StepPlan | None) -> HistoryResult | None:
        """Write the histories of `plan` (and the reception steps the dossier list names), then
        add back the counts of dossiers whose rows changed but whose history did not."""
        steps = _steps_to_write(self.conn, dossiers, plan)
        result = None
        written: set[int] = set()
        if steps is not None and not steps.empty:
            result = write_histories(
                self.conn, steps, self.import_id, self.cal, self._delta(), self.taken
            )
            written = set(result.changed)
        elif plan is not None:
            result = HistoryResult()
        kept = sorted(self.taken - written)
        if kept:  # rows changed (a new due date…): the same steps, worked out again
            refresh(self.conn, kept, self.cal)
            with id_table(self.conn, kept) as t:
                self._delta().add(select(t.c.id))
        if self.delta is not None:
            self.delta.apply()
            if written or kept:
                versioning.bump(self.conn)
        return result


def _steps_to_write(
    conn: Connection, dossiers: Validated | None, plan: StepPlan | None
) -> pd.DataFrame | None:
    """The steps with their stored dossier's id: the plan's, and for a listed dossier with a
    "Cán bộ tiếp nhận" and no history in the file, its reception step."""
    parts = []
    # The stored ids of the file's dossiers, looked up only when a step needs them: a
    # dossier list without steps or reception officers (the usual daily file) never pays for
    # a second pass over its 200 000 keys.
    found: list[np.ndarray] = []

    def file_ids() -> np.ndarray:
        assert dossiers is not None
        if not found:
            found.append(stored_ids(conn, dossiers.frame[["unit_id", "code"]]))
        return found[0]

    if plan is not None and not plan.frame.empty:
        frame = plan.frame
        pos = frame["file_pos"].to_numpy()
        ids = frame["dossier_id"].to_numpy().copy()
        from_file = pos >= 0
        if from_file.any():
            assert dossiers is not None and not dossiers.frame.empty
            ids[from_file] = file_ids()[pos[from_file]]
        frame = frame.assign(dossier_id=ids)
        parts.append(frame[frame["dossier_id"] >= 0])
    if dossiers is not None and not dossiers.frame.empty and "_reception_officer" in dossiers.frame:
        f = dossiers.frame
        named = ((f["_reception_officer"] != "") & f["received_at"].notna()).to_numpy().copy()
        if plan is not None and not plan.frame.empty:
            with_steps = np.zeros(len(f), dtype=bool)
            positions = plan.frame["file_pos"].to_numpy()
            with_steps[positions[positions >= 0]] = True
            named = named & ~with_steps
        if named.any():
            parts.append(_reception_steps(f[named], file_ids()[named]))
    if not parts:
        return None
    return pd.concat(parts, ignore_index=True)


def _reception_steps(f: pd.DataFrame, ids: np.ndarray) -> pd.DataFrame:
    """One "Tiếp nhận" step per dossier, ended at its reception, by its reception officer."""
    names = f["_reception_officer"].to_numpy(dtype=object)
    received = f["received_at"].to_numpy(dtype="datetime64[us]")
    return pd.DataFrame(
        {
            "_row": f["_row"].to_numpy(),
            "code": f["code"].to_numpy(),
            "unit": "",
            "officer": names,
            "account": "",
            "key": [rules.officer_key(n) for n in names],
            "title": "",
            "department": "",
            "content": "Tiếp nhận hồ sơ",
            "status": "",
            "kind": "tiep_nhan",
            "ended_at": received,
            "started_at": received,
            "deadline_at": np.full(len(f), np.datetime64("NaT", "us")),
            "dossier_id": ids,
        }
    )
