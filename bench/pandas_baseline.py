"""The baseline the rollups are measured against: the same counts straight from the raw
dossier table with pandas (rows read with a period filter, rules applied in pandas)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, text

COLUMNS = (
    "unit_id, field_id, channel, status, submitted_at, received_at, due_at, "
    "finished_at, has_fee, paid_online, digitized, e_result, reused_data, "
    "first_response_minutes"
)


def load(engine: Engine, start: dt.date, end: dt.date, field_id: int | None) -> pd.DataFrame:
    """Every dossier that can count in [start, end]: handled in it, or submitted online in it."""
    after_end = end + dt.timedelta(days=1)
    sql = (
        f"SELECT {COLUMNS} FROM dossiers WHERE "
        "((received_at < :after_end AND (finished_at IS NULL OR finished_at >= :start)) "
        " OR (submitted_at >= :start AND submitted_at < :after_end))"
    )
    params = {
        "start": dt.datetime.combine(start, dt.time()),
        "after_end": dt.datetime.combine(after_end, dt.time()),
    }
    if field_id is not None:
        sql += " AND field_id = :field_id"
        params["field_id"] = field_id
    with engine.connect() as conn:
        df = pd.read_sql(text(sql), conn, params=params)
    for col in ("submitted_at", "received_at", "due_at", "finished_at"):
        df[col] = pd.to_datetime(df[col]).dt.normalize()
    for col in ("has_fee", "paid_online", "digitized", "e_result", "reused_data"):
        df[col] = df[col].astype(bool)
    return df


def counts(df: pd.DataFrame, start: dt.date, end: dt.date) -> dict[str, dict[str, int]]:
    """Per unit: the numerators and denominators of every indicator, by the domain rules."""
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    accepted = ~df.status.isin(["new", "not_accepted"])
    rec, due, fin, sub = df.received_at, df.due_at, df.finished_at, df.submitted_at
    r = accepted & rec.between(s, e)
    fin_in = fin.between(s, e)
    resolved = (df.status == "resolved") & fin_in
    handled = accepted & (rec <= e) & (fin.isna() | (fin >= s))
    pending = handled & (fin.isna() | (fin > e))
    pending_overdue = pending & (due < e) & ~df.status.isin(["supplement", "paused"])
    online_sub = (df.channel == 2) & sub.between(s, e)
    frame = pd.DataFrame(
        {
            "unit_id": df.unit_id,
            "received": r,
            "received_online": r & (df.channel == 2),
            "received_fee": r & df.has_fee,
            "received_fee_paid": r & df.has_fee & df.paid_online,
            "received_digitized": r & df.digitized,
            "received_reused": r & df.reused_data,
            "resolved": resolved,
            "resolved_e_result": resolved & df.e_result,
            "on_time": (resolved & (due.isna() | (fin <= due)))
            | (df.status.isin(["withdrawn", "returned"]) & fin_in)
            | (pending & ~pending_overdue),
            "handled": handled,
            "overdue": (resolved & (fin > due)) | pending_overdue,
            "paused": handled & (df.status == "paused") & fin.isna(),
            "returned": accepted & (df.status == "returned") & fin_in,
            "online_submitted": online_sub,
            "online_answered_6h": online_sub & (df.first_response_minutes <= 360),
        }
    )
    summed = frame.groupby("unit_id").sum()
    return {u: {k: int(v) for k, v in row.items()} for u, row in summed.iterrows()}


def attribute_merged(engine: Engine, result: dict, start: dt.date) -> dict:
    """Dossiers of a unit merged before `start` count for its successor (as in the domain)."""
    with engine.connect() as conn:
        units = pd.read_sql(
            text(
                "SELECT u.id, u.valid_to, l.successor_id FROM units u JOIN unit_links l "
                "ON l.predecessor_id = u.id AND l.carries_dossiers"
            ),
            conn,
        )
    ended = {
        r.id: r.successor_id
        for r in units.itertuples()
        if r.valid_to is not None and pd.Timestamp(r.valid_to).date() < start
    }
    out: dict = {}
    for unit, c in result.items():
        while unit in ended:
            unit = ended[unit]
        acc = out.setdefault(unit, dict.fromkeys(c, 0))
        for k, v in c.items():
            acc[k] += v
    return out
