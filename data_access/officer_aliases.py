"""The office's alias table: two spellings (or accounts) of one person in one unit merged, so
every figure counts them as one; the unit's officer counts are rebuilt in the same
transaction."""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select, update

from dashboard.domain import clock
from dashboard.domain.steps import keys_named
from data_access import accounts, versioning
from data_access.models import Unit, table_of
from data_access.step_models import Officer, OfficerAlias
from data_access.step_rollups import rebuild

OF = table_of(Officer)
A = table_of(OfficerAlias)
U = table_of(Unit)


def _find(conn: Connection, unit_ids: list[int], text: str) -> list[tuple[int, int, str]]:
    """Officers (id, unit id, name) a name or account (tk:ACCOUNT) names in these units."""
    keys = keys_named(text)
    rows = conn.execute(
        select(OF.c.id, OF.c.unit_id, OF.c.name).where(
            OF.c.unit_id.in_(unit_ids), OF.c.key.in_(sorted(keys))
        )
    ).all()
    return [(int(i), int(u), n) for i, u, n in rows]


def person_of(conn: Connection, officer_id: int) -> int:
    """The person an officer counts as (itself unless merged)."""
    found = conn.execute(select(A.c.person_id).where(A.c.officer_id == officer_id)).first()
    return int(found[0]) if found else officer_id


def merge(
    conn: Connection,
    unit_code: str,
    keep: str,
    other: str,
    user: str = "",
    unit_id: int | None = None,
) -> str:
    """Count the officer `other` names as the one `keep` names, in the unit version with this
    code that has both (or `unit_id`); ValueError (Vietnamese) when either is not found or
    they are one already."""
    unit_ids = (
        [unit_id]
        if unit_id is not None
        else [int(r[0]) for r in conn.execute(select(U.c.id).where(U.c.code == unit_code))]
    )
    if not unit_ids:
        raise ValueError(f"Không có đơn vị mã {unit_code}")
    kept, merged = _find(conn, unit_ids, keep), _find(conn, unit_ids, other)
    pairs = [(k, m) for k in kept for m in merged if k[1] == m[1]]
    if not pairs:
        missing = keep if not kept else other
        raise ValueError(f"Không có cán bộ «{missing}» trong đơn vị {unit_code}")
    (keep_id, found_unit, keep_name), (other_id, _, other_name) = pairs[-1]
    person = person_of(conn, keep_id)
    if person == person_of(conn, other_id):
        raise ValueError(f"«{other_name}» đã được gộp vào «{keep_name}»")
    # Everyone counted as `other` is now counted as the kept person.
    conn.execute(update(A).where(A.c.person_id == other_id).values(person_id=person))
    conn.execute(delete(A).where(A.c.officer_id == other_id))
    conn.execute(
        insert(A).values(officer_id=other_id, person_id=person, created_at=clock.now(), user=user)
    )
    rebuild(conn, [found_unit])
    accounts.audit(conn, user, "officer_merge", f"{unit_code}: «{other_name}» → «{keep_name}»")
    versioning.bump(conn)
    return f"Đã gộp «{other_name}» vào «{keep_name}» (đơn vị {unit_code})."


def unmerge(conn: Connection, officer_id: int, user: str = "") -> None:
    """Undo a merge: the officer counts as itself again."""
    row = conn.execute(select(OF.c.unit_id, OF.c.name).where(OF.c.id == officer_id)).first()
    if row is None:
        raise ValueError("Không có cán bộ này")
    conn.execute(delete(A).where(A.c.officer_id == officer_id))
    rebuild(conn, [int(row[0])])
    accounts.audit(conn, user, "officer_unmerge", str(row[1]))
    versioning.bump(conn)


def units_with_officers(conn: Connection) -> list[tuple[int, str, str]]:
    """(unit id, code, name) of the unit versions that have officers, by code."""
    rows = conn.execute(
        select(U.c.id, U.c.code, U.c.name)
        .where(U.c.id.in_(select(OF.c.unit_id).distinct()))
        .order_by(U.c.code, U.c.valid_from)
    ).all()
    return [(int(i), c, n) for i, c, n in rows]


def officers_of(conn: Connection, unit_id: int) -> list[tuple[int, str, str, str | None]]:
    """(id, name, key, the name of the person it is merged into or None) of a unit's
    officers."""
    P = OF.alias("p")
    rows = conn.execute(
        select(OF.c.id, OF.c.name, OF.c.key, P.c.name)
        .select_from(
            OF.outerjoin(A, A.c.officer_id == OF.c.id).outerjoin(P, P.c.id == A.c.person_id)
        )
        .where(OF.c.unit_id == unit_id)
        .order_by(OF.c.name)
    ).all()
    return [(int(i), n, k, p) for i, n, k, p in rows]


def merge_ids(conn: Connection, keep_id: int, other_id: int, user: str = "") -> str:
    """`merge` for two officers chosen by id (the page's lists)."""
    found = dict(
        (int(i), (int(u), k))
        for i, u, k in conn.execute(
            select(OF.c.id, OF.c.unit_id, OF.c.key).where(OF.c.id.in_([keep_id, other_id]))
        )
    )
    if len(found) != 2 or found[keep_id][0] != found[other_id][0]:
        raise ValueError("Hai cán bộ phải cùng một đơn vị")
    code = conn.execute(select(U.c.code).where(U.c.id == found[keep_id][0])).scalar_one()
    keep_key, other_key = found[keep_id][1], found[other_id][1]
    return merge(
        conn, code, _as_text(keep_key), _as_text(other_key), user, unit_id=found[keep_id][0]
    )


def _as_text(key: str) -> str:
    return "tk:" + key[3:] if key.startswith("tk:") else key
