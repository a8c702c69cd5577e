"""The write path for dossiers: insert or update by (unit version, code), keep rollups in step.

Every writer (the importer, tests, scripts) goes through `store_frame` (or `store_dossiers`
for rows as dicts), inside the caller's transaction, so the rollups can never disagree with
the dossiers. Rows travel as columns: the response times, the digests and the values the
database stores are computed for a whole import at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    cast,
    func,
    insert,
    literal_column,
    select,
    update,
)

from dashboard.domain.worktime import (
    WorkCalendar,
    first_response_minutes,
    first_response_minutes_array,
)
from data_access import rollups, versioning
from data_access.models import Dossier, table_of

D = table_of(Dossier)
DATA_COLUMNS = tuple(c.name for c in D.columns if c.name not in ("id", "import_id"))
# The exported values: what the digest covers and what decides "unchanged" (the response time
# is derived from them, and the digest describes them).
HASHED = tuple(c for c in DATA_COLUMNS if c not in ("first_response_minutes", "row_hash"))
DATETIME_COLUMNS = tuple(c.name for c in D.columns if isinstance(c.type, DateTime))
BOOL_COLUMNS = tuple(c.name for c in D.columns if isinstance(c.type, Boolean))
INT_COLUMNS = ("unit_id", "channel", "day_only", "supplement_count")
TEXT_COLUMNS = tuple(
    c for c in HASHED if c not in (*DATETIME_COLUMNS, *BOOL_COLUMNS, *INT_COLUMNS, "field_id")
)
CHUNK = 5000
INSERT_SLICE = 25_000


@dataclass(frozen=True)
class StoreResult:
    """What a store did."""

    inserted: int
    updated: int
    unchanged: int


def with_response_minutes(row: Mapping, cal: WorkCalendar) -> dict:
    """A copy of `row` with first_response_minutes computed from its own dates."""
    out = dict(row)
    out["first_response_minutes"] = first_response_minutes(
        cal,
        channel=out["channel"],
        status=out["status"],
        submitted_at=out.get("submitted_at"),
        received_at=out.get("received_at"),
        supplement_requested_at=out.get("supplement_requested_at"),
        finished_at=out.get("finished_at"),
    )
    return out


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """Every exported column, in one dtype each (datetime64[us], bool, int64, float field id,
    text or None), missing ones filled with their defaults."""
    n = len(frame)
    out = pd.DataFrame(index=range(n))
    for c in HASHED:
        v = frame[c].to_numpy() if c in frame else None
        if c in DATETIME_COLUMNS:
            out[c] = (
                np.full(n, np.datetime64("NaT", "us"))
                if v is None
                else pd.to_datetime(pd.Series(v)).to_numpy(dtype="datetime64[us]")
            )
        elif c in BOOL_COLUMNS:
            out[c] = (
                np.zeros(n, dtype=bool) if v is None else np.asarray(np.equal(v, True), dtype=bool)
            )
        elif c in INT_COLUMNS:
            # Rows given as dicts may leave a count out (NaN here): it defaults to 0. An
            # import's integer column is taken as it is (no copy on the hot path).
            if v is None:
                out[c] = np.zeros(n, dtype=np.int64)
            elif np.asarray(v).dtype.kind in "iub":
                out[c] = np.asarray(v, dtype=np.int64)
            else:
                out[c] = pd.Series(v).fillna(0).to_numpy(dtype=np.int64)
        elif c == "field_id":
            out[c] = (
                np.full(n, np.nan) if v is None else pd.to_numeric(pd.Series(v)).to_numpy(float)
            )
        else:  # object dtype, so a missing text stays None (pandas would make it NaN)
            text = (
                np.full(n, None, dtype=object)
                if v is None
                else np.where(np.asarray(pd.isna(v)), np.array(None, dtype=object), v)
            )
            out[c] = pd.Series(text, dtype=object)
    return out


def row_hashes(frame: pd.DataFrame) -> np.ndarray:
    """A 64-bit digest of each row's exported values (as the signed integers SQL stores)."""
    return pd.util.hash_pandas_object(frame[list(HASHED)], index=False).to_numpy().view(np.int64)


def frame_of(rows: Iterable[Mapping]) -> pd.DataFrame:
    """Dossier rows given as dicts (missing columns default), as a frame."""
    return pd.DataFrame.from_records(list(rows))


def _db_columns(frame: pd.DataFrame, columns: Iterable[str], sqlite: bool) -> list[list[Any]]:
    """Each column as the driver takes it: None for missing values, date-times as SQLAlchemy's
    SQLite text ('2025-03-10 09:00:00.000000') on SQLite, Python objects elsewhere."""
    out = []
    for c in columns:
        v = frame[c].to_numpy()
        if c in DATETIME_COLUMNS:
            if sqlite:
                # each distinct moment formatted once (a column repeats its minutes)
                codes, distinct = pd.factorize(v.astype("datetime64[us]").view(np.int64))
                moments = distinct.view("datetime64[us]")
                text = np.datetime_as_string(moments, unit="us").astype("U26")
                text.view(np.uint32).reshape(len(text), 26)[:, 10] = ord(" ")  # the "T"
                values = text.astype(object)
                values[np.isnat(moments)] = None
                out.append(values[codes].tolist())
            else:
                out.append(v.astype("datetime64[us]").astype(object).tolist())
        elif c in ("field_id", "first_response_minutes"):
            numbers = v.astype(float)
            missing = np.isnan(numbers)
            values = (
                np.where(missing, 0, numbers).astype(np.int64) if c == "field_id" else numbers
            ).astype(object)
            values[missing] = None
            out.append(values.tolist())
        else:
            out.append(v.tolist())
    return out


def _existing(
    conn: Connection, frame: pd.DataFrame, kept: Sequence[str] = ()
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each row: the id of the stored dossier with its unit version and code (-1 when
    none), its stored digest (0 when none) and its stored integer `kept` columns (a row per
    row, -1 when none), read in the same join."""
    n = len(frame)
    ids, hashes = np.full(n, -1, dtype=np.int64), np.zeros(n, dtype=np.int64)
    values = np.full((n, len(kept)), -1, dtype=np.int64)
    incoming = Table(
        f"tmp_incoming_{id(frame)}",
        MetaData(),
        Column("pos", Integer),
        Column("unit_id", Integer),
        Column("code", String(64)),
        prefixes=["TEMPORARY"],
    )
    incoming.create(conn)
    keys = list(zip(range(n), frame["unit_id"].tolist(), frame["code"].tolist(), strict=True))
    t = incoming.c
    extra = [func.coalesce(cast(D.c[c], Integer), literal_column("0")) for c in kept]
    join = select(t.pos, D.c.id, func.coalesce(D.c.row_hash, literal_column("0")), *extra).join(
        D, (D.c.unit_id == t.unit_id) & (D.c.code == t.code)
    )
    if conn.dialect.name == "sqlite":  # through the driver: no per-value processing needed
        conn.exec_driver_sql(f"INSERT INTO {incoming.name} VALUES (?, ?, ?)", keys)
        # the driver's own cursor, in this transaction: SQLAlchemy's row objects cost 0,27 s
        # of the 0,46 s that fetching 200 000 stored rows takes
        cursor = conn.connection.cursor()
        try:
            found = cursor.execute(str(join.compile(dialect=conn.dialect))).fetchall()
        finally:
            cursor.close()
    else:
        conn.execute(insert(incoming), [{"pos": p, "unit_id": u, "code": c} for p, u, c in keys])
        found = conn.execute(join).all()
    incoming.drop(conn)
    if found:
        rows = np.array(found, dtype=np.int64)  # (position, id, digest, kept…): all integers
        ids[rows[:, 0]] = rows[:, 1]
        hashes[rows[:, 0]] = rows[:, 2]
        values[rows[:, 0]] = rows[:, 3:]
    return ids, hashes, values


def store_dossiers(
    conn: Connection,
    rows: Iterable[Mapping],
    import_id: int | None = None,
    cal: WorkCalendar | None = None,
) -> StoreResult:
    """`store_frame` for rows given as dicts of Dossier columns (missing ones default)."""
    return store_frame(conn, frame_of(rows), import_id, cal)


def store_frame(
    conn: Connection,
    frame: pd.DataFrame,
    import_id: int | None = None,
    cal: WorkCalendar | None = None,
    before_change: Callable[[list[int]], None] | None = None,
    absent: Sequence[str] = (),
) -> StoreResult:
    """Insert new dossiers, update changed ones (same unit version + code), keep the rollups in
    step: incrementally when `import_id` tags the rows, else by rebuilding the units touched.
    A stored row whose digest equals the incoming one is unchanged; a stored row without a
    digest (or another) is compared value by value. `before_change(ids)` is called with the
    stored dossiers about to change, before they do (the officer counts take theirs away).
    `absent`: columns of KEPT_WHEN_ABSENT the file did not have (stored values kept)."""
    if frame.empty:
        return StoreResult(0, 0, 0)
    cal = cal or WorkCalendar()
    f = canonical(frame)
    ids, stored, kept = _existing(conn, f, KEPT_WHEN_ABSENT)
    _keep_stored(f, absent, kept)
    f["first_response_minutes"] = first_response_minutes_array(
        cal,
        channel=f["channel"].to_numpy(),
        status=f["status"].to_numpy(),
        submitted_at=f["submitted_at"].to_numpy(),
        received_at=f["received_at"].to_numpy(),
        supplement_requested_at=f["supplement_requested_at"].to_numpy(),
        finished_at=f["finished_at"].to_numpy(),
    )
    f["row_hash"] = row_hashes(f)
    sqlite = conn.dialect.name == "sqlite"
    new = ids < 0
    check = np.flatnonzero(~new & (stored != f["row_hash"].to_numpy()))
    rehash, changed = _compare(conn, f, ids, check)
    unchanged = int((~new).sum()) - len(changed)
    if rehash:  # equal values under an older digest (or none): remember the digest now
        conn.execute(
            update(D).where(D.c.id == bindparam("row_id")).values(row_hash=bindparam("digest")),
            [{"row_id": int(ids[i]), "digest": int(f["row_hash"].to_numpy()[i])} for i in rehash],
        )
    touched = set(f["unit_id"].to_numpy()[new].tolist())
    touched |= set(f["unit_id"].to_numpy()[changed].tolist())
    delta = rollups.Delta(conn) if import_id is not None else None
    changed_ids = [int(ids[i]) for i in changed]
    if before_change is not None and changed_ids:
        before_change(changed_ids)
    if delta is not None:
        for k in range(0, len(changed_ids), CHUNK):
            # What the old versions contributed to the rollups, before they change.
            delta.add(D.c.id.in_(changed_ids[k : k + CHUNK]), sign=-1)
    if new.any():
        _insert(conn, f.iloc[np.flatnonzero(new)], import_id, sqlite)
    if len(changed):
        part = f.iloc[changed]
        values = dict(zip(DATA_COLUMNS, _db_columns(part, DATA_COLUMNS, sqlite=False), strict=True))
        conn.execute(
            update(D)
            .where(D.c.id == bindparam("row_id"))
            .values({c: bindparam(f"v_{c}") for c in (*DATA_COLUMNS, "import_id")}),
            [
                {f"v_{c}": values[c][k] for c in DATA_COLUMNS}
                | {"row_id": changed_ids[k], "v_import_id": import_id}
                for k in range(len(changed))
            ],
        )
    if delta is not None:
        # Incremental: add what the new rows contribute (from the columns in memory) and the
        # changed rows' new versions (the old ones were taken away above).
        if new.any():
            delta.add_columns({c: f[c].to_numpy()[new] for c in f.columns})
        for k in range(0, len(changed_ids), CHUNK):
            delta.add(D.c.id.in_(changed_ids[k : k + CHUNK]))
        delta.apply(touched)  # also drops its temporary table when nothing changed
    elif touched:
        rollups.rebuild(conn, touched)
    if touched:
        versioning.bump(conn)
    return StoreResult(int(new.sum()), len(changed), unchanged)


def stored_ids(conn: Connection, frame: pd.DataFrame) -> np.ndarray:
    """The id of the stored dossier of each row's unit version and code (-1 when none)."""
    return _existing(conn, frame)[0]


# What a file without their column leaves as stored: the national sync JSON gives them, the
# province's Excel export does not, and importing it after the JSON must not erase them. The
# supplement count only grows: a file that knows fewer requests (no history in it, or the
# history in another file) never lowers what one that knew more stored.
KEPT_WHEN_ABSENT = ("national_store", "vneid", "supplement_count")


def _keep_stored(f: pd.DataFrame, absent: Sequence[str], stored: np.ndarray) -> None:
    """Give the rows of a stored dossier its stored value of each `absent` column, and the
    larger supplement count (`stored`: _existing's values in KEPT_WHEN_ABSENT order)."""
    for c in KEPT_WHEN_ABSENT:
        old = stored[:, KEPT_WHEN_ABSENT.index(c)]
        known = old >= 0
        if c == "supplement_count":
            f[c] = np.where(known, np.maximum(old, f[c].to_numpy()), f[c].to_numpy())
        elif c in absent:
            f[c] = np.where(known, old > 0, f[c].to_numpy())


def raise_supplement_counts(conn: Connection, import_id: int) -> int:
    """Dossiers whose steps written by `import_id` record more supplement requests (steps of
    status 5, the national standard's "chờ bổ sung") than the dossier holds: raised, the
    rollups kept in step (a history file given apart from its dossiers, as the national sync
    sends them). Returns how many changed."""
    from data_access.step_models import Step

    s = table_of(Step).c
    asked = (
        select(s.dossier_id, func.count().label("n"))
        .where(s.import_id == import_id, s.status == "5")
        .group_by(s.dossier_id)
        .subquery()
    )
    rows = conn.execute(
        select(D.c.id, D.c.unit_id, asked.c.n)
        .join(asked, asked.c.dossier_id == D.c.id)
        .where(D.c.supplement_count < asked.c.n)
    ).all()
    if not rows:
        return 0
    ids = [r[0] for r in rows]
    delta = rollups.Delta(conn)
    for k in range(0, len(ids), CHUNK):
        delta.add(D.c.id.in_(ids[k : k + CHUNK]), sign=-1)
    conn.execute(
        update(D)
        .where(D.c.id == bindparam("row_id"))
        .values(supplement_count=bindparam("n"), row_hash=None),  # compared by value next time
        [{"row_id": i, "n": int(n)} for i, _u, n in rows],
    )
    for k in range(0, len(ids), CHUNK):
        delta.add(D.c.id.in_(ids[k : k + CHUNK]))
    delta.apply({u for _i, u, _n in rows})
    versioning.bump(conn)
    return len(rows)


def _compare(
    conn: Connection, f: pd.DataFrame, ids: np.ndarray, check: np.ndarray
) -> tuple[list[int], list[int]]:
    """Of the rows at `check` (stored, with another digest): those whose stored values equal
    the incoming ones (to re-digest), and those that changed."""
    if not len(check):
        return [], []
    # Both sides as SQLAlchemy gives them back: Python dates, bools, ints, text.
    incoming = list(zip(*_db_columns(f.iloc[check], HASHED, sqlite=False), strict=True))
    stored: dict[int, tuple] = {}
    check_ids = [int(ids[i]) for i in check]
    for k in range(0, len(check_ids), CHUNK):
        chunk = check_ids[k : k + CHUNK]
        for row in conn.execute(select(D.c.id, *[D.c[c] for c in HASHED]).where(D.c.id.in_(chunk))):
            stored[row[0]] = tuple(row[1:])
    same: list[int] = []
    changed: list[int] = []
    for k, i in enumerate(check):
        (same if stored[int(ids[i])] == incoming[k] else changed).append(int(i))
    return same, changed


def _insert(conn: Connection, part: pd.DataFrame, import_id: int | None, sqlite: bool) -> None:
    # In slices: the driver's values of 200 000 rows at once (a tuple per row, a string per
    # date) would hold some 150 MB more at the import's peak, for no gain in speed.
    for k in range(0, len(part), INSERT_SLICE):
        _insert_slice(conn, part.iloc[k : k + INSERT_SLICE], import_id, sqlite)


def _insert_slice(
    conn: Connection, part: pd.DataFrame, import_id: int | None, sqlite: bool
) -> None:
    columns = _db_columns(part, DATA_COLUMNS, sqlite)
    if sqlite:  # straight through the driver: SQLAlchemy's per-value work costs more here
        rows = list(zip(*columns, [import_id] * len(part), strict=True))
        conn.exec_driver_sql(
            f"INSERT INTO dossiers ({', '.join(DATA_COLUMNS)}, import_id) "
            f"VALUES ({', '.join('?' * (len(DATA_COLUMNS) + 1))})",
            rows,
        )
    else:
        names = (*DATA_COLUMNS, "import_id")
        conn.execute(
            insert(D),
            [
                dict(zip(names, values, strict=True))
                for values in zip(*columns, [import_id] * len(part), strict=True)
            ],
        )
