"""A stronger baseline than pandas: DuckDB (a columnar engine) on the raw dossier rows held in
memory, computing the same numbers per unit by the domain rules with one SQL query per period.
Bench-only (`pip install duckdb`); the rows are loaded once and only the query is timed, as a
columnar engine would serve a dashboard."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, text

from bench.pandas_baseline import COLUMNS, attribute_merged

QUERY = """
WITH d AS (
  SELECT *, status NOT IN ('new', 'not_accepted') AS accepted,
         CAST(received_at AS DATE) AS rec, CAST(finished_at AS DATE) AS fin,
         CAST(due_at AS DATE) AS due, CAST(submitted_at AS DATE) AS sub
  FROM dossiers WHERE ($field IS NULL OR field_id = $field)
), f AS (
  SELECT *,
    accepted AND rec BETWEEN $s AND $e AS r,
    fin BETWEEN $s AND $e AS fin_in,
    accepted AND rec <= $e AND (fin IS NULL OR fin >= $s) AS handled
  FROM d
), g AS (
  SELECT *, status = 'resolved' AND fin_in AS resolved,
    handled AND (fin IS NULL OR fin > $e) AS pending
  FROM f
), h AS (
  SELECT *, pending AND due < $e AND status NOT IN ('supplement', 'paused') AS pending_overdue,
    channel = 2 AND sub BETWEEN $s AND $e AS online_sub
  FROM g
)
SELECT unit_id,
  count(*) FILTER (WHERE r) AS received,
  count(*) FILTER (WHERE r AND channel = 2) AS received_online,
  count(*) FILTER (WHERE r AND has_fee) AS received_fee,
  count(*) FILTER (WHERE r AND has_fee AND paid_online) AS received_fee_paid,
  count(*) FILTER (WHERE r AND digitized) AS received_digitized,
  count(*) FILTER (WHERE r AND reused_data) AS received_reused,
  count(*) FILTER (WHERE resolved) AS resolved,
  count(*) FILTER (WHERE resolved AND e_result) AS resolved_e_result,
  count(*) FILTER (WHERE (resolved AND (due IS NULL OR fin <= due))
                   OR (status IN ('withdrawn', 'returned') AND fin_in)
                   OR (pending AND NOT pending_overdue)) AS on_time,
  count(*) FILTER (WHERE handled) AS handled,
  count(*) FILTER (WHERE (resolved AND fin > due) OR pending_overdue) AS overdue,
  count(*) FILTER (WHERE handled AND status = 'paused' AND fin IS NULL) AS paused,
  count(*) FILTER (WHERE accepted AND status = 'returned' AND fin_in) AS returned,
  count(*) FILTER (WHERE online_sub) AS online_submitted,
  count(*) FILTER (WHERE online_sub AND first_response_minutes <= 360) AS online_answered_6h
FROM h GROUP BY unit_id
"""


def connect(engine: Engine):
    """An in-memory DuckDB holding every dossier's columns the rules read."""
    import duckdb

    with engine.connect() as conn:
        df = pd.read_sql(text(f"SELECT {COLUMNS} FROM dossiers"), conn)
    for col in ("has_fee", "paid_online", "digitized", "e_result", "reused_data"):
        df[col] = df[col].astype(bool)
    for col in ("submitted_at", "received_at", "due_at", "finished_at"):
        df[col] = pd.to_datetime(df[col])
    db = duckdb.connect()
    db.register("raw", df)
    db.execute("CREATE TABLE dossiers AS SELECT * FROM raw")
    db.unregister("raw")
    return db


def counts(db, start: dt.date, end: dt.date, field_id: int | None) -> dict[int, dict[str, int]]:
    """Per unit version: the numbers `bench_indicators._derived` reads from a report."""
    cur = db.execute(QUERY, {"s": start, "e": end, "field": field_id})
    names = [c[0] for c in cur.description]
    return {row[0]: dict(zip(names[1:], map(int, row[1:]), strict=True)) for row in cur.fetchall()}


def result(db, engine: Engine, start: dt.date, end: dt.date, field_id: int | None) -> dict:
    """The counts with merged units' dossiers attributed to their successors."""
    return attribute_merged(engine, counts(db, start, end, field_id), start)
