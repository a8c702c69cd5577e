"""Write processing histories in the caller's transaction: find each step's dossier, the
officers (created on first sight), what the rules work out for each step, and the officer
counts' delta. A dossier whose history comes again is given the new one whole; the same
history again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pandas as pd
from sqlalchemy import (
    Column,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    delete,
    insert,
    select,
    update,
)

from dashboard.domain import steps as rules
from dashboard.domain.worktime import WorkCalendar, working_minutes_array
from data_access.models import Dossier, Unit, table_of
from data_access.step_models import Officer, Step, StepHistory
from data_access.step_rollups import DOSSIER_COLUMNS, StepDelta, persons

D = table_of(Dossier)
S = table_of(Step)
OF = table_of(Officer)
H = table_of(StepHistory)
U = table_of(Unit)
STEP_COLUMNS = (
    "dossier_id",
    "unit_id",
    "seq",
    "officer_id",
    "title",
    "department",
    "content",
    "kind",
    "status",
    "started_at",
    "ended_at",
    "deadline_at",
    "start_at",
    "work_minutes",
    "late",
    "responsible",
    "reception",
    "import_id",
)


@dataclass
class HistoryResult:
    """What writing the histories did."""

    dossiers: int = 0  # dossiers with a history in the file
    new: int = 0
    replaced: int = 0
    unchanged: int = 0
    steps: int = 0  # steps written
    officers_new: int = 0
    changed: list[int] = field(default_factory=list)  # dossiers whose history was written
    notes: list[str] = field(default_factory=list)


@contextmanager
def id_table(conn: Connection, ids: Iterable[int]) -> Iterator[Table]:
    """A temporary table holding `ids` (a SELECT over it stands for a long list)."""
    t = Table(f"tmp_ids_{id(ids)}", MetaData(), Column("id", Integer), prefixes=["TEMPORARY"])
    t.create(conn)
    values = [{"id": int(i)} for i in sorted(set(ids))]
    for k in range(0, len(values), 20000):
        conn.execute(insert(t), values[k : k + 20000])
    try:
        yield t
    finally:
        t.drop(conn)


def find_dossiers(conn: Connection, codes: Sequence[str]) -> dict[str, list[tuple]]:
    """For each code, the stored dossiers with it: (id, unit code, unit name, received_at),
    newest reception first."""
    out: dict[str, list[tuple]] = {}
    codes = sorted(set(codes))
    t = Table(
        f"tmp_codes_{id(codes)}", MetaData(), Column("code", String(64)), prefixes=["TEMPORARY"]
    )
    t.create(conn)
    try:
        for k in range(0, len(codes), 20000):
            conn.execute(insert(t), [{"code": c} for c in codes[k : k + 20000]])
        rows = conn.execute(
            select(D.c.code, D.c.id, U.c.code, U.c.name, D.c.received_at)
            .join(t, t.c.code == D.c.code)
            .join(U, U.c.id == D.c.unit_id)
        )
        for code, did, ucode, uname, received in rows:
            out.setdefault(code, []).append((did, ucode, uname, received))
    finally:
        t.drop(conn)
    for found in out.values():
        found.sort(key=lambda r: (r[3] is not None, r[3]), reverse=True)
    return out


DIGESTED = (
    "key",
    "officer",
    "title",
    "department",
    "content",
    "status",
    "ended_at",
    "started_at",
    "deadline_at",
)


def _digests(steps: pd.DataFrame) -> dict[int, int]:
    """Each dossier's history digest: a hash of every step's fields, weighted by the step's
    place, summed per dossier (whole columns at once: a loop per step cost minutes at
    800 000 steps). A pandas upgrade that changed its hash would rewrite each history once."""
    rows = pd.util.hash_pandas_object(steps[list(DIGESTED)], index=False).to_numpy(np.uint64)
    place = steps["seq"].to_numpy(np.uint64) * np.uint64(2) + np.uint64(1)
    with np.errstate(over="ignore"):
        mixed = rows * place  # wraps modulo 2**64, as a hash should
    summed = pd.Series(mixed).groupby(steps["dossier_id"].to_numpy(), sort=False).sum()
    return {
        int(k): int(v) for k, v in zip(summed.index, summed.to_numpy().view(np.int64), strict=True)
    }


def _officers(conn: Connection, steps: pd.DataFrame) -> tuple[np.ndarray, int]:
    """The officer id of each step (officers created on first sight, with the display name
    of their spellings in the file), and how many were created."""
    pairs = steps.groupby(["unit_id", "key"], sort=False)
    units = sorted({int(u) for u in steps["unit_id"].unique()})
    known: dict[tuple[int, str], int] = {}
    for k in range(0, len(units), 500):
        for oid, uid, key in conn.execute(
            select(OF.c.id, OF.c.unit_id, OF.c.key).where(OF.c.unit_id.in_(units[k : k + 500]))
        ):
            known[(uid, key)] = oid
    new = []
    for group, part in pairs:
        uid, key = cast(tuple[Any, str], group)
        if (int(uid), key) in known:
            continue
        titles = [t for t in part["title"] if t]
        new.append(
            {
                "unit_id": int(uid),
                "key": key[:200],
                "name": rules.display_name(list(part["officer"]))[:200],
                "title": titles[-1] if titles else "",
                "account": part["account"].iloc[0][:100],
            }
        )
    if new:
        conn.execute(insert(OF), new)
        for k in range(0, len(units), 500):
            for oid, uid, key in conn.execute(
                select(OF.c.id, OF.c.unit_id, OF.c.key).where(OF.c.unit_id.in_(units[k : k + 500]))
            ):
                known[(uid, key)] = oid
    ids = np.array(
        [known[(int(u), k)] for u, k in zip(steps["unit_id"], steps["key"], strict=True)],
        dtype=np.int64,
    )
    return ids, len(new)


def _worked_out(steps: pd.DataFrame, info: pd.DataFrame, cal: WorkCalendar) -> pd.DataFrame:
    """The rules' columns for steps (`dossier_id`, `seq`, dates) of dossiers in `info`
    (indexed by id: received_at, due_at)."""
    steps = steps.sort_values(["dossier_id", "seq"], kind="stable").reset_index(drop=True)
    n = len(steps)
    late = np.zeros(n, dtype=bool)
    holds = np.zeros(n, dtype=bool)
    desk = np.zeros(n, dtype=bool)
    ended = steps["ended_at"].to_numpy(dtype="datetime64[us]")
    # Python datetimes (None for NaT) made in one call per column, not per value.
    ends = ended.tolist()
    begins = steps["started_at"].to_numpy(dtype="datetime64[us]").tolist()
    limits = steps["deadline_at"].to_numpy(dtype="datetime64[us]").tolist()
    kinds = steps["kind"].tolist()
    seqs = steps["seq"].tolist()
    dossier = steps["dossier_id"].to_numpy()
    at = info.index.get_indexer(pd.Index(dossier[np.r_[0, np.flatnonzero(np.diff(dossier)) + 1]]))
    received = info["received_at"].to_numpy(dtype="datetime64[us]")[at].tolist()
    due = info["due_at"].to_numpy(dtype="datetime64[us]").astype("datetime64[D]")[at].tolist()
    bounds = np.flatnonzero(np.diff(dossier)) + 1
    starts: list[Any] = [None] * n
    for j, (lo, hi) in enumerate(
        zip(np.r_[0, bounds].tolist(), np.r_[bounds, n].tolist(), strict=True)
    ):
        batch = [
            rules.Step(0, ends[i], begins[i], limits[i], kinds[i], seq=seqs[i])
            for i in range(lo, hi)
        ]
        rec_moment = received[j]
        if rec_moment is None:  # not received (never accepted): the first step starts it
            rec_moment = min((m for s in batch if (m := s.end or s.start)), default=None)
        if rec_moment is None:
            rec_moment = dt.datetime(1970, 1, 1)
        for k, w in enumerate(rules.work_out(batch, rec_moment, due[j])):
            i = lo + k
            starts[i] = w.start
            late[i], holds[i], desk[i] = w.late, w.responsible, w.reception
    start = np.array(starts, dtype="datetime64[us]")
    steps["start_at"] = start
    steps["late"] = late
    steps["responsible"] = holds
    steps["reception"] = desk
    steps["work_minutes"] = working_minutes_array(cal, start, ended)
    return steps


INFO_COLUMNS = ("unit_id", "field_id", *DOSSIER_COLUMNS)


def _dossier_info(conn: Connection, ids: Table) -> pd.DataFrame:
    """The columns of the dossiers `ids` holds that the rules and the officer counts read."""
    rows = conn.execute(
        select(D.c.id, *[D.c[c] for c in INFO_COLUMNS]).join(ids, ids.c.id == D.c.id)
    ).all()
    info = pd.DataFrame(rows, columns=["id", *INFO_COLUMNS]).set_index("id")
    for c in ("received_at", "finished_at", "due_at", "submitted_at"):
        info[c] = pd.to_datetime(info[c]).astype("datetime64[us]")
    # The measures' numpy terms compare numbers: a missing value is NaN there, not None.
    info["first_response_minutes"] = pd.to_numeric(info["first_response_minutes"]).astype(float)
    for c in ("digitized", "e_result", "has_fee", "paid_online", "reused_data"):
        info[c] = info[c].fillna(False).astype(bool)
    for c in ("national_store", "vneid"):
        info[c] = info[c].fillna(False).astype(bool)
    info["supplement_count"] = info["supplement_count"].fillna(0).astype(np.int64)
    return info


def _moments(values: np.ndarray) -> list[str | None]:
    """Date-times as the text both databases read ("2025-08-12 08:20:00.000000"), None for
    NaT: one vectorized conversion instead of a Python object per value."""
    v = values.astype("datetime64[us]")
    text = np.datetime_as_string(v, unit="us").astype(object)
    text = np.char.replace(text.astype(str), "T", " ").astype(object)
    text[np.isnat(v)] = None
    return text.tolist()


def _insert_steps(conn: Connection, steps: pd.DataFrame, import_id: int | None) -> None:
    cols: list[list[Any]] = []
    for c in STEP_COLUMNS:
        if c in ("started_at", "ended_at", "deadline_at", "start_at"):
            cols.append(_moments(steps[c].to_numpy(dtype="datetime64[us]")))
        elif c in ("late", "responsible", "reception"):
            cols.append(steps[c].to_numpy(dtype=bool).tolist())
        elif c == "work_minutes":
            w = steps[c].to_numpy(dtype=float)
            cols.append([None if x != x else x for x in w.tolist()])
        elif c in ("dossier_id", "unit_id", "seq", "officer_id"):
            cols.append(steps[c].to_numpy(dtype=np.int64).tolist())
        elif c == "import_id":
            cols.append([import_id] * len(steps))
        else:
            cols.append([str(x) for x in steps[c].tolist()])
    rows = list(zip(*cols, strict=True))
    if conn.dialect.name == "postgresql":
        raw: Any = conn.connection.driver_connection
        with (
            raw.cursor() as cur,
            cur.copy(f"COPY steps ({', '.join(STEP_COLUMNS)}) FROM STDIN") as cp,
        ):
            for r in rows:
                cp.write_row(r)
        return
    conn.exec_driver_sql(
        f"INSERT INTO steps ({', '.join(STEP_COLUMNS)}) VALUES "
        f"({', '.join('?' * len(STEP_COLUMNS))})",
        rows,
    )


def write_histories(
    conn: Connection,
    steps: pd.DataFrame,
    import_id: int | None,
    cal: WorkCalendar,
    delta: StepDelta | None,
    taken: set[int],
) -> HistoryResult:
    """Write the histories of `steps` (columns of history.CheckedSteps plus `dossier_id`):
    each dossier's whole history replaced when it differs from the stored one. `taken`: the
    dossiers whose counts `delta` already took away (their rows changed); the others with a
    stored history are taken away here, and every dossier written is added back. Without a
    `delta` the officer counts are left to the caller (a bulk load rebuilds them once)."""
    out = HistoryResult()
    if steps.empty:
        return out
    steps = steps.copy()
    steps["seq"] = steps.groupby("dossier_id", sort=False).cumcount()
    digests = _digests(steps)
    out.dossiers = len(digests)
    with id_table(conn, digests) as ids:
        stored = dict(
            conn.execute(
                select(H.c.dossier_id, H.c.digest).join(ids, ids.c.id == H.c.dossier_id)
            ).all()
        )
        info = _dossier_info(conn, ids)
    changed = [d for d, g in digests.items() if stored.get(d) != g]
    out.changed = changed
    out.unchanged = len(digests) - len(changed)
    out.replaced = sum(1 for d in changed if d in stored)
    out.new = len(changed) - out.replaced
    if not changed:
        return out
    with id_table(conn, changed) as ids:
        again = [d for d in changed if d in stored and d not in taken]
        if again and delta is not None:
            with id_table(conn, again) as old:
                delta.add(select(old.c.id), sign=-1)  # what the old history contributed
        conn.execute(delete(S).where(S.c.dossier_id.in_(select(ids.c.id))))
        conn.execute(delete(H).where(H.c.dossier_id.in_(select(ids.c.id))))
        part = steps[steps["dossier_id"].isin(changed)].copy()
        part["unit_id"] = info.loc[part["dossier_id"].to_numpy(), "unit_id"].to_numpy()
        part["officer_id"], out.officers_new = _officers(conn, part)
        part = _worked_out(part, info, cal)
        _insert_steps(conn, part, import_id)
        conn.execute(insert(H), [{"dossier_id": d, "digest": digests[d]} for d in changed])
        out.steps = len(part)
        if delta is not None:  # what the new histories contribute, from the columns in hand
            units = sorted({int(u) for u in part["unit_id"].unique()})
            delta.add_columns(part, info, persons(conn, units))
    return out


def refresh(conn: Connection, dossier_ids: Iterable[int], cal: WorkCalendar) -> None:
    """Work the rules out again for the stored steps of dossiers whose reception or due date
    changed (their history did not)."""
    with id_table(conn, dossier_ids) as ids:
        rows = conn.execute(
            select(
                S.c.id,
                S.c.dossier_id,
                S.c.seq,
                S.c.kind,
                S.c.started_at,
                S.c.ended_at,
                S.c.deadline_at,
            ).join(ids, ids.c.id == S.c.dossier_id)
        ).all()
        if not rows:
            return
        info = _dossier_info(conn, ids)
    steps = pd.DataFrame(
        rows,
        columns=["id", "dossier_id", "seq", "kind", "started_at", "ended_at", "deadline_at"],
    )
    for c in ("started_at", "ended_at", "deadline_at"):
        steps[c] = pd.to_datetime(steps[c]).astype("datetime64[us]")
    steps = _worked_out(steps, info, cal)
    conn.execute(
        update(S)
        .where(S.c.id == bindparam("step_id"))
        .values(
            start_at=bindparam("v_start"),
            late=bindparam("v_late"),
            responsible=bindparam("v_holds"),
            reception=bindparam("v_desk"),
            work_minutes=bindparam("v_minutes"),
        ),
        [
            {
                "step_id": int(r.id),
                "v_start": pd.Timestamp(r.start_at).to_pydatetime(),
                "v_late": bool(r.late),
                "v_holds": bool(r.responsible),
                "v_desk": bool(r.reception),
                "v_minutes": None if r.work_minutes != r.work_minutes else float(r.work_minutes),
            }
            for r in cast(Any, steps.itertuples(index=False))
        ],
    )


def with_history(conn: Connection, dossier_ids: Sequence[int]) -> list[int]:
    """Those of `dossier_ids` that have a stored history."""
    out: list[int] = []
    for k in range(0, len(dossier_ids), 5000):
        chunk = [int(i) for i in dossier_ids[k : k + 5000]]
        out += [r[0] for r in conn.execute(select(H.c.dossier_id).where(H.c.dossier_id.in_(chunk)))]
    return out
